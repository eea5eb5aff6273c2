"""Real builds of small content trees: permalinks, path pages, listings,
pagination, drafts and the page anatomy, read back with BeautifulSoup."""

from __future__ import annotations

import re

from conftest import SITEURL, write_post


def post_titles(soup) -> list[str]:
    return [a.get_text() for a in soup.select("article.post .post-title a")]


def test_permalinks_follow_folder_and_file_stem(content, build):
    write_post(content, "openstack/juno/db2-support.md", "Juno meetup summary: DB2 support", "2014-08-14 19:20")
    write_post(content, "wood/turning/20140718-woodturning.md", "A day at the lathe", "2014-07-18 10:00")
    write_post(content, "openstack/juno/renamed.md", "Explicit slug", "2014-08-15 09:00", slug="kept-forever")
    site = build(content)

    assert site.exists("openstack/juno/db2-support.html")
    assert site.exists("wood/turning/20140718-woodturning.html")
    assert site.exists("openstack/juno/kept-forever.html")
    assert not site.exists("openstack/juno/renamed.html")
    # The title slug is never used: editing a title must not move a permalink.
    assert not any("juno-meetup-summary" in name for name in site.files())
    # Post files are read, never published as they are.
    assert not [name for name in site.files() if name.endswith(".md")]
    page = site.html("openstack/juno/db2-support.html")
    assert page.select_one("h1.post-title").get_text() == "Juno meetup summary: DB2 support"


def test_posts_in_different_paths_may_share_a_file_stem(content, build):
    write_post(content, "openstack/juno/introduction.md", "Juno intro", "2014-08-13 10:00")
    write_post(content, "openstack/kilo/introduction.md", "Kilo intro", "2015-02-02 10:00", lang="de")
    site = build(content)
    assert site.html("openstack/juno/introduction.html").select_one("h1").get_text() == "Juno intro"
    assert site.html("openstack/kilo/introduction.html").select_one("h1").get_text() == "Kilo intro"
    assert post_titles(site.html("index.html")) == ["Kilo intro", "Juno intro"]
    assert "items" not in site.result.stdout + site.result.stderr  # no "2 items with slug" warning


def test_path_pages_hold_their_descendants_and_nothing_else(content, build):
    write_post(content, "openstack/juno/a.md", "Juno A", "2014-08-13 10:00")
    write_post(content, "openstack/juno/nova/b.md", "Juno Nova B", "2014-08-12 10:00")
    write_post(content, "openstack/c.md", "Openstack C", "2014-08-11 10:00")
    write_post(content, "openstacked/d.md", "Not below openstack", "2014-08-10 10:00")
    write_post(content, "wood/e.md", "Wood E", "2014-08-09 10:00")
    site = build(content)

    assert post_titles(site.html("openstack/index.html")) == ["Juno A", "Juno Nova B", "Openstack C"]
    assert post_titles(site.html("openstack/juno/index.html")) == ["Juno A", "Juno Nova B"]
    assert post_titles(site.html("openstack/juno/nova/index.html")) == ["Juno Nova B"]
    assert post_titles(site.html("openstacked/index.html")) == ["Not below openstack"]
    assert post_titles(site.html("wood/index.html")) == ["Wood E"]
    assert len(post_titles(site.html("index.html"))) == 5


def test_listing_groups_by_day_newest_first(content, build):
    write_post(content, "a/morning.md", "Morning", "2014-08-13 09:05")
    write_post(content, "a/night.md", "Night", "2014-08-13 23:57")
    write_post(content, "a/before.md", "The day before", "2014-08-12 12:00")
    write_post(content, "a/later.md", "Later", "2014-09-01 08:00")
    site = build(content)
    page = site.html("index.html")

    days = [(section.select_one("h2.day-header").get_text(), post_titles(section))
            for section in page.select("section.day")]
    # 13 Aug 2014 was a Wednesday, 12 Aug a Tuesday, 1 Sep a Monday.
    assert days == [
        ("Mon, 01 Sep 2014", ["Later"]),
        ("Wed, 13 Aug 2014", ["Night", "Morning"]),
        ("Tue, 12 Aug 2014", ["The day before"]),
    ]


