"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds for the site, every path, every
tag and every series, and the RSS feed of all comments.

Feed readers and planet aggregators poll these files and never forgive: a
relative link shows up broken on the planet, a changed id shows a post twice,
a feed that does not parse drops the blog. So:

- feed kinds are data (:class:`FeedSpec`), all rendered by one function;
- every URL comes from :class:`~midcycle.urls.Links` and is absolute (post
  bodies were made absolute against their permalink when loaded);
- ids depend only on where a post lives, never on its title or body, nor on
  the scheme or port of the site: the RSS guid is the Atom id;
- nothing depends on the clock or the feedgen version, so an unchanged site
  gives byte-identical feeds and the guarded writer leaves them untouched.

JSON Feed is written with the standard library's ``json``: it is one JSON
object, which feedgen does not make and which needs no library to be exact.
"""

from __future__ import annotations

import dataclasses
import datetime
import html
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from . import urls
from .comments import newest_comments
from .model import Comment, Post, Site, newest_first
from .digests import digest
from .write import Output

KINDS = ("rss", "atom", "json")
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}
#: How people call each format, on the feeds page.
KIND_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"

#: Named in every feed instead of feedgen's default, which carries feedgen's
#: version: upgrading a library must not change every feed's bytes.
GENERATOR = "midcycle"

#: The date of feeds on a site with no posts and no comments at all, where
#: nothing gives one; ``now()`` would change the bytes on every build, and
#: validators and readers take a date before 1990 for a mistake.
NOTHING_YET = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)

#: What RSS 2.0's ``<image>`` may be (its specification says GIF, JPEG or PNG).
RSS_IMAGE_SUFFIXES = (".gif", ".jpg", ".jpeg", ".png")


@dataclass(frozen=True, slots=True)
class FeedSpec:
    """One feed, in both formats: what it holds and what it is called."""

    base: str
    """Where its files live; see :func:`midcycle.urls.feed_file`."""
    title: str
    description: str
    """A sentence saying what it holds (RSS requires one)."""
    keys: tuple[str, ...]
    """The posts it may hold, newest first; the first ``FEED_MAX_ITEMS`` are kept."""
    page: str
    """The HTML page showing the same posts (the feed's ``alternate`` link)."""
    retired: bool = False
    """A feed kept with no entries after its last post left it (see retired.py)."""


def retired_spec(base: str, site_name: str) -> FeedSpec:
    """A feed that had posts in an earlier build and has none now, named
    from its file alone (the tag or series it was for is gone, its slug is
    what is left); its page is the home page, since its own is gone too."""
    kind, _, slug = base.partition("/")
    what = {"tag": f"tag {slug}", "series": f"series {slug}"}.get(kind, base) if slug else base
    return FeedSpec(base, f"{site_name}: {what}" if base else site_name,
                    "No posts any more: this feed is kept so that subscribers are not sent an error", (),
                    urls.listing_file("", 1), retired=True)


def feed_specs(site: Site, site_name: str, slugify: urls.Slugify) -> list[FeedSpec]:
    """Every feed of the site: the whole site, each path at every level
    (holding its descendants' posts too), each tag and each series. Only
    published posts: a drafts preview shows its drafts on pages only."""
    specs = [FeedSpec("", site_name, f"All posts of {site_name}", site.timeline,
                      urls.listing_file("", 1))]
    for path, keys in site.paths.items():
        specs.append(FeedSpec(path, f"{site_name}: {path}", f"Posts in /{path} and below", keys,
                              urls.listing_file(path, 1)))
    for tag, keys in site.tags.items():
        slug = slugify(tag)
        specs.append(FeedSpec(urls.tag_base(slug), f"{site_name}: tag {tag}", f"Posts tagged {tag}",
                              keys, urls.tag_file(slug)))
    for name, keys in site.series.items():
        slug = slugify(name)
        # The only index kept in another order (the parts'), and a short one.
        newest = tuple(post.key for post in newest_first(site.lookup(keys)))
        specs.append(FeedSpec(urls.series_base(slug), f"{site_name}: series {name}",
                              f"Posts of the series {name}", newest, urls.series_file(slug)))
    if site.drafts:
        specs = [dataclasses.replace(spec, keys=tuple(key for key in spec.keys if key not in site.drafts))
                 for spec in specs]
    return specs


def feed_titles(specs: list[FeedSpec]) -> dict[str, str]:
    """Feed base to title, for the autodiscovery links in the templates."""
    return {spec.base: spec.title for spec in specs}


def entry_id(post: Post, siteurl: str) -> str:
    """The id of a post in every format (Atom id, RSS guid, JSON Feed id):
    ``tag:blog.example.org,2014-08-14:openstack/juno/db2-support``.

    A ``tag:`` URI (RFC 4151) from the site's host, the day of the post's
    ``Date:`` and its key. It does not depend on the title or the body, nor
    on the scheme, port or folder of ``SITEURL``, so moving the blog from
    http to https does not show every post twice on a planet, as a permalink
    guid would. The day is the one the
    author wrote, before any conversion to UTC, so a change of ``TIMEZONE``
    keeps it. What does make it a new entry: a new path, slug or host (all
    of which move the permalink too) or a ``Date:`` moved to another day.
    """
    host = (urlsplit(siteurl).hostname or "localhost").encode("idna").decode("ascii")
    return f"tag:{host},{post.date.date().isoformat()}:{quote(post.key)}"


def comment_id(post: Post, anchor: str, siteurl: str) -> str:
    """A comment's RSS guid: its post's id and its anchor (RFC 4151 allows
    a fragment), as lasting as the post's."""
    return f"{entry_id(post, siteurl)}#{quote(anchor)}"


def updated(post: Post) -> datetime.datetime:
    """When a post last changed: its ``Modified:`` line, else its ``Date:``."""
    return post.modified or post.date


def last_change(site: Site) -> datetime.datetime:
    """When anything on the site last changed: the date of a feed with no
    entries (the comments feed before the first comment, a retired feed),
    which has none of its own."""
    dates = [updated(post) for post in site.posts.values()]
    dates += [comment.date for thread in site.comments.values() for comment in thread]
    return max(dates, default=NOTHING_YET)


class _AtomInRss(BaseExtension):
    """The WebSub hub as an ``atom:link`` in an RSS channel (RSS has no
    element for it; feedgen writes only the self link there)."""

    hub: str | None = None

    def extend_rss(self, rss: Any) -> Any:
        if self.hub:
            etree.SubElement(rss.find("channel"), f"{{{ATOM_NAMESPACE}}}link", href=self.hub, rel="hub")
        return rss


class _AtomInRssItem(BaseEntryExtension):
    """An RSS item's updated date as ``atom:updated`` (RSS has only
    ``pubDate``; ``dc:date`` beside it is the same date twice to validators),
    so a ``Modified:`` line reaches RSS readers too."""

    updated: datetime.datetime | None = None

    def extend_rss(self, item: Any) -> Any:
        if self.updated:
            etree.SubElement(item, f"{{{ATOM_NAMESPACE}}}updated").text = self.updated.isoformat()
        return item


def _images(settings: Mapping[str, Any], links: urls.Links) -> tuple[str, str]:
    """The feeds' icon and logo, absolute: the settings', or the site's icon."""
    icon, logo = settings.get("FEED_ICON"), settings.get("FEED_LOGO")
    return (links.image(icon) if icon else links.favicon()), (links.image(logo) if logo else links.favicon())


def _channel(kind: str, title: str, description: str, self_url: str, feed_id: str, page_url: str,
             settings: Mapping[str, Any], links: urls.Links, newest: datetime.datetime) -> FeedGenerator:
    """A fresh generator (feedgen keeps state) with a feed's own elements;
    ``newest`` is the time of its newest entry, never the clock."""
    fg = FeedGenerator()
    hub = settings.get("WEBSUB_HUB")
    if kind == "rss":
        # RSS's own <author> must be an e-mail address; dc:creator carries a name.
        fg.load_extension("dc", atom=False, rss=True)
        fg.register_extension("midcycle", _AtomInRss, _AtomInRssItem, atom=False, rss=True)
        fg.midcycle.hub = hub
    fg.id(feed_id)
    fg.title(title)
    fg.subtitle(description)
    # Self first: RSS's <link> is the last link given, the HTML page.
    fg.link(href=self_url, rel="self", type=MEDIA_TYPES[kind])
    if hub:
        fg.link(href=hub, rel="hub")  # written in Atom only; _AtomInRss does RSS
    fg.link(href=page_url, rel="alternate", type="text/html")
    fg.author(name=settings.get("AUTHOR") or settings["SITENAME"])
    fg.language(settings.get("DEFAULT_LANG") or "en")
    fg.generator(GENERATOR)
    fg.updated(newest)
    icon, logo = _images(settings, links)
    if kind == "atom":
        if icon:
            fg.icon(icon)
        if logo:
            fg.logo(logo)
    elif logo and urlsplit(logo).path.lower().endswith(RSS_IMAGE_SUFFIXES):
        fg.image(logo)
    return fg


def _serialize(fg: FeedGenerator, kind: str) -> bytes:
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def _rfc3339(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"a feed date needs a timezone: {moment}")
    return moment.isoformat()


def json_feed(spec: FeedSpec, posts: list[Post], links: urls.Links, settings: Mapping[str, Any]) -> bytes:
    """One feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the
    same entries, ids, summaries and dates as its RSS and Atom twins."""
    icon, _logo = _images(settings, links)
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": spec.title,
        "home_page_url": links.file(spec.page),
        "feed_url": links.feed(spec.base, "json"),
        "description": spec.description,
    }
    if icon:
        feed["icon"] = feed["favicon"] = icon
    feed["authors"] = [{"name": settings.get("AUTHOR") or settings["SITENAME"]}]
    feed["language"] = settings.get("DEFAULT_LANG") or "en"
    if spec.retired:
        feed["expired"] = True  # the specification's word for "will not be updated again"
    if settings.get("WEBSUB_HUB"):
        feed["hubs"] = [{"type": "WebSub", "url": settings["WEBSUB_HUB"]}]
    items = []
    for post in posts:
        item: dict[str, Any] = {"id": entry_id(post, links.siteurl), "url": links.post(post), "title": post.title,
                                "content_html": post.body}
        if post.summary:
            item["summary"] = post.summary
        item["date_published"] = _rfc3339(post.date)
        item["date_modified"] = _rfc3339(updated(post))
        if post.tags:
            item["tags"] = list(post.tags)
        if post.author:
            item["authors"] = [{"name": post.author}]
        items.append(item)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def feed_bytes(spec: FeedSpec, posts: list[Post], kind: str, links: urls.Links,
               settings: Mapping[str, Any], empty_date: datetime.datetime = NOTHING_YET) -> bytes:
    """One feed in one format; ``empty_date`` dates it if it has no posts
    (see :func:`last_change`)."""
    if kind == "json":
        return json_feed(spec, posts, links, settings)
    # A feed's own id is its Atom URL, a promise kept as long as the URL scheme.
    fg = _channel(kind, spec.title, spec.description, links.feed(spec.base, kind),
                  links.feed(spec.base, "atom"), links.file(spec.page), settings, links,
                  max((updated(post) for post in posts), default=empty_date))
    for post in posts:
        permalink = links.post(post)
        entry = fg.add_entry(order="append")
        # feedgen's id() and guid() each set both; each generator is one format.
        if kind == "rss":
            entry.guid(entry_id(post, links.siteurl), permalink=False)
        else:
            entry.id(entry_id(post, links.siteurl))
        entry.title(post.title)
        entry.link(href=permalink, rel="alternate", type="text/html")
        entry.published(post.date)
        entry.updated(updated(post))
        # RSS: the summary in <description> (HTML, so the text is escaped),
        # the post in <content:encoded>; an item needs a description before
        # its content, so a post without a paragraph of text gives its title.
        # Atom: <summary> (text) only if there is one, the post in <content>.
        entry.content(post.body, type="html")
        if kind == "rss":
            entry.description(html.escape(post.summary or post.title), isSummary=True)
            entry.midcycle.updated = updated(post)
        elif post.summary:
            entry.summary(post.summary)
        for tag in post.tags:
            entry.category(term=tag)
        if post.author:
            entry.author(name=post.author)
            if kind == "rss":
                entry.dc.dc_creator(post.author)
    return _serialize(fg, kind)


