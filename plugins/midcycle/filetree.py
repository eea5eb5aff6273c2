"""Walking folders, what in a folder the build refuses to follow or name,
and telling whether two folders overlap.

Every walk of a folder tree in the build goes through :func:`files_under`:
the output folder before moving files in, the plugin and theme for the
fingerprint, the theme's static files, the content folder for comments,
a PyBlosxom datadir for the import. It never follows a link to a folder (a
link may lead outside the tree, or back into it, forever): such a link is
reported as an entry like a file, for the caller to judge.

Pelican's own walks do follow links, and it copies whatever they reach into
the output: a link to ``/etc`` in the content folder would publish
``/etc/shadow``, a link to ``.`` nest the site forty levels deep. So before
Pelican reads anything, :func:`tree_problems` judges every link in the
content folder and the theme: one whose target (followed to the end) is
inside the folder is allowed, as long as no chain of links to folders
leads back into itself; anything else is an error naming the link.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .text import control_character, shown_name

Entries = Iterable[tuple[str, os.DirEntry]]


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


def _inside_real(path: str, folder: str) -> bool:
    """Whether real path ``path`` is real path ``folder`` or below it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def link_problems(root: str | os.PathLike, entries: Entries, label: str) -> list[str]:
    """Every link among ``entries`` (from :func:`files_under` over ``root``)
    that leads outside ``root`` or nowhere, and every link to a folder that
    leads, alone or through other links, back to where it is; ``label``
    names the folder in the messages ("content folder")."""
    real_root = os.path.realpath(root)
    problems = []
    folders: dict[str, str] = {}  # link -> the real folder it leads to
    for name, entry in entries:
        if not entry.is_symlink():
            continue
        written = shown_name(os.readlink(entry.path))
        target = os.path.realpath(entry.path)
        if not _inside_real(target, real_root):
            problems.append(f"{shown_name(name)}: a link to {written}, outside the {label} ({shown_name(target)}); "
                            f"midcycle never reads or publishes anything from outside it: copy what you need "
                            f"into the {label}, or remove the link")
        elif not os.path.exists(target):
            problems.append(f"{shown_name(name)}: a link to {written}, which does not exist; remove the link")
        elif os.path.isdir(target):
            folders[name] = target
    # Following link a leads into its target folder, and so to every link
    # below it; a loop is a link that can follow its way back to itself.
    leads_to = {name: [other for other in folders
                       if _inside_real(os.path.join(real_root, posixpath.dirname(other)).rstrip(os.sep), target)]
                for name, target in folders.items()}
    for name in folders:
        seen, pending = set(), list(leads_to[name])
        while pending and name not in seen:
            link = pending.pop()
            if link not in seen:
                seen.add(link)
                pending.extend(leads_to[link])
        if name in seen:
            problems.append(f"{shown_name(name)}: a link to {shown_name(os.readlink(os.path.join(root, name)))} "
                            "that leads back into itself, so the folder would be read (and published) without "
                            "end; remove the link")
    return problems


def name_problems(entries: Entries) -> list[str]:
    """Names among ``entries`` (files, and the folders they are in) that are
    not text: bytes that are not UTF-8, or control characters, which no URL,
    feed or message can carry. Each bad name once."""
    problems, seen = [], set()
    for name, _entry in entries:
        if control_character(name) is None:  # nearly every name: no need to look at its parts
            continue
        parts = name.split("/")
        for depth in range(1, len(parts) + 1):
            bad = control_character(parts[depth - 1])
            path = "/".join(parts[:depth])
            if bad is None or path in seen:
                continue
            seen.add(path)
            if "\ud800" <= bad <= "\udfff":
                problems.append(f"{shown_name(path)}: the name is not UTF-8; rename it (its bytes are shown as \\x..)")
            else:
                problems.append(f"{shown_name(path)}: control character U+{ord(bad):04X} in the name; rename it")
            break
    return problems


def tree_problems(root: str | os.PathLike, label: str) -> list[str]:
    """What in the folder ``root`` the build refuses: see :func:`link_problems`
    and :func:`name_problems`."""
    entries = list(files_under(root))
    return link_problems(root, entries, label) + name_problems(entries)
