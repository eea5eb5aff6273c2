"""The posts as read, kept between builds.

Reading a post (Markdown, Pygments, Pelican's metadata rules) is the most
expensive thing a build does, and most builds change a post or two. The
store keeps every post file's last reading with what it was read from: the
file's size and modification time, and a digest of its bytes. A build
looks at size and time first and reads a file's bytes only when they
differ, so an unchanged blog costs a ``stat`` per file; a file whose bytes
turn out the same (a ``touch``, a checkout) is not read again either.

The store is an SQLite database in the cache folder, named after the read
fingerprint (fingerprint.py): posts read under other settings or another
version of the reading code are never mixed in. SQLite writes only the
rows that changed, each build's changes in one transaction, so an edit
costs a row, not the whole store, and a crash or a full disk leaves the
store as it was. A store that cannot be read (damaged, from another
version) is set aside with a warning: the build then reads every post
again, which costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .images import Stamp
from .model import Post, astuple_shallow

logger = logging.getLogger(__name__)

#: Stores are named ``posts-<read fingerprint>.sqlite``.
PREFIX = "posts-"
SUFFIX = ".sqlite"
#: Stores kept besides the one in use: building with other settings now
#: and then (``make publish`` beside ``make html``, a drafts preview)
#: should not start from nothing each time.
KEPT = 3
#: Caches of earlier midcycle versions: folders, pickled stores, records
#: of written files in JSON.
OLD_FOLDERS = ("midcycle-", "content-")
OLD_STORES = ".pickle"
OLD_RECORDS = ("outputs-", ".json")

_SCHEMA = """CREATE TABLE IF NOT EXISTS readings (
    name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, content TEXT, post BLOB, digest TEXT, links INTEGER,
    images BLOB)"""


@dataclass(frozen=True, slots=True)
class Reading:
    """One post file as it was last read."""

    size: int
    mtime_ns: int
    content: str
    """Digest of the file's bytes."""
    post: Post
    digest: str
    """Digest of the post (see :func:`midcycle.digests.digest`), for
    outputs to sum up what they show without hashing bodies again."""
    links: bool = False
    """Whether the body links other content files (``{filename}``): only
    such posts are looked at when links are resolved (crosslinks.py)."""
    images: tuple[Stamp, ...] = ()
    """The image files measured for its body (see images.py)."""


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class PostStore:
    """Every post file's last reading, by name relative to the content
    folder (``/``-separated). Changes are kept in memory until
    :meth:`save`."""

    def __init__(self, path: str | os.PathLike, readings: dict[str, Reading] | None = None):
        self.path = Path(path)
        self.readings: dict[str, Reading] = readings or {}
        self._put: dict[str, Reading] = {}
        self._gone: set[str] = set()

    @classmethod
    def load(cls, path: str | os.PathLike) -> PostStore:
        """The store at ``path``; an empty one if there is none or it
        cannot be read (then it is removed, to be written afresh)."""
        path = Path(path)
        if not path.is_file():
            return cls(path)
        try:
            with _connection(path) as db:
                rows = db.execute("SELECT name, size, mtime_ns, content, post, digest, links, images "
                                  "FROM readings").fetchall()
            readings = {name: Reading(size, mtime_ns, content, Post(*pickle.loads(post)), digest, bool(links),
                                      pickle.loads(images))
                        for name, size, mtime_ns, content, post, digest, links, images in rows}
            os.utime(path)  # used now: see prune
        except Exception as error:  # noqa: BLE001 - any damage costs a re-read, never the build
            logger.warning("midcycle: the cache file %s cannot be read (%s: %s); every post is read again",
                           path, type(error).__name__, error)
            path.unlink(missing_ok=True)
            return cls(path)
        return cls(path, readings)

    def unchanged(self, name: str, stat: os.stat_result) -> Reading | None:
        """The reading of ``name`` if the file's size and time are as then."""
        reading = self.readings.get(name)
        if reading is not None and (reading.size, reading.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return reading
        return None

    def same_bytes(self, name: str, stat: os.stat_result, data: bytes) -> Reading | None:
        """The reading of ``name`` if the file holds the same bytes as then
        (under a new time), remembered under the new time."""
        reading = self.readings.get(name)
        if reading is None or reading.content != content_digest(data):
            return None
        reading = Reading(stat.st_size, stat.st_mtime_ns, reading.content, reading.post, reading.digest, reading.links,
                          reading.images)
        self.put(name, reading)
        return reading

    def put(self, name: str, reading: Reading) -> None:
        self.readings[name] = self._put[name] = reading
        self._gone.discard(name)

    def keep_only(self, names: Iterable[str]) -> None:
        """Forget the files not in ``names`` (deleted, renamed, failed)."""
        names = set(names)
        for gone in [name for name in self.readings if name not in names]:
            del self.readings[gone]
            self._put.pop(gone, None)
            self._gone.add(gone)

    def posts(self) -> Mapping[str, Reading]:
        return self.readings

    def save(self) -> None:
        """Write what changed since loading, in one transaction."""
        if not self._put and not self._gone:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _connection(self.path) as db:
            db.executemany("DELETE FROM readings WHERE name = ?", [(name,) for name in sorted(self._gone)])
            db.executemany("INSERT OR REPLACE INTO readings VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           [(name, r.size, r.mtime_ns, r.content,
                             pickle.dumps(astuple_shallow(r.post), protocol=pickle.HIGHEST_PROTOCOL), r.digest,
                             int(r.links), pickle.dumps(r.images, protocol=pickle.HIGHEST_PROTOCOL))
                            for name, r in self._put.items()])
        self._put.clear()
        self._gone.clear()


class _connection:
    """An SQLite connection as a context: one transaction, committed on
    success, rolled back on failure, closed either way."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)
        self.db.execute(_SCHEMA)

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, kind, error, traceback) -> None:
        try:
            if kind is None:
                self.db.commit()
            else:
                self.db.rollback()
        finally:
            self.db.close()


def prune(root: str | os.PathLike, current: Path) -> None:
    """Remove all but the ``KEPT`` most recently used stores in ``root``
    besides ``current``, and the caches of earlier midcycle versions."""
    try:
        entries = list(Path(root).iterdir())
    except OSError:
        return
    stores = sorted((entry for entry in entries if entry.name.startswith(PREFIX) and entry.name.endswith(SUFFIX)
                     and entry != current and entry.is_file() and not entry.is_symlink()),
                    key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    for stale in stores[KEPT:]:
        stale.unlink(missing_ok=True)
    for old in entries:
        if old.is_symlink():
            continue
        if old.name.startswith(OLD_FOLDERS) and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        elif ((old.name.startswith(PREFIX) and old.name.endswith(OLD_STORES))
              or (old.name.startswith(OLD_RECORDS[0]) and old.name.endswith(OLD_RECORDS[1]))):
            old.unlink(missing_ok=True)
