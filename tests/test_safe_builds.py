"""Safe builds: a failed build changes nothing, bad input is named, two
sources never share one file, nothing leaves the output folder, and
everything an author wrote is escaped."""

from __future__ import annotations

import os

import feedparser
import pytest

from conftest import failing_build, run_build, scripts_of, snapshot, write_post

HOSTILE = '<script>alert(1)</script> & "q"'


@pytest.fixture
def good_site(tmp_path, content):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="nova")
    write_post(content, "b/two.md", "Two", "2014-08-14 10:00", tags="nova, cells")
    output = tmp_path / "output"
    result = run_build(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return content, output


def test_a_failed_build_leaves_the_previous_output_as_it_was(good_site):
    content, output = good_site
    before = snapshot(output, times=True)
    write_post(content, "a/three.md", "Three", "not a date at all")
    (content / "b/two.md").write_text("Title: Two, edited\nDate: 2014-08-14 10:00\n\nNew.\n", encoding="utf-8")
    text = failing_build(content, output)
    assert "a/three.md" in text
    assert snapshot(output, times=True) == before
    assert not any(p.name.startswith(".output") for p in output.parent.iterdir())


def test_a_rebuild_keeps_unchanged_files_untouched_and_drops_removed_posts(good_site):
    content, output = good_site
    old_time = 1_000_000_000_000_000_000
    for path in output.rglob("*"):
        if path.is_file():
            os.utime(path, ns=(old_time, old_time))
    (content / "a/one.md").unlink()
    write_post(content, "b/two.md", "Two", "2014-08-14 10:00", tags="nova, cells", body="Edited body.")
    assert run_build(content, output).returncode == 0
    after = snapshot(output, times=True)
    assert "a/one.html" not in after
    assert "a/index.html" not in after
    assert after["b/two.html"][1] != old_time and b"Edited body." in after["b/two.html"][0]
    # The stylesheet did not change, so it keeps its old time (rsync sends nothing).
    assert after["theme/css/midcycle.css"][1] == old_time


@pytest.mark.parametrize("name, data, expected", [
    ("a/bad-date.md", b"Title: T\nDate: 2014-13-45 10:00\n\nBody\n", "a/bad-date.md:2: cannot read the date"),
    ("a/impossible.md", b"Title: T\nDate: 2014-02-30\n\nBody\n", "a/impossible.md:2: cannot read the date"),
    ("a/untitled.md", b"Date: 2014-08-13\n\nBody\n", "a/untitled.md: no 'Title:' line"),
    ("a/status.md", b"Title: T\nDate: 2014-08-13\nStatus: hidden-ish\n\nBody\n", "a/status.md:3: unknown status"),
    ("a/nul.md", b"Title: T\nDate: 2014-08-13\n\nBo\x00dy\n", "a/nul.md:4: NUL byte"),
    ("a/latin1.md", "Title: Caf\u00e9\nDate: 2014-08-13\n\nBody\n".encode("latin-1"), "a/latin1.md:1: not UTF-8"),
    ("a/empty.md", b"", "a/empty.md: the file is empty"),
])
def test_bad_input_names_the_file_and_line(good_site, name, data, expected):
    content, output = good_site
    before = snapshot(output, times=True)
    (content / name).write_bytes(data)
    assert expected in failing_build(content, output)
    assert snapshot(output, times=True) == before


def test_all_bad_files_are_reported_at_once(good_site):
    content, output = good_site
    (content / "a/x.md").write_bytes(b"")
    (content / "b/y.md").write_bytes(b"Title: Y\n\nno date\n")
    text = failing_build(content, output)
    assert "a/x.md" in text and "b/y.md" in text


def test_two_posts_with_one_permalink_are_an_error_naming_both(content, tmp_path):
    write_post(content, "a/first.md", "First", "2014-08-13 10:00", slug="same")
    write_post(content, "a/same.md", "Second", "2014-08-14 10:00")
    text = failing_build(content, tmp_path / "output")
    assert "a/first.md" in text and "a/same.md" in text
    assert not (tmp_path / "output").exists()


def test_a_post_slugged_index_clashes_with_its_path_page(content, tmp_path):
    write_post(content, "a/index.md", "Index", "2014-08-13 10:00")
    text = failing_build(content, tmp_path / "output")
    assert "a/index.md" in text and "path listing" in text


def test_a_path_named_tag_clashes_with_the_tag_index(content, tmp_path):
    write_post(content, "tag/index-of-things.md", "Things", "2014-08-13 10:00")
    text = failing_build(content, tmp_path / "output")
    assert "tag/index.html" in text


def test_tags_spelt_differently_merge_into_one_page(content, build):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="Nova")
    write_post(content, "a/two.md", "Two", "2014-08-14 10:00", tags="nova")
    write_post(content, "a/three.md", "Three", "2014-08-15 10:00", tags="nova")
    site = build(content)
    titles = [a.get_text() for a in site.html("tag/nova.html").select(".post-title a")]
    assert titles == ["Three", "Two", "One"]
    # The spelling most posts use is the one shown everywhere.
    assert site.html("a/one.html").select_one(".post-tags a").get_text() == "nova"
    assert "tag/Nova.html" not in site.files()


