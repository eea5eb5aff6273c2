"""How posts are read: only the files that changed, on every core, links
made absolute.

A build walks the content folder and asks the store (store.py) about each
post file: a file whose size and time, or failing those whose bytes, are
as when it was last read keeps that reading. The others are read in forked
processes, each with Pelican's own readers: Markdown through one
``Markdown`` instance per process (:class:`Converter`), its links made
absolute against the permalink while it builds the element tree (see
rewrite.py); other formats (imported HTML) by Pelican's readers, their
links made absolute afterwards (:class:`AbsoluteLinksReader`). Each process
checks its files first (sources.py) and hands back plain
:class:`~midcycle.model.Post` values (load.py) or the problems, naming the
file: Pelican's articles never cross a process boundary. Links to other
content files (``{filename}``) stay placeholders, noted in the reading, to
be resolved when the site is built (crosslinks.py).

Pages (``content/pages/``) are read the same way, all of them on every
build: there are few (:func:`read_pages`).

Images beside a post are measured on the way (see images.py), and the
files measured are kept with the post's reading, so a post whose images
were replaced, added or removed is read again though its own file is the
same.
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Collection, Mapping
from typing import Any

from markdown import Markdown
from pygments.formatters.html import HtmlFormatter
from pelican.contents import Article
from pelican.contents import Page as PelicanPage
from pelican.readers import MarkdownReader, Readers
from pelican.utils import pelican_open

from .crosslinks import has_links
from .digests import digest
from .images import ImageSizes, Stamp, stale
from .load import LINKS_KEY, page_from_content, place_of, post_from_article
from .model import Page, Post
from .processes import in_parallel, time_limit
from .rewrite import AbsoluteLinks, absolute_links, html_links
from .sources import PAGES_FOLDER, source_problems
from .store import PostStore, Reading, content_digest
from .urls import absolute, post_file

logger = logging.getLogger(__name__)

#: Where Python-Markdown's meta extension registers its preprocessor.
META_PRIORITY = 27

#: The metadata key under which a reader hands over the image files it
#: measured (see images.ImageSizes).
IMAGES = "midcycle_images"


def permalink_of(siteurl: str, name: str, explicit_slug: Any) -> str:
    """The permalink of post file ``name`` (relative to the content folder),
    which its relative links are resolved against."""
    return absolute(siteurl, post_file(*place_of(name, explicit_slug)))


def _name(settings: Mapping[str, Any], source_path: str) -> str:
    return os.path.relpath(source_path, os.path.abspath(settings["PATH"])).replace(os.sep, "/")


#: The names Python-Markdown knows its code highlighting extension by.
CODEHILITE = ("markdown.extensions.codehilite", "codehilite")


class SharedStylesHtmlFormatter(HtmlFormatter):
    """Pygments' HTML formatter, making the table of its style's CSS
    classes once per style and sharing it (it is only read afterwards):
    Python-Markdown's codehilite makes a formatter for every code block,
    and making that table was half the time of highlighting a short block.
    The HTML is the same."""

    _tables: dict[tuple[Any, str], tuple[dict, dict]] = {}

    def _create_stylesheet(self) -> None:
        key = (self.style, self.classprefix)
        if key not in self._tables:
            super()._create_stylesheet()
            self._tables[key] = self.ttype2class, self.class2style
        self.ttype2class, self.class2style = self._tables[key]


def markdown_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The ``MARKDOWN`` settings as Python-Markdown is given them: code
    highlighting uses :class:`SharedStylesHtmlFormatter` unless the settings
    name a formatter of their own."""
    options = dict(settings["MARKDOWN"])
    configs = options.get("extension_configs")
    for name in CODEHILITE:
        if isinstance(configs, dict) and isinstance(configs.get(name), dict) \
                and "pygments_formatter" not in configs[name]:
            configs = {**configs, name: {**configs[name], "pygments_formatter": SharedStylesHtmlFormatter}}
            options["extension_configs"] = configs
    return options


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
        self.root = settings["PATH"]
        self.time_limit = settings.get("MARKDOWN_TIME_LIMIT")
        self.md = Markdown(**markdown_options(settings))
        self.absolute_links = AbsoluteLinks(self.md, self._base, lambda: self.sizes)
        self.md.treeprocessors.register(self.absolute_links, "midcycle_links", AbsoluteLinks.PRIORITY)
        self.name = ""
        self.sizes = ImageSizes(self.root, "")

    def _base(self) -> str:
        meta = getattr(self.md, "Meta", {})
        return permalink_of(self.siteurl, self.name, (meta.get("slug") or [""])[0])

    def convert(self, path: str, name: str) -> tuple[str, dict[str, list[str]], tuple[Stamp, ...], list[str]]:
        """One post file (``name`` relative to the content folder): its HTML
        body with absolute links and measured images, its metadata lines as
        Markdown's meta extension gives them, the image files measured, and
        the absolute URLs its links and images point at."""
        self.name = name
        self.sizes = ImageSizes(self.root, name)
        self.md.reset()
        with pelican_open(path) as text:
            try:
                # Some Markdown (deeply nested brackets) takes Python-Markdown minutes.
                with time_limit(self.time_limit):
                    html = self.md.convert(text)
            except TimeoutError:
                raise TimeoutError(f"Markdown took longer than {self.time_limit} s on this post "
                                   "(MARKDOWN_TIME_LIMIT); look for deeply nested brackets, emphasis or lists, "
                                   "or raise the limit") from None
        base = self._base()
        links = list(self.absolute_links.found)
        # Raw HTML in the post passed through Markdown as it was written.
        for raw in self.md.htmlStash.rawHtmlBlocks:
            links += html_links(raw if isinstance(raw, str) else self.md.serializer(raw), base)
        html = absolute_links(html, base, sizes=self.sizes)
        return html, getattr(self.md, "Meta", {}), tuple(self.sizes.stamps), links


class MidcycleMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader, converting with the process's
    :class:`Converter` (one ``Markdown`` reset between files, links made
    absolute), metadata by Pelican's rules."""

    def __init__(self, settings: dict[str, Any]):
        super().__init__(settings)
        self.converter = Converter(settings)
        # Only formatted fields (Summary:) are converted with it.
        self.metadata_md = Markdown(**markdown_options(settings))
        self.meta_preprocessor = self.metadata_md.preprocessors["meta"]

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        content, meta, images, links = self.converter.convert(source_path, _name(self.settings, source_path))
        self._source_path = source_path
        # _parse_metadata converts formatted fields with self._md, after
        # removing its meta preprocessor: put that back each time so one
        # instance serves every post.
        self.metadata_md.preprocessors.register(self.meta_preprocessor, "meta", META_PRIORITY)
        self._md = self.metadata_md
        metadata = self._parse_metadata(meta)
        metadata[IMAGES] = images
        metadata[LINKS_KEY] = tuple(links)
        return content, metadata


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
        name = _name(settings, source_path)
        base = permalink_of(settings["SITEURL"], name, metadata.get("slug"))
        sizes = ImageSizes(settings["PATH"], name)
        metadata[LINKS_KEY] = tuple(html_links(content, base))
        content = absolute_links(content, base, sizes=sizes)
        metadata[IMAGES] = tuple(sizes.stamps)
        return content, metadata


def midcycle_readers(settings: dict[str, Any]) -> Readers:
    """Pelican's readers for ``settings``, Markdown's and the others'
    replaced by midcycle's (links absolute, one Markdown per process)."""
    readers = Readers(settings)
    for ext, reader in list(readers.readers.items()):
        if ext in MarkdownReader.file_extensions:
            readers.readers[ext] = MidcycleMarkdownReader(settings)
        else:
            readers.readers[ext] = AbsoluteLinksReader(reader)
    return readers


