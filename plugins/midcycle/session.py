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
import stat
from collections.abc import Callable
from pathlib import Path

from .commit import Inventory, record_stamp
from .memo import LatestResult
from .sources import Sources
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
        #: What the dev server's watch saw saved since the last build:
        #: ``(kind of change, absolute path)`` pairs; ``None`` if it cannot say.
        self.saved: set[tuple[str, str]] | None = None
        #: The content folder's files as the last build that walked it found them.
        self.sources: Sources | None = None
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

    def edited_posts(self, content: str | os.PathLike) -> set[str] | None:
        """The post files (relative to ``content``) the saves since the last
        build changed, if that is all they did: files the last walk of the
        content folder found as posts, still plain files, written in place
        (or replaced). ``None`` (the build looks at every file) after
        anything else: a file added, removed or renamed, a comment, an image,
        the theme or the settings. Answers once per batch of saves."""
        saved, self.saved = self.saved, None
        if not saved or self.sources is None:
            return None
        posts, edited, content = set(self.sources.posts), set(), os.path.realpath(content)
        for change, path in saved:
            name = os.path.relpath(path, content).replace(os.sep, "/")
            if change not in ("modified", "added") or name not in posts or not _plain_file(path):
                return None
            edited.add(name)
        return edited

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


def _plain_file(path: str) -> bool:
    """Whether ``path`` is a file, not a link or anything else."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False
