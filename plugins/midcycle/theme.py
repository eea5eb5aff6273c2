"""The theme: its static files, which Pelican copies into the output as they are."""

from __future__ import annotations

import os
from collections.abc import Iterable

from .filetree import files_under


def theme_static_files(theme: str, static_paths: Iterable[str], static_dir: str) -> list[tuple[str, str]]:
    """``(output file, source)`` of every static file Pelican copies from
    the theme: each of ``static_paths`` (folders of ``theme``) goes to the
    output's ``static_dir``."""
    files = []
    for folder in static_paths:
        root = os.path.join(theme, folder)
        if os.path.isdir(root):
            files += [(f"{static_dir}/{name}", f"theme file {folder}/{name}") for name, _entry in files_under(root)]
    return files
