"""``python -m midcycle.build``: run Pelican so a failed build changes nothing.

Pelican and the plugin write into a fresh folder beside the output folder
(``.output.next``): the plugin only the pages and feeds whose bytes changed,
Pelican the static files it copies. Only when the whole build succeeded are
they moved into the output folder, and files the build no longer makes are
removed; otherwise the fresh folder is removed and the previous output stays
exactly as it was. A file whose bytes did not change is never touched, so it
keeps its modification time and rsync and conditional GETs see no change.
Errors are printed as the list of problems, naming files, without a
traceback.

Takes the same arguments as ``pelican``.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from pelican import get_instance, parse_arguments
from pelican.log import init as init_logging

from .errors import BuildError
from .write import holding



def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_folders(content: Path, output: Path) -> list[str]:
    """The build removes from the output folder whatever it did not make, so
    that folder must hold nothing the author wrote."""
    content, output = content.resolve(), output.resolve()
    if _inside(content, output) or _inside(output, content):
        return [f"settings: the output folder {output} and the content folder {content} overlap; "
                "the build removes from the output folder whatever it did not make"]
    return []


def _walk(root: str, skip: Collection[str] = ()) -> tuple[list[str], list[str]]:
    """The files under ``root`` and its links to folders (not followed),
    relative and ``/``-separated, except under the top-level entries named
    in ``skip``."""
    files, linked = [], []
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(os.path.join(root, folder)) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if name in skip:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    pending.append(name)
                else:
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


def commit(fresh: Path, output: Path, made: Iterable[str], retention: Iterable[str]) -> None:
    """Bring ``output`` to what the build made: the files in ``fresh``
    moved in, one atomic rename each (the pages and feeds in ``made`` are
    there because they changed; what Pelican copied moves only if its bytes
    are not already in ``output``); then every
    file of ``output`` that is neither in ``made`` nor in ``fresh`` nor
    named by ``retention`` (Pelican's ``OUTPUT_RETENTION``, a ``.git``
    folder say) removed, and folders left empty.

    Raises :class:`BuildError`, before moving anything, if a file the build
    made would go through a link to a folder: the writer compared through
    it, and the build never writes outside the output folder.
    """
    if not output.exists():
        output.parent.mkdir(parents=True, exist_ok=True)
        if fresh.exists():
            os.rename(fresh, output)
        else:
            output.mkdir()
        return
    new = sorted(_walk(str(fresh))[0]) if fresh.exists() else []
    present, linked = _walk(str(output), skip=set(retention))
    made = set(made)
    wanted = made.union(new)
    through = [folder for folder in linked if any(name.startswith(f"{folder}/") for name in wanted)]
    if through:
        raise BuildError([f"{output / folder} is a link to a folder, and this build puts files in that folder; "
                          "midcycle does not write through links: remove the link and build again"
                          for folder in through])
    for name in new:
        source, target = os.path.join(fresh, name), os.path.join(output, name)
        # The writer put its files here only because they differ; what
        # Pelican copied may well be what the output already has.
        if name in made or not holding(target, Path(source).read_bytes()):
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
            emptied.update(Path(name).parents)
    for folder in sorted(emptied - {Path(".")}, key=lambda folder: len(folder.parts), reverse=True):
        if not os.listdir(output / folder):
            os.rmdir(output / folder)


def _run(pelican: Any, settings: dict[str, Any]) -> str | None:
    """Run Pelican; why the build failed, or ``None``."""
    try:
        pelican.run()
    except BuildError as error:
        return str(error)
    except Exception as error:  # Pelican's own failures: say what, not where in Pelican.
        if settings.get("DEBUG"):
            raise
        return f"midcycle: the build failed: {type(error).__name__}: {error}"
    if settings.get("MIDCYCLE_OUTPUT_FILES") is None:
        return ("midcycle: the midcycle plugin did not run (is it in PLUGINS of the settings file?); "
                "without it the build would remove every page")
    return None


def build(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican")
    try:
        pelican, settings = get_instance(args)
    except BuildError as error:  # the plugin's settings check
        print(error, file=sys.stderr)
        return 1
    output = Path(settings["OUTPUT_PATH"]).resolve()
    problems = check_folders(Path(settings["PATH"]), output)
    if problems:
        print(BuildError(problems), file=sys.stderr)
        return 1
    fresh = output.with_name(f".{output.name}.next")
    shutil.rmtree(fresh, ignore_errors=True)
    pelican.output_path = settings["OUTPUT_PATH"] = str(fresh)
    # The plugin's writer compares with the output, writing only changes
    # into the fresh folder (see write.py).
    settings["MIDCYCLE_PREVIOUS_OUTPUT"] = str(output)
    failure = _run(pelican, settings)
    if failure is None:
        try:
            commit(fresh, output, settings["MIDCYCLE_OUTPUT_FILES"], settings.get("OUTPUT_RETENTION", []))
            return 0
        except BuildError as error:  # raised before anything was moved
            failure = str(error)
        except OSError as error:
            print(f"midcycle: could not move the new files into {output}: {error}", file=sys.stderr)
            print(f"midcycle: {output} may hold part of the new build; build again once this is fixed.",
                  file=sys.stderr)
            return 1
    shutil.rmtree(fresh, ignore_errors=True)
    print(failure, file=sys.stderr)
    print(f"midcycle: {output} was left as it was.", file=sys.stderr)
    return 1


def main() -> None:
    sys.exit(build())


if __name__ == "__main__":
    main()
