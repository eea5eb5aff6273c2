"""What the build refuses, tried as a new user would: each ends in a clear
error naming the file (no traceback) with the previous output as it was,
or in a correct site; nothing from outside the content folder is
published."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, SITEURL, failing_build, run_build, snapshot, write_post


@pytest.fixture
def built(tmp_path, content):
    """A good site, built once: a failed build must leave it as it is."""
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="nova")
    output = tmp_path / "output"
    result = run_build(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return content, output


def refused(content, output, *expected: str, **settings: object) -> str:
    """Build, expecting a failure that says each of ``expected`` and
    leaves the output exactly as it was."""
    before = snapshot(output, times=True)
    text = failing_build(content, output, **settings)
    for part in expected:
        assert part in text, text
    assert snapshot(output, times=True) == before
    return text


def published(output, data: bytes) -> list[str]:
    return [p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() and data in p.read_bytes()]


# Links


def test_a_link_to_a_folder_outside_is_an_error_and_nothing_is_copied(built, tmp_path):
    content, output = built
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "shadow").write_text("root:s3cret-hash:")
    (content / "etclink").symlink_to(secret, target_is_directory=True)
    refused(content, output, "etclink: a link to", str(secret), "outside the content folder")
    assert not published(output, b"s3cret-hash")


def test_a_link_to_a_file_outside_is_an_error(built, tmp_path):
    content, output = built
    (tmp_path / "key.txt").write_text("s3cret-key")
    (content / "a/key.txt").symlink_to(tmp_path / "key.txt")
    refused(content, output, "a/key.txt: a link to", "outside the content folder")


def test_a_link_to_the_content_folder_itself_is_a_loop(built):
    content, output = built
    (content / "self").symlink_to(".", target_is_directory=True)
    refused(content, output, "self: a link to . that leads back into itself")
    assert not (output / "self").exists()


def test_links_inside_the_content_folder_are_followed(built, build):
    content, _ = built
    (content / "shared").mkdir()
    (content / "shared/logo.png").write_bytes(b"\x89PNG logo")
    (content / "a/logo.png").symlink_to("../shared/logo.png")
    site = build(content)
    assert site.file("a/logo.png").read_bytes() == b"\x89PNG logo"


def test_a_link_in_the_theme_to_outside_is_an_error(built, tmp_path):
    content, output = built
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (tmp_path / "private.css").write_text("/* s3cret */")
    (theme / "static/css").mkdir(parents=True, exist_ok=True)
    (theme / "static/css/extra.css").symlink_to(tmp_path / "private.css")
    refused(content, output, "static/css/extra.css: a link to", "outside the theme", THEME=str(theme))
    assert not published(output, b"s3cret")


# Names


def test_a_folder_name_that_is_not_utf8_is_named(built):
    content, output = built
    folder = os.path.join(os.fsencode(content), b"caf\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"two.md"), "w", encoding="utf-8") as handle:
        handle.write("Title: Two\nDate: 2014-08-14 10:00\n\nBody\n")
    refused(content, output, "caf\\xe9: the name is not UTF-8; rename it")


# Metadata: strict where a guess would publish the wrong thing


def post_file(content, name: str, text: str) -> None:
    path = content / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_post_files_that_would_publish_a_guess_are_named_with_their_lines(built):
    """Every problem with a file's bytes and metadata lines, all in one build."""
    content, output = built
    long = "word-" * 60
    cases = [
        ("Title: A\nTitle: B\nDate: 2014-08-14 10:00\n\nBody\n", ":2: a second 'Title:' line (the first is line 1)"),
        ("Title: T\nDate: 2014-08-14 10:00\nSeries: A\nSeries: B\n\nBody\n", ":4: a second 'Series:' line"),
        ("Title: T\nDate: 2014\n\nBody\n", ":2: cannot read the date '2014'"),
        ("Title: T\nDate: 3 Feb\n\nBody\n", ":2: cannot read the date '3 Feb'"),
        ("Title: T\nDate: 03/02/2015\n\nBody\n", ":2: cannot read the date '03/02/2015'"),
        ("Title: T\nDate: 2014-08-14 10:00+25:00\n\nBody\n",
         ":2: cannot read the date '2014-08-14 10:00+25:00': the UTC offset +25:00 is not one"),
        ("Title: T\nDate: 2014-08-14 10:00\nModified: not a date\n\nBody\n", ":3: cannot read the Modified: date"),
        ("Title: T\nDate: 2014-08-14 10:00\n\nA terminal paste: \x1b[31mred\x1b[0m\n", ":4: control character U+001B"),
        ("Title: T\nDate: 2014-08-14 10:00\n\nPage one\x0cpage two\n", ":4: control character U+000C"),
        ("Title: T\nDate: 2014-08-14 10:00\n\nNot a character: \ufffe\n", ":4: control character U+FFFE"),
        (f"Title: T\nDate: 2014-08-14 10:00\nSlug: {long}\n\nBody\n", ": unusable slug"),
    ]
    for number, (text, _expected) in enumerate(cases):
        post_file(content, f"bad/{number:02d}.md", text)
    post_file(content, "bad/old.html", '<html><head><title>T</title><meta name="date" content="2014-99-99">'
                                       "</head><body>x</body></html>\n")
    text = refused(content, output, *(f"bad/{number:02d}.md{expected}" for number, (_text, expected) in enumerate(cases)),
                   # What Pelican's reader refuses comes with its reason.
                   "bad/old.html: cannot be read: ValueError: '2014-99-99' is not a valid date")
    assert "shorten it" in text and "File name too long" not in text


