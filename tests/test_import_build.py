"""Import a small PyBlosxom datadir made here, build it, and read the site
back: old permalinks, titles, times, tags, images, comments and the comments
feed; then the import's safety (no overwrite, dry run, the report)."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, SITEURL, BuiltSite, run_build
from midcycle.tools.importer import main

MTIME = 1_407_000_000  # 2014-08-03 03:20:00+10:00
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(40))
PRE = "<pre>\n  indented &amp; kept\n    as written\n</pre>"


def cmt(author: str, when: float, body: str, link: str = "", title: str = "") -> str:
    """A comment file as PyBlosxom's comments plugin writes it."""
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")  # noqa: E731
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<item>\n<description>{esc(body)}</description>\n'
            f"<pubDate>{when}</pubDate>\n<author>{esc(author)}</author>\n<title>{esc(title)}</title>\n"
            f"<link>{esc(link)}</link>\n<email>private@example.org</email>\n</item>\n")


def make_datadir(root: Path) -> Path:
    data = root / "datadir"
    files = {
        "openstack/juno/000123.txt": "Juno meetup: DB2 & <friends>\n#tags openstack,juno,nova\n"
                                     "#published 2014-08-14 19:20\n#slug ignored\n"
                                     f'<p>See the <img src="board.png" alt="board"> and <b>this\n{PRE}\n',
        "openstack/000045.txt": "Why meetups\n#tags openstack summary\n<p>Because.</p>\n",
        "wood/untitled.txt": "\n<p>No title line.</p>\n",
        "head.html": "<html><head><title>$blog_title</title></head><body>",
        "comments/openstack/juno/000123-1408100000.5.cmt": cmt(
            '<b onmouseover="alert(1)">Eve</b>', 1408100000.5,
            '<script>alert(2)</script><img src=x onerror=alert(3)>'
            '<a href="JaVaScRiPt:alert(4)">x</a><iframe src="https://evil.example/"></iframe>',
            link="javascript:alert(5)"),
        "comments/openstack/juno/000123-1408000000.cmt": cmt(
            "Alice", 1408000000, "<p>Great <em>summary</em>.</p>", link="https://alice.example/", title="Re: DB2"),
        "comments/openstack/000045-1408200000.cmt": cmt(
            "Bob", 1408200000, "First paragraph,\nsame paragraph.\n\nSecond paragraph.", link="www.bob.example"),
        "comments/wood/untitled-1408000000.cmt": cmt("Carol", 1408000000, "Orphan."),
        "comments/LATEST.cmt": "1408200000",
    }
    for name, text in files.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(text, encoding="utf-8")
    (data / "openstack/juno/board.png").write_bytes(PNG)
    (data / "openstack/story.png").write_bytes(PNG)  # a template's name, an image's extension
    (data / "wood/turning").mkdir(parents=True)
    (data / "wood/turning/20140718-woodturning.txt").write_bytes(
        b"Caf\xe9 turning\n#tags wood\n#published 2014-07-18 21:05\n<p>Na\xefve bowl.</p>\n")
    os.utime(data / "openstack/000045.txt", (MTIME, MTIME))
    return data


