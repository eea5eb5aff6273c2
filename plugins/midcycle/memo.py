"""A result remembered from one build to the next, in the cache folder.

Some work depends on only a part of what a post holds: the related lists
read each post's key, tags, date and title, never its body. A
:class:`LatestResult` keeps the last such result with a digest of its
inputs, so a rebuild after a body edit reuses it instead of computing it
again.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .digests import digest
from .model import Post
from .related import Rank, Ranking, ranking_inputs
from .storage import load_pickles, replacing


class LatestResult:
    """One file holding the latest key and value stored, pickled one after
    the other, so a stale value is never unpickled."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default`` if the file holds
        another key's, or nothing readable (then it is dropped, with a
        warning: see :func:`midcycle.storage.load_pickles`)."""
        stored = load_pickles(self.path, 2, first=key)
        return default if stored is None else stored[1]

    def __setitem__(self, key: str, value: Any) -> None:
        with replacing(self.path) as handle:
            pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)


def remembered(rank: Callable[..., Ranking], store: LatestResult) -> Rank:
    """A :data:`~midcycle.related.Rank` that ranks with ``rank`` (a
    :func:`~midcycle.related.ranking`) and keeps the result in ``store``.
    When nothing the ranking reads but titles changed since (see
    :func:`~midcycle.related.ranking_inputs`), the stored lists come back,
    and only the posts whose lists a changed title decided are ranked again."""
    def rank_or_recall(posts: Sequence[Post], limit: int,
                       pins: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
        key = digest(ranking_inputs(posts, limit, pins))
        titles = {post.key: post.title for post in posts}
        last = store.get(key)
        if not (isinstance(last, tuple) and len(last) == 3):  # none, or another version's
            last = None
        if last is None:
            related, ties = rank(posts, limit, pins)
        else:
            related, ties, last_titles = last
            if titles == last_titles:
                return related
            retitled = {post for post, title in titles.items() if last_titles.get(post) != title}
            again = [post for post, tied in ties.items() if retitled.intersection(tied)]
            if again:
                new_related, new_ties = rank(posts, limit, pins, only=again)
                related = {**related, **new_related}
                ties = {post: tied for post, tied in ties.items() if post not in new_related} | new_ties
        store[key] = related, ties, titles
        return related

    return rank_or_recall
