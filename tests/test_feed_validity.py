"""Issue 15's bar for every feed of the sample site and of a generated
300-post corpus: 0 errors and 0 warnings from the W3C feed validator
(``../shared/feedvalidator``, run through ``../shared/tools/check-feeds``;
the OPML list too), 0 bozo in feedparser, 0 relative URLs, and JSON feeds
valid per JSON Feed 1.1."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import urlsplit

import feedparser
import pytest

from conftest import ROOT, SITEURL, BuiltSite, json_feed_problems, run_build
from test_feeds_build import content_html, urls_in_html

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

SHARED = ROOT.parent / "shared"
CHECK_FEEDS = SHARED / "tools" / "check-feeds"


@pytest.fixture(scope="module", params=["sample", "corpus"])
def site(request, tmp_path_factory) -> BuiltSite:
    folder = tmp_path_factory.mktemp(request.param)
    content = ROOT / "content"
    if request.param == "corpus":
        content = folder / "content"
        write_corpus(content, 300)
    result = run_build(content, folder / "output")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr  # no broken link, nothing retired
    return BuiltSite(folder / "output", result)


def test_the_w3c_validator_finds_nothing(site):
    if not CHECK_FEEDS.is_file():
        pytest.skip(f"the W3C feed validator is not at {CHECK_FEEDS}")
    result = subprocess.run([sys.executable, str(CHECK_FEEDS), str(site.output), SITEURL],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    feeds = len([name for name in site.files() if name.endswith((".rss", ".atom"))])
    assert result.stdout.splitlines()[-1] == f"check-feeds: {feeds} feeds, 0 errors, 0 warnings"


def test_the_w3c_validator_takes_the_opml(site):
    if not CHECK_FEEDS.is_file():
        pytest.skip(f"the W3C feed validator is not at {CHECK_FEEDS}")
    sys.path.insert(0, str(SHARED / "feedvalidator"))
    import feedvalidator
    from feedvalidator import compatibility

    text = site.file("feeds.opml").read_text(encoding="utf-8")
    events = feedvalidator.validateString(text, firstOccurrenceOnly=1, base=f"{SITEURL}/feeds.opml")["loggedEvents"]
    assert [type(event).__name__ for event in compatibility.AA(events)] == []


def test_feedparser_reads_every_feed_without_complaint_and_every_url_is_absolute(site):
    names = [name for name in site.files() if name.endswith((".rss", ".atom"))]
    assert len(names) > 10
    for name in names:
        feed = feedparser.parse(site.file(name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        urls = [link.href for link in feed.feed.links]
        for entry in feed.entries:
            urls += [link.href for link in entry.links] + urls_in_html(content_html(entry))
        assert all(urlsplit(url).scheme in ("http", "https", "mailto") for url in urls), name


def test_every_json_feed_follows_the_specification(site):
    names = [name for name in site.files() if name.endswith(".json")]
    assert len(names) == len([name for name in site.files() if name.endswith(".atom")])
    for name in names:
        document = json.loads(site.file(name).read_bytes())
        assert json_feed_problems(document) == [], name
        for item in document["items"]:
            assert all(urlsplit(url).scheme in ("http", "https", "mailto")
                       for url in urls_in_html(item["content_html"])), name
