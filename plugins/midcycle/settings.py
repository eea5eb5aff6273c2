"""midcycle's settings: its own, with documented defaults, and the Pelican
settings it must control so there is one page and feed system, not two."""

from __future__ import annotations

from typing import Any

#: Defaults of midcycle's own settings; ``pelicanconf.py`` may override them.
DEFAULTS: dict[str, Any] = {
    # Posts per listing page (home, path, tag, date archive).
    "DEFAULT_PAGINATION": 10,
}

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
}


def apply(settings: dict[str, Any]) -> list[str]:
    """Fill in midcycle's defaults and force the overrides, in place.

    Returns problems with the settings (an empty list when they are fine).
    """
    for key, value in DEFAULTS.items():
        if settings.get(key) in (None, False):
            settings[key] = value
    settings.update(PELICAN_OVERRIDES)
    problems = []
    per_page = settings["DEFAULT_PAGINATION"]
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 1:
        problems.append(f"settings: DEFAULT_PAGINATION must be a whole number above 0, not {per_page!r}")
    return problems
