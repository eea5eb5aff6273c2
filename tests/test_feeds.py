"""Unit tests of feeds.py on in-memory posts: no Pelican, real feedgen and feedparser."""

from __future__ import annotations

import dataclasses
import datetime
import json
import re
from zoneinfo import ZoneInfo

import feedgen.version
import feedparser
import pytest

from midcycle import urls
from bs4 import BeautifulSoup
from conftest import json_feed_problems

from midcycle.feeds import (KINDS, entry_id, feed_bytes, feed_posts, feed_specs, feed_titles, last_change,
                            render_feeds, retired_spec)
from midcycle.indexes import build_site
from midcycle.model import Post, Site

SYDNEY = ZoneInfo("Australia/Sydney")
SITEURL = "http://blog.test"
SETTINGS = {"SITENAME": "Notes", "AUTHOR": "Robin", "DEFAULT_LANG": "en", "FEED_MAX_ITEMS": 20}


#: The formats feedparser reads; JSON Feed is checked with json.
XML_KINDS = ("rss", "atom")


def render_feed(spec, site, links, settings, kinds=XML_KINDS) -> dict[str, bytes]:
    """Formats of one feed, as render_feeds would write them."""
    posts = feed_posts(spec, site, settings)
    return {kind: feed_bytes(spec, posts, kind, links, settings) for kind in kinds}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


LINKS = urls.Links(SITEURL, slugify)


def post(path: str, slug: str, day: int, hour: int = 12, tags=("nova",), **fields) -> Post:
    fields.setdefault("title", f"Post {slug}")
    fields.setdefault("body", f'<p>Body of {slug} <a href="{SITEURL}/{path}/other.html">o</a></p>')
    return Post(source=f"{path}/{slug}.md", path=path, slug=slug,
                date=datetime.datetime(2014, 8, day, hour, tzinfo=SYDNEY),
                tags=tuple(tags), author="Robin", **fields)


def sample_site(series: dict[str, tuple[str, ...]] | None = None) -> Site:
    posts = [
        post("openstack/juno", "intro", 11, tags=("openstack", "juno")),
        post("openstack/juno/nova", "cells", 12, tags=("nova", "cells")),
        post("openstack", "why", 9, tags=("openstack",)),
        post("openstacked", "other", 13, tags=("nova",)),
        post("", "hello", 1, tags=()),
    ]
    site = build_site(posts)
    return dataclasses.replace(site, series=series if series is not None else {})


def spec_for(site: Site, base: str):
    return next(spec for spec in feed_specs(site, "Notes", slugify) if spec.base == base)


def parse_both(site: Site, base: str, settings=SETTINGS) -> dict[str, feedparser.FeedParserDict]:
    rendered = render_feed(spec_for(site, base), site, LINKS, settings)
    parsed = {kind: feedparser.parse(content) for kind, content in rendered.items()}
    for kind, feed in parsed.items():
        assert not feed.bozo, (kind, feed.get("bozo_exception"))
    return parsed


def test_specs_cover_site_every_path_level_every_tag_and_series():
    site = sample_site(series={"Juno meetup": ("openstack/juno/intro", "openstack/juno/nova/cells")})
    specs = {spec.base: spec for spec in feed_specs(site, "Notes", slugify)}
    assert set(specs) == {
        "", "openstack", "openstack/juno", "openstack/juno/nova", "openstacked",
        "tag/openstack", "tag/juno", "tag/nova", "tag/cells", "series/juno-meetup",
    }
    assert specs[""].title == "Notes"
    assert specs["openstack/juno"].title == "Notes: openstack/juno"
    assert specs["tag/nova"].title == "Notes: tag nova"
    assert specs["series/juno-meetup"].title == "Notes: series Juno meetup"
    assert specs["openstack/juno"].page == "openstack/juno/index.html"
    assert specs["tag/nova"].page == "tag/nova.html"
    assert specs["series/juno-meetup"].page == "series/juno-meetup.html"
    assert feed_titles(list(specs.values()))["tag/cells"] == "Notes: tag cells"


def test_no_series_no_series_feeds():
    assert not [s for s in feed_specs(sample_site(), "Notes", slugify) if s.base.startswith("series/")]


