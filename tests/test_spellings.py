import datetime

from midcycle.model import Post
from midcycle.spellings import canonical_spellings, merge_spellings

DATE = datetime.datetime(2014, 8, 13, tzinfo=datetime.timezone.utc)


def slugify(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum() or ch == "-")


def post(slug, tags=(), series=None):
    return Post(source=f"a/{slug}.md", path="a", slug=slug, title=slug, date=DATE, tags=tuple(tags), series=series)


def test_the_spelling_most_posts_use_wins():
    chosen, problems = canonical_spellings([("Nova", "a.md"), ("nova", "b.md"), ("nova", "c.md")], slugify, "tag")
    assert chosen == {"Nova": "nova", "nova": "nova"}
    assert problems == []


def test_a_tie_goes_to_the_first_in_sorted_order():
    chosen, _ = canonical_spellings([("nova", "a.md"), ("NOVA", "b.md")], slugify, "tag")
    assert chosen == {"nova": "NOVA", "NOVA": "NOVA"}


def test_a_name_with_no_page_name_is_a_problem_naming_the_file():
    chosen, problems = canonical_spellings([("+++", "a/x.md")], slugify, "tag")
    assert chosen == {}
    assert problems == ["a/x.md: the tag '+++' has no letters or digits to name its page after"]


def test_merge_spellings_rewrites_tags_and_series_and_drops_duplicates():
    posts = [post("one", ["Nova", "nova"], series="Kilo meetup"), post("two", ["nova"], series="kilo meetup"),
             post("three", ["nova", "cells"], series="kilo meetup")]
    merged, problems = merge_spellings(posts, slugify)
    assert problems == []
    assert [p.tags for p in merged] == [("nova",), ("nova",), ("nova", "cells")]
    assert {p.series for p in merged} == {"kilo meetup"}
    assert merged[2] is posts[2]
