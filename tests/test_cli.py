"""The `midcycle` command: every make target's work without make."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from conftest import ROOT, SITEURL

MIDCYCLE = Path(sys.executable).parent / "midcycle"


def midcycle(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(MIDCYCLE), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_names_its_commands_and_refuses_others(tmp_path):
    shown = midcycle(cwd=tmp_path)
    assert shown.returncode == 0
    for command in ("build", "serve", "new", "import", "init"):
        assert f"    {command} " in shown.stdout, command
    wrong = midcycle("biuld", cwd=tmp_path)
    assert wrong.returncode == 2 and "invalid choice: 'biuld'" in wrong.stderr


def test_a_site_folder_is_built_and_a_post_started_without_make(tmp_path):
    (tmp_path / "pelicanconf.py").write_text(
        f'SITENAME = "S"\nSITEURL = "{SITEURL}"\nPATH = "content"\nTIMEZONE = "Europe/Berlin"\n'
        'PLUGINS = ["midcycle"]\n', encoding="utf-8")
    made = midcycle("new", "--dir", "wood", "--title", "First cut", "--tags", "wood, lathe", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    post = tmp_path / "content/wood/first-cut.md"
    assert post.read_text(encoding="utf-8").startswith("Title: First cut\nDate: ")
    refused = midcycle("new", "--dir", "pages", "--title", "About", cwd=tmp_path)
    assert refused.returncode == 2 and "pages/ holds pages, not posts" in refused.stderr
    built = midcycle("build", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "output/wood/first-cut.html").is_file() and (tmp_path / "output/tag/lathe.html").is_file()


def test_serve_static_serves_a_built_folder(tmp_path):
    output = tmp_path / "output"
    (output / "a").mkdir(parents=True)
    (output / "a/page.html").write_bytes(b"<p>hello</p>")
    port = free_port()
    server = subprocess.Popen([str(MIDCYCLE), "serve", "--static", "-o", str(output), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _attempt in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/a/page.html", timeout=5) as response:
                    assert response.read() == b"<p>hello</p>"
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not answer")
        # The port is taken now: a second server says so, without a traceback.
        again = midcycle("serve", "--static", "-o", output, "--port", port, cwd=tmp_path)
        assert again.returncode == 1 and f"cannot listen on 127.0.0.1 port {port}" in again.stderr
        assert "Traceback" not in again.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)
    missing = midcycle("serve", "--static", "-o", tmp_path / "nothing", cwd=tmp_path)
    assert missing.returncode == 1 and "build the site first" in missing.stderr


def test_make_serve_runs_it(tmp_path):
    dry = subprocess.run(["make", "-n", "serve", f"OUTPUTDIR={tmp_path}", "PORT=8123", "BIND=127.0.0.2"],
                         cwd=ROOT, capture_output=True, text=True)
    assert f"midcycle serve --static -o {tmp_path} --port 8123 --bind 127.0.0.2" in dry.stdout


def test_import_is_a_command_too(tmp_path):
    datadir = tmp_path / "datadir/wood"
    datadir.mkdir(parents=True)
    (datadir / "bowl.txt").write_text("A bowl\n#published 2014-08-13 10:00\n<p>Round.</p>\n", encoding="utf-8")
    done = midcycle("import", tmp_path / "datadir", tmp_path / "content", "--timezone", "UTC", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "content/wood/bowl.html").read_text(encoding="utf-8").startswith("<html>")
