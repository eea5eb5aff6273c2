"""`make init`: the sample blog made the author's own in one step."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import ROOT, write_post
from midcycle.tools import init
from midcycle.tools.init import (checked_siteurl, checked_timezone, current_value, move_samples,
                                 with_setting)

VALUES = {"SITENAME": 'Ann\'s "notes" — été', "AUTHOR": "Ann Lee", "TIMEZONE": "Europe/Berlin",
          "SITEURL": "https://notes.test/blog"}


def test_a_setting_is_replaced_where_it_is_and_nothing_else_changes():
    text = ('"""Doc."""\n# SITENAME = "in a comment"\nSITENAME = "Old"  # trailing comment\n'
            'TITLE = "é" ; AUTHOR = (\n    "Robin"\n)\nSITENAME = "Last"\nx = [1]\n')
    edited = with_setting(with_setting(text, "SITENAME", 'New "one"\n'), "AUTHOR", "Ann")
    assert edited == ('"""Doc."""\n# SITENAME = "in a comment"\nSITENAME = "Old"  # trailing comment\n'
                      'TITLE = "é" ; AUTHOR = (\n    "Ann"\n)\nSITENAME = "New \\"one\\"\\n"\nx = [1]\n')
    assert current_value(edited, "SITENAME") == 'New "one"\n'
    assert with_setting("A = 1", "TIMEZONE", "UTC") == 'A = 1\nTIMEZONE = "UTC"\n'
    # Characters str.splitlines breaks at and Python does not, and Windows line ends.
    for text in ('# a\u2028b\x0c\x1c\x85\nSITENAME = "Old"\n', 'A = 1\r\nSITENAME = "Old"\r\nB = 2\r\n'):
        edited = with_setting(text, "SITENAME", "New")
        assert current_value(edited, "SITENAME") == "New" and edited == text.replace('"Old"', '"New"')
    assert current_value("A = 1", "TIMEZONE") is None and current_value("X = f()", "X") is None


def test_the_public_address_and_the_time_zone_are_checked():
    assert checked_siteurl(" https://notes.test/blog/ ") == ("https://notes.test/blog", None)
    assert checked_siteurl("http://[::1]:8080") == ("http://[::1]:8080", None)
    for bad in ("notes.test", "ftp://notes.test", "https://", "https://notes.test/?a=1", "https://notes.test/#x",
                "https://ann:pw@notes.test", "https://notes .test", "https://notes.test:port",
                "https://notes.test/\x07", "https://blog.example.org"):
        value, problem = checked_siteurl(bad)
        assert value is None and problem, bad
    assert checked_timezone("Europe/Berlin") == ("Europe/Berlin", None)
    assert checked_timezone("Australia/Sydny")[1] == "unknown time zone 'Australia/Sydny'; did you mean Australia/Sydney?"
    for bad in ("", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "Mars/Olympus_Mons", "x" * 10000):
        assert checked_timezone(bad)[0] is None, bad


def test_samples_are_moved_once_and_never_deleted(tmp_path):
    content, samples = tmp_path / "content", tmp_path / "samples"
    write_post(content, "wood/bowl.md", "Bowl", "2014-08-13 10:00")
    (content / "wood/img.png").write_bytes(b"png")
    assert move_samples(content, samples) == ["wood"]
    assert (samples / "wood/bowl.md").is_file() and (samples / "wood/img.png").read_bytes() == b"png"
    assert list(content.iterdir()) == []
    write_post(content, "mine/first.md", "Mine", "2014-08-14 10:00")
    assert move_samples(content, samples) == []  # the author's own post stays
    assert (content / "mine/first.md").is_file()


def project_copy(tmp_path: Path) -> Path:
    """This project's settings, theme and sample content, in a folder of
    its own (make init edits files; the repository's must stay)."""
    site = tmp_path / "site"
    for name in ("pelicanconf.py", "publishconf.py"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, site / name)
    shutil.copytree(ROOT / "theme", site / "theme")
    shutil.copytree(ROOT / "content", site / "content")
    return site


def make(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args, f"CONFFILE={site / 'pelicanconf.py'}",
                           f"PUBLISHCONF={site / 'publishconf.py'}", f"INPUTDIR={site / 'content'}",
                           f"OUTPUTDIR={site / 'output'}", f"PUBLISHDIR={site / 'public'}"], cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_make_init_then_a_page_and_a_post_then_publish(tmp_path):
    site = project_copy(tmp_path)
    # Not yet made one's own: publishing the sample address is refused.
    refused = make(site, "publish")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "SITEURL is still the sample address https://blog.example.org" in refused.stderr
    assert not (site / "public").exists()

    done = make(site, "init", *(f"{key}={value}" for key, value in VALUES.items()))
    assert done.returncode == 0, done.stderr
    assert {key: current_value((site / "pelicanconf.py").read_text(encoding="utf-8"), key)
            for key in ("SITENAME", "AUTHOR", "TIMEZONE", "SITEURL")} == {**VALUES, "SITEURL": "http://127.0.0.1:8000"}
    assert current_value((site / "publishconf.py").read_text(encoding="utf-8"), "SITEURL") == VALUES["SITEURL"]
    assert (site / "samples/openstack/kilo/cells.md").is_file()
    assert list((site / "content").iterdir()) == []

    (site / "content/pages").mkdir()
    (site / "content/pages/about.md").write_text("Title: About\n\nWho writes here.\n", encoding="utf-8")
    write_post(site / "content", "notes/first.md", "First note", "2026-01-05 09:00", tags="start")
    built = make(site, "html")
    assert built.returncode == 0, built.stderr
    home = BeautifulSoup((site / "output/index.html").read_text(encoding="utf-8"), "html.parser")
    assert ("About", "http://127.0.0.1:8000/about.html") in [(a.get_text(), a["href"]) for a in home.select("nav.site-nav a")]
    assert home.select_one("article .post-title a")["href"] == "http://127.0.0.1:8000/notes/first.html"
    assert home.title.get_text() == VALUES["SITENAME"]
    assert not (site / "output/openstack").exists()  # the samples are gone from the site

    published = make(site, "publish")
    assert published.returncode == 0, published.stderr
    page = (site / "public/notes/first.html").read_text(encoding="utf-8")
    assert 'href="https://notes.test/blog/about.html"' in page
    assert "127.0.0.1" not in page and "blog.example.org" not in page
    assert "https://notes.test/blog/notes/first.html" in (site / "public/index.atom").read_text(encoding="utf-8")


def test_make_init_checks_everything_before_it_changes_anything(tmp_path):
    site = project_copy(tmp_path)
    before = {name: (site / name).read_bytes() for name in ("pelicanconf.py", "publishconf.py")}
    cases = [
        ({"SITENAME": "Notes"}, ["give AUTHOR=...", "give TIMEZONE=...", "give SITEURL=..."]),
        ({**VALUES, "TIMEZONE": "Europe/Berln"}, ["TIMEZONE: unknown time zone 'Europe/Berln'; did you mean Europe/Berlin?"]),
        ({**VALUES, "SITEURL": "https://blog.example.org"}, ["SITEURL: https://blog.example.org is the sample's address"]),
        ({**VALUES, "AUTHOR": "Ann\x1b[31m"}, ["AUTHOR: the author holds the control character U+001B"]),
    ]
    for values, expected in cases:
        result = make(site, "init", *(f"{key}={value}" for key, value in values.items()))
        assert result.returncode != 0 and "Traceback" not in result.stderr
        for line in expected:
            assert line in result.stderr, (values, result.stderr)
        assert {name: (site / name).read_bytes() for name in before} == before
        assert (site / "content/openstack").is_dir() and not (site / "samples").exists()


def test_init_asks_in_a_terminal_for_what_is_not_given(tmp_path, monkeypatch):
    site = project_copy(tmp_path)
    answers = iter(["", "Ann Lee", "Europe/Berln", "Europe/Berlin", "https://notes.test"])
    asked = []
    monkeypatch.setattr(init.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda question: asked.append(question) or next(answers))
    status = init.main(["--sitename", "Notes", "--settings", str(site / "pelicanconf.py"),
                        "--publish-settings", str(site / "publishconf.py"), "--content", str(site / "content")])
    assert status == 0
    # The sample's author is not offered as a default: the empty answer is asked again.
    assert asked == ["Author: ", "Author: ", "Time zone of your posts' dates (such as Europe/Berlin): ",
                     "Time zone of your posts' dates (such as Europe/Berlin): ",
                     "Public address of the site (such as https://blog.example.net): "]
    text = (site / "pelicanconf.py").read_text(encoding="utf-8")
    assert (current_value(text, "SITENAME"), current_value(text, "AUTHOR"), current_value(text, "TIMEZONE")) == (
        "Notes", "Ann Lee", "Europe/Berlin")


def test_init_in_an_empty_folder_starts_a_site(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(init.sys.stdin, "isatty", lambda: False, raising=False)
    assert init.main([f"--{key.lower()}={value}" for key, value in VALUES.items()]) == 0
    assert (tmp_path / "content").is_dir() and not (tmp_path / "samples").exists()
    conf = (tmp_path / "pelicanconf.py").read_text(encoding="utf-8")
    assert current_value(conf, "AUTHOR") == "Ann Lee" and 'PLUGINS = ["midcycle"]' in conf
    result = subprocess.run(["make", "-s", "html", f"CONFFILE={tmp_path / 'pelicanconf.py'}",
                             f"INPUTDIR={tmp_path / 'content'}", f"OUTPUTDIR={tmp_path / 'output'}"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output/index.html").is_file()


def test_a_settings_file_that_does_not_parse_is_named_and_left_alone(tmp_path, monkeypatch, capsys):
    (tmp_path / "pelicanconf.py").write_text("SITENAME = (\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert init.main([f"--{key.lower()}={value}" for key, value in VALUES.items()]) == 2
    assert "midcycle init: cannot read pelicanconf.py: " in capsys.readouterr().err
    assert (tmp_path / "pelicanconf.py").read_text(encoding="utf-8") == "SITENAME = (\n"
    assert not (tmp_path / "publishconf.py").exists()
