"""What the build refuses, tried as a new user would: each ends in a clear
error naming the file (no traceback) with the previous output as it was,
or in a correct site; nothing from outside the content folder is
published."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import ROOT, failing_build, run_build, snapshot, write_post


@pytest.fixture
def built(tmp_path, content):
    """A good site, built once: a failed build must leave it as it is."""
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="nova")
    output = tmp_path / "output"
    result = run_build(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return content, output


def refused(content, output, *expected: str, **settings: object) -> str:
    """Build, expecting a failure that says each of ``expected`` and
    leaves the output exactly as it was."""
    before = snapshot(output, times=True)
    text = failing_build(content, output, **settings)
    for part in expected:
        assert part in text, text
    assert snapshot(output, times=True) == before
    return text


def published(output, data: bytes) -> list[str]:
    return [p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file() and data in p.read_bytes()]


# Links


def test_a_link_to_a_folder_outside_is_an_error_and_nothing_is_copied(built, tmp_path):
    content, output = built
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "shadow").write_text("root:s3cret-hash:")
    (content / "etclink").symlink_to(secret, target_is_directory=True)
    refused(content, output, "etclink: a link to", str(secret), "outside the content folder")
    assert not published(output, b"s3cret-hash")


def test_a_link_to_a_file_outside_is_an_error(built, tmp_path):
    content, output = built
    (tmp_path / "key.txt").write_text("s3cret-key")
    (content / "a/key.txt").symlink_to(tmp_path / "key.txt")
    refused(content, output, "a/key.txt: a link to", "outside the content folder")


def test_a_link_to_the_content_folder_itself_is_a_loop(built):
    content, output = built
    (content / "self").symlink_to(".", target_is_directory=True)
    refused(content, output, "self: a link to . that leads back into itself")
    assert not (output / "self").exists()


def test_links_inside_the_content_folder_are_followed(built, build):
    content, _ = built
    (content / "shared").mkdir()
    (content / "shared/logo.png").write_bytes(b"\x89PNG logo")
    (content / "a/logo.png").symlink_to("../shared/logo.png")
    site = build(content)
    assert site.file("a/logo.png").read_bytes() == b"\x89PNG logo"


def test_a_link_in_the_theme_to_outside_is_an_error(built, tmp_path):
    content, output = built
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (tmp_path / "private.css").write_text("/* s3cret */")
    (theme / "static/css").mkdir(parents=True, exist_ok=True)
    (theme / "static/css/extra.css").symlink_to(tmp_path / "private.css")
    refused(content, output, "static/css/extra.css: a link to", "outside the theme", THEME=str(theme))
    assert not published(output, b"s3cret")


# Names


def test_a_folder_name_that_is_not_utf8_is_named(built):
    content, output = built
    folder = os.path.join(os.fsencode(content), b"caf\xe9")
    os.mkdir(folder)
    with open(os.path.join(folder, b"two.md"), "w", encoding="utf-8") as handle:
        handle.write("Title: Two\nDate: 2014-08-14 10:00\n\nBody\n")
    refused(content, output, "caf\\xe9: the name is not UTF-8; rename it")