def comment_title(comment: Comment, post: Post) -> str:
    """``"Jane Doe on Juno meetup summary: DB2 support"``: who, and where."""
    return f"{comment.author} on {post.title}"


def comments_feed(comments: list[Comment], site: Site, settings: Mapping[str, Any], links: urls.Links) -> bytes:
    """``comments/index.rss``: the given comments, newest first; valid (and
    empty, dated by the site's last change) when there are none, since every
    page links to it. The guid depends only on the post's id and the file's
    name."""
    name = settings["SITENAME"]
    fg = _channel("rss", f"{name}: comments", f"Comments on the posts of {name}", links.comments_feed(),
                  links.comments_feed(), links.comments(), settings, links,
                  max((comment.date for comment in comments), default=last_change(site)))
    for comment in comments:
        post = site.posts[comment.post]
        url = links.comment(post, comment.anchor)
        entry = fg.add_entry(order="append")
        entry.guid(comment_id(post, comment.anchor, links.siteurl), permalink=False)
        entry.title(comment_title(comment, post))
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(comment.date)
        entry.updated(comment.date)
        entry.content(comment.body, type="html")
        entry.dc.dc_creator(comment.author)
    return _serialize(fg, "rss")


def render_comments_feed(site: Site, settings: Mapping[str, Any], links: urls.Links,
                         env: str = "") -> Iterator[Output]:
    """The newest ``FEED_MAX_ITEMS`` comments of the whole site."""
    comments = [comment for comment in newest_comments(site.comments)
                if comment.post not in site.drafts][: settings["FEED_MAX_ITEMS"]]
    titles = [site.posts[comment.post].title for comment in comments]
    # A post's date and path make its comments' ids.
    posts = [site.digests[comment.post] for comment in comments]
    yield Output(urls.COMMENTS_FEED_FILE, partial(comments_feed, comments, site, settings, links),
                 "comments feed", digest(env, "comments feed", comments, titles, posts,
                                         None if comments else last_change(site)))


def feed_posts(spec: FeedSpec, site: Site, settings: Mapping[str, Any]) -> list[Post]:
    """The newest ``FEED_MAX_ITEMS`` posts of a feed, newest first."""
    return site.lookup(spec.keys[: settings["FEED_MAX_ITEMS"]])


def render_feeds(site: Site, specs: Iterable[FeedSpec], settings: Mapping[str, Any], links: urls.Links,
                 env: str = "") -> Iterator[Output]:
    """Every format of every feed in ``specs`` (see :func:`feed_specs` and
    :func:`retired_spec`)."""
    empty_date = last_change(site)
    for spec in specs:
        posts = feed_posts(spec, site, settings)
        # The spec's fields but its keys only through the posts shown.
        shown = digest(env, spec.base, spec.title, spec.description, spec.page, spec.retired,
                       [site.digests[post.key] for post in posts] if posts else empty_date)
        for kind in KINDS:
            yield Output(urls.feed_file(spec.base, kind),
                         partial(feed_bytes, spec, posts, kind, links, settings, empty_date),
                         f"{kind} feed {spec.title!r}", digest(shown, kind))
