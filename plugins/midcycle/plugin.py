"""The Pelican glue: connect signals and move data between Pelican and the
modules that do the work.

A build goes: settings checked (settings.py) and the content cache turned
on (content_cache.py); new post files checked (sources.py) and converted
on every core (reading.py); Pelican reads them; the articles become posts
(load.py) with their comments (comments.py); the site model is built
(indexes.py); pages and feeds are described (pages.py, feeds.py) and the
changed ones written (write.py), ready to be moved in (commit.py). What is
kept between builds lives in the cache folder: Pelican's content cache, the
record of written files (write.py) and the last related lists (memo.py).
"""

from __future__ import annotations

import logging
import os
import time
from functools import cache, partial
from typing import Any

from pelican import signals
from pelican.generators import Generator
from pelican.log import console
from pelican.utils import slugify

from . import settings as midcycle_settings
from .comments import read_comment_files
from .content_cache import forget_drafts, is_cached, post_files, use_content_cache
from .digests import digest
from .errors import BuildError
from .feeds import feed_specs, feed_titles, render_feeds
from .fingerprint import TemplateDigests, read_fingerprint, render_fingerprint
from .indexes import build_site
from .load import posts_from_articles
from .memo import LatestResult, remembered
from .model import Site
from .pages import block_digests, render_pages
from .reading import prepare_readers
from .related import rank_related
from .sources import source_problems
from .templating import prepare_environment
from .theme import theme_static_files
from .urls import Links
from .write import WholeSite, write_outputs

logger = logging.getLogger(__name__)


def configure(pelican: Any) -> None:
    problems = midcycle_settings.apply(pelican.settings)
    if problems:
        raise BuildError(problems)
    pelican.settings["MIDCYCLE_CACHE_ROOT"] = pelican.settings["CACHE_PATH"]


def start_build(pelican: Any) -> type[Generator]:
    """Pelican asks for generators at the start of every build, before it
    makes any, also when one process builds again and again (``pelican
    -r``): the moment to take the fingerprints afresh, so an edited template
    or setting is never missed. Returns midcycle's generator."""
    settings = pelican.settings
    settings["MIDCYCLE_STARTED"] = time.monotonic()  # for the progress line
    settings["MIDCYCLE_RENDER_FINGERPRINT"] = render_fingerprint(settings)
    use_content_cache(settings, settings["MIDCYCLE_CACHE_ROOT"], read_fingerprint(settings))
    return MidcycleGenerator


def prepare_reading(generator: Any) -> None:
    """Before Pelican reads the posts: check every file its content cache
    does not hold (every bad file is reported at once, by name and line,
    instead of skipped or a traceback), then convert those in parallel."""
    forget_drafts(generator)
    problems = []
    fresh = []
    for pelican_name, name in sorted(post_files(generator).items(), key=lambda names: names[1]):
        if is_cached(generator, pelican_name):
            continue  # read before with these very bytes: it passed then
        with open(os.path.join(generator.path, name), "rb") as handle:
            problems.extend(source_problems(name, handle.read()))
        fresh.append(name)
    if problems:
        raise BuildError(problems)
    generator.settings["MIDCYCLE_POSTS_READ"] = len(fresh)  # for the progress line
    prepare_readers(generator, fresh, generator.settings["MIDCYCLE_WORKERS"])


class ErrorLog(logging.Handler):
    """Collects the errors Pelican logs while reading (it logs a post it
    cannot process and carries on), so the build can fail on them."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


class MidcycleGenerator(Generator):
    """Builds the site model after Pelican has read the articles, then
    writes every page and feed of the site from it."""

    site: Site

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Generators are all made before any reads, so this sees every error.
        self.pelican_errors = ErrorLog()
        logging.getLogger("pelican").addHandler(self.pelican_errors)

    def generate_context(self) -> None:
        logging.getLogger("pelican").removeHandler(self.pelican_errors)
        if self.pelican_errors.messages:
            raise BuildError(self.pelican_errors.messages)
        settings = self.settings
        self.links = Links(settings["SITEURL"], partial(slugify, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"]),
                           settings["THEME_STATIC_DIR"])
        posts, problems = posts_from_articles(self.context["articles"], self.links)
        if problems:
            raise BuildError(problems)
        # generated_content: every post file Pelican read, drafts and future posts included.
        comments, problems, warnings = read_comment_files(
            self.path, posts, self.context["generated_content"], self.links.post, settings.get("TIMEZONE") or "UTC")
        for warning in warnings:
            logger.warning("midcycle: %s", warning)
        if problems:
            raise BuildError(problems)
        rank = remembered(partial(rank_related, workers=settings["MIDCYCLE_WORKERS"]),
                          LatestResult(os.path.join(settings["MIDCYCLE_CACHE_ROOT"], "related.pickle")))
        self.site = build_site(posts, settings["RELATED_POSTS_MAX"], comments, rank)
        self.context["midcycle"] = self.site

    def render(self, name: str, **context: Any) -> bytes:
        return self.get_template(name).render(self.settings_context, **context).encode("utf-8")

    def generate_output(self, writer: Any) -> None:
        settings = self.settings
        # Templates get the settings, not Pelican's lists of articles (see templating.py).
        self.settings_context = {key: value for key, value in self.context.items() if key.isupper()}
        specs = feed_specs(self.site, settings["SITENAME"], self.links.slugify)
        recording = prepare_environment(self.env, self.get_template, self.site, self.links, feed_titles(specs))
        rendering = settings["MIDCYCLE_RENDER_FINGERPRINT"]
        templates = TemplateDigests(self.env, tuple(settings["TEMPLATE_EXTENSIONS"]))
        outputs = [
            *render_pages(self.site, settings, self.links.slugify, self.render,
                          lambda *names: digest(rendering, templates(*names))),
            *render_feeds(self.site, specs, settings, self.links, digest(rendering, "feeds")),
        ]
        whole_site = WholeSite(recording.taken, cache(lambda: digest(block_digests(self.site))))
        # Pelican copies these itself; they take part in the collision check.
        copied = [(static.save_as, static.relative_source_path) for static in self.context.get("staticfiles", ())]
        copied += theme_static_files(self.theme, settings["THEME_STATIC_PATHS"], settings["THEME_STATIC_DIR"])
        previous = settings.get("MIDCYCLE_PREVIOUS_OUTPUT") or self.output_path
        manifest = os.path.join(settings["MIDCYCLE_CACHE_ROOT"], f"outputs-{digest(os.path.abspath(previous))}.json")
        counts = write_outputs(outputs, self.output_path, others=copied, previous=previous,
                                           manifest_path=manifest, workers=settings["MIDCYCLE_WORKERS"],
                                           whole_site=whole_site)
        # For build.py, which removes from the output whatever the build no
        # longer makes.
        settings["MIDCYCLE_OUTPUT_FILES"] = [output.file for output in outputs]
        if logging.getLogger("pelican").getEffectiveLevel() <= logging.WARNING:  # quiet with -q
            console.print(f"midcycle: {len(self.site.posts)} posts ({settings['MIDCYCLE_POSTS_READ']} read), "
                          f"{len(outputs)} pages and feeds: {counts.rendered} rendered, {counts.written} written, "
                          f"{counts.unchanged} unchanged, {time.monotonic() - settings['MIDCYCLE_STARTED']:.1f} s", soft_wrap=True)


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


def register() -> None:
    signals.initialized.connect(configure)
    signals.article_generator_init.connect(prepare_reading)
    signals.article_generator_finalized.connect(set_pelican_pages_aside)
    signals.article_writer_finalized.connect(give_pelican_posts_back)
    signals.get_generators.connect(start_build)