def test_render_feeds_writes_both_formats_at_the_design_urls():
    site = sample_site()
    specs = feed_specs(site, SETTINGS["SITENAME"], LINKS.slugify)
    files = {output.file for output in render_feeds(site, specs, SETTINGS, LINKS)}
    for expected in ("index.rss", "index.atom", "index.json", "openstack/index.rss", "openstack/juno/nova/index.atom",
                     "tag/nova.rss", "tag/cells.atom", "tag/cells.json"):
        assert expected in files
    # Three formats of 9 feeds (the site, 4 paths, 4 tags).
    assert len(files) == 3 * 9


def test_path_feed_holds_descendants_newest_first():
    for feed in parse_both(sample_site(), "openstack").values():
        assert [e.link for e in feed.entries] == [
            f"{SITEURL}/openstack/juno/nova/cells.html",
            f"{SITEURL}/openstack/juno/intro.html",
            f"{SITEURL}/openstack/why.html",
        ]


def test_series_feed_is_newest_first_although_the_series_is_oldest_first():
    site = sample_site(series={"Juno meetup": ("openstack/why", "openstack/juno/intro",
                                               "openstack/juno/nova/cells")})
    for feed in parse_both(site, "series/juno-meetup").values():
        assert [e.title for e in feed.entries] == ["Post cells", "Post intro", "Post why"]
        assert feed.feed.title == "Notes: series Juno meetup"


def test_feed_max_items_keeps_the_newest():
    posts = [post("a", f"p{day:02d}", day) for day in range(1, 8)]
    site = build_site(posts)
    for feed in parse_both(site, "a", {**SETTINGS, "FEED_MAX_ITEMS": 3}).values():
        assert [e.title for e in feed.entries] == ["Post p07", "Post p06", "Post p05"]


def test_feed_metadata_self_links_and_titles():
    parsed = parse_both(sample_site(), "openstack/juno")
    for kind, feed in parsed.items():
        assert feed.feed.title == "Notes: openstack/juno"
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == f"{SITEURL}/openstack/juno/index.{kind}"
        assert links["alternate"] == f"{SITEURL}/openstack/juno/index.html"
        assert feed.feed.language == "en"
        assert feed.feed.generator == "midcycle"
    assert parsed["rss"].version == "rss20"
    assert parsed["atom"].version == "atom10"


def test_entries_carry_content_categories_author_and_permalink():
    site = sample_site()
    parsed = parse_both(site, "openstack/juno/nova")
    for kind, feed in parsed.items():
        (entry,) = feed.entries
        assert entry.link == f"{SITEURL}/openstack/juno/nova/cells.html"
        assert [t.term for t in entry.tags] == ["nova", "cells"]
        assert entry.author == "Robin"
        html = entry.content[0].value  # RSS: content:encoded
        assert f'href="{SITEURL}/openstack/juno/nova/other.html"' in html
        assert "Body of cells" in html
    assert parsed["atom"].entries[0].content[0].type == "text/html"


def test_rss_guid_is_the_atom_id_and_no_permalink():
    rss = render_feed(spec_for(sample_site(), "openstack/juno/nova"), sample_site(), LINKS, SETTINGS)["rss"]
    assert b'<guid isPermaLink="false">tag:blog.test,2014-08-12:openstack/juno/nova/cells</guid>' in rss
    entry = feedparser.parse(rss).entries[0]
    assert entry.id == "tag:blog.test,2014-08-12:openstack/juno/nova/cells"
    assert entry.link == f"{SITEURL}/openstack/juno/nova/cells.html"


def test_ids_survive_a_move_to_https_and_another_port():
    site = sample_site()
    moved = urls.Links("https://blog.test:8443", slugify)
    for kind in XML_KINDS:
        before = feedparser.parse(render_feed(spec_for(site, ""), site, LINKS, SETTINGS)[kind])
        after = feedparser.parse(render_feed(spec_for(site, ""), site, moved, SETTINGS)[kind])
        assert [e.id for e in before.entries] == [e.id for e in after.entries]
        assert after.entries[0].link.startswith("https://blog.test:8443/")
    before, after = (json.loads(render_feed(spec_for(site, ""), site, links, SETTINGS, ("json",))["json"])
                     for links in (LINKS, moved))
    assert [item["id"] for item in before["items"]] == [item["id"] for item in after["items"]]


def test_atom_id_is_a_tag_uri_from_host_day_and_key():
    site = sample_site()
    atom = parse_both(site, "openstack/juno/nova")["atom"]
    assert atom.entries[0].id == "tag:blog.test,2014-08-12:openstack/juno/nova/cells"
    assert atom.feed.id == f"{SITEURL}/openstack/juno/nova/index.atom"


