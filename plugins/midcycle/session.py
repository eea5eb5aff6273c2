"""What a process that builds again and again keeps between its builds.

A build reads what it needs from the cache folder: the store of posts as
read, the record of written files. The dev server builds after every save,
in one process, and keeps those in memory instead, with the post blocks it
rendered, so a build after one edit reads one post file and renders what
the edit touched, and nothing is loaded again. It also keeps what the
output folder holds once a build has moved in, so the next build need not
walk the folder, and the last related lists; and it is given the edited
post's page before the build goes through the rest of the site (see
plugin.py). Everything kept here is
in the cache or the output folder too, or can be made again: it only saves
time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .commit import Inventory, record_stamp
from .memo import LatestResult
from .store import PostStore
from .templating import Blocks


class Session:
    """Kept between the builds of one process; given to the plugin as the
    setting ``MIDCYCLE_SESSION``."""

    def __init__(self) -> None:
        self.stores: dict[Path, PostStore] = {}
        self.manifests: dict[str, dict[str, list]] = {}
        self.blocks: Blocks = {}
        self.inventories: dict[Path, tuple[Inventory, tuple[int, int, int] | None]] = {}
        self._related: LatestResult | None = None
        #: Given each edited post's page as soon as it is rendered, before
        #: the build has gone through the rest of the site: ``(file, bytes)``.
        self.page_ready: Callable[[str, bytes], None] | None = None

    def store(self, path: str | os.PathLike) -> PostStore:
        """The store at ``path``, loaded once; a store of other settings
        (another read fingerprint) is let go, not held for ever: the build
        may prune its file."""
        path = Path(path)
        if path not in self.stores:
            self.stores = {path: PostStore.load(path)}
        return self.stores[path]

    def related_memo(self, path: str | os.PathLike) -> LatestResult:
        """The last related lists, read from ``path`` once and then kept in
        memory, never written (see memo.py)."""
        if self._related is None or self._related.path != Path(path):
            self._related = LatestResult(path, write=False)
        return self._related

    def forget_blocks_beyond(self, most: int) -> None:
        """Blocks of posts as they were before many edits are no use."""
        if len(self.blocks) > most:
            self.blocks.clear()

    def inventory(self, output: Path) -> Inventory | None:
        """What ``output`` holds, as this process's last build left it (taken:
        the build gives it back, see :meth:`keep_inventory`); ``None`` if it
        does not know, or another build has been there since (its record
        changed). A file put there by hand since is not known: a build never
        removes it, and refuses to replace it (see commit.py)."""
        kept = self.inventories.pop(output, None)
        return kept[0] if kept and kept[1] == record_stamp(output) else None

    def keep_inventory(self, output: Path, inventory: Inventory) -> None:
        """``output`` holds ``inventory`` now that a build moved in, or failed
        and left it as it was."""
        self.inventories = {output: (inventory, record_stamp(output))}
