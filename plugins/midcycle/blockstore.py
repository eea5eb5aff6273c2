"""Rendered post blocks, kept between builds.

Every listing page shows its posts' blocks (includes/listed_post.html): a
post's title, body, tags and related posts. Within a build each block is
rendered once per process (templating.py); after an edit, a build renders
again only the listing pages that changed, but each of those pages shows
nine other posts whose blocks did not change. Rendering them again was
most of a rebuild's rendering: moving one post between two common tags
re-renders some 400 listing pages at 10,000 posts.

The store keeps each block under the digest of everything it is made from
(the post, its related posts and comments, the block's templates, the
settings and midcycle's code: see plugin.py), so a block found is the
block the build would render. It is an SQLite database in the cache
folder: the processes that render a build's pages (processes.py) read and
add to it side by side, each through its own connection. It only saves
work: a store that cannot be used is dropped with a warning, and the
build renders every block as before.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path

from markupsafe import Markup

logger = logging.getLogger(__name__)

#: The store's file in the cache folder; the number changes with the
#: table's layout, so a new layout never meets an old file.
NAME = "blocks-1.sqlite"

_SCHEMA = "CREATE TABLE IF NOT EXISTS blocks (digest TEXT PRIMARY KEY, html TEXT, looked INTEGER)"

#: What SQLite says of a file that is not a database, or a damaged one.
_DAMAGED = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}

#: Connections a forked worker found open, made by its parent: SQLite asks
#: that a child never use one, closing included, so each is kept unused
#: until the worker ends (it leaves with ``os._exit``, see processes.py).
_INHERITED: list[sqlite3.Connection] = []

#: How long a process waits for another's write to finish, in seconds.
_WAIT = 30
#: How much block HTML (in characters) each process keeps in memory; the
#: rest is read from the database again when a page shows it. A build
#: shows every block on many pages, in every rendering process: kept
#: whole, the blocks of 100,000 posts took some 300 MB in each.
MEMORY_BUDGET = 32_000_000

Block = tuple[Markup, bool]
"""A rendered block, and whether rendering it looked at the whole site
(see templating.py)."""


class BlockStore(MutableMapping[str, Block]):
    """Rendered blocks by digest: those this process used last, in memory
    (up to ``budget`` characters of HTML), and every block the builds
    before rendered, in the database at ``path``. Length and iteration are
    the blocks in memory; :meth:`stored` counts the database's."""

    def __init__(self, path: str | os.PathLike, budget: int = MEMORY_BUDGET):
        self.path = Path(path)
        self.known: OrderedDict[str, Block] = OrderedDict()  # least recently used first
        self.budget, self.kept = budget, 0
        self._db: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._broken = False
        # Made (and turned to WAL) by the building process, before any
        # worker is forked: workers only open it.
        self._connection()

    def _connection(self) -> sqlite3.Connection | None:
        """This process's connection: a forked worker opens its own."""
        if self._broken:
            return None
        if self._db is None or self._pid != os.getpid():
            if self._db is not None:
                _INHERITED.append(self._db)
            self._db = None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=_WAIT, isolation_level=None)
                if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    db.execute("PRAGMA journal_mode=WAL")  # readers and one writer at a time, side by side
                # A crash can lose the newest blocks (their rendering), never damage the file.
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(_SCHEMA)
            except (sqlite3.Error, OSError) as error:  # damaged, or a folder it cannot write in
                self._give_up(error)
                return None
            self._db, self._pid = db, os.getpid()
        return self._db

    def _give_up(self, error: Exception) -> None:
        """Render every block from now on; a damaged file is removed, for
        the next build to start afresh (one another process holds is left)."""
        self._broken = True
        if getattr(error, "sqlite_errorname", None) in _DAMAGED:
            try:
                for damaged in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
                    damaged.unlink(missing_ok=True)
            except OSError:
                pass
        logger.warning("midcycle: the cache file %s cannot be used (%s: %s); post blocks are rendered afresh",
                       self.path, type(error).__name__, error)

    def _remember(self, digest: str, block: Block) -> None:
        """Keep ``block`` in memory as the most recently used, forgetting
        the least recently used beyond the budget."""
        self._forget(digest)
        self.known[digest] = block
        self.kept += len(block[0])
        while self.kept > self.budget and len(self.known) > 1:
            self._forget(next(iter(self.known)))

    def _forget(self, digest: str) -> None:
        block = self.known.pop(digest, None)
        if block is not None:
            self.kept -= len(block[0])

    def __getitem__(self, digest: str) -> Block:
        block = self.known.get(digest)
        if block is not None:
            self.known.move_to_end(digest)
            return block
        db = self._connection()
        row = None
        if db is not None:
            try:
                row = db.execute("SELECT html, looked FROM blocks WHERE digest = ?", (digest,)).fetchone()
            except sqlite3.Error as error:
                self._give_up(error)
        if row is None or not isinstance(row[0], str):
            raise KeyError(digest)
        block = Markup(row[0]), bool(row[1])
        self._remember(digest, block)
        return block

    def __setitem__(self, digest: str, block: Block) -> None:
        self._remember(digest, block)
        db = self._connection()
        if db is not None:
            try:
                db.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?)", (digest, str(block[0]), int(block[1])))
            except sqlite3.Error as error:
                self._give_up(error)

    def __delitem__(self, digest: str) -> None:
        self._forget(digest)
        db = self._connection()
        if db is not None:
            try:
                db.execute("DELETE FROM blocks WHERE digest = ?", (digest,))
            except sqlite3.Error as error:
                self._give_up(error)

    def __iter__(self) -> Iterator[str]:
        return iter(self.known)

    def __len__(self) -> int:
        return len(self.known)

    def stored(self) -> int:
        """How many blocks the database holds."""
        db = self._connection()
        try:
            return db.execute("SELECT count(*) FROM blocks").fetchone()[0] if db is not None else 0
        except sqlite3.Error as error:
            self._give_up(error)
            return 0

    def keep_only(self, digests: Iterable[str]) -> None:
        """Forget every stored block but ``digests``: blocks of posts as
        they were before an edit, or under other settings, are no use."""
        db = self._connection()
        if db is None:
            return
        try:
            db.execute("BEGIN")
            db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (digest TEXT PRIMARY KEY)")
            db.execute("DELETE FROM kept")
            db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((digest,) for digest in digests))
            db.execute("DELETE FROM blocks WHERE digest NOT IN (SELECT digest FROM kept)")
            db.execute("COMMIT")
        except sqlite3.Error as error:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._give_up(error)
