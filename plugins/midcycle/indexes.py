"""Build the site model: every index the pages and feeds are made of, from
the published posts and their comments.

:func:`build_site` is a plain function of its inputs. The one expensive
index, the related lists, is computed by the ``rank`` function it is given
(:func:`midcycle.related.rank_related` by default); the build hands it one
that uses every core and remembers the last result (see memo.py), so this
module does no I/O and starts no process itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from .errors import BuildError
from .model import Comment, Post, Site, newest_first
from .paths import path_tree
from .related import Rank, rank_related, related_index
from .series import series_index


def date_archives(posts: Iterable[Post]) -> dict[tuple[int, ...], tuple[str, ...]]:
    """Group post keys by year, month and day of their local date, keeping
    the order of ``posts`` (newest first, see :func:`build_site`)."""
    archives: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for post in posts:
        d = post.date
        for period in ((d.year,), (d.year, d.month), (d.year, d.month, d.day)):
            archives[period].append(post.key)
    return {period: tuple(keys) for period, keys in sorted(archives.items())}


def tag_index(posts: Iterable[Post]) -> dict[str, tuple[str, ...]]:
    """Every tag to the keys of its posts, in the order of ``posts``."""
    tags: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        for tag in post.tags:
            tags[tag].append(post.key)
    return {tag: tuple(keys) for tag, keys in sorted(tags.items())}


def permalink_problems(posts: Iterable[Post]) -> list[str]:
    """Two posts with one path and slug would share one permalink."""
    sources: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        sources[post.key.casefold()].append(post.source)
    shared = sorted((key, names) for key, names in sources.items() if len(names) > 1)
    return [f"{' and '.join(sorted(names))}: these posts have the same permalink {key}.html" for key, names in shared]


def build_site(posts: Iterable[Post], related_max: int = 6,
               comments: Mapping[str, tuple[Comment, ...]] | None = None,
               rank: Rank = rank_related, digests: Mapping[str, str] | None = None,
               drafts: Iterable[str] = (), unpublished_series: Iterable[str] = ()) -> Site:
    """Build the immutable site model from published posts and their
    comments (see :func:`midcycle.comments.attach_comments`); ``rank``
    computes the related lists (see :func:`midcycle.related.related_index`);
    ``digests`` are the posts' digests if known (taken when they were read);
    ``drafts`` the keys of posts shown in a drafts preview only;
    ``unpublished_series`` names the series of each post not shown (a draft
    or a post dated in the future), which counts towards its size (see
    :func:`midcycle.series.series_index`).

    Raises :class:`BuildError` listing every problem the posts have between
    them (one permalink for two posts, a series part claimed twice or past
    the series' end, a ``Related:`` name that is no post).
    """
    ordered = newest_first(posts)
    problems = permalink_problems(ordered)
    if problems:
        raise BuildError(problems)
    series, series_problems = series_index(ordered, unpublished_series)
    related, related_problems = related_index(ordered, related_max, rank)
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
        known_digests=digests,
        drafts=frozenset(drafts),
    )
