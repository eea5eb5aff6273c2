"""Moving a finished build into the output folder.

The build writes the pages and feeds whose bytes changed (and Pelican its
static copies) into a fresh folder beside the output folder. Only when the
whole build succeeded does :func:`commit` move them in, one atomic rename
per file, so a web server never serves half a file; then files the site no
longer makes are removed. A file whose bytes did not change is never
touched, so it keeps its modification time and rsync and conditional GETs
see no change. If moving in itself fails (a full disk, a permission changed
under the build), the output can hold part of the new build; the next build
puts it right, since the record of written files (write.py) makes it render
again whatever is not as recorded.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from .errors import BuildError
from .filetree import files_under, overlap
from .write import holding


def check_folders(content: Path, output: Path) -> list[str]:
    """The build removes from the output folder whatever it did not make, so
    that folder must hold nothing the author wrote."""
    if overlap(content, output):
        return [f"settings: the output folder {output.resolve()} and the content folder {content.resolve()} overlap; "
                "the build removes from the output folder whatever it did not make"]
    return []


def _present(root: Path, retention: Iterable[str]) -> tuple[list[str], list[str]]:
    """The files under ``root`` and its links to folders (not followed),
    relative and ``/``-separated, except under the top-level entries named
    in ``retention``."""
    kept = set(retention)
    files, linked = [], []
    for name, entry in files_under(root, enter=lambda name, entry: name not in kept):
        if name in kept:
            continue
        files.append(name)
        if entry.is_symlink() and entry.is_dir():
            linked.append(name)
    return files, linked


#: What ``os.replace`` says when something is in the way of the new file.
_IN_THE_WAY = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENOTEMPTY, errno.EEXIST}


def _make_room(output: Path, name: str) -> None:
    """Let ``output/name`` be created: remove what the previous build had
    where its folders go (a file) or where it goes (a folder)."""
    place = output
    for part in name.split("/")[:-1]:
        place = place / part
        if place.is_symlink() or place.is_file():
            place.unlink()
    target = output / name
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)


def commit(fresh: Path, output: Path, made: Iterable[str], retention: Iterable[str]) -> list[str]:
    """Bring ``output`` to what the build made: the files in ``fresh``
    moved in, one atomic rename each (the pages and feeds in ``made`` are
    there because they changed; what Pelican copied moves only if its bytes
    are not already in ``output``); then every
    file of ``output`` that is neither in ``made`` nor in ``fresh`` nor
    named by ``retention`` (Pelican's ``OUTPUT_RETENTION``, a ``.git``
    folder say) removed, and folders left empty.

    Returns the files moved in or removed, relative to ``output``. Raises
    :class:`BuildError`, before moving anything, if a file the build made
    would go through a link to a folder: the writer compared through it,
    and the build never writes outside the output folder.
    """
    if not output.exists():
        output.parent.mkdir(parents=True, exist_ok=True)
        if fresh.exists():
            os.rename(fresh, output)
            return sorted(name for name, _entry in files_under(output))
        output.mkdir()
        return []
    new = sorted(name for name, _entry in files_under(fresh)) if fresh.exists() else []
    present, linked = _present(output, retention)
    made = set(made)
    wanted = made.union(new)
    through = [folder for folder in linked if any(name.startswith(f"{folder}/") for name in wanted)]
    if through:
        raise BuildError([f"{output / folder} is a link to a folder, and this build puts files in that folder; "
                          "midcycle does not write through links: remove the link and build again"
                          for folder in through])
    changed = []
    for name in new:
        source, target = os.path.join(fresh, name), os.path.join(output, name)
        # The writer put its files here only because they differ; what
        # Pelican copied may well be what the output already has.
        if name in made or not holding(target, Path(source).read_bytes()):
            changed.append(name)
            try:
                os.replace(source, target)
            except OSError as error:
                if error.errno not in _IN_THE_WAY:
                    raise
                _make_room(output, name)  # a new folder, or a file or folder in the way
                os.replace(source, target)
    shutil.rmtree(fresh, ignore_errors=True)
    emptied = set()
    for name in present:
        if name not in wanted:
            try:
                os.remove(output / name)
            except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
                continue  # already replaced above by a file or folder the build made
            changed.append(name)
            emptied.update(Path(name).parents)
    for folder in sorted(emptied - {Path(".")}, key=lambda folder: len(folder.parts), reverse=True):
        if not os.listdir(output / folder):
            os.rmdir(output / folder)
    return changed
