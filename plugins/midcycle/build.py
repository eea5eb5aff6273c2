"""``midcycle build``: run Pelican so a failed build changes nothing.

Pelican and the plugin write into a fresh folder inside the output folder
(``.midcycle/next``, see commit.py): the plugin only the pages and feeds
whose bytes changed, Pelican the static files it copies. Only when the
whole build succeeded are they moved into the output folder; otherwise the
fresh folder is removed and the previous output stays exactly as it was.
Before anything happens the output folder is checked (it must hold only
files a build made) and locked against a second build. Errors are said as
the list of problems, naming files, without a traceback.

Takes the same arguments as ``pelican``, and ``--adopt-output``: the output
folder holds files midcycle has no record of making, and they are the
site's to replace or remove. :func:`safe_build` is the same build for a
program that builds again and again (the dev server).
"""

from __future__ import annotations

import datetime
import gc
import json
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pelican import get_instance, parse_arguments
from pelican.log import init as init_logging

from . import websub
from .commit import Inventory, abandon, claimed, commit, first_missing, fresh_folder
from .errors import BuildError
from .session import Session
from .state import BuildRecord

#: What the build says when the settings do not enable the plugin.
NO_PLUGIN = ("midcycle: the midcycle plugin did not run (is it in PLUGINS of the settings file?); "
             "without it the build would remove every page")


