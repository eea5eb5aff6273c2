"""Links between content files ({filename}, {static}): the placeholders
written when a post is read, resolved when the site is built."""

from __future__ import annotations

import datetime

from bs4 import BeautifulSoup

from conftest import SITEURL, failing_build, write_post
from midcycle.crosslinks import Targets, placeholder, target_file
from midcycle.model import Post
from midcycle.store import PostStore, Reading
from midcycle.rewrite import absolute_links

URLS = {"openstack/juno/db2.md": "http://x/openstack/juno/db2-support.html", "pages/about.md": "http://x/about.html",
        "café/menu.md": "http://x/caf%C3%A9/menu.html"}
TARGETS = Targets({name: (lambda url=url: url) for name, url in URLS.items()}, {"openstack/juno/draft.md"},
                  lambda name: f"http://x/{name}" if name == "openstack/juno/img/a b.png" else None)


def test_pelicans_link_syntax_becomes_a_placeholder_and_nothing_else_does():
    for link in ("{filename}db2.md", "|filename|db2.md", " {static}img/a.png ", "{tag}nova"):
        assert placeholder(link) is not None, link
    for link in ("db2.md", "https://x/{filename}", "{filename", "filename}x", "{}x"):
        assert placeholder(link) is None, link
    # Only characters that need no escaping in HTML, whatever the target holds.
    made = placeholder('{filename}a "b" <c>&d.md#é')
    assert made.startswith("midcycle-file:filename:") and not set(made) & set("\"'<>& {}#")


def test_a_target_is_relative_to_the_linking_files_folder_or_to_the_content_folder():
    assert target_file("openstack/juno/a.md", "db2.md") == "openstack/juno/db2.md"
    assert target_file("openstack/juno/a.md", "../kilo/b.md") == "openstack/kilo/b.md"
    assert target_file("openstack/juno/a.md", "/pages/about.md") == "pages/about.md"
    assert target_file("top.md", "./wood//b.md") == "wood/b.md"
    assert target_file("a/b.md", "img/a%20b.png") == "a/img/a b.png"  # written as a URL
    assert target_file("a/b.md", "cafe\u0301/menu.md") == "a/caf\u00e9/menu.md"  # one spelling of é
    for outside in ("../../x.md", "../..", "/../x.md"):
        assert target_file("a/b.md", outside) is None, outside
    assert target_file("top.md", ".") is None  # the content folder itself


def test_placeholders_resolve_to_permalinks_and_static_files():
    body = "".join(f'<a href="{placeholder(link)}">x</a>' for link in (
        "{filename}db2.md#part-2", "{filename}/pages/about.md", "{static}img/a%20b.png?v=1",
        '{filename}db2.md#say"hi"', "{filename}../../café/menu.md"))
    resolved, problems = TARGETS.resolve("openstack/juno/a.md", body)
    assert problems == []
    assert [a["href"] for a in BeautifulSoup(resolved, "html.parser").select("a")] == [
        "http://x/openstack/juno/db2-support.html#part-2", "http://x/about.html",
        "http://x/openstack/juno/img/a b.png?v=1", 'http://x/openstack/juno/db2-support.html#say"hi"',
        "http://x/caf%C3%A9/menu.html"]
    assert 'say&quot;hi&quot;' in resolved


def test_a_link_to_nothing_is_an_error_naming_the_linking_file():
    links = ["{filename}gone.md", "{filename}draft.md", "{filename}../../../etc/passwd", "{tag}nova", "{static}"]
    body = "".join(f'<img src="{placeholder(link)}">' for link in links)
    _resolved, problems = TARGETS.resolve("openstack/juno/a.md", body)
    assert problems == [
        "openstack/juno/a.md: cannot link {filename}gone.md: there is no file openstack/juno/gone.md in the content folder",
        "openstack/juno/a.md: cannot link {filename}draft.md: openstack/juno/draft.md is not published "
        "(a draft, or dated in the future)",
        "openstack/juno/a.md: cannot link {filename}../../../etc/passwd: it leads out of the content folder",
        "openstack/juno/a.md: cannot link {tag}nova: {tag} links are not supported; use {filename} or {static}",
        "openstack/juno/a.md: cannot link {static}: the link names no file",
    ]


def test_comments_get_no_placeholders():
    """A commenter's {filename} is no link to the author's files."""
    html = '<a href="{filename}secret.md">x</a>'
    assert "midcycle-file:" in absolute_links(html, "http://x/a/b.html")
    assert "midcycle-file:" not in absolute_links(html, "http://x/a/b.html", files=False)


def test_posts_link_posts_pages_and_files_by_their_file(content, build):
    write_post(content, "openstack/juno/db2.md", "DB2", "2014-08-14 19:20", slug="db2-support")
    write_post(content, "openstack/juno/cells.md", "Cells", "2014-08-15 10:00", body="""
        See [DB2]({filename}db2.md#notes), [the same]({filename}/openstack/juno/db2.md),
        [old style](|filename|db2.md), [about]({filename}../../pages/about.md) and
        ![a diagram]({static}images/cells.png).

        <p><a href="{filename}db2.md">raw HTML too</a></p>
        """)
    (content / "openstack/juno/images").mkdir()
    (content / "openstack/juno/images/cells.png").write_bytes(b"\x89PNG")
    (content / "pages").mkdir()
    (content / "pages/about.md").write_text("Title: About\n\nx\n", encoding="utf-8")
    site = build(content)
    body = site.html("openstack/juno/cells.html").select_one(".post-body")
    db2 = f"{SITEURL}/openstack/juno/db2-support.html"
    assert [a["href"] for a in body.select("a")] == [f"{db2}#notes", db2, db2, f"{SITEURL}/about.html", db2]
    assert body.select_one("img")["src"] == f"{SITEURL}/openstack/juno/images/cells.png"
    # Resolved in the feeds too, and no placeholder anywhere.
    assert f'href="{db2}#notes"' in site.file("index.atom").read_text(encoding="utf-8")
    assert not any("midcycle-file:" in site.file(name).read_text(encoding="utf-8", errors="replace")
                   for name in site.files())


def test_a_post_linking_a_draft_fails_naming_it(content, tmp_path):
    write_post(content, "a/part-1.md", "Part 1", "2014-08-14 19:20", body="Next: [part 2]({filename}part-2.md).")
    write_post(content, "a/part-2.md", "Part 2", "2014-08-15 19:20", status="draft")
    text = failing_build(content, tmp_path / "output")
    assert "a/part-1.md: cannot link {filename}part-2.md: a/part-2.md is not published" in text


def test_the_store_keeps_which_readings_have_links(tmp_path):
    """Only noted posts are resolved on a build: the note must outlive the process that read them."""
    when = datetime.datetime(2014, 8, 13, 10, tzinfo=datetime.timezone.utc)
    linking = Post("a/x.md", "a", "x", "X", when, body=f'<a href="{placeholder("{filename}y.md")}">y</a>')
    store = PostStore(tmp_path / "posts-test.sqlite")
    store.put("a/x.md", Reading(1, 2, "c1", linking, "d1", True))
    store.put("a/y.md", Reading(3, 4, "c2", Post("a/y.md", "a", "y", "Y", when), "d2", False))
    store.save()
    loaded = PostStore.load(tmp_path / "posts-test.sqlite").posts()
    assert {name: reading.links for name, reading in loaded.items()} == {"a/x.md": True, "a/y.md": False}
    assert loaded["a/x.md"].post.body == linking.body
