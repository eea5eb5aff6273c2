"""Reader comments: one file each in the content tree, read into frozen values.

A comment lives beside its post, in a folder named after the post's file::

    content/openstack/juno/000123.html                        the post
    content/openstack/juno/000123.comments/1407999999.comment  a comment

and holds header lines, a blank line, then the body::

    Author: Jane Doe
    Date: 2014-08-15 09:12
    Link: https://jane.example.org/
    Title: Re: DB2 support

    The body: a little HTML, or plain text with blank lines between paragraphs.

``Author:`` and ``Date:`` are required (the date is local time in
``TIMEZONE`` unless it has an offset); ``Link:`` and ``Title:`` are optional.
The folder follows the post's *file*, not its ``Slug:``, so it moves with the
post the way images beside it do. Comments are plain text files, so a
blogger can delete spam with ``rm`` and review additions with ``git diff``.

Bodies are untrusted and go through :mod:`midcycle.sanitize`; a ``Link:``
that is not http, https or mailto is dropped with a warning (it was the
commenter's, not the blogger's, so it should not stop the build). Everything
else that is wrong is a problem naming the file, and the build fails on it.
"""

from __future__ import annotations

import datetime
import os
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from zoneinfo import ZoneInfo

from .model import Comment, Post
from .rewrite import absolute_links
from .sanitize import clean_comment, safe_href
from .sources import COMMENT_FOLDER_SUFFIX, COMMENT_SUFFIX, decode_text, read_date
from .text import control_character, one_line

FOLDER_SUFFIX = COMMENT_FOLDER_SUFFIX
FILE_SUFFIX = COMMENT_SUFFIX
HEADERS = ("author", "date", "link", "title")
REQUIRED = ("author", "date")

_HEADER_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):[ \t]*(.*)$")


def comment_file_text(author: str, date: datetime.datetime, body: str,
                      link: str | None = None, title: str = "") -> str:
    """A comment file's text, as :func:`read_comment` reads it back. Header
    values are made one line each, so no value can start a header of its own."""
    lines = [f"Author: {one_line(author)}", f"Date: {date.isoformat(sep=' ', timespec='seconds')}"]
    if link and one_line(link):
        lines.append(f"Link: {one_line(link)}")
    if title and one_line(title):
        lines.append(f"Title: {one_line(title)}")
    return "\n".join(lines) + "\n\n" + body.strip() + "\n"


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def comment_owner(source: str) -> str | None:
    """``a/b/000123.comments/x.comment`` -> ``a/b/000123``, the post file's
    name without its extension; ``None`` if ``source`` is not in a comment folder."""
    folder = posixpath.dirname(source)
    if not folder.endswith(FOLDER_SUFFIX) or not source.endswith(FILE_SUFFIX):
        return None
    return folder[: -len(FOLDER_SUFFIX)] or None


