"""The Pelican glue: connect signals, convert articles, render, write.

Everything interesting happens in the plain modules; this one only moves
data between Pelican and them. What is kept between builds lives in the
cache folder: Pelican's content cache, the record of written files
(write.py) and the last related lists (memo.py).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from functools import partial
from typing import Any

from markupsafe import Markup
from pelican import signals
from pelican.log import console
from pelican.generators import Generator
from pelican.utils import slugify

from . import settings as midcycle_settings
from .comments import Comment, attach_comments, find_comment_files
from .dates import day_header, time_of_day
from .errors import BuildError
from .fingerprint import build_fingerprint, digest
from .feeds import feed_specs, feed_titles, render_feeds
from .load import posts_from_articles
from .memo import LatestResult
from .model import Post, Site, build_site
from .pages import render_pages
from .reading import prepare_readers
from .sources import source_problems
from .urls import Links
from .write import write_outputs

logger = logging.getLogger(__name__)


def configure(pelican: Any) -> None:
    problems = midcycle_settings.apply(pelican.settings)
    if problems:
        raise BuildError(problems)
    midcycle_settings.use_content_cache(pelican.settings, build_fingerprint(pelican.settings))
    # For the progress line; set after the fingerprint, which must not see it.
    pelican.settings["MIDCYCLE_STARTED"] = time.monotonic()


def forget_drafts(generator: Any) -> None:
    """Pelican's content cache keeps a post dated in the future as the draft
    it was when read; drop cached drafts so such a post is read again and
    published once its date has come."""
    for name, (_stamp, article) in list(generator._cache.items()):
        if getattr(article, "status", "") == "draft":
            del generator._cache[name]


def post_files(generator: Generator) -> dict[str, str]:
    """Every file Pelican reads as a post, published or not: Pelican's own
    name for it (``./a.md`` for a post at the top, the key of its content
    cache) to its name relative to the content folder, ``/``-separated."""
    names = generator.get_files(generator.settings["ARTICLE_PATHS"],
                                exclude=generator.settings["ARTICLE_EXCLUDES"])
    return {name: os.path.normpath(name).replace(os.sep, "/") for name in names}


def prepare_reading(generator: Any) -> None:
    """Before Pelican reads the posts: check every file its content cache
    does not hold (every bad file is reported at once, by name and line,
    instead of skipped or a traceback), then convert those in parallel."""
    forget_drafts(generator)
    problems = []
    fresh = []
    for pelican_name, name in sorted(post_files(generator).items(), key=lambda names: names[1]):
        if generator.get_cached_data(pelican_name, None) is not None:
            continue  # read before with these very bytes: it passed then
        with open(os.path.join(generator.path, name), "rb") as handle:
            problems.extend(source_problems(name, handle.read()))
        fresh.append(name)
    if problems:
        raise BuildError(problems)
    prepare_readers(generator, fresh, generator.settings["MIDCYCLE_WORKERS"])


class ErrorLog(logging.Handler):
    """Collects the errors Pelican logs while reading (it logs a post it
    cannot process and carries on), so the build can fail on them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


def static_files(generator: Generator) -> list[tuple[str, str]]:
    """``(output file, source)`` of everything Pelican copies unchanged: the
    files beside the posts and the theme's static files."""
    files = [(static.save_as, static.relative_source_path) for static in generator.context.get("staticfiles", ())]
    theme_dir = generator.settings["THEME_STATIC_DIR"]
    for folder in generator.settings["THEME_STATIC_PATHS"]:
        root = os.path.join(generator.theme, folder)
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                relative = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
                files.append((f"{theme_dir}/{relative}", f"theme file {folder}/{relative}"))
    return files


