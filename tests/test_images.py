"""images: sizes read from file headers written by hand here (byte by byte,
from the formats' specifications), and the content folder as a fence."""

from __future__ import annotations

import io
import os
import struct

import pytest

from midcycle.images import ImageSizes, image_size, stale


def png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height) + b"\x08\x02\x00\x00\x00"


def gif(width: int, height: int) -> bytes:
    return b"GIF89a" + struct.pack("<HH", width, height) + b"\x00\x00\x00"


def jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    data = b"\xff\xd8"
    # APP0 (JFIF), a segment to skip.
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    data += b"\xff\xe0" + struct.pack(">H", len(app0) + 2) + app0
    if orientation is not None:
        # APP1 Exif: a little-endian TIFF header, one IFD with one entry,
        # tag 0x0112 (Orientation), type 3 (SHORT), count 1.
        tiff = b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", 1)
        tiff += struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack("<I", 0)
        exif = b"Exif\x00\x00" + tiff
        data += b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif
    # A quantisation table before the frame, as real files have.
    dqt = b"\x00" + bytes(64)
    data += b"\xff\xdb" + struct.pack(">H", len(dqt) + 2) + dqt
    # SOF2 (progressive): precision 8, height, width, 3 components.
    sof = b"\x08" + struct.pack(">HH", height, width) + b"\x03" + bytes(9)
    return data + b"\xff\xc2" + struct.pack(">H", len(sof) + 2) + sof + b"\xff\xd9"


def webp_vp8x(width: int, height: int) -> bytes:
    chunk = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(chunk)) + b"WEBP" + b"VP8X" + struct.pack("<I", len(chunk)) + chunk


def webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    chunk = b"\x2f" + bits.to_bytes(4, "little") + bytes(4)
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(chunk)) + b"WEBP" + b"VP8L" + struct.pack("<I", len(chunk)) + chunk


def webp_lossy(width: int, height: int) -> bytes:
    chunk = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + bytes(4)
    return b"RIFF" + struct.pack("<I", 4 + 8 + len(chunk)) + b"WEBP" + b"VP8 " + struct.pack("<I", len(chunk)) + chunk


@pytest.mark.parametrize("data, size", [
    (png(120, 80), (120, 80)),
    (png(1, 65536), (1, 65536)),
    (gif(300, 2), (300, 2)),
    (jpeg(640, 480), (640, 480)),
    (jpeg(640, 480, orientation=1), (640, 480)),
    # Orientation 6: the camera was turned; browsers show it 480 wide.
    (jpeg(640, 480, orientation=6), (480, 640)),
    (webp_vp8x(1024, 768), (1024, 768)),
    (webp_lossless(17, 9000), (17, 9000)),
    (webp_lossy(800, 600), (800, 600)),
])
def test_sizes_from_headers(data, size):
    assert image_size(io.BytesIO(data)) == size


@pytest.mark.parametrize("data", [
    b"",
    b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    png(120, 80)[:20],          # cut inside the header
    png(0, 80),                 # a zero side is no size
    jpeg(640, 480)[:30],        # cut before the frame
    b"\xff\xd8\xff\xe0\x00\x01",  # a segment length below 2
    b"\xff\xd8" + b"\xff\xe0\xff\xff" + bytes(100),  # a segment running past the end
    b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(30),    # no VP8 start code
    b"GIF89a\x01",
])
def test_what_is_not_a_known_image_has_no_size(data):
    assert image_size(io.BytesIO(data)) is None


def test_only_files_inside_the_content_folder_are_read(tmp_path):
    content = tmp_path / "content"
    (content / "wood/images").mkdir(parents=True)
    (content / "wood/images/bowl.png").write_bytes(png(120, 80))
    (content / "wood/images/space name.png").write_bytes(png(3, 4))
    (tmp_path / "secret.png").write_bytes(png(9, 9))
    (content / "wood/images/link.png").symlink_to(tmp_path / "secret.png")
    os.mkfifo(content / "wood/images/fifo.png")  # opening it would block the build
    sizes = ImageSizes(content, "wood/post.md")
    assert sizes("images/bowl.png") == (120, 80)
    assert sizes("./images/bowl.png?v=2#x") == (120, 80)
    assert sizes("images/space%20name.png") == (3, 4)
    # Pelican's links to content files: beside the post, or from the content folder's top.
    assert sizes("{static}images/bowl.png") == (120, 80)
    assert sizes("{filename}/wood/images/bowl.png") == (120, 80)
    assert sizes("{attach}/../secret.png") is None
    assert sizes("../secret.png") is None  # content/secret.png: inside, but there is none
    assert sizes("../../secret.png") is None  # outside
    assert sizes("images/link.png") is None
    assert sizes("images/fifo.png") is None
    assert sizes("/etc/passwd") is None
    assert sizes(str(tmp_path / "secret.png")) is None
    assert sizes("file:///etc/passwd") is None
    assert sizes("http://127.0.0.1/x.png") is None
    assert sizes("//host/x.png") is None
    assert sizes("images/missing.png") is None
    assert sizes("images/") is None
    measured = {name for name, _size, _mtime in sizes.stamps}
    assert "wood/images/bowl.png" in measured and "wood/images/missing.png" in measured
    assert not [name for name in measured if name.startswith("..")]


def test_a_replaced_added_or_removed_image_makes_the_stamps_stale(tmp_path):
    (tmp_path / "a.png").write_bytes(png(1, 1))
    sizes = ImageSizes(tmp_path, "post.md")
    sizes("a.png")
    sizes("later.png")
    stamps = tuple(sizes.stamps)
    assert not stale(tmp_path, stamps)
    (tmp_path / "later.png").write_bytes(png(2, 2))
    assert stale(tmp_path, stamps)
    (tmp_path / "later.png").unlink()
    assert not stale(tmp_path, stamps)
    (tmp_path / "a.png").write_bytes(png(10, 1))
    assert stale(tmp_path, stamps)
