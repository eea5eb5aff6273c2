"""How Pelican reads posts here: on every core, links made absolute.

Pelican reads posts one after another. Before it starts, the Markdown posts
its content cache does not hold are converted in forked processes: Markdown
to HTML exactly as Pelican's reader would (with the ``MARKDOWN`` settings),
links made absolute against the permalink (see rewrite.py). Pelican's reader
is then given the results (:class:`PrereadMarkdownReader`) and only turns
the metadata lines into values, which needs the parent's settings and
objects. Posts in other formats (imported HTML) are read by Pelican's own
readers, their links made absolute afterwards (:class:`AbsoluteLinksReader`).
Either way the body Pelican keeps, and caches, is the one every page and
feed shows.
"""

from __future__ import annotations

import functools
import os
import posixpath
import unicodedata
from collections.abc import Mapping
from typing import Any

from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .processes import in_parallel
from .rewrite import AbsoluteLinks, absolute_links
from .urls import absolute, post_file

Preread = dict[str, tuple[str, dict[str, list[str]]]]

#: Where Python-Markdown's meta extension registers its preprocessor.
META_PRIORITY = 27


def place_of(source: str, explicit_slug: Any) -> tuple[str, str]:
    """``(path, slug)`` of the post file ``source`` (relative to the content
    folder): its folder, and the file stem unless a ``Slug:`` line gives one,
    so editing a title never moves a permalink. Both in Unicode's composed
    form (NFC): a Mac writes ``café`` decomposed, Linux as typed, and one
    post must have one URL (and one feed id) whoever saved it."""
    stem = posixpath.splitext(posixpath.basename(source))[0]
    slug = str(explicit_slug).strip() if explicit_slug is not None else ""
    return unicodedata.normalize("NFC", posixpath.dirname(source)), unicodedata.normalize("NFC", slug or stem)


def permalink_of(siteurl: str, name: str, explicit_slug: Any) -> str:
    """The permalink of post file ``name`` (relative to the content folder),
    which its relative links are resolved against."""
    return absolute(siteurl, post_file(*place_of(name, explicit_slug)))


def _name(settings: Mapping[str, Any], source_path: str) -> str:
    return os.path.relpath(source_path, os.path.abspath(settings["PATH"])).replace(os.sep, "/")


class Converter:
    """Converts post files one after another with one ``Markdown`` (made
    with the ``MARKDOWN`` settings), its links made absolute against each
    post's permalink. The instance is reset between files, as
    Python-Markdown intends: footnotes, abbreviations, table of contents and
    metadata of one post never reach the next (Markdown 3.7 and later reset
    abbreviations too). An extension of your own in ``MARKDOWN`` that keeps
    state must implement ``reset()`` the same way."""

    def __init__(self, settings: Mapping[str, Any]):
        self.siteurl = settings["SITEURL"]
        self.md = Markdown(**settings["MARKDOWN"])
        self.md.treeprocessors.register(AbsoluteLinks(self.md, self._base), "midcycle_links",
                                        AbsoluteLinks.PRIORITY)
        self.name = ""

    def _base(self) -> str:
        meta = getattr(self.md, "Meta", {})
        return permalink_of(self.siteurl, self.name, (meta.get("slug") or [""])[0])

    def convert(self, path: str, name: str) -> tuple[str, dict[str, list[str]]]:
        """One post file (``name`` relative to the content folder): its HTML
        body with absolute links, and its metadata lines as Markdown's meta
        extension gives them."""
        self.name = name
        self.md.reset()
        with pelican_open(path) as text:
            html = self.md.convert(text)
        # Raw HTML in the post passed through Markdown as it was written.
        return absolute_links(html, self._base()), getattr(self.md, "Meta", {})


class PrereadMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, handed the posts converted beforehand."""

    def __init__(self, settings: dict[str, Any], preread: Preread):
        super().__init__(settings)
        self.preread = preread
        # Only formatted fields (Summary:) are converted with it.
        self.metadata_md = Markdown(**settings["MARKDOWN"])
        self.meta_preprocessor = self.metadata_md.preprocessors["meta"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        done = self.preread.pop(os.path.abspath(source_path), None)
        if done is None:  # not expected: every file Pelican reads was preread
            done = Converter(self.settings).convert(source_path, _name(self.settings, source_path))
        content, meta = done
        self._source_path = source_path
        # _parse_metadata converts formatted fields with self._md, after
        # removing its meta preprocessor: put that back each time so one
        # instance serves every post.
        self.metadata_md.preprocessors.register(self.meta_preprocessor, "meta", META_PRIORITY)
        self._md = self.metadata_md
        return content, self._parse_metadata(meta)


class AbsoluteLinksReader:
    """One of Pelican's readers (for HTML, say), with the links of what it
    reads made absolute against the post's permalink."""

    def __init__(self, reader: Any):
        self.reader = reader

    def __getattr__(self, name: str) -> Any:
        return getattr(self.reader, name)

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        content, metadata = self.reader.read(source_path)
        settings = self.reader.settings
        base = permalink_of(settings["SITEURL"], _name(settings, source_path), metadata.get("slug"))
        return absolute_links(content, base), metadata


def prepare_readers(generator: Any, names: list[str], workers: int) -> None:
    """Convert the Markdown post files among ``names`` (relative to the
    content folder) in ``workers`` processes; give ``generator`` readers
    that use the results and make every post's links absolute."""
    readers = generator.readers.readers
    markdown = [ext for ext in MarkdownReader.file_extensions if ext in readers]
    wanted = [name for name in names if name.rsplit(".", 1)[-1] in markdown]

    # One converter in each process, made there on its first chunk.
    converter_here = functools.cache(lambda: Converter(generator.settings))

    def work(chunk: list[str]) -> Preread:
        converter = converter_here()
        done = {}
        for name in chunk:
            path = os.path.abspath(os.path.join(generator.path, name))
            done[path] = converter.convert(path, name)
        return done

    results: Preread = {}
    for done in in_parallel(wanted, work, workers) if wanted else ():
        results.update(done)
    markdown_reader = PrereadMarkdownReader(generator.settings, results)
    for ext, reader in readers.items():
        readers[ext] = markdown_reader if ext in markdown else AbsoluteLinksReader(reader)
