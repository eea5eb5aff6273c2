"""Reading and rendering in several processes gives the very bytes of a
build in one process, cold and after an edit."""

from __future__ import annotations

import sys

from conftest import ROOT, run_build, snapshot
from midcycle.processes import PARALLEL_FROM

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402


def test_two_processes_build_what_one_builds(tmp_path):
    content = tmp_path / "content"
    posts = write_corpus(content, PARALLEL_FROM + 20)
    outputs = {}
    for workers in (1, 2):
        output, cache = tmp_path / f"out{workers}", tmp_path / f"cache{workers}"
        result = run_build(content, output, MIDCYCLE_WORKERS=workers, CACHE_PATH=str(cache))
        assert result.returncode == 0, result.stdout + result.stderr
        outputs[workers] = snapshot(output)
    assert len(outputs[1]) > PARALLEL_FROM
    assert outputs[1] == outputs[2]
    # An edit read by one process and rendered by two still matches.
    with posts[3].open("a", encoding="utf-8") as handle:
        handle.write("\nOne more line, with [a link](elsewhere.html).\n")
    for workers in (1, 2):
        result = run_build(content, tmp_path / f"out{workers}", MIDCYCLE_WORKERS=workers,
                           CACHE_PATH=str(tmp_path / f"cache{workers}"))
        assert result.returncode == 0, result.stdout + result.stderr
    assert snapshot(tmp_path / "out1") == snapshot(tmp_path / "out2")
    assert b"elsewhere.html" in (tmp_path / "out2" / posts[3].relative_to(content).with_suffix(".html")).read_bytes()
