"""The output folder: the build deletes only what it made, refuses folders
that hold anything else, takes one build at a time, and works when the
output folder is a file system of its own.

Every folder these tests point a build at is a temporary one: the
project, the home folder and ``/`` are stood in for, so a regression can
never empty a real one (see test_commit.py for ``/``)."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SITEURL, failing_build, run_build, snapshot, write_post


@pytest.fixture
def site(tmp_path, content):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="nova")
    write_post(content, "b/two.md", "Two", "2014-08-14 10:00", tags="nova")
    return content, tmp_path / "output"


def make_html(content: Path, output: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", "html", f"INPUTDIR={content}", f"OUTPUTDIR={output}", f"SITEURL={SITEURL}",
                           *extra], cwd=ROOT, capture_output=True, text=True)


def test_a_folder_holding_other_files_is_refused_and_left_alone(site, tmp_path):
    content, _ = site
    folder = tmp_path / "somebodys"
    (folder / "Documents").mkdir(parents=True)
    (folder / "Documents/thesis.txt").write_text("years of work")
    (folder / ".ssh").mkdir()
    (folder / ".ssh/id_rsa").write_text("secret")
    before = snapshot(folder, times=True)
    text = failing_build(content, folder)
    assert "Documents/thesis.txt" in text and ".ssh/id_rsa" in text
    assert "ADOPT_OUTPUT=1" in text  # and how to say the folder is the site's
    assert snapshot(folder, times=True) == before
    assert sorted(p.name for p in folder.iterdir()) == [".ssh", "Documents"]


def test_only_a_few_unknown_files_are_named(site, tmp_path):
    content, _ = site
    folder = tmp_path / "full"
    folder.mkdir()
    for n in range(30):
        (folder / f"f{n:02d}.txt").write_text("x")
    text = failing_build(content, folder)
    assert "f00.txt" in text and "f29.txt" not in text
    assert "and 25 more" in text


def test_adopting_a_folder_makes_its_files_the_sites(site, tmp_path):
    content, _ = site
    folder = tmp_path / "old-site"
    folder.mkdir()
    (folder / "stale.html").write_text("from another generator")
    result = make_html(content, folder, "ADOPT_OUTPUT=1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (folder / "stale.html").exists()
    assert (folder / "a/one.html").is_file()
    # From now on it is the site's: the next build needs no word.
    write_post(content, "a/three.md", "Three", "2014-08-15 10:00")
    assert run_build(content, folder).returncode == 0
    assert (folder / "a/three.html").is_file()


def test_a_file_put_into_the_output_by_hand_stops_the_next_build(site):
    content, output = site
    assert run_build(content, output).returncode == 0
    (output / "a/notes.txt").write_text("mine")
    (content / "a/one.md").unlink()  # the build would remove a/one.html
    before = snapshot(output, times=True)
    text = failing_build(content, output)
    assert "a/notes.txt" in text
    assert snapshot(output, times=True) == before


def test_without_its_cache_the_build_still_knows_its_files(site, tmp_path):
    content, output = site
    cache = tmp_path / "cache"
    assert run_build(content, output, CACHE_PATH=str(cache)).returncode == 0
    shutil.rmtree(cache)
    (content / "a/one.md").unlink()
    result = run_build(content, output, CACHE_PATH=str(cache))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (output / "a/one.html").exists()
    assert (output / "b/two.html").is_file()


def test_a_failed_first_build_leaves_no_output_folder(content, tmp_path):
    write_post(content, "a/one.md", "One", "not a date")
    failing_build(content, tmp_path / "output")
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("where", ["home", "project", "content's parent", "content"])
def test_folders_that_are_never_an_output(site, tmp_path, where):
    """Even when told the folder is the site's."""
    content, _ = site
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents/thesis.txt").write_text("years of work")
    # A project of its own: these settings in a folder of their own, built from there.
    project = tmp_path / "project"
    project.mkdir()
    conf = project / "pelicanconf.py"
    conf.write_text((ROOT / "pelicanconf.py").read_text() + f"\nTHEME = {str(ROOT / 'theme')!r}\n")
    folder = {"home": home, "project": project, "content's parent": content.parent, "content": content}[where]
    before = {**snapshot(home, times=True), **snapshot(content, times=True), **snapshot(project, times=True)}
    result = subprocess.run([sys.executable, "-m", "midcycle.build", str(content), "-o", str(folder), "-s", str(conf),
                             "-e", f'SITEURL="{SITEURL}"', "--adopt-output"], cwd=project, capture_output=True,
                            text=True, env={**os.environ, "HOME": str(home)})
    text = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in text
    assert f"OUTPUTDIR {folder}" in text and "never builds into it" in text
    assert {**snapshot(home, times=True), **snapshot(content, times=True), **snapshot(project, times=True)} == before
    assert not (folder / ".midcycle").exists()


def test_a_second_build_on_the_same_output_is_refused(site):
    content, output = site
    assert run_build(content, output).returncode == 0
    before = snapshot(output, times=True)
    write_post(content, "a/three.md", "Three", "2014-08-15 10:00")
    # Another build holds the output folder's lock.
    folder = os.open(output, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        text = failing_build(content, output)
    finally:
        os.close(folder)
    assert "another build is running" in text and str(output) in text
    assert snapshot(output, times=True) == before
    assert run_build(content, output).returncode == 0
    assert (output / "a/three.html").is_file()


def test_make_clean_removes_only_a_folder_midcycle_built(site, tmp_path):
    content, output = site
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    result = subprocess.run(["make", "-s", "clean", f"OUTPUTDIR={mine}"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "not built by midcycle" in result.stderr
    assert (mine / "thesis.txt").read_text() == "years of work"
    assert run_build(content, output).returncode == 0
    others = [f"PREVIEWDIR={tmp_path / 'preview'}", f"PUBLISHDIR={tmp_path / 'public'}"]
    assert subprocess.run(["make", "-s", "clean", f"OUTPUTDIR={output}", *others], cwd=ROOT).returncode == 0
    assert not output.exists()


def test_the_record_is_never_uploaded(site, tmp_path):
    if shutil.which("rsync") is None:
        pytest.skip("rsync is not installed (.ci/run installs it)")
    content, output = site
    target = tmp_path / "server"
    result = subprocess.run(["make", "-s", "upload", f"INPUTDIR={content}", f"PUBLISHDIR={output}",
                             "SITEURL=https://blog.test", f"PUBLISH_TARGET={target}/"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (output / ".midcycle/files.json").is_file()
    uploaded = sorted(p.relative_to(target).as_posix() for p in target.rglob("*"))
    assert "a/one.html" in uploaded
    assert not [name for name in uploaded if ".midcycle" in name]


def test_an_output_folder_that_is_a_mount_point_builds(site):
    """Renames cannot cross file systems, so everything the build puts
    together must be on the output folder's own."""
    content, output = site
    output.mkdir()
    if subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs none {output}"],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a file system here (unshare -rm is not allowed)")
    build = f"make -s html INPUTDIR={content} OUTPUTDIR={output} SITEURL={SITEURL}"
    script = (f"mount -t tmpfs none {output} && {build} && test -f {output}/a/one.html && "
              f"printf 'Title: Three\\nDate: 2014-08-15 10:00\\n\\nBody\\n' > {content}/a/three.md && "
              f"{build} && test -f {output}/a/three.html")
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
