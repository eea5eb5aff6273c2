"""WebSub: feeds name the hub, and a publish tells a small local hub (an
http.server on 127.0.0.1, started here) exactly which feeds changed."""

from __future__ import annotations

import http.server
import json
import shlex
import subprocess
import threading
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from conftest import ROOT, SITEURL, write_post

from midcycle import websub


class Hub:
    """Records every publish request; answers ``status`` to each."""

    def __init__(self) -> None:
        self.requests: list[dict[str, list[str]]] = []
        self.status = 204
        hub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                hub.requests.append(parse_qs(self.rfile.read(length).decode("ascii")))
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def topics(self) -> list[str]:
        assert all(request["hub.mode"] == ["publish"] for request in self.requests)
        return sorted(url for request in self.requests for url in request["hub.url"])


@pytest.fixture
def hub():
    running = Hub()
    yield running
    running.server.shutdown()
    running.server.server_close()


def test_changed_feeds_are_the_feed_files_written():
    written = ["index.html", "index.rss", "tag/nova.atom", "tag/nova.html", "comments/index.rss", "feeds.opml",
               "wood/index.json", "theme/favicon.png"]
    assert websub.changed_feeds(written, "https://b.test") == [
        "https://b.test/comments/index.rss", "https://b.test/index.rss", "https://b.test/tag/nova.atom",
        "https://b.test/wood/index.json"]


def test_one_form_encoded_publish_request_per_feed():
    assert websub.publish_requests("https://hub.test/", ["https://b.test/index.rss", "https://b.test/a b.atom"]) == [
        ("https://hub.test/", b"hub.mode=publish&hub.url=https%3A%2F%2Fb.test%2Findex.rss"),
        ("https://hub.test/", b"hub.mode=publish&hub.url=https%3A%2F%2Fb.test%2Fa+b.atom")]


def built(output: Path, *names: str) -> list[str]:
    """``names`` as files of ``output``, as a build would have moved them in."""
    for name in names:
        (output / name).parent.mkdir(parents=True, exist_ok=True)
        (output / name).write_bytes(b"<rss/>")
    return list(names)


def test_only_feeds_moved_in_are_noted_not_removed_ones(tmp_path, hub):
    output = tmp_path / "output"
    changed = built(output, "index.rss", "tag/nova.html") + ["tag/gone.rss"]  # the last one removed
    websub.record({"WEBSUB_HUB": hub.url, "SITEURL": "https://b.test"}, output, changed)
    assert websub.send(output, timeout=5) == (1, None)
    assert hub.topics() == ["https://b.test/index.rss"]


def test_what_the_hub_refused_is_kept_for_next_time(tmp_path, hub):
    output = tmp_path / "output"
    built(output, "index.rss", "index.atom", "tag/nova.rss")
    settings = {"WEBSUB_HUB": hub.url, "SITEURL": "https://b.test"}
    websub.record(settings, output, ["index.rss", "index.atom"])
    hub.status = 503
    sent, problem = websub.send(output, timeout=5)
    assert sent == 0 and "503" in problem
    websub.record(settings, output, ["tag/nova.rss"])  # a later build adds to what waits
    hub.status = 202
    assert websub.send(output, timeout=5) == (3, None)
    assert sorted(url for request in hub.requests[1:] for url in request["hub.url"]) == [
        "https://b.test/index.atom", "https://b.test/index.rss", "https://b.test/tag/nova.rss"]
    assert not websub.pending_file(output).exists()
    assert websub.send(output, timeout=5) == (0, None)


def test_a_build_for_another_address_starts_afresh(tmp_path, hub):
    output = tmp_path / "output"
    built(output, "index.rss", "index.atom", "tag/nova.rss")
    websub.record({"WEBSUB_HUB": hub.url, "SITEURL": "https://b.test"}, output, ["index.rss"])
    websub.record({"WEBSUB_HUB": hub.url, "SITEURL": "http://127.0.0.1:8000"}, output, ["index.atom"])
    websub.record({"WEBSUB_HUB": hub.url, "SITEURL": "https://b.test"}, output, ["tag/nova.rss"])
    assert websub.send(output, timeout=5) == (1, None)
    assert hub.topics() == ["https://b.test/tag/nova.rss"]


