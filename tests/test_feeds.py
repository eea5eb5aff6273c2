"""Unit tests of feeds.py on in-memory posts: no Pelican, real feedgen and feedparser."""

from __future__ import annotations

import dataclasses
import datetime
import re
from zoneinfo import ZoneInfo

import feedgen.version
import feedparser
import pytest

from midcycle import urls
from midcycle.feeds import KINDS, entry_id, feed_bytes, feed_posts, feed_specs, feed_titles, render_feeds
from midcycle.indexes import build_site
from midcycle.model import Post, Site

SYDNEY = ZoneInfo("Australia/Sydney")
SITEURL = "http://blog.test"
SETTINGS = {"SITENAME": "Notes", "AUTHOR": "Robin", "DEFAULT_LANG": "en", "FEED_MAX_ITEMS": 20}


def render_feed(spec, site, links, settings) -> dict[str, bytes]:
    """Both formats of one feed, as render_feeds would write them."""
    posts = feed_posts(spec, site, settings)
    return {kind: feed_bytes(spec, posts, kind, links, settings) for kind in KINDS}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


LINKS = urls.Links(SITEURL, slugify)


def post(path: str, slug: str, day: int, hour: int = 12, tags=("nova",), **fields) -> Post:
    fields.setdefault("title", f"Post {slug}")
    fields.setdefault("body", f'<p>Body of {slug} <a href="{SITEURL}/{path}/other.html">o</a></p>')
    return Post(source=f"{path}/{slug}.md", path=path, slug=slug,
                date=datetime.datetime(2014, 8, day, hour, tzinfo=SYDNEY),
                tags=tuple(tags), author="Robin", **fields)


def sample_site(series: dict[str, tuple[str, ...]] | None = None) -> Site:
    posts = [
        post("openstack/juno", "intro", 11, tags=("openstack", "juno")),
        post("openstack/juno/nova", "cells", 12, tags=("nova", "cells")),
        post("openstack", "why", 9, tags=("openstack",)),
        post("openstacked", "other", 13, tags=("nova",)),
        post("", "hello", 1, tags=()),
    ]
    site = build_site(posts)
    return dataclasses.replace(site, series=series if series is not None else {})


def spec_for(site: Site, base: str):
    return next(spec for spec in feed_specs(site, "Notes", slugify) if spec.base == base)


def parse_both(site: Site, base: str, settings=SETTINGS) -> dict[str, feedparser.FeedParserDict]:
    rendered = render_feed(spec_for(site, base), site, LINKS, settings)
    parsed = {kind: feedparser.parse(content) for kind, content in rendered.items()}
    for kind, feed in parsed.items():
        assert not feed.bozo, (kind, feed.get("bozo_exception"))
    return parsed


def test_specs_cover_site_every_path_level_every_tag_and_series():
    site = sample_site(series={"Juno meetup": ("openstack/juno/intro", "openstack/juno/nova/cells")})
    specs = {spec.base: spec for spec in feed_specs(site, "Notes", slugify)}
    assert set(specs) == {
        "", "openstack", "openstack/juno", "openstack/juno/nova", "openstacked",
        "tag/openstack", "tag/juno", "tag/nova", "tag/cells", "series/juno-meetup",
    }
    assert specs[""].title == "Notes"
    assert specs["openstack/juno"].title == "Notes: openstack/juno"
    assert specs["tag/nova"].title == "Notes: tag nova"
    assert specs["series/juno-meetup"].title == "Notes: series Juno meetup"
    assert specs["openstack/juno"].page == "openstack/juno/index.html"
    assert specs["tag/nova"].page == "tag/nova.html"
    assert specs["series/juno-meetup"].page == "series/juno-meetup.html"
    assert feed_titles(list(specs.values()))["tag/cells"] == "Notes: tag cells"


def test_no_series_no_series_feeds():
    assert not [s for s in feed_specs(sample_site(), "Notes", slugify) if s.base.startswith("series/")]


