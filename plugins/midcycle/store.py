"""The posts as read, kept between builds.

Reading a post (Markdown, Pygments, Pelican's metadata rules) is the most
expensive thing a build does, and most builds change a post or two. The
store keeps every post file's last reading with what it was read from: the
file's size and modification time, and a digest of its bytes. A build
looks at size and time first and reads a file's bytes only when they
differ, so an unchanged blog costs a ``stat`` per file; a file whose bytes
turn out the same (a ``touch``, a checkout) is not read again either.

The store lives in one file in the cache folder, named after the read
fingerprint (fingerprint.py): posts read under other settings or another
version of the reading code are never mixed in. It is written whole, to a
temporary file that then replaces the old one, so a crash or a full disk
leaves the previous store, and a store that cannot be read (truncated,
from another Python) is set aside with a warning: the build then reads
every post again, which costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .model import Post, astuple_shallow

logger = logging.getLogger(__name__)

#: Stores are named ``posts-<read fingerprint>.pickle``.
PREFIX = "posts-"
#: Stores kept besides the one in use: building with other settings now
#: and then (``make publish`` beside ``make html``, a drafts preview)
#: should not start from nothing each time.
KEPT = 3
#: Caches of earlier midcycle versions (Pelican's content cache).
OLD_CACHES = ("midcycle-", "content-")


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

    def __reduce__(self) -> tuple:
        return Reading, astuple_shallow(self)  # see Post.__reduce__


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class PostStore:
    """Every post file's last reading, by name relative to the content
    folder (``/``-separated)."""

    def __init__(self, path: str | os.PathLike, readings: dict[str, Reading] | None = None):
        self.path = Path(path)
        self.readings: dict[str, Reading] = readings or {}
        self.changed = False

    @classmethod
    def load(cls, path: str | os.PathLike) -> PostStore:
        """The store at ``path``; an empty one if there is none or it
        cannot be read."""
        path = Path(path)
        try:
            with open(path, "rb") as handle:
                os.utime(handle.fileno())  # used now: see prune
                readings = pickle.load(handle)
            if not isinstance(readings, dict):
                raise TypeError(f"a {type(readings).__name__}, not a store")
        except FileNotFoundError:
            return cls(path)
        except Exception as error:  # noqa: BLE001 - any damage costs a re-read, never the build
            logger.warning("midcycle: the cache file %s cannot be read (%s: %s); every post is read again",
                           path, type(error).__name__, error)
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
        reading = Reading(stat.st_size, stat.st_mtime_ns, reading.content, reading.post, reading.digest)
        self.put(name, reading)
        return reading

    def put(self, name: str, reading: Reading) -> None:
        self.readings[name] = reading
        self.changed = True

    def keep_only(self, names: Iterable[str]) -> None:
        """Forget the files not in ``names`` (deleted, renamed, failed)."""
        names = set(names)
        for gone in [name for name in self.readings if name not in names]:
            del self.readings[gone]
            self.changed = True

    def posts(self) -> Mapping[str, Reading]:
        return self.readings

    def save(self) -> None:
        """Write the store if it changed, atomically."""
        if not self.changed:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as handle:
                pickle.dump(self.readings, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)
        self.changed = False


def prune(root: str | os.PathLike, current: Path) -> None:
    """Remove all but the ``KEPT`` most recently used stores in ``root``
    besides ``current``, and the caches of earlier midcycle versions."""
    try:
        entries = list(Path(root).iterdir())
    except OSError:
        return
    stores = sorted((entry for entry in entries if entry.name.startswith(PREFIX) and entry != current
                     and entry.is_file() and not entry.is_symlink()),
                    key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    for stale in stores[KEPT:]:
        stale.unlink(missing_ok=True)
    for old in entries:
        if old.name.startswith(OLD_CACHES) and old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
