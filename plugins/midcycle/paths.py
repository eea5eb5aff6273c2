"""The path tree: every folder a post lives in, and every folder above it.

A path's page and feeds hold the posts of that path and of every path below
it, so a reader who follows ``openstack`` also gets ``openstack/juno``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Post


def ancestors(path: str) -> list[str]:
    """``"a/b/c"`` gives ``["a", "a/b", "a/b/c"]``; the top level gives ``[]``."""
    parts = path.split("/") if path else []
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def path_tree(posts: Iterable[Post]) -> dict[str, tuple[str, ...]]:
    """Map every path at every level to the keys of the posts at or below it.

    Keys keep the order of ``posts``; paths come out sorted by name.
    """
    tree: dict[str, list[str]] = defaultdict(list)
    for post in posts:
        for path in ancestors(post.path):
            tree[path].append(post.key)
    return {path: tuple(keys) for path, keys in sorted(tree.items())}