def test_atom_id_ignores_title_body_scheme_port_and_folder_of_the_site():
    original = post("openstack/juno", "db2", 14, hour=19)
    edited = dataclasses.replace(original, title="A new title", body="<p>Rewritten</p>",
                                 modified=datetime.datetime(2015, 1, 1, tzinfo=SYDNEY))
    ids = {entry_id(p, url) for p in (original, edited)
           for url in ("http://blog.test", "https://blog.test:8443/blog")}
    assert ids == {"tag:blog.test,2014-08-14:openstack/juno/db2"}


def test_atom_id_uses_the_day_the_author_wrote_not_utc():
    # 00:30 in Sydney is the previous day in UTC.
    early = post("a", "early", 14, hour=0)
    assert entry_id(early, SITEURL) == "tag:blog.test,2014-08-14:a/early"


def test_atom_id_quotes_keys_that_are_not_ascii():
    assert entry_id(post("café", "crème", 3), SITEURL) == "tag:blog.test,2014-08-03:caf%C3%A9/cr%C3%A8me"


def test_ids_unchanged_by_editing_title_and_body():
    site = sample_site()
    before = parse_both(site, "")
    changed = dataclasses.replace(site.posts["openstack/why"], title="Renamed", body="<p>New</p>")
    edited = dataclasses.replace(site, posts={**site.posts, "openstack/why": changed})
    after = parse_both(edited, "")
    for kind in ("rss", "atom"):
        assert [e.id for e in before[kind].entries] == [e.id for e in after[kind].entries]
        assert "Renamed" in [e.title for e in after[kind].entries]


def test_dates_are_aware_and_modified_sets_updated():
    modified = datetime.datetime(2014, 9, 1, 8, 0, tzinfo=SYDNEY)
    site = build_site([post("a", "old", 2, modified=modified), post("a", "new", 5)])
    parsed = parse_both(site, "a")
    atom = parsed["atom"]
    new, old = atom.entries
    assert old.published == "2014-08-02T12:00:00+10:00"
    assert old.updated == "2014-09-01T08:00:00+10:00"
    assert new.updated == new.published == "2014-08-05T12:00:00+10:00"
    # The feed changed when its most recently changed entry did.
    assert atom.feed.updated == "2014-09-01T08:00:00+10:00"
    rss = parsed["rss"]
    assert rss.entries[1].published == "Sat, 02 Aug 2014 12:00:00 +1000"
    assert rss.feed.updated == "Mon, 01 Sep 2014 08:00:00 +1000"


def test_rendering_is_deterministic_and_names_no_library_version():
    site = sample_site()
    first = render_feed(spec_for(site, ""), site, LINKS, SETTINGS)
    second = render_feed(spec_for(site, ""), site, LINKS, SETTINGS)
    assert first == second
    for content in first.values():
        assert feedgen.version.version_str.encode() not in content
        assert b"python-feedgen" not in content
        assert str(datetime.date.today().year).encode() not in content


def test_empty_site_still_gives_valid_feeds_with_a_plausible_fixed_date():
    site = build_site([])
    parsed = parse_both(site, "")
    assert parsed["atom"].entries == []
    # Validators take dates before 1990 for mistakes (1970 was one).
    assert parsed["atom"].feed.updated == "2000-01-01T00:00:00+00:00"


