"""The store of posts as read (store.py, reading.refresh): a post is read
again only when its bytes change, wherever it lies in the content folder,
and a damaged store costs a re-read, never the build."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import time

import midcycle.reading
from conftest import ROOT, write_post
from midcycle.build import build


def argv(tmp_path) -> list[str]:
    return [str(tmp_path / "content"), "-o", str(tmp_path / "output"), "-s", str(ROOT / "pelicanconf.py"), "-q",
            "-e", f'CACHE_PATH="{tmp_path / "cache"}"']


def watch_reading(monkeypatch) -> list[list[str]]:
    """The post files each build reads, in the order of the builds."""
    reads = []
    read_posts = midcycle.reading.read_posts

    def watched(settings, root, names, workers):
        reads.append(sorted(names))
        return read_posts(settings, root, names, workers)

    monkeypatch.setattr(midcycle.reading, "read_posts", watched)
    return reads


def test_unchanged_posts_are_not_read_again(tmp_path, monkeypatch):
    content = tmp_path / "content"
    write_post(content, "top.md", "At the top", "2014-08-13 10:00")
    deep = write_post(content, "a/b/deep.md", "Deep down", "2014-08-13 11:00")
    reads = watch_reading(monkeypatch)
    assert build(argv(tmp_path)) == 0
    write_post(content, "a/b/deep.md", "Deep down, edited", "2014-08-13 11:00")
    assert build(argv(tmp_path)) == 0
    # A new time on the same bytes (a touch, a checkout) reads nothing.
    later = deep.stat().st_mtime_ns + 10**9
    os.utime(deep, ns=(later, later))
    assert build(argv(tmp_path)) == 0
    assert reads == [["a/b/deep.md", "top.md"], ["a/b/deep.md"], []]


def test_a_damaged_store_is_read_again_with_a_warning(tmp_path, monkeypatch, caplog):
    content = tmp_path / "content"
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    write_post(content, "a/two.md", "Two", "2014-08-14 10:00")
    assert build(argv(tmp_path)) == 0
    (store,) = (tmp_path / "cache").glob("posts-*.sqlite")
    store.write_bytes(store.read_bytes()[:20])  # a full disk, say
    write_post(content, "a/two.md", "Two, edited", "2014-08-14 10:00")
    reads = watch_reading(monkeypatch)
    assert build(argv(tmp_path)) == 0
    assert reads == [["a/one.md", "a/two.md"]]
    assert "cannot be read" in caplog.text and "every post is read again" in caplog.text
    assert (tmp_path / "output/a/one.html").is_file()


def test_nothing_changed_means_nothing_done_until_a_future_post_comes_due(tmp_path):
    content = tmp_path / "content"
    write_post(content, "a/now.md", "Now", "2014-08-13 10:00")
    # Far enough ahead for two builds on a busy machine, near enough to wait for.
    due = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=12)
    write_post(content, "a/soon.md", "Soon", due.isoformat(sep=" ", timespec="seconds"))
    assert build(argv(tmp_path)) == 0
    assert not (tmp_path / "output/a/soon.html").exists()
    said = subprocess.run([sys.executable, "-m", "midcycle.build", *argv(tmp_path)[:-3], *argv(tmp_path)[-2:]],
                          capture_output=True, text=True, check=True).stdout  # without -q: it says what it did
    assert "midcycle: 1 posts, nothing changed since the last build" in said, said
    time.sleep(max(0.0, (due - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1)
    # No file changed, but the post's time has come.
    assert build(argv(tmp_path)) == 0
    assert (tmp_path / "output/a/soon.html").is_file()
    # An output folder removed by hand is built again.
    shutil.rmtree(tmp_path / "output")
    assert build(argv(tmp_path)) == 0
    assert (tmp_path / "output/a/soon.html").is_file()