def run_import(*args: object) -> tuple[int, str]:
    """The console script's main(), in process; returns (exit code, report)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main([str(a) for a in args])
    return code, out.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[Path, Path, str, BuiltSite]:
    root = tmp_path_factory.mktemp("pyblosxom")
    data = make_datadir(root)
    content = root / "content"
    code, report = run_import(data, content, "--settings", ROOT / "pelicanconf.py")
    assert code == 0, report
    output = root / "output"
    result = run_build(content, output)
    assert result.returncode == 0, result.stdout + result.stderr
    return data, content, report, BuiltSite(output, result)


def test_the_report_counts_writes_and_names_every_skip_and_warning(imported):
    _, _, report, _ = imported
    assert "wrote: 3 entries, 3 comments, 2 files" in report
    assert "skipped: wood/untitled.txt: no title line" in report
    assert "skipped: head.html: a PyBlosxom flavour template" in report
    assert "skipped: comments/wood/untitled-1408000000.cmt: no entry wood/untitled.txt was imported" in report
    assert "skipped: comments/LATEST.cmt: not a PyBlosxom comment" in report
    assert "warning: wood/turning/20140718-woodturning.txt: not UTF-8; read as Latin-1" in report
    assert "dropped the link 'javascript:alert(5)'" in report


def test_old_permalinks_are_kept(imported):
    *_, site = imported
    for name in ("openstack/juno/000123.html", "openstack/000045.html", "wood/turning/20140718-woodturning.html"):
        assert site.exists(name), name
        assert site.html(name).find("a", rel="bookmark")["href"] == f"{SITEURL}/{name}"
    assert not site.exists("wood/untitled.html")
    # Only the slug the file stem gives: a #slug line does not move the permalink.
    assert not site.exists("openstack/juno/ignored.html")


def test_titles_and_latin1_text(imported):
    *_, site = imported
    assert site.html("openstack/juno/000123.html").find("h1").get_text() == "Juno meetup: DB2 & <friends>"
    latin = site.html("wood/turning/20140718-woodturning.html")
    assert latin.find("h1").get_text() == "Caf\u00e9 turning"
    assert latin.find(class_="post-body").get_text().strip() == "Na\u00efve bowl."


def test_times_from_published_or_the_file_time(imported):
    *_, site = imported
    def time_of(name: str) -> str:
        return site.html(name).find(class_="post-meta").find("time")["datetime"]
    assert time_of("openstack/juno/000123.html") == "2014-08-14T19:20:00+10:00"
    assert time_of("wood/turning/20140718-woodturning.html") == "2014-07-18T21:05:00+10:00"
    assert time_of("openstack/000045.html") == "2014-08-03T03:20:00+10:00"  # MTIME in Sydney


def test_tags_in_both_styles(imported):
    *_, site = imported
    def tags_of(name: str) -> list[str]:
        return [a.get_text() for a in site.html(name).select(".post-tags a")]
    assert tags_of("openstack/juno/000123.html") == ["openstack", "juno", "nova"]
    assert tags_of("openstack/000045.html") == ["openstack", "summary"]
    assert site.exists("tag/summary.html") and site.exists("tag/nova.rss")


def test_images_beside_entries_are_copied_and_linked(imported):
    *_, site = imported
    assert site.file("openstack/juno/board.png").read_bytes() == PNG
    assert site.file("openstack/story.png").read_bytes() == PNG
    img = site.html("openstack/juno/000123.html").find("img")
    assert img["src"] == f"{SITEURL}/openstack/juno/board.png"


def test_the_body_is_kept_and_repaired(imported):
    *_, site = imported
    body = site.html("openstack/juno/000123.html").find(class_="post-body")
    assert str(body.find("pre")) == PRE
    # The unclosed <b> was closed inside the post: the listing's next post is not bold.
    home = site.html("index.html")
    assert not [b for b in home.find_all("b") if b.find(class_="post")]
    assert len(home.find_all("article", class_="post")) == 3


def test_no_pyblosxom_file_reaches_the_output(imported):
    *_, site = imported
    assert not [name for name in site.files()
                if name.endswith((".txt", ".cmt", ".comment")) and name != "robots.txt"]
    assert not site.exists("head.html")


def test_comments_are_under_their_posts_oldest_first(imported):
    *_, site = imported
    articles = site.html("openstack/juno/000123.html").select("#comments .comment")
    assert [a["id"] for a in articles] == ["comment-1408000000", "comment-1408100000.5"]
    alice = articles[0].find(class_="comment-meta")
    assert alice.find("a")["href"] == "https://alice.example/"
    assert articles[0].find("time")["datetime"] == "2014-08-14T17:06:40+10:00"  # 1408000000 in Sydney
    assert articles[0].find(class_="comment-body").find("em").get_text() == "summary"
    bob = site.html("openstack/000045.html").select("#comments .comment")[0]
    assert [p.get_text() for p in bob.find(class_="comment-body").find_all("p")] == [
        "First paragraph, same paragraph.", "Second paragraph."]  # the hard wrap dropped
    assert bob.find(class_="comment-meta").find("a")["href"] == "http://www.bob.example"
    assert "private@example.org" not in site.file("openstack/000045.html").read_text(encoding="utf-8")


def test_the_hostile_comment_is_harmless(imported):
    *_, site = imported
    evil = site.html("openstack/juno/000123.html").find(id="comment-1408100000.5")
    assert not evil.find_all(["script", "img", "iframe", "b"])
    assert not [t for t in evil.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert not [a for a in evil.find_all("a") if "script" in a["href"].lower()]
    assert '<b onmouseover="alert(1)">Eve</b>' in evil.find(class_="comment-meta").get_text()
    assert "<script>alert(2)</script>" in evil.find(class_="comment-body").get_text()


def test_the_comments_feed(imported):
    *_, site = imported
    raw = site.file("comments/index.rss").read_bytes()
    feed = feedparser.parse(raw)
    assert not feed.bozo
    assert [e.link for e in feed.entries] == [f"{SITEURL}/openstack/000045.html#comment-1408200000",
                                              f"{SITEURL}/openstack/juno/000123.html#comment-1408100000.5",
                                              f"{SITEURL}/openstack/juno/000123.html#comment-1408000000"]
    assert feed.entries[2].title == "Alice on Juno meetup: DB2 & <friends>"
    for item in ET.fromstring(raw).iter("item"):
        soup = BeautifulSoup(item.findtext("description"), "html.parser")
        assert not soup.find_all(["script", "img", "iframe"])
        assert not [a for a in soup.find_all("a") if not a["href"].startswith(("http://", "https://"))]
    # Listings count them too.
    counts = [a.get_text() for a in site.html("openstack/index.html").select(".post-comments a")]
    assert counts == ["2 comments", "1 comment"]


@pytest.fixture
def fresh(tmp_path) -> tuple[Path, Path]:
    return make_datadir(tmp_path), tmp_path / "content"


def test_a_second_import_leaves_an_edited_post_alone(fresh):
    data, content = fresh
    assert run_import(data, content, "--timezone", "UTC")[0] == 0
    post = content / "openstack/juno/000123.html"
    edited = post.read_text(encoding="utf-8").replace("See the", "Edited: see the")
    post.write_text(edited, encoding="utf-8")
    comment = content / "openstack/juno/000123.comments/1408000000.comment"
    comment.unlink()
    code, report = run_import(data, content, "--timezone", "UTC")
    assert code == 0
    assert post.read_text(encoding="utf-8") == edited
    assert f"skipped: {post.as_posix()}: already exists; left alone (--force replaces it)" in report
    # What was missing is written again; nothing else.
    assert comment.is_file()
    assert "wrote: 0 entries, 1 comment, 0 files" in report
    code, report = run_import(data, content, "--timezone", "UTC", "--force")
    assert "Edited" not in post.read_text(encoding="utf-8")
    assert "wrote: 3 entries, 3 comments, 2 files" in report


def test_a_dry_run_writes_nothing_but_reports_everything(fresh):
    data, content = fresh
    code, report = run_import(data, content, "--timezone", "UTC", "--dry-run")
    assert code == 0
    assert not content.exists()
    assert "would write: 3 entries, 3 comments, 2 files" in report
    assert "dry run: nothing was written" in report
    assert "skipped: wood/untitled.txt: no title line" in report


def test_a_comment_folder_elsewhere(fresh, tmp_path):
    data, content = fresh
    elsewhere = tmp_path / "old-comments"
    (data / "comments").rename(elsewhere)
    code, report = run_import(data, content, "--timezone", "UTC", "--comments", elsewhere)
    assert code == 0 and "3 comments" in report
    assert (content / "openstack/000045.comments/1408200000.comment").is_file()


@pytest.mark.parametrize("args, message", [
    (["missing-datadir"], "is not a folder"),
    (["{data}", "--comments", "nowhere"], "is not a folder"),
    (["{data}", "--timezone", "Mars/Olympus"], "unknown time zone"),
    (["{data}", "{data}/content"], "overlap"),
])
def test_bad_arguments_exit_non_zero(fresh, tmp_path, args, message):
    data, content = fresh
    argv = [a.format(data=data) for a in args]
    if len(argv) == 1 or argv[1].startswith("--"):
        argv.insert(1, str(content))
    code, report = run_import(*argv)
    assert code != 0 and message in report
    assert not content.exists()


def test_make_import_uses_the_project_time_zone(fresh):
    data, content = fresh
    result = subprocess.run(["make", "-s", "import", f"SRC={data}", f"DEST={content}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "time zone Australia/Sydney" in result.stdout
    text = (content / "openstack/000045.html").read_text(encoding="utf-8")
    expected = "2014-08-03 03:20:00+10:00"  # MTIME in Sydney
    assert f'<meta name="date" content="{expected}">' in text
    result = subprocess.run(["make", "-s", "import", "SRC=/nonexistent/datadir", f"DEST={content}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "is not a folder" in result.stderr
