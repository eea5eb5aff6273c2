"""``python -m midcycle.build``: run Pelican so a failed build changes nothing.

Pelican writes into a fresh folder beside the output folder
(``.output.next``). Only when the whole build succeeded is it swapped in;
otherwise it is removed and the previous output stays exactly as it was. A
file whose bytes did not change keeps the modification time it had, so rsync
and conditional GETs see no change. Errors are printed as the list of
problems, naming files, without a traceback.

Takes the same arguments as ``pelican``.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from pelican import get_instance, parse_arguments
from pelican.log import init as init_logging

from .errors import BuildError

logger = logging.getLogger(__name__)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_folders(content: Path, output: Path) -> list[str]:
    """The output folder is replaced wholesale, so it must hold nothing the
    author wrote."""
    content, output = content.resolve(), output.resolve()
    if _inside(content, output) or _inside(output, content):
        return [f"settings: the output folder {output} and the content folder {content} overlap; "
                "the output folder is replaced on every build"]
    return []


def carry_over_unchanged(previous: Path, fresh: Path) -> int:
    """Give each file in ``fresh`` whose bytes equal its namesake in
    ``previous`` that file's modification time. Returns how many were kept.

    The plugin's writer already hard-links unchanged pages and feeds from
    the previous output; what is left is what Pelican copied (theme and
    static files). Inode numbers come with each folder listing, so the
    linked files cost no extra look-up.
    """
    kept = 0
    pending = [(str(fresh), str(previous))]
    while pending:
        new_dir, old_dir = pending.pop()
        try:
            old_entries = {entry.name: entry for entry in os.scandir(old_dir)}
        except OSError:
            continue
        for entry in os.scandir(new_dir):
            old = old_entries.get(entry.name)
            if old is None:
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append((entry.path, old.path))
            elif entry.inode() == old.inode():
                kept += 1
            elif entry.is_file(follow_symlinks=False) and old.is_file(follow_symlinks=False):
                old_stat = old.stat()
                if old_stat.st_size == entry.stat().st_size and \
                        Path(old.path).read_bytes() == Path(entry.path).read_bytes():
                    os.utime(entry.path, ns=(old_stat.st_atime_ns, old_stat.st_mtime_ns))
                    kept += 1
    return kept


def swap_in(fresh: Path, output: Path, retention: list[str]) -> None:
    """Replace ``output`` by ``fresh``, keeping the entries Pelican's
    ``OUTPUT_RETENTION`` names (a ``.git`` folder, say)."""
    if output.exists():
        retired = output.with_name(f".{output.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        os.rename(output, retired)
        os.rename(fresh, output)
        # Only once the new output is in place: a failed rename above must
        # leave the old output whole, retained entries included.
        for name in retention:
            if (retired / name).exists() and not (output / name).exists():
                shutil.move(retired / name, output / name)
        shutil.rmtree(retired)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        os.rename(fresh, output)


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
    # The plugin's writer keeps unchanged files from here (see write.py).
    settings["MIDCYCLE_PREVIOUS_OUTPUT"] = str(output)
    try:
        pelican.run()
        failure = None
    except BuildError as error:
        failure = str(error)
    except Exception as error:  # Pelican's own failures: say what, not where in Pelican.
        if settings.get("DEBUG"):
            raise
        failure = f"midcycle: the build failed: {type(error).__name__}: {error}"
    if failure:
        shutil.rmtree(fresh, ignore_errors=True)
        print(failure, file=sys.stderr)
        print(f"midcycle: {output} was left as it was.", file=sys.stderr)
        return 1
    carry_over_unchanged(output, fresh)
    swap_in(fresh, output, settings.get("OUTPUT_RETENTION", []))
    return 0


def main() -> None:
    sys.exit(build())


if __name__ == "__main__":
    main()
