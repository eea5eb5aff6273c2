"""What a post's block digest covers of its related posts (pages.block_digests):
with midcycle's own templates only their link and title, so a body edit
re-renders no page that merely names the post; otherwise all of them."""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import assume, given
from hypothesis import strategies as st

from midcycle.digests import texts_digest
from midcycle.indexes import build_site
from midcycle.model import Post
from midcycle.pages import block_digests

UTC = datetime.timezone.utc


def post(slug: str, day: int, **fields) -> Post:
    fields.setdefault("title", f"Post {slug}")
    fields.setdefault("body", f"<p>Body of {slug}</p>")
    return Post(source=f"a/{slug}.md", path="a", slug=slug, date=datetime.datetime(2014, 8, day, tzinfo=UTC),
                tags=("nova",), author="Robin", **fields)


def blocks_after(edit: dict, related_as_links: bool) -> tuple[str, str]:
    """The block digest of ``one`` before and after ``two`` is edited."""
    before = build_site([post("one", 1), post("two", 2)])
    after = build_site([post("one", 1), post("two", 2, **edit)])
    assert list(before.related["a/one"]) == ["a/two"]
    return (block_digests(before, related_as_links)["a/one"], block_digests(after, related_as_links)["a/one"])


def test_with_links_only_a_related_posts_body_does_not_count():
    old, new = blocks_after({"body": "<p>Another body</p>"}, related_as_links=True)
    assert old == new


def test_with_links_only_a_related_posts_title_counts():
    old, new = blocks_after({"title": "Retitled"}, related_as_links=True)
    assert old != new


def test_otherwise_everything_of_a_related_post_counts():
    old, new = blocks_after({"body": "<p>Another body</p>"}, related_as_links=False)
    assert old != new


def test_a_draft_and_comments_count():
    site = build_site([post("one", 1), post("two", 2)])
    plain = block_digests(site)["a/one"]
    assert block_digests(dataclasses.replace(site, drafts=frozenset({"a/one"})))["a/one"] != plain
    assert block_digests(dataclasses.replace(site, comments={"a/one": ("a comment",)}))["a/one"] != plain


@given(st.lists(st.text(max_size=6), max_size=4), st.lists(st.text(max_size=6), max_size=4))
def test_different_lists_of_texts_have_different_digests(first, second):
    # Joined naively, ["ab", "c"] and ["a", "bc"] (or [] and [""]) would be one text.
    assume(first != second)
    assert texts_digest(first) != texts_digest(second)
