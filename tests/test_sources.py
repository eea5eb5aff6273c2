import datetime

import pytest

from midcycle.sources import DATE_FORMATS, metadata_lines, read_date
from midcycle.sources import source_problems as problems_and_warnings

GOOD = "Title: A post\nDate: 2014-08-13 23:57\nTags: a, b\n\nBody.\n"


def source_problems(name: str, data: bytes) -> list[str]:
    return problems_and_warnings(name, data)[0]


def warnings_of(text: str) -> list[str]:
    problems, warnings = problems_and_warnings("a/p.md", text.encode())
    assert problems == []
    return warnings


def test_a_good_post_has_no_problems():
    assert problems_and_warnings("a/post.md", GOOD.encode()) == ([], [])


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


@pytest.mark.parametrize("text, expected", [
    ("Title: A\nTitle: B\nDate: 2014-08-13\n\nBody", "a/p.md:2: a second 'Title:' line (the first is line 1); keep one"),
    ("Title: A\nDate: 2014-08-13\nSeries: X\nseries: Y\n\nBody",
     "a/p.md:4: a second 'Series:' line (the first is line 3); keep one"),
    ("Title: A\nDate: 2014-08-13\nSeries-Part: 1\nSeries-part: 2\n\nBody",
     "a/p.md:4: a second 'Series-Part:' line (the first is line 3); keep one"),
])
def test_a_repeated_key_is_an_error_naming_the_line(text, expected):
    assert source_problems("a/p.md", text.encode()) == [expected]


TZ = datetime.timezone
H = datetime.timedelta(hours=1)


@pytest.mark.parametrize("value, expected", [
    ("2014-08-14", datetime.datetime(2014, 8, 14)),
    ("2014-08-14 19:20", datetime.datetime(2014, 8, 14, 19, 20)),
    ("2014-08-14 19:20:05", datetime.datetime(2014, 8, 14, 19, 20, 5)),
    ("2014-08-14T19:20", datetime.datetime(2014, 8, 14, 19, 20)),
    ("2014-08-14 19:20+10:00", datetime.datetime(2014, 8, 14, 19, 20, tzinfo=TZ(10 * H))),
    ("2014-08-14 19:20 +1000", datetime.datetime(2014, 8, 14, 19, 20, tzinfo=TZ(10 * H))),
    ("2014-08-14 19:20 -09:30", datetime.datetime(2014, 8, 14, 19, 20, tzinfo=TZ(-9.5 * H))),
    ("2014-08-14T19:20:05Z", datetime.datetime(2014, 8, 14, 19, 20, 5, tzinfo=TZ.utc)),
    ("2014-08-14 19:20+14:00", datetime.datetime(2014, 8, 14, 19, 20, tzinfo=TZ(14 * H))),
    ("  2014-08-14  ", datetime.datetime(2014, 8, 14)),
])
def test_dates_in_the_documented_forms(value, expected):
    moment = read_date(value)
    assert moment == expected and moment.tzinfo == expected.tzinfo


def test_every_documented_form_is_read():
    for form in DATE_FORMATS:
        assert read_date(form).date() == datetime.date(2014, 8, 14), form


@pytest.mark.parametrize("value, reason", [
    ("2014", "year-month-day"),
    ("3 Feb", "year-month-day"),
    ("03/02/2015", "year-month-day"),
    ("2015/02/03", "year-month-day"),
    ("14-08-2014", "year-month-day"),
    ("2014-8-14", "year-month-day"),
    ("Feb 3, 2015", "year-month-day"),
    ("2014-08-14 7pm", "year-month-day"),
    ("2014-08-14 19:20 AEST", "year-month-day"),
    ("\u0662\u0660\u0661\u0664-08-14", "year-month-day"),  # digits, but not ASCII ones
    ("2014-02-30", "day is out of range"),
    ("2014-13-01", "month must be in 1..12"),
    ("2014-08-14 24:00", "hour must be in 0..23"),
    ("2014-08-14 19:20+25:00", "the UTC offset +25:00 is not one"),
    ("2014-08-14 19:20-13:00", "the UTC offset -13:00 is not one"),
    ("2014-08-14 19:20+10:75", "the UTC offset +10:75 is not one"),
])
def test_dates_that_are_guesses_or_impossible_are_refused(value, reason):
    with pytest.raises(ValueError) as error:
        read_date(value)
    assert reason in str(error.value)


