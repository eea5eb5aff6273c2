"""A site's theme over midcycle's own: overrides win, what the theme lacks
comes from midcycle, Pelican's own themes give way, and a theme made for
Pelican's pages fails with a message saying why."""

from __future__ import annotations

from pathlib import Path

from conftest import failing_build, snapshot, write_post
from midcycle import themes
from midcycle.themes import PELICAN_THEMES, theme_settings, theme_static_files


def make_theme(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_theme_overrides_what_it_has_and_midcycle_gives_the_rest(content, build, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="x")
    (content / "pages").mkdir()
    (content / "pages/about.md").write_text("Title: About\n\nHello.\n", encoding="utf-8")
    theme = make_theme(tmp_path / "theme", {
        # One template replaced, one changed in a block of midcycle's own.
        "templates/tags.html": "<p class='mine'>{{ tags|length }} tags</p>",
        "templates/page.html": '{% extends "!midcycle/page.html" %}{% block title %}Page: {{ page.title }}{% endblock %}',
        "static/css/midcycle.css": "body { color: red; }",
        "static/images/logo.svg": "<svg/>",
    })
    site = build(content, THEME=str(theme))
    assert site.html("tag/index.html").select_one("p.mine").get_text() == "1 tags"
    about = site.html("about.html")
    assert about.title.get_text() == "Page: About"
    assert about.select_one("h1.page-title").get_text() == "About"  # midcycle's page.html below it
    assert site.html("a/one.html").select_one("h1.post-title").get_text() == "One"  # midcycle's article.html
    assert site.file("theme/css/midcycle.css").read_text(encoding="utf-8") == "body { color: red; }"
    assert site.file("theme/css/pygments.css").read_bytes() == (themes.STATIC / "css/pygments.css").read_bytes()
    assert site.file("theme/images/logo.svg").read_text(encoding="utf-8") == "<svg/>"


def test_pelicans_own_themes_give_way_to_midcycles(content, build):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="x")
    site = build(content, THEME="notmyidea")
    assert site.html("a/one.html").select_one("footer.site-footer a").get_text() == "Home"
    assert site.file("theme/css/midcycle.css").read_bytes() == (themes.STATIC / "css/midcycle.css").read_bytes()
    assert not site.exists("theme/css/main.css")  # notmyidea's


def test_a_theme_made_for_pelicans_pages_fails_saying_which_template_and_why(content, build, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    good = build(content)
    before = snapshot(good.output, times=True)
    theme = make_theme(tmp_path / "stock", {"templates/article.html": "<h1>\n{{ article.title }}</h1>"})
    text = failing_build(content, good.output, THEME=str(theme))
    assert f"{theme}/templates/article.html:2: 'article' is undefined (rendering article.html, which midcycle " \
           "gives next_part, position, post, previous_part" in text
    assert "docs/themes.md" in text
    assert snapshot(good.output, times=True) == before


def test_static_files_of_a_later_folder_replace_those_of_an_earlier_one(tmp_path):
    make_theme(tmp_path / "t", {"static/css/midcycle.css": "x", "static/site.js": "y", "more/site.js": "z"})
    files = theme_static_files(str(tmp_path / "t"), [str(themes.STATIC), "static", "more"], "theme")
    assert files == [("theme/css/midcycle.css", "theme file static/css/midcycle.css"),
                     ("theme/css/pygments.css", "midcycle's theme file css/pygments.css"),
                     ("theme/favicon.png", "midcycle's theme file favicon.png"),
                     ("theme/site.js", "theme file more/site.js")]


def test_which_theme_and_static_folders_a_build_uses(tmp_path):
    for pelicans in ("notmyidea", "simple"):
        assert theme_settings({"THEME": str(PELICAN_THEMES / pelicans), "THEME_STATIC_PATHS": ["static"]}) == {
            "THEME": str(themes.THEME), "THEME_STATIC_PATHS": ["static"]}
    make_theme(tmp_path / "t", {"static/a.css": "", "templates/base.html": ""})
    assert theme_settings({"THEME": str(tmp_path / "t"), "THEME_STATIC_PATHS": ["static", "missing"]}) == {
        "THEME_STATIC_PATHS": [str(themes.STATIC), "static"]}
    # Settings taken again (Pelican's -r loop) stay as they were.
    assert theme_settings({"THEME": str(tmp_path / "t"), "THEME_STATIC_PATHS": [str(themes.STATIC), "static"]}) == {
        "THEME_STATIC_PATHS": [str(themes.STATIC), "static"]}
