"""Turn the articles Pelican read into :class:`~midcycle.model.Post` values.

This is the only module that knows what a Pelican article looks like. It
reads the content contract (path from the folder, slug from the file stem,
tags, series) and reports what breaks it, naming the file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from typing import Any

from .model import Post
from .rewrite import absolute_links
from .urls import Links, post_file
from .write import unsafe_reason


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def post_from_article(article: Any, links: Links) -> tuple[Post | None, list[str]]:
    """Convert one article; return ``(post, [])`` or ``(None, problems)``."""
    source = article.relative_source_path.replace("\\", "/")
    path = posixpath.dirname(source)
    stem = posixpath.splitext(posixpath.basename(source))[0]
    # Pelican always invents a slug; only an explicit ``Slug:`` line overrides
    # the file stem, so editing a title never moves a permalink.
    slug = _text(article.metadata.get("slug")) or stem
    problems = []
    for what, value in (("slug", slug), ("path", path)):
        if value and unsafe_reason(f"{value}/x.html"):
            problems.append(f"{source}: unusable {what} {value!r}")
    if "/" in slug:
        problems.append(f"{source}: a slug may not contain '/': {slug!r}")
    if problems:
        return None, problems

    tags = tuple(dict.fromkeys(_text(t) for t in getattr(article, "tags", ()) if _text(t)))
    author = getattr(article, "author", None)
    post = Post(
        source=source,
        path=path,
        slug=slug,
        title=_text(article.title),
        date=article.date,
        tags=tags,
        body=absolute_links(article.content, links.file(post_file(path, slug))),
        series=_text(article.metadata.get("series")) or None,
        modified=getattr(article, "modified", None),
        author=_text(author.name if author is not None else ""),
    )
    return post, []


def posts_from_articles(articles: Iterable[Any], links: Links) -> tuple[list[Post], list[str]]:
    posts, problems = [], []
    for article in articles:
        post, found = post_from_article(article, links)
        problems.extend(found)
        if post is not None:
            posts.append(post)
    return posts, problems
