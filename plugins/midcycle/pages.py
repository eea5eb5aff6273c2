"""HTML pages: listings, post pages, the tag index, the series pages and
the recent comments.

Renderers do no I/O. Each yields :class:`~midcycle.write.Output` values
(file name, bytes, what it was made from); the writer checks and writes them.
Templates are reached through ``render(template_name, **context) -> bytes`` so
this module does not care where the templates come from.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from . import urls
from .comments import newest_comments
from .dates import period_title
from .model import Post, Site
from .write import Output

Render = Callable[..., str]


@dataclass(frozen=True, slots=True)
class Listing:
    """A paginated list of full posts: the home page, a path, a tag, a period."""

    kind: str
    """``"index"``, ``"path"``, ``"tag"`` or ``"period_archives"``: the template."""
    name: str
    """The path, tag or period shown; the site name on the home page."""
    title: str
    base: str
    """Folder of the listing's files; see :func:`midcycle.urls.listing_file`."""
    keys: tuple[str, ...]
    first: str | None = None
    feed_base: str | None = None
    """Base name of the listing's own feeds, if it has any."""

    def file(self, page: int) -> str:
        return urls.listing_file(self.base, page, self.first)


def listings(site: Site, site_name: str, slugify: urls.Slugify) -> Iterator[Listing]:
    yield Listing("index", site_name, site_name, "", site.timeline, feed_base="")
    for path, keys in site.paths.items():
        yield Listing("path", path, f"/{path}", path, keys, feed_base=path)
    for tag, keys in site.tags.items():
        slug = slugify(tag)
        yield Listing("tag", tag, f"tag {tag}", urls.tag_base(slug), keys,
                      first=urls.tag_file(slug), feed_base=urls.tag_base(slug))
    for period, keys in site.archives.items():
        title = period_title(period)
        yield Listing("period_archives", title, title, urls.archive_base(period), keys)


def paginate(keys: Sequence[str], per_page: int) -> list[Sequence[str]]:
    """Split keys into pages of ``per_page``; an empty listing has one empty page."""
    if not keys:
        return [()]
    return [keys[i : i + per_page] for i in range(0, len(keys), per_page)]


def group_by_day(posts: Sequence[Post]) -> list[tuple[datetime.date, list[Post]]]:
    """Consecutive posts of the same local day, under that day."""
    return [(day, list(group)) for day, group in itertools.groupby(posts, key=lambda p: p.date.date())]


def render_listing(listing: Listing, site: Site, per_page: int, render: Render) -> Iterator[Output]:
    pages = paginate(listing.keys, per_page)
    for number, keys in enumerate(pages, start=1):
        yield Output(
            listing.file(number),
            render(
                listing.kind,
                listing=listing,
                days=group_by_day(site.lookup(keys)),
                page=number,
                older=listing.file(number + 1) if number < len(pages) else None,
                newer=listing.file(number - 1) if number > 1 else None,
            ),
            f"{listing.kind} listing {listing.title!r}",
        )


def render_posts(site: Site, render: Render) -> Iterator[Output]:
    for post in site.posts.values():
        yield Output(urls.post_file(post.path, post.slug), render("article", post=post), post.source)


def render_tag_index(site: Site, render: Render) -> Iterator[Output]:
    counts = [(tag, len(keys)) for tag, keys in site.tags.items()]
    yield Output(urls.TAG_INDEX_FILE, render("tags", tags=counts), "tag index")


def render_series(site: Site, slugify: urls.Slugify, render: Render) -> Iterator[Output]:
    """Each series' chronological list, part 1 first."""
    for name, keys in site.series.items():
        slug = slugify(name)
        yield Output(
            urls.series_file(slug),
            render("series", series_name=name, posts=site.lookup(keys), feed_base=urls.series_base(slug)),
            f"series {name!r}",
        )


def render_series_index(site: Site, render: Render) -> Iterator[Output]:
    """Every series with its number of posts and the dates of its oldest and
    newest post (not of parts 1 and n: an explicit part may be out of date order)."""
    entries = []
    for name, keys in site.series.items():
        days = sorted(post.date.date() for post in site.lookup(keys))
        entries.append((name, len(keys), days[0], days[-1]))
    yield Output(urls.SERIES_INDEX_FILE, render("series_index", series=entries), "series index")


def render_recent_comments(site: Site, most: int, render: Render) -> Iterator[Output]:
    """The newest comments of the whole site, newest first. Written even
    with no comments at all: every page's byline links to it."""
    yield Output(urls.COMMENTS_INDEX_FILE, render("comments", comments=newest_comments(site.comments)[:most]),
                 "recent comments")


def render_pages(site: Site, settings: dict, slugify: urls.Slugify, render: Render) -> Iterator[Output]:
    per_page = settings["DEFAULT_PAGINATION"]
    yield from render_posts(site, render)
    for listing in listings(site, settings["SITENAME"], slugify):
        yield from render_listing(listing, site, per_page, render)
    yield from render_tag_index(site, render)
    yield from render_series(site, slugify, render)
    yield from render_series_index(site, render)
    yield from render_recent_comments(site, settings["RECENT_COMMENTS_MAX"], render)
