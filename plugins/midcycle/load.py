"""Turn the articles Pelican read into :class:`~midcycle.model.Post` values,
and the files in ``content/pages/`` into :class:`~midcycle.model.Page` values.

This is the only module that knows what a Pelican article or page looks
like. It reads the content contract (path from the folder, slug from the
file stem, tags, series) and reports what breaks it, naming the file.
"""

from __future__ import annotations

import datetime
import html
import posixpath
import unicodedata
from typing import Any

from .model import Page, Post
from .text import control_character
from .summaries import plain_summary
from .urls import unsafe_reason


#: Files Pelican's HTML reader reads (imported PyBlosxom entries are these).
HTML_SUFFIXES = (".html", ".htm")

#: Where a post's links (see :func:`midcycle.rewrite.html_links`) travel from
#: the reader (reading.py) to here: in its metadata, so they are found once,
#: when the post is read, not on every build.
LINKS_KEY = "midcycle_links"


def _text(value: Any) -> str:
    """A metadata value as text, in Unicode's composed form (NFC): the same
    name typed on two machines must be one tag, one series, one URL."""
    return unicodedata.normalize("NFC", str(value).strip()) if value is not None else ""


def _series_part(metadata: dict, source: str) -> tuple[int | None, list[str]]:
    """The ``Series-Part:`` number, if any; a problem if it is not one."""
    raw = _text(metadata.get("series-part"))
    if not raw:
        return None, []
    if not _text(metadata.get("series")):
        return None, [f"{source}: Series-Part: {raw!r} given without a Series: line"]
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return None, [f"{source}: Series-Part: must be a whole number from 1 up, not {raw!r}"]
    return int(raw), []


def _text_problems(source: str, title: str, tags: tuple[str, ...], series: str | None) -> list[str]:
    """Titles, tags and series names end up in XML, which cannot hold
    control characters, and an empty title leaves nothing to link."""
    problems = [] if title else [f"{source}: the title is empty"]
    for what, value in [("title", title), ("series", series or "")] + [("tag", tag) for tag in tags]:
        bad = control_character(value)
        if bad is not None:
            problems.append(f"{source}: control character U+{ord(bad):04X} in the {what} {value!r}")
    return problems


def _plain_datetime(value: datetime.datetime | None) -> datetime.datetime | None:
    """Pelican's dates are its own ``datetime`` subclass, whose ``strftime``
    goes through Pelican's locale handling, and feedgen formats every date
    with ``strftime``; the same moment as a plain ``datetime`` is much
    cheaper to format in thousands of feeds."""
    if value is None:
        return None
    return datetime.datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                             value.microsecond, value.tzinfo, fold=value.fold)


def _names(value: Any) -> tuple[str, ...]:
    """A comma separated metadata line as its non-empty items."""
    return tuple(item for item in (_text(part) for part in _text(value).split(",")) if item)


def place_of(source: str, explicit_slug: Any) -> tuple[str, str]:
    """``(path, slug)`` of the post file ``source`` (relative to the content
    folder): its folder, and the file stem unless a ``Slug:`` line gives one,
    so editing a title never moves a permalink. Both in Unicode's composed
    form (NFC): a Mac writes ``café`` decomposed, Linux as typed, and one
    post must have one URL (and one feed id) whoever saved it."""
    stem = posixpath.splitext(posixpath.basename(source))[0]
    slug = str(explicit_slug).strip() if explicit_slug is not None else ""
    return unicodedata.normalize("NFC", posixpath.dirname(source)), unicodedata.normalize("NFC", slug or stem)


def place(article: Any) -> tuple[str, str, str]:
    """``(source, path, slug)`` of an article (Pelican always invents a
    slug; only the metadata's own ``slug`` counts)."""
    source = article.relative_source_path.replace("\\", "/")
    return (source, *place_of(source, article.metadata.get("slug")))


def _place_problems(source: str, path: str, slug: str) -> list[str]:
    """What keeps ``path`` and ``slug`` from naming a file in the output."""
    problems = [f"{source}: unusable {what} {value!r}: {reason}"
                for what, value, file in (("slug", slug, f"{slug}.html"), ("path", path, f"{path}/x.html"))
                if value and (reason := unsafe_reason(file))]
    if "/" in slug:
        problems.append(f"{source}: a slug may not contain '/': {slug!r}")
    return problems


def _title(source: str, title: Any) -> str:
    if source.lower().endswith(HTML_SUFFIXES):
        # Pelican's HTML reader keeps the <title>'s character references as
        # written ("Fish &amp; Chips"); the title is text, escaped when shown.
        return html.unescape(_text(title))
    return _text(title)


def post_from_article(article: Any) -> tuple[Post | None, list[str]]:
    """Convert one article; return ``(post, [])`` or ``(None, problems)``."""
    source, path, slug = place(article)
    problems = _place_problems(source, path, slug)
    series_part, found = _series_part(article.metadata, source)
    problems.extend(found)
    title = _title(source, article.title)
    tags = tuple(dict.fromkeys(_text(t) for t in getattr(article, "tags", ()) if _text(t)))
    series = _text(article.metadata.get("series")) or None
    problems.extend(_text_problems(source, title, tags, series))
    if problems:
        return None, problems

    author = getattr(article, "author", None)
    post = Post(
        source=source,
        path=path,
        slug=slug,
        title=title,
        date=_plain_datetime(article.date),
        tags=tags,
        # As read, links made absolute (see reading.py), and kept so.
        # Pelican's ``content`` would look for its {filename} links in every
        # body on every build; midcycle resolves those it noted when reading
        # (see crosslinks.py).
        body=article._content,
        series=series,
        series_part=series_part,
        related=_names(article.metadata.get("related")),
        modified=_plain_datetime(getattr(article, "modified", None)),
        author=_text(author.name if author is not None else ""),
        summary=plain_summary(article.metadata.get("summary"), article._content),
        links=tuple(article.metadata.get(LINKS_KEY, ())),
        draft=getattr(article, "status", "published") == "draft",
    )
    return post, []


def page_from_content(page: Any) -> tuple[Page | None, list[str]]:
    """Convert one of Pelican's pages (read from ``content/pages/``);
    return ``(page, [])``, ``(None, problems)``, or ``(None, [])`` for a
    draft, which is published nowhere."""
    source = page.relative_source_path.replace("\\", "/")
    status = _text(page.metadata.get("status")).lower() or "published"
    if status == "draft":
        return None, []
    _path, slug = place_of(source, page.metadata.get("slug"))
    title = _title(source, page.metadata.get("title"))
    problems = _place_problems(source, "", slug) + _text_problems(source, title, (), None)
    if problems:
        return None, problems
    return Page(source=source, slug=slug, title=title, body=page._content, listed=status != "hidden",
                summary=plain_summary(page.metadata.get("summary"), page._content)), []