@contextmanager
def collecting_only_in_work() -> Iterator[None]:
    """Collect no garbage while a build runs but in the work it shares
    among processes (see :func:`midcycle.processes.collecting`): the rest
    (the site model, 38,000 outputs' descriptions at 10,000 posts) makes
    millions of objects and no cycles to speak of, and collecting over them
    took 0.1 to 0.17 s of a 2 s rebuild after an edit. Afterwards the
    process collects as it did before; the dev server also collects what
    the build left (server.py)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Outcome:
    """How a build went."""

    failure: str = ""
    """Why it failed, as the author should read it; empty when it did not."""
    summary: str = ""
    """What it did, in one line."""
    changed: list[str] = field(default_factory=list)
    """The output files it wrote or removed, relative to the output folder."""
    posts: int = 0

    @property
    def ok(self) -> bool:
        return not self.failure


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
        return NO_PLUGIN
    return None


#: The option that says an output folder holding other files is the site's.
ADOPT_OUTPUT = "--adopt-output"

#: Pelican's option for settings given on the command line (``-e KEY=JSON``).
OVERRIDE_OPTIONS = ("-e", "--extra-settings")


def lenient_overrides(argv: list[str]) -> list[str]:
    """``argv`` with each ``-e KEY=VALUE`` whose value is not JSON made a
    JSON string: ``SITENAME=My blog`` means the text, as the author meant
    (Pelican would end in a traceback); ``KEY=5``, ``KEY=false`` and
    ``KEY="x"`` stay as they were."""
    result, overriding = [], False
    for arg in argv:
        if arg.startswith("-"):
            overriding = arg in OVERRIDE_OPTIONS
        elif overriding and "=" in arg:
            key, value = arg.split("=", 1)
            try:
                json.loads(value)
            except ValueError:
                arg = f"{key}={json.dumps(value)}"
        result.append(arg)
    return result


def pelican_arguments(argv: list[str]) -> Any:
    """Pelican's command line, with lenient ``-e`` values; ``ValueError``
    says what is wrong with a malformed pair."""
    try:
        return parse_arguments(lenient_overrides(argv))
    except ValueError as error:  # Pelican raises from inside argparse
        raise ValueError(f"midcycle: {error} (a value with spaces needs quotes: SETTINGS='SITENAME=\"My blog\"')")


def safe_build(args: Any, extra: dict[str, Any] | None = None, adopt: bool = False) -> Outcome:
    """Build as :func:`build` does, from parsed ``pelican`` arguments,
    with ``extra`` settings on top; say nothing, return the outcome.
    ``adopt``: the output folder's files are the site's, recorded or not."""
    with collecting_only_in_work():
        return _safe_build(args, extra, adopt)


def _safe_build(args: Any, extra: dict[str, Any] | None, adopt: bool) -> Outcome:
    started = time.monotonic()
    if args.path is not None and not os.path.isdir(args.path):
        return Outcome(str(BuildError([f"command line: the content folder {args.path} is not a folder "
                                       "(INPUTDIR= names the folder holding your posts)"])))
    try:
        pelican, settings = get_instance(args)
    except BuildError as error:  # the plugin's settings check
        return Outcome(str(error))
    except Exception as error:  # noqa: BLE001 - a settings file that does not run, a missing theme, say
        if getattr(args, "verbosity", None) == logging.DEBUG:
            raise
        return Outcome(f"midcycle: cannot use the settings {args.settings}: {type(error).__name__}: {error}")
    settings.update(extra or {})
    output = Path(settings["OUTPUT_PATH"]).resolve()
    left = f"midcycle: {output} was left as it was."
    if "MIDCYCLE_CACHE_ROOT" not in settings:  # set by the plugin's settings check
        return Outcome(f"{NO_PLUGIN}\n{left}")
    record = BuildRecord(settings, output)
    settings["MIDCYCLE_READ_FINGERPRINT"], settings["MIDCYCLE_RENDER_FINGERPRINT"] = record.fingerprints
    # The dev server builds when something changed; looking at every file
    # to see whether something did would cost it more than it saves.
    session = settings.get("MIDCYCLE_SESSION")
    if session is None and record.nothing_to_do(datetime.datetime.now(datetime.timezone.utc)):
        return Outcome(summary=f"midcycle: {record.posts()} posts, nothing changed since the last build, "
                               f"{time.monotonic() - started:.1f} s", posts=record.posts())
    created = first_missing(output)
    try:
        with claimed(output, settings, adopt, partial(session.inventory, output) if session else None) as inventory:
            return _build_into(pelican, settings, output, inventory, created, record, session)
    except BuildError as error:  # not the build's folder, or another build holds it
        return Outcome(f"{error}\n{left}")
    except OSError as error:  # the folder cannot be made or opened
        return Outcome(f"midcycle: cannot use the output folder: {error}\n{left}")


def _build_into(pelican: Any, settings: dict[str, Any], output: Path, inventory: Inventory, created: Path | None,
                record: BuildRecord, session: Session | None) -> Outcome:
    """Build in the fresh folder, and move in if the build succeeded. A
    failed build leaves nothing behind, not even the folders it ``created``
    for the output. A ``session`` (the dev server's) is told what the
    output holds afterwards."""
    fresh = fresh_folder(output)
    shutil.rmtree(fresh, ignore_errors=True)  # left by a killed build
    pelican.output_path = settings["OUTPUT_PATH"] = str(fresh)
    # The plugin's writer compares with the output, writing only changes
    # into the fresh folder (see write.py).
    settings["MIDCYCLE_PREVIOUS_OUTPUT"] = str(output)
    settings["MIDCYCLE_PRESENT"] = inventory.present
    failure = _run(pelican, settings)
    if failure is None:
        try:
            changed, now_holds = commit(fresh, output, settings["MIDCYCLE_OUTPUT_FILES"], inventory)
        except BuildError as error:  # raised before anything was moved
            failure = str(error)
        except OSError as error:
            record.forget()
            return Outcome(f"midcycle: could not move the new files into {output}: {error}\n"
                           f"midcycle: {output} may hold part of the new build; build again once this is fixed.")
        else:
            if session is None:
                record.finished(settings["MIDCYCLE_DUE"], settings["MIDCYCLE_POSTS"])
            else:  # what it was made from was not looked at (see safe_build)
                record.forget()
                session.keep_inventory(output, now_holds)
            websub.record(settings, output, changed)
            return Outcome(summary=settings.get("MIDCYCLE_SUMMARY", ""), changed=changed,
                           posts=settings["MIDCYCLE_POSTS"])
    abandon(output, created)
    if session is not None:
        session.keep_inventory(output, inventory if output.exists() else Inventory.empty())
    return Outcome(f"{failure}\nmidcycle: {output} was left as it was.")


def build(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = pelican_arguments([arg for arg in argv if arg != ADOPT_OUTPUT])
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican")
    outcome = safe_build(args, adopt=ADOPT_OUTPUT in argv)
    if outcome.failure:
        print(outcome.failure, file=sys.stderr)
        return 1
    if outcome.summary and logging.getLogger("pelican").getEffectiveLevel() <= logging.WARNING:  # quiet with -q
        print(outcome.summary)
    return 0


def main(argv: list[str] | None = None) -> int:
    return build(argv)


if __name__ == "__main__":
    sys.exit(main())
