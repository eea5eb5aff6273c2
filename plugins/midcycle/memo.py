"""A result remembered from one build to the next, in the cache folder.

Some work depends on only a part of what a post holds: the related lists
read each post's key, tags, date and title, never its body. A
:class:`LatestResult` keeps the last such result under a digest of what
it was made from, so a rebuild after a body edit reuses it instead of
computing it again, and one after a tag or title edit redoes only the part
that edit can change.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .digests import digest
from .model import Post
from .related import Rank, Ranking, moved_by_tags, ranking_frame
from .storage import load_pickles, replacing


class LatestResult:
    """One file holding the latest key and value stored, pickled one after
    the other, so a stale value is never unpickled.

    It also keeps the latest pair in memory, for a process that builds
    again and again (the dev server): with ``write=False`` that process
    reads the file once and never writes it, since every build would pay for
    writing a value only the next one reads. The file is only a shortcut:
    a build reading an older value ranks again what changed since."""

    def __init__(self, path: str | os.PathLike, write: bool = True):
        self.path = Path(path)
        self.write = write
        self._latest: tuple[str, Any] | None = None

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default`` if the file holds
        another key's, or nothing readable (then it is dropped, with a
        warning: see :func:`midcycle.storage.load_pickles`)."""
        if self._latest is not None and self._latest[0] == key:
            return self._latest[1]
        stored = load_pickles(self.path, 2, first=key)
        if stored is None:
            return default
        self._latest = key, stored[1]
        return stored[1]

    def __setitem__(self, key: str, value: Any) -> None:
        self._latest = key, value
        if self.write:
            with replacing(self.path) as handle:
                pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def remembered(rank: Callable[..., Ranking], store: LatestResult) -> Rank:
    """A :data:`~midcycle.related.Rank` that ranks with ``rank`` (a
    :func:`~midcycle.related.ranking`) and keeps the result in ``store``,
    under everything the ranking reads but tags and titles (see
    :func:`~midcycle.related.ranking_frame`). When only tags or titles
    changed since, the stored lists come back, and only the lists a change
    can move are ranked again: those of the posts carrying a tag added to
    or dropped from a post (see :func:`~midcycle.related.moved_by_tags`),
    and those whose order a changed title decided."""
    def rank_or_recall(posts: Sequence[Post], limit: int,
                       pins: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
        frame = digest(ranking_frame(posts, limit, pins))
        tags = {post.key: post.tags for post in posts}
        titles = {post.key: post.title for post in posts}
        last = store.get(frame)
        if not (isinstance(last, tuple) and len(last) == 4):  # none, or another version's
            last = None
        if last is None:
            related, ties = rank(posts, limit, pins)
        else:
            related, ties, last_tags, last_titles = last
            if tags == last_tags and titles == last_titles:
                return related
            retitled = {post for post, title in titles.items() if last_titles[post] != title}
            again = moved_by_tags(last_tags, tags) if tags != last_tags else set()
            again.update(post for post, tied in ties.items() if retitled.intersection(tied))
            if again:
                new_related, new_ties = rank(posts, limit, pins, only=sorted(again))
                related = {**related, **new_related}
                ties = {post: tied for post, tied in ties.items() if post not in new_related} | new_ties
        store[frame] = related, ties, tags, titles
        return related

    return rank_or_recall
