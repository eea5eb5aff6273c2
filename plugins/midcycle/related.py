"""Related posts: for each post, the other posts that share its rarer tags.

The score of post ``q`` for post ``p`` sums a weight over the tags they share::

    score(p, q) = sum over t in tags(p) & tags(q) of  1 + ln(N / df(t))

``N`` is the number of published posts and ``df(t)`` how many of them carry
tag ``t``. A tag on every post still counts 1, a tag on one post in e^k counts
k more, so "db2" says more about two posts than "openstack" does. Only posts
sharing at least one tag can be related.

Ranking is total and deterministic: higher score first, then the post closer
in time, then title (case-insensitively, then exactly), then key. Posts named
by a ``Related:`` line (pins) come first, in the order written, and count
towards the limit.

The scores come from an inverted index (tag -> the set of posts carrying
it), never from comparing all pairs. A post's tags are visited rarest first,
and once ``limit`` posts are met every post met is scored in full straight
away (by membership in the remaining tags' sets). The walk stops as soon as
the ``limit``-th best score beats the sum of the weights of the tags not yet
visited, the most any post not met yet could score, so the long lists of the
commonest tags ("openstack" on half the blog) are mostly never walked. This
is the "MaxScore" idea of search engines; ``bench/related_bench.py`` times it.
"""

from __future__ import annotations

import datetime
import heapq
import itertools
import math
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from .model import Post
from .processes import in_parallel

# Sums that are equal on paper can differ in the last bit in floating point.
# Pruning only drops a post that is behind by more than this, and near ties
# are rescored with exact_score, so no tie is decided by rounding.
_MARGIN = 1e-9

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
_MICROSECOND = datetime.timedelta(microseconds=1)


def document_frequency(posts: Sequence[Post]) -> dict[str, int]:
    """How many posts carry each tag."""
    df: dict[str, int] = defaultdict(int)
    for post in posts:
        for tag in set(post.tags):
            df[tag] += 1
    return dict(df)


def tag_weight(df: int, total: int) -> float:
    """``1 + ln(N / df)``: a tag every post has weighs 1, rarer tags more."""
    return 1.0 + math.log(total / df)


def exact_score(shared_dfs: Sequence[int], total: int) -> float:
    """The score for shared tags with these document frequencies, computed as
    ``k * (1 + ln N) - ln(df1 * df2 * ... * dfk)``: the same number as the
    sum of tag weights, but equal for mathematically equal scores (dfs 2 and 8
    against 4 and 4), so such ties go to the time tie-break, not to rounding."""
    return len(shared_dfs) * (1.0 + math.log(total)) - math.log(math.prod(shared_dfs))


def pin_key(name: str) -> str:
    """A ``Related:`` name as a post key: the post's URL path after the site
    address, with or without the leading ``/`` and the ``.html``."""
    name = unicodedata.normalize("NFC", name.strip()).lstrip("/")
    return name[: -len(".html")] if name.endswith(".html") else name


