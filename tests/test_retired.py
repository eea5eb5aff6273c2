"""retired.py: which feeds and pages a build drops, and what it says."""

from __future__ import annotations

import json

from midcycle.retired import Dropped, dropped, expired_feeds, warnings

KINDS = ("rss", "atom", "json")
PREVIOUS = ["index.html", "index.rss", "index.atom", "index.json", "tag/nova.html", "tag/nova.rss", "tag/nova.atom",
            "tag/old.html", "tag/old.rss", "tag/old.atom", "wood/index.html", "wood/index.rss", "wood/index.atom",
            "wood/index.json", "wood/bowl.html", "wood/bowl.png", "theme/css/midcycle.css", "page/2.html"]
MADE = {"index.html", "index.rss", "index.atom", "index.json", "tag/nova.html", "tag/nova.rss", "tag/nova.atom",
        "tag/nova.json", "theme/css/midcycle.css"}


def test_every_dropped_feed_and_page_is_found():
    gone = dropped(PREVIOUS, MADE, KINDS)
    assert gone.feeds == {"tag/old": ["tag/old.atom", "tag/old.rss"],
                          "wood": ["wood/index.atom", "wood/index.json", "wood/index.rss"]}
    # A dropped image is neither a feed nor a page.
    assert gone.pages == ["page/2.html", "tag/old.html", "wood/bowl.html", "wood/index.html"]


def test_nothing_dropped_when_the_build_makes_it_all():
    assert dropped(PREVIOUS, set(PREVIOUS), KINDS) == Dropped()


def test_removed_feeds_warn_with_the_way_to_keep_them():
    gone = dropped(PREVIOUS, MADE, KINDS)
    messages = warnings(gone, expired=set(), keep=False)
    assert messages[0] == ("the feed tag/old (tag/old.atom, tag/old.rss) has no posts any more and is removed: "
                           "its subscribers will get '404 Not Found'; set FEED_KEEP_RETIRED = True to keep it "
                           "as an empty feed")
    assert messages[1].startswith("the feed wood (wood/index.atom, wood/index.json, wood/index.rss) has no posts")
    assert messages[2:] == [f"the page {page} is removed: this build no longer makes it"
                            for page in ("page/2.html", "tag/old.html", "wood/bowl.html", "wood/index.html")]


def test_kept_feeds_are_announced_once():
    gone = Dropped({"tag/old": ["tag/old.rss"], "tag/older": ["tag/older.rss"]})
    assert warnings(gone, expired={"tag/older"}, keep=True) == [
        "the feed tag/old (tag/old.rss) has no posts any more; it is kept as an empty feed (FEED_KEEP_RETIRED)"]
    # Turning the setting off removes, and names, every one of them.
    assert len(warnings(gone, expired={"tag/older"}, keep=False)) == 2


def test_expired_feeds_are_read_from_their_json_feed(tmp_path):
    (tmp_path / "tag").mkdir()
    (tmp_path / "tag/old.json").write_text(json.dumps({"expired": True, "items": []}))
    (tmp_path / "tag/live.json").write_text(json.dumps({"items": []}))
    (tmp_path / "tag/odd.json").write_text("[1, 2]")
    (tmp_path / "tag/broken.json").write_bytes(b"\xff{")
    assert expired_feeds(tmp_path, ["tag/old", "tag/live", "tag/odd", "tag/broken", "tag/missing"]) == {"tag/old"}
