"""Property-based tests: whatever an author puts in a post file (metadata
and body, and its name), the build succeeds or fails with a message naming
the file, never a traceback, never a change to the previous output, never a
file outside it; and what it shows is text, never script."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_build, scripts_of, snapshot, write_post
from midcycle.feeds import feed_specs, render_feeds
from midcycle.indexes import build_site
from midcycle.model import Post
from midcycle.pages import listings
from midcycle.spellings import merge_spellings
from midcycle.text import shown_name
from midcycle.urls import Links
from midcycle.write import Output, check_outputs

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

# Everything but the line breaks that end a metadata line.
LINE = st.text(st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), max_size=40)
NASTY = st.sampled_from(["..", "../..", "/", "/etc/passwd", "<script>alert(1)</script>", "&amp;", '"q"',
                         "\x00", "\x1b[31m", "C:\\x", "a/../../b", " ", "\u202e", "index", "tag", "page"])
VALUE = st.one_of(LINE, NASTY, st.lists(NASTY, min_size=1, max_size=3).map("".join))


def slugify(value: str) -> str:
    return pelican_slugify(value, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


# load.py refuses empty titles and control characters before the model sees
# them (the build test below checks that); here every value is one it accepts.
PRINTABLE = VALUE.map(lambda v: "".join(ch for ch in v if ch.isprintable() or ch == " "))
TITLE = PRINTABLE.filter(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(TITLE, st.lists(PRINTABLE, max_size=4), st.one_of(st.none(), PRINTABLE)),
                min_size=1, max_size=5))
def test_any_tags_and_series_give_safe_file_names(entries):
    posts = [Post(source=f"p/{i}.md", path="p", slug=f"post{i}", title=title,
                  date=datetime.datetime(2014, 8, 13, i, tzinfo=datetime.timezone.utc),
                  tags=tuple(tags), series=series)
             for i, (title, tags, series) in enumerate(entries)]
    posts, _problems = merge_spellings(posts, slugify)
    site = build_site(posts)
    links = Links("http://blog.test", slugify)
    names = [listing.file(1) for listing in listings(site, "Site", slugify)]
    feeds = list(render_feeds(site, feed_specs(site, "Site", links.slugify),
                              {"SITENAME": "Site", "AUTHOR": "A", "FEED_MAX_ITEMS": 20}, links))
    problems = check_outputs([Output(name, lambda: b"", "listing") for name in names] + feeds)
    assert not [p for p in problems if "refusing" in p]
    for feed in feeds:
        if feed.file.endswith(".json"):  # feedparser reads no JSON Feed
            assert json.loads(feed.render())["items"], feed.file
            continue
        parsed = feedparser.parse(feed.render())
        assert not parsed.bozo, (feed.file, parsed.bozo_exception)


# Whole post files: metadata lines (known keys, slips, repeats) and a body,
# each line anything an author or a terminal paste could put there.
KEY = st.sampled_from(["Title", "Date", "Tags", "Series", "Series-Part", "Related", "Slug", "Status", "Modified",
                       "Summary", "title", "TAGS", "Tgas", "X-Custom"])
DATE = st.one_of(st.sampled_from(["2014-08-13 10:00", "2014-08-13", "2014", "3 Feb", "03/02/2015", "2014-02-30",
                                  "2014-08-13 10:00+25:00", "2014-08-13T10:00Z", "2099-01-01", "yesterday", ""]),
                 st.datetimes().map(lambda moment: moment.isoformat(sep=" ")))
METADATA = st.one_of(st.tuples(KEY, st.one_of(VALUE, DATE)).map(": ".join),
                     st.tuples(KEY, VALUE).map(" ".join),  # the colon forgotten
                     LINE)
BODY_PIECE = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
    st.sampled_from(["[" * 300, "[x](javascript:alert(1))", '<a href="&nbsp;javascript:alert(1)">x</a>',
                     "<script>alert(1)</script>", "\x1b[31mred\x1b[0m", "page\x0cbreak", "\ufffe", "```\ncode\n```",
                     "![img](../../../etc/passwd)", "<iframe src=//evil.example></iframe>", "&#0;", "\u2028",
                     "Title: not metadata", "# heading {#id}", "* list\n    * nested", "| a | b |\n|---|---|"]))
POST = st.tuples(st.booleans(), st.booleans(), st.lists(METADATA, max_size=5), st.lists(BODY_PIECE, max_size=6))
STEM = st.one_of(st.just("post"), st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                                          min_size=1, max_size=30).filter(lambda stem: stem.strip(".") != ""))


def post_file(title: bool, date: bool, lines: list[str], body: list[str]) -> str:
    head = (["Title: A generated post"] if title else []) + (["Date: 2014-08-13 10:00"] if date else []) + lines
    return "\n".join(head) + "\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """A site built once, copied (times and all) as each example's previous output."""
    root = tmp_path_factory.mktemp("previous")
    (root / "content").mkdir()
    write_post(root / "content", "b/other.md", "Other", "2014-08-12 10:00", tags="nova", series="Kilo")
    result = run_build(root / "content", root / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(stem=STEM, post=POST)
def test_any_post_file_builds_or_fails_naming_it_and_changing_nothing(tmp_path_factory, previous, stem, post):
    root = tmp_path_factory.mktemp("example")
    content, output = root / "content", root / "output"
    shutil.copytree(previous / "content", content)
    shutil.copytree(previous / "output", output)  # copy2: times kept
    name = f"a/{stem}.md"
    (content / "a").mkdir()
    (content / name).write_text(post_file(*post), encoding="utf-8")
    before = snapshot(output, times=True)

    result = run_build(content, output, MARKDOWN_TIME_LIMIT=2)
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    assert sorted(p.name for p in root.iterdir()) == ["content", "output"]  # nothing beside the output
    if result.returncode != 0:
        assert "midcycle: the build failed:\n" in text, text
        assert name in text or shown_name(name) in text, text
        assert snapshot(output, times=True) == before
        return
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        # A post's body is the author's HTML, raw HTML in Markdown included;
        # everything else on the page, metadata shown included, is text.
        for body in soup.select(".post-body"):
            body.decompose()
        assert scripts_of(page.relative_to(output).as_posix(), soup) == [], page
        for tag in soup.find_all(True):
            assert not [attr for attr in tag.attrs if attr.lower().startswith("on")], (page, tag)
            assert not str(tag.get("href", "")).lower().startswith("javascript:"), (page, tag)
    for feed in [*output.rglob("*.atom"), *output.rglob("*.rss")]:
        assert not feedparser.parse(feed.read_bytes()).bozo, feed
