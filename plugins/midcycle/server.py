"""``make devserver``: the author's loop. Build, watch, build again, serve,
reload the open page.

One process builds the site into a preview folder of its own, drafts and
posts dated in the future included (marked "Draft — not published"; never
in a feed, never in ``output/``), then watches the content, the theme, the
settings file and midcycle itself. Each change is built through the same
safe, incremental build as ``make html`` (build.py), in this process, so
posts read before are not read again, and one line says what changed,
what was written and how long that build took. When the watch saw only
posts written in place, the build reads those and takes the content
folder as it was (session.py); anything else makes it look at every file.
The folders watched are
those the command line and the settings file name, read again after
every build (a ``THEME`` set while the server runs is watched from then on).

The preview is served on 127.0.0.1:8000 (``--bind``/``-b``, ``--port``/``-p``).
Pages are served with a small script added on the way out (the files in
the preview folder never hold it): it listens to the server's events and
reloads the page when a build changed it. The page of a post just saved
comes first: the build hands it over as soon as it has rendered it (see
plugin.py), before going through the rest of the site, and it is served
from memory until the build has moved in. While the last build failed,
every page served is an error page listing the problems, the same text as
the terminal, and the first build that succeeds brings the pages back.
"""

from __future__ import annotations

import argparse
import gc
import http.server
import json
import os
import queue
import sys
import threading
import time
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from pelican import get_config
from pelican.log import console
from pelican.log import init as init_logging
from pelican.settings import read_settings

from .build import Outcome, pelican_arguments, safe_build
from .fingerprint import PACKAGE
from .session import Session

#: Where pages listen for the news of a build.
EVENTS = "/__midcycle/events"