@pytest.mark.parametrize("damaged", ['{"hub": "https://h.test", "siteurl": "https://b.test", "feeds": [{}]}',
                                     '{"hub": "https://h.test", "feeds": "index.rss"}', '[1, 2]', '{"hub":'])
def test_a_damaged_note_is_started_afresh(tmp_path, hub, damaged):
    output = tmp_path / "output"
    built(output, "index.rss")
    websub.pending_file(output).parent.mkdir(parents=True, exist_ok=True)
    websub.pending_file(output).write_text(damaged, encoding="utf-8")
    assert websub.send(output, timeout=5) == (0, None)
    websub.record({"WEBSUB_HUB": hub.url, "SITEURL": "https://b.test"}, output, ["index.rss"])
    assert websub.send(output, timeout=5) == (1, None)
    assert hub.topics() == ["https://b.test/index.rss"]


def test_without_a_hub_what_was_noted_is_forgotten(tmp_path, hub):
    output = tmp_path / "output"
    built(output, "index.rss", "index.atom")
    websub.record({"WEBSUB_HUB": hub.url, "SITEURL": "https://b.test"}, output, ["index.rss"])
    websub.record({"WEBSUB_HUB": None, "SITEURL": "https://b.test"}, output, ["index.atom"])
    assert websub.send(output, timeout=5) == (0, None)
    assert hub.requests == []


def publish(content: Path, output: Path, hub_url: str | None) -> subprocess.CompletedProcess:
    # The Makefile hands SETTINGS to a shell, as conftest.run_build does.
    settings = shlex.quote(f"WEBSUB_HUB={json.dumps(hub_url)}") if hub_url else ""
    return subprocess.run(["make", "-s", "publish", f"INPUTDIR={content}", f"PUBLISHDIR={output}",
                           f"SITEURL={SITEURL}", f"SETTINGS={settings}"], cwd=ROOT, capture_output=True, text=True)


def test_make_publish_tells_the_hub_exactly_the_feeds_that_changed(content, tmp_path, hub):
    write_post(content, "wood/bowl.md", "A bowl", "2014-08-10 10:00", tags="lathe")
    post = write_post(content, "openstack/cells.md", "Cells", "2014-08-13 10:00", tags="nova")
    output = tmp_path / "output"
    first = publish(content, output, hub.url)
    assert first.returncode == 0, first.stderr
    every = [f"{SITEURL}/{base}.{kind}" for base in ("index", "wood/index", "openstack/index", "tag/lathe", "tag/nova")
             for kind in ("rss", "atom", "json")] + [f"{SITEURL}/comments/index.rss"]
    assert hub.topics() == sorted(every)
    assert b'rel="hub"' in (output / "tag/nova.atom").read_bytes()

    hub.requests.clear()
    assert publish(content, output, hub.url).returncode == 0
    assert hub.requests == [], "nothing changed, yet the hub was told"

    post.write_text(post.read_text(encoding="utf-8").replace("Some words.", "Other words."), encoding="utf-8")
    assert publish(content, output, hub.url).returncode == 0
    # The post is in the site's, its path's and its tag's feeds; nothing else changed.
    assert hub.topics() == sorted(f"{SITEURL}/{base}.{kind}" for base in ("index", "openstack/index", "tag/nova")
                                  for kind in ("rss", "atom", "json"))


def test_without_the_setting_nothing_is_sent(content, tmp_path, hub):
    write_post(content, "wood/bowl.md", "A bowl", "2014-08-10 10:00", tags="lathe")
    result = publish(content, tmp_path / "output", None)
    assert result.returncode == 0, result.stderr
    assert hub.requests == []
    assert b"hub" not in (tmp_path / "output/index.rss").read_bytes()
