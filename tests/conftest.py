"""Shared helpers: write small content trees and build them with the real
Pelican through the same ``make html`` form authors and benchmarks use."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
SITEURL = "http://blog.test"
#: The cache folder of builds that do not name one: shared by the tests of
#: one run (posts read once serve many tests), never the project's cache/.
SHARED_CACHE: list[Path] = []


@pytest.fixture(autouse=True, scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    SHARED_CACHE[:] = [tmp_path_factory.mktemp("cache")]
    return SHARED_CACHE[0]


def snapshot(folder: Path, times: bool = False) -> dict[str, object]:
    """Every file under ``folder`` by ``/``-separated relative name: its
    bytes, or with ``times`` its bytes and modification time."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns) if times else p.read_bytes()
            for p in folder.rglob("*") if p.is_file()}


def scripts_of(name: str, soup: BeautifulSoup, siteurl: str = SITEURL) -> list[str]:
    """The scripts of page ``name`` that are not the search page's own
    (the one script of the site, from the theme): a list that must be empty."""
    found = [str(script) for script in soup.find_all("script")]
    if name == "search.html":
        ours = f'<script src="{siteurl}/theme/js/search.js" type="module"></script>'
        found = [script for script in found if script != ours]
    return found


def failing_build(content: Path, output: Path, **settings: object) -> str:
    """Build, expecting a clean failure (no traceback); return what it said."""
    result = run_build(content, output, **settings)
    assert result.returncode != 0, "the build should have failed"
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    return text


def write_post(content: Path, relpath: str, title: str, date: str, tags: str = "",
               body: str = "Some words.", **metadata: str) -> Path:
    """Write ``content/relpath`` with the given metadata; extra keyword
    arguments become metadata lines (``series="X"`` -> ``Series: X``)."""
    lines = [f"Title: {title}", f"Date: {date}"]
    if tags:
        lines.append(f"Tags: {tags}")
    for key, value in metadata.items():
        lines.append(f"{key.replace('_', '-').title()}: {value}")
    path = content / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n\n" + textwrap.dedent(body).strip() + "\n", encoding="utf-8")
    return path



def write_comment(content: Path, post_file: str, name: str, author: str, date: str, body: str,
                  **headers: str) -> Path:
    """Write comment ``name`` on the post ``post_file`` (relative to
    ``content``); extra keyword arguments become header lines."""
    folder = content / (post_file.rsplit(".", 1)[0] + ".comments")
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"Author: {author}", f"Date: {date}"] + [f"{k.title()}: {v}" for k, v in headers.items()]
    path = folder / f"{name}.comment"
    path.write_text("\n".join(lines) + "\n\n" + body + "\n", encoding="utf-8")
    return path

class BuiltSite:
    def __init__(self, output: Path, result: subprocess.CompletedProcess):
        self.output = output
        self.result = result

    def file(self, name: str) -> Path:
        return self.output / name

    def exists(self, name: str) -> bool:
        return (self.output / name).is_file()

    def html(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.output / name).read_text(encoding="utf-8"), "html.parser")

    def files(self) -> list[str]:
        """The site's files: all but midcycle's own folder."""
        return sorted(name for name in (p.relative_to(self.output).as_posix() for p in self.output.rglob("*")
                                        if p.is_file()) if not name.startswith(".midcycle/"))


def run_build(content: Path, output: Path, siteurl: str = SITEURL, conffile: Path | None = None,
              **settings: object) -> subprocess.CompletedProcess:
    """Run ``make html`` on ``content``; ``settings`` override pelicanconf.py
    (``DEFAULT_PAGINATION=2``), passed as ``make html SETTINGS='KEY=JSON ...'``;
    ``conffile`` replaces pelicanconf.py."""
    if SHARED_CACHE:
        settings.setdefault("CACHE_PATH", str(SHARED_CACHE[0]))
    # The Makefile hands SETTINGS to a shell: quote each pair for it.
    overrides = " ".join(shlex.quote(f"{key}={json.dumps(value)}") for key, value in settings.items())
    return subprocess.run(
        ["make", "-s", "html", f"INPUTDIR={content}", f"OUTPUTDIR={output}", f"SITEURL={siteurl}",
         f"SETTINGS={overrides}", *([f"CONFFILE={conffile}"] if conffile else [])],
        # Pelican's console wraps log lines at the terminal's width; wide
        # enough, each message stays on one line for a test to find.
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "2000"},
    )


