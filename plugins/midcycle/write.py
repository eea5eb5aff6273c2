"""The one guarded writer every page and feed goes through.

Before anything is written all outputs are checked together: each file name
must stay inside the output folder, and no two outputs may claim one file.
Every problem is reported at once, naming the sources involved, and nothing
is written if there is any.

Outputs are rendered only when needed. Each carries a digest of everything
its bytes depend on; a manifest (in the cache folder) records for each file
the digest it was made from and the size and modification time it had. When
a file's digest and the file itself are as the manifest says, it is not
rendered again, and a rendered file whose bytes did not change is not
written: a rebuild after one edit renders only what the edit touched and
writes only what differs, and unchanged files keep their bytes and
modification time for rsync and conditional GETs. A manifest written by a
build that then failed cannot mislead the next one: the files it describes
were new files, with times the previous output's files do not have.

A page whose template looked at the whole site model (see templating.py)
is recorded so: the next build adds the digest of the whole site to its
digest, so any change to any post renders it again.
"""

from __future__ import annotations

import pickle
import os
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from .digests import digest
from .errors import BuildError
from .processes import in_parallel
from .storage import load_pickles, replacing
from .urls import temporary_name, unsafe_reason


@dataclass(frozen=True, slots=True)
class Output:
    file: str
    """Relative to the output folder, ``/``-separated."""
    render: Callable[[], bytes]
    """Renders the bytes, called only when the file must be written."""
    source: str
    """What it was made from, for error messages: a content file or a listing."""
    digest: str | None = None
    """Of everything the bytes depend on; ``None`` renders every time."""


class Counts(NamedTuple):
    """What a build did with its outputs."""

    rendered: int
    written: int
    """Rendered, and different from the file in the output."""
    unchanged: int
    """Left as they were: not rendered, or rendered to the same bytes."""


@dataclass(frozen=True, slots=True)
class WholeSite:
    """How the writer learns whether a render looked at the whole site
    model, and the digest of that model."""

    looked: Callable[[], bool]
    """Whether the last render looked at it (and forget that it did)."""
    digest: Callable[[], str]


def copies(root: str, files: Iterable[tuple[str, int, int]]) -> Iterator[Output]:
    """Files beside the posts (``(name, size, modification time)``, names
    relative to the content folder ``root``), each an output at the same
    place: its digest is its size and time, so an unchanged file is not
    even read, and a changed one is read to be written."""
    for name, size, mtime_ns in files:
        yield Output(name, Path(root, name).read_bytes, name, digest("copy", size, mtime_ns))


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
    for name, sources in claims.items():
        folder = name
        while "/" in folder:
            folder = folder.rsplit("/", 1)[0]
            if folder in claims:
                problems.append(f"one output is a file where another needs a folder: "
                                f"{' and '.join(claims[folder])} against {' and '.join(sources)}")
    return problems


#: The key in a manifest under which the digest of the checked names lies
#: (no file is named ``""``).
CHECKED = ""


def read_manifest(path: Path) -> dict[str, list]:
    """``{file: [digest, size, mtime_ns]}`` of a previous output, or ``{}``
    if there is none or it cannot be read (it only saves rendering; a
    damaged one is dropped with a warning, see :func:`midcycle.storage.load_pickles`)."""
    stored = load_pickles(path)
    manifest = stored[0] if stored else {}
    return manifest if isinstance(manifest, dict) else {}


def write_manifest(path: Path, manifest: dict[str, list]) -> None:
    """Write ``manifest`` whole or not at all (a full disk leaves the old one)."""
    with replacing(path) as handle:
        pickle.dump(manifest, handle, protocol=pickle.HIGHEST_PROTOCOL)


def _still_as_recorded(path: str, record: list) -> bool:
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return [stat.st_size, stat.st_mtime_ns] == record[1:3]


#: The last field of a record of a page that looked at the whole site.
LOOKED_AT_SITE = "site"


def _recorded_digest(output: Output, record: list, whole_site: WholeSite | None) -> str | None:
    """The digest ``output`` would have been recorded with, had it been
    made from what it is made from now."""
    if record[3:] == [LOOKED_AT_SITE]:
        return digest(output.digest, whole_site.digest()) if whole_site else None
    return output.digest


def holding(path: str | os.PathLike, content: bytes) -> os.stat_result | None:
    """The status of the file at ``path`` if it holds exactly ``content``."""
    try:
        stat = os.stat(path)
        if stat.st_size == len(content) and Path(path).read_bytes() == content:
            return stat
    except OSError:
        pass
    return None


