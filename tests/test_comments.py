"""Unit tests of comments.py: the file format, the checks, and how comments
find their posts. No Pelican run."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from midcycle.comments import (attach_comments, comment_file_text, comment_owner,
                               newest_comments, read_comment)
from midcycle.indexes import build_site
from midcycle.model import Comment, Post
from midcycle.sources import find_sources

SYDNEY = ZoneInfo("Australia/Sydney")
PERMALINK = "http://blog.test/openstack/juno/000123.html"


def post(source: str, slug: str | None = None) -> Post:
    path, _, name = source.rpartition("/")
    stem = name.rsplit(".", 1)[0]
    return Post(source=source, path=path, slug=slug or stem, title=f"Post {stem}",
                date=datetime.datetime(2014, 8, 13, 12, tzinfo=SYDNEY))


def read(text: str, source: str = "openstack/juno/000123.comments/1.comment"):
    return read_comment(source, text, "openstack/juno/000123", PERMALINK, "Australia/Sydney")


def permalink(p: Post) -> str:
    return f"http://blog.test/{p.key}.html"


def test_a_comment_file_reads_back_what_was_written():
    date = datetime.datetime(2014, 8, 15, 9, 12, 5, tzinfo=SYDNEY)
    text = comment_file_text("Jane  Doe", date, "Hello\n\nthere", link="https://jane.example/", title="Re: x")
    comment, problems, warnings = read(text)
    assert problems == [] and warnings == []
    assert comment == Comment(
        source="openstack/juno/000123.comments/1.comment", post="openstack/juno/000123", name="1",
        author="Jane Doe", date=date, body="<p>Hello</p>\n<p>there</p>",
        link="https://jane.example/", title="Re: x")
    assert comment.anchor == "comment-1"


def test_header_values_cannot_smuggle_in_a_header_or_the_body():
    date = datetime.datetime(2014, 8, 15, 9, 12, tzinfo=SYDNEY)
    text = comment_file_text("Eve\nLink: javascript:alert(1)\n\n<script>", date, "Body")
    comment, problems, _ = read(text)
    assert problems == []
    assert comment.link is None
    assert comment.author == "Eve Link: javascript:alert(1) <script>"
    assert comment.body == "<p>Body</p>"


def test_a_date_without_offset_is_in_the_site_time_zone():
    comment, _, _ = read("Author: A\nDate: 2014-08-15 09:12\n\nHi\n")
    assert comment.date == datetime.datetime(2014, 8, 15, 9, 12, tzinfo=SYDNEY)
    comment, _, _ = read("Author: A\nDate: 2014-08-15 09:12+02:00\n\nHi\n")
    assert comment.date.utcoffset() == datetime.timedelta(hours=2)


def test_missing_or_bad_author_and_date_are_problems_naming_the_file():
    source = "openstack/juno/000123.comments/1.comment"
    _, problems, _ = read("Date: 2014-08-15\n\nHi\n")
    assert problems == [f"{source}: no 'Author:' line (or it is empty)"]
    _, problems, _ = read("Author: A\n\nHi\n")
    assert problems == [f"{source}: no 'Date:' line (or it is empty)"]
    _, problems, _ = read("Author: A\nDate: yesterday-ish\n\nHi\n")
    assert len(problems) == 1 and problems[0].startswith(f"{source}:2: cannot read the date 'yesterday-ish'")
    _, problems, _ = read("Author: A\nDate: 2014-02-30 10:00\n\nHi\n")
    assert len(problems) == 1 and problems[0].startswith(f"{source}:2: cannot read the date")


def test_unknown_repeated_and_malformed_headers_and_no_body_are_problems():
    source = "openstack/juno/000123.comments/1.comment"
    _, problems, _ = read("Author: A\nDate: 2014-08-15\nAuhtor: B\nAuthor: C\nno colon here\n\nHi\n")
    assert [p.split(": ", 1)[0] for p in problems] == [f"{source}:3", f"{source}:4", f"{source}:5"]
    assert "unknown header 'Auhtor'" in problems[0]
    _, problems, _ = read("Author: A\nDate: 2014-08-15\n")
    assert problems == [f"{source}: the comment has no body (after the blank line below the headers)"]


def test_an_unsafe_link_is_dropped_with_a_warning_not_a_failure():
    comment, problems, warnings = read("Author: A\nDate: 2014-08-15\nLink: javascript:alert(1)\n\nHi\n")
    assert problems == []
    assert comment.link is None
    assert warnings == ["openstack/juno/000123.comments/1.comment:3: ignoring the link "
                        "'javascript:alert(1)': only http, https and mailto links are shown"]


def test_the_body_is_sanitized_and_its_links_made_absolute():
    comment, _, _ = read('Author: A\nDate: 2014-08-15\n\n<a href="../kilo/x.html">x</a> <script>s</script>\n')
    assert comment.body == ('<p><a href="http://blog.test/openstack/kilo/x.html" rel="nofollow ugc">x</a> '
                            "&lt;script&gt;s&lt;/script&gt;</p>")


def test_comment_owner_is_the_post_file_without_extension():
    assert comment_owner("openstack/juno/000123.comments/1.comment") == "openstack/juno/000123"
    assert comment_owner("top.comments/x.comment") == "top"
    assert comment_owner("openstack/juno/000123.html") is None
    assert comment_owner("a/x.comments/notes.txt") is None


def test_attach_puts_comments_on_their_posts_oldest_first():
    posts = [post("openstack/juno/000123.html"), post("wood/bowl.md", slug="first-bowl")]
    files = [
        ("openstack/juno/000123.comments/b.comment", b"Author: B\nDate: 2014-08-16 10:00\n\nLater\n"),
        ("openstack/juno/000123.comments/a.comment", b"Author: A\nDate: 2014-08-15 10:00\n\nEarlier\n"),
        ("openstack/juno/000123.comments/c.comment", b"Author: C\nDate: 2014-08-15 10:00\n\nSame time\n"),
        ("wood/bowl.comments/1.comment", b"Author: W\nDate: 2014-08-17 10:00\n\nNice bowl\n"),
    ]
    threads, problems, warnings = attach_comments(files, posts, [], permalink, "Australia/Sydney")
    assert problems == [] and warnings == []
    assert [c.author for c in threads["openstack/juno/000123"]] == ["A", "C", "B"]
    # The folder follows the post's file; the key follows its Slug:.
    assert [c.post for c in threads["wood/first-bowl"]] == ["wood/first-bowl"]
    assert threads["wood/first-bowl"][0].body == "<p>Nice bowl</p>"


def test_a_comment_for_no_post_is_a_problem_but_a_drafts_comments_wait():
    posts = [post("a/one.md")]
    files = [("a/gone.comments/1.comment", b"Author: A\nDate: 2014-08-15\n\nHi\n"),
             ("a/draft.comments/1.comment", b"Author: A\nDate: 2014-08-15\n\nHi\n")]
    threads, problems, _ = attach_comments(files, posts, ["a/draft"], permalink, "UTC")
    assert threads == {}
    assert len(problems) == 1 and problems[0].startswith("a/gone.comments/1.comment: there is no post a/gone.*")


def test_a_comment_file_that_is_not_utf8_is_a_problem_like_a_post():
    files = [("a/one.comments/1.comment", "Author: Andr\u00e9\nDate: 2014-08-15\n\nHi\n".encode("latin-1"))]
    _, problems, _ = attach_comments(files, [post("a/one.md")], [], permalink, "UTC")
    assert problems == ["a/one.comments/1.comment:1: not UTF-8 (byte 0xe9); save the file as UTF-8"]


def test_newest_comments_across_posts_newest_first():
    posts = [post("a/one.md"), post("b/two.md")]
    files = [("a/one.comments/1.comment", b"Author: A\nDate: 2014-08-15 10:00\n\nx\n"),
             ("b/two.comments/1.comment", b"Author: B\nDate: 2014-08-16 10:00\n\nx\n"),
             ("a/one.comments/2.comment", b"Author: C\nDate: 2014-08-17 10:00\n\nx\n")]
    threads, _, _ = attach_comments(files, posts, [], permalink, "UTC")
    assert [c.author for c in newest_comments(threads)] == ["C", "B", "A"]
    site = build_site(posts, comments=threads)
    assert [c.author for c in site.comments["a/one"]] == ["A", "C"]
    assert "b/two" in site.comments and newest_comments(site.comments)[0].author == "C"


def test_the_content_walk_finds_comments_reports_strays_and_skips_hidden_and_backups(tmp_path):
    folder = tmp_path / "a" / "one.comments"
    folder.mkdir(parents=True)
    for name in ("1.comment", "2.comment", ".hidden", "1.comment~", "notes.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    (tmp_path / "a" / "one.md").write_text("x", encoding="utf-8")
    found = find_sources(str(tmp_path), extensions=["md"])
    assert found.posts == ["a/one.md"]
    assert found.comments == ["a/one.comments/1.comment", "a/one.comments/2.comment"]
    assert found.problems == ["a/one.comments/notes.txt: not a comment; a .comments folder holds only *.comment files"]


def test_the_site_model_refuses_comments_for_a_post_it_does_not_have():
    import pytest

    from midcycle.errors import BuildError

    threads, _, _ = attach_comments([("a/one.comments/1.comment", b"Author: A\nDate: 2014-08-15\n\nx\n")],
                                    [post("a/one.md")], [], permalink, "UTC")
    with pytest.raises(BuildError, match="a/one.comments/1.comment: no published post a/one"):
        build_site([post("b/two.md")], comments=threads)
