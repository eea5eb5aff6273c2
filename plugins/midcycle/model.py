"""The site model: posts as frozen values and the indexes derived from them.

Everything here is plain data. The model is built once per build from the
posts Pelican read and never changed afterwards; renderers only read it.
Indexes hold post keys (``"openstack/juno/db2-support"``), not post objects,
so they stay cheap to compare and easy to test.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from .comments import Comment
from .errors import BuildError
from .fingerprint import digest
from .paths import path_tree
from .related import related_index
from .series import series_index

if TYPE_CHECKING:
    from .memo import LatestResult as Memo


@dataclass(frozen=True, slots=True)
class Post:
    """One published post, as the rest of the plugin sees it."""

    source: str
    """The file it came from, relative to the content folder (for errors)."""
    path: str
    """The folder under ``content/``: ``"openstack/juno"``, ``""`` at the top."""
    slug: str
    title: str
    date: datetime.datetime
    """Timezone-aware; the post's own local time."""
    tags: tuple[str, ...] = ()
    body: str = ""
    """Rendered HTML, links already absolute against the permalink."""
    series: str | None = None
    series_part: int | None = None
    """An explicit position in the series (``Series-Part:``), overriding the date order."""
    related: tuple[str, ...] = ()
    """Posts named by a ``Related:`` line, pinned first: URL paths as the
    author wrote them (see :func:`midcycle.related.pin_key`)."""
    modified: datetime.datetime | None = None
    author: str = ""
    summary: str = ""
    """Plain text: the ``Summary:`` line, else the body's first paragraph
    (see :mod:`midcycle.summaries`); escaped wherever it is shown."""

    @property
    def key(self) -> str:
        """The permalink path without ``.html``; unique across the site."""
        return f"{self.path}/{self.slug}" if self.path else self.slug


def newest_first(posts: Iterable[Post]) -> list[Post]:
    """Sort posts newest first; equal dates fall back to the key, so the
    order is total and two builds of the same content agree."""
    return sorted(posts, key=lambda p: (p.date, p.key), reverse=True)


@dataclass(frozen=True)
class Site:
    """All published posts and every index the pages and feeds are made of.

    Each index maps a name to post keys, newest first unless noted.
    """

    posts: Mapping[str, Post]
    timeline: tuple[str, ...]
    paths: Mapping[str, tuple[str, ...]]
    """Every path at every level, holding its own posts and its descendants'."""
    tags: Mapping[str, tuple[str, ...]]
    """Tag name (as the author spelt it) to posts."""
    archives: Mapping[tuple[int, ...], tuple[str, ...]]
    """``(year,)``, ``(year, month)`` and ``(year, month, day)`` to posts."""
    series: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Series name to posts, oldest (part 1) first."""
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Post key to the keys of its related posts, best first."""
    comments: Mapping[str, tuple[Comment, ...]] = field(default_factory=dict)
    """Post key to its comments, oldest first; posts without any are absent."""

    @cached_property
    def digests(self) -> dict[str, str]:
        """Per post, a digest of all its fields, for outputs to sum up what
        they show without hashing whole posts again (see fingerprint.digest)."""
        return {key: digest(post) for key, post in self.posts.items()}

    def lookup(self, keys: Iterable[str]) -> list[Post]:
        return [self.posts[key] for key in keys]


def date_archives(posts: Iterable[Post]) -> dict[tuple[int, ...], tuple[str, ...]]:
    """Group post keys by year, month and day of their local date."""
    archives: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for post in newest_first(posts):
        d = post.date
        for period in ((d.year,), (d.year, d.month), (d.year, d.month, d.day)):
            archives[period].append(post.key)
    return {period: tuple(keys) for period, keys in sorted(archives.items())}


def tag_index(posts: Iterable[Post]) -> dict[str, tuple[str, ...]]:
    tags: dict[str, list[str]] = defaultdict(list)
    for post in newest_first(posts):
        for tag in post.tags:
            tags[tag].append(post.key)
    return {tag: tuple(keys) for tag, keys in sorted(tags.items())}


def permalink_problems(posts: Iterable[Post]) -> list[str]:
    """Two posts with one path and slug would share one permalink."""
    sources: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        sources[post.key.casefold()].append(post.source)
    return [f"{' and '.join(sorted(names))}: these posts have the same permalink {key}.html"
            for key, names in sorted(sources.items()) if len(names) > 1]


def build_site(posts: Iterable[Post], related_max: int = 6,
               comments: Mapping[str, tuple[Comment, ...]] | None = None, workers: int = 1,
               related_memo: Memo | None = None) -> Site:
    """Build the immutable site model from published posts and their
    comments (see :func:`midcycle.comments.attach_comments`); ``workers``
    processes rank related posts, unless ``related_memo`` holds the lists
    ranked from the same inputs before.

    Raises :class:`BuildError` listing every problem the posts have between
    them (one permalink for two posts, a series part claimed twice, a
    ``Related:`` name that is no post).
    """
    ordered = newest_first(posts)
    problems = permalink_problems(ordered)
    if problems:
        raise BuildError(problems)
    series, series_problems = series_index(ordered)
    related, related_problems = related_index(ordered, related_max, workers, related_memo)
    problems = series_problems + related_problems
    keys = {post.key for post in ordered}
    problems += [f"{thread[0].source}: no published post {key} for this comment"
                 for key, thread in (comments or {}).items() if thread and key not in keys]
    if problems:
        raise BuildError(problems)
    return Site(
        posts={post.key: post for post in ordered},
        timeline=tuple(post.key for post in ordered),
        paths=path_tree(ordered),
        tags=tag_index(ordered),
        archives=date_archives(ordered),
        series=series,
        related=related,
        comments={key: tuple(thread) for key, thread in sorted((comments or {}).items()) if thread},
    )