def read_post(readers: Readers, root: str, name: str, data: bytes
              ) -> tuple[Post | None, tuple[Stamp, ...], list[str]]:
    """The post in ``data``, the bytes of the file ``name`` (relative to the
    content folder ``root``), with the image files measured for it; or the
    problems that keep it from being one."""
    problems, warnings = source_problems(name, data)
    for warning in warnings:  # said where it is found, in whichever process reads the post
        logger.warning("midcycle: %s", warning)
    if problems:
        return None, (), problems
    try:
        article = readers.read_file(base_path=root, path=name, content_class=Article)
    except Exception as error:  # noqa: BLE001 - Pelican's reasons, said with the file's name
        return None, (), [f"{name}: cannot be read: {type(error).__name__}: {error}"]
    post, problems = post_from_article(article)
    return post, tuple(article.metadata.get(IMAGES, ())), problems


def read_pages(settings: dict[str, Any], root: str, names: list[str]) -> tuple[list[Page], list[str]]:
    """The pages among the files ``names`` (in ``content/pages/`` of the
    content folder ``root``), read by the same readers as posts, their
    links made absolute against the folder they are in; drafts left out.
    They are few and read on every build, in this process."""
    readers = midcycle_readers(settings)
    pages, problems = [], []
    for name in sorted(names):
        if name.count("/") != 1:
            problems.append(f"{name}: a page lives directly in {PAGES_FOLDER}/ (it is published at /<name>.html); "
                            f"move it there, or out of {PAGES_FOLDER}/ to make it a post")
            continue
        with open(os.path.join(root, name), "rb") as handle:
            found, warnings = source_problems(name, handle.read(), page=True)
        for warning in warnings:
            logger.warning("midcycle: %s", warning)
        if not found:
            try:
                page, found = page_from_content(readers.read_file(base_path=root, path=name,
                                                                  content_class=PelicanPage))
            except Exception as error:  # noqa: BLE001 - Pelican's reasons, said with the file's name
                page, found = None, [f"{name}: cannot be read: {type(error).__name__}: {error}"]
            if page is not None:
                pages.append(page)
        problems.extend(found)
    return pages, problems


def read_posts(settings: dict[str, Any], root: str, names: list[str], workers: int
               ) -> list[tuple[str, Reading | None, list[str]]]:
    """Read the post files ``names`` in ``workers`` processes: for each,
    ``(name, its reading or None, problems)``."""
    readers_here = functools.cache(lambda: midcycle_readers(settings))  # one set per process

    def work(chunk: list[str]) -> list[tuple[str, Reading | None, list[str]]]:
        readers = readers_here()
        done = []
        for name in chunk:
            with open(os.path.join(root, name), "rb") as handle:
                stat = os.fstat(handle.fileno())
                data = handle.read()
            post, images, problems = read_post(readers, root, name, data)
            reading = Reading(stat.st_size, stat.st_mtime_ns, content_digest(data), post, digest(post),
                              has_links(post.body), images) if post else None
            done.append((name, reading, problems))
        return done

    return [read for chunk in in_parallel(names, work, workers) for read in chunk] if names else []


def refresh(store: PostStore, settings: dict[str, Any], root: str, names: list[str], workers: int,
            edited: Collection[str] | None = None) -> tuple[list[str], list[str]]:
    """Bring ``store`` up to date with the post files ``names``: read those
    whose size and time, and then bytes, are not as at their last reading,
    or whose images changed since; forget those that are gone or cannot be
    read. When the only files changed since the last refresh are known to
    be ``edited`` (the dev server's watch says so), the others already in
    the store are taken as they are. Returns the names of those read and
    the problems found in them."""
    fresh = []
    known = store.posts()
    for name in names:
        if edited is not None and name not in edited and name in known:
            continue
        path = os.path.join(root, name)
        stat = os.stat(path)
        reading = store.unchanged(name, stat)
        if reading is None:
            with open(path, "rb") as handle:
                reading = store.same_bytes(name, stat, handle.read())
        if reading is not None and not stale(root, reading.images):
            continue
        fresh.append(name)
    problems = []
    failed = set()
    for name, reading, found in read_posts(settings, root, fresh, workers):
        problems.extend(found)
        if reading is None:
            failed.add(name)
        else:
            store.put(name, reading)
    store.keep_only(name for name in names if name not in failed)
    return fresh, problems
