"""The one guarded writer every page and feed goes through.

Before anything is written all outputs are checked together: each file name
must stay inside the output folder, and no two outputs may claim one file.
Every problem is reported at once, naming the sources involved, and nothing
is written if there is any. A file whose bytes did not change is left alone,
so its modification time survives and rsync and conditional GETs see no change.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError


@dataclass(frozen=True, slots=True)
class Output:
    file: str
    """Relative to the output folder, ``/``-separated."""
    content: bytes
    source: str
    """What it was made from, for error messages: a content file or a listing."""


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` may not be written, or ``None`` if it is a plain relative
    file name that stays inside the output folder."""
    if not name:
        return "empty file name"
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        return "control character in file name"
    if "\\" in name:
        return "backslash in file name"
    if name.startswith("/") or posixpath.isabs(name) or (len(name) > 1 and name[1] == ":"):
        return "absolute file name"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "'..', '.' or an empty segment in file name"
    return None


def check_outputs(outputs: Iterable[Output], others: Iterable[tuple[str, str]] = ()) -> list[str]:
    """All containment and collision problems, as messages naming the sources.

    ``others`` are ``(file, source)`` pairs written by someone else (Pelican
    copying static files) that take part in the collision check.
    """
    problems = []
    claims: dict[str, list[str]] = defaultdict(list)
    for file, source in others:
        claims[file.casefold()].append(f"{source} ({file})")
    for output in outputs:
        reason = unsafe_reason(output.file)
        if reason:
            problems.append(f"{output.source}: refusing to write {output.file!r}: {reason}")
        else:
            # Case-insensitive file systems would merge these; treat them as one.
            claims[output.file.casefold()].append(f"{output.source} ({output.file})")
    for sources in claims.values():
        if len(sources) > 1:
            problems.append("two sources for one output file: " + " and ".join(sources))
    return problems


def write_outputs(outputs: list[Output], root: str | os.PathLike,
                  others: Iterable[tuple[str, str]] = ()) -> tuple[int, int]:
    """Check every output, then write those whose bytes changed.

    Returns ``(written, unchanged)``. Raises :class:`BuildError` listing every
    problem before touching the disk.
    """
    problems = check_outputs(outputs, others)
    if problems:
        raise BuildError(problems)
    root = Path(root).resolve()
    written = unchanged = 0
    for output in outputs:
        target = root / output.file
        try:
            if target.read_bytes() == output.content:
                unchanged += 1
                continue
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.content)
        written += 1
    return written, unchanged
