"""midcycle's settings: its own, with documented defaults, and the Pelican
settings it must control so there is one page and feed system, not two."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pelican.settings import DEFAULT_CONFIG

from .processes import usable_cpus
from .sources import PAGES_FOLDER
from .themes import theme_settings
from .text import control_character
from .urls import unsafe_reason

#: midcycle's own settings and their defaults, used where ``pelicanconf.py``
#: does not set them. Settings named by Pelican keep Pelican's meaning and
#: default: ``DEFAULT_PAGINATION`` (posts per listing page; ``False``, the
#: default, puts a whole listing on one page) and ``FEED_MAX_ITEMS`` (entries
#: per feed; 100, or ``None`` for all). This site's ``pelicanconf.py`` sets
#: 10 and 20.
DEFAULTS: dict[str, Any] = {
    # Most "Related posts" shown under a post.
    "RELATED_POSTS_MAX": 6,
    # Comments on /comments/index.html, newest first (the comments feed
    # holds FEED_MAX_ITEMS).
    "RECENT_COMMENTS_MAX": 20,
    # Processes that convert Markdown, rank related posts and render pages
    # and feeds; 1 does all of it in the build's own process. By default,
    # as many as the CPUs this process may use.
    "MIDCYCLE_WORKERS": None,
    # Seconds Markdown may take on one post before the build stops, naming
    # it: some input (thousands of nested brackets) takes Python-Markdown
    # minutes, and a build should say so, not hang.
    "MARKDOWN_TIME_LIMIT": 20,
}

#: midcycle's settings that are not numbers, with their defaults.
OPTIONS: dict[str, Any] = {
    # The site's icon: an image in the content folder (copied to the same
    # place in the output), e.g. "images/icon.png"; "" for the theme's
    # static/favicon.svg.
    "FAVICON": "",
    # Build the full-text search index (Pagefind, see search.py). Off for
    # `make html`, where rebuilds must be quick; publishconf.py turns it on.
    "SEARCH_INDEX": False,
    # Feeds' icon (Atom <icon>, JSON Feed icon and favicon; square) and logo
    # (Atom <logo>, RSS <image> if it is a PNG, JPEG or GIF): a file of the
    # output (such as theme/favicon.svg) or an absolute http(s) URL; None is
    # the site's icon (FAVICON).
    "FEED_ICON": None,
    "FEED_LOGO": None,
    # A feed whose last post left it (retagged, drafted, deleted) stays as a
    # valid feed with no entries instead of being removed; either way the
    # build names it in a warning.
    "FEED_KEEP_RETIRED": False,
    # A WebSub hub (https://hub.example/): every feed names it, and
    # `make publish` / `make upload` tell it which feeds changed. Set it in
    # publishconf.py, not here, or local builds would name it too.
    "WEBSUB_HUB": None,
    # A link or image in a post pointing inside the site at a file the build
    # does not make: "warning" (the build goes on) or "error" (it fails).
    "BROKEN_LINKS": "warning",
}

#: What a ``FAVICON`` may be: the formats browsers show as a site's icon.
FAVICON_SUFFIXES = (".svg", ".png", ".ico", ".gif", ".jpg", ".jpeg", ".webp")

#: What a URL written into XML attributes or JSON may not hold: spaces,
#: control characters, quotes, angle brackets, backslashes.
_UNQUOTABLE = re.compile(r"[\x00-\x20\x7f-\x9f\"'<>\\]")

#: The longest MARKDOWN_TIME_LIMIT: a day, far below what the alarm timer holds.
MAX_TIME_LIMIT = 86_400

#: Values ``BROKEN_LINKS`` may take.
BROKEN_LINKS = ("warning", "error")

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
    # midcycle reads the posts itself (see plugin.py): Pelican's article
    # generator is given nothing to read. A post dated in the future is read
    # as it is and published by the first build after its date.
    "ARTICLE_PATHS": [],
    "WITH_FUTURE_DATES": True,
    # Posts in different paths often share a file stem (two series'
    # "introduction.md"); Pelican would group them as translations of one.
    "ARTICLE_TRANSLATION_ID": None,
    # midcycle removes from the output only what it made (commit.py);
    # Pelican's switch would empty the whole folder first.
    "DELETE_OUTPUT_DIRECTORY": False,
    # midcycle reads content/pages/ itself (see reading.py); Pelican's pages
    # would be written past midcycle's guarded writer.
    "PAGE_PATHS": [],
}

#: Pelican settings that would move posts or pages: midcycle's URLs are
#: ``/{path}/{slug}.html`` for posts and ``/{slug}.html`` for pages (see
#: urls.py), and feeds, related lists and relative links depend on them.
#: A site that sets one of these otherwise is told so rather than ignored.
#: Pelican's default for each, and ``""`` (no file), are fine.
URL_SETTINGS = ("ARTICLE_URL", "ARTICLE_SAVE_AS", "PAGE_URL", "PAGE_SAVE_AS", "PAGE_PATHS")

#: The address in the sample ``publishconf.py``: a site published with it
#: would send readers and planets to someone else's domain.
SAMPLE_SITEURL = "https://blog.example.org"


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def apply(settings: dict[str, Any]) -> list[str]:
    """Fill in midcycle's defaults where nothing is set and force the
    overrides, in place.

    Returns problems with the settings (an empty list when they are fine).
    """
    problems = [f"settings: {key} = {settings[key]!r}: midcycle puts posts at /{{path}}/{{slug}}.html "
                f"(the folder under the content folder, the file name) and pages at /{{slug}}.html from "
                f"content/{PAGES_FOLDER}/, and does not use {key}; remove it from the settings file"
                for key in URL_SETTINGS
                if key in settings and settings[key] not in (DEFAULT_CONFIG[key], "", [])]
    for key, default in (DEFAULTS | OPTIONS).items():
        settings.setdefault(key, default)
    # Where the posts are, and where the cache is, as the author said.
    settings.setdefault("MIDCYCLE_ARTICLE_PATHS", settings.get("ARTICLE_PATHS") or [""])
    settings.setdefault("MIDCYCLE_CACHE_ROOT", settings["CACHE_PATH"])
    if settings["MIDCYCLE_WORKERS"] is None:
        settings["MIDCYCLE_WORKERS"] = usable_cpus()
    settings.update(PELICAN_OVERRIDES)
    ignored = list(settings.get("IGNORE_FILES") or [])
    settings["IGNORE_FILES"] = ignored + [glob for glob in IGNORED_FOLDERS if glob not in ignored]
    excluded = list(settings.get("ARTICLE_EXCLUDES") or [])
    settings["ARTICLE_EXCLUDES"] = excluded + [PAGES_FOLDER] * (PAGES_FOLDER not in excluded)
    settings.update(theme_settings(settings))
    siteurl = settings.get("SITEURL") or ""
    problem = siteurl_problem(siteurl)
    if problem:
        problems.append(f"settings: SITEURL {problem}: feeds and planets need absolute links")
    elif siteurl.rstrip("/") == SAMPLE_SITEURL:
        problems.append(f"settings: SITEURL is still the sample address {SAMPLE_SITEURL}; set your site's "
                        "public address in publishconf.py (or run: make init SITEURL=https://...)")
    for key in ("SITENAME", "AUTHOR"):  # they head every page and feed
        value = settings.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"settings: {key} must be text, not {value!r}")
        elif value and (bad := control_character(value)) is not None:
            problems.append(f"settings: {key} holds the control character U+{ord(bad):04X}; feeds cannot carry it")
    for key in ("RELATED_POSTS_MAX", "RECENT_COMMENTS_MAX", "MIDCYCLE_WORKERS"):
        if not _whole_number(settings[key]):
            problems.append(f"settings: {key} must be a whole number above 0, not {settings[key]!r}")
    limit = settings["MARKDOWN_TIME_LIMIT"]
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 < limit <= MAX_TIME_LIMIT:
        problems.append(f"settings: MARKDOWN_TIME_LIMIT must be a number of seconds above 0 and at most "
                        f"{MAX_TIME_LIMIT} (a day), not {limit!r}")
    timezone = settings.get("TIMEZONE")
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError, TypeError) as error:
            problems.append(f"settings: TIMEZONE {timezone!r} is not a time zone ({error}); "
                            "use a name such as 'Australia/Sydney' or 'UTC'")
    settings.setdefault("MIDCYCLE_DRAFTS", False)
    if not isinstance(settings["MIDCYCLE_DRAFTS"], bool):
        problems.append(f"settings: MIDCYCLE_DRAFTS must be True or False, not {settings['MIDCYCLE_DRAFTS']!r}")
    pagination = settings.get("DEFAULT_PAGINATION")
    if pagination is not False and not _whole_number(pagination):
        problems.append(f"settings: DEFAULT_PAGINATION must be a whole number above 0 (posts per page) "
                        f"or False (one page), not {pagination!r}")
    feed_items = settings.get("FEED_MAX_ITEMS")
    if feed_items is not None and not _whole_number(feed_items):
        problems.append(f"settings: FEED_MAX_ITEMS must be a whole number above 0 or None (every post), "
                        f"not {feed_items!r}")
    if not isinstance(settings["SEARCH_INDEX"], bool):
        problems.append(f"settings: SEARCH_INDEX must be True or False, not {settings['SEARCH_INDEX']!r}")
    problems.extend(favicon_problems(settings["FAVICON"]))
    for key in ("FEED_ICON", "FEED_LOGO"):
        if settings[key] is not None:
            problems += _image_problems(key, settings[key])
    hub = settings["WEBSUB_HUB"]
    if hub is not None and not _absolute_url(hub):
        problems.append(f"settings: WEBSUB_HUB must be an absolute http(s) URL, not {hub!r}")
    if not isinstance(settings["FEED_KEEP_RETIRED"], bool):
        problems.append(f"settings: FEED_KEEP_RETIRED must be True or False, not {settings['FEED_KEEP_RETIRED']!r}")
    if settings["BROKEN_LINKS"] not in BROKEN_LINKS:
        problems.append(f"settings: BROKEN_LINKS must be one of {', '.join(map(repr, BROKEN_LINKS))}, "
                        f"not {settings['BROKEN_LINKS']!r}")
    return problems


def favicon_problems(favicon: Any) -> list[str]:
    """``FAVICON`` names a file inside the content folder by its relative
    name; whether the build copies it is checked once the files are known."""
    if favicon == "":
        return []
    reason = unsafe_reason(favicon) if isinstance(favicon, str) else "not a string"
    if reason is None and not favicon.lower().endswith(FAVICON_SUFFIXES):
        reason = f"not one of {', '.join(FAVICON_SUFFIXES)}"
    if reason:
        return [f"settings: FAVICON must be an image file's name relative to the content folder, "
                f"such as 'images/icon.png', not {favicon!r} ({reason})"]
    return []


def siteurl_problem(value: Any) -> str | None:
    """What makes ``value`` unusable as the site's address, or ``None``:
    it must be an http(s) URL naming a host that can be written in a
    ``tag:`` id (IDNA), with no space, control character, query, fragment,
    user name or unusable port."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return f"must start with https:// (or http://) and name a host, not {value!r}"
    if _UNQUOTABLE.search(value) or any(character.isspace() for character in value):
        return f"{value!r} holds a space, a control character, a quote or an angle bracket"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is no number
        (parts.hostname or "").encode("idna")
    except (ValueError, UnicodeError):
        return f"{value!r} has an unusable host or port"
    if not parts.hostname:
        return f"must name a host, not {value!r}"
    if parts.query or parts.fragment or "#" in value or parts.username is not None:
        return f"may not hold a query, a fragment or a user name: {value!r}"
    return None


def _absolute_url(value: Any) -> bool:
    """An http(s) URL with a host and nothing that needs quoting in XML
    attributes or JSON (spaces, control characters, quotes, angle brackets)."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")) or _UNQUOTABLE.search(value):
        return False
    try:
        return bool(urlsplit(value).hostname)
    except ValueError:  # "https://[bad": no host Python can read
        return False


def _image_problems(key: str, value: Any) -> list[str]:
    if _absolute_url(value) or (isinstance(value, str) and unsafe_reason(value) is None
                                and not re.search(r"\s", value)):
        return []
    return [f"settings: {key} must be a file of the site (such as theme/favicon.svg) or an absolute "
            f"http(s) URL, not {value!r}"]
