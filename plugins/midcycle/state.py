"""What a build was made from, at a glance: enough to tell that nothing
changed since the last build finished, with one ``stat`` per file and no
file read.

The snapshot sums up the fingerprints (settings, midcycle's code, the
libraries: see fingerprint.py), the name, size and modification time of
every file under the content folder and the theme's folders, and the
output folder. The safe build (build.py) records it once a build has
finished and moved in; the next one compares before starting Pelican. The
same snapshot, a finished build, and no post come due since (a post dated
in the future publishes itself when its time comes): nothing to do, and
nothing is done.

Like everything in the cache, the record is a shortcut, never needed: a
missing or unreadable one means a build that looks at everything.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from .digests import digest
from .filetree import files_under
from .fingerprint import PACKAGE, read_fingerprint, render_fingerprint
from .storage import write_whole

logger = logging.getLogger(__name__)


def _files(folder: str | os.PathLike) -> list[tuple[str, int, int]]:
    if not os.path.isdir(folder):
        return []
    listing = []
    for name, entry in files_under(folder):
        stat = entry.stat(follow_symlinks=False)
        listing.append((name, stat.st_size, stat.st_mtime_ns))
    return listing


def snapshot(settings: Mapping[str, Any], output: Path, fingerprints: tuple[str, str]) -> str:
    """The digest of everything a build of ``settings`` into ``output``,
    with these (read, render) ``fingerprints``, is made from."""
    folders = [settings["PATH"], settings["THEME"], *settings.get("THEME_TEMPLATES_OVERRIDES", ()), PACKAGE / "theme"]
    return digest(*fingerprints, str(output), [(str(folder), _files(folder)) for folder in folders])


class BuildRecord:
    """The last finished build into one output folder, in the cache."""

    def __init__(self, settings: Mapping[str, Any], output: Path):
        self.path = Path(settings["MIDCYCLE_CACHE_ROOT"], f"state-{digest(str(output))}.json")
        self.output = output
        self.settings = settings
        #: The build's (read, render) fingerprints, taken once for the snapshot and the build.
        self.fingerprints = read_fingerprint(settings), render_fingerprint(settings)

    @cached_property
    def snapshot(self) -> str:
        return snapshot(self.settings, self.output, self.fingerprints)

    def _last(self) -> dict[str, Any]:
        try:
            last = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.warning("midcycle: dropping the damaged cache file %s (%s); the build looks at everything",
                           self.path, error)
            return {}
        return last if isinstance(last, dict) else {}

    def nothing_to_do(self, now: datetime.datetime) -> bool:
        """Whether the last finished build was made from the same snapshot
        into an output folder that is still there, and no post has come due."""
        last = self._last()
        if last.get("snapshot") != self.snapshot or not self.output.is_dir():
            return False
        due = last.get("due")
        try:
            return due is None or datetime.datetime.fromisoformat(due) > now
        except (TypeError, ValueError):
            return False

    def posts(self) -> int:
        """How many posts the last build published."""
        posts = self._last().get("posts")
        return posts if isinstance(posts, int) else 0

    def finished(self, due: datetime.datetime | None, posts: int) -> None:
        """Record this build as finished; ``due`` is when its next future
        post publishes itself."""
        write_whole(self.path, json.dumps({"snapshot": self.snapshot, "due": due.isoformat() if due else None,
                                           "posts": posts}).encode("utf-8"))

    def forget(self) -> None:
        """The record no longer says what the output was made from: after a
        failed move-in, or a dev server's build, which takes no snapshot."""
        self.path.unlink(missing_ok=True)