@pytest.mark.parametrize("text, expected", [
    ("Title: T\nDate: 03/02/2015\n\nBody", "a/p.md:2: cannot read the date '03/02/2015': write the date as"),
    ("Title: T\nDate: 2014-08-13 10:00+25:00\n\nBody", "a/p.md:2: cannot read the date '2014-08-13 10:00+25:00': "
                                                      "the UTC offset +25:00 is not one"),
    ("Title: T\nDate: 2014-08-13\nModified: not a date\n\nBody",
     "a/p.md:3: cannot read the Modified: date 'not a date'"),
])
def test_date_problems_name_file_and_line(text, expected):
    (problem,) = source_problems("a/p.md", text.encode())
    assert problem.startswith(expected)


def test_a_key_without_its_colon_right_after_the_metadata_is_a_warning():
    warnings = warnings_of("Title: T\nDate: 2014-08-13\nTags openstack, nova\nSeries: X\n\nBody")
    assert warnings == ["a/p.md:3: 'Tags openstack, nova' looks like a metadata line without its colon, so it and "
                        "all after it is the body; write 'Tags: ...', or put a blank line before the body"]


@pytest.mark.parametrize("text", [
    "Title: T\nDate: 2014-08-13\n\nTags are what this post is about.",  # the body, after a blank line
    "Title: T\nDate: 2014-08-13\nThe body starts here.",  # no key
    "Title: T\nDate: 2014-08-13\nTags: a, b\n---\nTags openstack",  # after a closing line
])
def test_the_body_is_not_taken_for_a_key(text):
    assert warnings_of(text) == []


def test_a_key_close_to_a_known_one_is_a_warning():
    assert warnings_of("Title: T\nDate: 2014-08-13\nTgas: a\nTag: b\nPyblosxom-Flavour: html\n\nBody") == [
        "a/p.md:3: unknown key 'Tgas:'; did you mean 'Tags:'?",
        "a/p.md:4: unknown key 'Tag:'; did you mean 'Tags:'?",
    ]


@pytest.mark.parametrize("character, line", [("\x1b", 5), ("\x0c", 5), ("\ufffe", 5), ("\x85", 5), ("\x07", 1)])
def test_control_characters_anywhere_name_the_line(character, line):
    text = "Title: T\nDate: 2014-08-13\n\nBody\nsome \x1b[31mred\x1b[0m text\n"
    text = text.replace("\x1b", character) if line == 5 else text.replace("Title: T", f"Title: T{character}")
    (problem,) = source_problems("a/p.md", text.encode())
    assert problem.startswith(f"a/p.md:{line}: control character U+{ord(character):04X} in the file")


def test_tabs_and_both_line_ends_are_text():
    assert source_problems("a/p.md", b"Title: T\r\nDate: 2014-08-13\r\n\r\nBody\twith a tab\r\n") == []


def test_html_posts_are_checked_for_control_characters_too():
    (problem,) = source_problems("a/p.html", b"<html><head><title>T</title></head><body>\x1b</body></html>")
    assert problem.startswith("a/p.html:1: control character U+001B")


def test_metadata_lines_break_where_markdown_breaks_them():
    # U+2028 ends a line for Python's splitlines, not for Markdown.
    assert list(metadata_lines("Title: A\u2028Date: 2014-01-01\r\nTags: x\n\nBody")) == [
        ("title", "A\u2028Date: 2014-01-01", 1), ("tags", "x", 2)]
