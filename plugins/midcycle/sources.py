"""Check post files before Pelican reads them, so a bad file fails the build
with a message naming it (and the line) instead of being skipped or ending
in a traceback.

These are plain functions over a file's name and bytes. They look at what
Pelican would otherwise trip over or silently drop: bytes that are not text,
an empty file, and in Markdown posts the metadata lines at the top.
"""

from __future__ import annotations

from collections.abc import Iterator

from markdown.extensions import meta
from pelican.readers import MarkdownReader
from pelican.utils import get_date

STATUSES = ("published", "draft")
MARKDOWN_SUFFIXES = tuple(f".{extension}" for extension in MarkdownReader.file_extensions)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def metadata_lines(text: str) -> Iterator[tuple[str, str, int]]:
    """``(key, value, line number)`` for the metadata block at the top of a
    Markdown post, by the rules (and patterns) of Python-Markdown's meta
    extension, which reads it: an optional ``---`` line, ``Key: value``
    lines up to a blank or ``---``/``...`` line, values continued on lines
    indented four spaces."""
    lines = text.splitlines()
    start = 1 if lines and meta.BEGIN_RE.match(lines[0]) else 0
    key = None
    for number, line in enumerate(lines[start:], start=start + 1):
        if not line.strip() or meta.END_RE.match(line):
            return
        match = meta.META_RE.match(line)
        if match:
            key = match.group("key").lower().strip()
            yield key, match.group("value").strip(), number
        elif not (key and meta.META_MORE_RE.match(line)):
            return


def metadata_problems(name: str, text: str) -> list[str]:
    problems = []
    seen = {}
    for key, value, number in metadata_lines(text):
        seen.setdefault(key, (value, number))
    title = seen.get("title")
    if title is None:
        problems.append(f"{name}: no 'Title:' line in the metadata at the top of the file")
    elif not title[0]:
        problems.append(f"{name}:{title[1]}: the title is empty")
    date = seen.get("date")
    if date is None:
        problems.append(f"{name}: no 'Date:' line in the metadata at the top of the file")
    else:
        try:
            get_date(date[0])
        except (ValueError, OverflowError) as error:
            problems.append(f"{name}:{date[1]}: cannot read the date {date[0]!r} ({error})")
    status = seen.get("status")
    if status is not None and status[0].lower() not in STATUSES:
        problems.append(f"{name}:{status[1]}: unknown status {status[0]!r}; use one of: {', '.join(STATUSES)}")
    return problems


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


def source_problems(name: str, data: bytes) -> list[str]:
    """What is wrong with the post file ``name`` holding ``data``."""
    text, problems = decode_text(name, data)
    if text is None:
        return problems
    if name.lower().endswith(MARKDOWN_SUFFIXES):
        return metadata_problems(name, text)
    return []
