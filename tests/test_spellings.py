import pytest
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


def pelican_slugify(name: str) -> str:
    """The site's own slug rules, as urls.Links gets them."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify as pelican
    return pelican(name, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def test_names_that_differ_only_in_case_are_one():
    chosen, problems = canonical_spellings([("Straße", "a.md"), ("STRASSE", "b.md"), ("straße", "c.md"),
                                            ("DB2", "d.md"), ("db2", "e.md")], pelican_slugify, "tag")
    assert problems == []
    assert chosen == {"Straße": "STRASSE", "STRASSE": "STRASSE", "straße": "STRASSE", "DB2": "DB2", "db2": "DB2"}


def test_names_that_lose_their_difference_in_the_page_name_are_an_error_naming_both():
    chosen, problems = canonical_spellings([("C++", "a/one.md"), ("C#", "b/two.md"), ("C", "c/three.md"),
                                            ("c", "c/four.md"), ("nova", "a/one.md")], pelican_slugify, "tag")
    # C and c tie; C sorts first, and is used by c/three.md.
    assert problems == ["the tag names 'C' (c/three.md) and 'C#' (b/two.md) and 'C++' (a/one.md) would share one "
                        "page and feed, tag/c.html, as their page name is the same ('c'): rename one of them"]
    assert chosen["nova"] == "nova"


def test_accents_make_two_names():
    _, problems = canonical_spellings([("café", "a/one.md"), ("cafe", "b/two.md")], pelican_slugify, "series")
    assert problems == ["the series names 'cafe' (b/two.md) and 'café' (a/one.md) would share one page and feed, "
                        "series/cafe.html, as their page name is the same ('cafe'): rename one of them"]


@pytest.mark.parametrize("kind, page", [("tag", "tag/index.html"), ("series", "series/index.html")])
def test_a_name_whose_page_is_the_sites_own_is_an_error_naming_the_post(kind, page):
    chosen, problems = canonical_spellings([("Index", "a/one.md")], pelican_slugify, kind)
    assert chosen == {}
    assert problems == [f"a/one.md: the {kind} 'Index' would have the page {page}, the list of every {kind}: "
                        "rename it"]


def test_a_name_too_long_for_a_file_name_is_an_error_naming_the_post():
    # 245 bytes of page name fit: with ".atom" and the writer's ".", ".tmp", 255.
    fits, too_long = "é" * 122 + "x", "é" * 123
    chosen, problems = canonical_spellings([(fits, "a/one.md"), (too_long, "b/two.md")],
                                           lambda name: name, "tag")
    assert list(chosen) == [fits]
    (problem,) = problems
    assert problem.startswith(f"b/two.md: the tag {too_long[:40]!r}... is too long: its page name takes 246 bytes")
