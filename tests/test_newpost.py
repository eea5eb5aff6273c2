import datetime
import subprocess
from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT
from midcycle.tools.newpost import new_post


def test_new_post_writes_a_dated_skeleton(tmp_path):
    now = datetime.datetime(2014, 8, 13, 13, 57, tzinfo=ZoneInfo("UTC"))
    path = new_post(tmp_path, "openstack/juno", "Juno meetup: day one", "Australia/Sydney", now=now)
    assert path == tmp_path / "openstack/juno/juno-meetup-day-one.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    # 13:57 UTC is 23:57 in Sydney (AEST, UTC+10, in August).
    assert lines[:2] == ["Title: Juno meetup: day one", "Date: 2014-08-13 23:57"]


def test_new_post_never_overwrites(tmp_path):
    first = new_post(tmp_path, "wood", "Same title")
    first.write_text("my words", encoding="utf-8")
    with pytest.raises(FileExistsError):
        new_post(tmp_path, "wood", "Same title")
    assert first.read_text(encoding="utf-8") == "my words"


@pytest.mark.parametrize("folder", ["../outside", "a/../../b", "a/./b", "a\nb"])
def test_new_post_stays_inside_content(tmp_path, folder):
    with pytest.raises(ValueError):
        new_post(tmp_path / "content", folder, "Title")
    assert not (tmp_path / "outside").exists()


def test_make_newpost_refuses_to_overwrite(tmp_path):
    args = ["make", "-s", "newpost", f"INPUTDIR={tmp_path}", "DIR=wood", "TITLE=Lathe day"]
    first = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    post = tmp_path / "wood/lathe-day.md"
    post.write_text("Title: Lathe day\nDate: 2014-08-13 10:00\n\nEdited.\n", encoding="utf-8")
    second = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    assert second.returncode != 0
    assert "already exists" in second.stderr
    assert post.read_text(encoding="utf-8").endswith("Edited.\n")


def test_a_leading_slash_is_the_path_as_pages_show_it(tmp_path):
    # "path: /openstack/juno" is how a post block shows it; accept that form.
    path = new_post(tmp_path, "/openstack/juno/", "Day two")
    assert path == tmp_path / "openstack/juno/day-two.md"


def test_the_file_name_follows_the_sites_slug_rules(tmp_path):
    # A site that keeps '+' in slugs (Pelican's default rules drop it).
    rules = [(r"[^\w\s+-]", ""), (r"(?u)\A\s*", ""), (r"(?u)\s*\Z", ""), (r"[-\s]+", "-")]
    assert new_post(tmp_path, "c", "C++ notes", slug_substitutions=rules).name == "c++-notes.md"
    assert new_post(tmp_path, "c", "C++ notes").name == "c-notes.md"
