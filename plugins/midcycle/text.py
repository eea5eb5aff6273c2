"""Characters that names and text on this site may not hold.

Titles, tags, series names, comment headers and file names end up in XML
(feeds, sitemaps) and in file names, and XML 1.0 cannot hold control
characters or the non-characters U+FFFE and U+FFFF; a terminal paste can
bring any of them. Names that hold one are refused, naming the file, and so
are post files that hold one anywhere (the author can delete it); comment
bodies, written by others, lose them instead.
"""

from __future__ import annotations

import re
import unicodedata

#: Unicode's control characters (category Cc), XML's two non-characters and
#: lone surrogates (which no UTF-8 file holds, but a file name may).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

#: What XML 1.0 cannot hold: the same, less tab, newline and carriage return,
#: which text may hold.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


#: What text may not hold: the same, less tab, newline and carriage return.
_NOT_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def text_control_character(text: str) -> re.Match[str] | None:
    """The first character ``text`` may not hold, with where it is, or ``None``."""
    return _NOT_IN_TEXT.search(text)


def control_character(value: str) -> str | None:
    """The first character of ``value`` a name may not hold, or ``None``."""
    match = _UNSHOWABLE.search(value)
    return match.group() if match else None


def xml_text(value: str) -> str:
    """``value`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", value)


def one_line(value: str) -> str:
    """``value`` as one line: control characters and runs of white space
    become single spaces, so a header value can never start a header of its own."""
    return " ".join(_UNSHOWABLE.sub(" ", value).split())


def shown_name(name: str) -> str:
    """A file name as a message can show it: bytes that are not UTF-8 (which
    Python keeps as lone surrogates) as ``\\xe9``, control characters as
    ``\\x1b``, so printing it can neither fail nor drive the terminal."""
    readable = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _UNSHOWABLE.sub(lambda match: f"\\x{ord(match.group()):02x}" if ord(match.group()) < 0x100
                           else f"\\u{ord(match.group()):04x}", readable)


#: Categories of characters that show nothing: controls, formats (such as
#: U+200B and U+FEFF), and Unicode's spaces and line and paragraph separators.
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
#: What browsers remove from inside a URL (WHATWG URL parsing).
_URL_BREAKS = re.compile("[\t\n\r]")


def _blank(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in _BLANK_CATEGORIES


def url_text(value: str) -> str:
    """A URL as written into a page: every Unicode space, control and format
    character at either end gone, and tabs and line breaks inside. Browsers
    drop the ASCII ones; Python's URL functions, which make links absolute,
    drop any white space at the ends (so ``\\u00a0javascript:`` became
    ``javascript:``). The sanitizer judges a link, and the rewrite resolves
    it, on this one form, so neither can see a scheme the other did not."""
    value = _URL_BREAKS.sub("", value)
    start, end = 0, len(value)
    while start < end and _blank(value[start]):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]
