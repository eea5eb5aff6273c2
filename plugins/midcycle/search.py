"""Full-text search over every post, with Pagefind, on any static host.

Pagefind (the ``pagefind_bin`` package: its binary ships in the wheel,
nothing is downloaded) turns HTML into an index of small files that the
search page's script fetches as a reader types: no server, no service.
Each post is handed to it as a small document of its own (title, date and
body, made here from the site model), not as its rendered page, so the
index depends only on the posts and never on which pages this build
happened to re-render.

Pagefind cannot add to an index: any change to any post rebuilds all of
it, about 7 s at 10,000 posts. So the index is built only when
``SEARCH_INDEX`` is on (``make publish``), and then only when a post
changed: the names and digests of the files it made are kept in the cache
with a digest of the posts, and while that digest holds the files are
taken as they are. Its files are outputs like any page (see write.py): checked, written
only when their bytes changed, moved in with the rest of the build, and
removed when the build no longer makes them. The binary works in a
temporary folder inside the cache folder, never in the output folder or
outside the build's own folders.

The binary is run over a folder of documents rather than through the
``pagefind`` package's Python API, whose client waits a tenth of a second
for each message: ten thousand posts, one record each, would take a quarter
of an hour. The index is deterministic (the same posts give the same
bytes), which incremental builds rely on. Pagefind's ready-made search interfaces are
not written: the search page has its own small script (theme/static/js/
search.js) that uses only Pagefind's search API.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from . import urls
from .errors import BuildError
from .digests import digest
from .model import Site
from .write import Output

#: Files of Pagefind's ready-made interfaces, which the site does not use.
UNUSED = ("pagefind-ui.", "pagefind-modular-ui.", "pagefind-component-ui.", "pagefind-highlight.")


def document(title: str, day: str, body: str, lang: str) -> str:
    """The page Pagefind reads for one post: its title and date as
    metadata for the results, its title and body as the text searched."""
    return (f'<!DOCTYPE html><html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head>"
            f'<body><main data-pagefind-body data-pagefind-meta="date:{html.escape(day)}">'
            f'<h1 data-pagefind-meta="title">{html.escape(title)}</h1>\n{body}\n</main></body></html>')


def documents(site: Site, lang: str) -> Iterator[tuple[str, str]]:
    """``(file, document)`` per post, at the post's own file name, so the
    URL Pagefind gives each result is the post's (below the site's root)."""
    for post in site.posts.values():
        yield urls.post_file(post.path, post.slug), document(post.title, post.date.date().isoformat(),
                                                             post.body, lang)


def pagefind_binary() -> str:
    try:
        from pagefind_bin import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise BuildError([f"settings: SEARCH_INDEX needs Pagefind's binary, from the pagefind_bin package "
                          f"(pip install pagefind_bin): {error}"]) from None


def build_index(site: Site, lang: str, workspace: str) -> dict[str, bytes]:
    """Run Pagefind over the posts' documents in a temporary folder inside
    ``workspace``; return its files (``pagefind/...``) but the unused interfaces."""
    binary = pagefind_binary()
    workspace = os.path.abspath(workspace)  # Pagefind runs in a folder of its own
    Path(workspace).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="search-", dir=workspace) as folder:
        pages, bundle = Path(folder, "pages"), Path(folder, "bundle")
        for file, text in documents(site, lang):
            target = pages / file
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        # In its own folder (Pagefind reads a pagefind.yml it finds in the
        # working folder) and without PAGEFIND_ variables, which configure it too.
        environment = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
        pages.mkdir(exist_ok=True)
        result = subprocess.run([binary, "--site", str(pages), "--output-path", str(bundle), "--silent"],
                                cwd=folder, env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            said = " ".join((result.stderr or result.stdout).split())[-2000:]
            raise BuildError([f"search index: Pagefind failed (exit {result.returncode}): {said}"])
        return {f"{urls.SEARCH_BUNDLE}/{path.relative_to(bundle).as_posix()}": path.read_bytes()
                for path in sorted(bundle.rglob("*"))
                if path.is_file() and not path.name.startswith(UNUSED)}


def render_search_index(site: Site, settings: Mapping[str, Any], env: str = "") -> list[Output]:
    """The index's files as outputs, when ``SEARCH_INDEX`` is on and there
    is a post to find (Pagefind makes no index of nothing).

    Each file's digest is of its own bytes, so after one post changed only
    the files that differ are compared and written. With the same posts as
    the build that last made the index, the files' names and digests come
    from the cache, and Pagefind runs only if one of them must be written
    again (it was changed or removed in the output)."""
    if not settings["SEARCH_INDEX"] or not site.posts:
        return []
    lang = settings.get("DEFAULT_LANG") or "en"
    made_from = digest(env, "search index", lang, sorted(site.digests.items()))
    cache = settings["MIDCYCLE_CACHE_ROOT"]
    record = Path(cache, "search-index.json")
    digests = None
    try:
        known = json.loads(record.read_text(encoding="utf-8"))
        if known["digest"] == made_from and all(isinstance(name, str) and isinstance(value, str)
                                                for name, value in known["files"].items()):
            digests = known["files"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no record, or a damaged one: Pagefind runs

    @functools.cache
    def files() -> dict[str, bytes]:
        return build_index(site, lang, cache)

    def file(name: str) -> bytes:
        made = files()
        if name not in made:  # Pagefind made other files from the same posts: not expected
            raise BuildError([f"search index: {record} lists {name}, which Pagefind no longer makes; "
                              "remove that file and build again"])
        return made[name]

    if digests is None:
        digests = {name: digest(env, hashlib.blake2b(content, digest_size=16).hexdigest())
                   for name, content in files().items()}
        record.write_text(json.dumps({"digest": made_from, "files": digests}), encoding="utf-8")
    return [Output(name, partial(file, name), "search index", made) for name, made in sorted(digests.items())]
