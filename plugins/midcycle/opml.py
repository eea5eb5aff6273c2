"""``/feeds.opml``: every feed of the site as an OPML 2.0 subscription list.

A planet operator or a reader who wants "everything about nova and ironic"
imports this file, or picks lines from it, instead of finding each feed URL
by hand. It lists the whole site's feed, then every path, tag and series
feed, grouped under one outline each, every feed with its title, its URL
(the RSS one: ``type="rss"`` is what OPML readers import, and every feed
also exists as Atom and JSON Feed beside it) and its HTML page. Feeds kept
only because they were retired are not listed: nobody should subscribe to
them anew.

Written with the standard library's ElementTree, which escapes every
attribute; there is no date in it, so it changes only when the list does.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Iterator, Mapping
from functools import partial
from typing import Any

from . import urls
from .feeds import FeedSpec
from .digests import digest
from .write import Output

#: Outline groups, in the order shown, by what a feed's base starts with.
GROUPS = (("Paths", ""), ("Tags", "tag/"), ("Series", "series/"))


def _group(spec: FeedSpec) -> str:
    return next(name for name, prefix in reversed(GROUPS) if spec.base.startswith(prefix))


def _outline(parent: ElementTree.Element, spec: FeedSpec, links: urls.Links) -> None:
    ElementTree.SubElement(parent, "outline", {
        "type": "rss", "version": "RSS2", "text": spec.title, "title": spec.title,
        "description": spec.description, "xmlUrl": links.feed(spec.base, "rss"),
        "htmlUrl": links.file(spec.page)})


def feeds_opml(specs: Iterable[FeedSpec], settings: Mapping[str, Any], links: urls.Links) -> bytes:
    """The OPML document listing ``specs`` (the whole site's feed first)."""
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = f"{settings['SITENAME']}: feeds"
    if settings.get("AUTHOR"):
        ElementTree.SubElement(head, "ownerName").text = settings["AUTHOR"]
    body = ElementTree.SubElement(root, "body")
    listed = [spec for spec in specs if not spec.retired]
    for spec in listed:
        if spec.base == "":
            _outline(body, spec, links)
    for name, _prefix in GROUPS:
        members = [spec for spec in listed if spec.base and _group(spec) == name]
        if members:
            group = ElementTree.SubElement(body, "outline", text=name)
            for spec in members:
                _outline(group, spec, links)
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def render_opml(specs: list[FeedSpec], settings: Mapping[str, Any], links: urls.Links,
                env: str = "") -> Iterator[Output]:
    shown = [(spec.base, spec.title, spec.description, spec.page) for spec in specs if not spec.retired]
    yield Output(urls.FEEDS_OPML_FILE, partial(feeds_opml, specs, settings, links), "feed list",
                 digest(env, "opml", shown))