def read_headers(source: str, text: str) -> tuple[dict[str, tuple[str, int]], str, list[str]]:
    """``({key: (value, line)}, body, problems)`` of a comment file's text."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headers: dict[str, tuple[str, int]] = {}
    problems = []
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        match = _HEADER_LINE.match(line)
        if match is None:
            problems.append(f"{source}:{number}: expected a header line such as 'Author: Jane Doe', "
                            "or a blank line before the body")
            continue
        key = match.group(1).lower()
        if key not in HEADERS:
            problems.append(f"{source}:{number}: unknown header {match.group(1)!r}; "
                            f"use {', '.join(h.title() + ':' for h in HEADERS)}")
        elif key in headers:
            problems.append(f"{source}:{number}: a second {match.group(1)!r} line")
        else:
            headers[key] = (match.group(2).strip(), number)
    else:
        number = len(lines)
    return headers, "\n".join(lines[number:]), problems


def read_comment(source: str, text: str, post: str, permalink: str, timezone: str
                 ) -> tuple[Comment | None, list[str], list[str]]:
    """``(comment or None, problems, warnings)`` for the comment file
    ``source`` on the post with key ``post`` and URL ``permalink``."""
    headers, body, problems = read_headers(source, text)
    for key in REQUIRED:
        if not headers.get(key, ("",))[0]:
            problems.append(f"{source}: no '{key.title()}:' line (or it is empty)")
    for key in ("author", "title"):
        value, number = headers.get(key, ("", 0))
        bad = control_character(value)
        if bad is not None:
            problems.append(f"{source}:{number}: control character U+{ord(bad):04X} in the {key}")
    date = None
    if headers.get("date", ("",))[0]:
        value, number = headers["date"]
        try:
            date = read_date(value)
        except ValueError as error:
            problems.append(f"{source}:{number}: cannot read the date {value!r}: {error}")
        else:
            if date.tzinfo is None:
                date = date.replace(tzinfo=ZoneInfo(timezone))
    if not body.strip():
        problems.append(f"{source}: the comment has no body (after the blank line below the headers)")
    warnings = []
    link = None
    if headers.get("link", ("",))[0]:
        value, number = headers["link"]
        link = safe_href(value, relative=False)
        if link is None:
            warnings.append(f"{source}:{number}: ignoring the link {value!r}: "
                            "only http, https and mailto links are shown")
    if problems or date is None:
        return None, problems, warnings
    name = posixpath.splitext(posixpath.basename(source))[0]
    return Comment(
        source=source,
        post=post,
        name=name,
        author=headers["author"][0],
        date=date,
        body=absolute_links(clean_comment(body), permalink, files=False),
        link=link,
        title=headers.get("title", ("", 0))[0],
    ), [], warnings


def oldest_first(comments: Iterable[Comment]) -> list[Comment]:
    """By date; equal dates by file name, so the order is total."""
    return sorted(comments, key=lambda c: (c.date, c.name))


def newest_comments(comments: Mapping[str, tuple[Comment, ...]]) -> list[Comment]:
    """Every comment of the site, newest first; ties broken by post and name."""
    every = (comment for thread in comments.values() for comment in thread)
    return sorted(every, key=lambda c: (c.date, c.post, c.name), reverse=True)


def attach_comments(files: Iterable[tuple[str, bytes]], posts: Iterable[Post], unpublished: Iterable[str],
                    permalink: Callable[[Post], str], timezone: str
                    ) -> tuple[dict[str, tuple[Comment, ...]], list[str], list[str]]:
    """Read comment files (``(source, bytes)``) onto their posts.

    Returns ``({post key: comments, oldest first}, problems, warnings)``.
    ``unpublished`` are the file names, without extension, of posts that
    exist but are not published (drafts, future posts): their comments wait
    with them. A comment for no post at all is a problem.
    """
    # A comment folder and its post may be saved by different machines, one
    # name composed (NFC), the other not: they match whatever the form.
    by_file: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        by_file[_nfc(posixpath.splitext(post.source)[0])].append(post)
    waiting = {_nfc(name) for name in unpublished}
    threads: dict[str, list[Comment]] = defaultdict(list)
    problems: list[str] = []
    warnings: list[str] = []
    for source, data in files:
        owner = _nfc(comment_owner(source) or "")
        owners = by_file.get(owner, [])
        if not owners:
            if owner not in waiting:
                problems.append(f"{source}: there is no post {owner}.* for this comment "
                                f"(comments live in <post file name>{FOLDER_SUFFIX}/ beside their post)")
            continue
        if len(owners) > 1:
            problems.append(f"{source}: which post is it on? "
                            f"{' and '.join(sorted(p.source for p in owners))} share the name {owner}")
            continue
        text, found = decode_text(source, data)
        if text is None:
            problems.extend(found)
            continue
        post = owners[0]
        comment, found, noted = read_comment(source, text, post.key, permalink(post), timezone)
        problems.extend(found)
        warnings.extend(noted)
        if comment is not None:
            threads[post.key].append(comment)
    return {key: tuple(oldest_first(thread)) for key, thread in sorted(threads.items())}, problems, warnings


def read_comment_files(root: str | os.PathLike, names: Iterable[str], posts: list[Post], read: Iterable[str],
                       permalink: Callable[[Post], str], timezone: str
                       ) -> tuple[dict[str, tuple[Comment, ...]], list[str], list[str]]:
    """The comment files ``names`` (relative to the content folder
    ``root``, see :func:`midcycle.sources.find_sources`), on their posts:
    ``({post key: comments}, problems, warnings)``. ``read`` names every
    post file read, drafts and future posts included, whose comments wait
    with them."""
    names = list(names)
    if not names:
        return {}, [], []
    published = {posixpath.splitext(post.source)[0] for post in posts}
    unpublished = {posixpath.splitext(name)[0] for name in read} - published

    def files() -> Iterator[tuple[str, bytes]]:
        for name in names:
            with open(os.path.join(root, name), "rb") as handle:
                yield name, handle.read()

    return attach_comments(files(), posts, unpublished, permalink, timezone)
