"""storage: files the build keeps for itself are written whole or not at
all, and a damaged one costs its work, never a build."""

from __future__ import annotations

import logging
import pickle

import pytest

from midcycle.memo import LatestResult, remembered
from midcycle.storage import load_pickles, replacing, write_whole


def test_a_file_is_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "cache" / "data.pickle"
    write_whole(path, b"old bytes")
    with pytest.raises(OSError), replacing(path) as handle:
        handle.write(b"half of the new")
        raise OSError("No space left on device")
    assert path.read_bytes() == b"old bytes"
    assert [p.name for p in path.parent.iterdir()] == ["data.pickle"]  # no temporary file left
    write_whole(path, b"new bytes")
    assert path.read_bytes() == b"new bytes"


def test_a_truncated_pickle_is_dropped_with_a_warning(tmp_path, caplog):
    path = tmp_path / "data.pickle"
    path.write_bytes(pickle.dumps({"a": list(range(100))})[:-10])
    with caplog.at_level(logging.WARNING):
        assert load_pickles(path) is None
    assert "dropping the damaged cache file" in caplog.text and str(path) in caplog.text
    assert not path.exists()


@pytest.mark.parametrize("data", [b"", b"not a pickle at all", b"\x80\x05\x95garbage"])
def test_anything_unreadable_is_dropped(tmp_path, data):
    path = tmp_path / "data.pickle"
    path.write_bytes(data)
    assert load_pickles(path) is None


def test_no_file_is_no_value_and_no_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert load_pickles(tmp_path / "none.pickle") is None
    assert caplog.text == ""


def test_a_truncated_related_memo_is_ranked_again(tmp_path, caplog):
    path = tmp_path / "related.pickle"
    calls = []

    def rank(posts, limit, pins, only=None):  # a related.ranking: the lists, and the ties titles decided
        calls.append(1)
        return {"p/a": ("p/b",)}, {}

    def build() -> dict:
        """One build's related lists: a process of its own, reading the file."""
        return remembered(rank, LatestResult(path))([], 6, {})

    assert build() == {"p/a": ("p/b",)}
    assert build() == {"p/a": ("p/b",)} and len(calls) == 1
    path.write_bytes(path.read_bytes()[:-5])
    with caplog.at_level(logging.WARNING):
        assert build() == {"p/a": ("p/b",)}
    assert len(calls) == 2 and "dropping the damaged cache file" in caplog.text
    assert build() == {"p/a": ("p/b",)} and len(calls) == 2  # stored whole again
