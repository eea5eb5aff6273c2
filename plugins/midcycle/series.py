"""Series: the order of a series' parts, and where one post stands in it.

A post joins a series with ``Series: <name>``. Parts follow the date order,
but an author who writes the introduction last can say ``Series-Part: 1``.
Posts with an explicit part take that slot; the others fill the free slots
oldest first. Parts are counted over published posts only, so when part 2 is
still a draft, the post claiming part 3 shows as part 2 until it appears.

Everything here is a plain function of :class:`~midcycle.model.Post` values
and post keys; Pelican never shows up.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .spellings import name_key

if TYPE_CHECKING:
    from .model import Post


def series_order(posts: Iterable[Post]) -> list[Post]:
    """The parts of one series, part 1 first.

    Slot ``n`` goes to the post claiming part ``n`` if there is one, else to
    the oldest post without a claim (equal dates: by key, so the order is
    total). Claims beyond the number of posts close up at the end, in claim
    order; a slot claimed twice goes to the smaller key and the other post
    takes the next slot (the build fails on it anyway, see
    :func:`duplicate_parts`).
    """
    posts = list(posts)
    claimed = deque(sorted((p for p in posts if p.series_part is not None),
                           key=lambda p: (p.series_part, p.key)))
    dated = deque(sorted((p for p in posts if p.series_part is None),
                         key=lambda p: (p.date, p.key)))
    order: list[Post] = []
    while claimed or dated:
        slot = len(order) + 1
        if claimed and (claimed[0].series_part <= slot or not dated):
            order.append(claimed.popleft())
        else:
            order.append(dated.popleft())
    return order


def duplicate_parts(name: str, posts: Iterable[Post]) -> list[str]:
    """One problem per part claimed by more than one post, naming their files."""
    claims: dict[int, list[str]] = defaultdict(list)
    for post in posts:
        if post.series_part is not None:
            claims[post.series_part].append(post.source)
    return [
        f"series {name!r}: part {part} is claimed by " + " and ".join(sorted(sources))
        for part, sources in sorted(claims.items())
        if len(sources) > 1
    ]


def parts_beyond(name: str, posts: Iterable[Post], size: int) -> list[str]:
    """One problem per post claiming a part past the ``size`` posts the
    series has, drafts and future posts counted: "Part 12" of seven parts
    would show as part 7 without a word."""
    return [f"{post.source}: Series-Part: {post.series_part}, but the series {name!r} has {size} "
            f"post{'s' if size > 1 else ''} (drafts and posts dated in the future included): "
            f"give a part from 1 to {size}"
            for post in sorted(posts, key=lambda post: post.source)
            if post.series_part is not None and post.series_part > size]


def series_index(posts: Iterable[Post], unpublished: Iterable[str] = ()
                 ) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """Every series, by name, to its post keys part 1 first; and the
    problems. ``unpublished`` has the series name of each draft and future
    post in a series: they count towards its size."""
    members: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        if post.series:
            members[post.series].append(post)
    waiting = Counter(name_key(name) for name in unpublished)
    index, problems = {}, []
    for name, group in sorted(members.items()):
        index[name] = tuple(post.key for post in series_order(group))
        problems.extend(duplicate_parts(name, group))
        problems.extend(parts_beyond(name, group, len(group) + waiting[name_key(name)]))
    return index, problems


@dataclass(frozen=True, slots=True)
class SeriesPosition:
    """Where a post stands in its series: "Part 3 of 6", and its neighbours."""

    name: str
    part: int
    count: int
    previous: str | None
    """Key of the part before, ``None`` for part 1."""
    next: str | None
    """Key of the part after, ``None`` for the last part."""


def position_in(name: str, keys: Sequence[str], key: str) -> SeriesPosition | None:
    """``key``'s place among ``keys`` (a series, part 1 first); ``None`` if absent."""
    if key not in keys:
        return None
    i = keys.index(key)
    return SeriesPosition(
        name=name,
        part=i + 1,
        count=len(keys),
        previous=keys[i - 1] if i > 0 else None,
        next=keys[i + 1] if i + 1 < len(keys) else None,
    )


def series_position(series: Mapping[str, Sequence[str]], post: Post) -> SeriesPosition | None:
    """The post's position in its series, or ``None`` if it is in none."""
    if not post.series:
        return None
    return position_in(post.series, series.get(post.series, ()), post.key)