def test_pagination_links_both_ways(content, build):
    for day in range(1, 6):
        write_post(content, f"log/day{day}.md", f"Day {day}", f"2015-03-0{day} 12:00")
    site = build(content, DEFAULT_PAGINATION=2)

    first, second, third = (site.html(name) for name in ("index.html", "page/2.html", "page/3.html"))
    assert post_titles(first) == ["Day 5", "Day 4"]
    assert post_titles(second) == ["Day 3", "Day 2"]
    assert post_titles(third) == ["Day 1"]
    assert not site.exists("page/4.html")

    def nav(page) -> dict[str, str]:
        return {a.get_text(): a["href"] for a in page.select("nav.pagination a")}

    assert nav(first) == {"Previous page": f"{SITEURL}/page/2.html"}
    assert nav(second) == {"Previous page": f"{SITEURL}/page/3.html", "Next page": f"{SITEURL}/index.html"}
    assert nav(third) == {"Next page": f"{SITEURL}/page/2.html"}
    # Path listings paginate the same way inside their folder.
    assert nav(site.html("log/index.html")) == {"Previous page": f"{SITEURL}/log/page/2.html"}
    assert post_titles(site.html("log/page/3.html")) == ["Day 1"]


def test_drafts_and_future_posts_are_nowhere(content, build):
    write_post(content, "a/public.md", "Public post", "2014-08-13 10:00", tags="shared")
    write_post(content, "a/draft.md", "Secret draft", "2014-08-13 11:00", tags="shared, onlydraft", status="draft")
    write_post(content, "a/future.md", "From the future", "2099-01-01 10:00", tags="shared, onlyfuture")
    site = build(content)

    for name in site.files():
        if name.endswith((".html", ".rss", ".atom", ".xml")):
            text = site.file(name).read_text(encoding="utf-8")
            assert "Secret draft" not in text, name
            assert "From the future" not in text, name
    assert not site.exists("a/draft.html")
    assert not site.exists("a/future.html")
    assert not site.exists("tag/onlydraft.html")
    assert not site.exists("tag/onlyfuture.html")
    assert not site.exists("2099/index.html")
    assert post_titles(site.html("tag/shared.html")) == ["Public post"]


def test_the_build_says_how_many_posts_it_read(content, build):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    write_post(content, "a/two.md", "Two", "2014-08-14 10:00")
    write_post(content, "a/draft.md", "Draft", "2014-08-15 10:00", status="draft")
    said = build(content).result
    said = said.stdout + said.stderr
    # A fresh output: every page rendered and written. (How many posts were
    # read depends on what other tests left in the shared cache.)
    match = re.search(r"midcycle: 2 posts \(\d read\), (\d+) pages and feeds: (\d+) rendered, (\d+) written, "
                      r"0 unchanged", said)
    assert match and len(set(match.groups())) == 1, said
    assert "Processed 2 articles, 1 draft" in said, said  # Pelican's own closing line


def test_anatomy_lines(content, build):
    write_post(content, "openstack/juno/db2-support.md", "DB2 support", "2014-08-13 23:57",
               tags="openstack, juno, nova, mid-cycle, summary")
    site = build(content)

    for name in ("index.html", "openstack/juno/db2-support.html", "openstack/index.html", "tag/nova.html",
                 "2014/08/13/index.html"):
        page = site.html(name)
        byline = page.select_one(".byline")
        assert " ".join(byline.get_text().split()) == (
            "Content here is by Robin Carter. All opinions are my own. "
            "See recent comments. RSS feed of all comments.")
        block = page.select_one("article.post")
        tags = block.select_one(".post-tags")
        assert tags.get_text() == "Tags for this post: openstack juno nova mid-cycle summary"
        assert [a["href"] for a in tags.select("a")] == [
            f"{SITEURL}/tag/{tag}.html" for tag in ("openstack", "juno", "nova", "mid-cycle", "summary")]
        meta = block.select_one(".post-meta")
        assert meta.get_text() == "posted at: 23:57 | path: /openstack/juno | permanent link to this entry"
        links = {a.get_text(): a["href"] for a in meta.select("a")}
        assert links == {"/openstack/juno": f"{SITEURL}/openstack/juno/index.html",
                         "permanent link to this entry": f"{SITEURL}/openstack/juno/db2-support.html"}
        assert block.select_one(".post-title a")["href"] == f"{SITEURL}/openstack/juno/db2-support.html"
        # A heading on listings; above the post page's h1 title, a plain line.
        day = page.select_one(".day-header")
        assert day.name == ("p" if name == "openstack/juno/db2-support.html" else "h2")
        assert day.get_text() == "Wed, 13 Aug 2014"
        assert day.a["href"] == f"{SITEURL}/2014/08/13/index.html"


