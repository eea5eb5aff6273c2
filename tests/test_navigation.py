"""navigation: the ways around, from index data written out by hand."""

from __future__ import annotations

from midcycle.navigation import ArchiveYear, DateNeighbours, archive_years, breadcrumb, date_neighbours, path_children, top_paths

PATHS = ["openstack", "openstack/juno", "openstack/juno/nova", "openstack/kilo", "openstacked", "wood",
         "wood/turning"]


def test_top_and_child_paths():
    assert top_paths(PATHS) == ("openstack", "openstacked", "wood")
    below = path_children(PATHS)
    assert below["openstack"] == ("openstack/juno", "openstack/kilo")
    assert below["openstack/juno"] == ("openstack/juno/nova",)
    assert "openstack/juno/nova" not in below
    assert below[""] == ("openstack", "openstacked", "wood")


def test_breadcrumb_names_each_level_and_leads_to_it():
    assert breadcrumb("openstack/juno") == (("openstack", "openstack"), ("juno", "openstack/juno"))
    assert breadcrumb("") == ()


def test_date_neighbours_follow_the_timeline():
    timeline = ("c", "b", "a")  # newest first
    assert date_neighbours(timeline) == {
        "c": DateNeighbours(older="b", newer=None),
        "b": DateNeighbours(older="a", newer="c"),
        "a": DateNeighbours(older=None, newer="b"),
    }
    assert date_neighbours(("only",)) == {"only": DateNeighbours(None, None)}


def test_archive_years_count_posts_newest_first():
    archives = {
        (2014,): ("p1", "p2", "p3"), (2014, 8): ("p1", "p2"), (2014, 9): ("p3",),
        (2014, 8, 13): ("p1",), (2014, 8, 20): ("p2",), (2014, 9, 1): ("p3",),
        (2015,): ("p4",), (2015, 1): ("p4",), (2015, 1, 2): ("p4",),
    }
    assert archive_years(archives) == (
        ArchiveYear(2015, 1, ((1, 1),)),
        ArchiveYear(2014, 3, ((9, 1), (8, 2))),
    )
    assert archive_years({}) == ()
