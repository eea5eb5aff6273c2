"""Digests of what outputs are made from, so a rebuild can tell what changed.

A digest sums up values with a stable ``repr``: frozen dataclasses, tuples,
strings, numbers, datetimes. It is a plain function of its arguments, so the
model and the algorithms use it without touching anything else.
"""

from __future__ import annotations

import hashlib


def digest(*parts: object) -> str:
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
