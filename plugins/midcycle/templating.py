"""What templates are given: the settings, the site model, URLs and a few
functions.

Every page is rendered from one Jinja environment (Pelican's, for the
theme's templates) to which the build adds these globals; the template API
is this module. A page's digest (pages.py) covers everything about the
posts the page is given, so a theme's own template may show any of it. A
template that looks further, through ``site`` (every post, every tag...),
is noted by :class:`RecordingSite`: the writer then adds the digest of the
whole site to that page's digest, so the page is rendered again whenever
any post changes, never left stale. Pelican's own lists (``articles``,
``dates``...) are not given to templates, since nothing would note their use.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, MutableMapping
from typing import Any

from jinja2 import Environment, Template, TemplateError, TemplateSyntaxError
from markupsafe import Markup

from .dates import day_header, period_title, time_of_day
from .feeds import KIND_NAMES, MEDIA_TYPES
from .headings import shift_headings
from .model import Comment, Page, Post, Site
from .navigation import breadcrumb, top_paths
from .summaries import shortened
from .urls import Links

#: Longest meta description: search engines show about this much.
DESCRIPTION_LENGTH = 160


GetTemplate = Callable[[str], Template]


class RecordingSite:
    """The site model as templates see it: every attribute of
    :class:`~midcycle.model.Site`, and a note that a template looked."""

    def __init__(self, site: Site):
        self._site = site
        self.looked = False

    def __getattr__(self, name: str) -> Any:
        self.looked = True
        return getattr(self._site, name)

    def taken(self) -> bool:
        """Whether a template looked since the last call."""
        looked, self.looked = self.looked, False
        return looked


#: Rendered post blocks, by the digest of all they are made from (see
#: :func:`template_globals`), with whether rendering looked at the whole site:
#: a dict, or the store kept between builds (blockstore.py).
Blocks = MutableMapping[str, tuple[Markup, bool]]


def template_globals(get_template: GetTemplate, site: Site, recording: RecordingSite, links: Links,
                     feed_titles: dict[str, str], pages: tuple[Page, ...] = (),
                     blocks: Blocks | None = None, block_digest: Callable[[Post], str] | None = None
                     ) -> dict[str, Any]:
    """The names every template sees besides the settings; ``get_template``
    finds a template by its name without extension; ``pages`` are those the
    navigation lists (every page's digest covers them, see plugin.py).
    ``blocks`` keeps rendered post blocks by ``block_digest(post)``, the
    digest of everything a block is made from, its template included: a
    build renders a block again only when that changed (the dev server
    keeps them in memory, other builds in the cache, see blockstore.py).
    A block whose template looked at the whole site is not kept there: the
    digest does not cover the site, so it lasts this build only."""

    def related_posts(post: Post) -> list[Post]:
        return site.lookup(site.related.get(post.key, ()))

    def comments_on(post: Post) -> tuple[Comment, ...]:
        return site.comments.get(post.key, ())

    def unpublished(post: Post) -> bool:
        """Shown in a drafts preview only: a draft, or dated in the future."""
        return post.key in site.drafts

    blocks = {} if blocks is None else blocks
    looking_blocks: dict[str, tuple[Markup, bool]] = {}  # this build's only
    block_digest = block_digest or (lambda post: post.key)

    def listed_post(post: Post) -> Markup:
        """A post's block on listings, rendered once though it shows on
        its paths', tags' and dates' pages (each page that shows it notes
        whether rendering it looked at the whole site)."""
        looked_before = recording.taken()
        key = block_digest(post)
        found = looking_blocks.get(key) or blocks.get(key)
        if found is None:
            found = Markup(get_template("includes/listed_post").render(post=post)), recording.taken()
            (looking_blocks if found[1] else blocks)[key] = found
        block, looked = found
        recording.looked = looked_before or looked
        return block

    def shifted(body: str, top: int) -> Markup:
        """A post's body with its headings below the title's level."""
        return Markup(shift_headings(body, top))

    def description(item: Post | Page) -> str:
        """A post's or page's meta description: its summary, cut near 160 characters."""
        return shortened(item.summary, DESCRIPTION_LENGTH) or item.title

    return {
        "site": recording,
        "links": links,
        "day_header": day_header,
        "time_of_day": time_of_day,
        "period_title": period_title,
        "shifted": shifted,
        "description": description,
        # Every page's header; pages.py adds them to every page's digest.
        "top_paths": top_paths(site.paths),
        "breadcrumb": breadcrumb,
        "feed_kind_names": KIND_NAMES,
        "feed_media_types": MEDIA_TYPES,
        "related_posts": related_posts,
        "comments_on": comments_on,
        "unpublished": unpublished,
        "listed_post": listed_post,
        "safe_html": Markup,
        # Autodiscovery links name each page's feeds by the feeds' own titles.
        "feed_titles": feed_titles,
        # Pelican's name for the pages its themes list in their menus.
        "pages": pages,
    }


def prepare_environment(env: Environment, get_template: GetTemplate, site: Site, links: Links,
                        feed_titles: dict[str, str], pages: tuple[Page, ...] = (),
                        blocks: Blocks | None = None, block_digest: Callable[[Post], str] | None = None
                        ) -> RecordingSite:
    """Make ``env`` ready to render this build's pages; return the site
    model as templates see it."""
    recording = RecordingSite(site)
    # Whatever the theme's settings say, author text is escaped.
    env.autoescape = True
    # Templates do not change during a build: do not look at their files
    # again for each of thousands of pages.
    env.auto_reload = False
    env.globals.update(template_globals(get_template, site, recording, links, feed_titles, pages, blocks,
                                        block_digest))
    return recording


def template_problem(error: TemplateError, name: str, given: Iterable[str]) -> str:
    """What went wrong rendering the template ``name`` with the names
    ``given``, where (the template file and line, found in the traceback
    Jinja writes in the templates' terms), and what to do: most often a
    theme made for Pelican's pages (whose ``article.html`` expects an
    ``article``) cannot render midcycle's."""
    place = name
    if isinstance(error, TemplateSyntaxError) and error.filename:
        place = f"{error.filename}:{error.lineno}"
    else:
        frames = [frame for frame in traceback.extract_tb(error.__traceback__) if not frame.filename.endswith(".py")]
        if frames:
            place = f"{frames[-1].filename}:{frames[-1].lineno}"
    return (f"{place}: {error.message or type(error).__name__} (rendering {name}, which midcycle gives "
            f"{', '.join(sorted(given)) or 'only the settings'} and the template globals; a theme made for "
            "Pelican's own pages cannot render midcycle's: see midcycle's theme guide, docs/themes.md)")
