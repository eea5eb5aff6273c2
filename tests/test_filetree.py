"""filetree: walking a folder, and what in it the build refuses to follow
or to name (links leaving it, loops, names that are not text)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from midcycle.filetree import files_under, link_problems, name_problems, tree_problems


def tree(root: Path, files: list[str]) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    return root


def test_files_under_lists_files_and_links_without_following(tmp_path):
    root = tree(tmp_path / "root", ["b/x.md", "a.md", "b/c/y.md"])
    (root / "b/up").symlink_to("..", target_is_directory=True)
    assert [name for name, _entry in files_under(root)] == ["a.md", "b/up", "b/x.md", "b/c/y.md"]


def test_a_plain_tree_has_no_problems(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md", "a/images/bowl.png", "b/two.md"])
    assert tree_problems(root, "content folder") == []


def test_links_that_stay_inside_are_allowed(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md", "shared/logo.png", "shared/more/x.txt"])
    (root / "a/logo.png").symlink_to("../shared/logo.png")
    (root / "a/shared").symlink_to("../shared", target_is_directory=True)
    assert tree_problems(root, "content folder") == []


def test_a_link_to_a_folder_outside_is_named_with_where_it_points(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md"])
    (root / "etclink").symlink_to("/etc", target_is_directory=True)
    problems = tree_problems(root, "content folder")
    assert len(problems) == 1
    assert problems[0].startswith("etclink: a link to /etc, outside the content folder")


@pytest.mark.parametrize("target", ["../../secret.txt", "/etc/passwd", "../../outside"])
def test_links_to_files_outside_are_refused(tmp_path, target):
    (tmp_path / "secret.txt").write_text("s3cret")
    (tmp_path / "outside").mkdir()
    root = tree(tmp_path / "content", ["a/one.md"])
    (root / "a/key.txt").symlink_to(target)
    (problem,) = tree_problems(root, "content folder")
    assert problem.startswith(f"a/key.txt: a link to {target}, outside the content folder")


def test_a_link_out_and_back_in_is_judged_by_where_it_ends(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md"])
    (root / "a/again.md").symlink_to(tmp_path / "content/a/one.md")
    assert tree_problems(root, "content folder") == []


def test_the_folder_itself_may_be_a_link(tmp_path):
    real = tree(tmp_path / "real", ["a/one.md"])
    (real / "a/same.md").symlink_to("one.md")
    (tmp_path / "content").symlink_to(real, target_is_directory=True)
    assert tree_problems(tmp_path / "content", "content folder") == []


def test_a_broken_link_is_named(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md"])
    (root / "a/gone.png").symlink_to("nothing-here.png")
    (problem,) = tree_problems(root, "content folder")
    assert problem.startswith("a/gone.png: a link to nothing-here.png, which does not exist")


@pytest.mark.parametrize("links", [
    {"self": "."},
    {"a/up": ".."},
    {"a/deeper/top": "../.."},
    # Neither leads back to its own folder, but each to the other's.
    {"a/to-b": "../b", "b/to-a": "../a"},
])
def test_loops_are_named(tmp_path, links):
    root = tree(tmp_path / "content", ["a/one.md", "a/deeper/x.md", "b/two.md"])
    for name, target in links.items():
        (root / name).symlink_to(target, target_is_directory=True)
    problems = tree_problems(root, "content folder")
    assert sorted(problem.split(":")[0] for problem in problems) == sorted(links)
    assert all("leads back into itself" in problem for problem in problems)


def test_a_link_into_a_loop_is_not_itself_a_loop(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md", "b/two.md"])
    (root / "a/self").symlink_to(".", target_is_directory=True)
    (root / "b/to-a").symlink_to("../a", target_is_directory=True)
    assert [problem.split(":")[0] for problem in tree_problems(root, "content folder")] == ["a/self"]


def test_link_problems_take_entries_from_a_walk_already_made(tmp_path):
    root = tree(tmp_path / "content", ["a/one.md"])
    (root / "leak").symlink_to("/etc", target_is_directory=True)
    entries = list(files_under(root))
    assert link_problems(root, entries, "content folder") == tree_problems(root, "content folder")


def test_undecodable_and_control_names_are_named_once_each(tmp_path):
    root = os.fsencode(tmp_path / "content")
    for name in (b"caf\xe9/one.md", b"caf\xe9/two.md", b"ok/bad\x1bname.md", b"ok/fine.md"):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write("x")
    problems = name_problems(list(files_under(os.fsdecode(root))))
    assert problems == [
        "caf\\xe9: the name is not UTF-8; rename it (its bytes are shown as \\x..)",
        "ok/bad\\x1bname.md: control character U+001B in the name; rename it",
    ]
