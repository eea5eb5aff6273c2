"""The output folder: which of its files the build may replace or remove,
one build at a time, and moving a finished build in.

The build removes from its output folder every file the site no longer
makes, so it must know which files it made. It keeps that record in the
output folder itself (``.midcycle/files.json``), never in the cache: a lost
cache costs time, never a file, and never makes the next build refuse its
own folder. A folder holding files the record does not name is refused
before anything happens, naming some of them, unless the build is told that
the folder is the site's (``--adopt-output``, ``make html ADOPT_OUTPUT=1``).
A folder that is, or holds, the content, the theme, the cache, the project,
the home folder or ``/`` is never an output, whatever the build is told.

The dev server, which moved the last build in itself, knows what the folder
holds and does not walk it again before each build; a file put there by
hand since is never removed, and a build that would replace one is refused
(:func:`in_the_way`).

A lock on the output folder keeps a second build out. ``.midcycle/`` also
holds the fresh folder a build is put together in (``.midcycle/next``):
inside the output folder, so on its file system, where a rename is atomic
even when the output folder is a mount point of its own. ``make upload``
leaves ``.midcycle/`` out.

The build writes the pages and feeds whose bytes changed (and Pelican its
static copies) into the fresh folder. Only when the whole build succeeded
does :func:`commit` move them in, one atomic rename per file, so a web server
never serves half a file; then the files the site no longer makes are
removed. A file whose bytes did not change is never touched, so it keeps its
modification time and rsync and conditional GETs see no change. If moving in
itself fails (a full disk, a permission changed under the build), the
output can hold part of the new build; the record already names every file
of both builds, and the next build puts it right, since the manifest of
written files (write.py) makes it render again whatever is not as recorded.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .errors import BuildError
from .filetree import files_under, inside, overlap
from .storage import write_whole
from .text import shown_name
from .write import holding

#: midcycle's own folder in the output, never published.
OWN_FOLDER = ".midcycle"
RECORD = f"{OWN_FOLDER}/files.json"
FRESH = f"{OWN_FOLDER}/next"
#: How to say that a folder holding other files is the site's.
ADOPT_HINT = ("ADOPT_OUTPUT=1 on the make command that builds it: make html, make html DRAFTS=1, make publish; "
              "or midcycle build --adopt-output")
#: Unknown files named in the refusal; the rest are counted.
NAMED = 5


def fresh_folder(output: Path) -> Path:
    """Where a build is put together before it is moved into ``output``."""
    return output / FRESH


def folder_problems(output: Path, content: Path, theme: Path, cache: Path, project: Path, home: Path) -> list[str]:
    """Why ``output`` may not be the output folder, if it may not: the build
    removes from it whatever it did not make, so it must hold nothing else
    worth keeping."""
    output = output.resolve()
    if output.exists() and not output.is_dir():
        return [f"OUTPUTDIR {output} is not a folder"]
    problems = []
    for what, folder in (("the content folder", content), ("the theme", theme)):
        if overlap(output, folder):
            problems.append(f"OUTPUTDIR {output} and {what} {folder.resolve()} overlap")
    for what, folder in (("the cache folder", cache), ("the project folder", project),
                         ("the home folder", home), ("the root folder", Path("/"))):
        if inside(folder, output):
            problems.append(f"OUTPUTDIR {output} is or holds {what} {folder.resolve()}")
    return [f"{problem}: midcycle never builds into it, since a build removes from its output folder "
            "whatever the site does not make; choose a folder of its own (output/ in the project, say)"
            for problem in problems]


def read_record(output: Path) -> set[str] | None:
    """The files the build made in ``output``, or ``None`` if it holds no
    readable record."""
    try:
        record = json.loads((output / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        return None
    return set(files)


def write_record(output: Path, files: Iterable[str]) -> None:
    write_whole(output / RECORD, json.dumps({"files": sorted(files)}, indent=0).encode("utf-8"))


def add_to_record(output: Path, files: Iterable[str]) -> None:
    """Note ``files`` as the build's, before it writes them straight into
    ``output`` (as plain ``pelican`` does)."""
    record = read_record(output) or set()
    if not record.issuperset(files):
        write_record(output, record.union(files))


@dataclass(frozen=True)
class Inventory:
    """What an output folder holds as a build finds it, for the build to
    move in against (see :func:`commit`): found once, before the build."""

    present: list[str]
    """Every file (and link) in it, but midcycle's own folder and the
    ``OUTPUT_RETENTION`` entries."""
    linked: list[str]
    """The links to folders among them."""
    record: frozenset[str]
    """The files its record names."""
    owned: frozenset[str]
    """The files the build may replace or remove."""

    @classmethod
    def empty(cls) -> Inventory:
        """What a folder that is not there holds."""
        return cls([], [], frozenset(), frozenset())


def owned_files(output: Path, retention: Iterable[str], adopt: bool = False) -> tuple[Inventory, list[str]]:
    """What ``output`` holds, and the problem if it holds files the build did
    not make (with ``adopt``, they become the build's)."""
    if not output.is_dir():
        return Inventory.empty(), []
    present, linked = _present(output, retention)
    record = frozenset(read_record(output) or ())
    unknown = [name for name in present if name not in record]
    if not unknown or adopt:
        return Inventory(present, linked, record, record.union(present)), []
    return Inventory(present, linked, record, record), [not_made_problem(output, unknown)]


def not_made_problem(output: Path, unknown: list[str]) -> str:
    """Why a build refuses ``output``, which holds the files ``unknown``."""
    shown = ", ".join(map(shown_name, unknown[:NAMED])) + (f" and {len(unknown) - NAMED} more"
                                                           if len(unknown) > NAMED else "")
    return (f"{output} holds files midcycle did not make: {shown}. A build removes from its output folder "
            "whatever the site does not make: build into a new or empty folder, or, if everything in this "
            f"one may be replaced or removed, say so once ({ADOPT_HINT})")


def in_the_way(output: Path, names: Iterable[str], inventory: Inventory) -> list[str]:
    """What in ``output`` moving ``names`` in would replace or remove though
    the build does not own it, put there since the ``inventory`` was taken:
    a file or link where a new file goes or where it needs a folder, or what
    a folder where a new file goes holds."""
    found, looked = set(), set()
    for name in names:
        parts = name.split("/")
        for place in ("/".join(parts[:depth]) for depth in range(1, len(parts))):
            if place not in looked:
                looked.add(place)
                mode = _mode(output / place)
                if mode is not None and not stat.S_ISDIR(mode) and place not in inventory.owned:
                    found.add(place)
        mode = _mode(output / name)
        if mode is not None and stat.S_ISDIR(mode):
            found.update(inner for inner in (f"{name}/{below}" for below, _entry in files_under(output / name))
                         if inner not in inventory.owned)
        elif mode is not None and name not in inventory.owned:
            found.add(name)
    return sorted(found)


def _mode(path: Path) -> int | None:
    """What ``path`` is (its link, not followed), or ``None`` if nothing is there."""
    try:
        return os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold ``output`` for one build (creating it if need be); a second build
    on it is refused, not left to break the first. The lock is on the
    folder itself, so a folder that turns out not to be the build's is
    left without a trace."""
    output.mkdir(parents=True, exist_ok=True)
    folder = os.open(output, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise
            raise BuildError([f"{output}: another build is running on this output folder; "
                              "wait for it to finish, then build again"]) from None
        yield
    finally:
        os.close(folder)


def record_stamp(output: Path) -> tuple[int, int, int] | None:
    """Which version of the record ``output`` holds: a build that rewrote
    it has changed the folder."""
    try:
        stat = os.stat(output / RECORD)
    except OSError:
        return None
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


@contextmanager
def claimed(output: Path, settings: Mapping[str, Any], adopt: bool = False,
            known: Callable[[], Inventory | None] | None = None) -> Iterator[Inventory]:
    """Hold ``output`` for one build, once it is known to be a folder a
    build may use (see :func:`folder_problems`) and to hold only files the
    build made (see :func:`owned_files`); yields what it holds. Raises
    :class:`BuildError` saying why not, before anything in the folder
    changed. A process that moved the last build in itself may know what
    the folder holds (``known()``, asked once the folder is held, see
    session.py) and need not look again."""
    problems = folder_problems(output, Path(settings["PATH"]), Path(settings["THEME"]),
                               Path(settings["CACHE_PATH"]), Path.cwd(), Path.home())
    if problems:
        raise BuildError(problems)
    with output_lock(output):
        inventory = known() if known else None
        if inventory is None:
            inventory, problems = owned_files(output, settings.get("OUTPUT_RETENTION", ()), adopt)
            if problems:
                raise BuildError(problems)
        yield inventory


def first_missing(output: Path) -> Path | None:
    """The outermost folder on the way to ``output`` that does not exist
    (``output`` itself, or one above), which a build creates; ``None`` if
    ``output`` exists."""
    missing = None
    while not output.exists() and output != output.parent:
        missing, output = output, output.parent
    return missing


def abandon(output: Path, created: Path | None) -> None:
    """After a failed build: remove the fresh folder, and the folders this
    build created for the output (``created``, see :func:`first_missing`)."""
    shutil.rmtree(fresh_folder(output), ignore_errors=True)
    if created is not None and not _present(output, ())[0]:
        shutil.rmtree(created, ignore_errors=True)


def present_files(root: Path, retention: Iterable[str]) -> list[str]:
    """The files under ``root`` but midcycle's own and the ``retention``
    entries, relative and ``/``-separated."""
    return _present(root, retention)[0]


def _present(root: Path, retention: Iterable[str]) -> tuple[list[str], list[str]]:
    """The files under ``root`` and its links to folders (not followed),
    relative and ``/``-separated, except midcycle's own folder and the
    top-level entries named in ``retention``."""
    kept = {OWN_FOLDER, *retention}
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


class Moved(NamedTuple):
    """What :func:`commit` did."""

    changed: list[str]
    """The files moved in or removed, relative to the output folder."""
    inventory: Inventory
    """What the output folder holds now, but files put there by someone
    else while the build ran."""


def commit(fresh: Path, output: Path, made: Iterable[str], inventory: Inventory) -> Moved:
    """Bring ``output`` to what the build made: the files in ``fresh``
    moved in, one atomic rename each (the pages and feeds in ``made`` are
    there because they changed; what Pelican copied moves only if its bytes
    are not already in ``output``); then every file the build owns
    (``inventory``: what the output held when the build started, see
    :func:`owned_files`) that is neither in ``made`` nor in ``fresh``
    removed, and folders left empty. Files the build does not own, and the top-level
    entries named by ``OUTPUT_RETENTION`` (a ``.git`` folder, say), stay.
    The record then names every file the build made.

    Returns the files moved in or removed, and what the folder holds now. Raises
    :class:`BuildError`, before moving anything, if a file the build made
    would go through a link to a folder (the writer compared through it,
    and the build never writes outside the output folder), or would replace
    a file the build does not own that was put there since the inventory
    was taken (see :func:`in_the_way`).
    """
    new = sorted(name for name, _entry in files_under(fresh)) if fresh.exists() else []
    made = set(made)
    wanted = made.union(new)
    through = [folder for folder in inventory.linked if any(name.startswith(f"{folder}/") for name in wanted)]
    if through:
        raise BuildError([f"{output / folder} is a link to a folder, and this build puts files in that folder; "
                          "midcycle does not write through links: remove the link and build again"
                          for folder in through])
    foreign = in_the_way(output, new, inventory) if inventory.present else []
    if foreign:
        raise BuildError([not_made_problem(output, foreign)])
    going = inventory.owned.intersection(inventory.present) - wanted
    # Should moving in stop half-way, the output holds files of both builds:
    # the record names them all, so the next build may put them right.
    if wanted | going != inventory.record:
        write_record(output, wanted | going)
    changed = []
    now_present = set(inventory.present).difference(going).union(new)
    if not inventory.present:  # a first build: whole folders move at once
        for entry in os.scandir(fresh) if fresh.exists() else ():
            os.replace(entry.path, output / entry.name)
        changed, new = new, []
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
    for name in sorted(going):
        try:
            os.remove(output / name)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            continue  # already replaced above by a file or folder the build made
        changed.append(name)
        emptied.update(Path(name).parents)
    for folder in sorted(emptied - {Path(".")}, key=lambda folder: len(folder.parts), reverse=True):
        if not os.listdir(output / folder):
            os.rmdir(output / folder)
    if going:
        write_record(output, wanted)
    record = frozenset(wanted)
    return Moved(changed, Inventory(sorted(now_present), [link for link in inventory.linked if link not in going],
                                    record, record))
