import os
import pickle

import pytest

from midcycle.errors import BuildError
from midcycle.urls import unsafe_reason
from midcycle.write import Output, check_outputs, write_outputs


@pytest.mark.parametrize("name", ["../x.html", "a/../../x.html", "/etc/passwd", "a//b.html", "a\\b.html",
                                  "a/\x00.html", "a/\nb.html", "C:/x.html", "./x.html", ""])
def test_names_that_could_leave_the_output_folder_are_refused(name):
    assert unsafe_reason(name) is not None


def test_plain_names_are_fine():
    assert unsafe_reason("openstack/juno/db2-support.html") is None
    assert unsafe_reason("tag/c++.html") is None


def test_names_longer_than_file_systems_hold_are_refused():
    # A file written into a live output folder is first ".{name}.tmp":
    # that must fit in 255 bytes too, so a name takes at most 250.
    assert unsafe_reason("a/" + "x" * 245 + ".html") is None  # 250 bytes
    assert "longer than 250 bytes" in unsafe_reason("a/" + "x" * 246 + ".html")
    assert "longer than 250 bytes" in unsafe_reason("é" * 126 + "/x.html")  # 252 bytes in UTF-8
    assert unsafe_reason("é" * 125 + "/x.html") is None


def test_collisions_name_both_sources():
    problems = check_outputs([Output("a/b.html", lambda: b"1", "a/b.md"),
                              Output("a/b.html", lambda: b"2", "tag listing 'b'"),
                              Output("A/B.html", lambda: b"3", "A/B.md")])
    assert len(problems) == 1
    assert "a/b.md" in problems[0] and "tag listing 'b'" in problems[0] and "A/B.md" in problems[0]


def test_nothing_is_written_when_anything_is_wrong(tmp_path):
    with pytest.raises(BuildError) as error:
        write_outputs([Output("ok.html", lambda: b"x", "ok.md"), Output("../escape.html", lambda: b"x", "bad.md")], tmp_path)
    assert "bad.md" in str(error.value)
    assert not (tmp_path / "ok.html").exists()
    assert not (tmp_path.parent / "escape.html").exists()


def test_unchanged_files_keep_their_modification_time(tmp_path):
    outputs = [Output("a/same.html", lambda: b"same", "s.md"), Output("a/changed.html", lambda: b"old", "c.md")]
    write_outputs(outputs, tmp_path)
    for name in ("a/same.html", "a/changed.html"):
        os.utime(tmp_path / name, (1_000_000_000, 1_000_000_000))
    counts = write_outputs([outputs[0], Output("a/changed.html", lambda: b"new", "c.md")], tmp_path)
    assert (counts.written, counts.unchanged) == (1, 1)
    assert (tmp_path / "a/same.html").stat().st_mtime == 1_000_000_000
    assert (tmp_path / "a/changed.html").read_bytes() == b"new"
    assert (tmp_path / "a/changed.html").stat().st_mtime != 1_000_000_000


def refuse_to_render() -> bytes:
    raise AssertionError("rendered although its digest had not changed")


def test_an_unchanged_digest_is_not_rendered_again(tmp_path):
    manifest = tmp_path / "cache" / "manifest.json"
    out = tmp_path / "out"
    write_outputs([Output("a.html", lambda: b"A", "a.md", "d1"), Output("b.html", lambda: b"B", "b.md", "d2")], out,
                  manifest_path=manifest)
    counts = write_outputs([Output("a.html", refuse_to_render, "a.md", "d1"),
                                        Output("b.html", lambda: b"B2", "b.md", "d2-new")], out, manifest_path=manifest)
    assert (counts.written, counts.unchanged) == (1, 1)
    assert (out / "a.html").read_bytes() == b"A"
    assert (out / "b.html").read_bytes() == b"B2"


def test_a_file_changed_behind_the_manifest_is_rendered_again(tmp_path):
    manifest = tmp_path / "manifest.json"
    out = tmp_path / "out"
    write_outputs([Output("a.html", lambda: b"A", "a.md", "d1")], out, manifest_path=manifest)
    (out / "a.html").write_bytes(b"hand edited")
    write_outputs([Output("a.html", lambda: b"A", "a.md", "d1")], out, manifest_path=manifest)
    assert (out / "a.html").read_bytes() == b"A"


def test_a_fresh_folder_receives_only_what_changed(tmp_path):
    manifest = tmp_path / "manifest.json"
    old, new = tmp_path / "old", tmp_path / "new"
    write_outputs([Output("x/a.html", lambda: b"A", "a.md", "d1"), Output("x/b.html", lambda: b"B", "b.md", "d2"),
                   Output("y/c.html", lambda: b"C", "c.md", "d4")], old, manifest_path=manifest)
    counts = write_outputs(
        [Output("x/a.html", refuse_to_render, "a.md", "d1"), Output("x/b.html", lambda: b"B", "b.md", "d3"),
         Output("y/c.html", lambda: b"C2", "c.md", "d5")], new, previous=old, manifest_path=manifest)
    # An unchanged digest is not rendered, the same bytes from a new digest
    # are not written: only the one real change reaches the fresh folder.
    assert (counts.written, counts.unchanged) == (1, 2)
    assert sorted(p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()) == ["y/c.html"]
    assert (new / "y/c.html").read_bytes() == b"C2"
    assert (old / "y/c.html").read_bytes() == b"C"


def test_a_file_where_another_output_needs_a_folder_is_refused():
    problems = check_outputs([Output("tag/nova", lambda: b"1", "tag/nova.md"),
                              Output("Tag/Nova/page/2.html", lambda: b"2", "tag listing 'nova'"),
                              Output("tag/other.html", lambda: b"3", "tag listing 'other'")])
    assert len(problems) == 1
    assert "tag/nova.md" in problems[0] and "tag listing 'nova'" in problems[0]


def test_a_render_that_fails_names_its_output_and_source(tmp_path):
    def broken() -> bytes:
        raise ValueError("All strings must be XML compatible")

    with pytest.raises(BuildError) as error:
        write_outputs([Output("a/index.atom", broken, "path feed '/a'")], tmp_path)
    assert error.value.problems == ["path feed '/a': cannot make a/index.atom: ValueError: "
                                    "All strings must be XML compatible"]


def test_a_damaged_manifest_is_dropped_with_a_warning_and_everything_rendered(tmp_path, caplog):
    manifest = tmp_path / "cache/outputs.pickle"
    outputs = [Output("a.html", lambda: b"A", "a.md", digest="1"), Output("b.html", lambda: b"B", "b.md", digest="2")]
    assert write_outputs(outputs, tmp_path / "out", manifest_path=manifest).rendered == 2
    assert write_outputs(outputs, tmp_path / "out", manifest_path=manifest).rendered == 0
    whole = manifest.read_bytes()
    for damaged in (whole[: len(whole) // 2], b"not a pickle", pickle.dumps([1, 2])):
        manifest.write_bytes(damaged)
        assert write_outputs(outputs, tmp_path / "out", manifest_path=manifest).rendered == 2
    assert caplog.text.count("dropping the damaged cache file") == 2  # the list was a pickle, just not a manifest
