"""HTML pages: listings, post pages, the tag index, the series pages, the
recent comments and the pages from ``content/pages/`` (About...).

Renderers do no I/O. Each yields :class:`~midcycle.write.Output` values
(file name, a function rendering its bytes, what it was made from, and a
digest of everything the bytes depend on); the writer checks them, renders
only what changed and writes it. Templates are reached through
``render(template_name, **context) -> bytes`` so this module does not care
where the templates come from.

A digest starts with ``fingerprint(template names)``, the render
fingerprint and that of the templates the page is rendered with (see
fingerprint.py), and adds the data the template shows. Every post a page is
given is summed up by its block digest (:func:`block_digests`: the post,
its related posts, its comments), so whatever a template shows of it, an
edit re-renders the page. Templates that look further, through the
``site`` global, are covered by the writer (see templating.py).
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
from .model import Page, Post, Site
from .series import series_position
from .digests import digest
from .write import Output

Render = Callable[..., bytes]
#: The digest a page's digest starts with, given its templates' names.
Fingerprint = Callable[..., str]


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
    """For each post, a digest of all a template can show of it: the post
    itself, its related posts and its comments."""
    return {
        key: digest(site.digests[key], [site.digests[other] for other in site.related.get(key, ())],
                    site.comments.get(key, ()), key in site.drafts)
        for key in site.posts
    }


def render_listing_page(render: Render, listing: Listing, site: Site, keys: Sequence[str], number: int,
                        older: str | None, newer: str | None) -> bytes:
    return render(listing.kind, listing=listing, days=group_by_day(site.lookup(keys)),
                  page=number, older=older, newer=newer)


def render_listing(listing: Listing, site: Site, per_page: int, render: Render,
                   fingerprint: Fingerprint, blocks: dict[str, str]) -> Iterator[Output]:
    pages = paginate(listing.keys, per_page)
    for number, keys in enumerate(pages, start=1):
        older = listing.file(number + 1) if number < len(pages) else None
        newer = listing.file(number - 1) if number > 1 else None
        yield Output(
            listing.file(number),
            partial(render_listing_page, render, listing, site, keys, number, older, newer),
            f"{listing.kind} listing {listing.title!r}",
            # The listing's fields but not all its keys: only this page's posts show.
            digest(fingerprint(listing.kind, "includes/listed_post"), listing.kind, listing.name, listing.title,
                   listing.base, listing.feed_base,
                   number, older, newer, [blocks[key] for key in keys]),
        )


def render_posts(site: Site, render: Render, fingerprint: Fingerprint, blocks: dict[str, str]) -> Iterator[Output]:
    env = fingerprint("article")
    for key, post in site.posts.items():
        position = series_position(site.series, post)
        previous_part = site.posts[position.previous] if position and position.previous else None
        next_part = site.posts[position.next] if position and position.next else None
        yield Output(urls.post_file(post.path, post.slug),
                     partial(render, "article", post=post, position=position, previous_part=previous_part,
                             next_part=next_part),
                     post.source,
                     digest(env, blocks[key], position, [blocks[part.key] for part in (previous_part, next_part) if part]))


def render_tag_index(site: Site, render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    counts = [(tag, len(keys)) for tag, keys in site.tags.items()]
    yield Output(urls.TAG_INDEX_FILE, partial(render, "tags", tags=counts), "tag index",
                 digest(fingerprint("tags"), counts))


def render_series(site: Site, slugify: urls.Slugify, render: Render, fingerprint: Fingerprint,
                  blocks: dict[str, str]) -> Iterator[Output]:
    """Each series' chronological list, part 1 first."""
    env = fingerprint("series")
    for name, keys in site.series.items():
        slug = slugify(name)
        posts = site.lookup(keys)
        yield Output(
            urls.series_file(slug),
            partial(render, "series", series_name=name, posts=posts, feed_base=urls.series_base(slug)),
            f"series {name!r}",
            digest(env, name, [blocks[key] for key in keys]),
        )


def render_series_index(site: Site, render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    """Every series with its number of posts and the dates of its oldest and
    newest post (not of parts 1 and n: an explicit part may be out of date order)."""
    entries = []
    for name, keys in site.series.items():
        days = sorted(post.date.date() for post in site.lookup(keys))
        entries.append((name, len(keys), days[0], days[-1]))
    yield Output(urls.SERIES_INDEX_FILE, partial(render, "series_index", series=entries), "series index",
                 digest(fingerprint("series_index"), entries))


def render_recent_comments(site: Site, most: int, render: Render, fingerprint: Fingerprint,
                           blocks: dict[str, str]) -> Iterator[Output]:
    """The newest comments of the whole site, newest first, each with its
    post. Written even with no comments at all: every page's byline links to it."""
    comments = [(comment, site.posts[comment.post]) for comment in newest_comments(site.comments)[:most]]
    yield Output(urls.COMMENTS_INDEX_FILE, partial(render, "comments", comments=comments), "recent comments",
                 digest(fingerprint("comments"), [(comment, blocks[post.key]) for comment, post in comments]))


def render_standalone_pages(pages: Sequence[Page], render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    """Each page from ``content/pages/`` at ``/{slug}.html``: the page is
    all it shows besides what every page shows (the navigation, which is in
    ``fingerprint``)."""
    env = fingerprint("page")
    for page in pages:
        yield Output(urls.page_file(page.slug), partial(render, "page", page=page), page.source, digest(env, page))


def render_pages(site: Site, settings: dict, slugify: urls.Slugify, render: Render,
                 fingerprint: Fingerprint = lambda *names: "", pages: Sequence[Page] = (),
                 blocks: dict[str, str] | None = None) -> Iterator[Output]:
    """Every page of the site; ``blocks`` are the :func:`block_digests`,
    if the caller has them."""
    # Pelican's own setting: False means every listing on one page.
    per_page = settings["DEFAULT_PAGINATION"] or max(len(site.posts), 1)
    blocks = block_digests(site) if blocks is None else blocks
    yield from render_posts(site, render, fingerprint, blocks)
    for listing in listings(site, settings["SITENAME"], slugify):
        yield from render_listing(listing, site, per_page, render, fingerprint, blocks)
    yield from render_tag_index(site, render, fingerprint)
    yield from render_series(site, slugify, render, fingerprint, blocks)
    yield from render_series_index(site, render, fingerprint)
    yield from render_recent_comments(site, settings["RECENT_COMMENTS_MAX"], render, fingerprint, blocks)
    yield from render_standalone_pages(pages, render, fingerprint)
