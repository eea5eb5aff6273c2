from midcycle.rewrite import absolute_links

BASE = "http://blog.test/wood/turning/bowl.html"


def test_relative_links_and_images_resolve_against_the_permalink():
    html = '<p><a href="other.html">o</a> <img src="images/x.png" alt=""> <a href="../index.html">up</a></p>'
    out = absolute_links(html, BASE)
    assert 'href="http://blog.test/wood/turning/other.html"' in out
    assert 'src="http://blog.test/wood/turning/images/x.png"' in out
    assert 'href="http://blog.test/wood/index.html"' in out


def test_absolute_and_special_urls_are_left_alone():
    html = ('<p><a href="https://example.org/x">a</a><a href="mailto:me@example.org">m</a>'
            '<img src="data:image/png;base64,AAAA" alt=""> <img src="http://example.org/i.png" alt=""></p>')
    # Not even parsed and written again: the very same string comes back.
    assert absolute_links(html, BASE) is html


def test_root_relative_and_fragment_links():
    out = absolute_links('<a href="/tag/nova.html">t</a><a href="#notes">n</a>', BASE)
    assert 'href="http://blog.test/tag/nova.html"' in out
    assert 'href="http://blog.test/wood/turning/bowl.html#notes"' in out


def test_srcset_candidates_each_resolve():
    out = absolute_links('<img src="a.png" srcset="a.png 1x, big/a.png 2x" alt="">', BASE)
    assert 'srcset="http://blog.test/wood/turning/a.png 1x, http://blog.test/wood/turning/big/a.png 2x"' in out


def test_body_without_links_is_returned_unchanged():
    html = "<p>No links &amp; no images here.</p>"
    assert absolute_links(html, BASE) is html


def test_quotation_sources_resolve():
    html = '<blockquote cite="notes/etherpad.html"><p>q</p></blockquote><q cite="../x.html">y</q>'
    out = absolute_links(html, BASE)
    assert 'cite="http://blog.test/wood/turning/notes/etherpad.html"' in out
    assert 'cite="http://blog.test/wood/x.html"' in out


def test_a_second_pass_changes_nothing():
    html = ('<p><a href="other.html">o</a> <img src="images/x.png" srcset="a.png 1x, b.png 2x" alt=""> '
            "<a href='single.html'>s</a> <a href=bare.html>b</a> <a href=\"https://example.org/a,b\">c</a></p>")
    once = absolute_links(html, BASE)
    assert "href=\"http://blog.test/wood/turning/single.html\"" in once
    assert "href=\"http://blog.test/wood/turning/bare.html\"" in once
    assert absolute_links(once, BASE) == once
