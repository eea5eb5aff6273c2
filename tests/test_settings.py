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
