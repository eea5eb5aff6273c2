"""The site model's plain types: a post, a comment, and the site holding
them with the indexes derived from them.

Everything here is plain data, with no behaviour beyond a few derived
values: :mod:`midcycle.indexes` builds a :class:`Site` once per build from
the posts Pelican read, and nothing changes it afterwards; algorithms and
renderers only read it. Indexes hold post keys
(``"openstack/juno/db2-support"``), not post objects, so they stay cheap to
compare and easy to test.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from urllib.parse import quote

from .digests import digest


@dataclass(frozen=True, slots=True)
class Post:
    """One post, as the rest of the plugin sees it. A build publishes the
    posts that are not drafts and whose date has come."""

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
    draft: bool = False
    """``Status: draft``: on no page or feed (but a drafts preview's)."""
    links: tuple[str, ...] = ()
    """The absolute URLs the body's links and images point at, noted when
    the post was read (see :func:`midcycle.rewrite.html_links`)."""

    key: str = field(init=False, repr=False, compare=False)
    """The permalink path without ``.html``; unique across the site.
    Derived from path and slug, and kept: it is looked up hundreds of
    thousands of times per build."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.path}/{self.slug}" if self.path else self.slug)


@dataclass(frozen=True, slots=True)
class Page:
    """A page beside the posts (About, Contact) from ``content/pages/``:
    no date, tags, series or feeds; at ``/{slug}.html``."""

    source: str
    """The file it came from, relative to the content folder (for errors)."""
    slug: str
    """The file's stem unless ``Slug:`` gives one."""
    title: str
    body: str = ""
    """Rendered HTML, links already absolute."""
    listed: bool = True
    """In the navigation; ``Status: hidden`` pages are published but not listed."""
    summary: str = ""
    """Plain text, as :attr:`Post.summary`."""


def navigation_order(pages: Iterable[Page]) -> tuple[Page, ...]:
    """The pages the navigation lists, by title (ignoring case), then by
    slug, so the order is total whatever order the files were read in.

    Without their bodies (and summaries, made from them): every page of
    the site shows the navigation, so its digest covers what the navigation
    holds, and a body shows only on its own page; editing it then renders
    that page alone."""
    listed = (replace(page, body="", summary="") for page in pages if page.listed)
    return tuple(sorted(listed, key=lambda page: (page.title.casefold(), page.slug)))


@dataclass(frozen=True, slots=True)
class Comment:
    """One reader comment, ready to show (see :mod:`midcycle.comments`)."""

    source: str
    """The file it came from, relative to the content folder (for errors)."""
    post: str
    """The key of the post it is on."""
    name: str
    """The file's stem; unique among the post's comments, so it names the anchor."""
    author: str
    date: datetime.datetime
    """Timezone-aware."""
    body: str
    """Sanitized HTML, links absolute against the post's permalink."""
    link: str | None = None
    """The author's web page or mailto: link; only http, https or mailto."""
    title: str = ""

    @property
    def anchor(self) -> str:
        """The ``id`` of the comment on its post's page (and the URL fragment)."""
        return "comment-" + quote(self.name, safe="-._~")


def astuple_shallow(value: object) -> tuple:
    """A dataclass's fields in the order its constructor takes them, not
    copied (``dataclasses.astuple`` copies them deeply)."""
    return tuple(getattr(value, field.name) for field in fields(value) if field.init)


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
    drafts: frozenset[str] = frozenset()
    """Posts shown though not published (drafts and posts dated in the
    future), in a drafts preview only."""
    known_digests: Mapping[str, str] | None = field(default=None, repr=False)
    """The posts' digests, when they were taken as the posts were read."""

    @cached_property
    def digests(self) -> Mapping[str, str]:
        """Per post, a digest of all its fields, for outputs to sum up what
        they show without hashing whole posts again (see :func:`midcycle.digests.digest`)."""
        if self.known_digests is not None:
            return self.known_digests
        return {key: digest(post) for key, post in self.posts.items()}

    def lookup(self, keys: Iterable[str]) -> list[Post]:
        return [self.posts[key] for key in keys]