@pytest.fixture
def content(tmp_path: Path) -> Path:
    path = tmp_path / "content"
    path.mkdir()
    return path


@pytest.fixture
def build(tmp_path: Path):
    """``build(content)`` builds into a fresh folder and fails the test,
    showing Pelican's output, if the build fails."""
    count = 0

    def _build(content: Path, siteurl: str = SITEURL, **settings: object) -> BuiltSite:
        nonlocal count
        count += 1
        output = tmp_path / f"output{count}"
        result = run_build(content, output, siteurl, **settings)
        assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
        return BuiltSite(output, result)

    return _build


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require_chromium() -> None:
    """Skip the calling test module without Debian's Chromium, saying so in
    pytest's summary; under CI, fail instead (.ci/run installs it)."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"Chromium not found at {CHROMIUM}: the browser check did NOT run (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, driven by Playwright (nothing downloaded)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only browser tests need it

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
_TOP = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
        "favicon", "authors", "author", "language", "expired", "hubs", "items"}
_ITEM = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
         "banner_image", "date_published", "date_modified", "authors", "author", "tags", "language", "attachments"}


def _url(value: object) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://"))


def _authors(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(author, dict) and author.keys() & {"name", "url", "avatar"} for author in value)


def json_feed_problems(document: object) -> list[str]:
    """What a JSON document breaks of JSON Feed 1.1 (jsonfeed.org/version/1.1),
    rule by rule as the specification words them: required version, title
    and items; every item an object with a string id, unique in the feed, and
    content_html or content_text; URLs absolute (we publish no relative ones);
    dates RFC 3339 with an offset; authors objects with a name, url or avatar;
    keys of our own only with the "_" prefix the specification reserves."""
    if not isinstance(document, dict):
        return ["the top level is not an object"]
    problems = []
    if document.get("version") != JSON_FEED_VERSION:
        problems.append(f"version is {document.get('version')!r}")
    if not isinstance(document.get("title"), str) or not document["title"]:
        problems.append("no title")
    for key in ("home_page_url", "feed_url", "next_url", "icon", "favicon"):
        if key in document and not _url(document[key]):
            problems.append(f"{key} is not an absolute URL")
    if "authors" in document and not _authors(document["authors"]):
        problems.append("authors is not a list of authors")
    if "expired" in document and not isinstance(document["expired"], bool):
        problems.append("expired is not a boolean")
    for hub in document.get("hubs", []):
        if not (isinstance(hub, dict) and isinstance(hub.get("type"), str) and _url(hub.get("url"))):
            problems.append(f"hub {hub!r} lacks a type or url")
    problems += [f"unknown top-level key {key!r}" for key in document.keys() - _TOP if not key.startswith("_")]
    items = document.get("items")
    if not isinstance(items, list):
        return problems + ["items is not a list"]
    ids = []
    for number, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"item {number} is not an object")
            continue
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"item {number} has no string id")
        ids.append(item.get("id"))
        if not any(isinstance(item.get(key), str) for key in ("content_html", "content_text")):
            problems.append(f"item {number} has neither content_html nor content_text")
        for key in ("url", "external_url", "image", "banner_image"):
            if key in item and not _url(item[key]):
                problems.append(f"item {number}: {key} is not an absolute URL")
        for key in ("date_published", "date_modified"):
            if key in item and not (isinstance(item[key], str) and _RFC3339.fullmatch(item[key])):
                problems.append(f"item {number}: {key} {item.get(key)!r} is not RFC 3339")
        if "tags" in item and not (isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])):
            problems.append(f"item {number}: tags is not a list of strings")
        if "authors" in item and not _authors(item["authors"]):
            problems.append(f"item {number}: authors is not a list of authors")
        problems += [f"item {number}: unknown key {key!r}" for key in item.keys() - _ITEM if not key.startswith("_")]
    if len(set(ids)) != len(ids):
        problems.append("two items share an id")
    return problems
