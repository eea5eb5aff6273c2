"""The comment sanitizer on hostile and ordinary input, read back the way a
browser would (BeautifulSoup), never by looking for substrings alone."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import html5lib
import pytest
from bs4 import BeautifulSoup

from midcycle.comments import read_comment
from midcycle.sanitize import ALLOWED_TAGS, LINK_REL, clean_comment, safe_href

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;avascript&#58;alert(1)">click</a>',
    '<a href=" java\tscript:alert(1)">click</a>',
    '<a href="\x01javascript:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    "<style>body { display: none }</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<p onclick="alert(1)" style="x">text</p>',
    '<a href="https://ok.example/" onmouseover="alert(1)">ok</a>',
    '<svg onload=alert(1)><circle/></svg>',
    '<math><mtext><script>alert(1)</script></mtext></math>',
    '<!--<script>alert(1)</script>-->',
    '<![CDATA[<script>alert(1)</script>]]>',
    '<a href="https://ok.example/"><a href="javascript:alert(1)">nested</a></a>',
    '<p>unclosed <a href="https://ok.example/',
    "<form action=x><input name=y></form><object data=x></object><embed src=x><base href=x>",
]


def soup_of(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def assert_safe(html: str) -> None:
    for tag in soup_of(html).find_all(True):
        assert tag.name in ALLOWED_TAGS, (tag.name, html)
        allowed = {"href", "rel"} if tag.name == "a" else set()
        assert set(tag.attrs) <= allowed, (tag.attrs, html)
        if tag.name == "a":
            assert tag["href"].startswith(("http://", "https://", "mailto:")), html
            assert tag["rel"] == LINK_REL.split(), html


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_leaves_only_allowed_tags_and_safe_links(hostile):
    assert_safe(clean_comment(hostile))


def test_a_script_is_shown_as_text_not_run():
    html = clean_comment("Look: <script>alert(1)</script>")
    assert soup_of(html).find("script") is None
    assert soup_of(html).get_text() == "Look: <script>alert(1)</script>"


@pytest.mark.parametrize("hostile", [h for h in HOSTILE if "javascript" in h.lower() or "&#" in h])
def test_no_javascript_link_survives(hostile):
    links = [a["href"] for a in soup_of(clean_comment(hostile)).find_all("a")]
    assert not [href for href in links if "script" in href.lower()]


def test_an_unsafe_link_shows_as_text_with_its_end_tag():
    html = clean_comment('<a href="javascript:alert(1)">click</a> after')
    assert soup_of(html).find("a") is None
    assert soup_of(html).get_text() == '<a href="javascript:alert(1)">click</a> after'


def test_allowed_markup_stays_and_links_get_rel():
    html = clean_comment('<p>A <em>b</em> <strong>c</strong> <code>d</code> '
                         '<a href="https://x.example/?a=1&amp;b=2" title="t">x</a></p>'
                         "<ul><li>one</li></ul><blockquote>q</blockquote><pre>  p</pre>")
    soup = soup_of(html)
    assert [t.name for t in soup.find_all(True)] == ["p", "em", "strong", "code", "a", "ul", "li", "blockquote", "pre"]
    link = soup.find("a")
    assert link["href"] == "https://x.example/?a=1&b=2"
    assert link["rel"] == ["nofollow", "ugc"]
    assert "title" not in link.attrs
    assert soup.find("pre").get_text() == "  p"


def test_event_attributes_are_dropped_but_the_text_stays():
    soup = soup_of(clean_comment('<p onclick="alert(1)">text</p>'))
    assert soup.find("p").attrs == {}
    assert soup.get_text() == "text"


def test_unknown_tags_are_escaped_so_code_talk_survives():
    soup = soup_of(clean_comment("Use vector<int> here; a < b and x<3."))
    assert soup.get_text() == "Use vector<int> here; a < b and x<3."


def test_plain_text_keeps_its_paragraphs_but_not_its_hard_wraps():
    html = clean_comment("First line\nsecond line\n\n\nSecond paragraph\r\nwrapped\r\n")
    soup = soup_of(html)
    assert [p.get_text() for p in soup.find_all("p")] == ["First line second line", "Second paragraph wrapped"]
    assert soup.find("br") is None


def test_html_bodies_are_not_reparagraphed():
    assert clean_comment("<p>One\ntwo</p>") == "<p>One\ntwo</p>"


def test_unclosed_tags_are_closed_and_stray_end_tags_dropped():
    assert clean_comment("<p><em>open") == "<p><em>open</em></p>"
    assert clean_comment("<p>x</p></li></ul>") == "<p>x</p>"


def test_control_characters_are_removed_so_the_feed_stays_xml():
    assert clean_comment("a\x00b\x0bc\x7f") == "<p>abc</p>"


@pytest.mark.parametrize("url, expected", [
    ("https://example.org/a?b#c", "https://example.org/a?b#c"),
    ("  http://example.org/ ", "http://example.org/"),
    ("mailto:jane@example.org", "mailto:jane@example.org"),
    ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    (" java\nscript:alert(1)", None),
    ("\x00javascript:alert(1)", None),
    ("data:text/html,x", None),
    ("http:example.org", None),
    ("http:\\\\example.org", None),
    ("", None),
])
def test_safe_href_for_the_link_header(url, expected):
    assert safe_href(url, relative=False) == expected


def test_relative_links_pass_only_where_allowed():
    assert safe_href("../other.html") == "../other.html"
    assert safe_href("../other.html", relative=False) is None


def links_of(html: str) -> list[tuple[str, str, str]]:
    return [(a["href"], " ".join(a["rel"]), a.get_text()) for a in soup_of(html).find_all("a")]


def test_bare_web_addresses_become_links_without_the_sentence_around_them():
    html = clean_comment("See https://a.example/x.html. Also (http://b.example/wiki/A_(b)) and "
                         "http://c.example/?a=1&amp;b=2, or HTTPS://D.EXAMPLE/!")
    assert links_of(html) == [
        ("https://a.example/x.html", LINK_REL, "https://a.example/x.html"),
        ("http://b.example/wiki/A_(b)", LINK_REL, "http://b.example/wiki/A_(b)"),
        ("http://c.example/?a=1&b=2", LINK_REL, "http://c.example/?a=1&b=2"),
        ("HTTPS://D.EXAMPLE/", LINK_REL, "HTTPS://D.EXAMPLE/"),
    ]
    assert soup_of(html).get_text() == ("See https://a.example/x.html. Also (http://b.example/wiki/A_(b)) and "
                                        "http://c.example/?a=1&b=2, or HTTPS://D.EXAMPLE/!")


@pytest.mark.parametrize("text, expected", [
    # Only http and https, however the text is dressed up.
    ("javascript:alert(1)//http://x", [("http://x", LINK_REL, "http://x")]),  # the web address only
    ("&#106;avascript:alert(1)", []),
    ("ftp://files.example/ and mailto:me@example.org", []),
    ("data:text/html,http", []),
    # Quotes and angle brackets end an address: no way into an attribute.
    ('http://"onmouseover="alert(1)', []),
    ("http://x.example/'onmouseover='alert(1)", [("http://x.example/", LINK_REL, "http://x.example/")]),
    ("http://x.example/<script>alert(1)</script>", [("http://x.example/", LINK_REL, "http://x.example/")]),
    # Any space ends one, Unicode's too (no-break, ideographic, line separator).
    ("http://a.example/\u00a0tail", [("http://a.example/", LINK_REL, "http://a.example/")]),
    ("http://a.example/\u3000javascript:alert(1)", [("http://a.example/", LINK_REL, "http://a.example/")]),
    ("http://a.example/\u2028x", [("http://a.example/", LINK_REL, "http://a.example/")]),
    # Control characters are removed before anything is linked.
    ("http://a.exa\x00mple/", [("http://a.example/", LINK_REL, "http://a.example/")]),
    # No host, no link.
    ("http://", []),
    ("http://.", []),
    ("http://[", []),
])
def test_hostile_bare_addresses(text, expected):
    html = clean_comment(text)
    assert links_of(html) == expected
    for tag in soup_of(html).find_all(True):
        assert tag.name in ALLOWED_TAGS
        assert not [name for name in tag.attrs if name not in ("href", "rel")]


def test_addresses_in_a_link_stay_text_and_code_keeps_its_text():
    html = clean_comment('<a href="https://a.example/">see https://b.example/</a>')
    assert links_of(html) == [("https://a.example/", LINK_REL, "see https://b.example/")]
    # A link shown as text (bad href) may hold a link of its own: one level only.
    html = clean_comment('<a href="javascript:x">https://b.example/</a>')
    assert links_of(html) == [("https://b.example/", LINK_REL, "https://b.example/")]
    assert soup_of(html).get_text() == '<a href="javascript:x">https://b.example/</a>'


# Links decided on the URL as the rewrite that makes it absolute reads it
# (read_comment: sanitize, then absolute_links), read back by two parsers.

def _blank(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zs", "Zl", "Zp")


#: Every Unicode space and control or format character, as found in the
#: Unicode database (not a list typed from memory).
BLANKS = [chr(code) for code in range(0x110000) if 0xD800 > code or code > 0xDFFF if _blank(chr(code))]


def shown(body: str) -> str:
    """A comment body as a post page shows it."""
    comment, problems, _warnings = read_comment("a/one.comments/1.comment",
                                                f"Author: X\nDate: 2014-08-14 10:00\n\n{body}\n",
                                                "a/one", "http://blog.test/a/one.html", "UTC")
    assert problems == []
    return comment.body


def hrefs(html: str) -> list[str]:
    """Every link target in ``html`` as an HTML5 parser (html5lib, as
    browsers parse) and Python's parser read it."""
    browser = [a.get("href", "") for a in html5lib.parse(html, namespaceHTMLElements=False).iter("a")]
    python = [a.get("href", "") for a in soup_of(html).find_all("a")]
    assert browser == python, html
    return browser


