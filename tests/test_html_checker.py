"""The Nu Html Checker (vnu) finds nothing to say about any page: not an
error, not a warning, not a note, on every page of the sample site and of a
generated 300-post corpus, each built as ``make publish`` would (with the
search index).

vnu comes from npm's ``vnu-jar`` package (``make test`` installs it into
tests/tools/node_modules with ``npm ci``) and runs on Debian's Java; both
are installed by ``.ci/run``. Without them the test is skipped with the
reason in pytest's summary, except under CI, where that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

VNU = ROOT / "tests/tools/node_modules/vnu-jar/build/dist/vnu.jar"
JAVA = shutil.which("java")

if JAVA is None or not VNU.is_file():
    message = (f"the Nu Html Checker did NOT run: needs java ({JAVA or 'not found'}) and {VNU} "
               "(apt-get install default-jre-headless npm; make test installs the jar)")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message, allow_module_level=True)


def test_vnu_has_nothing_to_say_about_any_page(tmp_path):
    sample, corpus = tmp_path / "sample", tmp_path / "corpus"
    result = run_build(ROOT / "content", sample, SEARCH_INDEX=True)
    assert result.returncode == 0, result.stderr
    write_corpus(tmp_path / "corpus-content", 300)
    result = run_build(tmp_path / "corpus-content", corpus, SEARCH_INDEX=True)
    assert result.returncode == 0, result.stderr
    pages = [path for folder in (sample, corpus) for path in folder.rglob("*.html")]
    assert len(pages) > 1000  # the corpus has hundreds of listings besides its posts
    checked = subprocess.run([JAVA, "-jar", str(VNU), "--skip-non-html", "--also-check-svg", "--format", "json",
                              "--stdout", str(sample), str(corpus)], capture_output=True, text=True)
    report = json.loads(checked.stdout)
    messages = [f"{m.get('url', '?')}:{m.get('lastLine', '?')}: {m.get('type')} {m.get('subType', '')}: "
                f"{m.get('message')}" for m in report["messages"]]
    assert messages == []
    assert checked.returncode == 0
