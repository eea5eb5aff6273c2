"""Unit tests of pyblosxom.py: PyBlosxom's entry and comment formats, and
the HTML post written from an entry. No Pelican run, no disk."""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from midcycle.tools.pyblosxom import (Entry, comment_file_parts, commenter_link, decode, parse_comment,
                                parse_entry, post_html, published, repair_html, split_tags)

SYDNEY = ZoneInfo("Australia/Sydney")


def test_an_entry_is_title_then_metadata_then_body():
    entry = parse_entry("Juno: DB2\n#tags a,b\n#published 2014-08-14 19:20\n#flag\n<p>Body</p>\n#not meta\n")
    assert entry == Entry("Juno: DB2", (("tags", "a,b"), ("published", "2014-08-14 19:20"), ("flag", "1")),
                          "<p>Body</p>\n#not meta\n")
    assert entry.get("tags") == "a,b" and entry.get("missing") is None


def test_the_body_is_kept_byte_for_byte():
    body = "<pre>\n  x  &amp; y\r\n</pre>\n\n<p>end</p>"
    assert parse_entry("T\n" + body).body == body


@pytest.mark.parametrize("text", ["", "\n<p>body</p>\n", "   \n#tags a\nbody"])
def test_no_title_line_is_no_entry(text):
    assert parse_entry(text) is None


def test_titles_lose_control_characters_and_extra_space():
    assert parse_entry("A\x07  title\t here\nbody").title == "A title here"


@pytest.mark.parametrize("value, tags", [
    ("openstack,juno, nova", ("openstack", "juno", "nova")),
    ("openstack juno  nova", ("openstack", "juno", "nova")),
    ("mid cycle, summary", ("mid cycle", "summary")),
    ("a, a, , b", ("a", "b")),
    ("", ()),
])
def test_tags_comma_or_space_separated(value, tags):
    assert split_tags(value) == tags


def test_published_is_local_time_and_rejects_other_forms():
    assert published("2014-08-14 19:20", SYDNEY) == datetime.datetime(2014, 8, 14, 19, 20, tzinfo=SYDNEY)
    assert published("2014-08-14 19:20:05", SYDNEY).second == 5
    assert published("14 Aug 2014", SYDNEY) is None
    assert published("2014-02-30 10:00", SYDNEY) is None


def test_decode_falls_back_to_latin1_with_windows_quotes():
    assert decode("Caf\u00e9".encode()) == ("Caf\u00e9", False)
    assert decode(b"Caf\xe9 \x93q\x94") == ("Caf\u00e9 \u201cq\u201d", True)
    assert decode("\ufeffBOM".encode()) == ("BOM", False)


def test_repair_closes_open_tags_and_unwraps_document_tags():
    assert repair_html("<p>a <b>bold") == "<p>a <b>bold</b></p>"
    assert repair_html("<html><body><p>x</p></body></html>") == "<p>x</p>"
    assert repair_html("x</div> y") == "x y"


class _PelicanLikeReader(HTMLParser):
    """Reads a post file back the way browsers and Pelican split it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.meta, self.where = "", {}, None

    def handle_starttag(self, tag, attrs):
        if tag == "meta":
            self.meta[dict(attrs)["name"]] = dict(attrs)["content"]
        self.where = tag

    def handle_endtag(self, tag):
        self.where = None

    def handle_data(self, data):
        if self.where == "title":
            self.title += data


def test_post_html_escapes_every_value_for_its_place():
    hostile = 'A "quoted" <b>title</b> & more'
    html = post_html(hostile, datetime.datetime(2014, 8, 14, 19, 20, tzinfo=SYDNEY),
                     ['x"><script>alert(1)</script>', "nova"], [("slug", 'evil" onload="x'), ("Status", "draft")],
                     "<p>Body</p>")
    reader = _PelicanLikeReader()
    reader.feed(html)
    assert reader.title == hostile
    assert reader.meta == {"date": "2014-08-14 19:20:00+10:00", "tags": 'x"><script>alert(1)</script>, nova',
                           "pyblosxom-slug": 'evil" onload="x', "pyblosxom-status": "draft"}
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert str(soup.body.p) == "<p>Body</p>"


def test_comment_file_names():
    assert comment_file_parts("000123-1408000000.25.cmt") == ("000123", "1408000000.25")
    assert comment_file_parts("my-first-post-1408000000.cmt") == ("my-first-post", "1408000000")
    assert comment_file_parts("LATEST.cmt") is None
    assert comment_file_parts("000123-abc.cmt") is None


CMT = """<?xml version="1.0" encoding="{encoding}"?>
<item>
<description>&lt;p&gt;Hello&lt;/p&gt; caf\u00e9</description>
<pubDate>1408000000.5</pubDate>
<author> Jane
 Doe </author>
<title>Re: x</title>
<link>http://jane.example/</link>
<email>jane@example.org</email>
</item>
"""


def test_a_comment_reads_its_fields():
    comment, fell_back = parse_comment(CMT.format(encoding="utf-8").encode("utf-8"))
    assert not fell_back
    assert (comment.author, comment.link, comment.title) == ("Jane Doe", "http://jane.example/", "Re: x")
    assert comment.body == "<p>Hello</p> caf\u00e9"
    assert comment.time == 1408000000.5


def test_a_comment_in_its_declared_latin1_needs_no_fallback():
    comment, fell_back = parse_comment(CMT.format(encoding="iso-8859-1").encode("latin-1"))
    assert comment.body.endswith("caf\u00e9") and not fell_back


def test_a_comment_claiming_utf8_but_in_latin1_falls_back():
    comment, fell_back = parse_comment(CMT.format(encoding="utf-8").encode("latin-1"))
    assert comment.body.endswith("caf\u00e9") and fell_back


def test_a_bad_pubdate_is_none_and_broken_xml_is_an_error():
    comment, _ = parse_comment(b"<item><description>x</description><pubDate>soon</pubDate></item>")
    assert comment.time is None and comment.author == ""
    with pytest.raises(ValueError, match="not well-formed XML"):
        parse_comment(b"<item><description>x</item>")
    with pytest.raises(ValueError, match="not <item>"):
        parse_comment(b"<rss/>")


def test_bare_host_links_get_a_scheme_and_others_stay():
    assert commenter_link("www.example.org/blog") == "http://www.example.org/blog"
    assert commenter_link("https://example.org") == "https://example.org"
    assert commenter_link("javascript:alert(1)") == "javascript:alert(1)"
