"""Check post files before Pelican reads them, so a bad file fails the build
with a message naming it (and the line) instead of being skipped, read as
something else, or ending in a traceback.

These are plain functions over a file's name and bytes. They look at what
Pelican would otherwise trip over or silently get wrong: bytes that are not
text, an empty file, control characters anywhere, and in Markdown posts the
metadata lines at the top. Where a guess would publish the wrong thing, they
are strict: a key given twice would show as a Python list, a date without
its day would take the day of the build, so each is an error; a line right
after the metadata that looks like a key without its colon is a warning.
"""

from __future__ import annotations

import datetime
import difflib
import fnmatch
import posixpath
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from markdown.extensions import meta
from pelican.readers import MarkdownReader

from .filetree import files_under
from .text import text_control_character

STATUSES = ("published", "draft")
#: A page may also be published without being listed in the navigation.
PAGE_STATUSES = ("published", "hidden", "draft")
MARKDOWN_SUFFIXES = tuple(f".{extension}" for extension in MarkdownReader.file_extensions)

#: Metadata keys midcycle and Pelican read: a line after the metadata that
#: starts with one of them, or a key close to one, is probably a slip.
KNOWN_KEYS = ("title", "date", "modified", "tags", "series", "series-part", "related", "slug", "status",
              "summary", "author", "authors", "category", "lang", "template")

#: The forms of ``Date:`` and ``Modified:`` (and a comment's ``Date:``):
#: year, month and day always, in that order; a time, and a UTC offset
#: after it, if wanted. Nothing else is guessed at: ``03/02/2015`` is 3
#: February in one country and 2 March in another, and ``2014`` or
#: ``3 Feb`` would take the missing parts from the day of the build.
DATE_FORMATS = ("2014-08-14", "2014-08-14 19:20", "2014-08-14 19:20:05", "2014-08-14T19:20",
                "2014-08-14 19:20+10:00", "2014-08-14 19:20 +1000", "2014-08-14T19:20:05Z")
_DATE = re.compile(r"""(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})
                       (?:[ T](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?
                          [ ]?(?P<offset>Z|(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2}))?)?""",
                   re.VERBOSE | re.ASCII)
#: UTC offsets in use on Earth run from -12:00 to +14:00.
OFFSETS = (-12 * 60, 14 * 60)


def read_date(value: str) -> datetime.datetime:
    """The moment ``value`` (one of :data:`DATE_FORMATS`) names, aware if
    it has a UTC offset. Raises ``ValueError`` saying what is wrong."""
    match = _DATE.fullmatch(value.strip())
    if match is None:
        raise ValueError("write the date as year-month-day, then the time if you like: 2014-08-14 or "
                         "2014-08-14 19:20 (a UTC offset such as +10:00 may follow)")
    numbers = {key: int(number) for key, number in match.groupdict().items()
               if number is not None and number.isdigit()}
    moment = datetime.datetime(numbers["year"], numbers["month"], numbers["day"], numbers.get("hour", 0),
                               numbers.get("minute", 0), numbers.get("second", 0))  # ValueError: no 30 February
    if match.group("offset") is None:
        return moment
    minutes = 0
    if match.group("offset") != "Z":
        minutes = (numbers["hours"] * 60 + numbers["minutes"]) * (-1 if match.group("sign") == "-" else 1)
        if numbers["minutes"] >= 60 or not OFFSETS[0] <= minutes <= OFFSETS[1]:
            raise ValueError(f"the UTC offset {match.group('offset')} is not one: offsets run from -12:00 to +14:00")
    return moment.replace(tzinfo=datetime.timezone(datetime.timedelta(minutes=minutes)))


def _line_of(data: bytes | str, offset: int) -> int:
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, offset) + 1


def _metadata_block(text: str) -> tuple[list[tuple[str, str, int]], tuple[int, str] | None]:
    """The metadata lines as :func:`metadata_lines` gives them, and the line
    that ended the block when it is neither blank nor a closing line (the
    block ended because it did not look like metadata)."""
    # Markdown's own line breaks: a U+2028 or U+0085 inside a line does not end it.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = 1 if lines and meta.BEGIN_RE.match(lines[0]) else 0
    found = []
    key = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or meta.END_RE.match(line):
            return found, None
        match = meta.META_RE.match(line)
        if match:
            key = match.group("key").lower().strip()
            found.append((key, match.group("value").strip(), number))
        elif not (key and meta.META_MORE_RE.match(line)):
            return found, (number, line)
    return found, None


