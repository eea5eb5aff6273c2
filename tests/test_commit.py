"""build.commit: bringing the output folder to what a build made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import snapshot
from midcycle.commit import commit
from midcycle.errors import BuildError

OLD_TIME = 1_000_000_000_000_000_000


def make(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
        os.utime(root / name, ns=(OLD_TIME, OLD_TIME))


def test_changes_move_in_and_what_was_not_made_goes(tmp_path):
    output, fresh = tmp_path / "output", tmp_path / ".output.next"
    make(output, {"index.html": b"home", "a/one.html": b"one", "a/two.html": b"two", "gone/old.html": b"old",
                  "theme/site.css": b"css", ".git/HEAD": b"ref", "stray.txt": b"hand made"})
    # The writer put only the changed page in the fresh folder; Pelican
    # copied the stylesheet again, with the same bytes.
    make(fresh, {"a/two.html": b"two, edited", "theme/site.css": b"css", "b/new.html": b"new"})
    commit(fresh, output, made=["index.html", "a/one.html", "a/two.html", "b/new.html"], retention=[".git"])
    assert snapshot(output) == {"index.html": b"home", "a/one.html": b"one", "a/two.html": b"two, edited",
                                "theme/site.css": b"css", "b/new.html": b"new", ".git/HEAD": b"ref"}
    assert not (output / "gone").exists(), "a folder left empty is removed"
    assert not fresh.exists()
    # Untouched files keep their time, the stylesheet included.
    for name in ("index.html", "a/one.html", "theme/site.css"):
        assert (output / name).stat().st_mtime_ns == OLD_TIME, name


def test_a_file_may_replace_a_folder_and_the_other_way_round(tmp_path):
    output, fresh = tmp_path / "output", tmp_path / ".output.next"
    make(output, {"x/inner.html": b"inner", "y": b"a file named y"})
    make(fresh, {"x": b"now a file", "y/inner.html": b"now in a folder"})
    commit(fresh, output, made=["x", "y/inner.html"], retention=[])
    assert snapshot(output) == {"x": b"now a file", "y/inner.html": b"now in a folder"}


def test_without_an_output_the_fresh_folder_becomes_it(tmp_path):
    output, fresh = tmp_path / "site" / "output", tmp_path / ".output.next"
    make(fresh, {"index.html": b"home"})
    commit(fresh, output, made=["index.html"], retention=[])
    assert snapshot(output) == {"index.html": b"home"}
    assert not fresh.exists()


def test_nothing_is_written_through_a_link_to_a_folder(tmp_path):
    output, fresh, elsewhere = tmp_path / "output", tmp_path / ".output.next", tmp_path / "elsewhere"
    make(output, {"index.html": b"home"})
    make(elsewhere, {"x.css": b"old"})
    (output / "static").symlink_to(elsewhere, target_is_directory=True)
    make(fresh, {"static/x.css": b"new", "index.html": b"home, edited"})
    with pytest.raises(BuildError) as error:
        commit(fresh, output, made=["index.html", "static/x.css"], retention=[])
    assert str(output / "static") in str(error.value)
    # Nothing moved: not the link's target, not the output.
    assert (elsewhere / "x.css").read_bytes() == b"old"
    assert (output / "index.html").read_bytes() == b"home"


def test_a_link_the_build_does_not_need_is_removed_but_not_followed(tmp_path):
    output, fresh, elsewhere = tmp_path / "output", tmp_path / ".output.next", tmp_path / "elsewhere"
    make(output, {"index.html": b"home"})
    make(elsewhere, {"keep.txt": b"not ours"})
    (output / "stray").symlink_to(elsewhere, target_is_directory=True)
    commit(fresh, output, made=["index.html"], retention=[])  # no fresh folder: nothing changed
    assert snapshot(output) == {"index.html": b"home"}
    assert not (output / "stray").is_symlink()
    assert (elsewhere / "keep.txt").read_bytes() == b"not ours"
