"""Property-based tests: whatever strings an author puts in the metadata,
the build fails cleanly or succeeds, stays inside the output folder and
shows the strings only as text."""

from __future__ import annotations

import datetime
import json

import feedparser
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_build, scripts_of
from midcycle.feeds import feed_specs, render_feeds
from midcycle.indexes import build_site
from midcycle.model import Post
from midcycle.pages import listings
from midcycle.spellings import merge_spellings
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


def post_text(title: str, tags: list[str], series: str | None, slug: str | None) -> str:
    lines = [f"Title: {title}", "Date: 2014-08-13 10:00"]
    if tags:
        lines.append("Tags: " + ", ".join(tags))
    if series is not None:
        lines.append(f"Series: {series}")
    if slug is not None:
        lines.append(f"Slug: {slug}")
    return "\n".join(lines) + "\n\nBody text.\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.one_of(TITLE, VALUE), tags=st.lists(VALUE, max_size=3), series=st.one_of(st.none(), VALUE),
       slug=st.one_of(st.none(), VALUE))
def test_any_metadata_builds_safely_or_fails_cleanly(tmp_path_factory, title, tags, series, slug):
    root = tmp_path_factory.mktemp("prop")
    content, output = root / "content", root / "site" / "output"
    (content / "a").mkdir(parents=True)
    (content / "a/post.md").write_bytes(post_text(title, tags, series, slug).encode("utf-8", "surrogatepass"))
    (content / "b").mkdir()
    (content / "b/other.md").write_text("Title: Other\nDate: 2014-08-12 10:00\nTags: nova\n\nOther.\n", "utf-8")

    result = run_build(content, output)
    text = result.stdout + result.stderr
    assert "Traceback" not in text
    # Nothing was written beside or above the output folder.
    assert {p.name for p in root.iterdir()} <= {"content", "site"}
    if (root / "site").exists():
        assert [p.name for p in (root / "site").iterdir()] == ["output"]
    if result.returncode != 0:
        # A clean failure lists problems; it is not an unexpected exception.
        assert "midcycle: the build failed:\n" in text, text
        assert not output.exists()
        return
    for page in output.rglob("*.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        assert scripts_of(page.relative_to(output).as_posix(), soup) == [], page
        for tag in soup.find_all(True):
            assert not [name for name in tag.attrs if name.lower().startswith("on")], (page, tag)
    for feed in output.rglob("*.atom"):
        assert not feedparser.parse(feed.read_bytes()).bozo, feed