def metadata_lines(text: str) -> Iterator[tuple[str, str, int]]:
    """``(key, value, line number)`` for the metadata block at the top of a
    Markdown post, by the rules (and patterns) of Python-Markdown's meta
    extension, which reads it: an optional ``---`` line, ``Key: value``
    lines up to a blank or ``---``/``...`` line, values continued on lines
    indented four spaces."""
    yield from _metadata_block(text)[0]


def _shown_key(key: str) -> str:
    return "-".join(part.capitalize() for part in key.split("-"))


def _slips(name: str, text: str, keys: list[tuple[str, str, int]], after: tuple[int, str] | None) -> list[str]:
    """Warnings for what looks like a metadata line gone wrong."""
    warnings = []
    for key, _value, number in keys:
        close = [] if key in KNOWN_KEYS else difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.75)
        if close:
            warnings.append(f"{name}:{number}: unknown key '{_shown_key(key)}:'; did you mean "
                            f"'{_shown_key(close[0])}:'?")
    if after is not None:
        number, line = after
        word = re.match(r"\s*([A-Za-z][A-Za-z-]*)\b(?!:)", line)
        if word and word.group(1).lower() in KNOWN_KEYS:
            warnings.append(f"{name}:{number}: {line.strip()[:40]!r} looks like a metadata line without its "
                            "colon, so it and all after it is the body; write "
                            f"'{_shown_key(word.group(1).lower())}: ...', or put a blank line before the body")
    return warnings


def metadata_problems(name: str, text: str, statuses: tuple[str, ...] = STATUSES,
                      date_required: bool = True) -> tuple[list[str], list[str]]:
    """``(problems, warnings)`` of the metadata block of Markdown post
    ``name``: a title, a date and a known status, each key once. A page's
    (``date_required=False``) has no date, but one it gives must be a date."""
    keys, after = _metadata_block(text)
    problems = []
    seen: dict[str, tuple[str, int]] = {}
    for key, value, number in keys:
        if key in seen:
            problems.append(f"{name}:{number}: a second '{_shown_key(key)}:' line (the first is line "
                            f"{seen[key][1]}); keep one")
        else:
            seen[key] = (value, number)
    title = seen.get("title")
    if title is None:
        problems.append(f"{name}: no 'Title:' line in the metadata at the top of the file")
    elif not title[0]:
        problems.append(f"{name}:{title[1]}: the title is empty")
    if "date" not in seen and date_required:
        problems.append(f"{name}: no 'Date:' line in the metadata at the top of the file")
    for key in ("date", "modified"):
        if key in seen:
            value, number = seen[key]
            try:
                read_date(value)
            except ValueError as error:
                problems.append(f"{name}:{number}: cannot read the {'date' if key == 'date' else 'Modified: date'} "
                                f"{value!r}: {error}")
    status = seen.get("status")
    if status is not None and status[0].lower() not in statuses:
        problems.append(f"{name}:{status[1]}: unknown status {status[0]!r}; use one of: {', '.join(statuses)}")
    return problems, _slips(name, text, keys, after)


def decode_text(name: str, data: bytes) -> tuple[str | None, list[str]]:
    """The text of a content file (without a byte order mark), or ``None``
    and the reason it is not usable text. Posts and comments share this, so
    both fail the same way on a binary or Latin-1 file."""
    if not data.strip():
        return None, [f"{name}: the file is empty"]
    nul = data.find(b"\x00")
    if nul >= 0:
        return None, [f"{name}:{_line_of(data, nul)}: NUL byte in the file (is it a binary file?)"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, [f"{name}:{_line_of(data, error.start)}: not UTF-8 (byte 0x{data[error.start]:02x}); "
                      "save the file as UTF-8"]
    return text.lstrip("\ufeff"), []


def source_problems(name: str, data: bytes, page: bool = False) -> tuple[list[str], list[str]]:
    """``(problems, warnings)`` of the post file (or with ``page``, the page
    file) ``name`` holding ``data``."""
    text, problems = decode_text(name, data)
    if text is None:
        return problems, []
    control = text_control_character(text)
    if control is not None:
        problems.append(f"{name}:{_line_of(text, control.start())}: control character "
                        f"U+{ord(control.group()):04X} in the file (feeds cannot carry it; a terminal paste "
                        "often brings one): delete it")
    if name.lower().endswith(MARKDOWN_SUFFIXES):
        found, warnings = (metadata_problems(name, text, PAGE_STATUSES, date_required=False) if page
                           else metadata_problems(name, text))
        return problems + found, warnings
    return problems, []


#: A post's comments live in ``<post file stem>.comments/`` beside it (comments.py).
COMMENT_FOLDER_SUFFIX = ".comments"
COMMENT_SUFFIX = ".comment"
#: The folder of the content folder that holds pages (About...), not
#: posts: no post path may be named so.
PAGES_FOLDER = "pages"


@dataclass
class Sources:
    """The files of the content folder a build reads, by name relative to
    it (``/``-separated)."""

    posts: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)
    """In :data:`PAGES_FOLDER`, at any depth (a page below its top is a
    problem the reading names)."""
    statics: list[tuple[str, int, int]] = field(default_factory=list)
    """Every other file beside the posts and pages, with its size and
    modification time: images, attachments, copied to the same place in
    the output (see :func:`find_sources`)."""
    problems: list[str] = field(default_factory=list)


