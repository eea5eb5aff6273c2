"""PyBlosxom's file formats, read into plain values; and a midcycle HTML post written from one.

Pure functions over text and bytes (no disk), so the importer's rules are
testable on their own:

- an entry (``*.txt``): the first line is the title, then ``#key value``
  lines are metadata, then the body, which is HTML;
- a comment (``<entry>-<epoch>.cmt``): an XML ``<item>`` with ``title``,
  ``author``, ``link``, ``pubDate`` (epoch seconds) and ``description``.

Entries become Pelican HTML posts (``<title>``, ``<meta>``, ``<body>``)
because Pelican's HTML reader passes the body through as written: nothing
of the old HTML is re-interpreted by Markdown.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from types import MappingProxyType

from bs4 import BeautifulSoup

from ..text import one_line

#: Windows-1252's printable characters for the bytes Latin-1 leaves as C1
#: control characters: old "Latin-1" files were mostly written on Windows,
#: and a control character would make the title unusable (and XML invalid).
_C1_AS_CP1252 = MappingProxyType({
    code: bytes([code]).decode("cp1252")
    for code in range(0x80, 0xA0) if code not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
})

_PUBLISHED_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_COMMENT_NAME = re.compile(r"^(?P<entry>.+)-(?P<time>\d+(?:\.\d+)?)\.cmt$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_BARE_HOST = re.compile(r"^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]\S*)?$")


def decode(data: bytes, encoding: str = "utf-8") -> tuple[str, bool]:
    """``(text, fell_back)``: the bytes in ``encoding``, else as Latin-1
    (with Windows-1252 for 0x80-0x9F). A byte order mark is dropped."""
    try:
        return data.decode(encoding).lstrip("\ufeff"), False
    except (UnicodeDecodeError, LookupError):
        return data.decode("latin-1").translate(_C1_AS_CP1252), True


@dataclass(frozen=True, slots=True)
class Entry:
    title: str
    metadata: tuple[tuple[str, str], ...]
    """The ``#key value`` lines in order; a key alone has the value ``"1"``, as in PyBlosxom."""
    body: str

    def get(self, key: str) -> str | None:
        return next((value for name, value in self.metadata if name == key), None)


def parse_entry(text: str) -> Entry | None:
    """Read an entry as PyBlosxom does; ``None`` if it has no title line."""
    lines = text.splitlines(keepends=True)
    title = one_line(lines[0]) if lines else ""
    if not title:
        return None
    metadata = []
    rest = lines[1:]
    while rest and rest[0].startswith("#"):
        key, _, value = rest.pop(0)[1:].strip().partition(" ")
        if key:
            metadata.append((one_line(key), one_line(value) or "1"))
    return Entry(title, tuple(metadata), "".join(rest))


def split_tags(value: str) -> tuple[str, ...]:
    """``#tags`` as written by either style: comma separated if there is a
    comma (so a tag may hold a space), else space separated."""
    parts = value.split(",") if "," in value else value.split()
    return tuple(dict.fromkeys(tag for tag in (one_line(part) for part in parts) if tag))


def published(value: str, timezone: datetime.tzinfo) -> datetime.datetime | None:
    """``#published YYYY-MM-DD HH:MM`` as local time, or ``None`` if it is not one."""
    for form in _PUBLISHED_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), form).replace(tzinfo=timezone)
        except ValueError:
            continue
    return None


def repair_html(body: str) -> str:
    """Close what was left open and drop stray end tags (BeautifulSoup's
    html.parser keeps everything else as written), so one broken entry
    cannot swallow the rest of a listing page. Document-level tags are
    unwrapped: inside a post they would end its body early."""
    soup = BeautifulSoup(body, "html.parser")
    for tag in soup.find_all(["html", "head", "body"]):
        tag.unwrap()
    return str(soup).strip()


def post_html(title: str, date: datetime.datetime, tags: Iterable[str],
              extra: Iterable[tuple[str, str]], body: str) -> str:
    """A Pelican HTML post. Every value is escaped for its place; other
    metadata is kept as ``pyblosxom-<key>`` so nothing is lost and no old
    key (``#slug``, ``#status``) changes what Pelican does with the post."""
    lines = ["<html>", "<head>", f"<title>{escape(title, quote=False)}</title>",
             f'<meta name="date" content="{date.isoformat(sep=" ", timespec="seconds")}">']
    tags = list(tags)
    if tags:
        lines.append(f'<meta name="tags" content="{escape(", ".join(tags))}">')
    for key, value in extra:
        lines.append(f'<meta name="pyblosxom-{escape(key.lower())}" content="{escape(value)}">')
    lines += ["</head>", "<body>", repair_html(body), "</body>", "</html>"]
    return "\n".join(lines) + "\n"


def comment_file_parts(name: str) -> tuple[str, str] | None:
    """``"000123-1407999999.25.cmt"`` -> ``("000123", "1407999999.25")``."""
    match = _COMMENT_NAME.match(name)
    return (match.group("entry"), match.group("time")) if match else None


@dataclass(frozen=True, slots=True)
class OldComment:
    author: str
    link: str
    title: str
    body: str
    time: float | None
    """``pubDate``; ``None`` if missing or not a number."""


def parse_comment(data: bytes) -> tuple[OldComment, bool]:
    """``(comment, fell_back_to_latin1)``; raises ``ValueError`` saying why
    the file cannot be read."""
    declared = _DECLARED_ENCODING.match(data)
    text, fell_back = decode(data, declared.group(1).decode("ascii") if declared else "utf-8")
    try:
        # The declaration names an encoding the decoded text no longer has.
        root = ET.fromstring(_XML_DECLARATION.sub("", text, count=1))
    except ET.ParseError as error:
        raise ValueError(f"not well-formed XML ({error})") from None
    if root.tag != "item":
        raise ValueError(f"not a PyBlosxom comment (the XML is <{root.tag}>, not <item>)")

    def field(name: str) -> str:
        return (root.findtext(name) or "").strip()

    try:
        time = float(field("pubDate"))
    except ValueError:
        time = None
    return OldComment(one_line(field("author")), one_line(field("link")), one_line(field("title")),
                      field("description"), time), fell_back


def commenter_link(link: str) -> str:
    """Commenters often typed ``www.example.org``; make that a web address."""
    return f"http://{link}" if _BARE_HOST.match(link) else link
