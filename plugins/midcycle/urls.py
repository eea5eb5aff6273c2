"""Every output file name and every URL of the site, in one place.

The scheme is a promise to readers and planets (see DESIGN.md): once a feed
URL is subscribed to it must never move, so nothing else in the plugin builds
a file name or a link by hand.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from .model import Page, Post
from .text import control_character

Slugify = Callable[[str], str]


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


#: Anything :func:`unsafe_reason` could object to; most names have none of it.
_SUSPECT = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff\\]|^/|^.:|(?:^|/)\.{0,2}(?:/|$)")

#: The longest file name most file systems hold (ext4, XFS, APFS, NTFS's
#: 255 UTF-16 units hold at least this many bytes' worth).
MAX_NAME_BYTES = 255
#: What a build adds around a name made from a slug: the longest suffix
#: (``.atom``; ``.html`` is as long), and what :func:`temporary_name` adds.
NAME_AFFIXES = "..atom.tmp"
#: The most bytes a slug (a post's, or a tag's or series') may take.
SLUG_MAX_BYTES = MAX_NAME_BYTES - len(NAME_AFFIXES)
#: A name this short cannot have a part that long (a character is at most 4 bytes).
_SURELY_SHORT = (MAX_NAME_BYTES - len(".tmp") - 1) // 4


def name_bytes(name: str) -> int:
    """How many bytes ``name`` takes in a file name (a name that is not
    UTF-8 keeps its own bytes)."""
    return len(name.encode("utf-8", "surrogateescape"))


def temporary_name(name: str) -> str:
    """What a file written straight into a live output folder is called
    until it is whole (write.py), so no reader sees half of it."""
    return f".{name}.tmp"


def unsafe_reason(name: str) -> str | None:
    """Why ``name`` may not be written, or ``None`` if it is a plain relative
    file name that stays inside the output folder."""
    if _SUSPECT.search(name) is None and len(name) <= _SURELY_SHORT:
        return None
    if not name:
        return "empty file name"
    if control_character(name):
        return "control character in file name"
    if "\\" in name:
        return "backslash in file name"
    if name.startswith("/") or posixpath.isabs(name) or (len(name) > 1 and name[1] == ":"):
        return "absolute file name"
    parts = name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "'..', '.' or an empty segment in file name"
    if any(name_bytes(temporary_name(part)) > MAX_NAME_BYTES for part in parts):
        return (f"a file or folder name longer than {MAX_NAME_BYTES - len(temporary_name(''))} bytes (with the "
                "temporary name it is written under, more than file systems hold): shorten it")
    return None


def post_file(path: str, slug: str) -> str:
    return _join(path, f"{slug}.html")


def page_file(slug: str) -> str:
    """A page from ``content/pages/`` (About...), at the top of the site."""
    return f"{slug}.html"


def listing_file(base: str, page: int, first: str | None = None) -> str:
    """Page ``page`` of a listing living in folder ``base``.

    Page 1 is ``first`` if given (tag pages are ``tag/nova.html``), else the
    folder's ``index.html``; older pages are ``{base}/page/{n}.html``.
    """
    if page == 1:
        return first or _join(base, "index.html")
    return _join(base, f"page/{page}.html")


def archive_base(period: tuple[int, ...]) -> str:
    return "/".join(f"{part:02d}" if i else str(part) for i, part in enumerate(period))


def tag_base(slug: str) -> str:
    return f"tag/{slug}"


def tag_file(slug: str, page: int = 1) -> str:
    return listing_file(tag_base(slug), page, first=f"{tag_base(slug)}.html")


TAG_INDEX_FILE = "tag/index.html"


def series_base(slug: str) -> str:
    return f"series/{slug}"


def series_file(slug: str) -> str:
    return f"{series_base(slug)}.html"


SERIES_INDEX_FILE = "series/index.html"

COMMENTS_INDEX_FILE = "comments/index.html"
COMMENTS_FEED_FILE = "comments/index.rss"

ARCHIVES_FILE = "archives.html"
FEEDS_PAGE_FILE = "feeds.html"
SEARCH_FILE = "search.html"
NOT_FOUND_FILE = "404.html"
SITEMAP_FILE = "sitemap.xml"
ROBOTS_FILE = "robots.txt"
#: The folder of the search index (see search.py).
SEARCH_BUNDLE = "pagefind"
#: The theme's icon, used unless the ``FAVICON`` setting names another.
THEME_FAVICON = "favicon.svg"


def sitemap_part_file(number: int) -> str:
    """One of the sitemaps ``sitemap.xml`` lists when a site has too many URLs for one."""
    return f"sitemap-{number}.xml"


def archive_file(period: tuple[int, ...]) -> str:
    return listing_file(archive_base(period), 1)


def favicon_file(favicon: str, theme_static_dir: str) -> str:
    """The site's icon: ``favicon`` (a file in the content folder, copied
    to the same place in the output), else the theme's."""
    return favicon or _join(theme_static_dir, THEME_FAVICON)


