"""midcycle as others install it (issue 16): the wheel, installed alone into
a fresh virtual environment, makes a Pelican site that is not this
repository a midcycle site with nothing but PLUGINS = ["midcycle"]."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, snapshot, write_post

SITEURL = "https://notes.test"
CONF = f'''
AUTHOR = "Ann Lee"
SITENAME = "Ann's notes"
SITEURL = "{SITEURL}"
PATH = "content"
TIMEZONE = "Europe/Berlin"
STATIC_PATHS = ["."]
'''


def run(args: list, cwd: Path) -> subprocess.CompletedProcess:
    # Nothing of this repository on the path: the installed package only.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run([str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the wheel, the bin folder of a fresh virtual environment with it
    installed), the versions of its dependencies from constraints.txt."""
    tmp = tmp_path_factory.mktemp("package")
    # Built from a copy: setuptools builds in the source folder, and what an
    # earlier build left in build/ would go into the wheel too.
    source = tmp / "source"
    shutil.copytree(ROOT / "plugins", source / "plugins",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp / "dist", source], cwd=tmp)
    wheel = next((tmp / "dist").glob("midcycle-*.whl"))
    venv.create(tmp / "venv", with_pip=True)
    bin_ = tmp / "venv/bin"
    run([bin_ / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-c", ROOT / "constraints.txt", wheel], cwd=tmp)
    return wheel, bin_


def write_site(root: Path, conf: str) -> Path:
    content = root / "content"
    write_post(content, "openstack/kilo/cells.md", "Kilo: cells", "2015-02-03 16:40", tags="openstack, nova",
               series="Kilo summary", body="Cells. See [the scheduler]({filename}scheduler.md).")
    write_post(content, "openstack/kilo/scheduler.md", "Kilo: scheduler", "2015-02-04 10:00",
               tags="openstack, scheduler", series="Kilo summary")
    write_post(content, "wood/bowl.md", "A bowl", "2015-03-01 09:00", tags="wood")
    (content / "pages").mkdir()
    (content / "pages/about.md").write_text("Title: About Ann\n\nWho I am.\n", encoding="utf-8")
    (root / "pelicanconf.py").write_text(conf, encoding="utf-8")
    return root


def check_site(output: Path) -> None:
    def html(name: str) -> BeautifulSoup:
        return BeautifulSoup((output / name).read_text(encoding="utf-8"), "html.parser")

    titles = [a.get_text() for a in html("openstack/index.html").select("article .post-title a")]
    assert titles == ["Kilo: scheduler", "Kilo: cells"]
    assert [a.get_text() for a in html("tag/openstack.html").select("article .post-title a")] == titles
    assert [a.get_text() for a in html("series/kilo-summary.html").select(".series-list a")][::2] == titles[::-1]
    cells = html("openstack/kilo/cells.html")
    assert cells.select_one(".post-body a")["href"] == f"{SITEURL}/openstack/kilo/scheduler.html"
    assert "Part 1 of 2" in cells.select_one(".series-box").get_text()
    assert cells.select_one('link[rel="stylesheet"]')["href"] == f"{SITEURL}/theme/css/midcycle.css"
    assert (output / "theme/css/midcycle.css").stat().st_size > 0
    assert html("about.html").select_one("h1").get_text() == "About Ann"
    assert "About Ann" in [a.get_text() for a in cells.select("nav.site-nav a")]
    for feed, entries in (("index.atom", 3), ("openstack/index.rss", 2), ("tag/nova.atom", 1),
                          ("series/kilo-summary.atom", 2)):
        parsed = feedparser.parse(str(output / feed))
        assert not parsed.bozo and len(parsed.entries) == entries, feed


def test_the_wheel_brings_templates_static_files_and_the_licence(installed):
    wheel, _bin = installed
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("midcycle/theme/templates/base.html", "midcycle/theme/templates/page.html",
                 "midcycle/theme/templates/includes/post.html", "midcycle/theme/static/css/midcycle.css",
                 "midcycle/tools/init.py", "pelican/plugins/midcycle/__init__.py"):
        assert name in names, name
    licence = next(name for name in names if name.endswith(".dist-info/licenses/LICENSE"))
    assert zipfile.ZipFile(wheel).read(licence) == (ROOT / "LICENSE").read_bytes()
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "midcycle = midcycle.cli:main" in entry_points
    assert not [name for name in names if name.startswith(("tests/", "content/", "bench/"))]


def test_a_pelican_site_of_its_own_builds_with_the_installed_plugin(installed, tmp_path):
    _wheel, bin_ = installed
    site = write_site(tmp_path / "site", CONF + 'PLUGINS = ["midcycle"]\n')
    run([bin_ / "pelican", "content"], cwd=site)
    check_site(site / "output")
    # The safe build, as a user without make runs it, makes the same site.
    run([bin_ / "midcycle", "build", "-o", "built"], cwd=site)
    assert snapshot(site / "built") == snapshot(site / "output")
    found = run([bin_ / "python", "-c", "import midcycle; print(midcycle.__file__)"], cwd=site).stdout
    assert Path(found).resolve().is_relative_to((bin_.parent).resolve())  # installed, not this repository


def test_pelican_finds_the_plugin_in_its_namespace(installed, tmp_path):
    """Pelican loads the plugins installed in pelican.plugins when PLUGINS is not set."""
    _wheel, bin_ = installed
    site = write_site(tmp_path / "site", CONF)
    run([bin_ / "pelican", "content"], cwd=site)
    check_site(site / "output")
