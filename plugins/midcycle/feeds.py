"""RSS 2.0 and Atom 1.0 feeds for the site, every path, every tag and every
series, and the RSS feed of all comments.

Feed readers and planet aggregators poll these files and never forgive: a
relative link shows up broken on the planet, a changed id shows a post twice,
a feed that does not parse drops the blog. So:

- feed kinds are data (:class:`FeedSpec`), all rendered by one function;
- every URL comes from :class:`~midcycle.urls.Links` and is absolute (post
  bodies were made absolute against their permalink when loaded);
- ids depend only on where a post lives, never on its title or body;
- nothing depends on the clock or the feedgen version, so an unchanged site
  gives byte-identical feeds and the guarded writer leaves them untouched.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator

from . import urls
from .comments import newest_comments
from .model import Comment, Post, Site, newest_first
from .digests import digest
from .write import Output

KINDS = ("rss", "atom")
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml"}
#: How people call each format, on the feeds page.
KIND_NAMES = {"rss": "RSS", "atom": "Atom"}

#: Named in every feed instead of feedgen's default, which carries feedgen's
#: version: upgrading a library must not change every feed's bytes.
GENERATOR = "midcycle"

#: ``updated`` of a feed with no entries (a site with no posts yet). Any fixed
#: instant will do; ``now()`` would change the bytes on every build.
NO_ENTRIES = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


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
    """The Atom id of a post: ``tag:blog.example.org,2014-08-14:openstack/juno/db2-support``.

    A ``tag:`` URI (RFC 4151) from the site's host, the day of the post's
    ``Date:`` and its key. It does not depend on the title or the body, nor
    on the scheme, port or folder of ``SITEURL``, so moving the blog from
    http to https does not show every post twice on a planet (the RSS guid,
    which must be the permalink, cannot offer that). The day is the one the
    author wrote, before any conversion to UTC, so a change of ``TIMEZONE``
    keeps it. What does make it a new entry: a new path, slug or host (all
    of which move the permalink too) or a ``Date:`` moved to another day.
    """
    host = (urlsplit(siteurl).hostname or "localhost").encode("idna").decode("ascii")
    return f"tag:{host},{post.date.date().isoformat()}:{quote(post.key)}"


def updated(post: Post) -> datetime.datetime:
    """When a post last changed: its ``Modified:`` line, else its ``Date:``."""
    return post.modified or post.date


def _channel(kind: str, title: str, description: str, self_url: str, feed_id: str, page_url: str,
             settings: Mapping[str, Any], newest: datetime.datetime) -> FeedGenerator:
    """A fresh generator (feedgen keeps state) with a feed's own elements;
    ``newest`` is the time of its newest entry, never the clock."""
    fg = FeedGenerator()
    if kind == "rss":
        # RSS's own <author> must be an e-mail address; dc:creator carries a name.
        fg.load_extension("dc", atom=False, rss=True)
    fg.id(feed_id)
    fg.title(title)
    fg.subtitle(description)
    # Self first: RSS's <link> is the last link given, the HTML page.
    fg.link(href=self_url, rel="self", type=MEDIA_TYPES[kind])
    fg.link(href=page_url, rel="alternate", type="text/html")
    fg.author(name=settings.get("AUTHOR") or settings["SITENAME"])
    fg.language(settings.get("DEFAULT_LANG") or "en")
    fg.generator(GENERATOR)
    fg.updated(newest)
    return fg


def _serialize(fg: FeedGenerator, kind: str) -> bytes:
    return fg.rss_str(pretty=True) if kind == "rss" else fg.atom_str(pretty=True)


def feed_bytes(spec: FeedSpec, posts: list[Post], kind: str, links: urls.Links,
          settings: Mapping[str, Any]) -> bytes:
    """One feed in one format."""
    # A feed's own id is its Atom URL, a promise kept as long as the URL scheme.
    fg = _channel(kind, spec.title, spec.description, links.feed(spec.base, kind),
                  links.feed(spec.base, "atom"), links.file(spec.page), settings,
                  max((updated(post) for post in posts), default=NO_ENTRIES))
    for post in posts:
        permalink = links.post(post)
        entry = fg.add_entry(order="append")
        # feedgen's id() and guid() each set both; each generator is one format.
        if kind == "rss":
            entry.guid(permalink, permalink=True)
        else:
            entry.id(entry_id(post, links.siteurl))
        entry.title(post.title)
        entry.link(href=permalink, rel="alternate", type="text/html")
        entry.published(post.date)
        entry.updated(updated(post))
        entry.content(post.body, type="html")
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
    empty) when there are none, since every page links to it. The guid is the
    comment's place on its post's page, which depends only on the post's
    permalink and the file's name."""
    name = settings["SITENAME"]
    fg = _channel("rss", f"{name}: comments", f"Comments on the posts of {name}", links.comments_feed(),
                  links.comments_feed(), links.comments(), settings,
                  max((comment.date for comment in comments), default=NO_ENTRIES))
    for comment in comments:
        post = site.posts[comment.post]
        url = links.comment(post, comment.anchor)
        entry = fg.add_entry(order="append")
        entry.guid(url, permalink=True)
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
    yield Output(urls.COMMENTS_FEED_FILE, partial(comments_feed, comments, site, settings, links),
                 "comments feed", digest(env, "comments feed", comments, titles))


def feed_posts(spec: FeedSpec, site: Site, settings: Mapping[str, Any]) -> list[Post]:
    """The newest ``FEED_MAX_ITEMS`` posts of a feed, newest first."""
    return site.lookup(spec.keys[: settings["FEED_MAX_ITEMS"]])


def render_feeds(site: Site, specs: list[FeedSpec], settings: Mapping[str, Any], links: urls.Links,
                 env: str = "") -> Iterator[Output]:
    """Both formats of every feed in ``specs`` (see :func:`feed_specs`), and the comments feed."""
    for spec in specs:
        posts = feed_posts(spec, site, settings)
        for kind in KINDS:
            yield Output(urls.feed_file(spec.base, kind), partial(feed_bytes, spec, posts, kind, links, settings),
                         f"{kind} feed {spec.title!r}", digest(env, kind, spec.title, spec.base, [site.digests[post.key] for post in posts]))
    yield from render_comments_feed(site, settings, links, env)
