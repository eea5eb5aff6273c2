"""broken_links.py: links from posts into the site at files the build does not make."""

from __future__ import annotations

import datetime

from midcycle.broken_links import broken_links, site_file
from midcycle.model import Post


def test_site_file_maps_urls_inside_the_site_only():
    site = "https://example.org/blog"
    assert site_file("https://example.org/blog/a/b.html", site) == "a/b.html"
    assert site_file("https://example.org/blog/a/b.html#top", site) == "a/b.html"
    assert site_file("https://example.org/blog/a/b.html?x=1#top", site) == "a/b.html"
    assert site_file("https://example.org/blog/a/", site) == "a/index.html"
    assert site_file("https://example.org/blog", site) == "index.html"
    assert site_file("https://example.org/blog/", site) == "index.html"
    assert site_file("https://example.org/blog/caf%C3%A9.html", site) == "café.html"
    assert site_file("https://example.org/blog/cafe%CC%81.html", site) == "café.html"  # e + combining accent
    for outside in ("https://example.org/blogger/x.html", "https://example.org/other.html",
                    "http://example.org/blog/a/b.html", "https://example.org:8443/blog/a.html",
                    "mailto:me@example.org", "https://elsewhere.test/blog/a.html"):
        assert site_file(outside, site) is None, outside


def post(source: str, *links: str) -> Post:
    path, _, name = source.rpartition("/")
    return Post(source=source, path=path, slug=name.removesuffix(".md"), title="t",
                date=datetime.datetime(2014, 8, 3, tzinfo=datetime.timezone.utc), links=links)


def test_each_dead_link_named_with_its_post():
    site = "http://blog.test"
    posts = [post("b/two.md", f"{site}/b/draft.html", f"{site}/b/one.html#x", f"{site}/b/draft.html",
                  "https://example.org/gone.html"),
             post("a/one.md", f"{site}/a/images/missing.png", f"{site}/a", f"{site}/a/", f"{site}/tag/nova.html")]
    made = {"a/index.html", "b/one.html", "tag/nova.html"}
    assert broken_links(posts, made, site) == [
        "a/one.md: the link http://blog.test/a/images/missing.png points at a/images/missing.png, which this build "
        "does not make (a draft, a post dated in the future, a deleted or renamed file?)",
        "b/two.md: the link http://blog.test/b/draft.html points at b/draft.html, which this build does not make "
        "(a draft, a post dated in the future, a deleted or renamed file?)",
    ]
