"""Comments in real builds: under their post, counted on listings, on the
recent comments page and in the comments feed; hostile ones made harmless in
pages and in the feed; bad comment files fail the build naming them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import html5lib
import pytest
from bs4 import BeautifulSoup

from conftest import SITEURL, BuiltSite, failing_build, run_build, write_comment as comment, write_post

HOSTILE_BODY = """<script>alert(1)</script>
<img src=x onerror=alert(2)>
<a href="JaVaScRiPt:alert(3)">one</a> <a href="&#106;avascript:alert(4)">two</a>
<style>body{display:none}</style><iframe src="https://evil.example/"></iframe>
<p onmouseover="alert(5)">hover</p> <a href="https://fine.example/" onclick="alert(6)">fine</a>"""


def assert_harmless(html: str) -> None:
    """No element or attribute that runs script, as a browser parses it."""
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all(["script", "img", "style", "iframe", "object", "embed", "svg"])
    for tag in soup.find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")], tag
        for name in ("href", "src"):
            value = tag.get(name)
            if value:
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), tag


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuiltSite:
    content = tmp_path_factory.mktemp("comments") / "content"
    write_post(content, "openstack/juno/db2.md", "DB2 support", "2014-08-14 19:20", tags="nova")
    write_post(content, "openstack/juno/cells.md", "Cells", "2014-08-13 10:00", tags="nova")
    write_post(content, "wood/bowl.md", "A bowl", "2014-08-10 10:00")
    comment(content, "openstack/juno/db2.md", "b", "Bob", "2014-08-15 11:00", "Second.")
    comment(content, "openstack/juno/db2.md", "a", "Alice", "2014-08-15 09:00",
            "First, with a [link](x)\n\nand <a href='cells.html'>a relative link</a>.",
            link="https://alice.example/", title="Re: DB2")
    comment(content, "openstack/juno/cells.md", "evil", '<b onmouseover="alert(7)">Eve</b> "\'',
            "2014-08-16 08:00", HOSTILE_BODY, link="javascript:alert(8)", title="<script>alert(9)</script>")
    comment(content, "wood/bowl.md", "1", "Carol", "2014-08-11 08:00", "Nice bowl.")
    output = content.parent / "output"
    result = run_build(content, output, RECENT_COMMENTS_MAX=3, FEED_MAX_ITEMS=3)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(output, result)


def test_comments_show_under_their_post_oldest_first_with_anchors(site):
    page = site.html("openstack/juno/db2.html")
    section = page.find("section", id="comments")
    articles = section.find_all(class_="comment")
    assert [a["id"] for a in articles] == ["comment-a", "comment-b"]
    assert "Alice" in articles[0].find(class_="comment-meta").get_text()
    assert articles[0].find(class_="comment-title").get_text() == "Re: DB2"
    author_link = articles[0].find(class_="comment-meta").find("a")
    assert author_link["href"] == "https://alice.example/" and author_link["rel"] == ["nofollow", "ugc"]
    assert [p.get_text() for p in articles[0].find(class_="comment-body").find_all("p")] == [
        "First, with a [link](x)", "and a relative link."]
    body_link = articles[0].find(class_="comment-body").find("a")
    assert body_link["href"] == f"{SITEURL}/openstack/juno/cells.html"
    assert section.find("h2").get_text() == "2 comments"


def test_posts_without_comments_have_no_comment_section(tmp_path, content, build):
    write_post(content, "a/quiet.md", "Quiet", "2014-08-14 19:20")
    built = build(content)
    assert built.html("a/quiet.html").find(id="comments") is None
    assert built.html("index.html").find(class_="post-comments") is None


def test_listings_count_comments_and_link_to_them(site):
    for page in ("index.html", "openstack/index.html", "openstack/juno/index.html", "tag/nova.html"):
        counts = {a.find_parent("article").find(class_="post-title").get_text(): (a.get_text(), a["href"])
                  for a in site.html(page).select(".post-comments a")}
        assert counts["DB2 support"] == ("2 comments", f"{SITEURL}/openstack/juno/db2.html#comments"), page
        assert counts["Cells"] == ("1 comment", f"{SITEURL}/openstack/juno/cells.html#comments"), page
    assert site.html("openstack/juno/db2.html").find(class_="post-comments") is None


def test_recent_comments_page_is_newest_first_capped_and_links_to_each_comment(site):
    page = site.html("comments/index.html")
    articles = page.find_all(class_="comment")
    assert len(articles) == 3  # RECENT_COMMENTS_MAX
    links = [a.find(class_="comment-meta").find_all("a")[-1]["href"] for a in articles]
    assert links == [f"{SITEURL}/openstack/juno/cells.html#comment-evil",
                     f"{SITEURL}/openstack/juno/db2.html#comment-b",
                     f"{SITEURL}/openstack/juno/db2.html#comment-a"]
    assert "on DB2 support" in articles[1].find(class_="comment-meta").get_text()
    feed_link = page.find("link", type="application/rss+xml")
    assert feed_link["href"] == f"{SITEURL}/comments/index.rss"


def test_the_byline_links_resolve(site):
    byline = site.html("wood/bowl.html").find(class_="byline")
    hrefs = [a["href"] for a in byline.find_all("a")]
    assert hrefs == [f"{SITEURL}/comments/index.html", f"{SITEURL}/comments/index.rss"]
    for href in hrefs:
        assert site.exists(href.removeprefix(SITEURL + "/"))


def test_comments_feed_is_newest_first_capped_with_stable_guids(site):
    raw = site.file("comments/index.rss").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo and feed.version == "rss20"
    assert [e.link for e in feed.entries] == [f"{SITEURL}/openstack/juno/cells.html#comment-evil",
                                              f"{SITEURL}/openstack/juno/db2.html#comment-b",
                                              f"{SITEURL}/openstack/juno/db2.html#comment-a"]
    # Ids are the post's id (host, day, path) and the anchor: no scheme or port.
    assert [e.id for e in feed.entries] == ["tag:blog.test,2014-08-13:openstack/juno/cells#comment-evil",
                                            "tag:blog.test,2014-08-14:openstack/juno/db2#comment-b",
                                            "tag:blog.test,2014-08-14:openstack/juno/db2#comment-a"]
    assert feed.entries[1].title == "Bob on DB2 support"
    assert feed.entries[1].author == "Bob"
    assert [link.href for link in feed.feed.links if link.rel == "self"] == [f"{SITEURL}/comments/index.rss"]


def test_hostile_comment_is_harmless_on_every_page(site):
    for page in ("openstack/juno/cells.html", "comments/index.html"):
        soup = site.html(page)
        evil = soup.find("article", id="comment-evil")
        assert_harmless(str(evil))
        # The script shows as text; the javascript: Link: is no link at all.
        assert "<script>alert(1)</script>" in evil.find(class_="comment-body").get_text()
        meta = evil.find(class_="comment-meta")
        assert not [a for a in meta.find_all("a") if "Eve" in a.get_text()], "the author became a link"
        assert '<b onmouseover="alert(7)">Eve</b>' in meta.get_text()
        assert evil.find(class_="comment-title").get_text() == "<script>alert(9)</script>"
        fine = evil.find("a", string="fine")
        assert fine["href"] == "https://fine.example/" and set(fine.attrs) == {"href", "rel"}


def test_hostile_comment_is_harmless_in_the_feed(site):
    """Read the raw XML (feedparser would sanitize and hide a failure)."""
    root = ET.fromstring(site.file("comments/index.rss").read_bytes())
    item = next(i for i in root.iter("item") if i.findtext("link").endswith("#comment-evil"))
    assert_harmless(item.findtext("description"))
    assert "<script>alert(1)</script>" in BeautifulSoup(item.findtext("description"), "html.parser").get_text()
    creator = item.findtext("{http://purl.org/dc/elements/1.1/}creator")
    assert creator == '<b onmouseover="alert(7)">Eve</b> "\''
    assert "javascript:alert(8)" not in site.file("comments/index.rss").read_text(encoding="utf-8")


def test_no_comment_file_is_copied_to_the_output(site):
    assert not [name for name in site.files() if ".comment" in name]


def test_a_site_without_comments_still_has_the_page_and_an_empty_valid_feed(content, build):
    write_post(content, "a/one.md", "One", "2014-08-14 19:20")
    built = build(content)
    assert built.html("comments/index.html").find(class_="empty").get_text() == "No comments yet."
    feed = feedparser.parse(built.file("comments/index.rss").read_bytes())
    assert not feed.bozo and feed.version == "rss20" and feed.entries == []
    # Dated by the site's last change (the post, 19:20 in Sydney), not 1970.
    assert feed.feed.updated == "Thu, 14 Aug 2014 19:20:00 +1000"


def test_a_rebuild_gives_the_same_comment_bytes(site, tmp_path):
    content = site.output.parent / "content"
    again = tmp_path / "again"
    assert run_build(content, again, RECENT_COMMENTS_MAX=3, FEED_MAX_ITEMS=3).returncode == 0
    for name in ("comments/index.rss", "comments/index.html", "openstack/juno/db2.html"):
        assert (again / name).read_bytes() == site.file(name).read_bytes(), name


@pytest.mark.parametrize("post_file, body, expected", [
    ("a/missing.md", "Author: A\nDate: 2014-08-15\n\nHi\n", "a/missing.comments/1.comment: there is no post a/missing.*"),
    ("a/one.md", "Author: A\nDate: 2014-13-45\n\nHi\n", "a/one.comments/1.comment:2: cannot read the date"),
    ("a/one.md", "Date: 2014-08-15\n\nHi\n", "a/one.comments/1.comment: no 'Author:' line"),
])
def test_bad_comment_files_fail_the_build_naming_them(content, tmp_path, post_file, body, expected):
    write_post(content, "a/one.md", "One", "2014-08-14 19:20")
    folder = content / (post_file.rsplit(".", 1)[0] + ".comments")
    folder.mkdir(parents=True)
    (folder / "1.comment").write_text(body, encoding="utf-8")
    assert expected in failing_build(content, tmp_path / "output")
    assert not (tmp_path / "output").exists()


def test_a_latin1_comment_file_fails_the_build_like_a_post(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-14 19:20")
    (content / "a/one.comments").mkdir()
    (content / "a/one.comments/1.comment").write_bytes("Author: Andr\u00e9\nDate: 2014-08-15\n\nHi\n".encode("latin-1"))
    assert "a/one.comments/1.comment:1: not UTF-8" in failing_build(content, tmp_path / "output")


def test_a_drafts_comments_stay_hidden_with_it(content, build):
    write_post(content, "a/one.md", "One", "2014-08-14 19:20")
    write_post(content, "a/secret.md", "Secret", "2014-08-14 19:20", status="draft")
    comment(content, "a/secret.md", "1", "Mallory", "2014-08-15 10:00", "Psst.")
    built = build(content)
    assert "Mallory" not in built.file("comments/index.html").read_text(encoding="utf-8")
    assert feedparser.parse(built.file("comments/index.rss").read_bytes()).entries == []


SPACED_SCRIPT = "\n\n".join(f'<a href="{space}javascript:alert({n})">link {n}</a>' for n, space in enumerate(
    ["&nbsp;", "\u00a0", "\u2028", "\u3000", "\u1680", "\u2003", "\u205f", "&#x2029;", "\u180e", "\ufeff"]))


def test_no_space_before_javascript_makes_a_live_link_anywhere(content, build):
    write_post(content, "a/one.md", "One", "2014-08-14 19:20")
    comment(content, "a/one.md", "spaced", "Mallory", "2014-08-15 09:00", SPACED_SCRIPT)
    site = build(content)
    description = ET.fromstring(site.file("comments/index.rss").read_bytes()).find("channel/item/description").text
    for where, html in [("post page", site.file("a/one.html").read_text(encoding="utf-8")),
                        ("recent comments", site.file("comments/index.html").read_text(encoding="utf-8")),
                        ("comments feed", description)]:
        # As a browser parses it (html5lib) and as Python's parser does.
        for links in ([a.get("href") for a in html5lib.parse(html, namespaceHTMLElements=False).iter("a")],
                      [a.get("href") for a in BeautifulSoup(html, "html.parser").find_all("a")]):
            assert not [href for href in links if href and "alert(" in href], where
        assert "link 9" in BeautifulSoup(html, "html.parser").get_text(), where  # shown as text
