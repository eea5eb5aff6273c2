"""A post's plain-text summary (summaries.py). Feeds and pages show it;
their tests check it arrives there."""

from __future__ import annotations

from midcycle.summaries import plain_summary, plain_text, shortened


def test_the_summary_line_wins_over_the_body():
    assert plain_summary("<p>From the <em>line</em>.</p>", "<p>From the body.</p>") == "From the line."


def test_first_non_empty_paragraph_of_the_body():
    body = '<h2>Heading</h2>\n<p>  </p>\n<p class="x">First &amp; <a href="http://a/">real</a>\nparagraph.</p><p>Second.</p>'
    assert plain_summary(None, body) == "First & real paragraph."


def test_no_paragraph_gives_nothing():
    assert plain_summary("", "<pre><code>x = 1</code></pre>") == ""


def test_block_tags_separate_words():
    assert plain_text("<ul><li>one</li><li>two</li></ul>line<br>break") == "one two line break"


def test_markup_written_as_text_stays_text():
    # An author who writes about HTML: the escaped tag is text, not markup.
    assert plain_text("Use &lt;script&gt; sparingly") == "Use <script> sparingly"


def test_characters_xml_cannot_hold_are_dropped():
    assert plain_text("bell&#7; and &#xfffe;end") == "bell and end"


def test_shortened_cuts_at_a_word():
    assert shortened("one two three", 20) == "one two three"
    # 10 characters at most: "one two" (7) and the ellipsis.
    assert shortened("one two three four", 10) == "one two…"
    assert len(shortened("x" * 50, 10)) == 10
