"""Series order and positions as pure functions of Post values."""

from __future__ import annotations

import datetime

import pytest

from midcycle.errors import BuildError
from midcycle.indexes import build_site
from midcycle.model import Post
from midcycle.series import SeriesPosition, duplicate_parts, position_in, series_index, series_order, series_position

TZ = datetime.timezone(datetime.timedelta(hours=11))


def post(slug: str, day: int, hour: int = 12, series: str | None = "Kilo", part: int | None = None,
         path: str = "kilo") -> Post:
    return Post(source=f"{path}/{slug}.md", path=path, slug=slug, title=f"Kilo: {slug}",
                date=datetime.datetime(2015, 2, day, hour, tzinfo=TZ), series=series, series_part=part)


def order(posts: list[Post]) -> list[str]:
    return [p.slug for p in series_order(posts)]


def test_parts_follow_the_date_not_the_input_order():
    assert order([post("wrap-up", 5), post("intro", 2), post("cells", 3, 16), post("upgrades", 3, 12)]) \
        == ["intro", "upgrades", "cells", "wrap-up"]


def test_equal_dates_fall_back_to_the_key():
    # Three posts written at the same minute: keys kilo/a < kilo/b < kilo/c.
    assert order([post("c", 3), post("a", 3), post("b", 3)]) == ["a", "b", "c"]
    # The key includes the path, so a post in another folder sorts by it.
    same = [post("x", 3, path="zz"), post("x", 3, path="aa")]
    assert [p.key for p in series_order(same)] == ["aa/x", "zz/x"]


def test_an_explicit_part_overrides_the_date_and_the_rest_fill_in_by_date():
    # The introduction was written last but claims part 1; the summary of
    # day 3 claims part 4. The unclaimed ones take slots 2, 3 and 5 by date.
    posts = [post("day1", 2), post("day2", 3), post("day3", 4, part=4), post("day4", 5),
             post("intro", 9, part=1)]
    assert order(posts) == ["intro", "day1", "day2", "day3", "day4"]


def test_claims_beyond_the_published_posts_close_up():
    # Part 2 is still a draft (never reaches the plugin), so part 3 shows as
    # part 2; claims keep their relative order.
    posts = [post("one", 2, part=1), post("three", 4, part=3), post("five", 3, part=5)]
    assert order(posts) == ["one", "three", "five"]
    # Unclaimed posts still come before a claim they have not reached yet.
    assert order([post("late", 9, part=3), post("a", 2), post("b", 3)]) == ["a", "b", "late"]


def test_the_same_part_claimed_twice_is_a_problem_naming_both_files():
    posts = [post("a", 2, part=2), post("b", 3, part=2), post("c", 4, part=1)]
    problems = duplicate_parts("Kilo", posts)
    assert problems == ["series 'Kilo': part 2 is claimed by kilo/a.md and kilo/b.md"]
    # The order stays total meanwhile (key breaks the tie).
    assert order(posts) == ["c", "a", "b"]


def test_series_index_groups_by_name_and_ignores_posts_without_a_series():
    posts = [post("k2", 3), post("k1", 2), post("l1", 4, series="Lathe restoration", path="wood"),
             post("solo", 5, series=None)]
    index, problems = series_index(posts)
    assert problems == []
    assert index == {"Kilo": ("kilo/k1", "kilo/k2"), "Lathe restoration": ("wood/l1",)}


def test_positions_at_both_ends_and_in_the_middle():
    keys = ("kilo/intro", "kilo/cells", "kilo/wrap-up")
    assert position_in("Kilo", keys, "kilo/intro") == SeriesPosition("Kilo", 1, 3, None, "kilo/cells")
    assert position_in("Kilo", keys, "kilo/cells") == SeriesPosition("Kilo", 2, 3, "kilo/intro", "kilo/wrap-up")
    assert position_in("Kilo", keys, "kilo/wrap-up") == SeriesPosition("Kilo", 3, 3, "kilo/cells", None)
    assert position_in("Kilo", keys, "kilo/other") is None


def test_a_series_of_one_has_no_neighbours():
    assert position_in("Solo", ("a/b",), "a/b") == SeriesPosition("Solo", 1, 1, None, None)


def test_series_position_of_a_post():
    posts = [post("two", 3), post("one", 2), post("none", 4, series=None)]
    site = build_site(posts)
    assert site.series == {"Kilo": ("kilo/one", "kilo/two")}
    assert series_position(site.series, posts[0]) == SeriesPosition("Kilo", 2, 2, "kilo/one", None)
    assert series_position(site.series, posts[2]) is None


def test_build_site_fails_on_a_duplicate_part_listing_both_files():
    with pytest.raises(BuildError) as error:
        build_site([post("a", 2, part=2), post("b", 3, part=2)])
    assert error.value.problems == ["series 'Kilo': part 2 is claimed by kilo/a.md and kilo/b.md"]


def test_a_part_past_the_series_end_is_a_problem_naming_the_file():
    posts = [post(f"day{n}", n + 1) for n in range(1, 7)] + [post("wrap-up", 9, part=12)]
    _index, problems = series_index(posts)
    assert problems == ["kilo/wrap-up.md: Series-Part: 12, but the series 'Kilo' has 7 posts (drafts and posts "
                        "dated in the future included): give a part from 1 to 7"]


def test_drafts_and_future_posts_count_towards_the_series_size():
    # Three published, two waiting (one spelt in another case): part 5 exists, part 6 does not.
    published = [post("one", 2, part=1), post("three", 4, part=3), post("five", 3, part=5)]
    index, problems = series_index(published, unpublished=["Kilo", "kilo"])
    assert problems == []
    assert index["Kilo"] == ("kilo/one", "kilo/three", "kilo/five")
    _index, problems = series_index(published + [post("six", 5, part=6)], unpublished=["Kilo", "Other"])
    assert problems == ["kilo/six.md: Series-Part: 6, but the series 'Kilo' has 5 posts (drafts and posts dated "
                        "in the future included): give a part from 1 to 5"]
