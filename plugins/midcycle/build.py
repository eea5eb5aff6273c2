"""``midcycle build``: run Pelican so a failed build changes nothing.

Pelican and the plugin write into a fresh folder beside the output folder
(``.output.next``): the plugin only the pages and feeds whose bytes changed,
Pelican the static files it copies. Only when the whole build succeeded are
they moved into the output folder (see commit.py); otherwise the fresh
folder is removed and the previous output stays exactly as it was. Errors
are printed as the list of problems, naming files, without a traceback.

Takes the same arguments as ``pelican``.
"""

from __future__ import annotations

import datetime
import json
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from pelican import get_instance, parse_arguments
from pelican.log import init as init_logging

from .commit import check_folders, commit
from .errors import BuildError
from .state import BuildRecord


#: What the build says when the settings do not enable the plugin.
NO_PLUGIN = ("midcycle: the midcycle plugin did not run (is it in PLUGINS of the settings file?); "
             "without it the build would remove every page")


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


def build(argv: list[str] | None = None) -> int:
    started = time.monotonic()
    try:
        args = parse_arguments(lenient_overrides(sys.argv[1:] if argv is None else argv))
    except ValueError as error:  # a malformed -e pair: Pelican raises from inside argparse
        print(f"midcycle: {error} (a value with spaces needs quotes: SETTINGS='SITENAME=\"My blog\"')",
              file=sys.stderr)
        return 2
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
    if "MIDCYCLE_CACHE_ROOT" not in settings:  # set by the plugin's settings check
        print(NO_PLUGIN, file=sys.stderr)
        print(f"midcycle: {output} was left as it was.", file=sys.stderr)
        return 1
    record = BuildRecord(settings, output)
    if record.nothing_to_do(datetime.datetime.now(datetime.timezone.utc)):
        if logging.getLogger("pelican").getEffectiveLevel() <= logging.WARNING:  # quiet with -q
            print(f"midcycle: {record.posts()} posts, nothing changed since the last build, "
                  f"{time.monotonic() - started:.1f} s")
        return 0
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
            record.finished(settings["MIDCYCLE_DUE"], settings["MIDCYCLE_POSTS"])
            return 0
        except BuildError as error:  # raised before anything was moved
            failure = str(error)
        except OSError as error:
            record.forget()
            print(f"midcycle: could not move the new files into {output}: {error}", file=sys.stderr)
            print(f"midcycle: {output} may hold part of the new build; build again once this is fixed.",
                  file=sys.stderr)
            return 1
    shutil.rmtree(fresh, ignore_errors=True)
    print(failure, file=sys.stderr)
    print(f"midcycle: {output} was left as it was.", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    return build(argv)


if __name__ == "__main__":
    sys.exit(main())
