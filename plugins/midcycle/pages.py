"""HTML pages: listings, post pages, the tag index, the series pages, the
recent comments, the pages from ``content/pages/`` (About...), the archive,
feeds, search and "not found" pages, and what tells search engines about
them (``sitemap.xml``, ``robots.txt``).

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
``site`` global, are covered by the writer (see templating.py). Every
page's header shows the top-level paths, so they join every page's digest
(:func:`render_pages`): only adding or removing a top-level path re-renders
every page.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from . import urls
from .comments import newest_comments
from .dates import period_title
from .model import Page, Post, Site
from .series import series_position
from .digests import digest, texts_digest
from .feeds import KINDS, FeedSpec, updated
from .navigation import archive_years, date_neighbours, path_children
from .sitemap import Entry, robots_txt, sitemap_index, sitemap_parts, urlset
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


def block_digest(site: Site, key: str, related_as_links: bool = False) -> str:
    """A digest of all a template can show of the post ``key``: the post
    itself, its related posts and its comments. With ``related_as_links``
    (no template but midcycle's own shows related posts, and those show
    each as a link with its title) a related post counts by its link and
    title only: editing a post's body then re-renders no page that merely
    names it."""
    related = site.related.get(key, ())
    if related_as_links:  # the key says the path and the slug
        shown = [text for other in related for text in (other, site.posts[other].title)]
    else:
        shown = [site.digests[other] for other in related]
    comments = site.comments.get(key)
    return texts_digest([site.digests[key], repr(comments) if comments else "", "draft" if key in site.drafts else "",
                         *shown])


class BlockDigests(dict[str, str]):
    """Every post's :func:`block_digest`, each taken when first asked for:
    a page can be rendered before all of them are known."""

    def __init__(self, site: Site, related_as_links: bool = False):
        super().__init__()
        self.site, self.related_as_links = site, related_as_links

    def __missing__(self, key: str) -> str:
        value = self[key] = block_digest(self.site, key, self.related_as_links)
        return value

    def complete(self) -> dict[str, str]:
        """All of them, in the order of the site's posts."""
        return {key: self[key] for key in self.site.posts}


def block_digests(site: Site, related_as_links: bool = False) -> dict[str, str]:
    """:func:`block_digest` of every post, by key."""
    return BlockDigests(site, related_as_links).complete()


class ListingPage(NamedTuple):
    """One page of a listing: its number, its file, its posts and its neighbours' files."""

    number: int
    file: str
    keys: Sequence[str]
    older: str | None
    newer: str | None


def listing_pages(listing: Listing, per_page: int) -> list[ListingPage]:
    pages = paginate(listing.keys, per_page)
    files = [listing.file(number) for number in range(1, len(pages) + 1)]
    return [ListingPage(number, files[number - 1], keys, files[number] if number < len(pages) else None,
                        files[number - 2] if number > 1 else None)
            for number, keys in enumerate(pages, start=1)]


#: Every listing with its pages, as :func:`paged_listings` gives them.
Paged = Sequence[tuple[Listing, list[ListingPage]]]


def paged_listings(site: Site, settings: dict, slugify: urls.Slugify) -> Paged:
    """Every listing of the site with its pages: worked out once per build
    for the pages themselves and the sitemap (28,000 pages at 10,000
    posts: a tenth of a second each time)."""
    most = per_page(site, settings)
    return [(listing, listing_pages(listing, most)) for listing in listings(site, settings["SITENAME"], slugify)]


def render_listing_page(render: Render, listing: Listing, site: Site, page: ListingPage,
                        children: tuple[str, ...]) -> bytes:
    return render(listing.kind, listing=listing, days=group_by_day(site.lookup(page.keys)), page=page.number,
                  older=page.older, newer=page.newer, children=children, page_file=page.file)


def render_listing(listing: Listing, pages: list[ListingPage], site: Site, render: Render,
                   fingerprint: Fingerprint, blocks: dict[str, str], children: tuple[str, ...] = ()) -> Iterator[Output]:
    """The pages of one listing; ``children``: the paths a path's pages lead on to."""
    source = f"{listing.kind} listing {listing.title!r}"
    # The listing's fields but not all its keys: only each page's posts show
    # (by their block digests, which are all as long, so they can be joined).
    shown = digest(fingerprint(listing.kind, "includes/listed_post"), listing.kind, listing.name, listing.title,
                   listing.base, listing.feed_base, children)
    for page in pages:
        yield Output(page.file, partial(render_listing_page, render, listing, site, page, children), source,
                     digest(shown, page.number, page.older, page.newer, "".join(map(blocks.__getitem__, page.keys))))


