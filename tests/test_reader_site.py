"""The reader's site in a real build: the way around (header, breadcrumbs,
older and newer posts, archive, feeds page), being found (descriptions,
canonical links, Open Graph, sitemap, robots.txt, 404, favicon) and the
page structure (one h1, headings under the title, image sizes). Every
expectation below is worked out by hand from the small site it builds."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from collections import deque
from urllib.parse import urldefrag

import pytest

from conftest import SITEURL, BuiltSite, failing_build, run_build, write_post

SITENAME = "Robin's midcycle notes"  # pelicanconf.py
SERIES = "Juno meetup"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height) + bytes(5)


def url(file: str) -> str:
    return f"{SITEURL}/{file}"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    content = tmp_path_factory.mktemp("reader") / "content"
    write_post(content, "openstack/juno/db2.md", "DB2 support", "2014-08-13 23:57", tags="openstack, juno, nova",
               series=SERIES, body="""
               The first paragraph, with *emphasis* & an ampersand.

               # Setup

               Words.

               ## Detail

               ![A board](board.png)
               """)
    (content / "openstack/juno/board.png").write_bytes(png(120, 80))
    write_post(content, "openstack/juno/cells.md", "Cells", "2014-08-14 10:00", tags="openstack, nova",
               series=SERIES, modified="2014-09-01 10:00")
    write_post(content, "openstack/why.md", "Why meetups", "2014-07-01 09:00", tags="openstack",
               summary="Why I *go*.")
    write_post(content, "wood/turning/bowl.md", "A bowl", "2015-02-01 12:00", tags="wood")
    comments = content / "wood/turning/bowl.comments"
    comments.mkdir()
    (comments / "1.comment").write_text("Author: Sam\nDate: 2015-02-02 10:00\nTitle: Re: bowl\n\nNice, see https://sam.example/.\n",
                                        encoding="utf-8")
    write_post(content, "top.md", "At the top", "2015-03-01 08:00")
    (content / "pages").mkdir()
    (content / "pages/about.md").write_text("Title: About\n\nWho writes here.\n\n## Contact\n\nBy post.\n",
                                            encoding="utf-8")
    (content / "pages/hidden.md").write_text("Title: Hidden\nStatus: hidden\n\nNot listed.\n", encoding="utf-8")
    output = content.parent / "output"
    # Without SITESUBTITLE the home page's description says what it holds.
    result = run_build(content, output, DEFAULT_PAGINATION=2, SEARCH_INDEX=True, SITESUBTITLE=None)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(output, result)


def html_files(site: BuiltSite) -> list[str]:
    return [name for name in site.files() if name.endswith(".html")]


def local(site: BuiltSite, link: str) -> str | None:
    """The output file a link of the site leads to, or ``None`` if it leads elsewhere."""
    link = urldefrag(link).url
    if not link.startswith(f"{SITEURL}/"):
        return None
    name = link[len(SITEURL) + 1:]
    return f"{name}index.html" if name.endswith("/") or not name else name


def test_a_crawl_from_the_home_page_reaches_every_file(site):
    # Pages are followed through their links, stylesheets, images and
    # scripts; robots.txt through its Sitemap line (the sitemap itself is not
    # followed: every page must be reachable by links).
    seen = {"index.html", "robots.txt"}
    pending = deque(seen)
    while pending:
        name = pending.popleft()
        if name.endswith(".html"):
            soup = site.html(name)
            links = [tag.get("href") for tag in soup.find_all(["a", "link"])]
            links += [tag.get("src") for tag in soup.find_all(["img", "script"])]
            links += [form.get("data-bundle") for form in soup.find_all("form")]
        elif name == "robots.txt":
            links = [line.split(": ", 1)[1] for line in site.file(name).read_text().splitlines()
                     if line.startswith("Sitemap: ")]
        else:
            continue
        for link in links:
            target = local(site, link or "")
            if target and target not in seen:
                assert site.exists(target), f"{name} links to {link}, which the build did not write"
                seen.add(target)
                pending.append(target)
    # The web server sends 404.html for addresses that do not exist, a
    # hidden page is published but linked from nowhere, and the search
    # index's script fetches the rest of the index itself.
    assert "pagefind/pagefind.js" in seen
    assert {name for name in set(site.files()) - seen if not name.startswith("pagefind/")} == {
        "404.html", "hidden.html"}


def test_every_page_has_one_h1_a_canonical_link_a_title_and_a_description(site):
    for name in html_files(site):
        page = site.html(name)
        assert len(page.find_all("h1")) == 1, name
        assert page.title.get_text().strip(), name
        description = page.find("meta", attrs={"name": "description"})
        assert description is not None and description["content"].strip(), name
        canonical = page.find_all("link", rel="canonical")
        if name == "404.html":  # sent for any missing address: it is not at one of its own
            assert canonical == []
            assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
        else:
            assert [link["href"] for link in canonical] == [url(name)], name


def test_descriptions_come_from_the_summary_or_the_first_paragraph(site):
    def described(name: str) -> str:
        return site.html(name).find("meta", attrs={"name": "description"})["content"]

    assert described("openstack/why.html") == "Why I go."
    assert described("openstack/juno/db2.html") == "The first paragraph, with emphasis & an ampersand."
    assert described("index.html") == f"All posts of {SITENAME}"
    assert described("page/2.html") == f"All posts of {SITENAME} (page 2)"
    assert described("tag/nova.html") == "Posts tagged nova, newest first"
    assert described("openstack/index.html") == "Posts in /openstack and the paths below it, newest first"
    assert described("about.html") == "Who writes here."


def test_post_pages_carry_open_graph_and_twitter_cards(site):
    page = site.html("openstack/juno/cells.html")

    def meta(key: str) -> list[str]:
        return [tag["content"] for tag in page.find_all("meta", attrs={"property": key})] or \
               [tag["content"] for tag in page.find_all("meta", attrs={"name": key})]

    assert meta("og:type") == ["article"]
    assert meta("og:title") == ["Cells"]
    assert meta("og:url") == [url("openstack/juno/cells.html")]
    assert meta("og:site_name") == [SITENAME]
    assert meta("og:description") == ["Some words."]
    assert meta("article:published_time") == ["2014-08-14T10:00:00+10:00"]
    assert meta("article:modified_time") == ["2014-09-01T10:00:00+10:00"]
    assert meta("article:tag") == ["openstack", "nova"]
    assert meta("twitter:card") == ["summary"]
    assert meta("twitter:title") == ["Cells"]


def test_the_header_leads_everywhere_from_every_page(site):
    expected = [("openstack", url("openstack/index.html")), ("wood", url("wood/index.html")),
                ("Tags", url("tag/index.html")), ("Series", url("series/index.html")),
                ("Archives", url("archives.html")), ("Feeds", url("feeds.html")), ("Search", url("search.html")),
                ("About", url("about.html"))]
    for name in html_files(site):
        page = site.html(name)
        nav = page.select_one("header nav.site-nav")
        assert [(a.get_text(), a["href"]) for a in nav.find_all("a")] == expected, name
        assert page.select_one("header .site-name a")["href"] == url("index.html")
    # The site's name is the home page's h1 (it has no other title); elsewhere it is not a heading.
    assert site.html("index.html").select_one("h1").get_text() == SITENAME
    assert site.html("page/2.html").select_one("h1").get_text() == SITENAME
    assert site.html("tag/nova.html").select_one(".site-name").name == "p"


def test_breadcrumbs_on_post_and_path_pages(site):
    for name in ("openstack/juno/db2.html", "openstack/juno/index.html"):
        crumb = site.html(name).select_one("nav.breadcrumb")
        assert crumb.get_text().strip() == "openstack › juno"
        assert [a["href"] for a in crumb.find_all("a")] == [url("openstack/index.html"),
                                                          url("openstack/juno/index.html")]
    assert site.html("top.html").select_one("nav.breadcrumb") is None  # a post at the top
    sub = site.html("openstack/index.html").select_one(".sub-paths")
    assert [(a.get_text(), a["href"]) for a in sub.find_all("a")] == [("juno", url("openstack/juno/index.html"))]
    assert site.html("openstack/juno/index.html").select_one(".sub-paths") is None


def test_previous_and_next_post_by_date(site):
    # Newest first: top (Mar 2015), bowl (Feb 2015), cells (14 Aug 2014), db2 (13 Aug), why (Jul 2014).
    def neighbours(name: str) -> dict[str, tuple[str, str]]:
        nav = site.html(name).select_one("nav.post-neighbours")
        return {p.get_text().split(":")[0]: (p.a.get_text(), p.a["href"]) for p in nav.find_all("p")}

    assert neighbours("openstack/juno/db2.html") == {
        "Previous post": ("Why meetups", url("openstack/why.html")),
        "Next post": ("Cells", url("openstack/juno/cells.html"))}
    assert neighbours("top.html") == {"Previous post": ("A bowl", url("wood/turning/bowl.html"))}
    assert neighbours("openstack/why.html") == {"Next post": ("DB2 support", url("openstack/juno/db2.html"))}


def test_a_series_post_leads_to_its_chronological_list_on_every_listing(site):
    series_page = url("series/juno-meetup.html")
    for name in ("page/2.html", "openstack/index.html", "tag/nova.html", "2014/08/index.html",
                 "openstack/juno/db2.html"):
        blocks = [block for block in site.html(name).select("article.post")
                  if block.select_one(".post-title a")["href"] == url("openstack/juno/db2.html")]
        assert len(blocks) == 1, name
        links = {a.get_text(): a["href"] for a in blocks[0].select(".post-related a")}
        assert links[f"Chronological list of {SERIES} posts"] == series_page, name


def test_the_archive_counts_years_and_months_and_day_headers_lead_to_days(site):
    years = site.html("archives.html").select("ul.archive-years > li")
    summary = [(li.a.get_text(), li.a["href"], [(m.a.get_text(), m.a["href"], m.get_text().split("(")[-1])
                                                 for m in li.select("ul.archive-months li")]) for li in years]
    assert summary == [
        ("2015", url("2015/index.html"), [("March 2015", url("2015/03/index.html"), "1)"),
                                          ("February 2015", url("2015/02/index.html"), "1)")]),
        ("2014", url("2014/index.html"), [("August 2014", url("2014/08/index.html"), "2)"),
                                          ("July 2014", url("2014/07/index.html"), "1)")]),
    ]
    assert [" ".join(li.get_text().split()).split(" March")[0] for li in years][0] == "2015 (2 posts)"
    headers = site.html("openstack/index.html").select("h2.day-header a")
    assert [(a.get_text(), a["href"]) for a in headers] == [
        ("Thu, 14 Aug 2014", url("2014/08/14/index.html")), ("Wed, 13 Aug 2014", url("2014/08/13/index.html"))]


def test_headings_sit_below_the_post_title(site):
    about = site.html("about.html")
    assert [(h.name, h.get_text()) for h in about.find_all(["h1", "h2", "h3"])] == [("h1", "About"),
                                                                                  ("h2", "Contact")]
    post = site.html("openstack/juno/db2.html").select_one(".post-body")
    assert [(h.name, h.get_text()) for h in post.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        ("h2", "Setup"), ("h3", "Detail")]
    listing = site.html("openstack/juno/index.html")
    block = [b for b in listing.select("article.post") if b.select_one("h3.post-title").get_text() == "DB2 support"]
    assert [(h.name, h.get_text()) for h in block[0].select_one(".post-body").find_all(
        ["h1", "h2", "h3", "h4", "h5", "h6"])] == [("h4", "Setup"), ("h5", "Detail")]
    # A comment's title: below the post page's "1 comment" h2, and right below
    # the recent comments page's h1.
    assert site.html("wood/turning/bowl.html").select_one("#comments .comment-title").name == "h3"
    assert site.html("comments/index.html").select_one(".comment-title").name == "h2"


def test_images_carry_their_size(site):
    for name in ("openstack/juno/db2.html", "page/2.html", "openstack/juno/index.html"):
        images = [img for img in site.html(name).select(".post-body img") if img["alt"] == "A board"]
        assert [(img["width"], img["height"]) for img in images] == [("120", "80")], name


def test_sitemap_lists_every_post_and_listing_page_once(site):
    root = ET.fromstring(site.file("sitemap.xml").read_bytes())
    entries = [(u.findtext("s:loc", namespaces=SITEMAP_NS), u.findtext("s:lastmod", namespaces=SITEMAP_NS))
               for u in root.findall("s:url", SITEMAP_NS)]
    locations = [loc for loc, _ in entries]
    assert len(locations) == len(set(locations))
    # Every page but search (no content of its own), 404 (at no address of
    # its own) and the hidden page.
    assert sorted(locations) == sorted(url(name) for name in html_files(site)
                                       if name not in ("search.html", "404.html", "hidden.html"))
    for post in ("openstack/juno/db2.html", "openstack/juno/cells.html", "openstack/why.html",
                 "wood/turning/bowl.html", "top.html"):
        assert locations.count(url(post)) == 1
    lastmod = dict(entries)
    assert lastmod[url("openstack/juno/db2.html")] == "2014-08-13T23:57:00+10:00"
    assert lastmod[url("openstack/juno/cells.html")] == "2014-09-01T10:00:00+10:00"  # Modified:
    # A listing page: its newest post's (Modified: included); the home page: the newest post's.
    assert lastmod[url("openstack/juno/index.html")] == "2014-09-01T10:00:00+10:00"
    assert lastmod[url("index.html")] == "2015-03-01T08:00:00+11:00"
    assert lastmod[url("comments/index.html")] == "2015-02-02T10:00:00+11:00"
    assert site.file("robots.txt").read_text() == f"User-agent: *\nDisallow:\n\nSitemap: {url('sitemap.xml')}\n"


def test_the_404_page_has_the_navigation_and_absolute_links(site):
    page = site.html("404.html")
    assert page.select_one("header nav.site-nav") is not None
    assert page.h1.get_text() == "Page not found"
    for tag in page.find_all(["a", "link", "script", "img"]):
        link = tag.get("href") or tag.get("src")
        assert link.startswith(f"{SITEURL}/"), tag  # it is served at any depth


def test_the_feeds_page_lists_every_feed_in_every_format(site):
    page = site.html("feeds.html")
    sections = {h2.get_text(): h2.find_next_sibling("ul") for h2 in page.select("h2.feeds-header")}
    assert list(sections) == ["The whole site", "Paths", "Tags", "Series", "Comments"]
    listed = {}
    for ul in sections.values():
        for li in ul.find_all("li"):
            links = li.find_all("a")
            listed[links[0].get_text()] = [(a.get_text(), a["href"], a.get("type")) for a in links[1:]]
            assert site.exists(local(site, links[0]["href"]))
    assert listed[f"{SITENAME}: tag nova"] == [("RSS", url("tag/nova.rss"), "application/rss+xml"),
                                               ("Atom", url("tag/nova.atom"), "application/atom+xml"),
                                               ("JSON Feed", url("tag/nova.json"), "application/feed+json")]
    assert listed[f"{SITENAME}: openstack/juno"] == [
        ("RSS", url("openstack/juno/index.rss"), "application/rss+xml"),
        ("Atom", url("openstack/juno/index.atom"), "application/atom+xml"),
        ("JSON Feed", url("openstack/juno/index.json"), "application/feed+json")]
    assert listed[f"{SITENAME}: comments"] == [("RSS", url("comments/index.rss"), "application/rss+xml")]
    # Every feed the build wrote is on the page, once.
    feeds = [name for name in site.files() if name.endswith((".rss", ".atom", ".json"))
             and not name.startswith("pagefind/")]  # the search index's own files
    linked = [local(site, href) for entries in listed.values() for _, href, _ in entries]
    assert sorted(linked) == sorted(feeds)


def test_the_favicon_is_the_themes_unless_set(site, tmp_path):
    icon = site.html("index.html").find("link", rel="icon")["href"]
    assert icon == url("theme/favicon.svg")
    assert ET.fromstring(site.file("theme/favicon.svg").read_bytes()).tag == "{http://www.w3.org/2000/svg}svg"
    content = tmp_path / "content"
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    (content / "images").mkdir()
    (content / "images/icon.png").write_bytes(png(48, 48))
    output = tmp_path / "output"
    result = run_build(content, output, FAVICON="images/icon.png")
    assert result.returncode == 0, result.stderr
    built = BuiltSite(output, result)
    for name in ("index.html", "a/one.html", "404.html"):
        assert built.html(name).find("link", rel="icon")["href"] == url("images/icon.png")
    assert built.file("images/icon.png").read_bytes() == png(48, 48)


@pytest.mark.parametrize("favicon, message", [
    ("images/missing.png", "FAVICON 'images/missing.png' is not a file the build copies"),
    ("../outside.png", "FAVICON must be an image file's name relative to the content folder"),
    ("/etc/icon.png", "FAVICON must be an image file's name relative to the content folder"),
    ("notes.txt", "not one of .svg"),
])
def test_a_bad_favicon_fails_the_build_naming_it(tmp_path, favicon, message):
    content = tmp_path / "content"
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    (content / "notes.txt").write_text("x")
    text = failing_build(content, tmp_path / "output", FAVICON=favicon)
    assert message in text
