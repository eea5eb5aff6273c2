"""Pelican's content cache, as midcycle uses it.

Pelican can keep every post it read (the article, with its body) in a cache
file between builds. midcycle turns that on, keyed by each file's content
rather than its time, in a folder named after the build's read fingerprint
(see fingerprint.py): a change to what shapes a post as read (Markdown
settings, the readers, midcycle's reading code) starts afresh instead of
reusing posts read the old way. The cache is Pelican's own, reached through
its generator's ``_cache``/``get_cached_data``; this module is the one place
that knows how.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

#: Folders of content caches are named ``content-<read fingerprint>``.
FOLDER_PREFIX = "content-"
#: Caches of earlier midcycle versions, one folder per fingerprint.
OLD_PREFIX = "midcycle-"
#: Content caches kept besides the one in use: building with other
#: settings now and then (``make publish`` beside ``make html``, a drafts
#: preview) should not start from nothing each time.
KEPT = 3


def use_content_cache(settings: dict[str, Any], root: str, fingerprint: str) -> None:
    """Turn on Pelican's content cache in ``root``'s folder for
    ``fingerprint``, checked by each post file's md5; forget all but the
    most recently used others."""
    folder = Path(root, f"{FOLDER_PREFIX}{fingerprint}")
    folder.mkdir(parents=True, exist_ok=True)
    os.utime(folder)  # used now: see prune
    prune(Path(root), keep=KEPT)
    settings.update({
        "CACHE_CONTENT": True,
        "LOAD_CONTENT_CACHE": True,
        "CONTENT_CACHING_LAYER": "generator",
        "CHECK_MODIFIED_METHOD": "md5",
        "GZIP_CACHE": False,
        "CACHE_PATH": str(folder),
    })


def prune(root: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently used content caches under
    ``root``, and those of earlier midcycle versions."""
    folders = [entry for entry in root.iterdir() if entry.is_dir() and not entry.is_symlink()
               and entry.name.startswith((FOLDER_PREFIX, OLD_PREFIX))]
    current = sorted((f for f in folders if f.name.startswith(FOLDER_PREFIX)),
                     key=lambda folder: folder.stat().st_mtime_ns, reverse=True)
    for folder in current[keep + 1:] + [f for f in folders if f.name.startswith(OLD_PREFIX)]:
        shutil.rmtree(folder, ignore_errors=True)


def forget_drafts(generator: Any) -> None:
    """Pelican's content cache keeps a post dated in the future as the draft
    it was when read; drop cached drafts so such a post is read again and
    published once its date has come."""
    for name, (_stamp, article) in list(generator._cache.items()):
        if getattr(article, "status", "") == "draft":
            del generator._cache[name]


def is_cached(generator: Any, pelican_name: str) -> bool:
    """Whether Pelican's cache holds the post file ``pelican_name`` (Pelican's
    own name for it) as it is now, byte for byte."""
    return generator.get_cached_data(pelican_name, None) is not None


def post_files(generator: Any) -> dict[str, str]:
    """Every file Pelican reads as a post, published or not: Pelican's own
    name for it (``./a.md`` for a post at the top, the key of its content
    cache) to its name relative to the content folder, ``/``-separated."""
    names = generator.get_files(generator.settings["ARTICLE_PATHS"],
                                exclude=generator.settings["ARTICLE_EXCLUDES"])
    return {name: os.path.normpath(name).replace(os.sep, "/") for name in names}
