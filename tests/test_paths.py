import datetime

from midcycle.indexes import build_site, date_archives
from midcycle.model import Post, newest_first
from midcycle.paths import ancestors, path_tree

TZ = datetime.timezone(datetime.timedelta(hours=10))


def post(path: str, slug: str, day: int, hour: int = 12, tags=()) -> Post:
    return Post(source=f"{path}/{slug}.md", path=path, slug=slug, title=slug,
                date=datetime.datetime(2014, 8, day, hour, tzinfo=TZ), tags=tuple(tags))


def test_ancestors():
    assert ancestors("openstack/juno/nova") == ["openstack", "openstack/juno", "openstack/juno/nova"]
    assert ancestors("wood") == ["wood"]
    assert ancestors("") == []


def test_path_tree_holds_descendants_only():
    posts = [post("openstack/juno", "a", 3), post("openstack", "b", 2),
             post("openstacked", "c", 1), post("", "top", 4)]
    assert path_tree(posts) == {
        "openstack": ("openstack/juno/a", "openstack/b"),
        "openstack/juno": ("openstack/juno/a",),
        "openstacked": ("openstacked/c",),
    }


def test_newest_first_breaks_ties_by_key():
    same = [post("b", "x", 1), post("a", "x", 1), post("c", "x", 2)]
    assert [p.key for p in newest_first(same)] == ["c/x", "b/x", "a/x"]


def test_date_archives_group_by_local_day():
    posts = [post("a", "late", 13, hour=23), post("a", "early", 13, hour=1), post("a", "other", 20)]
    archives = date_archives(newest_first(posts))
    assert archives[(2014,)] == ("a/other", "a/late", "a/early")
    assert archives[(2014, 8, 13)] == ("a/late", "a/early")
    assert archives[(2014, 8, 20)] == ("a/other",)
    assert set(archives) == {(2014,), (2014, 8), (2014, 8, 13), (2014, 8, 20)}


def test_build_site_indexes_hold_keys_newest_first():
    site = build_site([post("a", "one", 1, tags=["nova"]), post("b", "two", 2, tags=["nova", "cells"])])
    assert site.timeline == ("b/two", "a/one")
    assert site.tags == {"cells": ("b/two",), "nova": ("b/two", "a/one")}
    assert site.lookup(["a/one"])[0].title == "one"


def test_two_posts_with_one_permalink_are_a_problem_naming_both():
    import pytest

    from midcycle.errors import BuildError

    with pytest.raises(BuildError) as error:
        build_site([post("a", "x", 1), post("a", "x", 2), post("a", "X", 3), post("b", "x", 4)])
    assert error.value.problems == ["a/X.md and a/x.md and a/x.md: these posts have the same permalink a/x.html"]
