"""Pages beside the posts (issue 16): files in content/pages/ become
/{slug}.html, listed in the navigation, with no date, tags or feeds, and
the same checks as posts."""

from __future__ import annotations

import feedparser
import pytest

from conftest import SITEURL, failing_build, run_build, write_post


def write_page(content, name: str, text: str) -> None:
    path = content / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def navigation(soup) -> list[tuple[str, str]]:
    """The pages the header lists, after the paths, Tags, Series, Archives, Feeds and Search."""
    return [(a.get_text(), a["href"]) for a in soup.select("nav.site-nav a")]


def test_pages_are_published_at_the_top_and_listed_in_the_navigation(content, build):
    write_post(content, "openstack/juno/db2.md", "DB2 support", "2014-08-14 19:20", tags="db2, nova")
    write_page(content, "about.md", "Title: About this blog\nDate: 2014-01-01 10:00\nTags: db2\n\n"
                                    "Who writes here, and *why*.\n")
    write_page(content, "contact.md", "Title: contact\nSlug: write-to-me\n\nBy mail.\n")
    write_page(content, "thanks.md", "Title: Thanks\nStatus: hidden\n\nThank you for writing.\n")
    write_page(content, "later.md", "Title: Not yet\nStatus: draft\n\nComing.\n")
    site = build(content)

    about = site.html("about.html")
    assert about.select_one("h1.page-title").get_text() == "About this blog"
    assert about.select_one(".page-body em").get_text() == "why"
    assert about.title.get_text() == "About this blog - Robin's midcycle notes"
    # No date, tags, related posts or permalink line: a page is not a post.
    assert not about.select("time, .post-tags, .post-related, .post-meta, .day-header")
    assert site.html("write-to-me.html").select_one("h1").get_text() == "contact"
    assert not site.exists("contact.html")
    assert site.html("thanks.html").select_one("h1").get_text() == "Thanks"
    assert not site.exists("later.html")
    assert not any(name.startswith("pages/") for name in site.files())  # the sources are not copied

    # Listed pages, by title ignoring case, on every page of the site.
    listed = [("About this blog", f"{SITEURL}/about.html"), ("contact", f"{SITEURL}/write-to-me.html")]
    for name in ("index.html", "openstack/juno/db2.html", "tag/db2.html", "about.html", "thanks.html"):
        assert navigation(site.html(name))[6:] == listed, name  # after openstack, Tags ... Search

    # No feed, tag page or listing holds a page.
    for feed in ("index.rss", "index.atom", "tag/db2.atom"):
        assert [entry.title for entry in feedparser.parse(str(site.file(feed))).entries] == ["DB2 support"]
    assert [a.get_text() for a in site.html("tag/index.html").select(".tag-index a")] == ["db2", "nova"]
    assert len(site.html("index.html").select("article")) == 1


def test_links_in_pages_are_relative_to_their_file(content, build):
    """A page's file is in content/pages/: an image beside it is linked
    where Pelican copies it, and {filename} links reach posts and pages."""
    write_post(content, "wood/bowl.md", "A bowl", "2014-08-14 19:20",
               body="Who turns: [about]({filename}/pages/about.md#me).")
    write_page(content, "about.md", "Title: About\n\n![Me](images/me.png) Read [the bowl]({filename}../wood/bowl.md) "
                                    "or [contact]({filename}contact.md).\n")
    write_page(content, "contact.md", "Title: Contact\n\nMail.\n")
    (content / "pages/images").mkdir()
    (content / "pages/images/me.png").write_bytes(b"\x89PNG me")
    site = build(content)
    about = site.html("about.html")
    assert about.select_one(".page-body img")["src"] == f"{SITEURL}/pages/images/me.png"
    assert site.file("pages/images/me.png").read_bytes() == b"\x89PNG me"
    assert [a["href"] for a in about.select(".page-body a")] == [f"{SITEURL}/wood/bowl.html",
                                                                 f"{SITEURL}/contact.html"]
    assert site.html("wood/bowl.html").select_one(".post-body a")["href"] == f"{SITEURL}/about.html#me"


@pytest.mark.parametrize("files, expected", [
    # Another output at the same place: both sources named.
    ({"pages/index.md": "Title: Home\n\nx\n"},
     "two sources for one output file: index listing"),
    ({"pages/about.md": "Title: About\n\nx\n", "about.md": "Title: Post\nDate: 2014-08-13 10:00\n\nx\n"},
     "two sources for one output file: about.md (about.html) and pages/about.md (about.html)"),
    ({"pages/About.md": "Title: About\n\nx\n", "pages/about.html":
      "<html><head><title>Other</title></head><body>x</body></html>"},
     "two sources for one output file: pages/About.md (About.html) and pages/about.html (about.html)"),
    ({"pages/wood.md": "Title: Wood\n\nx\n", "wood/a.md": "Title: A\nDate: 2014-08-13 10:00\n\nx\n"},
     None),  # a page named like a path is no clash: the path's page is wood/index.html
    ({"pages/x.md": "Title: A\x07bell\n\nx\n"}, "pages/x.md:1: control character U+0007 in the file"),
    ({"pages/x.md": "Slug: about\n\nx\n"}, "pages/x.md: no 'Title:' line in the metadata"),
    ({"pages/x.md": "Title: X\nStatus: secret\n\nx\n"},
     "pages/x.md:2: unknown status 'secret'; use one of: published, hidden, draft"),
    ({"pages/x.md": "Title: X\nDate: 2014-02-30\n\nx\n"}, "pages/x.md:2: cannot read the date '2014-02-30'"),
    ({"pages/x.md": b"Title: caf\xe9\n\nx\n"}, "pages/x.md:1: not UTF-8 (byte 0xe9)"),
    ({"pages/x.md": "Title: X\nSlug: ../../etc/x\n\nx\n"}, "pages/x.md: a slug may not contain '/'"),
    ({"pages/x.md": f"Title: X\nSlug: {'é' * 126}\n\nx\n"}, "pages/x.md: unusable slug"),
    ({"pages/team/alice.md": "Title: Alice\n\nx\n"}, "pages/team/alice.md: a page lives directly in pages/"),
    ({"pages/x.md": "Title: X\n\n[gone]({filename}gone.md)\n"},
     "pages/x.md: cannot link {filename}gone.md: there is no file pages/gone.md in the content folder"),
])
def test_pages_get_the_checks_posts_get(content, build, tmp_path, files, expected):
    write_post(content, "wood/a-post.md", "A post", "2014-08-12 10:00")
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    if expected is None:
        site = build(content)
        assert site.html("wood.html").select_one("h1").get_text() == "Wood"
        assert site.exists("wood/index.html")
        return
    text = failing_build(content, tmp_path / "output")
    assert expected in text


def test_a_post_path_named_pages_is_impossible(content, tmp_path):
    """content/pages/ holds pages: a post there would have no date to need,
    and a dated file in pages/ is a page, never a post at /pages/..."""
    write_post(content, "pages/news.md", "News", "2014-08-13 10:00", tags="x")
    output = tmp_path / "output"
    assert run_build(content, output).returncode == 0
    assert (output / "news.html").is_file()
    assert not (output / "pages").exists()
    assert not (output / "tag/x.html").exists()
