"""The error a build fails with: every problem found, each naming its source."""

from __future__ import annotations

from collections.abc import Iterable


class BuildError(Exception):
    """Collected problems; the build stops after reporting all of them."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__(
            "midcycle: the build failed:\n" + "\n".join(f"  {p}" for p in self.problems)
        )
