"""The width and height of the images a post shows, read from the files.

A browser that knows an image's size before it arrives keeps the text
from jumping as it loads, so every ``<img>`` whose file is beside the posts
gets ``width`` and ``height`` when the post is read (and so once: the body
is kept in Pelican's content cache). The post remembers which files it
measured, with their size and modification time, so a replaced image has
the post read again (see plugin.py).

Only the file formats a blog shows are read (PNG, GIF, JPEG, WebP), by
their headers: a few dozen bytes, or for JPEG the marker segments up to
the frame header. A library such as Pillow would do it too, but it is a
large dependency for four fixed layouts, and this never decodes pixels.
An image the parser does not know (SVG, a damaged file) simply gets no
size.

Nothing outside the content folder is read: the ``src`` must be relative,
and must resolve (links followed) to a regular file inside the folder.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import struct
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

#: A header larger than this is not one the parser knows.
_MOST = 1 << 20

#: ``{static}``, ``{filename}`` or ``{attach}`` before a path: a link to a content file.
_CONTENT_LINK = re.compile(r"\{(?:static|filename|attach)\}")

Size = tuple[int, int]
Stamp = tuple[str, int, int]
"""A measured file: its name relative to the content folder, size and mtime_ns."""


def _png(head: bytes) -> Size | None:
    if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR" and len(head) >= 24:
        return struct.unpack(">II", head[16:24])
    return None


def _gif(head: bytes) -> Size | None:
    if head[:6] in (b"GIF87a", b"GIF89a") and len(head) >= 10:
        return struct.unpack("<HH", head[6:10])
    return None


def _webp(head: bytes) -> Size | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a" and len(head) >= 30:
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and head[20:21] == b"\x2f" and len(head) >= 25:
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(head) >= 30:
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


#: Start-of-frame markers (not DHT, JPG or DAC, which share the range).
_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _exif_turned(segment: bytes) -> bool:
    """Whether an APP1 Exif segment says the picture is shown turned by a
    quarter (orientations 5 to 8), which swaps width and height."""
    if segment[:6] != b"Exif\x00\x00":
        return False
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return False
    (first,) = struct.unpack(order + "I", tiff[4:8])
    if first + 2 > len(tiff):
        return False
    (count,) = struct.unpack(order + "H", tiff[first:first + 2])
    for i in range(count):
        entry = tiff[first + 2 + 12 * i: first + 14 + 12 * i]
        if len(entry) < 12:
            return False
        tag, kind = struct.unpack(order + "HH", entry[:4])
        if tag == 0x0112 and kind == 3:
            return struct.unpack(order + "H", entry[8:10])[0] in (5, 6, 7, 8)
    return False


def _jpeg(handle: BinaryIO) -> Size | None:
    """Walk the marker segments to the frame header, which holds the size."""
    if handle.read(2) != b"\xff\xd8":
        return None
    turned = False
    while handle.tell() < _MOST:
        marker = handle.read(2)
        if len(marker) < 2 or marker[0] != 0xFF:
            return None
        code = marker[1]
        if code == 0xFF:  # fill byte before a marker
            handle.seek(-1, os.SEEK_CUR)
            continue
        if code in (0x01, *range(0xD0, 0xD8)):  # markers without a segment
            continue
        length_bytes = handle.read(2)
        if len(length_bytes) < 2:
            return None
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            return None
        if code in _FRAMES:
            frame = handle.read(5)
            if len(frame) < 5:
                return None
            height, width = struct.unpack(">HH", frame[1:5])
            return (height, width) if turned else (width, height)
        if code == 0xE1 and not turned:
            segment = handle.read(length - 2)
            turned = _exif_turned(segment)
        else:
            handle.seek(length - 2, os.SEEK_CUR)
    return None


def image_size(handle: BinaryIO) -> Size | None:
    """``(width, height)`` of the image in the open file, or ``None`` if it
    is not a PNG, GIF, JPEG or WebP the parser can read (or says 0)."""
    head = handle.read(32)
    size = _png(head) or _gif(head) or _webp(head)
    if size is None and head[:2] == b"\xff\xd8":
        handle.seek(0)
        size = _jpeg(handle)
    if size is None or not (size[0] and size[1]):
        return None
    return size


class ImageSizes:
    """Measures the images one post shows: ``sizes(src)`` for each ``src``
    as the author wrote it, relative to the post file ``name`` (relative to
    the content folder ``root``). ``stamps`` lists the files measured."""

    def __init__(self, root: str | os.PathLike, name: str):
        self.root = os.path.realpath(root)
        self.folder = posixpath.dirname(name)
        self.stamps: list[Stamp] = []

    def __call__(self, src: str) -> Size | None:
        src = src.strip()
        folder = self.folder
        # Pelican's links to content files: relative to the post, or with
        # a leading / to the content folder.
        marker = _CONTENT_LINK.match(src)
        if marker:
            src = src[marker.end():]
            if src.startswith("/"):
                src, folder = src.lstrip("/"), ""
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return None
        relative = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
        if relative.startswith("../") or relative == ".." or "\x00" in relative:
            return None
        path = os.path.realpath(os.path.join(self.root, relative))
        if os.path.commonpath([path, self.root]) != self.root:
            return None  # a link leading out of the content folder
        self.stamps.append((relative, *_stamp(path)))
        try:
            if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO would block the read
                return None
            with open(path, "rb") as handle:
                return image_size(handle)
        except (OSError, struct.error, IndexError):
            return None


def _stamp(path: str) -> tuple[int, int]:
    """Size and mtime_ns of a file, ``(-1, -1)`` if there is none: an image
    added later must have the post read again too."""
    try:
        found = os.stat(path)
    except OSError:
        return -1, -1
    return found.st_size, found.st_mtime_ns


def stale(root: str | os.PathLike, stamps: tuple[Stamp, ...]) -> bool:
    """Whether any file measured for a post changed, went or came since."""
    if not stamps:  # most posts show no image of the site: no path to resolve
        return False
    root = os.path.realpath(root)
    return any(_stamp(os.path.join(root, relative)) != (size, mtime_ns) for relative, size, mtime_ns in stamps)