FEEDS_OPML_FILE = "feeds.opml"


def feed_file(base: str, kind: str) -> str:
    """``kind`` is ``"rss"``, ``"atom"`` or ``"json"``. A tag or series feed
    sits beside its page (``tag/nova.rss``); a path's inside its folder
    (``index.rss``)."""
    if base.startswith(("tag/", "series/")):
        return f"{base}.{kind}"
    return _join(base, f"index.{kind}")


def feed_of_file(name: str, kinds: tuple[str, ...]) -> tuple[str, str] | None:
    """``(base, kind)`` if ``name`` is where :func:`feed_file` puts a feed
    of one of ``kinds``, else ``None``: how a file of a previous output is
    known to be a feed."""
    stem, dot, kind = name.rpartition(".")
    if not dot or kind not in kinds:
        return None
    folder, _, file_stem = stem.rpartition("/")
    if folder in ("tag", "series") and file_stem:
        return stem, kind
    if file_stem == "index":
        return folder, kind
    return None


#: A page links to the same files again and again (its paths, tags, the
#: posts it lists); quoting each name once saves a tenth of rendering a site.
_quoted = functools.lru_cache(maxsize=1 << 16)(quote)


def absolute(siteurl: str, name: str) -> str:
    """The URL of output file ``name`` on the site at ``siteurl``."""
    return f"{siteurl.rstrip('/')}/{_quoted(name)}"


class Links:
    """Absolute URLs for templates and feeds, built from the file names above."""

    def __init__(self, siteurl: str, slugify: Slugify, theme_static_dir: str = "theme", favicon: str = ""):
        self.siteurl = siteurl.rstrip("/")
        #: Called for every link to a tag or series: the build gives one
        #: that remembers the names it slugified (plugin.slugifier).
        self.slugify = slugify
        self.theme_static_dir = theme_static_dir
        self.favicon_file = favicon_file(favicon, theme_static_dir)

    def file(self, name: str) -> str:
        return absolute(self.siteurl, name)

    def post(self, post: Post) -> str:
        return self.file(post_file(post.path, post.slug))

    def page(self, page: Page) -> str:
        return self.file(page_file(page.slug))

    def home(self) -> str:
        return self.file(listing_file("", 1))

    def path(self, path: str) -> str:
        """A path's page; the top level's (``""``) is the home page."""
        return self.file(listing_file(path, 1))

    def tag(self, tag: str) -> str:
        return self.file(tag_file(self.slugify(tag)))

    def tags(self) -> str:
        return self.file(TAG_INDEX_FILE)

    def series(self, name: str) -> str:
        return self.file(series_file(self.slugify(name)))

    def all_series(self) -> str:
        return self.file(SERIES_INDEX_FILE)

    def comment(self, post: Post, anchor: str) -> str:
        """A comment's place on its post's page."""
        return f"{self.post(post)}#{anchor}"

    def comments(self) -> str:
        """The recent comments page."""
        return self.file(COMMENTS_INDEX_FILE)

    def comments_feed(self) -> str:
        return self.file(COMMENTS_FEED_FILE)

    def feed(self, base: str, kind: str) -> str:
        return self.file(feed_file(base, kind))

    def static(self, name: str) -> str:
        return self.file(_join(self.theme_static_dir, name))

    def archive(self, period: tuple[int, ...]) -> str:
        """A year's, month's or day's page."""
        return self.file(archive_file(period))

    def archives(self) -> str:
        return self.file(ARCHIVES_FILE)

    def feeds_page(self) -> str:
        return self.file(FEEDS_PAGE_FILE)

    def search(self) -> str:
        return self.file(SEARCH_FILE)

    def search_bundle(self) -> str:
        """Pagefind's script, which loads the rest of the index beside it."""
        return self.file(f"{SEARCH_BUNDLE}/pagefind.js")

    def sitemap(self) -> str:
        return self.file(SITEMAP_FILE)

    def favicon(self) -> str:
        return self.file(self.favicon_file)

    def root(self) -> str:
        """Where the site lives below its host: ``/``, or ``/blog/``."""
        return urlsplit(self.siteurl).path.rstrip("/") + "/"

    def image(self, place: str) -> str:
        """An image setting (``FAVICON``, ``FEED_ICON``): an absolute URL as
        it is, a file of the site made absolute."""
        return place if place.startswith(("http://", "https://")) else self.file(place)

    def feeds_opml(self) -> str:
        return self.file(FEEDS_OPML_FILE)
