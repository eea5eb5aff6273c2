"""The dev server's edit-to-page time, as an author lives it: from saving
a post to the browser being able to get the new page.

The server (``python -m midcycle.server``, server.py) is started on a free
port and makes its first build, a full one, which is not timed as an edit.
Then, for each run of a change: note the time, write the file, and ask for
the page over plain HTTP every 5 ms (the server sends ``Cache-Control:
no-store``) until it holds the change; that interval is the run. The change
is then undone and the page waited for again, and each build the server
starts is let finish before the next save, so every run starts from the
same quiet server. The server's process tree is sampled all along for its
peak memory (see measure.py).
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import time
from pathlib import Path

from changes import Change
from measure import BenchError, TreeSampler, tail

POLL_EVERY = 0.005        # seconds between two requests for the page
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

    def wait_for_page(self, path: str, marker: str, present: bool, began: float) -> float:
        """Seconds from ``began`` until ``path`` is served with (or without)
        ``marker``."""
        while True:
            status, text = self.get(path)
            if status == 200 and (marker in text) == present:
                return time.perf_counter() - began
            if status == 500:  # the server's error page: the build failed
                raise BenchError(f"the dev server's build failed after a change; it says:\n{tail(self.log)}")
            self._still_running()
            if time.perf_counter() - began > EDIT_TIMEOUT:
                raise BenchError(f"{path} did not {'show' if present else 'lose'} {marker!r} within "
                                 f"{EDIT_TIMEOUT} s (last answer: HTTP {status}); the end of {self.log}:\n"
                                 f"{tail(self.log)}")
            time.sleep(POLL_EVERY)

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
        began = time.perf_counter()
        change.apply()
        seconds = self.wait_for_page(page, change.marker, True, began)
        self.wait_for_build(builds + 1)
        change.undo()
        self.wait_for_page(page, change.marker, False, time.perf_counter())
        self.wait_for_build(builds + 2)
        return seconds
