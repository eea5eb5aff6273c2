"""opml.py on in-memory posts: the feed list planets import."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ElementTree
from zoneinfo import ZoneInfo

from midcycle import urls
from midcycle.feeds import feed_specs, retired_spec
from midcycle.indexes import build_site
from midcycle.model import Post
from midcycle.opml import feeds_opml, render_opml

SITEURL = "http://blog.test"
SETTINGS = {"SITENAME": "Notes & <more>", "AUTHOR": "Robin"}
LINKS = urls.Links(SITEURL, lambda text: text.lower().replace(" ", "-"))


def post(path: str, slug: str, tags=(), series=None) -> Post:
    return Post(source=f"{path}/{slug}.md", path=path, slug=slug, title=slug, tags=tuple(tags), series=series,
                date=datetime.datetime(2014, 8, 3, 12, tzinfo=ZoneInfo("Australia/Sydney")))


def site():
    return build_site([post("openstack/juno", "a", ("nova",), "Juno meetup"), post("wood", "b", ("lathe", "nova"))])


def outlines(document: bytes) -> tuple[ElementTree.Element, list[tuple[str, list[tuple[str, str, str]]]]]:
    root = ElementTree.fromstring(document)
    groups = []
    for outline in root.find("body"):
        children = [(o.get("title"), o.get("xmlUrl"), o.get("htmlUrl")) for o in outline]
        groups.append((outline.get("text"), children or [(outline.get("title"), outline.get("xmlUrl"),
                                                          outline.get("htmlUrl"))]))
    return root, groups


def test_every_path_tag_and_series_feed_with_its_title_grouped():
    specs = feed_specs(site(), SETTINGS["SITENAME"], LINKS.slugify)
    root, groups = outlines(feeds_opml(specs, SETTINGS, LINKS))
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.find("head/title").text == "Notes & <more>: feeds"
    assert root.find("head/ownerName").text == "Robin"
    name = "Notes & <more>"
    assert groups == [
        (name, [(name, f"{SITEURL}/index.rss", f"{SITEURL}/index.html")]),
        ("Paths", [(f"{name}: openstack", f"{SITEURL}/openstack/index.rss", f"{SITEURL}/openstack/index.html"),
                   (f"{name}: openstack/juno", f"{SITEURL}/openstack/juno/index.rss",
                    f"{SITEURL}/openstack/juno/index.html"),
                   (f"{name}: wood", f"{SITEURL}/wood/index.rss", f"{SITEURL}/wood/index.html")]),
        ("Tags", [(f"{name}: tag lathe", f"{SITEURL}/tag/lathe.rss", f"{SITEURL}/tag/lathe.html"),
                  (f"{name}: tag nova", f"{SITEURL}/tag/nova.rss", f"{SITEURL}/tag/nova.html")]),
        ("Series", [(f"{name}: series Juno meetup", f"{SITEURL}/series/juno-meetup.rss",
                     f"{SITEURL}/series/juno-meetup.html")]),
    ]
    for outline in root.iter("outline"):
        if outline.get("xmlUrl"):
            assert outline.get("type") == "rss" and outline.get("text") == outline.get("title")


def test_retired_feeds_are_not_offered_and_do_not_change_the_digest():
    specs = feed_specs(site(), SETTINGS["SITENAME"], LINKS.slugify)
    with_retired = specs + [retired_spec("tag/gone", SETTINGS["SITENAME"])]
    assert feeds_opml(with_retired, SETTINGS, LINKS) == feeds_opml(specs, SETTINGS, LINKS)
    assert b"tag/gone" not in feeds_opml(with_retired, SETTINGS, LINKS)
    (plain,), (retired,) = render_opml(specs, SETTINGS, LINKS), render_opml(with_retired, SETTINGS, LINKS)
    assert plain.file == "feeds.opml" and plain.digest == retired.digest


def test_the_digest_follows_titles():
    specs = feed_specs(site(), SETTINGS["SITENAME"], LINKS.slugify)
    renamed = feed_specs(site(), "Other name", LINKS.slugify)
    (first,), (second,) = render_opml(specs, SETTINGS, LINKS), render_opml(renamed, SETTINGS, LINKS)
    assert first.digest != second.digest