def render_posts(site: Site, render: Render, fingerprint: Fingerprint, blocks: dict[str, str],
                 keys: Iterable[str] | None = None) -> Iterator[Output]:
    """Each post's own page (or only those of ``keys``): its block, its
    series box, the older and newer post by date, and its comments."""
    env = fingerprint("article")
    by_date = date_neighbours(site.timeline)
    for key in site.posts if keys is None else keys:
        post = site.posts[key]
        position = series_position(site.series, post)
        previous_part = site.posts[position.previous] if position and position.previous else None
        next_part = site.posts[position.next] if position and position.next else None
        older, newer = (site.posts[other] if other else None for other in (by_date[key].older, by_date[key].newer))
        shown = [other for other in (previous_part, next_part, older, newer) if other]
        file = urls.post_file(post.path, post.slug)
        yield Output(file,
                     partial(render, "article", post=post, position=position, previous_part=previous_part,
                             next_part=next_part, older=older, newer=newer, page_file=file),
                     post.source,
                     digest(env, blocks[key], position, [(other.key, blocks[other.key]) for other in shown]))


def render_tag_index(site: Site, render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    counts = [(tag, len(keys)) for tag, keys in site.tags.items()]
    yield Output(urls.TAG_INDEX_FILE, partial(render, "tags", tags=counts, page_file=urls.TAG_INDEX_FILE),
                 "tag index", digest(fingerprint("tags"), counts))


def render_series(site: Site, slugify: urls.Slugify, render: Render, fingerprint: Fingerprint,
                  blocks: dict[str, str]) -> Iterator[Output]:
    """Each series' chronological list, part 1 first."""
    env = fingerprint("series")
    for name, keys in site.series.items():
        slug = slugify(name)
        posts = site.lookup(keys)
        yield Output(
            urls.series_file(slug),
            partial(render, "series", series_name=name, posts=posts, feed_base=urls.series_base(slug),
                    page_file=urls.series_file(slug)),
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
    yield Output(urls.SERIES_INDEX_FILE, partial(render, "series_index", series=entries,
                                                 page_file=urls.SERIES_INDEX_FILE),
                 "series index", digest(fingerprint("series_index"), entries))


def render_recent_comments(site: Site, most: int, render: Render, fingerprint: Fingerprint,
                           blocks: dict[str, str]) -> Iterator[Output]:
    """The newest comments of the whole site, newest first, each with its
    post. Written even with no comments at all: every page's byline links to it."""
    comments = [(comment, site.posts[comment.post]) for comment in newest_comments(site.comments)[:most]]
    yield Output(urls.COMMENTS_INDEX_FILE, partial(render, "comments", comments=comments,
                                                   page_file=urls.COMMENTS_INDEX_FILE),
                 "recent comments",
                 digest(fingerprint("comments"), [(comment, blocks[post.key]) for comment, post in comments]))


def render_archives(site: Site, render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    """Every year and month with its number of posts, each leading to its
    page (and the day headers on those pages to each day's)."""
    years = archive_years(site.archives)
    yield Output(urls.ARCHIVES_FILE, partial(render, "archives", years=years, page_file=urls.ARCHIVES_FILE),
                 "archives", digest(fingerprint("archives"), years))


def feed_sections(specs: Sequence[FeedSpec]) -> list[tuple[str, list[FeedSpec]]]:
    """The feeds grouped as the feeds page shows them: the whole site,
    paths, tags, series (in the order given); empty groups left out."""
    groups: dict[str, list[FeedSpec]] = {"The whole site": [], "Paths": [], "Tags": [], "Series": []}
    for spec in specs:
        if not spec.base:
            groups["The whole site"].append(spec)
        elif spec.base.startswith(urls.tag_base("")):
            groups["Tags"].append(spec)
        elif spec.base.startswith(urls.series_base("")):
            groups["Series"].append(spec)
        else:
            groups["Paths"].append(spec)
    return [(heading, group) for heading, group in groups.items() if group]


def render_feeds_page(specs: Sequence[FeedSpec], render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    """Every feed of the site in every format, for people choosing what to
    follow; the formats come from feeds.KINDS, so a new one shows up here
    by itself."""
    sections = feed_sections(specs)
    shown = [(heading, [(spec.base, spec.title, spec.page) for spec in group]) for heading, group in sections]
    yield Output(urls.FEEDS_PAGE_FILE, partial(render, "feeds", sections=sections, kinds=KINDS,
                                               page_file=urls.FEEDS_PAGE_FILE),
                 "feeds page", digest(fingerprint("feeds"), shown, KINDS))


def render_fixed_pages(render: Render, fingerprint: Fingerprint, search_bundle: str | None) -> Iterator[Output]:
    """Pages that show little but what every page shows: search (pointing
    its script to the index, if the build made one) and "not found" (which
    a web server sends for any missing URL, so its links are absolute)."""
    yield Output(urls.SEARCH_FILE, partial(render, "search", page_file=urls.SEARCH_FILE, bundle=search_bundle),
                 "search page", digest(fingerprint("search"), search_bundle))
    yield Output(urls.NOT_FOUND_FILE, partial(render, "404"), "not found page", digest(fingerprint("404")))


def sitemap_entries(site: Site, paged: Paged, slugify: urls.Slugify, pages: Sequence[Page] = ()
                    ) -> Iterator[Entry]:
    """Every post, listing page and listed page (About...) with when what
    it shows last changed (a page has no date); the pages listing all tags,
    series, feeds or years change with the newest post. Search and "not
    found" show no content of their own; a hidden page is hidden here too."""
    stamps = {key: updated(post) for key, post in site.posts.items()}

    def newest(keys: Iterable[str]) -> datetime.datetime | None:
        return max(map(stamps.__getitem__, keys), default=None)

    for page in pages:
        if page.listed:
            yield urls.page_file(page.slug), None
    for post in site.posts.values():
        yield urls.post_file(post.path, post.slug), stamps[post.key]
    for _listing, numbered in paged:
        for page in numbered:
            yield page.file, newest(page.keys)
    for name, keys in site.series.items():
        yield urls.series_file(slugify(name)), newest(keys)
    latest = newest(site.timeline)
    for file in (urls.TAG_INDEX_FILE, urls.SERIES_INDEX_FILE, urls.ARCHIVES_FILE, urls.FEEDS_PAGE_FILE):
        yield file, latest
    comments = newest_comments(site.comments)
    yield urls.COMMENTS_INDEX_FILE, comments[0].date if comments else latest


def render_sitemap(site: Site, paged: Paged, slugify: urls.Slugify, links: urls.Links,
                   fingerprint: str = "", pages: Sequence[Page] = ()) -> Iterator[Output]:
    """``sitemap.xml`` (split when too long) and ``robots.txt`` naming it;
    ``paged``: the listings and their pages."""
    parts = sitemap_parts(sitemap_entries(site, paged, slugify, pages))
    for name, entries in parts.items():
        yield Output(name, partial(urlset, entries, links.file), "sitemap",
                     digest(fingerprint, "sitemap", name, entries))
    if urls.SITEMAP_FILE not in parts:
        yield Output(urls.SITEMAP_FILE, partial(sitemap_index, parts, links.file), "sitemap index",
                     digest(fingerprint, "sitemap index", parts))
    yield Output(urls.ROBOTS_FILE, partial(robots_txt, links.sitemap()), "robots.txt", digest(fingerprint, "robots"))


def per_page(site: Site, settings: dict) -> int:
    """Posts per listing page; Pelican's own setting, where False means
    every listing on one page."""
    return settings["DEFAULT_PAGINATION"] or max(len(site.posts), 1)


def render_standalone_pages(pages: Sequence[Page], render: Render, fingerprint: Fingerprint) -> Iterator[Output]:
    """Each page from ``content/pages/`` at ``/{slug}.html``: the page is
    all it shows besides what every page shows (the navigation, which is in
    ``fingerprint``)."""
    env = fingerprint("page")
    for page in pages:
        file = urls.page_file(page.slug)
        yield Output(file, partial(render, "page", page=page, page_file=file), page.source, digest(env, page))


def render_pages(site: Site, paged: Paged, settings: dict, slugify: urls.Slugify, render: Render,
                 fingerprint: Fingerprint = lambda *names: "", pages: Sequence[Page] = (),
                 blocks: dict[str, str] | None = None, specs: Sequence[FeedSpec] = (),
                 search_bundle: str | None = None) -> Iterator[Output]:
    """Every page of the site; ``paged``: the listings and their pages (see
    :func:`paged_listings`); ``fingerprint`` covers what every page shows
    (the navigation: pages and top-level paths); ``blocks`` are the
    :func:`block_digests`, if the caller has them; ``specs`` are the feeds
    (for the feeds page) and ``search_bundle`` the URL of the search
    index's script, if the build makes an index."""
    blocks = block_digests(site) if blocks is None else blocks
    yield from render_posts(site, render, fingerprint, blocks)
    below = path_children(site.paths)
    for listing, numbered in paged:
        yield from render_listing(listing, numbered, site, render, fingerprint, blocks,
                                  below.get(listing.name, ()) if listing.kind == "path" else ())
    yield from render_tag_index(site, render, fingerprint)
    yield from render_series(site, slugify, render, fingerprint, blocks)
    yield from render_series_index(site, render, fingerprint)
    yield from render_recent_comments(site, settings["RECENT_COMMENTS_MAX"], render, fingerprint, blocks)
    yield from render_standalone_pages(pages, render, fingerprint)
    yield from render_archives(site, render, fingerprint)
    yield from render_feeds_page(specs, render, fingerprint)
    yield from render_fixed_pages(render, fingerprint, search_bundle)
