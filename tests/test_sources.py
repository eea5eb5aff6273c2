import pytest

from midcycle.sources import metadata_lines, source_problems

GOOD = "Title: A post\nDate: 2014-08-13 23:57\nTags: a, b\n\nBody.\n"


def test_a_good_post_has_no_problems():
    assert source_problems("a/post.md", GOOD.encode()) == []


def test_metadata_lines_stop_at_the_blank_line():
    lines = list(metadata_lines("Title: T\nTags: a,\n    b\nDate: 2014-01-01\n\nNot: metadata\n"))
    assert lines == [("title", "T", 1), ("tags", "a,", 2), ("date", "2014-01-01", 4)]


@pytest.mark.parametrize("text, expected", [
    # A YAML-style header, keys indented up to three spaces.
    ("---\nTitle: T\n   Date: 2014-01-01\n---\nBody: not metadata\n",
     [("title", "T", 2), ("date", "2014-01-01", 3)]),
    # Continuations need four spaces: with one, Markdown ends the metadata there.
    ("Title: T\nTags: a,\n b\nDate: 2014-01-01\n\nBody\n", [("title", "T", 1), ("tags", "a,", 2)]),
])
def test_metadata_lines_follow_markdowns_meta_extension(text, expected):
    assert list(metadata_lines(text)) == expected


def test_a_date_markdown_would_not_read_is_reported():
    text = "Title: T\nTags: a,\n b\nDate: 2014-01-01\n\nBody\n"
    assert source_problems("a/p.md", text.encode()) == ["a/p.md: no 'Date:' line in the metadata at the top of the file"]


@pytest.mark.parametrize("text, expected", [
    ("Date: 2014-08-13\n\nBody", "a/p.md: no 'Title:' line"),
    ("Title:\nDate: 2014-08-13\n\nBody", "a/p.md:1: the title is empty"),
    ("Title: T\n\nBody", "a/p.md: no 'Date:' line"),
    ("Title: T\nDate: last tuesday-ish\n\nBody", "a/p.md:2: cannot read the date 'last tuesday-ish'"),
    ("Title: T\nDate: 2014-02-30 10:00\n\nBody", "a/p.md:2: cannot read the date '2014-02-30 10:00'"),
    ("Title: T\nDate: 2014-08-13\nStatus: publsihed\n\nBody", "a/p.md:3: unknown status 'publsihed'"),
])
def test_metadata_problems_name_file_and_line(text, expected):
    problems = source_problems("a/p.md", text.encode())
    assert len(problems) == 1
    assert problems[0].startswith(expected)


def test_empty_and_blank_files():
    assert source_problems("a/p.md", b"") == ["a/p.md: the file is empty"]
    assert source_problems("a/p.md", b"\n  \n") == ["a/p.md: the file is empty"]


def test_nul_byte_names_its_line():
    assert source_problems("a/p.md", b"Title: T\nDate: 2014-08-13\n\nbo\x00dy") == [
        "a/p.md:4: NUL byte in the file (is it a binary file?)"]


def test_latin1_is_refused_with_the_line():
    data = "Title: Caf\u00e9\nDate: 2014-08-13\n\nBody".encode("latin-1")
    problems = source_problems("a/p.md", data)
    assert problems == ["a/p.md:1: not UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_a_byte_order_mark_is_fine():
    assert source_problems("a/p.md", ("\ufeff" + GOOD).encode()) == []


def test_html_posts_skip_the_markdown_header_check():
    assert source_problems("a/p.html", b"<html><head><title>T</title></head></html>") == []