#: Added to every HTML page served (never to a file): reload when a build
#: changed this page, or failed, or recovered.
RELOAD_SCRIPT = """<script>
(function () {
  var page = decodeURIComponent(location.pathname).replace(/^\\//, "");
  if (page === "" || page.slice(-1) === "/") { page += "index.html"; }
  var events = new EventSource("%s");
  events.onmessage = function (message) {
    var news = JSON.parse(message.data);
    if (news.reload_all || news.changed.indexOf(page) >= 0) { location.reload(); }
  };
})();
</script>
""" % EVENTS

ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>The build failed</title>
<style>body {{ font: 16px/1.5 sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }}
pre {{ white-space: pre-wrap; background: #fdecea; color: #611a15; padding: 1em; }}</style></head>
<body>
<h1>The build failed</h1>
<p>Fix what it says and save: this page comes back by itself.</p>
<pre>{problems}</pre>
{script}</body>
</html>
"""


class News:
    """The last build's outcome, the pages waiting to hear of the next, and
    the edited posts' pages the build running now has rendered first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.failure = ""
        self.listeners: list[queue.Queue] = []
        self.early: dict[str, bytes] = {}

    def listen(self) -> queue.Queue:
        with self.lock:
            listener: queue.Queue = queue.Queue()
            self.listeners.append(listener)
            return listener

    def forget(self, listener: queue.Queue) -> None:
        with self.lock:
            if listener in self.listeners:
                self.listeners.remove(listener)

    def _send(self, changed: list[str], reload_all: bool) -> None:
        message = json.dumps({"changed": changed, "reload_all": reload_all})
        for listener in self.listeners:
            listener.put(message)

    def page_ready(self, file: str, content: bytes) -> None:
        """An edited post's page, rendered before the rest of the build
        (see session.py): served, and its open pages reloaded, at once.
        Not while the last build failed: the error page stays until a
        build succeeds."""
        with self.lock:
            if not self.failure:
                self.early[file] = content
                self._send([file], False)

    def early_page(self, file: str) -> bytes | None:
        with self.lock:
            return self.early.get(file)

    def tell(self, outcome: Outcome) -> None:
        with self.lock:
            reload_all = bool(outcome.failure or self.failure)  # failing, or coming back
            self.failure = outcome.failure
            # The output now holds what was served early, byte for byte:
            # the pages showing it need not load it again.
            shown, self.early = self.early, {}
            self._send([file for file in outcome.changed if outcome.failure or file not in shown], reload_all)


def handler(root: Path, news: News) -> type[http.server.SimpleHTTPRequestHandler]:
    """A request handler serving ``root``, with the reload script, the
    error page and the event stream."""

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
            pass  # the terminal is for the builds

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            if self.path.split("?")[0] == EVENTS:
                self.send_events()
                return
            if news.failure:
                self.send_html(ERROR_PAGE.format(problems=escape(news.failure), script=RELOAD_SCRIPT).encode(), 500)
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            early = news.early_page(path.relative_to(root).as_posix()) if path.is_relative_to(root) else None
            if early is not None:
                self.send_html(with_script(early), 200)
            elif path.suffix == ".html" and path.is_file():
                self.send_html(with_script(path.read_bytes()), 200)
            elif not path.exists() and (root / "404.html").is_file():
                self.send_html(with_script((root / "404.html").read_bytes()), 404)
            else:
                super().do_GET()

        def send_html(self, body: bytes, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def send_events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            listener = news.listen()
            try:
                self.wfile.write(b": listening\n\n")
                self.wfile.flush()
                while True:
                    try:
                        message = listener.get(timeout=15)
                        self.wfile.write(f"data: {message}\n\n".encode())
                    except queue.Empty:
                        self.wfile.write(b": still here\n\n")  # keeps proxies and browsers from giving up
                    self.wfile.flush()
            except OSError:
                pass  # the page went away
            finally:
                news.forget(listener)

    return Handler


def with_script(page: bytes) -> bytes:
    """``page`` with the reload script before its closing body tag."""
    script = RELOAD_SCRIPT.encode()
    at = page.rfind(b"</body>")
    return page[:at] + script + page[at:] if at >= 0 else page + script


def watched(args: Any, before: list[Path] | None = None) -> list[Path]:
    """The folders and files whose changes mean a new build: the content,
    the theme, the settings file and midcycle itself, as the command line
    (``-t``, ``-e THEME=...``) and the settings file say now. While the
    settings file does not run, what was watched ``before`` and the file."""
    try:
        settings = read_settings(args.settings, override=get_config(args))
    except Exception:  # noqa: BLE001 - the build says what is wrong with it
        places = [*(before or ()), Path(args.settings)]
    else:
        places = [Path(settings["PATH"]), Path(settings["THEME"]), Path(args.settings), PACKAGE]
        places += [Path(folder) for folder in settings.get("THEME_TEMPLATES_OVERRIDES", ())]
    return list(dict.fromkeys(place.resolve() for place in places if place.exists()))


def describe(changes: set[tuple[Any, str]], roots: list[Path]) -> str:
    """``"openstack/juno/db2-support.md"`` or ``"3 files"``: what was saved."""
    names = sorted({os.path.relpath(path, next((str(root) for root in roots if path.startswith(str(root))), "/"))
                    for _change, path in changes})
    return names[0] if len(names) == 1 else f"{len(names)} files"


def serve(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="midcycle serve", add_help=False)
    parser.add_argument("-p", "--port", type=int, default=8000)
    parser.add_argument("-b", "--bind", default="127.0.0.1")
    parser.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--static", action="store_true")
    ours, rest = parser.parse_known_args(argv)
    try:
        args = pelican_arguments(rest)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if ours.static:
        return serve_folder(Path(args.output or "output"), ours.bind, ours.port)
    args.settings = args.settings or "pelicanconf.py"
    # Never the site's output folder: the preview holds drafts.
    args.output = args.output or "preview"
    init_logging(level=args.verbosity, fatal=args.fatal, name="pelican")
    console.quiet = True  # Pelican's own closing line, once per build: the server says its own
    places = watched(args)
    if not places:
        print(f"midcycle serve: there is nothing to watch: neither the settings file {args.settings} nor the "
              "content folder it names exists", file=sys.stderr)
        return 1
    saves = Saves(places)  # from here on, no save is missed, not even during the first build
    news = News()
    session = Session()
    session.page_ready = news.page_ready
    extra = {"MIDCYCLE_DRAFTS": ours.drafts, "MIDCYCLE_SESSION": session}
    build_and_tell(news, args, extra, "first build")
    root = Path(args.output).resolve()
    root.mkdir(parents=True, exist_ok=True)
    try:
        server = http.server.ThreadingHTTPServer((ours.bind, ours.port), handler(root, news))
    except (OSError, OverflowError) as error:
        print(f"midcycle serve: cannot listen on {ours.bind} port {ours.port}: {error}", file=sys.stderr)
        saves.close()
        return 1
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"midcycle: serving {root} on http://{server.server_address[0]}:{server.server_address[1]}/ "
          f"(drafts {'shown' if ours.drafts else 'left out'}); Ctrl-C stops", flush=True)
    try:
        while (changes := saves.next()) is not None:
            if any(path.startswith(str(PACKAGE)) and path.endswith(".py") for _change, path in changes):
                print("midcycle: midcycle itself changed; starting again", flush=True)
                server.server_close()
                os.execv(sys.executable, [sys.executable, "-m", "midcycle.server",
                                          *(argv if argv is not None else sys.argv[1:])])
            session.saved = {(change.name, path) for change, path in changes}
            build_and_tell(news, args, extra, describe(changes, saves.places))
            now = watched(args, saves.places)
            if now != saves.places:  # the settings now name another theme, say
                saves.close()
                saves = Saves(now)
                # What was saved while the watch moved over is built too.
                build_and_tell(news, args, extra, "the watched folders changed")
    finally:
        saves.close()
        server.shutdown()
    return 0


class Saves:
    """The changes saved under some folders and files, in batches, from the
    moment it is made: watchfiles sets its watch up when it first waits,
    which happens here, so a save made just after is never missed."""

    #: How often the watch wakes to see whether it was stopped, in ms.
    WAKE = 200

    def __init__(self, places: list[Path]):
        from watchfiles import watch  # noqa: PLC0415 - only the dev server watches

        self.places = places
        self._changes = watch(*places, debounce=50, step=20, rust_timeout=self.WAKE, yield_on_timeout=True,
                              raise_interrupt=False)
        self._first = next(self._changes, None)  # an empty batch at the first wake, unless saves came first

    def next(self) -> set[tuple[Any, str]] | None:
        """The next batch of changes; ``None`` once Ctrl-C stopped the watch."""
        if self._first:  # saves made while the watch was being set up
            first, self._first = self._first, set()
            return first
        if self._first is None:  # Ctrl-C while it was being set up
            return None
        return next((changes for changes in self._changes if changes), None)

    def close(self) -> None:
        self._changes.close()


def build_and_tell(news: News, args: Any, extra: dict[str, Any], what: str) -> None:
    """One build, told to the open pages; then the garbage it left
    collected. A build collects none but in its shared work (see
    build.py), and what a build leaves behind (its Jinja environment and
    site model, which refer to each other) only a full collection frees:
    without one after every build the server would keep every build's."""
    news.tell(build_once(args, extra, what))
    gc.collect()


def build_once(args: Any, extra: dict[str, Any], what: str) -> Outcome:
    """One build, said in one line (and the problems, once)."""
    started = time.monotonic()
    outcome = safe_build(args, extra)
    took = time.monotonic() - started
    if outcome.failure:
        print(f"midcycle: {what}: the build failed ({took:.2f} s):\n{outcome.failure}", flush=True)
    else:
        pages = sum(1 for name in outcome.changed if not name.startswith("."))
        print(f"midcycle: {what}: {pages} files written or removed, {outcome.posts} posts, {took:.2f} s", flush=True)
    return outcome


def serve_folder(folder: Path, bind: str, port: int) -> int:
    """``midcycle serve --static``: the built site as it is in ``folder``,
    with a plain file server; no building, no watching, no script."""
    if not folder.is_dir():
        print(f"midcycle serve: there is no folder {folder}; build the site first (midcycle build)", file=sys.stderr)
        return 1
    try:
        server = http.server.ThreadingHTTPServer(
            (bind, port), partial(http.server.SimpleHTTPRequestHandler, directory=str(folder)))
    except (OSError, OverflowError) as error:
        print(f"midcycle serve: cannot listen on {bind} port {port}: {error}", file=sys.stderr)
        return 1
    print(f"midcycle: serving {folder} on http://{bind}:{port}/ (Ctrl-C stops)", flush=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def main(argv: list[str] | None = None) -> int:
    return serve(argv)


if __name__ == "__main__":
    sys.exit(main())
