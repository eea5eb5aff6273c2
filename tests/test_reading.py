"""reading.Converter: Markdown to HTML with every link absolute, whether
Markdown made the element or the author wrote raw HTML."""

from __future__ import annotations

from bs4 import BeautifulSoup

from midcycle.reading import Converter

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


def convert(tmp_path, name: str, text: str) -> tuple[str, dict]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return Converter(SETTINGS).convert(str(path), name)


def test_links_resolve_against_the_permalink(tmp_path):
    html, meta = convert(tmp_path, "wood/turning/bowls.md", POST.format(slug=""))
    base = "https://blog.example.org/wood/turning/"
    assert meta["title"] == ["Bowls"]
    assert urls(html) == {
        "href": [base + "older.html", base + "bowls.html#notes", "https://blog.example.org/wood/index.html",
                 "https://example.org/x", "mailto:me@example.org"],
        "src": [base + "images/bowl.png", base + "raw.png"],
        "srcset": [f"{base}raw.png 1x, {base}big/raw.png 2x"],
    }


def test_a_slug_line_moves_the_base_and_one_converter_serves_many_files(tmp_path):
    converter = Converter(SETTINGS)
    for name, slug, expected in [("a/one.md", "Slug: first", "https://blog.example.org/a/first.html#notes"),
                                 ("b/two.md", "", "https://blog.example.org/b/two.html#notes")]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(POST.format(slug=slug), encoding="utf-8")
        html, meta = converter.convert(str(path), name)
        assert urls(html)["href"][1] == expected
        # Metadata of one file never leaks into the next.
        assert ("slug" in meta) == bool(slug)
