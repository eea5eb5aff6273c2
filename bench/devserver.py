"""The dev server's edit-to-page time, as an author lives it: from saving
a post to the browser being able to get the new page.

The server (``python -m midcycle.server``, server.py) is started on a free
port and makes its first build, a full one, which is not timed as an edit.
Then, for each run of a change, as an open page lives it: listen to the
server's events (the stream the page's reload script listens to), note the
time, write the file, and at each event naming the page (or all pages) ask
for the page over plain HTTP (the server sends ``Cache-Control:
no-store``), until it is served with the change; that interval is the run.
Nothing asks in between: requests every few milliseconds would take the
server's time from the build they wait for. The change is then undone and
the page waited for again, and each build the server starts is let finish
before the next save, so every run starts from the same quiet server. The
server's process tree is sampled all along for its peak memory (see
measure.py).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from changes import Change
from measure import BenchError, TreeSampler, tail

#: Where the server's pages listen for the news of its builds (server.py's ``EVENTS``).
EVENTS = "/__midcycle/events"
START_TIMEOUT = 1800      # seconds for the first build (a full build at 100,000 posts is minutes)
EDIT_TIMEOUT = 300        # seconds for one edit to be served
#: The line the server says after each build (server.py's ``build_once``).
BUILD_LINE = re.compile(r"^midcycle: .*: (\d+ files written or removed|the build failed \()", re.M)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DevServer:
    """A running dev server: ``command`` must serve on ``port``."""

    def __init__(self, command: list[str], port: int, log: Path, cwd: Path, env: dict[str, str] | None):
        self.command, self.port, self.log, self.cwd, self.env = command, port, log, cwd, env
        self.process: subprocess.Popen | None = None
        self.sampler: TreeSampler | None = None
        self.peak_kib = 0
        self.processes = 1

    def __enter__(self) -> DevServer:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT)
        self.sampler = TreeSampler(self.process.pid)
        self.sampler.start()
        deadline = time.monotonic() + START_TIMEOUT
        while "serving" not in self.said():
            self._still_running()
            if time.monotonic() > deadline:
                raise BenchError(f"the dev server did not start serving in {START_TIMEOUT} s; the end of "
                                 f"{self.log}:\n{tail(self.log)}")
            time.sleep(0.1)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.process is None or self.sampler is None:
            return
        usage = None
        if self.process.poll() is None:
            self.process.terminate()
            _pid, status, usage = os.wait4(self.process.pid, 0)
            self.process.returncode = os.waitstatus_to_exitcode(status)
        self.sampler.stop()
        self.peak_kib = self.sampler.peak_kib(usage)
        self.processes = self.sampler.processes()

    def said(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        """How many builds the server has said it finished."""
        return len(BUILD_LINE.findall(self.said()))

    def _still_running(self) -> None:
        assert self.process is not None
        if self.process.poll() is not None:
            raise BenchError(f"the dev server stopped (exit code {self.process.returncode}); the end of "
                             f"{self.log}:\n{tail(self.log)}")

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()

    def wait_for_page(self, path: str, marker: str, present: bool, change: Callable[[], None]) -> float:
        """The seconds from making ``change`` until ``path`` is served with
        (or without) ``marker``, asked for at each event of the server
        naming it."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=EDIT_TIMEOUT)
        try:
            connection.request("GET", EVENTS)
            events = connection.getresponse()
            events.readline()  # the server's first line: it now tells this listener of every build
            # The name the server's news gives the page (its reload script's).
            page = path.lstrip("/")
            page += "index.html" if page == "" or page.endswith("/") else ""
            began = time.perf_counter()
            change()
            while True:
                if time.perf_counter() - began > EDIT_TIMEOUT:  # the server says it is still there every 15 s
                    raise TimeoutError
                line = events.readline()
                if not line:
                    self._still_running()
                    raise BenchError(f"the dev server closed its event stream; the end of {self.log}:\n"
                                     f"{tail(self.log)}")
                if not line.startswith(b"data: "):
                    continue
                news = json.loads(line[len(b"data: "):])
                if not news["reload_all"] and page not in news["changed"]:
                    continue
                status, text = self.get(path)
                if status == 200 and (marker in text) == present:
                    return time.perf_counter() - began
                if status == 500:  # the server's error page: the build failed
                    raise BenchError(f"the dev server's build failed after a change; it says:\n{tail(self.log)}")
        except TimeoutError:
            raise BenchError(f"{path} did not {'show' if present else 'lose'} {marker!r} within "
                             f"{EDIT_TIMEOUT} s; the end of {self.log}:\n{tail(self.log)}") from None
        finally:
            connection.close()

    def wait_for_build(self, count: int) -> None:
        """Until the server has said ``count`` builds in all."""
        deadline = time.monotonic() + EDIT_TIMEOUT
        while self.builds() < count:
            self._still_running()
            if time.monotonic() > deadline:
                raise BenchError(f"the dev server did not finish its build; the end of {self.log}:\n{tail(self.log)}")
            time.sleep(0.02)

    def edit_to_page(self, change: Change) -> float:
        """One run of ``change``: the seconds from saving it to its page
        being served; then undone, and served undone."""
        page = "/" + change.page
        status, text = self.get(page)
        if status != 200 or change.marker in text:
            raise BenchError(f"before the change, {page} should be served without {change.marker!r} "
                             f"(HTTP {status})")
        builds = self.builds()
        os.sync()  # earlier writes go to disk now, not while this edit is timed
        seconds = self.wait_for_page(page, change.marker, True, change.apply)
        self.wait_for_build(builds + 1)
        self.wait_for_page(page, change.marker, False, change.undo)
        self.wait_for_build(builds + 2)
        return seconds
