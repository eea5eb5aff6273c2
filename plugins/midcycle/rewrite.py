"""Make the links inside a post's body absolute.

A post's body is shown on its permalink page but also on the home page, on
path, tag and date pages, and in feeds read from anywhere. A relative
``images/bowl.png`` only works beside the permalink, so every relative URL is
resolved against the permalink once, when the post is loaded. Links to
other content files (``{filename}day-2.md``) are left for crosslinks.py.

Markdown posts are rewritten while Markdown builds them
(:class:`AbsoluteLinks`, on its element tree, which costs next to nothing);
what Markdown passes through untouched (raw HTML in a post) and posts in
other formats go through :func:`absolute_links`, which parses the HTML.
Both give an image beside the post its width and height on the way, while
its ``src`` is still the one the author wrote (see images.py).

The same passes note where the body's links and images point
(:attr:`AbsoluteLinks.found`, :func:`html_links`), once, when a post is
read, so the build can check the site's own links without parsing every
body again (see broken_links.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from .crosslinks import placeholder
from .images import Size
from .text import url_text

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

#: Measures an image by its ``src`` as written (see images.ImageSizes).
Sizes = Callable[[str], Size | None]

URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "link": ("href",),
    # Quoted sources: feed validators and readers resolve these too.
    "blockquote": ("cite",),
    "q": ("cite",),
    "del": ("cite",),
    "ins": ("cite",),
}

#: The attributes that link to or embed another file (a quotation's
#: ``cite`` only names its source): the ones a broken-link check follows.
LINK_ATTRIBUTES = {tag: tuple(name for name in names if name != "cite")
                   for tag, names in URL_ATTRIBUTES.items() if names != ("cite",)}

# Every value of an attribute that may hold a URL, however it is quoted.
_URL_VALUE = re.compile(
    r"""\b(?:href|src|srcset|poster|data|cite)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s,]*")


def _all_absolute(html: str) -> bool:
    """Whether every URL-like attribute value is one URL with a scheme: a
    cheap, conservative test (anything else, a srcset included, goes to
    BeautifulSoup). It holds after :func:`absolute_links`, so a second pass
    returns its input unchanged."""
    for match in _URL_VALUE.finditer(html):
        value = next(group for group in match.groups() if group is not None)
        if not _ABSOLUTE.fullmatch(value):
            return False
    return True


def _join(base: str, url: str, files: bool) -> str:
    """One URL made absolute; with ``files``, a link to another content file
    (Pelican's ``{filename}``) becomes a placeholder, resolved when the site
    is built (see crosslinks.py)."""
    return (files and placeholder(url)) or urljoin(base, url_text(url))


def _join_srcset(base: str, value: str, files: bool) -> str:
    candidates = []
    for candidate in value.split(","):
        parts = candidate.strip().split(None, 1)
        if parts:
            parts[0] = _join(base, parts[0], files)
            candidates.append(" ".join(parts))
    return ", ".join(candidates)


def _joined(base: str, attribute: str, value: str, files: bool = True) -> str:
    return _join_srcset(base, value, files) if attribute == "srcset" else _join(base, value, files)


def _measure(sizes: Sizes | None, attributes: dict, src: str | None) -> dict[str, str]:
    """``width`` and ``height`` to add to an image, if it has neither yet."""
    if sizes is None or not isinstance(src, str) or "width" in attributes or "height" in attributes:
        return {}
    size = sizes(src)
    return {"width": str(size[0]), "height": str(size[1])} if size else {}
def _targets(attribute: str, value: str) -> list[str]:
    """The URLs in an absolute attribute value (a srcset holds several)."""
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value] if value else []


class AbsoluteLinks(Treeprocessor):
    """Resolves the URLs of the elements Markdown made against the base URL
    ``base_of()`` gives for the document being converted (a ``Slug:`` line
    moves it, so it is asked for once the metadata has been read)."""

    #: Last: after the inline patterns, which make the links and images,
    #: after extensions that add links of their own (``toc``, priority 5),
    #: and after ``unescape`` (0), which puts back the characters an author
    #: escaped with a backslash (``[top](\\#top)``): until then they are
    #: placeholders that ``urljoin`` would mangle.
    PRIORITY = -1

    def __init__(self, md: Markdown, base_of: Callable[[], str], sizes_of: Callable[[], Sizes | None]):
        super().__init__(md)
        self.base_of = base_of
        self.sizes_of = sizes_of
        self.found: list[str] = []
        """The absolute link and image URLs of the last document converted."""

    def run(self, root: Element) -> None:
        base = None
        sizes = self.sizes_of()
        self.found = []
        for element in root.iter():
            if element.tag == "img":
                for key, value in _measure(sizes, element.attrib, element.get("src")).items():
                    element.set(key, value)
            for attribute in URL_ATTRIBUTES.get(element.tag, ()):
                value = element.get(attribute)
                if value is not None:
                    base = base or self.base_of()
                    joined = _joined(base, attribute, value)
                    element.set(attribute, joined)
                    if attribute in LINK_ATTRIBUTES.get(element.tag, ()):
                        self.found += _targets(attribute, joined)


def _parsed(html: str) -> BeautifulSoup:
    """``html`` as BeautifulSoup's tree. bs4 is imported here, when first
    needed: most posts never need it (Markdown's own are rewritten on its
    tree), and importing it costs a tenth of a second at every build's start."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def html_links(html: str, base: str) -> list[str]:
    """The absolute URLs the links and images of an HTML fragment point at,
    relative ones resolved against ``base``, in document order."""
    if not _URL_VALUE.search(html):
        return []
    found = []
    for tag in _parsed(html).find_all(LINK_ATTRIBUTES.keys()):
        for attribute in LINK_ATTRIBUTES[tag.name]:
            value = tag.get(attribute)
            if isinstance(value, str):
                found += _targets(attribute, _joined(base, attribute, value))
    return found


def absolute_links(html: str, base: str, files: bool = True, sizes: Sizes | None = None) -> str:
    """Return ``html`` with every relative URL resolved against ``base``;
    ``files=False`` for text by others than the author (comments), for whom
    ``{filename}`` is no link to a content file. With ``sizes``, images
    beside the post are measured on the way."""
    if _all_absolute(html):
        return html
    soup = _parsed(html)
    changed = False
    for tag in soup.find_all(URL_ATTRIBUTES.keys()):
        if tag.name == "img":
            measured = _measure(sizes, tag.attrs, tag.get("src"))
            tag.attrs.update(measured)
            changed = changed or bool(measured)
        for attribute in URL_ATTRIBUTES[tag.name]:
            value = tag.get(attribute)
            if not isinstance(value, str):
                continue
            joined = _joined(base, attribute, value, files)
            if joined != value:
                tag[attribute] = joined
                changed = True
    return str(soup) if changed else html