def test_render_feeds_writes_both_formats_at_the_design_urls():
    site = sample_site()
    specs = feed_specs(site, SETTINGS["SITENAME"], LINKS.slugify)
    files = {output.file for output in render_feeds(site, specs, SETTINGS, LINKS)}
    for expected in ("index.rss", "index.atom", "openstack/index.rss", "openstack/juno/nova/index.atom",
                     "tag/nova.rss", "tag/cells.atom", "comments/index.rss"):
        assert expected in files
    # Both formats of 9 feeds, and the comments feed (RSS only, as the design says).
    assert len(files) == 2 * 9 + 1


def test_path_feed_holds_descendants_newest_first():
    for feed in parse_both(sample_site(), "openstack").values():
        assert [e.link for e in feed.entries] == [
            f"{SITEURL}/openstack/juno/nova/cells.html",
            f"{SITEURL}/openstack/juno/intro.html",
            f"{SITEURL}/openstack/why.html",
        ]


def test_series_feed_is_newest_first_although_the_series_is_oldest_first():
    site = sample_site(series={"Juno meetup": ("openstack/why", "openstack/juno/intro",
                                               "openstack/juno/nova/cells")})
    for feed in parse_both(site, "series/juno-meetup").values():
        assert [e.title for e in feed.entries] == ["Post cells", "Post intro", "Post why"]
        assert feed.feed.title == "Notes: series Juno meetup"


def test_feed_max_items_keeps_the_newest():
    posts = [post("a", f"p{day:02d}", day) for day in range(1, 8)]
    site = build_site(posts)
    for feed in parse_both(site, "a", {**SETTINGS, "FEED_MAX_ITEMS": 3}).values():
        assert [e.title for e in feed.entries] == ["Post p07", "Post p06", "Post p05"]


def test_feed_metadata_self_links_and_titles():
    parsed = parse_both(sample_site(), "openstack/juno")
    for kind, feed in parsed.items():
        assert feed.feed.title == "Notes: openstack/juno"
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["self"] == f"{SITEURL}/openstack/juno/index.{kind}"
        assert links["alternate"] == f"{SITEURL}/openstack/juno/index.html"
        assert feed.feed.language == "en"
        assert feed.feed.generator == "midcycle"
    assert parsed["rss"].version == "rss20"
    assert parsed["atom"].version == "atom10"


def test_entries_carry_content_categories_author_and_permalink():
    site = sample_site()
    parsed = parse_both(site, "openstack/juno/nova")
    for kind, feed in parsed.items():
        (entry,) = feed.entries
        assert entry.link == f"{SITEURL}/openstack/juno/nova/cells.html"
        assert [t.term for t in entry.tags] == ["nova", "cells"]
        assert entry.author == "Robin"
        html = entry.content[0].value if kind == "atom" else entry.description
        assert f'href="{SITEURL}/openstack/juno/nova/other.html"' in html
        assert "Body of cells" in html
    assert parsed["atom"].entries[0].content[0].type == "text/html"


def test_rss_guid_is_the_permalink():
    rss = render_feed(spec_for(sample_site(), "openstack/juno/nova"), sample_site(), LINKS, SETTINGS)["rss"]
    assert (b'<guid isPermaLink="true">http://blog.test/openstack/juno/nova/cells.html</guid>') in rss
    entry = feedparser.parse(rss).entries[0]
    assert entry.id == entry.link == f"{SITEURL}/openstack/juno/nova/cells.html"


def test_atom_id_is_a_tag_uri_from_host_day_and_key():
    site = sample_site()
    atom = parse_both(site, "openstack/juno/nova")["atom"]
    assert atom.entries[0].id == "tag:blog.test,2014-08-12:openstack/juno/nova/cells"
    assert atom.feed.id == f"{SITEURL}/openstack/juno/nova/index.atom"


def test_atom_id_ignores_title_body_scheme_port_and_folder_of_the_site():
    original = post("openstack/juno", "db2", 14, hour=19)
    edited = dataclasses.replace(original, title="A new title", body="<p>Rewritten</p>",
                                 modified=datetime.datetime(2015, 1, 1, tzinfo=SYDNEY))
    ids = {entry_id(p, url) for p in (original, edited)
           for url in ("http://blog.test", "https://blog.test:8443/blog")}
    assert ids == {"tag:blog.test,2014-08-14:openstack/juno/db2"}


