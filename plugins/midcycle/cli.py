"""``midcycle``: everything the Makefile does, for authors without make.

::

    midcycle build [Pelican's options]   build the site; a failed build changes nothing
    midcycle serve [--output output] [--port 8000] [--bind 127.0.0.1]
    midcycle new --dir openstack/juno --title "..." [--tags "..."]
    midcycle import SRC [DEST] [--comments DIR] ...
    midcycle init [--sitename ...] [--author ...] [--siteurl ...] [--timezone ...]

Arguments and dispatch only: each command is its own module's ``main``
(build.py, tools/newpost.py, tools/importer.py, tools/init.py), given the
arguments that follow the command's name.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

#: Command: (module whose ``main(argv) -> int`` runs it, what it does).
COMMANDS = {
    "build": ("midcycle.build", "build the site (Pelican's options: midcycle build -h); "
                                "a failed build leaves the output folder as it was"),
    "serve": ("midcycle.cli", "serve the output folder on http://127.0.0.1:8000/"),
    "new": ("midcycle.tools.newpost", "start a post: midcycle new --dir openstack/juno --title \"...\""),
    "import": ("midcycle.tools.importer", "move a PyBlosxom blog over: midcycle import SRC [DEST]"),
    "init": ("midcycle.tools.init", "make the blog yours: site name, author, time zone, public address"),
}


def serve(argv: list[str]) -> int:
    """Serve the built site as it is in the output folder. A plain file
    server from Python's standard library: it does not build."""
    parser = argparse.ArgumentParser(prog="midcycle serve", description=serve.__doc__)
    parser.add_argument("--output", type=Path, default=Path("output"), help="the folder to serve (default: output)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    args = parser.parse_args(argv)
    if not args.output.is_dir():
        print(f"midcycle serve: there is no folder {args.output}; build the site first (midcycle build)",
              file=sys.stderr)
        return 1
    try:
        server = ThreadingHTTPServer((args.bind, args.port),
                                     partial(SimpleHTTPRequestHandler, directory=str(args.output)))
    except (OSError, OverflowError) as error:
        print(f"midcycle serve: cannot listen on {args.bind} port {args.port}: {error}", file=sys.stderr)
        return 1
    print(f"midcycle: serving {args.output} on http://{args.bind}:{args.port}/ (Ctrl-C stops)", flush=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


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
    if command == "serve":
        sys.exit(serve(rest))
    if command == "build":
        sys.argv[0] = "midcycle build"  # Pelican's parser names itself after it in its messages
    sys.exit(importlib.import_module(COMMANDS[command][0]).main(rest))