def resolve_pins(posts: Sequence[Post], limit: int) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Each post's ``Related:`` names as keys of published posts; the problems
    (an unknown name, one naming no post at all like ``/``, the post itself,
    more pins than ``limit``) name the file."""
    known = {post.key for post in posts}
    pins: dict[str, tuple[str, ...]] = {}
    problems = []
    for post in posts:
        keys = list(dict.fromkeys(pin_key(name) for name in post.related))
        for key in keys:
            if not key:
                problems.append(f"{post.source}: Related: names the site's address alone, not a post "
                                "(name a post by its URL path, e.g. 'openstack/juno/db2-support')")
            elif key == post.key:
                problems.append(f"{post.source}: Related: names the post itself ({key!r})")
            elif key not in known:
                problems.append(
                    f"{post.source}: Related: {key!r} is not a published post "
                    "(name it by its URL path, e.g. 'openstack/juno/db2-support'; "
                    "drafts and future posts cannot be named)"
                )
        if len(keys) > limit:
            problems.append(
                f"{post.source}: Related: names {len(keys)} posts but RELATED_POSTS_MAX is {limit}"
            )
        pins[post.key] = tuple(key for key in keys if key in known and key != post.key)
    return pins, problems


class _Corpus:
    """The inverted index and per-post data the ranking needs, by post number."""

    def __init__(self, posts: Sequence[Post]):
        self.posts = list(posts)
        self.total = len(self.posts)
        self.number = {post.key: i for i, post in enumerate(self.posts)}
        self.df = document_frequency(self.posts)
        self.weight = {tag: tag_weight(n, self.total) for tag, n in self.df.items()}
        self.rarity = {tag: n for n, tag in enumerate(sorted(self.df, key=lambda t: (self.df[t], t)))}
        self.tagsets = [frozenset(post.tags) for post in self.posts]
        postings: dict[str, list[int]] = defaultdict(list)
        for i, tags in enumerate(self.tagsets):
            for tag in tags:
                postings[tag].append(i)
        self.members = {tag: frozenset(numbers) for tag, numbers in postings.items()}
        # Tie-breaks: exact distance in time (whole microseconds), then title
        # (case-insensitively, then exactly), then key.
        self.moments = [(post.date - _EPOCH) // _MICROSECOND for post in self.posts]
        self.names = [(post.title.casefold(), post.title, post.key) for post in self.posts]

    def best(self, i: int, room: int, excluded: set[int]) -> tuple[list[int], set[int]]:
        """The ``room`` best candidates for post ``i``, never one in
        ``excluded``; and the candidates whose titles decided the choice or
        the order (see :meth:`_top`).

        Tags are visited rarest first. Until ``room`` posts are met their
        scores are partial; after that every post is scored in full as soon as
        it is met (by membership in the remaining tags' sets), and the walk
        stops when the ``room``-th best full score beats ``bound[j]``, the most
        a post not met yet can score.
        """
        # Weights are always added in this order (rarest tag first), so two
        # posts sharing tags of the same document frequencies get equal sums.
        tags = sorted(self.tagsets[i], key=self.rarity.__getitem__)
        weights = [self.weight[t] for t in tags]
        # bound[j]: the most a post sharing none of tags[:j] can score.
        bound = list(itertools.accumulate(reversed(weights), initial=0.0))[::-1]
        scores: dict[int, float] = {}
        j = 0
        while j < len(tags) and len(scores) < room:
            members = self.members[tags[j]]
            for q in _common(members, scores):
                scores[q] += weights[j]
            scores.update(dict.fromkeys(members.difference(scores, excluded), weights[j]))
            j += 1
        self._finish(scores, tags[j:], weights[j:])
        # From here on every score is final. ``seen`` keeps the posts met so
        # far; ``scores`` only those still above the floor, which only rises.
        seen = excluded.union(scores)
        while j < len(tags):
            floor = _kth_largest(scores.values(), room) - _MARGIN
            if floor > bound[j]:
                break
            met = dict.fromkeys(self.members[tags[j]].difference(seen), weights[j])
            seen.update(met)
            self._finish(met, tags[j + 1:], weights[j + 1:])
            scores = {q: score for q, score in scores.items() if score >= floor}
            scores.update((q, score) for q, score in met.items() if score >= floor)
            j += 1
        return self._top(i, scores, room)

    def _finish(self, scores: dict[int, float], tags: list[str], weights: list[float]) -> None:
        """Add to each post's score the weights of the ``tags`` it carries."""
        for tag, weight in zip(tags, weights):
            for q in _common(self.members[tag], scores):
                scores[q] += weight

    def _top(self, i: int, scores: dict[int, float], room: int) -> tuple[list[int], set[int]]:
        """The ``room`` best of the fully scored candidates, in rank order;
        and those among them, or just behind them, whose place the titles
        decided (equal score and equal distance in time to another)."""
        if len(scores) > room:
            floor = _kth_largest(scores.values(), room) - _MARGIN
            scores = {q: score for q, score in scores.items() if score >= floor}
        if _has_near_ties(scores.values()):
            # Sums of different weights that are equal on paper may differ in
            # the last bit; score those posts exactly so they tie for real.
            scores = {q: exact_score([self.df[t] for t in self.tagsets[i] & self.tagsets[q]], self.total)
                      for q in scores}
        moment = self.moments[i]

        def untitled(q: int) -> tuple[float, int]:
            return -scores[q], abs(moment - self.moments[q])

        ranked = sorted(scores, key=lambda q: (*untitled(q), self.names[q]))
        tied = set()
        for a, b in zip(ranked, ranked[1:room + 1]):
            if untitled(a) == untitled(b):
                tied.update((a, b))
        return ranked[:room], tied


def _common(members: frozenset[int], scores: dict[int, float]) -> Iterable[int]:
    """The posts in both, found by walking the smaller of the two."""
    return scores.keys() & members if len(members) < len(scores) else members.intersection(scores)


def _kth_largest(values: Collection[float], k: int) -> float:
    """The ``k``-th largest of ``values`` (which hold at least ``k``)."""
    return heapq.nlargest(k, values)[-1] if len(values) > 1000 else sorted(values, reverse=True)[k - 1]


def _has_near_ties(values: Iterable[float]) -> bool:
    """Whether two different values are closer than rounding error."""
    distinct = sorted(set(values))
    return any(b - a <= _MARGIN for a, b in zip(distinct, distinct[1:]))


#: A ranking: every ranked post's related keys, and for each post the keys
#: of the posts whose titles decided its list (see :func:`ranking`).
Ranking = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]


