"""headings.shift_headings: levels worked out by hand."""

from __future__ import annotations

from midcycle.headings import shift_headings


def test_the_top_heading_takes_the_given_level_and_the_rest_follow():
    body = '<h1 id="a">A</h1><p>x</p><h2>B</h2><h3 class="c">C</h3>'
    assert shift_headings(body, 2) == '<h2 id="a">A</h2><p>x</p><h3>B</h3><h4 class="c">C</h4>'
    assert shift_headings(body, 4) == '<h4 id="a">A</h4><p>x</p><h5>B</h5><h6 class="c">C</h6>'


def test_an_author_starting_lower_is_moved_up_and_levels_stop_at_six():
    assert shift_headings("<h3>A</h3><h5>B</h5>", 2) == "<h2>A</h2><h4>B</h4>"
    assert shift_headings("<h1>A</h1><h2>B</h2><h4>C</h4>", 4) == "<h4>A</h4><h5>B</h5><h6>C</h6>"


def test_only_heading_tags_change():
    body = "<p>&lt;h1&gt; is text</p><hr><header>x</header><h1x>y</h1x><pre><code>&lt;h2&gt;</code></pre>"
    assert shift_headings(body, 3) == body
    assert shift_headings("<H1>Loud</H1 >", 2) == "<h2>Loud</h2 >"
    assert shift_headings("<p>none</p>", 2) == "<p>none</p>"
