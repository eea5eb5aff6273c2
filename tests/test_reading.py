"""reading.Converter: Markdown to HTML with every link absolute, whether
Markdown made the element or the author wrote raw HTML."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown import Markdown
from pygments.formatters.html import HtmlFormatter

from midcycle.reading import Converter, SharedStylesHtmlFormatter, markdown_options

SETTINGS = {"SITEURL": "https://blog.example.org",
            "MARKDOWN": {"extensions": ["markdown.extensions.meta", "markdown.extensions.extra"]}}

POST = """Title: Bowls
Date: 2014-08-13 10:00
{slug}
See [the last one](older.html), ![a bowl](images/bowl.png "Bowl") and [notes](#notes).

<p><a href="../index.html">up</a> <img src="raw.png" srcset="raw.png 1x, big/raw.png 2x" alt=""></p>

[Away](https://example.org/x) and [mail](mailto:me@example.org).
"""


def urls(html: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return {"href": [a["href"] for a in soup.find_all("a")],
            "src": [img["src"] for img in soup.find_all("img")],
            "srcset": [img["srcset"] for img in soup.find_all("img") if img.has_attr("srcset")]}


def convert(tmp_path, name: str, text: str) -> tuple[str, dict, list[str]]:
    """Convert ``text`` as the post ``name`` of a content folder ``tmp_path``:
    its HTML, its metadata and where its links point."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    html, meta, _images, links = Converter({**SETTINGS, "PATH": str(tmp_path)}).convert(str(path), name)
    return html, meta, links


def test_links_resolve_against_the_permalink(tmp_path):
    html, meta, links = convert(tmp_path, "wood/turning/bowls.md", POST.format(slug=""))
    base = "https://blog.example.org/wood/turning/"
    assert meta["title"] == ["Bowls"]
    # Where the links and images point, Markdown's and the raw HTML's, for
    # the build's check of links into the site.
    assert links == [base + "older.html", base + "images/bowl.png", base + "bowls.html#notes",
                     "https://example.org/x", "mailto:me@example.org",
                     "https://blog.example.org/wood/index.html", base + "raw.png", base + "raw.png",
                     base + "big/raw.png"]
    assert urls(html) == {
        "href": [base + "older.html", base + "bowls.html#notes", "https://blog.example.org/wood/index.html",
                 "https://example.org/x", "mailto:me@example.org"],
        "src": [base + "images/bowl.png", base + "raw.png"],
        "srcset": [f"{base}raw.png 1x, {base}big/raw.png 2x"],
    }


def test_a_slug_line_moves_the_base_and_one_converter_serves_many_files(tmp_path):
    converter = Converter({**SETTINGS, "PATH": str(tmp_path)})
    for name, slug, expected in [("a/one.md", "Slug: first", "https://blog.example.org/a/first.html#notes"),
                                 ("b/two.md", "", "https://blog.example.org/b/two.html#notes")]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(POST.format(slug=slug), encoding="utf-8")
        html, meta, _images, links = converter.convert(str(path), name)
        assert urls(html)["href"][1] == expected
        assert expected in links
        # Metadata of one file never leaks into the next.
        assert ("slug" in meta) == bool(slug)


def test_backslash_escaped_characters_survive_in_links(tmp_path):
    text = "Title: Escapes\nDate: 2014-08-13 10:00\n\n[top](\\#top), [under](\\_x.html) and [up](\\.\\./x.html).\n"
    html, _meta, _links = convert(tmp_path, "a/escapes.md", text)
    assert urls(html)["href"] == ["https://blog.example.org/a/escapes.html#top",
                                  "https://blog.example.org/a/_x.html", "https://blog.example.org/x.html"]


def test_nothing_of_one_post_reaches_the_next(tmp_path):
    settings = {**SETTINGS, "PATH": str(tmp_path),
                "MARKDOWN": {"extensions": ["markdown.extensions.meta", "markdown.extensions.extra",
                                            "markdown.extensions.toc"]}}
    converter = Converter(settings)
    first = ("Title: First\nDate: 2014-08-13 10:00\nSummary: one\n\n[TOC]\n\n# Lathe\n\n"
             "HTML here[^1].\n\n[^1]: A note.\n\n*[HTML]: Hyper Text Markup Language\n")
    second = "Title: Second\nDate: 2014-08-14 10:00\n\n[TOC]\n\n# Bowls\n\nHTML there[^1].\n"
    results = []
    for name, text in (("a/first.md", first), ("a/second.md", second)):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
        results.append(converter.convert(str(tmp_path / name), name))
    (first_html, first_meta, _, first_links), (second_html, second_meta, _, second_links) = results
    assert BeautifulSoup(first_html, "html.parser").find("abbr") is not None
    soup = BeautifulSoup(second_html, "html.parser")
    assert soup.find("abbr") is None, "an abbreviation of the first post leaked"
    assert soup.select(".footnote") == [] and "[^1]" in soup.get_text(), "a footnote of the first post leaked"
    assert [a.get_text() for a in soup.select(".toc a")] == ["Bowls"]
    assert "summary" in first_meta and "summary" not in second_meta
    assert not set(first_links) & set(second_links), "links of the first post leaked"


def pelican_settings(tmp_path) -> dict:
    from pelican.settings import read_settings
    return read_settings(None, override={"PATH": str(tmp_path), "SITEURL": SETTINGS["SITEURL"]})


def test_html_posts_get_absolute_links_too(tmp_path):
    from pelican.readers import HTMLReader

    from midcycle.reading import AbsoluteLinksReader

    page = tmp_path / "wood" / "old-entry.html"
    page.parent.mkdir()
    page.write_text('<html><head><title>Old</title><meta name="date" content="2006-01-02 10:00">'
                    '<meta name="slug" content="kept"></head>'
                    '<body><p><a href="other.html">o</a> <img src="pics/a.png" alt=""></p></body></html>',
                    encoding="utf-8")
    content, metadata = AbsoluteLinksReader(HTMLReader(pelican_settings(tmp_path))).read(str(page))
    assert metadata["title"] == "Old"
    assert metadata["midcycle_links"] == ("https://blog.example.org/wood/other.html",
                                          "https://blog.example.org/wood/pics/a.png")
    # Resolved against the permalink, which the Slug: moved.
    assert urls(content) == {"href": ["https://blog.example.org/wood/other.html"],
                             "src": ["https://blog.example.org/wood/pics/a.png"], "srcset": []}


def test_read_post_turns_many_files_into_posts_with_one_set_of_readers(tmp_path):
    from midcycle.reading import midcycle_readers, read_post

    settings = pelican_settings(tmp_path)
    readers = midcycle_readers(settings)
    for number in (1, 2, 3):
        data = (f"Title: Post {number}\nDate: 2014-08-1{number} 10:00\nTags: a, b\nSummary: *Short* {number}\n"
                f"\nBody {number} [link](other.html).\n").encode()
        (tmp_path / "wood" / f"p{number}.md").parent.mkdir(exist_ok=True)
        (tmp_path / "wood" / f"p{number}.md").write_bytes(data)
        post, images, problems = read_post(readers, str(tmp_path), f"wood/p{number}.md", data)
        assert problems == [] and images == ()
        assert (post.key, post.title, post.tags) == (f"wood/p{number}", f"Post {number}", ("a", "b"))
        assert post.body == f'<p>Body {number} <a href="https://blog.example.org/wood/other.html">link</a>.</p>'
        # Formatted fields are converted as Markdown, post after post; the summary is their text.
        assert post.summary == f"Short {number}"
        assert post.links == ("https://blog.example.org/wood/other.html",)


def test_read_post_names_the_file_and_the_reason(tmp_path):
    from midcycle.reading import midcycle_readers, read_post

    readers = midcycle_readers(pelican_settings(tmp_path))
    post, _images, problems = read_post(readers, str(tmp_path), "a/bad.md", b"Title: T\nDate: 2014-02-30\n\nx\n")
    assert post is None and problems and problems[0].startswith("a/bad.md:2: cannot read the date")


CODE = """Title: Code
Date: 2014-08-13 10:00

```python
import os
def f(x):
    return x + 1  # one more
```

    :::bash
    ls -la ~/bowls
"""


def test_highlighted_code_is_what_pygments_own_formatter_makes():
    # midcycle hands codehilite a formatter that shares its style's class
    # table between code blocks; the HTML must be what Pygments' own
    # formatter, by name, makes from the same settings, in every style.
    for options in ({"css_class": "highlight"}, {"noclasses": True, "pygments_style": "monokai"},
                    {"css_class": "code", "linenums": True}):
        settings = {"MARKDOWN": {"extensions": ["markdown.extensions.codehilite", "markdown.extensions.extra"],
                                 "extension_configs": {"markdown.extensions.codehilite": options}}}
        given = markdown_options(settings)
        assert given["extension_configs"]["markdown.extensions.codehilite"]["pygments_formatter"] \
            is SharedStylesHtmlFormatter
        assert settings["MARKDOWN"]["extension_configs"]["markdown.extensions.codehilite"] == options  # untouched
        ours = Markdown(**given)
        theirs = Markdown(**settings["MARKDOWN"])
        body = CODE.split("\n\n", 1)[1]
        for _twice in range(2):  # the second time from the shared table
            ours.reset()
            html = ours.convert(body)
            assert html == theirs.reset().convert(body)
        assert "<span" in html and ("style=" in html) == bool(options.get("noclasses"))
    # A formatter of the author's own stays theirs.
    mine = {"MARKDOWN": {"extension_configs": {"codehilite": {"pygments_formatter": HtmlFormatter}}}}
    assert markdown_options(mine)["extension_configs"]["codehilite"]["pygments_formatter"] is HtmlFormatter
