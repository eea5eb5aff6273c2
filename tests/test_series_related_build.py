"""Series and related posts in real builds: the series box, the series pages
and the "Related posts:" line, read back with BeautifulSoup."""

from __future__ import annotations

import pytest

from conftest import SITEURL, failing_build, write_post

KILO = "Kilo mid-cycle meetup summary"
KILO_PAGE = f"{SITEURL}/series/kilo-mid-cycle-meetup-summary.html"


def url(key: str) -> str:
    return f"{SITEURL}/{key}.html"


@pytest.fixture
def kilo(content):
    """Six published posts (two series) plus a draft and a future post that
    would rank high in both the series and the related lists if they leaked.

    Published N = 6; df: openstack 5, kilo 4, upgrades 2, db 2, cells 1,
    woodturning 1, lathe 1, community 1. Weights 1 + ln(6/df):
    openstack 1.182, kilo 1.405, upgrades 2.099, db 2.099.
    """
    # Written last, but it is the introduction: it claims part 1.
    write_post(content, "openstack/kilo/intro.md", "Kilo: introduction", "2015-02-06 09:00",
               tags="openstack, kilo", series=KILO, series_part="1")
    write_post(content, "openstack/kilo/upgrades.md", "Kilo: upgrades", "2015-02-03 12:15",
               tags="openstack, kilo, upgrades", series=KILO)
    write_post(content, "openstack/kilo/cells.md", "Kilo: cells v2", "2015-02-03 16:40",
               tags="openstack, kilo, cells, db", series=KILO)
    write_post(content, "openstack/kilo/db.md", "Kilo: database", "2015-02-04 19:05",
               tags="openstack, kilo, db, upgrades", series=KILO)
    write_post(content, "openstack/kilo/scheduler.md", "Kilo: scheduler draft", "2015-02-04 10:00",
               tags="openstack, kilo, db, upgrades", series=KILO, status="draft")
    write_post(content, "openstack/kilo/retro.md", "Kilo: retrospective from the future", "2099-01-01 10:00",
               tags="openstack, kilo, db, upgrades", series=KILO)
    write_post(content, "wood/lathe.md", "Lathe restoration, part one", "2015-06-13 11:00",
               tags="woodturning, lathe", series="Lathe & <friends>")
    write_post(content, "openstack/why.md", "Why I go to meetups", "2014-08-09 14:20",
               tags="openstack, community")
    return content


def series_box(page) -> dict[str, object]:
    box = page.select_one("nav.series-box")
    return {
        "part": box.select_one(".series-part").get_text(),
        "list": box.select_one(".series-part a")["href"],
        "prev": [(a.get_text(), a["href"]) for a in box.select("a[rel=prev]")],
        "next": [(a.get_text(), a["href"]) for a in box.select("a[rel=next]")],
    }


def related_line(block) -> tuple[str, list[str]] | None:
    line = block.select_one(".post-related")
    return None if line is None else (line.get_text(), [a["href"] for a in line.select("a")])


def test_series_box_counts_parts_and_links_both_ways(kilo, build):
    site = build(kilo)
    # Series order: intro (claims part 1), then by date: upgrades (3 Feb
    # 12:15), cells (3 Feb 16:40), db (4 Feb). The draft and the future post
    # are not parts, so there are 4.
    assert series_box(site.html("openstack/kilo/intro.html")) == {
        "part": f"Part 1 of 4 in {KILO}", "list": KILO_PAGE,
        "prev": [], "next": [("Kilo: upgrades", url("openstack/kilo/upgrades"))],
    }
    assert series_box(site.html("openstack/kilo/cells.html")) == {
        "part": f"Part 3 of 4 in {KILO}", "list": KILO_PAGE,
        "prev": [("Kilo: upgrades", url("openstack/kilo/upgrades"))],
        "next": [("Kilo: database", url("openstack/kilo/db"))],
    }
    assert series_box(site.html("openstack/kilo/db.html")) == {
        "part": f"Part 4 of 4 in {KILO}", "list": KILO_PAGE,
        "prev": [("Kilo: cells v2", url("openstack/kilo/cells"))], "next": [],
    }
    # A one-post series: part 1 of 1, no neighbours; its odd name is text.
    lathe = series_box(site.html("wood/lathe.html"))
    assert lathe["part"] == "Part 1 of 1 in Lathe & <friends>"
    assert lathe["prev"] == lathe["next"] == []
    assert "&lt;friends&gt;" in site.file("wood/lathe.html").read_text(encoding="utf-8")
    # Not in a series: no box. Listings never show one.
    assert site.html("openstack/why.html").select_one(".series-box") is None
    assert site.html("index.html").select_one(".series-box") is None


def test_chronological_list_page(kilo, build):
    site = build(kilo)
    page = site.html("series/kilo-mid-cycle-meetup-summary.html")
    assert page.select_one("h1").get_text() == f"Chronological list of {KILO} posts"
    assert page.title.get_text().startswith(f"Chronological list of {KILO} posts")
    items = page.select("ol.series-list li")
    assert [" ".join(li.get_text().split()) for li in items] == [
        "Fri, 06 Feb 2015: Kilo: introduction (path: /openstack/kilo)",
        "Tue, 03 Feb 2015: Kilo: upgrades (path: /openstack/kilo)",
        "Tue, 03 Feb 2015: Kilo: cells v2 (path: /openstack/kilo)",
        "Wed, 04 Feb 2015: Kilo: database (path: /openstack/kilo)",
    ]
    assert [[a["href"] for a in li.select("a")] for li in items][1] == [
        url("openstack/kilo/upgrades"), f"{SITEURL}/openstack/kilo/index.html"]