def test_atom_id_uses_the_day_the_author_wrote_not_utc():
    # 00:30 in Sydney is the previous day in UTC.
    early = post("a", "early", 14, hour=0)
    assert entry_id(early, SITEURL) == "tag:blog.test,2014-08-14:a/early"


def test_atom_id_quotes_keys_that_are_not_ascii():
    assert entry_id(post("café", "crème", 3), SITEURL) == "tag:blog.test,2014-08-03:caf%C3%A9/cr%C3%A8me"


def test_ids_unchanged_by_editing_title_and_body():
    site = sample_site()
    before = parse_both(site, "")
    changed = dataclasses.replace(site.posts["openstack/why"], title="Renamed", body="<p>New</p>")
    edited = dataclasses.replace(site, posts={**site.posts, "openstack/why": changed})
    after = parse_both(edited, "")
    for kind in ("rss", "atom"):
        assert [e.id for e in before[kind].entries] == [e.id for e in after[kind].entries]
        assert "Renamed" in [e.title for e in after[kind].entries]


def test_dates_are_aware_and_modified_sets_updated():
    modified = datetime.datetime(2014, 9, 1, 8, 0, tzinfo=SYDNEY)
    site = build_site([post("a", "old", 2, modified=modified), post("a", "new", 5)])
    parsed = parse_both(site, "a")
    atom = parsed["atom"]
    new, old = atom.entries
    assert old.published == "2014-08-02T12:00:00+10:00"
    assert old.updated == "2014-09-01T08:00:00+10:00"
    assert new.updated == new.published == "2014-08-05T12:00:00+10:00"
    # The feed changed when its most recently changed entry did.
    assert atom.feed.updated == "2014-09-01T08:00:00+10:00"
    rss = parsed["rss"]
    assert rss.entries[1].published == "Sat, 02 Aug 2014 12:00:00 +1000"
    assert rss.feed.updated == "Mon, 01 Sep 2014 08:00:00 +1000"


def test_rendering_is_deterministic_and_names_no_library_version():
    site = sample_site()
    first = render_feed(spec_for(site, ""), site, LINKS, SETTINGS)
    second = render_feed(spec_for(site, ""), site, LINKS, SETTINGS)
    assert first == second
    for content in first.values():
        assert feedgen.version.version_str.encode() not in content
        assert b"python-feedgen" not in content
        assert str(datetime.date.today().year).encode() not in content


def test_empty_site_still_gives_valid_feeds_with_a_fixed_date():
    site = build_site([])
    parsed = parse_both(site, "")
    assert parsed["atom"].entries == []
    assert parsed["atom"].feed.updated == "1970-01-01T00:00:00+00:00"


def test_titles_and_bodies_with_markup_characters_survive():
    tricky = "R&D <notes> \"quoted\" 'single' ]]>"
    site = build_site([post("a", "x", 3, title=tricky, tags=(tricky,),
                            body="<p>1 &lt; 2 &amp;&amp; ]]&gt; <b>bold</b></p>")])
    specs = feed_specs(site, f"Site {tricky}", slugify)
    spec = next(s for s in specs if s.base.startswith("tag/"))
    for kind, content in render_feed(spec, site, LINKS, SETTINGS).items():
        feed = feedparser.parse(content)
        assert not feed.bozo, feed.get("bozo_exception")
        assert feed.feed.title == f"Site {tricky}: tag {tricky}"
        assert feed.entries[0].title == tricky
        assert [t.term for t in feed.entries[0].tags] == [tricky]
        html = feed.entries[0].content[0].value if kind == "atom" else feed.entries[0].description
        assert "1 &lt; 2 &amp;&amp; ]]&gt; <b>bold</b>" in html


def test_naive_dates_are_refused():
    aware = post("a", "x", 3)
    site = build_site([aware])
    naive = dataclasses.replace(aware, date=datetime.datetime(2014, 8, 3, 12))
    site = dataclasses.replace(site, posts={aware.key: naive})
    with pytest.raises(ValueError, match="timezone"):
        render_feed(spec_for(site, "a"), site, LINKS, SETTINGS)
