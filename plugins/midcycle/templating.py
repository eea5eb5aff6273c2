"""What templates are given: the site model, URLs and a few functions.

Every page is rendered from one Jinja environment (Pelican's, for the
theme's templates and settings) to which the build adds these globals. The
template API is this module: a theme may use any name defined here, and the
digests in pages.py cover what the bundled templates show with them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment, Template
from markupsafe import Markup

from .dates import day_header, time_of_day
from .model import Comment, Post, Site
from .urls import Links


GetTemplate = Callable[[str], Template]


def template_globals(get_template: GetTemplate, site: Site, links: Links,
                     feed_titles: dict[str, str]) -> dict[str, Any]:
    """The names every template sees besides Pelican's settings;
    ``get_template`` finds a template by its name without extension."""

    def related_posts(post: Post) -> list[Post]:
        return site.lookup(site.related.get(post.key, ()))

    def comments_on(post: Post) -> tuple[Comment, ...]:
        return site.comments.get(post.key, ())

    blocks: dict[str, Markup] = {}

    def listed_post(post: Post) -> Markup:
        """A post's block on listings, rendered once though it shows on
        its paths', tags' and dates' pages."""
        if post.key not in blocks:
            blocks[post.key] = Markup(get_template("includes/listed_post").render(post=post))
        return blocks[post.key]

    return {
        "site": site,
        "links": links,
        "day_header": day_header,
        "time_of_day": time_of_day,
        "related_posts": related_posts,
        "comments_on": comments_on,
        "listed_post": listed_post,
        "safe_html": Markup,
        # Autodiscovery links name each page's feeds by the feeds' own titles.
        "feed_titles": feed_titles,
    }


def prepare_environment(env: Environment, get_template: GetTemplate, site: Site, links: Links,
                        feed_titles: dict[str, str]) -> None:
    """Make ``env`` ready to render this build's pages."""
    # Whatever the theme's settings say, author text is escaped.
    env.autoescape = True
    # Templates do not change during a build: do not look at their files
    # again for each of thousands of pages.
    env.auto_reload = False
    env.globals.update(template_globals(get_template, site, links, feed_titles))
