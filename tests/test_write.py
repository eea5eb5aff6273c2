import os

import pytest

from midcycle.errors import BuildError
from midcycle.write import Output, check_outputs, unsafe_reason, write_outputs


@pytest.mark.parametrize("name", ["../x.html", "a/../../x.html", "/etc/passwd", "a//b.html", "a\\b.html",
                                  "a/\x00.html", "a/\nb.html", "C:/x.html", "./x.html", ""])
def test_names_that_could_leave_the_output_folder_are_refused(name):
    assert unsafe_reason(name) is not None


def test_plain_names_are_fine():
    assert unsafe_reason("openstack/juno/db2-support.html") is None
    assert unsafe_reason("tag/c++.html") is None


def test_collisions_name_both_sources():
    problems = check_outputs([Output("a/b.html", b"1", "a/b.md"), Output("a/b.html", b"2", "tag listing 'b'"),
                              Output("A/B.html", b"3", "A/B.md")])
    assert len(problems) == 1
    assert "a/b.md" in problems[0] and "tag listing 'b'" in problems[0] and "A/B.md" in problems[0]


def test_nothing_is_written_when_anything_is_wrong(tmp_path):
    with pytest.raises(BuildError) as error:
        write_outputs([Output("ok.html", b"x", "ok.md"), Output("../escape.html", b"x", "bad.md")], tmp_path)
    assert "bad.md" in str(error.value)
    assert not (tmp_path / "ok.html").exists()
    assert not (tmp_path.parent / "escape.html").exists()


def test_unchanged_files_keep_their_modification_time(tmp_path):
    outputs = [Output("a/same.html", b"same", "s.md"), Output("a/changed.html", b"old", "c.md")]
    write_outputs(outputs, tmp_path)
    for name in ("a/same.html", "a/changed.html"):
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    written, unchanged = write_outputs([outputs[0], Output("a/changed.html", b"new", "c.md")], tmp_path)
    assert (written, unchanged) == (1, 1)
    assert (tmp_path / "a/same.html").stat().st_mtime == 1_000_000_000
    assert (tmp_path / "a/changed.html").read_bytes() == b"new"
    assert (tmp_path / "a/changed.html").stat().st_mtime != 1_000_000_000
