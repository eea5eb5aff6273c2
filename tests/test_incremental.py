"""Rebuilds give exactly the bytes of a cold build (issue 7, point 4).

One site is built cold into ``A`` with its own cache folder; then, one edit
at a time, it is rebuilt into ``A`` (same cache) and the same content is
built cold into a fresh folder with a fresh cache, and the two must hold the
same files with the same bytes. A rebuild renders only the pages and feeds
whose inputs changed and writes only the files whose bytes changed, so each
of these edits must reach every page and feed it touches (listings, related
lines, series boxes, tag pages, pagination), and files the content no longer
makes must go.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from conftest import ROOT, run_build, snapshot, write_post

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

POSTS = 24
PAGINATION = 4  # small pages, so adding or deleting a post moves others between pages
SERIES = "Kilo meetup"


def build(content: Path, output: Path, cache: Path) -> None:
    result = run_build(content, output, CACHE_PATH=str(cache), DEFAULT_PAGINATION=PAGINATION)
    assert result.returncode == 0, f"build into {output.name} failed:\n{result.stdout}\n{result.stderr}"


def assert_same_site(rebuilt: dict[str, bytes], cold: dict[str, bytes], edit: str) -> None:
    assert rebuilt.keys() == cold.keys(), (
        f"after '{edit}' the rebuilt site has extra files {sorted(rebuilt.keys() - cold.keys())} "
        f"and lacks {sorted(cold.keys() - rebuilt.keys())}")
    differing = sorted(name for name in cold if rebuilt[name] != cold[name])
    assert not differing, f"after '{edit}' these rebuilt files differ from a cold build: {differing}"


def replace_line(path: Path, prefix: str, line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, old in enumerate(lines) if old.startswith(prefix))
    lines[index] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def test_rebuilds_after_each_edit_equal_a_cold_build(tmp_path):
    content = tmp_path / "content"
    corpus = write_corpus(content, POSTS, seed=7)
    series = [write_post(content, f"meetups/kilo/day-{day}.md", f"Kilo meetup day {day}",
                         f"2006-01-0{day + 2} 12:00", tags="tag0001, kilo, meetup", series=SERIES,
                         body=f"Day {day} of the meetup. See [day one](day-1.html).")
              for day in (1, 2, 3)]
    alone_in_series = next(p for p in corpus if "\nSeries: " in p.read_text(encoding="utf-8"))

    def edit_body() -> None:
        with corpus[10].open("a", encoding="utf-8") as handle:
            handle.write("\nOne more paragraph, with *emphasis*.\n")

    def edit_tags() -> None:
        replace_line(corpus[5], "Tags:", "Tags: kilo, tag0001, brand-new-tag")

    def add_post() -> None:
        write_post(content, "meetups/kilo/day-4.md", "Kilo meetup day 4", "2006-01-07 12:00",
                   tags="kilo, tag0002", series=SERIES, body="The last day.")

    def delete_post() -> None:
        alone_in_series.unlink()  # its series, and maybe its path, go with it

    def rename_series() -> None:
        for post in [*series, content / "meetups/kilo/day-4.md"]:
            replace_line(post, "Series:", "Series: Kilo mid-cycle meetup")

    def edit_title() -> None:
        replace_line(series[1], "Title:", "Title: Kilo meetup day 2: cells v2")

    output = tmp_path / "A"
    cache = tmp_path / "cache-A"
    build(content, output, cache)
    cold = snapshot(output)

    edits = [edit_body, edit_tags, add_post, delete_post, rename_series, edit_title]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for step, edit in enumerate(edits, 1):
            edit()
            fresh = tmp_path / f"cold-{step}"
            rebuilding = pool.submit(build, content, output, cache)
            cold_building = pool.submit(build, content, fresh, tmp_path / f"cache-cold-{step}")
            rebuilding.result()
            cold_building.result()
            previous, cold = cold, snapshot(fresh)
            assert cold != previous, f"'{edit.__name__}' changed nothing in the output; the test would prove nothing"
            assert_same_site(snapshot(output), cold, edit.__name__)

    # Touching a file changes no content: the rebuild equals the last cold
    # build and rewrites nothing (same bytes keep their modification time).
    before = snapshot(output, times=True)
    later = series[0].stat().st_mtime + 60
    os.utime(series[0], (later, later))
    build(content, output, cache)
    assert_same_site(snapshot(output), cold, "touch")
    assert snapshot(output, times=True) == before
