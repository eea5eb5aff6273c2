"""A post's summary as plain text: for feeds' ``<summary>``/``<description>``
and pages' meta description.

The author's ``Summary:`` line wins (Pelican has turned its Markdown into
HTML); otherwise the first paragraph of the body. Both are HTML that
Python-Markdown (or an imported post) wrote, so the text is taken with two
regular expressions rather than a parser: this runs for every post on every
build, and a parser would cost about a second at 10,000 posts. The result is
text, escaped wherever it is shown, so a tag this misses can only show up as
text, never as markup.
"""

from __future__ import annotations

import html
import re

from .text import xml_text

_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p\s*>", re.DOTALL | re.IGNORECASE)
#: Tags that separate words; other tags (``em``, ``a``) sit inside a word's run.
_BREAK = re.compile(r"</?(?:p|div|br|hr|li|ul|ol|dd|dt|dl|h[1-6]|blockquote|pre|table|tr|td|th)\b[^>]*>",
                    re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, whitespace collapsed to single spaces."""
    text = html.unescape(_TAG.sub("", _BREAK.sub(" ", fragment)))
    # A character reference in the body may decode to what XML cannot hold.
    return " ".join(xml_text(text).split())


def plain_summary(summary_html: str | None, body: str) -> str:
    """The ``Summary:`` line's text if there is one, else the text of the
    body's first non-empty paragraph; ``""`` if the body has none."""
    if summary_html and (text := plain_text(summary_html)):
        return text
    for match in _PARAGRAPH.finditer(body):
        if text := plain_text(match.group(1)):
            return text
    return ""


def shortened(text: str, most: int) -> str:
    """``text`` cut at a word boundary to at most ``most`` characters, an
    ellipsis marking the cut (a meta description is best under about 160)."""
    if len(text) <= most:
        return text
    cut = text[: most - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"
