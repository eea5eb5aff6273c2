"""What a process that builds again and again keeps between its builds.

A build reads what it needs from the cache folder: the store of posts as
read, the record of written files. The dev server builds after every save,
in one process, and keeps those in memory instead, with the post blocks it
rendered, so a build after one edit reads one post file and renders what
the edit touched, and nothing is loaded again. Everything kept here is
what the cache folder holds too (or, for blocks, can be made again): it
only saves time.
"""

from __future__ import annotations

import os
from pathlib import Path

from .store import PostStore
from .templating import Blocks


class Session:
    """Kept between the builds of one process; given to the plugin as the
    setting ``MIDCYCLE_SESSION``."""

    def __init__(self) -> None:
        self.stores: dict[Path, PostStore] = {}
        self.manifests: dict[str, dict[str, list]] = {}
        self.blocks: Blocks = {}

    def store(self, path: str | os.PathLike) -> PostStore:
        """The store at ``path``, loaded once; a store of other settings
        (another read fingerprint) is let go, not held for ever: the build
        may prune its file."""
        path = Path(path)
        if path not in self.stores:
            self.stores = {path: PostStore.load(path)}
        return self.stores[path]

    def forget_blocks_beyond(self, most: int) -> None:
        """Blocks of posts as they were before many edits are no use."""
        if len(self.blocks) > most:
            self.blocks.clear()
