"""Real builds, read back the way planets and feed readers read them:
every feed parses with feedparser, holds what its URL promises, links only
absolutely to files that exist, and keeps its ids and bytes across builds."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITEURL, BuiltSite, json_feed_problems, run_build, write_post

URL_ATTRIBUTES = ("href", "src", "srcset", "cite", "poster", "data")
AUTHOR = "Robin Carter"  # pelicanconf.py
SITENAME = "Robin's midcycle notes"  # pelicanconf.py


def feeds_of(site: BuiltSite) -> dict[str, feedparser.FeedParserDict]:
    """Every feed file of a built site, parsed, by file name."""
    return {name: feedparser.parse(site.file(name).read_bytes())
            for name in site.files() if name.endswith((".rss", ".atom"))}


def output_file(site: BuiltSite, url: str) -> Path:
    assert url.startswith(SITEURL + "/"), url
    return site.file(unquote(urlsplit(url).path.lstrip("/")))


def content_html(entry) -> str:
    return entry.content[0].value if "content" in entry else entry.description


def urls_in_html(html: str) -> list[str]:
    found = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for attribute in URL_ATTRIBUTES:
            if tag.get(attribute):
                value = tag[attribute]
                if attribute == "srcset":
                    found += [candidate.split()[0] for candidate in value.split(",")]
                else:
                    found.append(value)
    return found


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> BuiltSite:
    """Paths at three levels, a look-alike path, tags, a series, an image,
    relative links, a Modified: line, a draft, a future post and a comment."""
    content = tmp_path_factory.mktemp("feeds") / "content"
    write_post(content, "openstack/juno/intro.md", "Juno intro", "2014-08-11 09:00",
               tags="openstack, juno, nova", series="Juno meetup", body="""
               Read about [cells](nova/cells.html) and [why](../why.html).

               ![Whiteboard](images/board.png)

               <blockquote cite="notes.html">Quoted.</blockquote>
               """)
    (content / "openstack/juno/images").mkdir()
    (content / "openstack/juno/images/board.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    write_post(content, "openstack/juno/nova/cells.md", "Cells v2", "2014-08-12 16:40",
               tags="nova, cells", series="Juno meetup", modified="2014-09-01 10:00",
               body="Back to the [introduction](../intro.html#top).")
    write_post(content, "openstack/why.md", "Why meetups", "2014-08-09 14:20", tags="openstack")
    write_post(content, "openstacked/other.md", "Not below openstack", "2014-08-13 08:00", tags="nova")
    write_post(content, "hello.md", "Hello at the top", "2014-08-01 12:00")
    write_post(content, "openstack/juno/draft.md", "Secret draft", "2014-08-14 10:00",
               tags="nova, onlydraft", series="Juno meetup", status="draft")
    write_post(content, "openstack/juno/future.md", "From the future", "2099-01-01 10:00",
               tags="nova, onlyfuture", series="Juno meetup")
    (content / "openstack/juno/intro.comments").mkdir()
    (content / "openstack/juno/intro.comments/1.comment").write_text(
        "Author: Jane\nDate: 2014-08-12 08:00\n\nSee <a href='nova/cells.html'>cells</a>.\n", encoding="utf-8")
    output = content.parent / "output"
    result = run_build(content, output)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return BuiltSite(output, result)


BASES = ["index", "openstack/index", "openstack/juno/index", "openstack/juno/nova/index", "openstacked/index",
         "tag/openstack", "tag/juno", "tag/nova", "tag/cells", "series/juno-meetup"]


def test_feeds_exist_at_the_design_urls_and_nowhere_else(sample):
    assert set(feeds_of(sample)) == {f"{base}.{kind}" for base in BASES for kind in ("rss", "atom")} | {
        "comments/index.rss"}
    assert {name for name in sample.files() if name.endswith(".json")} == {f"{base}.json" for base in BASES}


def test_every_feed_parses_and_links_to_itself(sample):
    for name, feed in feeds_of(sample).items():
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.version == ("rss20" if name.endswith(".rss") else "atom10"), name
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [f"{SITEURL}/{name}"], name
        alternate = [link.href for link in feed.feed.links if link.rel == "alternate"]
        assert len(alternate) == 1 and output_file(sample, alternate[0]).is_file(), name
        assert feed.feed.title.startswith(SITENAME), name
        assert feed.entries, name


def test_titles_name_what_the_feed_holds(sample):
    feeds = feeds_of(sample)
    assert feeds["index.atom"].feed.title == SITENAME
    assert feeds["openstack/juno/index.rss"].feed.title == f"{SITENAME}: openstack/juno"
    assert feeds["tag/nova.atom"].feed.title == f"{SITENAME}: tag nova"
    assert feeds["series/juno-meetup.rss"].feed.title == f"{SITENAME}: series Juno meetup"


def test_no_relative_url_anywhere_in_any_feed(sample):
    for name, feed in feeds_of(sample).items():
        urls = [link.href for link in feed.feed.links]
        for entry in feed.entries:
            urls += [link.href for link in entry.links] + [entry.link]
            urls += urls_in_html(content_html(entry))
        for url in urls:
            assert urlsplit(url).scheme in ("http", "https", "mailto"), (name, url)


def test_links_inside_bodies_point_at_files_that_exist(sample):
    intro = next(e for e in feeds_of(sample)["openstack/juno/index.atom"].entries if e.title == "Juno intro")
    found = urls_in_html(content_html(intro))
    assert f"{SITEURL}/openstack/juno/images/board.png" in found
    assert f"{SITEURL}/openstack/juno/nova/cells.html" in found
    assert f"{SITEURL}/openstack/why.html" in found
    assert f"{SITEURL}/openstack/juno/notes.html" in found  # blockquote cite
    for url in found[:3]:
        assert output_file(sample, url).is_file(), url


def test_every_entry_link_resolves_to_a_file_in_the_output(sample):
    for name, feed in feeds_of(sample).items():
        for entry in feed.entries:
            assert output_file(sample, entry.link).is_file(), (name, entry.link)


def test_path_feeds_hold_their_descendants_and_nothing_else(sample):
    feeds = feeds_of(sample)
    for kind in ("rss", "atom"):
        assert titles(feeds[f"openstack/index.{kind}"]) == ["Cells v2", "Juno intro", "Why meetups"]
        assert titles(feeds[f"openstack/juno/index.{kind}"]) == ["Cells v2", "Juno intro"]
        assert titles(feeds[f"openstack/juno/nova/index.{kind}"]) == ["Cells v2"]
        assert titles(feeds[f"openstacked/index.{kind}"]) == ["Not below openstack"]
        assert titles(feeds[f"index.{kind}"]) == [
            "Not below openstack", "Cells v2", "Juno intro", "Why meetups", "Hello at the top"]


def test_tag_feeds_hold_exactly_the_tags_published_posts(sample):
    feeds = feeds_of(sample)
    for kind in ("rss", "atom"):
        assert titles(feeds[f"tag/nova.{kind}"]) == ["Not below openstack", "Cells v2", "Juno intro"]
        assert titles(feeds[f"tag/cells.{kind}"]) == ["Cells v2"]
        for entry in feeds[f"tag/nova.{kind}"].entries:
            assert "nova" in [tag.term for tag in entry.tags]


def test_series_feed_is_newest_first(sample):
    for kind in ("rss", "atom"):
        assert titles(feeds_of(sample)[f"series/juno-meetup.{kind}"]) == ["Cells v2", "Juno intro"]


def test_drafts_and_future_posts_are_in_no_feed(sample):
    for name in feeds_of(sample):
        text = sample.file(name).read_text(encoding="utf-8")
        for unpublished in ("Secret draft", "From the future", "draft.html", "future.html", "onlydraft", "onlyfuture"):
            assert unpublished not in text, (name, unpublished)


def test_entries_carry_author_categories_full_content_and_dates(sample):
    feeds = feeds_of(sample)
    for kind in ("rss", "atom"):
        cells = feeds[f"openstack/juno/nova/index.{kind}"].entries[0]
        assert cells.author == AUTHOR
        assert [tag.term for tag in cells.tags] == ["nova", "cells"]
        assert "Back to the" in content_html(cells)
        assert f'href="{SITEURL}/openstack/juno/intro.html#top"' in content_html(cells)
    atom = feeds["openstack/juno/nova/index.atom"]
    # pelicanconf's TIMEZONE is Australia/Sydney: +10:00 in August.
    assert atom.entries[0].published == "2014-08-12T16:40:00+10:00"
    assert atom.entries[0].updated == "2014-09-01T10:00:00+10:00"
    assert atom.feed.updated == "2014-09-01T10:00:00+10:00"
    rss = feeds["openstack/juno/nova/index.rss"]
    assert rss.entries[0].published == "Tue, 12 Aug 2014 16:40:00 +1000"
    assert rss.feed.updated == "Mon, 01 Sep 2014 10:00:00 +1000"


def test_one_tag_uri_identifies_a_post_in_every_format(sample):
    raw = sample.file("openstack/juno/nova/index.rss").read_text(encoding="utf-8")
    assert '<guid isPermaLink="false">tag:blog.test,2014-08-12:openstack/juno/nova/cells</guid>' in raw
    atom = feeds_of(sample)["openstack/juno/nova/index.atom"]
    assert atom.entries[0].id == "tag:blog.test,2014-08-12:openstack/juno/nova/cells"
    document = json.loads(sample.file("openstack/juno/nova/index.json").read_bytes())
    assert document["items"][0]["id"] == "tag:blog.test,2014-08-12:openstack/juno/nova/cells"


def feed_alternates(page: BeautifulSoup) -> list[tuple[str, str, str]]:
    return [(link["type"], link["href"], link["title"])
            for link in page.select('head link[rel="alternate"]')]


def test_every_page_announces_the_site_feeds(sample):
    site_feeds = [("application/atom+xml", f"{SITEURL}/index.atom", f"{SITENAME} (Atom)"),
                  ("application/rss+xml", f"{SITEURL}/index.rss", f"{SITENAME} (RSS)"),
                  ("application/feed+json", f"{SITEURL}/index.json", f"{SITENAME} (JSON Feed)")]
    pages = [name for name in sample.files() if name.endswith(".html")]
    assert "openstack/juno/intro.html" in pages and "tag/index.html" in pages
    for name in pages:
        assert feed_alternates(sample.html(name))[-3:] == site_feeds, name


@pytest.mark.parametrize("page, base, title", [
    ("openstack/juno/index.html", "openstack/juno/index", "openstack/juno"),
    ("openstack/index.html", "openstack/index", "openstack"),
    ("tag/nova.html", "tag/nova", "tag nova"),
    ("series/juno-meetup.html", "series/juno-meetup", "series Juno meetup"),
])
def test_pages_announce_their_own_feeds_first(sample, page, base, title):
    alternates = feed_alternates(sample.html(page))
    assert alternates[:3] == [
        ("application/atom+xml", f"{SITEURL}/{base}.atom", f"{SITENAME}: {title} (Atom)"),
        ("application/rss+xml", f"{SITEURL}/{base}.rss", f"{SITENAME}: {title} (RSS)"),
        ("application/feed+json", f"{SITEURL}/{base}.json", f"{SITENAME}: {title} (JSON Feed)"),
    ]
    for _, href, _ in alternates:
        assert output_file(sample, href).is_file(), href


def test_feed_bytes_unchanged_and_ids_kept_when_a_title_is_edited(content, build):
    post = write_post(content, "a/stable.md", "First title", "2014-08-13 10:00", tags="t")
    write_post(content, "a/other.md", "Other", "2014-08-12 10:00", tags="t")
    first, second = build(content), build(content)
    for name in feeds_of(first):
        assert first.file(name).read_bytes() == second.file(name).read_bytes(), name

    post.write_text(post.read_text().replace("First title", "Second title")
                    .replace("Some words.", "Rewritten words."), encoding="utf-8")
    edited = build(content)
    before, after = feeds_of(first), feeds_of(edited)
    assert before.keys() == after.keys()
    for name in before:
        assert [e.id for e in before[name].entries] == [e.id for e in after[name].entries], name
        assert [e.link for e in before[name].entries] == [e.link for e in after[name].entries], name
    assert titles(after["a/index.atom"]) == ["Second title", "Other"]
    assert "Rewritten words." in content_html(after["a/index.rss"].entries[0])


def test_feeds_keep_the_newest_feed_max_items(content, build):
    for day in range(1, 23):
        write_post(content, f"a/p{day:02d}.md", f"Post {day:02d}", f"2014-08-{day:02d} 10:00", tags="t")
    default = feeds_of(build(content))
    for name in ("index.rss", "a/index.atom", "tag/t.rss"):
        assert titles(default[name]) == [f"Post {day:02d}" for day in range(22, 2, -1)], name
    three = feeds_of(build(content, FEED_MAX_ITEMS=3))
    assert titles(three["a/index.rss"]) == ["Post 22", "Post 21", "Post 20"]


def test_markup_characters_in_feed_titles_are_escaped(content, build):
    tricky = "R&D <notes> \"quoted\" 'single'"
    write_post(content, "a/x.md", f"Title {tricky}", "2014-08-13 10:00", tags=tricky)
    site = build(content)
    (base,) = [name[: -len(".rss")] for name in site.files() if name.startswith("tag/") and name.endswith(".rss")]
    for kind in ("rss", "atom"):
        raw = site.file(f"{base}.{kind}").read_text(encoding="utf-8")
        assert "R&amp;D &lt;notes&gt;" in raw and "<notes>" not in raw
        feed = feedparser.parse(raw.encode("utf-8"))
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title == f"{SITENAME}: tag {tricky}"
        assert feed.entries[0].title == f"Title {tricky}"
        assert [tag.term for tag in feed.entries[0].tags] == [tricky]
    raw_page = site.file(f"{base}.html").read_text(encoding="utf-8")
    head = raw_page[: raw_page.index("</head>")]
    assert "<notes>" not in head and "&lt;notes&gt;" in head
    assert feed_alternates(site.html(f"{base}.html"))[0] == (
        "application/atom+xml", f"{SITEURL}/{base}.atom", f"{SITENAME}: tag {tricky} (Atom)")


def test_sample_site_feeds_parse_and_link_to_existing_files(tmp_path):
    result = run_build(ROOT / "content", tmp_path / "output")
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    site = BuiltSite(tmp_path / "output", result)
    feeds = feeds_of(site)
    for base in ("index", "openstack/index", "openstack/kilo/index", "wood/turning/index", "tag/nova"):
        assert f"{base}.rss" in feeds and f"{base}.atom" in feeds, base
    assert any(name.startswith("series/") for name in feeds)
    for name, feed in feeds.items():
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        for entry in feed.entries:
            assert output_file(site, entry.link).is_file(), (name, entry.link)
            for url in urls_in_html(content_html(entry)):
                assert urlsplit(url).scheme in ("http", "https"), (name, url)
                if url.startswith(SITEURL):
                    assert output_file(site, url).is_file(), (name, url)


def test_json_feeds_follow_the_specification_and_match_their_twins(sample):
    feeds = feeds_of(sample)
    for base in BASES:
        document = json.loads(sample.file(f"{base}.json").read_bytes())
        assert json_feed_problems(document) == [], base
        assert document["feed_url"] == f"{SITEURL}/{base}.json"
        atom = feeds[f"{base}.atom"]
        assert document["title"] == atom.feed.title
        assert [item["id"] for item in document["items"]] == [entry.id for entry in atom.entries], base
        assert [item["url"] for item in document["items"]] == [entry.link for entry in atom.entries], base
        for item in document["items"]:
            for url in [item["url"], *urls_in_html(item["content_html"])]:
                assert urlsplit(url).scheme in ("http", "https"), (base, url)


def test_the_summary_arrives_in_every_format(content, build):
    write_post(content, "a/given.md", "Given", "2014-08-13 10:00", tags="t", summary="A *lathe* & <b>bowls</b>",
               body="First paragraph, not the summary.\n\nSecond.")
    write_post(content, "a/first.md", "First", "2014-08-12 10:00", tags="t",
               body="## A heading\n\nThe *first* paragraph & more.\n\nThe second paragraph.")
    site = build(content)
    # By hand: Summary: as text (Markdown and HTML both gone), else the first paragraph's text.
    expected = {"Given": "A lathe & bowls", "First": "The first paragraph & more."}
    rss, atom = feedparser.parse(site.file("a/index.rss").read_bytes()), feedparser.parse(site.file("a/index.atom").read_bytes())
    assert {e.title: BeautifulSoup(e.summary, "html.parser").get_text() for e in rss.entries} == expected
    assert {e.title: e.summary for e in atom.entries} == expected
    document = json.loads(site.file("a/index.json").read_bytes())
    assert {item["title"]: item["summary"] for item in document["items"]} == expected
    # The whole post is the content in every format.
    for entries in (rss.entries, atom.entries):
        first = next(e for e in entries if e.title == "First")
        assert "<h2" in first.content[0].value and "The second paragraph." in first.content[0].value
    assert "The second paragraph." in next(i for i in document["items"] if i["title"] == "First")["content_html"]


def test_feeds_carry_the_site_favicon_by_default_and_it_exists(sample):
    icon = f"{SITEURL}/theme/favicon.svg"
    assert sample.file("theme/favicon.svg").read_bytes().startswith(b"<svg")
    atom = sample.file("tag/nova.atom").read_text(encoding="utf-8")
    assert f"<icon>{icon}</icon>" in atom and f"<logo>{icon}</logo>" in atom
    # RSS's <image> may only be a GIF, JPEG or PNG: none for an SVG icon.
    assert "<image>" not in sample.file("tag/nova.rss").read_text(encoding="utf-8")
    assert json.loads(sample.file("tag/nova.json").read_bytes())["icon"] == icon
    assert sample.html("index.html").find("link", rel="icon")["href"] == icon


def test_feed_icon_settings_must_name_a_file_the_site_has(content, tmp_path):
    write_post(content, "a/x.md", "X", "2014-08-13 10:00")
    result = run_build(content, tmp_path / "out", FEED_ICON="images/missing.png")
    assert result.returncode != 0
    assert "settings: FEED_ICON is 'images/missing.png', which is no file of this site" in result.stderr
    result = run_build(content, tmp_path / "out", FEED_LOGO="../outside.png")
    assert result.returncode != 0 and "FEED_LOGO must be a file of the site" in result.stderr


def test_feeds_opml_lists_the_feeds_the_site_has(sample):
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(sample.file("feeds.opml").read_bytes())
    listed = [outline.get("xmlUrl") for outline in root.iter("outline") if outline.get("xmlUrl")]
    assert sorted(listed) == sorted(f"{SITEURL}/{base}.rss" for base in BASES)
    for outline in root.iter("outline"):
        if outline.get("xmlUrl"):
            assert outline.get("title") == feeds_of(sample)[outline.get("xmlUrl").removeprefix(SITEURL + "/")].feed.title
            assert output_file(sample, outline.get("htmlUrl")).is_file()
