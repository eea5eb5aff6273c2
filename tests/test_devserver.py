"""The dev server (server.py) as an author uses it: a real server on a free
port, a real browser on a post, edits saved to the files, and the page
following by itself."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, require_chromium, run_build, snapshot, write_post

require_chromium()

CONF = """
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F401,F403

TIMEZONE = "Australia/Sydney"
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DevServer:
    """``python -m midcycle.server`` on a content folder of the test's own."""

    def __init__(self, tmp_path: Path):
        self.content = tmp_path / "content"
        self.preview = tmp_path / "preview"
        self.conf = tmp_path / "conf.py"
        self.conf.write_text(CONF.format(root=str(ROOT)), encoding="utf-8")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "server.log"
        self.process: subprocess.Popen | None = None
        self.cache = tmp_path / "cache"

    def start(self, *more: str) -> None:
        """Start the server; ``more``: arguments after the usual ones."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "midcycle.server", str(self.content), "-o", str(self.preview), "-s", str(self.conf),
             "-p", str(self.port), "-e", f'SITEURL="{self.url}"', f'CACHE_PATH="{self.cache}"', *more],
            cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while "serving" not in self.said():
            assert self.process.poll() is None, self.said()
            assert time.monotonic() < deadline, f"the server did not start:\n{self.said()}"
            time.sleep(0.1)

    def said(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def wait_for_builds(self, count: int) -> None:
        """Until the terminal has said ``count`` build lines in all."""
        deadline = time.monotonic() + 60
        while len(re.findall(r"^midcycle: .*: (\d+ files written|the build failed \()", self.said(), re.M)) < count:
            assert time.monotonic() < deadline, f"no build after the change:\n{self.said()}"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    server = DevServer(tmp_path)
    write_post(server.content, "wood/bowl.md", "A walnut bowl", "2014-08-13 10:00", tags="wood",
               body="The first coat of oil.")
    write_post(server.content, "wood/lathe.md", "Lathe plans", "2014-08-14 10:00", tags="wood", status="draft",
               body="Not ready yet.")
    server.start()
    yield server
    server.stop()


def test_an_edit_reloads_the_open_page(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/wood/bowl.html")
    assert "The first coat of oil." in page.inner_text("article")
    post = server.content / "wood/bowl.md"
    post.write_text(post.read_text(encoding="utf-8").replace("first coat", "second coat"), encoding="utf-8")
    # Nobody touches the browser: the page reloads itself with the new text.
    page.wait_for_function("document.body.innerText.includes('The second coat of oil.')", timeout=30_000)
    builds = [line for line in server.said().splitlines() if "wood/bowl.md" in line]
    assert len(builds) == 1 and re.search(r"\d+ files written or removed, 2 posts, [\d.]+ s$", builds[0]), builds
    page.close()


def test_a_broken_date_shows_the_error_page_and_the_fix_brings_the_site_back(server, browser):
    page = browser.new_page()
    page.goto(server.url + "/wood/bowl.html")
    post = server.content / "wood/bowl.md"
    good = post.read_text(encoding="utf-8")
    post.write_text(good.replace("2014-08-13 10:00", "2014-02-30 10:00"), encoding="utf-8")
    page.wait_for_function("document.title === 'The build failed'", timeout=30_000)
    assert "wood/bowl.md:2" in page.inner_text("pre") and "2014-02-30" in page.inner_text("pre")
    status, _ = server.get("/index.html")
    assert status == 500  # every page, not just the open one
    time.sleep(1)
    assert server.said().count(": the build failed (") == 1  # said once, not in a loop
    post.write_text(good, encoding="utf-8")
    page.wait_for_function("document.body.innerText.includes('The first coat of oil.')", timeout=30_000)
    assert server.get("/index.html")[0] == 200
    page.close()


def test_a_settings_typo_shows_its_reason_and_recovers(server):
    good = server.conf.read_text(encoding="utf-8")
    server.conf.write_text(good.replace("Australia/Sydney", "Australia/Sydny"), encoding="utf-8")
    server.wait_for_builds(2)
    status, text = server.get("/wood/bowl.html")
    assert status == 500 and "Australia/Sydny" in text
    server.conf.write_text(good, encoding="utf-8")
    server.wait_for_builds(3)
    status, text = server.get("/wood/bowl.html")
    assert status == 200 and "A walnut bowl" in text


def test_drafts_show_in_the_preview_only_and_the_script_is_never_in_a_file(server, tmp_path):
    status, text = server.get("/wood/lathe.html")
    assert status == 200 and "Draft — not published" in text and "__midcycle/events" in text
    # Nowhere in the preview's files, nowhere in a feed.
    files = [path for path in server.preview.rglob("*") if path.is_file()]
    assert files and not [path for path in files if b"__midcycle" in path.read_bytes()]
    assert b"Lathe plans" not in (server.preview / "index.rss").read_bytes()
    assert b"Lathe plans" in (server.preview / "index.html").read_bytes()
    # The site itself (make html) has no trace of the draft.
    result = run_build(server.content, tmp_path / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    output = tmp_path / "output"
    assert not (output / "wood/lathe.html").exists()
    assert not [path for path in output.rglob("*") if path.is_file() and b"Lathe plans" in path.read_bytes()]


def test_the_servers_builds_equal_a_cold_build(server, tmp_path):
    # The dev server builds in one process again and again, keeping the
    # posts it read, the record of written files and rendered blocks
    # (session.py): after every kind of edit, its preview must hold exactly
    # what a cold build of the same preview holds.
    def edited(step: int, edit) -> None:
        edit()
        server.wait_for_builds(step + 1)
        cold = tmp_path / f"cold-{step}"
        result = run_build(server.content, cold, server.url, conffile=server.conf, MIDCYCLE_DRAFTS=True,
                           CACHE_PATH=str(tmp_path / f"cache-{step}"))
        assert result.returncode == 0, result.stdout + result.stderr
        assert snapshot(server.preview) == snapshot(cold), f"edit {step}: the server's preview differs"

    bowl = server.content / "wood/bowl.md"
    edits = [
        lambda: bowl.write_text(bowl.read_text(encoding="utf-8") + "\nA second paragraph.\n", encoding="utf-8"),
        lambda: bowl.write_text(bowl.read_text(encoding="utf-8").replace("A walnut bowl", "A cherry bowl"),
                                encoding="utf-8"),
        lambda: write_post(server.content, "wood/chair.md", "A chair", "2014-08-15 10:00", tags="wood, chairs"),
        lambda: bowl.write_text(bowl.read_text(encoding="utf-8").replace("Tags: wood", "Tags: wood, walnut"),
                                encoding="utf-8"),
        lambda: (server.content / "wood/chair.md").unlink(),
    ]
    for step, edit in enumerate(edits, start=1):
        edited(step, edit)


def titled_theme(folder: Path, words: str) -> Path:
    """A theme whose post pages are titled ``words: <post title>``."""
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "templates/article.html").write_text(
        f'{{% extends "!midcycle/article.html" %}}{{% block title %}}{words}: {{{{ post.title }}}}{{% endblock %}}',
        encoding="utf-8")
    return folder


def page_title(server: DevServer, path: str) -> str:
    status, text = server.get(path)
    assert status == 200, text
    return re.search(r"<title>(.*?)</title>", text).group(1)


def test_a_theme_named_on_the_command_line_is_watched(tmp_path):
    server = DevServer(tmp_path)
    write_post(server.content, "wood/bowl.md", "A walnut bowl", "2014-08-13 10:00", tags="wood")
    theme = titled_theme(tmp_path / "mytheme", "Mine")
    server.start("-t", str(theme))
    try:
        assert page_title(server, "/wood/bowl.html") == "Mine: A walnut bowl"
        titled_theme(theme, "Ours")
        server.wait_for_builds(2)
        assert page_title(server, "/wood/bowl.html") == "Ours: A walnut bowl"
    finally:
        server.stop()


def test_a_theme_named_in_the_settings_while_the_server_runs_is_watched(server, tmp_path):
    theme = titled_theme(tmp_path / "mytheme", "Mine")
    server.conf.write_text(server.conf.read_text(encoding="utf-8") + f"\nTHEME = {str(theme)!r}\n", encoding="utf-8")
    server.wait_for_builds(2)
    assert page_title(server, "/wood/bowl.html") == "Mine: A walnut bowl"
    titled_theme(theme, "Ours")  # in a folder the server did not watch when it started
    server.wait_for_builds(3)
    assert page_title(server, "/wood/bowl.html") == "Ours: A walnut bowl"


def test_a_server_with_nothing_to_watch_says_so_and_stops(tmp_path):
    # A settings file that is not there names no content folder either:
    # the server must say so and stop, not say it serves and quit.
    done = subprocess.run([sys.executable, "-m", "midcycle.server", str(tmp_path / "content"), "-o",
                           str(tmp_path / "preview"), "-s", str(tmp_path / "missing.py"), "-p", str(free_port())],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "nothing to watch" in done.stderr and "serving" not in done.stdout
