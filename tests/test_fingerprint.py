"""The fingerprints (fingerprint.py): what they see and what they ignore,
and the settings defaults around them (settings.py, processes.py)."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

from conftest import ROOT, write_post
import midcycle
from midcycle import fingerprint
from midcycle.fingerprint import (READING_MODULE, TemplateDigests, read_fingerprint, reading_modules,
                                  relative_imports, render_fingerprint, stable)
from jinja2 import DictLoader, Environment


def shout(text):
    return text.upper()


class Extension:
    def __init__(self, level):
        self.level = level


def test_objects_and_functions_are_described_without_memory_addresses():
    described = json.dumps(stable({"filter": shout, "ext": Extension(2), "call": partial(shout, "x")}))
    assert " at 0x" not in described
    # Built again in a new interpreter, the description is the same.
    code = ("import json, sys; sys.path.insert(0, 'tests'); from functools import partial;"
            "from test_fingerprint import Extension, shout; from midcycle.fingerprint import stable;"
            "print(json.dumps(stable({'filter': shout, 'ext': Extension(2), 'call': partial(shout, 'x')})))")
    again = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert again.stdout.strip() == described


def test_an_object_counts_by_its_attributes_and_a_function_by_its_code():
    assert stable(Extension(2)) != stable(Extension(3))
    assert stable(Extension(2)) == stable(Extension(2))

    def other(text):
        return text.lower()

    assert stable(shout) != stable(other)


def test_reading_code_is_reading_and_what_it_uses():
    modules = reading_modules()
    assert READING_MODULE in modules and "rewrite" in modules
    # Rendering and building are not reading: editing them keeps posts read.
    assert not {"pages", "feeds", "templating", "plugin", "write", "commit"} & set(modules)


SETTINGS = {"SITEURL": "http://blog.test", "SITENAME": "A", "MARKDOWN": {"extensions": ["markdown.extensions.extra"]},
            "THEME": "theme", "PLUGINS": ["midcycle"], "OUTPUT_PATH": "/tmp/a"}


def test_the_read_fingerprint_ignores_what_only_pages_show():
    base = read_fingerprint(SETTINGS)
    assert read_fingerprint({**SETTINGS, "SITENAME": "B", "OUTPUT_PATH": "/tmp/b"}) == base
    assert read_fingerprint({**SETTINGS, "SITEURL": "https://blog.test"}) != base  # links in bodies are absolute
    assert read_fingerprint({**SETTINGS, "MARKDOWN": {"extensions": []}}) != base
    assert render_fingerprint({**SETTINGS, "SITENAME": "B"}) != render_fingerprint(SETTINGS)
    assert render_fingerprint({**SETTINGS, "OUTPUT_PATH": "/tmp/b"}) == render_fingerprint(SETTINGS)


def test_a_template_digest_covers_what_it_extends_includes_and_imports():
    sources = {"base.html": "B{% block c %}{% endblock %}", "tag.html": '{% extends "base.html" %}',
               "post.html": '{% from "macros.html" import m %}{{ m() }}', "macros.html": "{% macro m() %}M{% endmacro %}",
               "other.html": "O"}
    digests = TemplateDigests(Environment(loader=DictLoader(sources)))
    before = {name: digests(name) for name in ("tag", "post", "other")}
    edited = TemplateDigests(Environment(loader=DictLoader({**sources, "base.html": "B2{% block c %}{% endblock %}"})))
    assert edited("tag") != before["tag"]
    assert (edited("post"), edited("other")) == (before["post"], before["other"])
    edited = TemplateDigests(Environment(loader=DictLoader({**sources, "macros.html": "{% macro m() %}N{% endmacro %}"})))
    assert edited("post") != before["post"] and edited("tag") == before["tag"]


def test_workers_default_to_the_cpus_this_process_may_use():
    code = ("import os; os.sched_setaffinity(0, {0}); from midcycle.processes import usable_cpus;"
            "print(usable_cpus())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "1"


def test_a_value_the_author_sets_wins_even_when_it_is_pelicans_default(content, build):
    for day in range(1, 26):
        write_post(content, f"a/post-{day}.md", f"Post {day}", f"2014-08-{day:02d} 10:00")
    # 100 is Pelican's own default; the site's pelicanconf.py says 20.
    site = build(content, FEED_MAX_ITEMS=100, DEFAULT_PAGINATION=False)
    assert (site.file("index.rss").read_text(encoding="utf-8").count("<item>")) == 25
    assert not site.exists("page/2.html")
    assert len(site.html("index.html").select("article.post")) == 25


def test_the_tools_the_command_line_and_the_theme_do_not_render_pages_again(tmp_path, monkeypatch):
    copy = tmp_path / "midcycle"
    shutil.copytree(fingerprint.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)
    before = render_fingerprint(SETTINGS)
    for name in ("cli.py", "tools/init.py", "theme/templates/tag.html", "theme/static/css/midcycle.css"):
        with (copy / name).open("a", encoding="utf-8") as handle:
            handle.write("\n")
        assert render_fingerprint(SETTINGS) == before, name
    with (copy / "pages.py").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    assert render_fingerprint(SETTINGS) != before


def test_relative_imports_finds_every_import_the_parser_finds():
    # The pattern stands in for the parser (ast): whatever ast sees, it must see.
    def parsed(source):
        found = set()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [alias.name for alias in node.names]
                found.update(name.split(".")[0] for name in names)
        return found

    odd = ("from .a import b\nfrom . import c, d as e  # two\nfrom .f import (\n    g,\n    h,\n)\n"
           "def later():\n    from .i import j\n    from . import (k,  # a comment, then\n        l)\n"
           "from .import m\nfrom .n import(o)\nfrom .p.q import r\nfrom . import s, \\\n    t\n"
           "from . import u; import os\nimport v\nfrom w import x\n")
    expected = {"a", "c", "d", "f", "i", "k", "l", "m", "n", "p", "s", "t", "u"}
    assert parsed(odd) == expected
    assert expected <= relative_imports(odd)
    assert not {"v", "w", "x"} & relative_imports(odd)  # absolute imports are not the package's
    for module in Path(midcycle.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        assert parsed(source) <= relative_imports(source), module.name
