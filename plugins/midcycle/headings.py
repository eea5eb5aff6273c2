"""Shift a post body's headings below the post's title.

An author writes ``# Setup`` or ``## Setup`` for the first section of a
post, but a page has one ``h1`` and the post's title is its block's top
heading: on a post page the body's top heading must be ``h2``, on a
listing (listing ``h1``, day ``h2``, post title ``h3``) ``h4``. The body is
kept as read and shifted when a block is rendered, which happens only for
blocks that changed, once per build.

A regular expression rather than a parser: bodies are Python-Markdown's
output (which escapes every ``<`` in text and attribute values) or
imported HTML, so ``<h2`` starts a heading tag wherever it appears, and a
parse of every body would cost far more than this. Levels keep their
distance (``h1``/``h3`` become ``h2``/``h4``) and stop at ``h6``.
"""

from __future__ import annotations

import re

_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s/>])", re.IGNORECASE)


def shift_headings(html: str, top: int) -> str:
    """``html`` with its highest heading made level ``top`` (1 to 6) and
    every other heading moved by as much, none below ``h6``."""
    levels = [int(match.group(2)) for match in _HEADING_TAG.finditer(html)]
    if not levels:
        return html
    by = top - min(levels)
    if by == 0:
        return html
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(max(int(m.group(2)) + by, 1), 6)}", html)
