"""Real builds over one output folder: feeds and pages a rebuild drops are
named, a retired feed can be kept as a valid empty feed, and links into the
site at files the build does not make are reported."""

from __future__ import annotations

import json

import feedparser

from conftest import json_feed_problems, run_build, write_post


def rebuild(content, output, **settings):
    result = run_build(content, output, **settings)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_a_feed_that_loses_its_last_post_is_named_and_removed(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="keep, lonely")
    write_post(content, "a/two.md", "Two", "2014-08-12 10:00", tags="keep")
    output = tmp_path / "output"
    assert "has no posts any more" not in rebuild(content, output)
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="keep")  # retagged
    said = rebuild(content, output)
    assert ("the feed tag/lonely (tag/lonely.atom, tag/lonely.json, tag/lonely.rss) has no posts any more and is "
            "removed") in said
    assert "the page tag/lonely.html is removed" in said
    assert not (output / "tag/lonely.rss").exists()
    # Said once: the next build has nothing to drop.
    assert "tag/lonely" not in rebuild(content, output)


def test_kept_retired_feeds_stay_valid_empty_and_are_announced_once(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="keep, lonely")
    draft = write_post(content, "b/solo.md", "Solo", "2014-08-12 10:00", tags="keep")
    output = tmp_path / "output"
    rebuild(content, output, FEED_KEEP_RETIRED=True)
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="keep")
    draft.write_text(draft.read_text(encoding="utf-8").replace("Tags: keep", "Tags: keep\nStatus: draft"),
                     encoding="utf-8")
    said = rebuild(content, output, FEED_KEEP_RETIRED=True)
    for base, files in (("b", "b/index.atom, b/index.json, b/index.rss"),
                        ("tag/lonely", "tag/lonely.atom, tag/lonely.json, tag/lonely.rss")):
        assert f"the feed {base} ({files}) has no posts any more; it is kept as an empty feed" in said
    assert "the page b/solo.html is removed" in said
    for name in ("tag/lonely.rss", "tag/lonely.atom", "b/index.rss", "b/index.atom"):
        feed = feedparser.parse((output / name).read_bytes())
        assert not feed.bozo and feed.entries == [], name
        # Dated by the site's newest post, 13 August 2014 10:00 in Sydney.
        assert feed.feed.updated in ("Wed, 13 Aug 2014 10:00:00 +1000", "2014-08-13T10:00:00+10:00"), name
    document = json.loads((output / "tag/lonely.json").read_bytes())
    assert json_feed_problems(document) == [] and document["expired"] is True and document["items"] == []
    assert b"tag/lonely" not in (output / "feeds.opml").read_bytes()
    # Kept, and not announced again.
    again = rebuild(content, output, FEED_KEEP_RETIRED=True)
    assert "has no posts any more" not in again and (output / "tag/lonely.rss").exists()
    # Turning the setting off removes them, naming each.
    off = rebuild(content, output)
    assert "the feed tag/lonely (tag/lonely.atom, tag/lonely.json, tag/lonely.rss) has no posts any more and is removed" in off
    assert not (output / "tag/lonely.rss").exists()


def test_a_link_to_a_draft_is_named_and_fails_the_build_with_the_setting(content, tmp_path):
    write_post(content, "a/linking.md", "Linking", "2014-08-13 10:00",
               body="See [the plan](plan.html), [the tag](../tag/t.html) and ![a chart](images/chart.png).")
    write_post(content, "a/plan.md", "Plan", "2014-08-12 10:00", tags="t", status="draft")
    said = rebuild(content, tmp_path / "output")
    assert ("a/linking.md: the link http://blog.test/a/plan.html points at a/plan.html, which this build does not "
            "make") in said
    assert "a/linking.md: the link http://blog.test/tag/t.html points at tag/t.html" in said
    assert "a/linking.md: the link http://blog.test/a/images/chart.png points at a/images/chart.png" in said
    result = run_build(content, tmp_path / "strict", BROKEN_LINKS="error")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "a/linking.md: the link http://blog.test/a/plan.html" in result.stderr
    assert not (tmp_path / "strict").exists()
    # Published, the links are good, and nothing is said.
    plan = content / "a/plan.md"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Status: draft\n", ""), encoding="utf-8")
    (content / "a/images").mkdir()
    (content / "a/images/chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert "points at" not in rebuild(content, tmp_path / "strict", BROKEN_LINKS="error")