@pytest.mark.parametrize("slug", ["../../escaped", "/etc/escaped", "a/b", "x\x07y"])
def test_a_slug_cannot_leave_the_output_folder(content, tmp_path, slug):
    (content / "a").mkdir()
    (content / "a/post.md").write_text(f"Title: T\nDate: 2014-08-13\nSlug: {slug}\n\nBody\n", encoding="utf-8")
    text = failing_build(content, tmp_path / "site" / "output")
    assert "a/post.md" in text
    assert not list(tmp_path.rglob("escaped*"))


def test_a_folder_with_a_control_character_is_refused(content, tmp_path):
    write_post(content, "bad\x1bpath/post.md", "T", "2014-08-13 10:00")
    text = failing_build(content, tmp_path / "output")
    # Shown escaped: printing the name must not drive the terminal.
    assert "bad\\x1bpath: control character U+001B in the name; rename it" in text


def test_odd_tag_and_series_names_stay_inside(content, build, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="../../up, /abs, c++",
               series="../../Series / with slashes")
    site = build(content)
    # Slugified, each name is a plain file name inside its folder: no dots,
    # slashes or plus signs survive.
    for name in ("tag/up.html", "tag/abs.html", "tag/c.html", "series/series-with-slashes.html"):
        assert site.exists(name), name
    # And nothing was written beside the content and the output.
    assert {p.name for p in tmp_path.iterdir()} == {"content", site.output.name}
    assert not [name for name in site.files() if ".." in name]


def test_output_inside_content_is_refused(content):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    text = failing_build(content, content / "output")
    assert "overlap" in text
    assert not (content / "output").exists()


def test_author_text_is_escaped_in_pages(content, build):
    write_post(content, "a/hostile.md", HOSTILE, "2014-08-13 10:00", tags=f"nova, {HOSTILE.replace(',', '')}",
               series=HOSTILE)
    site = build(content)
    for name in site.files():
        if name.endswith(".html"):
            assert scripts_of(name, site.html(name)) == [], name
    post = site.html("a/hostile.html")
    assert post.select_one("h1.post-title").get_text() == HOSTILE
    assert post.title.get_text().startswith(HOSTILE)
    for feed in ("index.rss", "index.atom", "a/index.atom"):
        parsed = feedparser.parse(site.file(feed).read_bytes())
        assert not parsed.bozo, feed
        assert parsed.entries[0].title == HOSTILE
        raw = site.file(feed).read_text(encoding="utf-8")
        assert "<script>" not in raw


def test_a_zero_feed_size_is_a_settings_error(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    result = run_build(content, tmp_path / "output", FEED_MAX_ITEMS=0)
    assert result.returncode != 0
    assert "FEED_MAX_ITEMS must be a whole number above 0 or None (every post), not 0" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_without_the_plugin_the_output_is_left_alone(good_site):
    content, output = good_site
    before = snapshot(output, times=True)
    # Pelican alone, with its own theme, would build a site of its own.
    text = failing_build(content, output, PLUGINS=[], THEME="notmyidea")
    assert "the midcycle plugin did not run" in text
    assert snapshot(output, times=True) == before


def test_settings_that_would_move_posts_or_pages_are_refused_not_ignored(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    text = failing_build(content, tmp_path / "output", ARTICLE_URL="posts/{date:%Y}/{slug}/",
                         PAGE_SAVE_AS="info/{slug}.html", PAGE_PATHS=["static-pages"])
    for key, value in (("ARTICLE_URL", "'posts/{date:%Y}/{slug}/'"), ("PAGE_SAVE_AS", "'info/{slug}.html'"),
                       ("PAGE_PATHS", "['static-pages']")):
        assert (f"settings: {key} = {value}: midcycle puts posts at /{{path}}/{{slug}}.html (the folder under the "
                f"content folder, the file name) and pages at /{{slug}}.html from content/pages/, and does not use "
                f"{key}; remove it from the settings file") in text
    assert not (tmp_path / "output").exists()
    # Pelican's own defaults, said out loud, are fine.
    assert run_build(content, tmp_path / "output", ARTICLE_URL="{slug}.html", PAGE_PATHS=["pages"]).returncode == 0
