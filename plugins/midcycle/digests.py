"""Digests of what outputs are made from, so a rebuild can tell what changed.

A digest sums up values with a stable ``repr``: frozen dataclasses, tuples,
strings, numbers, datetimes. It is a plain function of its arguments, so the
model and the algorithms use it without touching anything else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def digest(*parts: object) -> str:
    return _hashed(repr(parts))


def texts_digest(texts: Iterable[str]) -> str:
    """A digest of a list of strings, as :func:`digest` would take of the
    list, in a third of the time (it is taken for every post on every
    build); the two give different values. Each string is prefixed with its
    length, so no two lists give the same text."""
    return _hashed("".join([f"{len(text)}:{text}" for text in texts]))


def _hashed(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
