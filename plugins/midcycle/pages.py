"""HTML pages: listings, post pages, the tag index, the series pages and
the recent comments.

Renderers do no I/O. Each yields :class:`~midcycle.write.Output` values
(file name, a function rendering its bytes, what it was made from, and a
digest of everything the bytes depend on); the writer checks them, renders
only what changed and writes it. Templates are reached through
``render(template_name, **context) -> bytes`` so this module does not care
where the templates come from.

A digest starts with ``env``, the fingerprint of the theme, the plugin and
the settings, and adds the data the template shows. A post block (title,
body, tags, related posts, comment count) is summed up once per post in
:func:`block_digests`; pages showing a post use that sum.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

from . import urls
from .comments import newest_comments
from .dates import period_title
from .model import Post, Site
from .series import series_position
from .digests import digest
from .write import Output

Render = Callable[..., bytes]


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


def block_digests(site: Site) -> dict[str, str]:
    """For each post, a digest of what its block on a listing shows: the post
    itself, its related posts' titles and links, and its comment count."""
    return {
        key: digest(site.digests[key], [(other, site.posts[other].title) for other in site.related.get(key, ())],
                    len(site.comments.get(key, ())))
        for key in site.posts
    }


def render_listing_page(render: Render, listing: Listing, site: Site, keys: Sequence[str], number: int,
                        older: str | None, newer: str | None) -> bytes:
    return render(listing.kind, listing=listing, days=group_by_day(site.lookup(keys)),
                  page=number, older=older, newer=newer)


def render_listing(listing: Listing, site: Site, per_page: int, render: Render,
                   env: str, blocks: dict[str, str]) -> Iterator[Output]:
    pages = paginate(listing.keys, per_page)
    for number, keys in enumerate(pages, start=1):
        older = listing.file(number + 1) if number < len(pages) else None
        newer = listing.file(number - 1) if number > 1 else None
        yield Output(
            listing.file(number),
            partial(render_listing_page, render, listing, site, keys, number, older, newer),
            f"{listing.kind} listing {listing.title!r}",
            # The listing's fields but not all its keys: only this page's posts show.
            digest(env, listing.kind, listing.name, listing.title, listing.base, listing.feed_base,
                   number, older, newer, [blocks[key] for key in keys]),
        )


def render_posts(site: Site, render: Render, env: str, blocks: dict[str, str]) -> Iterator[Output]:
    for key, post in site.posts.items():
        position = series_position(site.series, post)
        neighbours = [site.posts[k].title for k in (position.previous, position.next) if k] if position else []
        yield Output(urls.post_file(post.path, post.slug), partial(render, "article", post=post, position=position), post.source,
                     digest(env, "article", blocks[key], position, neighbours, site.comments.get(key, ())))


def render_tag_index(site: Site, render: Render, env: str) -> Iterator[Output]:
    counts = [(tag, len(keys)) for tag, keys in site.tags.items()]
    yield Output(urls.TAG_INDEX_FILE, partial(render, "tags", tags=counts), "tag index", digest(env, "tags", counts))


def render_series(site: Site, slugify: urls.Slugify, render: Render, env: str) -> Iterator[Output]:
    """Each series' chronological list, part 1 first."""
    for name, keys in site.series.items():
        slug = slugify(name)
        posts = site.lookup(keys)
        yield Output(
            urls.series_file(slug),
            partial(render, "series", series_name=name, posts=posts, feed_base=urls.series_base(slug)),
            f"series {name!r}",
            digest(env, "series", name, [site.digests[key] for key in keys]),
        )


def render_series_index(site: Site, render: Render, env: str) -> Iterator[Output]:
    """Every series with its number of posts and the dates of its oldest and
    newest post (not of parts 1 and n: an explicit part may be out of date order)."""
    entries = []
    for name, keys in site.series.items():
        days = sorted(post.date.date() for post in site.lookup(keys))
        entries.append((name, len(keys), days[0], days[-1]))
    yield Output(urls.SERIES_INDEX_FILE, partial(render, "series_index", series=entries), "series index",
                 digest(env, "series_index", entries))


def render_recent_comments(site: Site, most: int, render: Render, env: str) -> Iterator[Output]:
    """The newest comments of the whole site, newest first. Written even
    with no comments at all: every page's byline links to it."""
    comments = newest_comments(site.comments)[:most]
    titles = [site.posts[comment.post].title for comment in comments]
    yield Output(urls.COMMENTS_INDEX_FILE, partial(render, "comments", comments=comments), "recent comments",
                 digest(env, "comments", comments, titles))


def render_pages(site: Site, settings: dict, slugify: urls.Slugify, render: Render,
                 env: str = "") -> Iterator[Output]:
    per_page = settings["DEFAULT_PAGINATION"]
    blocks = block_digests(site)
    yield from render_posts(site, render, env, blocks)
    for listing in listings(site, settings["SITENAME"], slugify):
        yield from render_listing(listing, site, per_page, render, env, blocks)
    yield from render_tag_index(site, render, env)
    yield from render_series(site, slugify, render, env)
    yield from render_series_index(site, render, env)
    yield from render_recent_comments(site, settings["RECENT_COMMENTS_MAX"], render, env)