def find_sources(root: str, extensions: Collection[str], article_paths: Collection[str] = ("",),
                 excludes: Collection[str] = (), ignores: Collection[str] = (),
                 static_paths: Collection[str] = ()) -> Sources:
    """Every post file (a name ending in one of ``extensions``) under the
    folders ``article_paths`` of the content folder ``root``, leaving out
    the folders ``excludes`` and the names matching ``ignores`` (Pelican's
    ``ARTICLE_PATHS``, ``ARTICLE_EXCLUDES`` and ``IGNORE_FILES``, with
    Pelican's meaning); every comment file; and every page file, in
    :data:`PAGES_FOLDER`, which the settings exclude from the posts (see
    settings.py). Pelican is told to ignore comment folders, so anything
    else in one would vanish silently: it is a problem, and so is a comment
    folder among the pages, which have none. Hidden files in comment folders
    and editor backups (``~``) are passed over.

    Every other file there (an image beside its post) is a static file,
    published at the same place, unless it is hidden (a name starting with
    a dot: ``.git``, an editor's swap file), or under one of ``static_paths`` (Pelican's
    ``STATIC_PATHS``, whose files Pelican copies itself). Found in the same
    walk as the posts, with the size and time the walk already has, they
    cost no walk of their own, and a file is read only to copy it when it
    changed (see the writer)."""
    found = Sources()
    excluded = {posixpath.normpath(name) for name in excludes}
    suffixes = tuple(f".{extension}" for extension in extensions)

    # fnmatch's own rules, all patterns in one expression: it is asked of every file.
    ignored_pattern = re.compile("|".join(fnmatch.translate(pattern) for pattern in ignores) or "(?!)")

    def ignored(name: str) -> bool:
        return ignored_pattern.match(name) is not None

    def enter(name: str, entry) -> bool:
        return name not in excluded and (entry.name.endswith(COMMENT_FOLDER_SUFFIX) or not ignored(entry.name))

    pelicans = [posixpath.normpath(path.strip("/")) for path in static_paths]

    def static(name: str, entry) -> None:
        if (ignored(entry.name) or any(part.startswith(".") for part in name.split("/"))
                or not entry.is_file()
                or any(folder == "." or name == folder or name.startswith(f"{folder}/") for folder in pelicans)):
            return
        stat = entry.stat()  # a link stays inside the content folder (see filetree.py)
        found.statics.append((name, stat.st_size, stat.st_mtime_ns))

    for base in dict.fromkeys(posixpath.normpath(path) if path else "" for path in article_paths):
        top = posixpath.join(root, base) if base else root
        if not posixpath.isdir(top):
            continue
        for relative, entry in files_under(top, enter=enter if not base else
                                           lambda name, entry: enter(posixpath.join(base, name), entry)):
            name = posixpath.join(base, relative) if base else relative
            folder = posixpath.dirname(name)
            if any(part.endswith(COMMENT_FOLDER_SUFFIX) for part in folder.split("/")):
                if entry.name.startswith(".") or entry.name.endswith("~"):
                    continue
                if (folder.endswith(COMMENT_FOLDER_SUFFIX) and entry.is_file() and name.endswith(COMMENT_SUFFIX)
                        and len(entry.name) > len(COMMENT_SUFFIX)):
                    found.comments.append(name)
                else:
                    found.problems.append(f"{name}: not a comment; a {COMMENT_FOLDER_SUFFIX} folder holds only "
                                          f"*{COMMENT_SUFFIX} files")
            elif entry.name.endswith(suffixes) and not ignored(entry.name):
                found.posts.append(name)
            else:
                static(name, entry)

    def enter_pages(name: str, entry) -> bool:
        if entry.name.endswith(COMMENT_FOLDER_SUFFIX):
            found.problems.append(f"{PAGES_FOLDER}/{name}: pages have no comments")
        return not ignored(entry.name)

    pages = posixpath.join(root, PAGES_FOLDER)
    if posixpath.isdir(pages):
        for relative, entry in files_under(pages, enter=enter_pages):
            name = f"{PAGES_FOLDER}/{relative}"
            if entry.name.endswith(suffixes) and not ignored(entry.name):
                found.pages.append(name)
            else:
                static(name, entry)
    return found