def ranking(posts: Sequence[Post], limit: int, pins: Mapping[str, Sequence[str]] | None = None,
            workers: int = 1, only: Collection[str] | None = None) -> Ranking:
    """Every post's key (or only those in ``only``) to at most ``limit``
    related post keys, best first: its pins (keys of posts in ``posts``),
    then the best scored posts; and every post's key to the keys of the
    posts whose titles decided its list, the only thing a title changes
    (memo.py ranks again just the posts a new title can move). Each post's
    list depends only on the index, so ``workers`` processes can share the
    posts between them."""
    corpus = _Corpus(posts)
    pins = pins or {}

    def rank(chunk: list[int]) -> Ranking:
        related, ties = {}, {}
        for i in chunk:
            key = corpus.posts[i].key
            pinned = tuple(pins.get(key, ()))[:limit]
            room = limit - len(pinned)
            best: list[int] = []
            tied: set[int] = set()
            if room > 0 and corpus.tagsets[i]:
                excluded = {i, *(corpus.number[k] for k in pinned)}
                best, tied = corpus.best(i, room, excluded)
            related[key] = pinned + tuple(corpus.posts[q].key for q in best)
            if tied:
                ties[key] = tuple(sorted(corpus.posts[q].key for q in tied))
        return related, ties

    numbers = list(range(corpus.total)) if only is None else sorted(corpus.number[key] for key in only)
    ranked: dict[str, tuple[str, ...]] = {}
    ties: dict[str, tuple[str, ...]] = {}
    for related, tied in in_parallel(numbers, rank, workers):
        ranked.update(related)
        ties.update(tied)
    return {corpus.posts[i].key: ranked[corpus.posts[i].key] for i in numbers}, ties


def rank_related(posts: Sequence[Post], limit: int, pins: Mapping[str, Sequence[str]] | None = None,
                 workers: int = 1) -> dict[str, tuple[str, ...]]:
    """Every post's key to at most ``limit`` related post keys, best first
    (see :func:`ranking`)."""
    return ranking(posts, limit, pins, workers)[0]


#: How related lists are ranked: ``(posts, limit, pins) -> {key: related keys}``;
#: :func:`rank_related` is one, and memo.py wraps one to remember its results.
Rank = Callable[[Sequence[Post], int, Mapping[str, Sequence[str]]], dict[str, tuple[str, ...]]]


def ranking_frame(posts: Sequence[Post], limit: int, pins: Mapping[str, Sequence[str]]) -> str:
    """Everything :func:`ranking` reads but the tags and the titles, as one
    string: the posts' keys and dates, the pins and the limit. (A string,
    not the values' ``repr``: it is made for every post on every build.)"""
    lines = sorted(f"{post.key}\t{post.date.isoformat()}" for post in posts)
    pinned = sorted(f"{key}\t{chr(31).join(keys)}" for key, keys in pins.items() if keys)
    return f"{limit}\n" + "\n".join(lines) + "\n\n" + "\n".join(pinned)


def moved_by_tags(before: Mapping[str, Collection[str]], after: Mapping[str, Collection[str]]) -> set[str]:
    """The posts whose related lists can differ when the tags of the same
    posts change from ``before`` to ``after`` (keys, dates and pins alike):
    the retagged posts, and every post carrying a tag that was added to or
    dropped from one of them (its posts, and so its weight, changed). Any
    other post shares with every post the same tags as before, each
    weighing what it weighed, so its list is what it was."""
    retagged = [key for key, tags in after.items() if before[key] != tags]
    touched = set().union(*(set(before[key]).symmetric_difference(after[key]) for key in retagged))
    return {*retagged, *(key for key, tags in after.items() if not touched.isdisjoint(tags))}


def related_index(posts: Sequence[Post], limit: int,
                  rank: Rank = rank_related) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Related lists for every post (pins first), ranked by ``rank``, and
    the problems with pins."""
    pins, problems = resolve_pins(posts, limit)
    return rank(posts, limit, pins), problems
