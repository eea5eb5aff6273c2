"""Rebuilds give exactly the bytes of a cold build (issue 7, point 4).

One site is built cold into ``A`` with its own cache folder; then, one edit
at a time, it is rebuilt into ``A`` (same cache) and the same content is
built cold into a fresh folder with a fresh cache, and the two must hold the
same files with the same bytes. A rebuild renders only the pages and feeds
whose inputs changed and writes only the files whose bytes changed, so each
of these edits must reach every page and feed it touches (listings, related
lines, series boxes, tag pages, pagination), and files the content no longer
makes must go. The builds make the search index too, and every page
shows the top-level paths, older and newer posts by date and the archive's
counts, so the edits reach those as well.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT, run_build, snapshot, write_post
from midcycle import fingerprint, plugin, themes, write
from midcycle.build import build as build_here

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

POSTS = 24
PAGINATION = 4  # small pages, so adding or deleting a post moves others between pages
SERIES = "Kilo meetup"


def png(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height) + bytes(5)


def build(content: Path, output: Path, cache: Path) -> None:
    result = run_build(content, output, CACHE_PATH=str(cache), DEFAULT_PAGINATION=PAGINATION, SEARCH_INDEX=True)
    assert result.returncode == 0, f"build into {output.name} failed:\n{result.stdout}\n{result.stderr}"


def assert_same_site(rebuilt: dict[str, bytes], cold: dict[str, bytes], edit: str) -> None:
    assert rebuilt.keys() == cold.keys(), (
        f"after '{edit}' the rebuilt site has extra files {sorted(rebuilt.keys() - cold.keys())} "
        f"and lacks {sorted(cold.keys() - rebuilt.keys())}")
    differing = sorted(name for name in cold if rebuilt[name] != cold[name])
    assert not differing, f"after '{edit}' these rebuilt files differ from a cold build: {differing}"


def replace_line(path: Path, prefix: str, line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, old in enumerate(lines) if old.startswith(prefix))
    lines[index] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def test_rebuilds_after_each_edit_equal_a_cold_build(tmp_path):
    content = tmp_path / "content"
    corpus = write_corpus(content, POSTS, seed=7)
    series = [write_post(content, f"meetups/kilo/day-{day}.md", f"Kilo meetup day {day}",
                         f"2006-01-0{day + 2} 12:00", tags="tag0001, kilo, meetup", series=SERIES,
                         body=f"Day {day} of the meetup. See [day one](day-1.html).")
              for day in (1, 2, 3)]
    alone_in_series = next(p for p in corpus if "\nSeries: " in p.read_text(encoding="utf-8"))
    write_post(content, "meetups/photo.md", "A photo", "2006-01-02 09:00", body="![The room](room.png)")
    (content / "meetups/room.png").write_bytes(png(40, 30))

    def edit_body() -> None:
        with corpus[10].open("a", encoding="utf-8") as handle:
            handle.write("\nOne more paragraph, with *emphasis*.\n")

    def edit_tags() -> None:
        replace_line(corpus[5], "Tags:", "Tags: kilo, tag0001, brand-new-tag")

    def add_post() -> None:
        write_post(content, "meetups/kilo/day-4.md", "Kilo meetup day 4", "2006-01-07 12:00",
                   tags="kilo, tag0002", series=SERIES, body="The last day.")

    def delete_post() -> None:
        alone_in_series.unlink()  # its series, and maybe its path, go with it

    def rename_series() -> None:
        for post in [*series, content / "meetups/kilo/day-4.md"]:
            replace_line(post, "Series:", "Series: Kilo mid-cycle meetup")

    def edit_title() -> None:
        replace_line(series[1], "Title:", "Title: Kilo meetup day 2: cells v2")

    def new_top_path() -> None:
        # Every page's header lists the top-level paths.
        write_post(content, "zoology/first.md", "A new topic", "2005-12-31 08:00", tags="kilo")

    def replace_image() -> None:
        (content / "meetups/room.png").write_bytes(png(80, 60))  # the post's file is unchanged

    def mark_modified() -> None:
        # Later than every post: the date of feeds without entries (the
        # comments feed here, which has no comments) follows it.
        replace_line(corpus[3], "Title:", corpus[3].read_text(encoding="utf-8").split("\n")[0]
                     + "\nModified: 2030-01-01 10:00")

    output = tmp_path / "A"
    cache = tmp_path / "cache-A"
    build(content, output, cache)
    cold = snapshot(output)

    edits = [edit_body, edit_tags, add_post, delete_post, rename_series, edit_title, new_top_path, replace_image,
             mark_modified]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for step, edit in enumerate(edits, 1):
            edit()
            fresh = tmp_path / f"cold-{step}"
            rebuilding = pool.submit(build, content, output, cache)
            cold_building = pool.submit(build, content, fresh, tmp_path / f"cache-cold-{step}")
            rebuilding.result()
            cold_building.result()
            previous, cold = cold, snapshot(fresh)
            assert cold != previous, f"'{edit.__name__}' changed nothing in the output; the test would prove nothing"
            assert_same_site(snapshot(output), cold, edit.__name__)

    # Touching a file changes no content: the rebuild equals the last cold
    # build and rewrites nothing (same bytes keep their modification time).
    before = snapshot(output, times=True)
    later = series[0].stat().st_mtime + 60
    os.utime(series[0], (later, later))
    build(content, output, cache)
    assert_same_site(snapshot(output), cold, "touch")
    assert snapshot(output, times=True) == before


# What besides the posts shapes the site: the theme, the CSS, files beside
# the posts, settings (plain values and Python objects), comments, the
# plugin's own code, and how a name's characters are composed. Each edit is
# rebuilt incrementally and compared with a cold build, and the progress
# line says what the rebuild had to do again.

PROGRESS = re.compile(r"midcycle: (\d+) posts \((\d+) read\), (\d+) pages and feeds: (\d+) rendered")

CONF = '''
import sys
sys.path.insert(0, {root!r})
from pelicanconf import *  # noqa: F401,F403

THEME = {theme!r}
SITENAME = "Edited site"
MARKDOWN = {{"extensions": ["markdown.extensions.extra"], "output_format": "html5"}}


def shout(text):
    return text.upper() + "!"


JINJA_FILTERS = {{"shout": shout}}
'''


class Project:
    """A site of its own: settings file, theme and content, built into
    one output with one cache, and cold into fresh folders to compare."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        # A theme of the site's own overriding two templates and the CSS;
        # every other file comes from midcycle's theme.
        self.theme = tmp_path / "theme"
        for name in ("templates/tag.html", "templates/base.html", "static/css/midcycle.css"):
            (self.theme / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(themes.THEME / name, self.theme / name)
        self.conf = tmp_path / "conf.py"
        self.conf.write_text(CONF.format(root=str(ROOT), theme=str(self.theme)), encoding="utf-8")
        self.content = tmp_path / "content"
        self.output = tmp_path / "output"
        self.colds = 0

    def build(self, output: Path, cache: Path) -> tuple[int, ...]:
        """Build; return (posts, posts read, pages and feeds, rendered)."""
        result = run_build(self.content, output, conffile=self.conf, CACHE_PATH=str(cache))
        said = result.stdout + result.stderr
        assert result.returncode == 0, said
        match = PROGRESS.search(said)
        assert match, said
        return tuple(int(number) for number in match.groups())

    def rebuild_equals_cold(self, edit: str) -> tuple[int, ...]:
        progress = self.build(self.output, self.tmp / "cache")
        self.colds += 1
        fresh = self.tmp / f"cold-{self.colds}"
        self.build(fresh, self.tmp / f"cache-cold-{self.colds}")
        assert_same_site(snapshot(self.output), snapshot(fresh), edit)
        return progress


def edit_file(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_rebuilds_after_theme_setting_and_comment_edits_equal_a_cold_build(tmp_path):
    project = Project(tmp_path)
    content = project.content
    write_post(content, "a/first.md", "First", "2014-08-13 10:00", tags="one, two",
               body="![A bowl](bowl.png)\n\nText.")
    write_post(content, "a/b/second.md", "Second", "2014-08-14 10:00", tags="two")
    write_post(content, "c/third.md", "Third", "2014-08-15 10:00", tags="one", series="S")
    (content / "a/bowl.png").write_bytes(b"\x89PNG first")
    comment = content / "a/first.comments/1.comment"
    comment.parent.mkdir()
    comment.write_text("Author: Jane\nDate: 2014-08-16 10:00\n\nNice.\n", encoding="utf-8")
    posts, read, total, rendered = project.rebuild_equals_cold("first build")
    assert (posts, read, rendered) == (3, 3, total)
    tag_pages = 2  # tag/one.html, tag/two.html

    # A template: only the pages it renders are rendered again, no post is read.
    edit_file(project.theme / "templates/tag.html", "{% block heading %}",
              '{% block heading %}<p class="marker">{{ "tagged"|shout }}</p>')
    assert project.rebuild_equals_cold("tag.html edited")[1:] == (0, total, tag_pages)
    assert "TAGGED!" in (project.output / "tag/one.html").read_text(encoding="utf-8")

    # The CSS is copied as a file, and so is an image beside a post: no
    # page is rendered, no post read; the image is copied again, alone.
    with (project.theme / "static/css/midcycle.css").open("a", encoding="utf-8") as css:
        css.write("\n.marker { color: red; }\n")
    assert project.rebuild_equals_cold("CSS edited")[1:] == (0, total, 0)
    # An image is copied too, but the post showing it is read again, since
    # its width and height come from the file (neither of these has one).
    (content / "a/bowl.png").write_bytes(b"\x89PNG second")
    assert project.rebuild_equals_cold("image replaced")[1:] == (1, total, 1)  # read: its post; rendered: its copy
    assert (project.output / "a/bowl.png").read_bytes() == b"\x89PNG second"

    # A function in the settings counts by its code: tag pages show its new
    # output. Settings only templates use read no post again.
    edit_file(project.conf, 'text.upper() + "!"', 'text.upper() + "?"')
    progress = project.rebuild_equals_cold("JINJA_FILTERS function edited")
    assert progress[1] == 0 and progress[3] == total - 1  # every page and feed; the image is a copy
    assert "TAGGED?" in (project.output / "tag/one.html").read_text(encoding="utf-8")
    edit_file(project.conf, 'SITENAME = "Edited site"', 'SITENAME = "Renamed site"')
    assert project.rebuild_equals_cold("SITENAME edited")[1] == 0
    # Markdown's settings shape posts as read: every post is read again.
    edit_file(project.conf, '"markdown.extensions.extra"', '"markdown.extensions.extra", "markdown.extensions.toc"')
    assert project.rebuild_equals_cold("MARKDOWN edited")[1] == 3

    # A comment: its post's page and the pages listing it change, no post is read.
    edit_file(comment, "Nice.", "Nice, and useful.")
    posts, read, total, rendered = project.rebuild_equals_cold("comment edited")
    assert read == 0 and 0 < rendered < total
    assert "Nice, and useful." in (project.output / "a/first.html").read_text(encoding="utf-8")


def test_composed_and_decomposed_names_are_one_url_and_one_tag(tmp_path):
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    project = Project(tmp_path)
    write_post(project.content, f"{composed}/menu.md", "Menu", "2014-08-13 10:00", tags=composed)
    write_post(project.content, "other/drinks.md", "Drinks", "2014-08-14 10:00", tags=decomposed)
    project.rebuild_equals_cold("first build")
    files = sorted(path.relative_to(project.output).as_posix() for path in project.output.rglob("*.html"))
    assert f"tag/{composed}.html" in files or "tag/cafe.html" in files
    assert not any(decomposed in name for name in files), files
    # The folder renamed to its decomposed spelling: same URL, nothing left behind.
    (project.content / composed).rename(project.content / decomposed)
    project.rebuild_equals_cold("folder renamed from NFC to NFD")
    assert (project.output / composed / "menu.html").is_file()
    assert not (project.output / decomposed).exists()


def test_a_new_plugin_version_renders_everything_again(tmp_path, monkeypatch):
    content = tmp_path / "content"
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    argv = [str(content), "-o", str(tmp_path / "output"), "-s", str(ROOT / "pelicanconf.py"), "-q",
            "-e", f'CACHE_PATH="{tmp_path / "cache"}"']
    copy = tmp_path / "plugin"
    shutil.copytree(fingerprint.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)
    assert build_here(argv) == 0
    before = snapshot(tmp_path / "output", times=True)
    rendered = []
    original = write.write_outputs
    monkeypatch.setattr(plugin, "write_outputs",
                        lambda outputs, *args, **kwargs: rendered.append(original(outputs, *args, **kwargs).rendered)
                        or original(outputs, *args, **kwargs))
    assert build_here(argv) == 0
    assert rendered == []  # the same plugin, the same content: nothing to do
    # The pages module of the new version has a new line (a comment): every page counts as made by old code.
    with (copy / "pages.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a new version\n")
    assert build_here(argv) == 0
    # Not the copied CSS, nor the record of written files.
    pages_and_feeds = [name for name in before if not name.startswith(("theme/", ".midcycle/"))]
    assert rendered[-1] == len(pages_and_feeds) > 0
    # Rendered again, the bytes are the same: nothing was rewritten.
    assert snapshot(tmp_path / "output", times=True) == before


def test_a_template_that_looks_at_the_whole_site_is_never_stale(tmp_path):
    project = Project(tmp_path)
    write_post(project.content, "a/one.md", "One", "2014-08-13 10:00", tags="x")
    write_post(project.content, "b/two.md", "Two", "2014-08-14 10:00", tags="y")
    # A theme's own footer, counting every post of the site.
    edit_file(project.theme / "templates/base.html", "</body>",
              '<footer><p class="count">{{ site.timeline|length }} posts</p></footer></body>')
    project.rebuild_equals_cold("first build")
    write_post(project.content, "c/three.md", "Three", "2014-08-15 10:00", tags="z")
    project.rebuild_equals_cold("a post added")
    # The page of a post the new one has nothing to do with shows the new count.
    assert "3 posts" in (project.output / "a/one.html").read_text(encoding="utf-8")


def test_rebuilds_after_page_and_link_target_edits_equal_a_cold_build(tmp_path):
    project = Project(tmp_path)
    content = project.content
    write_post(content, "a/one.md", "One", "2014-08-13 10:00", tags="x", body="Two is [here]({filename}two.md).")
    two = write_post(content, "a/two.md", "Two", "2014-08-14 10:00", tags="x")
    about = content / "pages/about.md"
    about.parent.mkdir()
    about.write_text("Title: About\n\nHello.\n", encoding="utf-8")
    project.rebuild_equals_cold("first build")

    # The target's permalink moves; the linking post, kept as read, links
    # the new one: only the edited file is read again.
    edit_file(two, "Tags: x", "Tags: x\nSlug: second")
    posts, read, total, rendered = project.rebuild_equals_cold("link target's slug")
    assert read == 1
    link = project.output / "a/one.html"
    assert 'href="http://blog.test/a/second.html"' in link.read_text(encoding="utf-8")

    # A page added, retitled, removed: every page lists the pages.
    (content / "pages/contact.md").write_text("Title: Contact\n\nMail.\n", encoding="utf-8")
    posts, read, total, rendered = project.rebuild_equals_cold("page added")
    assert read == 0 and "/contact.html" in link.read_text(encoding="utf-8")
    feeds = sum(1 for name in snapshot(project.output)
                if name.endswith((".rss", ".atom", ".json", ".opml")) and not name.startswith(".midcycle/"))
    assert rendered == total - feeds - 1  # every page and the sitemap; no feed, the feed list nor robots.txt
    edit_file(about, "Title: About", "Title: About us")
    project.rebuild_equals_cold("page retitled")
    assert ">About us</a>" in link.read_text(encoding="utf-8")
    edit_file(about, "Hello.", "Hello again.")
    assert project.rebuild_equals_cold("page body edited")[3] == 1
    (content / "pages/contact.md").unlink()
    project.rebuild_equals_cold("page removed")
    assert not (project.output / "contact.html").exists()


def test_a_theme_showing_more_of_related_posts_is_never_stale(tmp_path):
    project = Project(tmp_path)
    write_post(project.content, "a/one.md", "One", "2014-08-13 10:00", tags="x", body="First words of one.")
    two = write_post(project.content, "a/two.md", "Two", "2014-08-14 10:00", tags="x", body="First words of two.")
    # The theme's post block shows each related post's summary, which
    # midcycle's own (a link with the title) does not.
    block = project.theme / "templates/includes/post.html"
    block.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(themes.TEMPLATES / "includes/post.html", block)
    edit_file(block, "{% set related = related_posts(post) %}",
              '{% set related = related_posts(post) %}{% for other in related %}'
              '<p class="related-summary">{{ other.summary }}</p>{% endfor %}')
    project.rebuild_equals_cold("first build")
    edit_file(two, "First words of two.", "Other words of two.")
    project.rebuild_equals_cold("body of a related post")
    shown = BeautifulSoup((project.output / "a/one.html").read_text(encoding="utf-8"), "html.parser")
    assert [p.get_text() for p in shown.select(".related-summary")] == ["Other words of two."]


def test_a_listed_post_block_that_looks_at_the_whole_site_is_never_stale(tmp_path):
    # Blocks are kept between builds (blockstore.py) under a digest that
    # does not cover the whole site: one that looks at it must not be kept.
    project = Project(tmp_path)
    write_post(project.content, "a/one.md", "One", "2014-08-13 10:00", tags="x")
    write_post(project.content, "b/two.md", "Two", "2014-08-14 10:00", tags="y")
    block = project.theme / "templates/includes/listed_post.html"
    block.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(themes.TEMPLATES / "includes/listed_post.html", block)
    edit_file(block, "{{ post_block(post) }}",
              '{{ post_block(post) }}<p class="of-all">one of {{ site.timeline|length }}</p>')
    project.rebuild_equals_cold("first build")
    # In a path there was (a new top-level path changes every page's header, and every digest).
    write_post(project.content, "b/three.md", "Three", "2014-08-15 10:00", tags="z")
    project.rebuild_equals_cold("a post added")
    # The listing of a path the new post is not on shows its post's block with the new count.
    shown = BeautifulSoup((project.output / "a/index.html").read_text(encoding="utf-8"), "html.parser")
    assert [p.get_text() for p in shown.select(".of-all")] == ["one of 3"]
