"""The build's fingerprint: everything that is the same for every output
of a build.

``build_fingerprint`` sums up the plugin's code, the theme, the settings and
the versions of Python and the libraries that shape the output. It starts
every output's digest, and it names the folder of Pelican's content cache,
so changing a setting, the theme or midcycle itself never reuses anything
made under the old ones.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .digests import digest
from .filetree import files_under

#: Settings that say where things go or how the build runs, not what the
#: output looks like.
PLACES = ("OUTPUT_PATH", "CACHE_PATH", "MIDCYCLE_PREVIOUS_OUTPUT", "MIDCYCLE_FINGERPRINT", "MIDCYCLE_WORKERS",
          "MIDCYCLE_STARTED", "MIDCYCLE_OUTPUT_FILES")


def _files_digest(folders: list[Path]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for name, entry in files_under(folder, enter=lambda name, entry: entry.name != "__pycache__"):
            hasher.update(name.encode())
            hasher.update(Path(entry.path).read_bytes())
    return hasher.hexdigest()


def _plain(value: Any) -> Any:
    """Functions and other objects are named by type, not by ``repr``, which
    would carry a memory address and differ on every run."""
    return f"<{type(value).__name__}>"


#: Libraries whose upgrade can change the bytes of a page or feed.
LIBRARIES = ("pelican", "markdown", "pygments", "jinja2", "markupsafe", "feedgen", "beautifulsoup4")


def _versions() -> list[tuple[str, str]]:
    found = []
    for name in LIBRARIES:
        try:
            found.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            found.append((name, "-"))
    return found


def build_fingerprint(settings: Mapping[str, Any]) -> str:
    chosen = {key: value for key, value in settings.items() if key.isupper() and key not in PLACES}
    text = json.dumps(chosen, sort_keys=True, default=_plain)
    folders = [Path(__file__).parent, Path(settings["THEME"])]
    folders += [Path(folder) for folder in settings.get("THEME_TEMPLATES_OVERRIDES", ())]
    return digest(text, _files_digest(folders), _versions(), sys.version)
