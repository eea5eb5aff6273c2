"""The Makefile as a newcomer meets it: help that names everything, any
folder, an unsupported Python, settings on the command line."""

from __future__ import annotations

import re
import shutil
import subprocess

from bs4 import BeautifulSoup

from conftest import ROOT, SITEURL, write_post

#: Variables the Makefile uses for itself, not for the author to set.
INTERNAL = {"ROOT", "VENV", "BIN", "MIDCYCLE", "CONSTRAINTS", "PIP", "STAMP", "TEST_STAMP", "OVERRIDES",
            "PELICAN_ARGS", "PREVIEW_ARGS", "ADOPT", "SUPPORTED", "CURDIR", "MAKEFILE_LIST", "TOOLS",
            "PUBLISH_BUILD", "NOTIFY_HUB"}


def make(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args], cwd=cwd, capture_output=True, text=True)


def test_help_names_every_target_and_every_variable():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    phony = " ".join(re.findall(r"^\.PHONY:(.*(?:\\\n.*)*)", makefile, re.MULTILINE)).replace("\\", " ").split()
    targets = set(phony) - {"help", "venv-broken"}
    variables = set(re.findall(r"\$\(([A-Z][A-Z_]*)\)", makefile)) - INTERNAL
    assert {"TAGS", "SETTINGS", "PORT", "BIND", "SITENAME", "TIMEZONE", "PY"} <= variables  # the parse works
    shown = make("help").stdout
    for target in targets:
        assert re.search(rf"^make {re.escape(target)}\b", shown, re.MULTILINE), target
    for variable in variables:
        assert f"{variable}=" in shown, variable


def test_it_works_from_any_folder(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    # This project's settings, in a folder of their own (so the cache they
    # name, relative to them, is not the project's).
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(ROOT / "pelicanconf.py", site)
    shutil.copytree(ROOT / "theme", site / "theme")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = make("-f", str(ROOT / "Makefile"), "html", f"CONFFILE={site / 'pelicanconf.py'}",
                  f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'out'}", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out/a/one.html").is_file()
    assert list(elsewhere.iterdir()) == []  # no cache or anything else left where it ran
    assert any((site / "cache").iterdir())  # beside the settings that name it


def fake_python(folder, version: str):
    """A `python3` that is too old: it only says its version."""
    path = folder / "python3.9"
    path.write_text(f"#!/bin/sh\necho 'Python {version}'\nexit 1\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def project_without_venv(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("Makefile", "pyproject.toml", "constraints.txt"):
        shutil.copy(ROOT / name, project / name)
    return project


def test_an_unsupported_python_is_refused_before_making_anything(tmp_path):
    project = project_without_venv(tmp_path)
    result = make("html", f"PY={fake_python(tmp_path, '3.9.2')}", cwd=project)
    assert result.returncode != 0
    assert "midcycle needs Python 3.11 or newer" in result.stderr and "Python 3.9.2" in result.stderr
    assert not (project / ".venv").exists()
    result = make("html", "PY=no-such-python3", cwd=project)
    assert result.returncode != 0 and "midcycle needs Python 3.11 or newer" in result.stderr


def test_a_venv_whose_python_is_gone_is_made_again(tmp_path):
    project = project_without_venv(tmp_path)
    (project / ".venv/bin").mkdir(parents=True)
    (project / ".venv/bin/python").symlink_to(tmp_path / "removed-python")
    (project / ".venv/.installed").touch()
    # A fake (too old) PY stops it before it installs anything, once it has said what it found.
    result = make("html", f"PY={fake_python(tmp_path, '3.9.2')}", cwd=project)
    assert ".venv was made by a Python that is missing or older than 3.11; making it again" in result.stderr
    assert "midcycle needs Python 3.11 or newer" in result.stderr
    assert "Traceback" not in result.stderr


def test_settings_that_are_not_json_are_text_or_refused_in_one_line(content, tmp_path):
    write_post(content, "a/one.md", "One", "2014-08-13 10:00")
    base = [f"INPUTDIR={content}", f"OUTPUTDIR={tmp_path / 'out'}", f"SITEURL={SITEURL}"]
    cache = f"CACHE_PATH={tmp_path / 'cache'}"
    result = make("html", *base, f'SETTINGS=SITENAME="My blog" DEFAULT_PAGINATION=1 {cache}')
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup((tmp_path / "out/index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == "My blog"
    refused = make("html", *base, "SETTINGS=SITENAME=My blog")
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    said = [line for line in refused.stderr.splitlines() if line.startswith("midcycle")]
    assert said == ["midcycle: Extra settings must be specified as KEY=VALUE pairs but you specified blog "
                    "(a value with spaces needs quotes: SETTINGS='SITENAME=\"My blog\"')"]


def test_make_html_installs_only_what_building_needs():
    dry = make("-n", "-W", str(ROOT / "pyproject.toml"), "html")
    install = [line for line in dry.stdout.splitlines() if "pip install" in line]
    assert install and all(f"-c {ROOT}/constraints.txt" in line for line in install)
    assert not any("[test]" in line for line in install)
    dry = make("-n", "-W", str(ROOT / "pyproject.toml"), "test")
    assert any("[test]" in line and f"-c {ROOT}/constraints.txt" in line for line in dry.stdout.splitlines())
