"""midcycle's settings: its own, with documented defaults, and the Pelican
settings it must control so there is one page and feed system, not two."""

from __future__ import annotations

import os
from typing import Any

from pelican.settings import DEFAULT_CONFIG

#: Defaults of midcycle's settings; ``pelicanconf.py`` may override them.
#: Some names are Pelican's own, with a default that suits this kind of blog;
#: a value equal to Pelican's default counts as not set.
DEFAULTS: dict[str, Any] = {
    # Posts per listing page (home, path, tag, date archive).
    "DEFAULT_PAGINATION": 10,
    # Entries per feed (site, path, tag, series and comments feeds).
    "FEED_MAX_ITEMS": 20,
    # Most "Related posts" shown under a post.
    "RELATED_POSTS_MAX": 6,
    # Comments on /comments/index.html, newest first (the comments feed
    # holds FEED_MAX_ITEMS).
    "RECENT_COMMENTS_MAX": 20,
    # Processes that convert Markdown, rank related posts and render pages
    # and feeds; 1 does all of it in the build's own process.
    "MIDCYCLE_WORKERS": os.cpu_count() or 1,
}

#: Comment folders (``<post>.comments/``, see comments.py) are read by
#: midcycle; Pelican must neither read them as posts nor copy them to the
#: output as static files. Added to ``IGNORE_FILES``, which Pelican matches
#: against folder names too.
IGNORED_FOLDERS = ("*.comments",)

#: Pelican settings midcycle replaces. Pelican's own article, category,
#: author, tag and archive pages and its feeds are switched off: the plugin
#: writes every page and feed itself. Future-dated posts are not published.
PELICAN_OVERRIDES: dict[str, Any] = {
    "ARTICLE_SAVE_AS": "",
    "ARTICLE_LANG_SAVE_AS": "",
    "DRAFT_SAVE_AS": "",
    "DRAFT_LANG_SAVE_AS": "",
    "CATEGORY_SAVE_AS": "",
    "CATEGORIES_SAVE_AS": "",
    "TAG_SAVE_AS": "",
    "TAGS_SAVE_AS": "",
    "AUTHOR_SAVE_AS": "",
    "AUTHORS_SAVE_AS": "",
    "ARCHIVES_SAVE_AS": "",
    "INDEX_SAVE_AS": "",
    "YEAR_ARCHIVE_SAVE_AS": "",
    "MONTH_ARCHIVE_SAVE_AS": "",
    "DAY_ARCHIVE_SAVE_AS": "",
    "DIRECT_TEMPLATES": [],
    "PAGINATED_TEMPLATES": {},
    "FEED_ATOM": None,
    "FEED_RSS": None,
    "FEED_ALL_ATOM": None,
    "FEED_ALL_RSS": None,
    "CATEGORY_FEED_ATOM": None,
    "CATEGORY_FEED_RSS": None,
    "AUTHOR_FEED_ATOM": None,
    "AUTHOR_FEED_RSS": None,
    "TAG_FEED_ATOM": None,
    "TAG_FEED_RSS": None,
    "TRANSLATION_FEED_ATOM": None,
    "TRANSLATION_FEED_RSS": None,
    "WITH_FUTURE_DATES": False,
    # Posts in different paths often share a file stem (two series'
    # "introduction.md"); Pelican would group them as translations of one.
    "ARTICLE_TRANSLATION_ID": None,
    # Every folder under content/ is a post path, content/pages/ included;
    # Pelican's pages would be written past midcycle's guarded writer.
    "PAGE_PATHS": [],
}


def apply(settings: dict[str, Any]) -> list[str]:
    """Fill in midcycle's defaults and force the overrides, in place.

    Returns problems with the settings (an empty list when they are fine).
    """
    for key, default in DEFAULTS.items():
        value = settings.get(key)
        # Identity, not equality: 0 is an error to report, not "unset".
        if value is None or value is False or (key in DEFAULT_CONFIG and value == DEFAULT_CONFIG[key]
                                                and type(value) is type(DEFAULT_CONFIG[key])):
            settings[key] = default
    settings.update(PELICAN_OVERRIDES)
    ignored = list(settings.get("IGNORE_FILES") or [])
    settings["IGNORE_FILES"] = ignored + [glob for glob in IGNORED_FOLDERS if glob not in ignored]
    problems = []
    siteurl = settings.get("SITEURL") or ""
    if not siteurl.startswith(("http://", "https://")):
        problems.append(
            f"settings: SITEURL must be an absolute http(s) URL, not {siteurl!r}: "
            "feeds and planets need absolute links"
        )
    for key in DEFAULTS:
        number = settings[key]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.append(f"settings: {key} must be a whole number above 0, not {number!r}")
    return problems
