"""commit: which files of the output folder the build may touch, and
bringing the output folder to what a build made."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import snapshot
from midcycle.commit import (Inventory, abandon, add_to_record, commit, first_missing, folder_problems, fresh_folder,
                             output_lock, owned_files, read_record, write_record)
from midcycle.errors import BuildError

OLD_TIME = 1_000_000_000_000_000_000


def make(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
        os.utime(root / name, ns=(OLD_TIME, OLD_TIME))


def inventory(output: Path, owned: set[str], retention: tuple[str, ...] = ()) -> Inventory:
    """What a build finds in ``output`` when its record names ``owned``."""
    write_record(output, owned)
    found, _problems = owned_files(output, retention)
    return found


def site_files(output: Path) -> dict[str, bytes]:
    """The output's files, less midcycle's own folder."""
    return {name: data for name, data in snapshot(output).items() if not name.startswith(".midcycle/")}


def test_changes_move_in_and_what_was_not_made_goes(tmp_path):
    output = tmp_path / "output"
    fresh = fresh_folder(output)
    make(output, {"index.html": b"home", "a/one.html": b"one", "a/two.html": b"two", "gone/old.html": b"old",
                  "theme/site.css": b"css", ".git/HEAD": b"ref", "stray.txt": b"hand made"})
    # The writer put only the changed page in the fresh folder; Pelican
    # copied the stylesheet again, with the same bytes.
    make(fresh, {"a/two.html": b"two, edited", "theme/site.css": b"css", "b/new.html": b"new"})
    owned = {"index.html", "a/one.html", "a/two.html", "gone/old.html", "theme/site.css"}
    commit(fresh, output, made=["index.html", "a/one.html", "a/two.html", "b/new.html"],
           inventory=inventory(output, owned, (".git",)))
    # stray.txt was not the build's: it stays, and is still not on the record.
    assert site_files(output) == {"index.html": b"home", "a/one.html": b"one", "a/two.html": b"two, edited",
                                  "theme/site.css": b"css", "b/new.html": b"new", ".git/HEAD": b"ref",
                                  "stray.txt": b"hand made"}
    assert read_record(output) == {"index.html", "a/one.html", "a/two.html", "theme/site.css", "b/new.html"}
    assert not (output / "gone").exists(), "a folder left empty is removed"
    assert not fresh.exists()
    # Untouched files keep their time, the stylesheet included.
    for name in ("index.html", "a/one.html", "theme/site.css"):
        assert (output / name).stat().st_mtime_ns == OLD_TIME, name


def test_a_file_may_replace_a_folder_and_the_other_way_round(tmp_path):
    output = tmp_path / "output"
    fresh = fresh_folder(output)
    make(output, {"x/inner.html": b"inner", "y": b"a file named y"})
    make(fresh, {"x": b"now a file", "y/inner.html": b"now in a folder"})
    commit(fresh, output, made=["x", "y/inner.html"], inventory=inventory(output, {"x/inner.html", "y"}))
    assert site_files(output) == {"x": b"now a file", "y/inner.html": b"now in a folder"}


def test_a_first_build_moves_in_whole(tmp_path):
    output = tmp_path / "site" / "output"
    fresh = fresh_folder(output)
    make(fresh, {"index.html": b"home", "a/b/c.html": b"deep"})
    commit(fresh, output, made=["index.html", "a/b/c.html"], inventory=inventory(output, set()))
    assert site_files(output) == {"index.html": b"home", "a/b/c.html": b"deep"}
    assert not fresh.exists()
    assert read_record(output) == {"index.html", "a/b/c.html"}


def test_the_fresh_folder_is_on_the_output_folders_file_system(tmp_path):
    """So every move-in is a rename, even when the output folder is a mount point."""
    output = tmp_path / "output"
    fresh_folder(output).mkdir(parents=True)
    assert fresh_folder(output).stat().st_dev == output.stat().st_dev
    assert output in fresh_folder(output).parents


def test_nothing_is_written_through_a_link_to_a_folder(tmp_path):
    output, elsewhere = tmp_path / "output", tmp_path / "elsewhere"
    fresh = fresh_folder(output)
    make(output, {"index.html": b"home"})
    make(elsewhere, {"x.css": b"old"})
    (output / "static").symlink_to(elsewhere, target_is_directory=True)
    make(fresh, {"static/x.css": b"new", "index.html": b"home, edited"})
    with pytest.raises(BuildError) as error:
        commit(fresh, output, made=["index.html", "static/x.css"],
               inventory=inventory(output, {"index.html", "static"}))
    assert str(output / "static") in str(error.value)
    # Nothing moved: not the link's target, not the output.
    assert (elsewhere / "x.css").read_bytes() == b"old"
    assert (output / "index.html").read_bytes() == b"home"


def test_a_link_the_build_does_not_need_is_removed_but_not_followed(tmp_path):
    output, elsewhere = tmp_path / "output", tmp_path / "elsewhere"
    fresh = fresh_folder(output)
    make(output, {"index.html": b"home"})
    make(elsewhere, {"keep.txt": b"not ours"})
    (output / "stray").symlink_to(elsewhere, target_is_directory=True)
    # No fresh folder: nothing changed.
    commit(fresh, output, made=["index.html"], inventory=inventory(output, {"index.html", "stray"}))
    assert site_files(output) == {"index.html": b"home"}
    assert not (output / "stray").is_symlink()
    assert (elsewhere / "keep.txt").read_bytes() == b"not ours"


def test_the_record_round_trips_and_a_damaged_one_is_no_record(tmp_path):
    output = tmp_path / "output"
    assert read_record(output) is None
    write_record(output, ["b.html", "a.html", "caf\udce9/x.html"])  # a name that is not UTF-8 too
    assert read_record(output) == {"a.html", "b.html", "caf\udce9/x.html"}
    add_to_record(output, ["c.html"])
    assert read_record(output) == {"a.html", "b.html", "c.html", "caf\udce9/x.html"}
    for damaged in (b'{"files": ["a.ht', b'{"files": [1, 2]}', b"[]", b"\xff\xfe"):
        (output / ".midcycle/files.json").write_bytes(damaged)
        assert read_record(output) is None


def test_files_the_record_does_not_name_are_named_in_the_refusal(tmp_path):
    output = tmp_path / "output"
    make(output, {"index.html": b"home", "notes/todo.txt": b"mine", ".git/HEAD": b"ref"})
    write_record(output, ["index.html", "gone.html"])
    found, problems = owned_files(output, retention=[".git"])
    assert found.owned == {"index.html", "gone.html"}
    assert sorted(found.present) == ["index.html", "notes/todo.txt"]
    assert len(problems) == 1 and "notes/todo.txt" in problems[0] and "index.html" not in problems[0]
    assert ".git" not in problems[0]  # OUTPUT_RETENTION entries are nobody's to remove
    found, problems = owned_files(output, retention=[".git"], adopt=True)
    assert (found.owned, problems) == ({"index.html", "gone.html", "notes/todo.txt"}, [])


def test_a_new_or_empty_folder_is_the_builds(tmp_path):
    for folder in (tmp_path / "new", tmp_path / "empty"):
        found, problems = owned_files(folder, retention=[])
        assert (found.present, found.owned, problems) == ([], set(), [])
        (tmp_path / "empty/.midcycle").mkdir(parents=True, exist_ok=True)


def folders(tmp_path: Path) -> dict[str, Path]:
    places = {name: tmp_path / name for name in ("content", "theme", "project/cache", "project", "home")}
    for place in places.values():
        place.mkdir(parents=True, exist_ok=True)
    return places


@pytest.mark.parametrize("output, refused", [
    ("project/output", False),
    ("elsewhere/site", False),
    ("content", True),
    ("content/output", True),
    ("theme/output", True),
    ("project", True),
    ("project/cache", True),
    ("home", True),
    ("", True),  # holds them all
])
def test_folders_a_build_never_uses(tmp_path, output, refused):
    places = folders(tmp_path)
    problems = folder_problems(tmp_path / output, places["content"], places["theme"], places["project/cache"],
                               places["project"], places["home"])
    assert bool(problems) == refused, problems
    for problem in problems:
        assert "never builds into it" in problem


def test_the_root_folder_is_never_an_output(tmp_path):
    places = folders(tmp_path)
    problems = folder_problems(Path("/"), places["content"], places["theme"], places["project/cache"],
                               places["project"], places["home"])
    assert any("the root folder" in problem for problem in problems)


def test_a_file_is_not_an_output_folder(tmp_path):
    places = folders(tmp_path)
    (tmp_path / "file").write_text("x")
    assert folder_problems(tmp_path / "file", places["content"], places["theme"], places["project/cache"],
                           places["project"], places["home"]) == [f"OUTPUTDIR {tmp_path / 'file'} is not a folder"]


def test_one_build_at_a_time(tmp_path):
    output = tmp_path / "output"
    with output_lock(output):
        with pytest.raises(BuildError) as error, output_lock(output):
            pass
        assert "another build is running" in str(error.value)
    with output_lock(output):  # released
        pass


def test_a_failed_first_build_removes_the_folders_it_made(tmp_path):
    output = tmp_path / "new" / "deep" / "output"
    created = first_missing(output)
    assert created == tmp_path / "new"
    with output_lock(output):
        fresh_folder(output).mkdir(parents=True)
        abandon(output, created)
    assert list(tmp_path.iterdir()) == []
    assert first_missing(tmp_path) is None


def test_unknown_names_are_shown_escaped(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    (output / "esc\x1b[31mred").write_text("x")
    os.close(os.open(os.path.join(os.fsencode(output), b"caf\xe9.txt"), os.O_CREAT | os.O_WRONLY))
    _owned, (problem,) = owned_files(output, retention=[])
    assert "caf\\xe9.txt" in problem and "esc\\x1b[31mred" in problem
    problem.encode("ascii")  # printable anywhere
