"""Make untrusted comment HTML safe to show: a small allow-list, the rest escaped.

Comment bodies were written by strangers, so they may hold scripts, event
attributes or ``javascript:`` links. The output is built from scratch rather
than by deleting bad parts from the input: the only markup in it is the tags
listed in :data:`ALLOWED_TAGS`, written by this module with no attribute but
a checked ``href``; every other character the commenter wrote, including any
tag not on the list, is escaped and shows as text. That is how PyBlosxom
showed comments, and it keeps a technical comment's ``vector<int>`` or
``<tt>`` visible instead of silently dropping it (which is what sanitizers
such as nh3/ammonia do, and why they are not used here). Python's own
tokenizer only decides which characters are a tag; because nothing it saw is
copied through unescaped, a browser cannot read the output differently.

Commenters paste addresses rather than write links: a bare http or https
URL in the text becomes a link, through the same :func:`safe_href` check
and with the same ``rel``. Plain-text comments keep their paragraphs but
not the line breaks their mail client or editor wrapped them at.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .text import url_text, xml_text

#: Tags a comment may use. Only ``a`` keeps an attribute: ``href``.
ALLOWED_TAGS = frozenset({
    "p", "br", "a", "em", "strong", "i", "b", "code", "pre", "blockquote", "ul", "ol", "li",
})
#: Schemes a link may have; a relative link is resolved against the post later.
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
#: Every link in a comment says it was not the blog author's, and passes no ranking.
LINK_REL = "nofollow ugc"

_BLOCK_TAGS = ("p", "br", "pre", "blockquote", "ul", "ol", "li")
# Matches only markup this module wrote: everything else has ``<`` escaped.
_HAS_BLOCK = re.compile(r"<(?:%s)\b" % "|".join(_BLOCK_TAGS))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# A bare web address in text: up to any space (Unicode's too), quote or
# angle bracket; what it ends with is trimmed by _trimmed_url.
_BARE_URL = re.compile(r"""https?://[^\s<>"'`\x00-\x1f\x7f]+""", re.IGNORECASE)
#: Punctuation that ends a sentence rather than an address.
_TRAILING = ".,;:!?*'"


def _trimmed_url(url: str) -> str:
    """``url`` without the punctuation of the sentence around it: a final
    full stop or comma, and a closing bracket it did not open. One pass
    from the end, counting brackets once: a comment may be long."""
    unmatched = {closing: url.count(closing) - url.count(opening) for opening, closing in ("()", "[]", "{}")}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING:
            end -= 1
        elif unmatched.get(last, 0) > 0:
            unmatched[last] -= 1
            end -= 1
        else:
            break
    return url[:end]


def _has_host(url: str) -> bool:
    try:
        return bool(urlsplit(url).hostname)
    except ValueError:  # such as an unclosed [ of an IPv6 address
        return False


def linked_text(text: str) -> str:
    """Escaped ``text`` with its bare http(s) addresses made links."""
    out = []
    done = 0
    for match in _BARE_URL.finditer(text):
        url = _trimmed_url(match.group())
        href = safe_href(url, relative=False)
        if href is None or not _has_host(href):
            continue
        out.append(escape(text[done : match.start()], quote=False))
        out.append(f'<a href="{escape(href, quote=True)}" rel="{LINK_REL}">{escape(url, quote=False)}</a>')
        done = match.start() + len(url)
    out.append(escape(text[done:], quote=False))
    return "".join(out)


def safe_href(url: str | None, relative: bool = True) -> str | None:
    """``url`` as a browser would read it, if it is an http, https or mailto
    link (or, with ``relative``, a relative one); ``None`` if it is not.

    Browsers ignore leading and trailing control characters and spaces and
    any tab or newline inside a URL (WHATWG URL parsing), so
    ``" java\\tscript:"`` is a ``javascript:`` URL, and the rewrite that
    makes links absolute drops every Unicode space at the ends; the scheme
    is judged on the URL cleaned as both do (:func:`midcycle.text.url_text`),
    and the cleaned URL is what gets written. Entities were already decoded
    by the HTML tokenizer.
    """
    if url is None:
        return None
    cleaned = url_text(url)
    # Browsers read a backslash as a slash in web URLs; no need to guess how.
    if not cleaned or xml_text(cleaned) != cleaned or "\\" in cleaned:
        return None
    match = _SCHEME.match(cleaned)
    if match is None:
        return cleaned if relative else None
    if match.group(1).lower() not in LINK_SCHEMES:
        return None
    if match.group(1).lower() != "mailto" and not cleaned[match.end():].startswith("//"):
        return None
    return cleaned


class _Cleaner(HTMLParser):
    """Rebuilds a comment body token by token; one instance per body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        # Links shown as text: their end tags are shown as text too.
        self.shown_links = 0

    def text(self, text: str) -> None:
        self.out.append(escape(xml_text(text), quote=False))

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        if tag not in ALLOWED_TAGS:
            self.text(raw)
        elif tag == "br":
            self.out.append("<br>")
        elif tag == "a":
            href = safe_href(dict(attrs).get("href"))
            # A link inside a link is not HTML; a bad or missing href is no link.
            if href is None or "a" in self.open:
                self.text(raw)
                self.shown_links += 1
                return
            self.out.append(f'<a href="{escape(href, quote=True)}" rel="{LINK_REL}">')
            self.open.append(tag)
        else:
            self.out.append(f"<{tag}>")
            self.open.append(tag)

    handle_starttag = start
    # ``<p/>`` opens a p, as browsers read it; ``<br/>`` is a br.
    handle_startendtag = start

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.shown_links:
            self.shown_links -= 1
            self.text("</a>")
        elif tag in self.open:
            while self.open:
                closed = self.open.pop()
                self.out.append(f"</{closed}>")
                if closed == tag:
                    break
        elif tag not in ALLOWED_TAGS:
            self.text(f"</{tag}>")
        # A stray end tag of an allowed element is dropped: a repair, not text.

    def handle_data(self, data: str) -> None:
        data = xml_text(data)
        # A link inside a link is not HTML: text in one stays text.
        self.out.append(escape(data, quote=False) if "a" in self.open else linked_text(data))

    def handle_comment(self, data: str) -> None:
        self.text(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.text(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.text(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.text(f"<?{data}>")

    def result(self) -> str:
        self.close()
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))


def paragraphs(html: str) -> str:
    """Plain-text comments (PyBlosxom's often were) keep their paragraphs:
    when the cleaned body has no block markup, blank lines separate
    paragraphs, and the lines of a paragraph are joined, since their breaks
    are where the commenter's editor wrapped them. Works on cleaned output,
    where no tag spans a newline, so it cannot break markup open."""
    if _HAS_BLOCK.search(html):
        return html.strip()
    text = html.replace("\r\n", "\n").replace("\r", "\n").strip()
    chunks = [chunk.strip() for chunk in re.split(r"\n[ \t]*\n", text) if chunk.strip()]
    return "\n".join("<p>" + " ".join(line.strip() for line in chunk.split("\n")) + "</p>" for chunk in chunks)


def clean_comment(body: str) -> str:
    """The HTML to show for an untrusted comment body."""
    cleaner = _Cleaner()
    cleaner.feed(body)
    return paragraphs(cleaner.result())
