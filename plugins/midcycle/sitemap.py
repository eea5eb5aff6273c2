"""``sitemap.xml`` and ``robots.txt``: what search engines are told to crawl.

The sitemap lists every post and every listing page once, each with the
date it last changed (a post's ``Modified:``, else its ``Date:``; a
listing's newest post), so crawlers come back for what changed and
nothing else. The sitemap protocol allows 50,000 URLs per file; a bigger
site gets ``sitemap.xml`` as an index of numbered sitemaps beside it.
Written line by line, every URL escaped (ElementTree took 0.7 s for the
28,000 URLs of 10,000 posts, and the sitemap changes with every new post);
no clock is read, so an unchanged site gives the same bytes.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import escape

from . import urls

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
#: The protocol's limit of URLs in one sitemap file.
MOST_URLS = 50_000

Entry = tuple[str, "datetime.datetime | None"]
"""An output file (relative, ``/``-separated) and when what it shows last
changed (``None``: nothing dated shows there yet)."""


def _document(root: str, tag: str, items: Iterable[tuple[str, datetime.datetime | None]]) -> bytes:
    """A sitemap document: ``root`` holding a ``tag`` element for each
    ``(url, lastmod)`` of ``items``."""
    lines = ["<?xml version='1.0' encoding='utf-8'?>", f'<{root} xmlns="{NAMESPACE}">']
    for url, lastmod in items:
        lines += [f"  <{tag}>", f"    <loc>{escape(url, quote=False)}</loc>"]
        if lastmod is not None:
            lines.append(f"    <lastmod>{lastmod.isoformat(timespec='seconds')}</lastmod>")
        lines.append(f"  </{tag}>")
    lines.append(f"</{root}>\n")
    return "\n".join(lines).encode("utf-8")


def sitemap_parts(entries: Iterable[Entry], most: int = MOST_URLS) -> dict[str, list[Entry]]:
    """Which file lists which entries, each once, sorted by file:
    ``sitemap.xml`` alone when they fit in one file, else ``sitemap-1.xml``,
    ``sitemap-2.xml``, ... (which ``sitemap.xml`` then lists, see
    :func:`sitemap_index`)."""
    ordered = sorted(dict(entries).items(), key=lambda entry: entry[0])
    if len(ordered) <= most:
        return {urls.SITEMAP_FILE: ordered}
    return {urls.sitemap_part_file(number): ordered[start : start + most]
            for number, start in enumerate(range(0, len(ordered), most), start=1)}


def urlset(entries: Sequence[Entry], url: Callable[[str], str]) -> bytes:
    """One sitemap listing ``entries``, ``url`` making each file a URL."""
    return _document("urlset", "url", ((url(file), lastmod) for file, lastmod in entries))


def sitemap_index(parts: Mapping[str, Sequence[Entry]], url: Callable[[str], str]) -> bytes:
    """``sitemap.xml`` for a site that needs several sitemaps: it lists them."""
    return _document("sitemapindex", "sitemap",
                     ((url(file), max((lastmod for _file, lastmod in entries if lastmod), default=None))
                      for file, entries in parts.items()))


def robots_txt(sitemap_url: str) -> bytes:
    """Every crawler may read everything; the sitemap says where it all is."""
    return f"User-agent: *\nDisallow:\n\nSitemap: {sitemap_url}\n".encode()
