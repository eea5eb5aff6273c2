"""Read new and changed Markdown posts on every core.

Pelican reads posts one after another. Before it starts, the posts its
content cache does not hold are converted in forked processes: Markdown to
HTML exactly as Pelican's reader would (a fresh ``Markdown`` with the
``MARKDOWN`` settings per file), links made absolute against the permalink
(see rewrite.py). Pelican's reader is then given the results
(:class:`PrereadMarkdownReader`) and only turns the metadata lines into
values, which needs the parent's settings and objects.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .load import place_of
from .processes import in_parallel
from .rewrite import absolute_links
from .urls import absolute, post_file

Preread = dict[str, tuple[str, dict[str, list[str]]]]


def convert(path: str, name: str, settings: Mapping[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """One post file (``name`` relative to the content folder): its HTML body
    with absolute links, and its metadata lines as Markdown's meta extension
    gives them."""
    md = Markdown(**settings["MARKDOWN"])
    with pelican_open(path) as text:
        html = md.convert(text)
    meta = getattr(md, "Meta", {})
    path, slug = place_of(name, (meta.get("slug") or [""])[0])
    base = absolute(settings["SITEURL"], post_file(path, slug))
    return absolute_links(html, base), meta


class PrereadMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, handed the posts converted beforehand."""

    def __init__(self, settings: dict[str, Any], preread: Preread):
        super().__init__(settings)
        self.preread = preread

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        done = self.preread.pop(os.path.abspath(source_path), None)
        if done is None:
            return super().read(source_path)
        content, meta = done
        self._source_path = source_path
        # _parse_metadata renders formatted fields (summary) with this.
        self._md = Markdown(**self.settings["MARKDOWN"])
        return content, self._parse_metadata(meta)


def preread(generator: Any, names: list[str], workers: int) -> None:
    """Convert the post files ``names`` (relative to the content folder) in
    ``workers`` processes and hand them to ``generator``'s Markdown reader."""
    extensions = [ext for ext in MarkdownReader.file_extensions if ext in generator.readers.readers]
    wanted = [name for name in names if name.rsplit(".", 1)[-1] in extensions]
    if not wanted:
        return

    def work(share: list[str]) -> Preread:
        done = {}
        for name in share:
            path = os.path.abspath(os.path.join(generator.path, name))
            done[path] = convert(path, name, generator.settings)
        return done

    results: Preread = {}
    for share in in_parallel(wanted, work, workers):
        results.update(share)
    reader = PrereadMarkdownReader(generator.settings, results)
    for ext in extensions:
        generator.readers.readers[ext] = reader