def _render_and_write(outputs: list[Output], root: str, old_root: str, folders: set[str],
                      whole_site: WholeSite | None) -> tuple[dict[str, list], int, int]:
    """Render ``outputs`` and write into ``root`` those whose bytes differ
    from their namesakes in ``old_root``; returns their manifest records
    and how many were written and how many turned out unchanged.
    ``folders`` are those known to exist (this process adds to it)."""
    records: dict[str, list] = {}
    written = unchanged = 0
    for output in outputs:
        target, old = f"{root}/{output.file}", f"{old_root}/{output.file}"
        try:
            content = output.render()
        except BuildError:
            raise
        except Exception as error:  # a template's or feedgen's: say which output, from what
            raise BuildError([f"{output.source}: cannot make {output.file}: {type(error).__name__}: {error}"]) \
                from error
        looked = whole_site is not None and whole_site.looked()
        stat = holding(old, content)
        if stat:
            unchanged += 1
        else:
            folder = os.path.dirname(target)
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            # Writing into the live output: through a temporary file and a
            # rename, so a reader (or a web server) sees the old file or the
            # new one, never half of it. A fresh folder is the build's own
            # until it is moved in, so files are written there directly.
            temporary = target if root != old_root else os.path.join(folder, temporary_name(os.path.basename(target)))
            with open(temporary, "wb") as handle:
                handle.write(content)
                handle.flush()
                stat = os.fstat(handle.fileno())
            if temporary != target:
                os.replace(temporary, target)
            written += 1
        if output.digest and looked:
            records[output.file] = [digest(output.digest, whole_site.digest()), stat.st_size, stat.st_mtime_ns,
                                    LOOKED_AT_SITE]
        elif output.digest:
            records[output.file] = [output.digest, stat.st_size, stat.st_mtime_ns]
    return records, written, unchanged


def write_outputs(outputs: list[Output], root: str | os.PathLike,
                  others: Iterable[tuple[str, str]] = (),
                  previous: str | os.PathLike | None = None,
                  manifest_path: str | os.PathLike | None = None,
                  workers: int = 1, whole_site: WholeSite | None = None,
                  manifests: dict[str, dict[str, list]] | None = None) -> Counts:
    """Check every output, then write what changed into ``root``.

    What changed is judged against ``previous``, the last finished output
    (``root`` itself when not given). When they differ, ``root`` receives
    only the changed files, and the caller moves them into ``previous`` once
    the whole build has succeeded (see build.py). Without a
    ``manifest_path`` every output is rendered. With ``workers`` above 1,
    that many processes render. ``whole_site`` tells which renders looked
    at the whole site model. ``manifests`` keeps manifests in memory, by
    path, for a process that builds again and again (the file is written
    all the same). Returns the :class:`Counts`. Raises
    :class:`BuildError` listing every problem before touching the disk.
    """
    kept = manifests.get(str(manifest_path)) if manifests is not None and manifest_path else None
    old_manifest = kept if kept is not None else read_manifest(Path(manifest_path)) if manifest_path else {}
    # The same names as a build that got as far as writing: the same verdict.
    others = sorted(others)
    names = digest([output.file for output in outputs], others)
    if old_manifest.get(CHECKED) != names:
        problems = check_outputs(outputs, others)
        if problems:
            raise BuildError(problems)
    root = os.path.realpath(root)
    old_root = os.path.realpath(previous) if previous else root
    manifest: dict[str, Any] = {CHECKED: names}
    kept = 0
    pending = []
    for output in outputs:
        record = old_manifest.get(output.file)
        old = f"{old_root}/{output.file}"
        if (output.digest and record and record[0] == _recorded_digest(output, record, whole_site)
                and _still_as_recorded(old, record)):
            manifest[output.file] = record
            kept += 1
        else:
            pending.append(output)
    written, unchanged = 0, kept
    folders: set[str] = set()  # each process has its own copy, kept from chunk to chunk
    for records, chunk_written, chunk_unchanged in in_parallel(
            pending, lambda chunk: _render_and_write(chunk, root, old_root, folders, whole_site), workers):
        manifest.update(records)
        written += chunk_written
        unchanged += chunk_unchanged
    if manifest_path:
        if manifest != old_manifest:
            write_manifest(Path(manifest_path), manifest)
        if manifests is not None:
            manifests[str(manifest_path)] = manifest
    return Counts(len(pending), written, unchanged)