def test_titles_and_bodies_with_markup_characters_survive():
    tricky = "R&D <notes> \"quoted\" 'single' ]]>"
    site = build_site([post("a", "x", 3, title=tricky, tags=(tricky,),
                            body="<p>1 &lt; 2 &amp;&amp; ]]&gt; <b>bold</b></p>")])
    specs = feed_specs(site, f"Site {tricky}", slugify)
    spec = next(s for s in specs if s.base.startswith("tag/"))
    for kind, content in render_feed(spec, site, LINKS, SETTINGS).items():
        feed = feedparser.parse(content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title == f"Site {tricky}: tag {tricky}"
        assert feed.entries[0].title == tricky
        assert [t.term for t in feed.entries[0].tags] == [tricky]
        assert "1 &lt; 2 &amp;&amp; ]]&gt; <b>bold</b>" in feed.entries[0].content[0].value


def test_naive_dates_are_refused():
    aware = post("a", "x", 3)
    site = build_site([aware])
    naive = dataclasses.replace(aware, date=datetime.datetime(2014, 8, 3, 12))
    site = dataclasses.replace(site, posts={aware.key: naive})
    with pytest.raises(ValueError, match="timezone"):
        render_feed(spec_for(site, "a"), site, LINKS, SETTINGS)


def xml_of(content: bytes):
    import xml.etree.ElementTree as ElementTree
    return ElementTree.fromstring(content)


ATOM = "{http://www.w3.org/2005/Atom}"


def one_post_site(**fields) -> Site:
    return build_site([post("a", "x", 3, **fields)])


def test_summary_goes_to_description_and_summary_the_body_to_content():
    site = one_post_site(summary='Lathe & "bowls" <gouges>', body="<p>Full <b>body</b></p>")
    parsed = parse_both(site, "a")
    rss, atom = parsed["rss"].entries[0], parsed["atom"].entries[0]
    # RSS <description> is HTML: the text arrives escaped, and reads as the text.
    raw = render_feed(spec_for(site, "a"), site, LINKS, SETTINGS)
    assert b"<description>Lathe &amp;amp; &amp;quot;bowls&amp;quot; &amp;lt;gouges&amp;gt;</description>" in raw["rss"]
    assert BeautifulSoup(rss.summary, "html.parser").get_text() == 'Lathe & "bowls" <gouges>'
    assert atom.summary == 'Lathe & "bowls" <gouges>' and atom.summary_detail.type == "text/plain"
    for entry in (rss, atom):
        assert entry.content[0].value == "<p>Full <b>body</b></p>"
    document = json.loads(render_feed(spec_for(site, "a"), site, LINKS, SETTINGS, ("json",))["json"])
    assert document["items"][0]["summary"] == 'Lathe & "bowls" <gouges>'
    assert document["items"][0]["content_html"] == "<p>Full <b>body</b></p>"


def test_without_a_summary_rss_describes_by_title_and_atom_and_json_have_none():
    site = one_post_site(title="Only code", summary="", body="<pre><code>x = 1</code></pre>")
    raw = render_feed(spec_for(site, "a"), site, LINKS, SETTINGS, KINDS)
    item = xml_of(raw["rss"]).find("channel/item")
    # An item with content:encoded needs a <description> before it.
    assert [child.tag for child in item][:4] == ["title", "link", "description",
                                                  "{http://purl.org/rss/1.0/modules/content/}encoded"]
    assert item.find("description").text == "Only code"
    assert xml_of(raw["atom"]).find(f"{ATOM}entry/{ATOM}summary") is None
    assert "summary" not in json.loads(raw["json"])["items"][0]


def test_rss_items_carry_the_updated_date():
    modified = datetime.datetime(2014, 9, 1, 8, 0, tzinfo=SYDNEY)
    site = one_post_site(modified=modified)
    rss = parse_both(site, "a")["rss"]
    assert rss.entries[0].published == "Sun, 03 Aug 2014 12:00:00 +1000"
    assert rss.entries[0].updated == "2014-09-01T08:00:00+10:00"
    item = json.loads(render_feed(spec_for(site, "a"), site, LINKS, SETTINGS, ("json",))["json"])["items"][0]
    assert (item["date_published"], item["date_modified"]) == ("2014-08-03T12:00:00+10:00", "2014-09-01T08:00:00+10:00")


def test_icon_and_logo_from_settings_in_every_format():
    settings = {**SETTINGS, "FEED_ICON": "theme/icon.png", "FEED_LOGO": "https://cdn.test/logo.jpg"}
    site = one_post_site()
    raw = render_feed(spec_for(site, "a"), site, LINKS, settings, KINDS)
    atom = xml_of(raw["atom"])
    assert atom.find(f"{ATOM}icon").text == f"{SITEURL}/theme/icon.png"
    assert atom.find(f"{ATOM}logo").text == "https://cdn.test/logo.jpg"
    image = xml_of(raw["rss"]).find("channel/image")
    assert image.find("url").text == "https://cdn.test/logo.jpg"
    assert image.find("link").text == f"{SITEURL}/a/index.html"  # the channel's own link, as validators want
    document = json.loads(raw["json"])
    assert document["icon"] == document["favicon"] == f"{SITEURL}/theme/icon.png"


def test_an_rss_image_only_for_the_formats_rss_allows():
    settings = {**SETTINGS, "FEED_ICON": "favicon.svg", "FEED_LOGO": "favicon.svg"}
    site = one_post_site()
    raw = render_feed(spec_for(site, "a"), site, LINKS, settings)
    assert xml_of(raw["rss"]).find("channel/image") is None
    assert xml_of(raw["atom"]).find(f"{ATOM}logo").text == f"{SITEURL}/favicon.svg"


def test_a_websub_hub_is_named_by_every_format_and_only_when_set():
    site = one_post_site()
    hub = "https://hub.test/"
    with_hub = render_feed(spec_for(site, "a"), site, LINKS, {**SETTINGS, "WEBSUB_HUB": hub}, KINDS)
    without = render_feed(spec_for(site, "a"), site, LINKS, SETTINGS, KINDS)
    channel = xml_of(with_hub["rss"]).find("channel")
    assert [(link.get("rel"), link.get("href")) for link in channel.findall(f"{ATOM}link")] == [
        ("self", f"{SITEURL}/a/index.rss"), ("hub", hub)]
    assert channel.find("link").text == f"{SITEURL}/a/index.html"  # the hub did not become the channel link
    atom_links = {link.get("rel"): link.get("href") for link in xml_of(with_hub["atom"]).findall(f"{ATOM}link")}
    assert atom_links["hub"] == hub and atom_links["self"] == f"{SITEURL}/a/index.atom"
    assert json.loads(with_hub["json"])["hubs"] == [{"type": "WebSub", "url": hub}]
    for kind, content in without.items():
        assert b"hub" not in content, kind


def test_json_feeds_follow_the_specification():
    site = sample_site(series={"Juno meetup": ("openstack/juno/intro", "openstack/juno/nova/cells")})
    for spec in feed_specs(site, "Notes", slugify):
        document = json.loads(render_feed(spec, site, LINKS, SETTINGS, ("json",))["json"])
        assert json_feed_problems(document) == [], spec.base
        assert document["feed_url"] == f"{SITEURL}/{urls.feed_file(spec.base, 'json')}"
    home = json.loads(render_feed(spec_for(site, ""), site, LINKS, SETTINGS, ("json",))["json"])
    assert home["title"] == "Notes" and home["home_page_url"] == f"{SITEURL}/index.html"
    assert [item["url"] for item in home["items"]][:2] == [f"{SITEURL}/openstacked/other.html",
                                                           f"{SITEURL}/openstack/juno/nova/cells.html"]
    assert home["items"][1]["id"] == "tag:blog.test,2014-08-12:openstack/juno/nova/cells"
    assert home["items"][1]["tags"] == ["nova", "cells"] and home["items"][1]["authors"] == [{"name": "Robin"}]


def test_the_spec_checker_catches_what_it_should():
    # The checker itself, on documents broken by hand.
    assert json_feed_problems({"version": "https://jsonfeed.org/version/1", "title": "", "items": [
        {"id": 3, "url": "/relative.html"}, {"id": "a", "content_text": "t", "date_published": "2014-08-03 12:00"},
        {"id": "a", "content_html": "", "extra": 1}]}) == [
        "version is 'https://jsonfeed.org/version/1'", "no title", "item 0 has no string id",
        "item 0 has neither content_html nor content_text", "item 0: url is not an absolute URL",
        "item 1: date_published '2014-08-03 12:00' is not RFC 3339", "item 2: unknown key 'extra'",
        "two items share an id"]


def test_retired_feeds_are_named_from_their_file_and_empty_but_dated():
    site = sample_site()
    assert retired_spec("tag/old-tag", "Notes").title == "Notes: tag old-tag"
    assert retired_spec("series/gone", "Notes").title == "Notes: series gone"
    assert retired_spec("wood/turning", "Notes").title == "Notes: wood/turning"
    spec = retired_spec("tag/old-tag", "Notes")
    raw = {kind: feed_bytes(spec, [], kind, LINKS, SETTINGS, last_change(site)) for kind in KINDS}
    for kind in XML_KINDS:
        feed = feedparser.parse(raw[kind])
        assert not feed.bozo and feed.entries == []
        assert {link.rel: link.href for link in feed.feed.links}["self"] == f"{SITEURL}/tag/old-tag.{kind}"
    # Dated by the site's newest post (openstacked/other, 13 August), not 1970.
    assert feedparser.parse(raw["atom"]).feed.updated == "2014-08-13T12:00:00+10:00"
    document = json.loads(raw["json"])
    assert json_feed_problems(document) == [] and document["expired"] is True and document["items"] == []


def test_last_change_takes_modified_dates_and_comments():
    later = datetime.datetime(2014, 9, 2, 7, 0, tzinfo=SYDNEY)
    site = build_site([post("a", "x", 3, modified=later), post("a", "y", 5)])
    assert last_change(site) == later
    assert last_change(build_site([])) == datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