def test_tag_and_series_names_without_a_page_of_their_own_name_their_posts(built):
    content, output = built
    long = "word-" * 60
    write_post(content, "lang/cpp.md", "C++ notes", "2014-08-14 10:00", tags="C++")
    write_post(content, "lang/csharp.md", "C# notes", "2014-08-15 10:00", tags="C#")
    write_post(content, "lang/c.md", "C notes", "2014-08-16 10:00", tags="c, C")
    write_post(content, "names/index-tag.md", "T", "2014-08-14 10:00", tags="index")
    write_post(content, "names/index-series.md", "T", "2014-08-14 10:00", series="Index")
    write_post(content, "names/long-tag.md", "T", "2014-08-14 10:00", tags=long)
    write_post(content, "names/long-series.md", "T", "2014-08-14 10:00", series=long)
    refused(content, output,
            "the tag names 'C' (lang/c.md) and 'C#' (lang/csharp.md) and 'C++' (lang/cpp.md) would share one page "
            "and feed, tag/c.html",
            "names/index-tag.md: the tag 'index' would have the page tag/index.html",
            "names/index-series.md: the series 'Index' would have the page series/index.html",
            "names/long-tag.md: the tag 'word-word", "names/long-series.md: the series 'word-word", "shorten it")


def test_a_series_part_past_the_end_and_a_pin_to_nothing_name_their_files(built):
    content, output = built
    for day in range(1, 7):
        write_post(content, f"kilo/day{day}.md", f"Day {day}", f"2015-02-0{day} 10:00", series="Kilo")
    write_post(content, "kilo/wrap-up.md", "Wrap-up", "2015-02-09 10:00", series="Kilo", series_part="12")
    write_post(content, "a/pinned.md", "Pinned", "2014-08-14 10:00", related="/")
    refused(content, output, "kilo/wrap-up.md: Series-Part: 12, but the series 'Kilo' has 7 posts",
            "a/pinned.md: Related: names the site's address alone")


def test_a_draft_counts_towards_the_series_size(built, build):
    content, _ = built
    write_post(content, "kilo/one.md", "One", "2015-02-01 10:00", series="Kilo")
    write_post(content, "kilo/two.md", "Two", "2015-02-02 10:00", series="Kilo", status="draft")
    write_post(content, "kilo/three.md", "Three", "2015-02-03 10:00", series="Kilo", series_part="3")
    site = build(content)
    # Part 3 of three, shown as part 2 of the two published until the draft is.
    assert "Part 2 of 2" in site.html("kilo/three.html").get_text(" ", strip=True)


def test_a_key_without_its_colon_is_a_warning_naming_the_line(built):
    content, output = built
    post_file(content, "a/two.md", "Title: T\nDate: 2014-08-14 10:00\nTags openstack\n\nBody\n")
    # Wide enough that Pelican's log lines are not wrapped.
    result = subprocess.run(["make", "-s", "html", f"INPUTDIR={content}", f"OUTPUTDIR={output}", f"SITEURL={SITEURL}"],
                            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "a/two.md:3: 'Tags openstack' looks like a metadata line without its colon" in result.stdout
    assert (output / "a/two.html").is_file()


def test_markdown_that_takes_too_long_names_the_post(built):
    content, output = built
    post_file(content, "a/brackets.md", "Title: T\nDate: 2014-08-14 10:00\n\n" + "[" * 20000 + "]" * 20000 + "\n")
    refused(content, output, "a/brackets.md: cannot be read: TimeoutError: Markdown took longer than 0.2 s on this "
                             "post (MARKDOWN_TIME_LIMIT)", MARKDOWN_TIME_LIMIT=0.2)


# Settings and the command line


def test_a_setting_that_is_not_json_is_named(built):
    content, output = built
    before = snapshot(output, times=True)
    result = subprocess.run(["make", "-s", "html", f"INPUTDIR={content}", f"OUTPUTDIR={output}",
                             "SETTINGS=DEFAULT_PAGINATION=abc"], cwd=ROOT, capture_output=True, text=True)
    text = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in text
    # Not JSON, so taken as text (build.lenient_overrides), which is no number of posts.
    assert "DEFAULT_PAGINATION must be a whole number above 0 (posts per page) or False (one page), not 'abc'" in text
    assert snapshot(output, times=True) == before


def test_a_content_folder_that_is_not_there_is_named(built, tmp_path):
    _, output = built
    refused(tmp_path / "no-such-folder", output, f"the content folder {tmp_path / 'no-such-folder'} is not a folder")


def test_bad_settings_are_named_with_their_reason(built):
    content, output = built
    refused(content, output, "settings: TIMEZONE 'Mars/Olympus' is not a time zone ('No time zone found with key "
                             "Mars/Olympus')", "DEFAULT_PAGINATION must be a whole number above 0",
            "MARKDOWN_TIME_LIMIT must be a number of seconds above 0 and at most 86400 (a day), not 0",
            TIMEZONE="Mars/Olympus", DEFAULT_PAGINATION="abc", MARKDOWN_TIME_LIMIT=0)


def test_a_theme_that_is_not_there_is_named(built):
    content, output = built
    refused(content, output, "ValueError: Could not find the theme /no/such/theme", THEME="/no/such/theme")
