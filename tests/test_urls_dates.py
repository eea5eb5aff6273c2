import datetime

from midcycle import urls
from midcycle.dates import day_header, period_title, time_of_day


def test_listing_files():
    assert urls.listing_file("", 1) == "index.html"
    assert urls.listing_file("", 3) == "page/3.html"
    assert urls.listing_file("openstack/juno", 1) == "openstack/juno/index.html"
    assert urls.listing_file("openstack/juno", 2) == "openstack/juno/page/2.html"
    assert urls.tag_file("nova") == "tag/nova.html"
    assert urls.tag_file("nova", 2) == "tag/nova/page/2.html"
    assert urls.listing_file(urls.archive_base((2014, 8, 3)), 1) == "2014/08/03/index.html"


def test_feed_files_follow_the_design_table():
    assert urls.feed_file("", "rss") == "index.rss"
    assert urls.feed_file("openstack/juno", "atom") == "openstack/juno/index.atom"
    assert urls.feed_file(urls.tag_base("nova"), "rss") == "tag/nova.rss"
    assert urls.feed_file(urls.series_base("kilo"), "atom") == "series/kilo.atom"


def test_links_quote_unusual_characters():
    links = urls.Links("http://blog.test/", slugify=str.lower)
    assert links.path("wood/über uns") == "http://blog.test/wood/%C3%BCber%20uns/index.html"
    assert links.tag("Nova") == "http://blog.test/tag/nova.html"


def test_day_header_is_english_whatever_the_locale():
    # 13 August 2014 was a Wednesday; 1 March 2016 a Tuesday.
    assert day_header(datetime.date(2014, 8, 13)) == "Wed, 13 Aug 2014"
    assert day_header(datetime.date(2016, 3, 1)) == "Tue, 01 Mar 2016"
    assert time_of_day(datetime.datetime(2014, 8, 13, 7, 5)) == "07:05"
    assert period_title((2014, 8)) == "August 2014"
    assert period_title((2014,)) == "2014"


def test_feed_of_file_inverts_feed_file():
    kinds = ("rss", "atom", "json")
    for base in ("", "openstack", "openstack/juno", "tag/nova", "series/juno-meetup", "a/tag/b"):
        for kind in kinds:
            assert urls.feed_of_file(urls.feed_file(base, kind), kinds) == (base, kind)
    for name in ("index.html", "tag/nova.html", "tag/nova/page/2.html", "theme/css/x.css", "openstack/notes.rss",
                 "index.xml", "tag/.rss", "series/x/y.json", "rss"):
        assert urls.feed_of_file(name, kinds) is None, name
    assert urls.feed_of_file("tag/nova.json", ("rss",)) is None
