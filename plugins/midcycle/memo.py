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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .digests import digest
from .model import Post
from .related import Rank, ranking_inputs


class LatestResult:
    """One file holding the latest key and value stored, pickled one after
    the other, so a stale value is never unpickled."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def get(self, key: str, default: Any = None) -> Any:
        """The value stored under ``key``, or ``default`` if the file holds
        another key's, or nothing readable."""
        try:
            with open(self.path, "rb") as handle:
                if pickle.load(handle) != key:
                    return default
                return pickle.load(handle)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError):
            return default

    def __setitem__(self, key: str, value: Any) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        with open(temporary, "wb") as handle:
            pickle.dump(key, handle, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)


def remembered(rank: Rank, store: LatestResult) -> Rank:
    """``rank``, answering from ``store`` when the ranking inputs (see
    :func:`midcycle.related.ranking_inputs`) are those of the last call, and
    keeping each new result there."""
    def rank_or_recall(posts: Sequence[Post], limit: int,
                       pins: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
        key = digest(ranking_inputs(posts, limit, pins))
        related = store.get(key)
        if related is None:
            related = store[key] = rank(posts, limit, pins)
        return related

    return rank_or_recall
