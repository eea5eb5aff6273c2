"""A post read once is not read again while its bytes stay the same, at
any depth of the content folder (Pelican names a post at the top
``./post.md``)."""

from __future__ import annotations

import midcycle.plugin
from conftest import ROOT, write_post
from midcycle.build import build


def test_unchanged_posts_are_not_read_again(tmp_path, monkeypatch):
    content = tmp_path / "content"
    write_post(content, "top.md", "At the top", "2014-08-13 10:00")
    write_post(content, "a/b/deep.md", "Deep down", "2014-08-13 11:00")
    converted = []
    prepare = midcycle.plugin.prepare_readers
    monkeypatch.setattr(midcycle.plugin, "prepare_readers",
                        lambda generator, names, workers: (converted.append(sorted(names)),
                                                           prepare(generator, names, workers)))
    argv = [str(content), "-o", str(tmp_path / "output"), "-s", str(ROOT / "pelicanconf.py"), "-q",
            "-e", f'CACHE_PATH="{tmp_path / "cache"}"']
    assert build(argv) == 0
    write_post(content, "a/b/deep.md", "Deep down, edited", "2014-08-13 11:00")
    assert build(argv) == 0
    assert converted == [["a/b/deep.md", "top.md"], ["a/b/deep.md"]]
