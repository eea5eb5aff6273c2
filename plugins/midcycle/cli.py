"""``midcycle``: everything the Makefile does, for authors without make.

::

    midcycle build [Pelican's options]   build the site; a failed build changes nothing
    midcycle serve [Pelican's options] [--port 8000] [--bind 127.0.0.1] [--no-drafts] [--static]
    midcycle new --dir openstack/juno --title "..." [--tags "..."]
    midcycle import SRC [DEST] [--comments DIR] ...
    midcycle init [--sitename ...] [--author ...] [--siteurl ...] [--timezone ...]
    midcycle notify OUTPUT               tell the WebSub hub which feeds the last builds changed

Arguments and dispatch only: each command is its own module's ``main``
(build.py, server.py, tools/newpost.py, tools/importer.py, tools/init.py, websub.py), given the
arguments that follow the command's name.
"""

from __future__ import annotations

import argparse
import importlib
import sys

#: Command: (module whose ``main(argv) -> int`` runs it, what it does).
COMMANDS = {
    "build": ("midcycle.build", "build the site (Pelican's options: midcycle build -h); "
                                "a failed build leaves the output folder as it was"),
    "serve": ("midcycle.server", "build drafts too into preview/, serve it on http://127.0.0.1:8000/, build again "
                                 "and reload the open page on every change (--static -o output: serve a built "
                                 "folder as it is)"),
    "new": ("midcycle.tools.newpost", "start a post: midcycle new --dir openstack/juno --title \"...\""),
    "import": ("midcycle.tools.importer", "move a PyBlosxom blog over: midcycle import SRC [DEST]"),
    "init": ("midcycle.tools.init", "make the blog yours: site name, author, time zone, public address"),
    "notify": ("midcycle.websub", "tell the WebSub hub (WEBSUB_HUB) which feeds the last builds of an output "
                                  "folder changed: midcycle notify public"),
}


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in COMMANDS:
        parser = argparse.ArgumentParser(prog="midcycle", description=__doc__.splitlines()[0])
        commands = parser.add_subparsers(title="commands", metavar="COMMAND")
        for name, (_module, what) in COMMANDS.items():
            commands.add_parser(name, help=what, add_help=False)
        parser.parse_args(argv or ["--help"])  # says what is wrong (or the help) and leaves
        return
    command, rest = argv[0], argv[1:]
    if command in ("build", "serve"):
        sys.argv[0] = f"midcycle {command}"  # Pelican's parser names itself after it in its messages
    sys.exit(importlib.import_module(COMMANDS[command][0]).main(rest))