def test_series_index_counts_and_date_ranges(kilo, build):
    site = build(kilo)
    page = site.html("series/index.html")
    items = page.select("ul.series-index li")
    # The range runs from the oldest post (upgrades, 3 Feb) to the newest
    # (intro, 6 Feb), not from part 1 to part n.
    assert [" ".join(li.get_text().split()) for li in items] == [
        f"{KILO} (4 posts, Tue, 03 Feb 2015 to Fri, 06 Feb 2015)",
        "Lathe & <friends> (1 post, Sat, 13 Jun 2015)",
    ]
    # The slug is the tags' slugify, which drops what looks like markup.
    assert [li.a["href"] for li in items] == [KILO_PAGE, f"{SITEURL}/series/lathe.html"]
    assert site.exists("series/lathe.html")


def test_related_lines_on_post_pages_and_listings(kilo, build):
    site = build(kilo)
    # db shares openstack+kilo+db with cells and openstack+kilo+upgrades with
    # upgrades: 1.182 + 1.405 + 2.099 = 4.686 each, a tie; cells (26 h 25 min
    # away) is closer than upgrades (30 h 50 min). Then intro, openstack+kilo
    # 2.587, then why, openstack 1.182. lathe shares nothing.
    # db is part of the Kilo series: its chronological list ends the line.
    expected_db = (
        "Related posts: Kilo: cells v2; Kilo: upgrades; Kilo: introduction; Why I go to meetups; "
        f"Chronological list of {KILO} posts",
        [url("openstack/kilo/cells"), url("openstack/kilo/upgrades"), url("openstack/kilo/intro"),
         url("openstack/why"), KILO_PAGE],
    )
    # why (Aug 2014) shares only openstack (1.182) with the four Kilo posts:
    # nearest first, upgrades, cells, db, intro.
    expected_why = (
        "Related posts: Kilo: upgrades; Kilo: cells v2; Kilo: database; Kilo: introduction",
        [url(f"openstack/kilo/{slug}") for slug in ("upgrades", "cells", "db", "intro")],
    )
    assert related_line(site.html("openstack/kilo/db.html").select_one("article.post")) == expected_db
    assert related_line(site.html("openstack/why.html").select_one("article.post")) == expected_why
    # lathe shares nothing, but is in a series of its own: the line leads there only.
    assert related_line(site.html("wood/lathe.html").select_one("article.post")) == (
        "Related posts: Chronological list of Lathe & <friends> posts", [f"{SITEURL}/series/lathe.html"])
    # The same line under the post's block on every listing it appears in.
    for listing in ("index.html", "openstack/index.html", "openstack/kilo/index.html", "tag/db.html",
                    "2015/02/04/index.html"):
        blocks = {b.select_one(".post-title a")["href"]: b for b in site.html(listing).select("article.post")}
        assert related_line(blocks[url("openstack/kilo/db")]) == expected_db, listing


def test_related_posts_max_and_pins(kilo, build):
    write_post(kilo, "openstack/why.md", "Why I go to meetups", "2014-08-09 14:20",
               tags="openstack, community", related="/wood/lathe.html, openstack/kilo/db")
    site = build(kilo, RELATED_POSTS_MAX=3)
    # Pins first, in the order written, then the best scored of the rest.
    assert related_line(site.html("openstack/why.html").select_one("article.post")) == (
        "Related posts: Lathe restoration, part one; Kilo: database; Kilo: upgrades",
        [url("wood/lathe"), url("openstack/kilo/db"), url("openstack/kilo/upgrades")],
    )
    assert related_line(site.html("openstack/kilo/db.html").select_one("article.post"))[1] == [
        url("openstack/kilo/cells"), url("openstack/kilo/upgrades"), url("openstack/kilo/intro"), KILO_PAGE]


def test_drafts_and_future_posts_are_in_no_series_and_no_related_list(kilo, build):
    site = build(kilo)
    for name in site.files():
        if name.endswith(".html"):
            text = site.file(name).read_text(encoding="utf-8")
            assert "scheduler" not in text, name
            assert "retrospective" not in text, name
            assert "/retro.html" not in text, name
    assert not site.exists("openstack/kilo/scheduler.html")
    assert not site.exists("openstack/kilo/retro.html")


def test_two_posts_claiming_one_part_fail_the_build_naming_both(content, tmp_path):
    write_post(content, "kilo/cells.md", "Cells", "2015-02-03 16:40", series=KILO, series_part="2")
    write_post(content, "kilo/scheduler.md", "Scheduler", "2015-02-03 21:40", series=KILO, series_part="2")
    write_post(content, "kilo/intro.md", "Intro", "2015-02-02 08:50", series=KILO)
    text = failing_build(content, tmp_path / "output")
    assert "kilo/cells.md" in text and "kilo/scheduler.md" in text
    assert "part 2" in text
    assert not (tmp_path / "output" / "index.html").exists()


@pytest.mark.parametrize("metadata, message", [
    ({"series": KILO, "series_part": "three"}, "not 'three'"),
    ({"series": KILO, "series_part": "0"}, "not '0'"),
    ({"series_part": "2"}, "without a Series: line"),
    ({"related": "openstack/kilo/no-such-post"}, "'openstack/kilo/no-such-post' is not a published post"),
])
def test_bad_series_part_or_related_name_fails_naming_the_file(content, tmp_path, metadata, message):
    write_post(content, "kilo/intro.md", "Intro", "2015-02-02 08:50", series=KILO)
    write_post(content, "kilo/bad-post.md", "Bad", "2015-02-03 08:50", **metadata)
    text = failing_build(content, tmp_path / "output")
    assert "kilo/bad-post.md" in text
    assert message in text