def assert_only_safe_links(html: str) -> None:
    for href in hrefs(html):
        assert urlsplit(href).scheme in ("http", "https", "mailto"), (href, html)


@pytest.mark.parametrize("body", [
    '<a href="&nbsp;javascript:alert(1)">x</a>',
    '<a href="\u00a0javascript:alert(1)">x</a>',
    '<a href="\u2028javascript:alert(1)">x</a>',
    '<a href="\u3000javascript:alert(1)">x</a>',
    '<a href="\u1680javascript:alert(1)">x</a>',
    '<a href="&#x2028;javascript:alert(1)">x</a>',
    '<a href="&#12288;javascript:alert(1)">x</a>',
    '<a href="&Tab;java&NewLine;script&colon;alert(1)">x</a>',
    '<a href="\u200bjavascript:alert(1)">x</a>',
    '<a href="&#xFEFF;javascript:alert(1)">x</a>',
    '<a href="javascript:alert(1)\u00a0">x</a>',
    '<a href="\u00a0 \u2003javascript:alert(1)">x</a>',
])
def test_the_issues_links_do_not_survive(body):
    html = shown(body)
    assert_only_safe_links(html)
    assert not hrefs(html)  # shown as the text the commenter typed
    assert "alert(1)" in BeautifulSoup(html, "html.parser").get_text()


def test_no_blank_character_before_a_scheme_makes_a_live_link():
    assert len(BLANKS) > 200  # all of Cc, Cf, Zs, Zl, Zp
    body = "\n\n".join(f'<a href="{blank}javascript:alert({n})">x</a>' for n, blank in enumerate(BLANKS)
                       if blank not in "\r\n")
    html = shown(body)
    assert_only_safe_links(html)
    assert hrefs(html) == []


def test_good_links_with_blanks_around_them_stay_and_are_written_clean():
    html = shown('<a href="\u00a0https://jane.example/\u3000">jane</a> <a href="&nbsp;../two.html">two</a>')
    # ../two.html from a/one.html is the top-level two.html.
    assert hrefs(html) == ["https://jane.example/", "http://blog.test/two.html"]
