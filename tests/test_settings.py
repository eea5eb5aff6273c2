"""settings.apply: midcycle's feed settings, their defaults and their checks."""

from __future__ import annotations

import copy

from pelican.settings import DEFAULT_CONFIG

from midcycle.settings import apply


def applied(**given) -> tuple[dict, list[str]]:
    """Pelican's defaults, a site address and ``given``, after apply()."""
    settings = {**copy.deepcopy(DEFAULT_CONFIG), "SITEURL": "https://blog.test", **given}
    return settings, apply(settings)


def test_by_default_the_feed_images_are_the_sites_icon():
    settings, problems = applied()
    assert problems == []
    # "" is the theme's icon; None for the feeds' images is the site's icon (see the feeds' build test).
    assert (settings["FAVICON"], settings["FEED_ICON"], settings["FEED_LOGO"]) == ("", None, None)
    assert (settings["WEBSUB_HUB"], settings["FEED_KEEP_RETIRED"], settings["BROKEN_LINKS"]) == (None, False, "warning")


def test_bad_values_are_each_named():
    _settings, problems = applied(FEED_ICON="../x.png", FEED_LOGO="https://cdn.test/a logo.png",
                                  WEBSUB_HUB="hub.test", FEED_KEEP_RETIRED="yes", BROKEN_LINKS="fatal")
    assert problems == [
        "settings: FEED_ICON must be a file of the site (such as theme/favicon.svg) or an absolute http(s) URL, "
        "not '../x.png'",
        "settings: FEED_LOGO must be a file of the site (such as theme/favicon.svg) or an absolute http(s) URL, "
        "not 'https://cdn.test/a logo.png'",
        "settings: WEBSUB_HUB must be an absolute http(s) URL, not 'hub.test'",
        "settings: FEED_KEEP_RETIRED must be True or False, not 'yes'",
        "settings: BROKEN_LINKS must be one of 'warning', 'error', not 'fatal'",
    ]


def test_a_site_address_feeds_cannot_use_is_refused_naming_it():
    for bad in ("https://blog..example.org", f"https://{'a' * 70}.org", "https://[bad", "https://b.test:port",
                "https://b.test/?q=1", "https://b.test /x", "blog.test"):
        _settings, problems = applied(SITEURL=bad)
        assert len(problems) == 1 and problems[0].startswith("settings: SITEURL ") and repr(bad) in problems[0], bad
    for good in ("http://127.0.0.1:8000", "https://b.test/blog/", "https://bücher.test"):
        assert applied(SITEURL=good)[1] == [], good


def test_a_control_character_in_the_site_name_or_author_is_named():
    _settings, problems = applied(SITENAME="Notes\x0c", AUTHOR="Ann\x1b[31m")
    assert problems == [
        "settings: SITENAME holds the control character U+000C; feeds cannot carry it",
        "settings: AUTHOR holds the control character U+001B; feeds cannot carry it",
    ]
    assert applied(SITENAME=["a list"])[1] == ["settings: SITENAME must be text, not ['a list']"]


def test_a_markdown_time_limit_the_alarm_cannot_hold_is_refused():
    for bad in (1e10, float("inf"), float("nan"), -1, True, "20"):
        problems = applied(MARKDOWN_TIME_LIMIT=bad)[1]
        assert [problem for problem in problems if problem.startswith("settings: MARKDOWN_TIME_LIMIT")], bad
    assert applied(MARKDOWN_TIME_LIMIT=86_400)[1] == []


def test_an_address_python_cannot_split_is_named_not_raised():
    # urlsplit raises on an unclosed IPv6 bracket; each setting taking an
    # absolute URL must name itself instead.
    _settings, problems = applied(FEED_ICON="https://[bad/icon.png", WEBSUB_HUB="https://[hub")
    assert any(problem.startswith("settings: FEED_ICON must be a file of the site") for problem in problems)
    assert "settings: WEBSUB_HUB must be an absolute http(s) URL, not 'https://[hub'" in problems
