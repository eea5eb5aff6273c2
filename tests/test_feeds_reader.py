"""Tried as a new user would (issue 15): a real feed reader (the `reader`
library) subscribes to three tag feeds found in /feeds.opml, served over
HTTP from 127.0.0.1; the site moves to https, a post is retagged, another
drafted. No entry shows up twice, no feed answers 404, and the build names
every feed it retires."""

from __future__ import annotations

import functools
import http.server
import threading
import xml.etree.ElementTree as ElementTree

import pytest
from reader import make_reader

from conftest import run_build, write_post


@pytest.fixture
def served(tmp_path):
    """An HTTP server on a free port of 127.0.0.1 serving ``tmp_path/output``."""
    output = tmp_path / "output"
    output.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield output, server.server_address[1]
    server.shutdown()
    server.server_close()


def build(content, output, siteurl):
    result = run_build(content, output, siteurl, FEED_KEEP_RETIRED=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def update(feeds_reader) -> dict[str, int]:
    """Update every feed; the number of new entries each got. Fails on any
    feed the reader could not fetch or parse."""
    new = {}
    # Not only the feeds its schedule says are due: every feed, now.
    for result in feeds_reader.update_feeds_iter(scheduled=False):
        assert result.error is None, (result.url, result.error)
        new[result.url] = result.value.new if result.value else 0
    return new


def ids(feeds_reader, url) -> list[str]:
    return sorted(entry.id for entry in feeds_reader.get_entries(feed=url))


def test_subscribe_from_the_opml_move_to_https_retag_and_draft(content, served):
    output, port = served
    write_post(content, "openstack/cells.md", "Cells", "2014-08-13 10:00", tags="nova, lonely")
    draft = write_post(content, "openstack/db2.md", "DB2", "2014-08-12 10:00", tags="nova, drafty")
    write_post(content, "openstack/intro.md", "Intro", "2014-08-11 10:00", tags="nova")
    http_site = f"http://127.0.0.1:{port}"
    build(content, output, http_site)

    opml = ElementTree.fromstring((output / "feeds.opml").read_bytes())
    tags = {outline.get("title"): outline.get("xmlUrl") for outline in opml.iter("outline")
            if outline.get("xmlUrl", "").startswith(f"{http_site}/tag/")}
    chosen = [tags[f"Robin's midcycle notes: tag {tag}"] for tag in ("nova", "lonely", "drafty")]
    json_feed = f"{http_site}/tag/nova.json"  # the same topic in JSON Feed, read by the same reader
    feeds_reader = make_reader(":memory:")
    for url in [*chosen, json_feed]:
        feeds_reader.add_feed(url)
    assert update(feeds_reader) == {chosen[0]: 3, chosen[1]: 1, chosen[2]: 1, json_feed: 3}
    before = {url: ids(feeds_reader, url) for url in [*chosen, json_feed]}
    assert before[json_feed] == before[chosen[0]]

    # The blog moves to https (its old address redirects, so readers keep
    # fetching where they subscribed): every entry keeps its id.
    build(content, output, f"https://127.0.0.1:{port}")
    assert set(update(feeds_reader).values()) == {0}

    # Retag one post, draft another: their tags' feeds lose their last post.
    write_post(content, "openstack/cells.md", "Cells", "2014-08-13 10:00", tags="nova")
    draft.write_text(draft.read_text(encoding="utf-8").replace("Tags:", "Status: draft\nTags:"), encoding="utf-8")
    said = build(content, output, f"https://127.0.0.1:{port}")
    for tag in ("lonely", "drafty"):
        assert (f"the feed tag/{tag} (tag/{tag}.atom, tag/{tag}.json, tag/{tag}.rss) has no posts any more; "
                "it is kept as an empty feed") in said
    assert set(update(feeds_reader).values()) == {0}  # no 404 (update() checks), nothing new
    assert {url: ids(feeds_reader, url) for url in [*chosen, json_feed]} == before
    for url in chosen + [json_feed]:
        assert feeds_reader.get_feed(url).last_exception is None, url