class MidcycleGenerator(Generator):
    """Builds the site model after Pelican has read the articles, then
    writes every page and feed of the site from it."""

    site: Site

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Generators are all made before any reads, so this sees every error.
        self.pelican_errors = ErrorLog()
        logging.getLogger("pelican").addHandler(self.pelican_errors)

    def _links(self) -> Links:
        return Links(
            self.settings["SITEURL"],
            partial(slugify, regex_subs=self.settings["SLUG_REGEX_SUBSTITUTIONS"]),
            self.settings["THEME_STATIC_DIR"],
        )

    def generate_context(self) -> None:
        logging.getLogger("pelican").removeHandler(self.pelican_errors)
        if self.pelican_errors.messages:
            raise BuildError(self.pelican_errors.messages)
        self.links = self._links()
        posts, problems = posts_from_articles(self.context["articles"], self.links)
        if problems:
            raise BuildError(problems)
        comments = self._comments(posts)
        self.site = build_site(posts, related_max=self.settings["RELATED_POSTS_MAX"], comments=comments,
                               workers=self.settings["MIDCYCLE_WORKERS"],
                               related_memo=LatestResult(os.path.join(self.settings["CACHE_PATH"], "related.pickle")))
        self.context["midcycle"] = self.site

    def _comments(self, posts: list[Post]) -> dict[str, tuple[Comment, ...]]:
        """The comment files under the content folder, on their posts."""
        names, problems = find_comment_files(self.path)
        published = {os.path.splitext(post.source)[0] for post in posts}
        # Every post file Pelican read, drafts and future posts included.
        read = {os.path.splitext(name)[0] for name in self.context["generated_content"]}
        unpublished = read - published

        def files() -> Iterator[tuple[str, bytes]]:
            for name in names:
                with open(os.path.join(self.path, name), "rb") as handle:
                    yield name, handle.read()

        comments, found, warnings = attach_comments(
            files(), posts, unpublished, self.links.post, self.settings.get("TIMEZONE") or "UTC")
        for warning in warnings:
            logger.warning("midcycle: %s", warning)
        if problems + found:
            raise BuildError(problems + found)
        return comments

    def _template_globals(self) -> dict[str, Any]:
        site = self.site

        def related_posts(post: Post) -> list[Post]:
            return site.lookup(site.related.get(post.key, ()))

        def comments_on(post: Post) -> tuple[Comment, ...]:
            return site.comments.get(post.key, ())

        blocks: dict[str, Markup] = {}

        def listed_post(post: Post) -> Markup:
            """A post's block on listings, rendered once though it shows on
            its paths', tags' and dates' pages."""
            if post.key not in blocks:
                blocks[post.key] = Markup(self.get_template("includes/listed_post").render(post=post))
            return blocks[post.key]

        return {
            "site": site,
            "links": self.links,
            "day_header": day_header,
            "time_of_day": time_of_day,
            "related_posts": related_posts,
            "comments_on": comments_on,
            "listed_post": listed_post,
            "safe_html": Markup,
        }

    def render(self, name: str, **context: Any) -> bytes:
        return self.get_template(name).render(self.context, **context).encode("utf-8")

    def generate_output(self, writer: Any) -> None:
        # Whatever the theme's settings say, author text is escaped.
        self.env.autoescape = True
        # Templates do not change during a build: do not look at their files
        # again for each of thousands of pages.
        self.env.auto_reload = False
        self.env.globals.update(self._template_globals())
        specs = feed_specs(self.site, self.settings["SITENAME"], self.links.slugify)
        # Autodiscovery links name each page's feeds by the feeds' own titles.
        self.env.globals["feed_titles"] = feed_titles(specs)
        env = self.settings["MIDCYCLE_FINGERPRINT"]
        outputs = [
            *render_pages(self.site, self.settings, self.links.slugify, self.render, env),
            *render_feeds(self.site, specs, self.settings, self.links, env),
        ]
        previous = self.settings.get("MIDCYCLE_PREVIOUS_OUTPUT") or self.output_path
        manifest = os.path.join(self.settings["CACHE_PATH"], f"outputs-{digest(os.path.abspath(previous))}.json")
        written, unchanged = write_outputs(outputs, self.output_path, others=static_files(self),
                                           previous=previous, manifest_path=manifest,
                                           workers=self.settings["MIDCYCLE_WORKERS"])
        # For build.py, which removes from the output whatever the build no
        # longer makes.
        self.settings["MIDCYCLE_OUTPUT_FILES"] = [output.file for output in outputs]
        if logging.getLogger("pelican").getEffectiveLevel() <= logging.WARNING:  # quiet with -q
            console.print(f"midcycle: {len(self.site.posts)} posts, {written + unchanged} pages and feeds: "
                          f"{written} written, {unchanged} unchanged, {time.monotonic() - self.settings['MIDCYCLE_STARTED']:.1f} s")


#: The lists of posts Pelican would write pages from; see set_pelican_pages_aside.
PELICAN_POST_LISTS = ("articles", "translations", "drafts", "drafts_translations")


def set_pelican_pages_aside(generator: Any) -> None:
    """Pelican goes on to write its own pages even with their output
    switched off: it visits every article to write it nowhere, tries to
    render drafts (which it cannot with categories off, and which are never
    published, not even at a hidden URL), and prepares tag, category and
    author pages (comparing every tag with every post). midcycle writes all
    pages itself, so it takes Pelican's lists away until Pelican has written
    (see give_pelican_posts_back); the articles stay in the context, where
    midcycle reads them."""
    generator.midcycle_set_aside = {name: getattr(generator, name) for name in PELICAN_POST_LISTS}
    for name in PELICAN_POST_LISTS:
        setattr(generator, name, [])
    generator.tags = {}
    generator.categories = []
    generator.authors = []


def give_pelican_posts_back(generator: Any, writer: Any) -> None:
    """Pelican's closing line counts the articles and drafts it read."""
    for name, posts in generator.midcycle_set_aside.items():
        setattr(generator, name, posts)


def get_generators(pelican: Any) -> type[Generator]:
    return MidcycleGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.article_generator_init.connect(prepare_reading)
    signals.article_generator_finalized.connect(set_pelican_pages_aside)
    signals.article_writer_finalized.connect(give_pelican_posts_back)
    signals.get_generators.connect(get_generators)
