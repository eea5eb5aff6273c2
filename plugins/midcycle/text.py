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