def test_explicit_utc_offset_is_kept_as_the_posts_local_time(content, build):
    write_post(content, "a/offset.md", "Posted from Berlin", "2014-08-13 23:57:00+02:00")
    site = build(content)
    block = site.html("a/offset.html").select_one("article.post")
    assert block.select_one(".post-meta").get_text().startswith("posted at: 23:57 |")
    assert block.select_one("time")["datetime"] == "2014-08-13T23:57:00+02:00"


def test_tag_pages_and_index(content, build):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="nova, cells")
    write_post(content, "b/two.md", "Two", "2014-08-14 10:00", tags="nova")
    site = build(content)
    assert post_titles(site.html("tag/nova.html")) == ["Two", "One"]
    assert post_titles(site.html("tag/cells.html")) == ["One"]
    items = [" ".join(li.get_text().split()) for li in site.html("tag/index.html").select(".tag-index li")]
    assert items == ["cells (1)", "nova (2)"]


def test_date_archives_for_every_year_month_and_day(content, build):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    write_post(content, "a/two.md", "Two", "2014-08-20 10:00")
    write_post(content, "a/three.md", "Three", "2015-01-02 10:00")
    site = build(content)
    assert post_titles(site.html("2014/index.html")) == ["Two", "One"]
    assert post_titles(site.html("2014/08/index.html")) == ["Two", "One"]
    assert post_titles(site.html("2014/08/13/index.html")) == ["One"]
    assert post_titles(site.html("2015/01/02/index.html")) == ["Three"]
    archives = sorted(name for name in site.files() if re.match(r"\d{4}/", name))
    assert archives == ["2014/08/13/index.html", "2014/08/20/index.html", "2014/08/index.html",
                        "2014/index.html", "2015/01/02/index.html", "2015/01/index.html", "2015/index.html"]


def test_pelicans_own_pages_and_feeds_are_replaced(content, build):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="nova")
    site = build(content)
    files = site.files()
    assert not [f for f in files if f.startswith(("category/", "author/", "feeds/", "drafts/"))]
    # archives.html is midcycle's own (years and months), not Pelican's.
    assert site.html("archives.html").select_one(".archive-years") is not None
    assert "categories.html" not in files
    assert "authors.html" not in files


def test_images_beside_posts_are_copied_and_linked_absolutely(content, build):
    write_post(content, "wood/turning/bowl.md", "Bowl", "2014-08-13 10:00",
               body="![A bowl](images/bowl.png) and [the other post](other.html)")
    (content / "wood/turning/images").mkdir()
    (content / "wood/turning/images/bowl.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    site = build(content)
    assert site.file("wood/turning/images/bowl.png").read_bytes() == b"\x89PNG\r\n\x1a\nnot really"
    # On the home page the relative link would point at /images/bowl.png.
    home = site.html("index.html")
    assert home.select_one(".post-body img")["src"] == f"{SITEURL}/wood/turning/images/bowl.png"
    assert home.select_one(".post-body a")["href"] == f"{SITEURL}/wood/turning/other.html"


def test_sample_site_builds(build):
    from conftest import ROOT
    site = build(ROOT / "content")
    assert len(post_titles(site.html("index.html"))) == 10
    assert site.exists("openstack/kilo/index.html")
    assert site.exists("wood/turning/index.html")
    about = site.html("about.html")
    assert about.select_one("h1.page-title").get_text() == "About"
    assert "About" in [a.get_text() for a in site.html("index.html").select("nav.site-nav a")]
