"""Walking folders, and telling whether two folders overlap.

Every walk of a folder tree in the build goes through :func:`files_under`:
the output folder before moving files in, the plugin and theme for the
fingerprint, the theme's static files, the content folder for comments,
a PyBlosxom datadir for the import. It never follows a link to a folder (a
link may lead outside the tree, or back into it, forever): such a link is
reported as an entry like a file, for the caller to judge.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path


def files_under(root: str | os.PathLike, enter: Callable[[str, os.DirEntry], bool] | None = None
                ) -> Iterator[tuple[str, os.DirEntry]]:
    """``(name, entry)`` for every entry under ``root`` that is not a folder
    (files, and links of any kind, not followed), ``name`` relative to
    ``root`` and ``/``-separated; folder by folder, each in sorted order.
    A folder is walked into only if ``enter(name, entry)`` says so (all of
    them without ``enter``)."""
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(root, folder)) as found:
            entries = sorted(found, key=lambda entry: entry.name)
        folders = []
        for entry in entries:
            name = f"{folder}/{entry.name}" if folder else entry.name
            if not entry.is_dir(follow_symlinks=False):
                yield name, entry
            elif enter is None or enter(name, entry):
                folders.append(name)
        pending.extend(reversed(folders))  # the first name is taken next


def not_hidden(name: str, entry: os.DirEntry) -> bool:
    """For :func:`files_under`: pass over folders whose name starts with a dot."""
    return not entry.name.startswith(".")


def inside(path: str | os.PathLike, folder: str | os.PathLike) -> bool:
    """Whether ``path`` is ``folder`` or below it, links resolved."""
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def overlap(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether one of two folders is, or is inside, the other."""
    return inside(a, b) or inside(b, a)
