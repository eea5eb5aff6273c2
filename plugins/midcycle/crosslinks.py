"""Links from one content file to another: Pelican's ``{filename}`` and
``{static}``.

Pelican's authors link a post by its file, relative to the folder of the
file they write in (``[day two]({filename}day-2.md)``) or, with a leading
``/``, to the content folder (``{filename}/openstack/juno/db2.md``), and any
other file the same way (``{static}images/bowl.png``). midcycle resolves
both kinds alike: a published post or page becomes its permalink, any other
file in the content folder the URL of its copy (static files are published
at their own path).

It takes two steps, so that no build pays for what reading did once. When a
file is read, each such link becomes a placeholder naming its target
(:func:`placeholder`, called wherever links are made absolute, see
rewrite.py), and Pelican's content cache keeps the body so. When the site
is built, the placeholders in the bodies that have any are replaced by their
target's URL (:meth:`Targets.resolve`): a target's permalink may move (a
``Slug:`` line added, the file renamed) without the linking post being read
again. A target that is not there, or not published, is an error naming the
linking file, never a link to nowhere.
"""

from __future__ import annotations

import dataclasses
import html
import os
import posixpath
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from .model import Page, Post
from .urls import Links

Linking = TypeVar("Linking", bound=Any)

#: How a placeholder starts: a URL scheme, so that making links absolute
#: leaves it alone.
SCHEME = "midcycle-file:"
#: The kinds of link midcycle resolves; Pelican's others (``{tag}``,
#: ``{category}``, ``{author}``, ``{index}``, ``{attach}``) name pages midcycle
#: does not make, or move files, and are refused.
KINDS = ("filename", "static")

#: Pelican's syntax (its ``INTRASITE_LINK_REGEX``): ``{kind}`` or ``|kind|``.
_LINK = re.compile(r"[{|](?P<kind>\w+)[|}](?P<target>.*)", re.DOTALL)
#: A placeholder holds only characters that need no escaping in HTML.
_PLACEHOLDER = re.compile(re.escape(SCHEME) + r"(?P<kind>\w+):(?P<target>[A-Za-z0-9_.~%-]*)")


def placeholder(value: str) -> str | None:
    """The placeholder for a link's value (an ``href`` or ``src``) if it is
    one of Pelican's ``{kind}target`` links, else ``None``."""
    match = _LINK.fullmatch(value.strip())
    if match is None:
        return None
    return f"{SCHEME}{match['kind']}:{quote(match['target'], safe='')}"


def has_links(body: str) -> bool:
    """Whether ``body`` holds placeholders to resolve."""
    return SCHEME in body


def target_file(source: str, target: str) -> str | None:
    """The file a link in ``source`` names (both relative to the content
    folder, ``/``-separated), or ``None`` if it leads out of the content
    folder."""
    name = unquote(target)
    folder = "" if name.startswith("/") else posixpath.dirname(source)
    joined = posixpath.normpath(posixpath.join(folder, name.lstrip("/")))
    if joined in (".", "..") or joined.startswith("../"):
        return None
    return unicodedata.normalize("NFC", joined)


@dataclass(frozen=True)
class Targets:
    """What links may lead to in one build."""

    urls: Mapping[str, Callable[[], str]]
    """The file of every published post and page (NFC) to what makes its
    URL (made only for the files links name: few posts link at all)."""
    unpublished: Collection[str]
    """Post and page files that are drafts or dated in the future."""
    static_url: Callable[[str], str | None]
    """The URL of any other file in the content folder, if it is published."""

    def url(self, source: str, kind: str, target: str) -> tuple[str | None, str | None]:
        """``(url, None)`` or ``(None, why not)`` for one link in ``source``."""
        if kind not in KINDS:
            return None, f"{{{kind}}} links are not supported; use {{filename}} or {{static}}"
        name, hash_, fragment = target.partition("#")
        name, question, query = name.partition("?")
        suffix = f"{question}{query}{hash_}{fragment}"
        if not name:
            return None, "the link names no file"
        found = target_file(source, name)
        if found is None:
            return None, "it leads out of the content folder"
        if found in self.urls:
            return self.urls[found]() + suffix, None
        if found in self.unpublished:
            return None, f"{found} is not published (a draft, or dated in the future)"
        url = self.static_url(found)
        if url is None:
            return None, f"there is no file {found} in the content folder"
        return url + suffix, None

    def resolve(self, source: str, body: str) -> tuple[str, list[str]]:
        """``body`` (of the file ``source``) with every placeholder replaced
        by its target's URL, and a problem for every link that has none."""
        problems = []

        def replace(match: re.Match) -> str:
            kind, target = match["kind"], unquote(match["target"])
            url, why_not = self.url(source, kind, target)
            if url is None:
                problems.append(f"{source}: cannot link {{{kind}}}{target}: {why_not}")
                return match.group()
            return html.escape(url)

        return _PLACEHOLDER.sub(replace, body), problems


def static_urls(content: str, static_paths: Collection[str], url_of: Callable[[str], str],
                copied: Collection[str] = ()) -> Callable[[str], str | None]:
    """For :attr:`Targets.static_url`: Pelican copies every file under one
    of ``static_paths`` (folders of the content folder ``content``) to the
    same path in the output, and midcycle the files ``copied`` beside the
    posts (see :func:`midcycle.sources.find_sources`); ``url_of`` makes that
    path a URL."""
    folders = [posixpath.normpath(path.strip("/")) for path in static_paths]
    copied = {unicodedata.normalize("NFC", name): name for name in copied}

    def static_url(name: str) -> str | None:
        if name in copied:
            return url_of(copied[name])
        by_pelican = any(folder == "." or name == folder or name.startswith(f"{folder}/") for folder in folders)
        return url_of(name) if by_pelican and os.path.isfile(os.path.join(content, name)) else None

    return static_url


def targets_of(posts: Iterable[Post], pages: Iterable[Page], read: Iterable[str], links: Links,
               content: str, static_paths: Collection[str], copied: Collection[str] = ()) -> Targets:
    """What links lead to in a build of the published ``posts`` and
    ``pages``: their permalinks by their files (in Unicode's composed form,
    as links name files), which of the files ``read`` are not published,
    and the files copied: by Pelican from ``static_paths`` of the content
    folder ``content``, and by midcycle (``copied``)."""
    urls = {unicodedata.normalize("NFC", post.source): partial(links.post, post) for post in posts}
    urls.update((unicodedata.normalize("NFC", page.source), partial(links.page, page)) for page in pages)
    unpublished = {unicodedata.normalize("NFC", name) for name in read} - urls.keys()
    return Targets(urls, unpublished, static_urls(content, static_paths, links.file, copied))


def resolved(items: Iterable[Linking], targets: Targets, linking: Collection[str] | None = None
             ) -> tuple[list[Linking], list[str]]:
    """Posts or pages (frozen values with a ``source`` and a ``body``) with
    their links to other content files resolved: those whose ``source`` is
    in ``linking`` (noted when they were read), or without it those whose
    bodies hold placeholders."""
    done, problems = [], []
    for item in items:
        if item.source in linking if linking is not None else has_links(item.body):
            body, found = targets.resolve(item.source, item.body)
            problems.extend(found)
            item = dataclasses.replace(item, body=body)
        done.append(item)
    return done, problems
