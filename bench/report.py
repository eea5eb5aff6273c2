"""What ``make bench`` says: the table of one run, the targets of issues
7, 12, 13 and 17 with a verdict each, and ``bench/RESULTS.md``, which keeps
one section per corpus size (a run replaces the section of its size and
keeps the others, so the 10,000- and 30,000-post runs stand together).

The targets are data (:data:`TARGETS`): what is measured, the limit, the
corpus size the issue states it for. A target whose figure this run did
not measure (plain Pelican skipped, a scenario left out by ``--only``)
says so rather than passing.
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from measure import NOTHING_TO_DO, Run

MB = 1e6


@dataclass
class Scenario:
    name: str
    """Its name in the raw results (``cold``, ``body``, ``body-undo``, ``server-title``)."""
    key: str
    """Its letter in the table."""
    label: str
    runs: list[Run]
    kind: str = "build"
    """``pelican`` (the peer), ``build`` (a midcycle build) or ``server`` (the dev server)."""

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_kib for run in self.runs) * 1024 / MB


@dataclass
class Check:
    """A rebuilt output compared byte for byte with a cold build of the same content."""

    after: str
    differences: list[str]


@dataclass
class Reference:
    """The title edit of the latest 10,000-post run, for the 30,000-post target."""

    file: str
    date: str
    seconds: float


@dataclass
class Results:
    posts: int
    scenarios: list[Scenario]
    related: list[float] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    reference: Reference | None = None

    def get(self, name: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.name == name), None)

    def median(self, name: str) -> float | None:
        scenario = self.get(name)
        return scenario.median if scenario else None

    def ratio(self, name: str, to: str = "pelican") -> float | None:
        value, base = self.median(name), self.median(to)
        return value / base if value is not None and base else None

    def midcycle_peak_mb(self) -> float | None:
        peaks = [s.peak_mb for s in self.scenarios if s.kind == "build"]
        return max(peaks) if peaks else None

    def posts_read(self, name: str) -> float | None:
        scenario = self.get(name)
        counts = [run.counts() for run in scenario.runs] if scenario else []
        read = [c["read"] for c in counts if c is not None]
        return max(read) if read else None

    def differing(self) -> float | None:
        return sum(1 for check in self.checks if check.differences) if self.checks else None

    def to_reference(self) -> float | None:
        title = self.median("title")
        return title / self.reference.seconds if title is not None and self.reference else None

    def reference_note(self) -> str:
        if self.reference is None:
            return "missing: no 10,000-post results with a title edit in bench/results/"
        return f"{self.reference.seconds:.2f} s in {self.reference.file}, measured {self.reference.date}"


@dataclass(frozen=True)
class Target:
    posts: int
    """The corpus size the issue states it for."""
    text: str
    value: Callable[[Results], float | None]
    limit: float
    shown: str
    """How the measured value reads: a format with one field."""
    below: bool = False
    """``<`` the limit rather than ``≤``."""

    def verdict(self, value: float | None) -> str:
        if value is None:
            return "not measured"
        return "PASS" if (value < self.limit if self.below else value <= self.limit) else "MISS"


def _builds_equal(posts: int) -> Target:
    return Target(posts, "every incremental rebuild byte-identical to a cold build (issues 12, 17)",
                  Results.differing, 0, "{:.0f} differ")


def _memory(posts: int, limit_mb: float) -> Target:
    return Target(posts, f"peak memory of every midcycle build < {limit_mb / 1000:.0f} GB",
                  Results.midcycle_peak_mb, limit_mb, "{:.0f} MB", below=True)


TARGETS = [
    Target(10_000, "(b) cold build ≤ 0.25 × (a) (issue 17)", lambda r: r.ratio("cold"), 0.25, "{:.3f} ×"),
    *(Target(10_000, f"({key}) rebuild after the {what} edit ≤ 0.03 × (a) (issue 17)",
             lambda r, name=name: r.ratio(name), 0.03, "{:.3f} ×")
      for key, name, what in (("d", "body", "body"), ("e", "title", "title"), ("f", "tag", "tag"))),
    Target(10_000, "(c) rebuild with nothing changed ≤ 0.02 × (a) (issue 17)", lambda r: r.ratio("noop"), 0.02,
           "{:.3f} ×"),
    _memory(10_000, 1000),
    Target(10_000, "(h) rebuild after the CSS edit ≤ about 2 × (d) the body edit (issue 12)",
           lambda r: r.ratio("css", to="body"), 2.0, "{:.2f} ×"),
    Target(10_000, "(i) rebuild after the template edit reads no post (issue 12)",
           lambda r: r.posts_read("template"), 0, "{:.0f} posts read"),
    Target(10_000, "(j) dev server, body edit to page served, median < 1 s (issue 13)",
           lambda r: r.median("server-body"), 1.0, "{:.2f} s", below=True),
    Target(10_000, "(k) dev server, title edit to page served, median < 1 s (issue 13)",
           lambda r: r.median("server-title"), 1.0, "{:.2f} s", below=True),
    Target(10_000, "related posts for all posts < 1 s (issue 7)",
           lambda r: statistics.median(r.related) if r.related else None, 1.0, "{:.2f} s", below=True),
    _builds_equal(10_000),
    Target(30_000, "(c) rebuild with nothing changed ≤ 5 s (issue 17)", lambda r: r.median("noop"), 5.0,
           "{:.2f} s"),
    _memory(30_000, 1000),
    Target(30_000, "(e) title edit ≤ 3 × the title edit at 10,000 posts ({reference}) (issue 17)",
           Results.to_reference, 3.0, "{:.2f} ×"),
    _builds_equal(30_000),
    Target(100_000, "(b) cold build < 6 minutes (issue 17)", lambda r: r.median("cold"), 360, "{:.0f} s",
           below=True),
    _memory(100_000, 2000),
]


def targets_for(posts: int) -> tuple[int, list[Target]]:
    """The size whose targets a run of ``posts`` is held to (the largest
    stated size not above it, else the smallest), and those targets."""
    sizes = sorted({target.posts for target in TARGETS})
    size = max((s for s in sizes if s <= posts), default=sizes[0])
    return size, [target for target in TARGETS if target.posts == size]


def latest_reference(results: Path, posts: int = 10_000) -> Reference | None:
    """The title edit of the newest ``bench-<posts>-*.json`` in ``results``
    that measured one."""
    for path in sorted(results.glob(f"bench-{posts}-*.json"), reverse=True):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            runs = raw["scenarios"]["title"]["runs"]
            return Reference(path.name, raw["facts"]["date"], statistics.median(run["seconds"] for run in runs))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return None


def raw_results(results: Results) -> dict:
    return {
        "scenarios": {s.name: {"key": s.key, "label": s.label, "kind": s.kind,
                               "runs": [vars(run) for run in s.runs]} for s in results.scenarios},
        "related_seconds": results.related,
        "checks": [vars(check) for check in results.checks],
        "reference": vars(results.reference) if results.reference else None,
    }


# -- the text -------------------------------------------------------------

HOW = """\
How: every build is its own process, timed with `time.perf_counter` around it, interpreter start included;
before each timed build (and each timed edit in the dev server) `os.sync()` puts what earlier builds wrote on
disk, so no build is slowed by another's writes. (a) plain Pelican 4.12 with its default theme
(`bench/pelican_baseline.py`) and (b) midcycle start with no output folder, (b) with an empty cache folder.
(c) rebuilds with nothing changed. (d) to (i) each make one change, rebuild, check the change reached the
output, undo it and rebuild again (the undo rebuilds are the primed rows), so every run measures the same
change: (d) appends a sentence to the newest post's body, (e) changes its `Title:`, (f) replaces its last
tag with a common one, (g) adds a post beside it, (h) appends a rule to the CSS file and (i) changes the
words "Posts tagged" in `tag.html`, both copies in a theme folder of the bench's own (`THEME` in the work
folder) that override midcycle's bundled ones. The first run of each change also compares the rebuilt output byte for
byte with a cold build of the same content (and the undone output with the first cold build). (j) and (k)
start `python -m midcycle.server` (its first build, a full one, is not timed), save the body edit of (d) or
the title edit of (e), and, as the open page's reload script does, ask for the post's page at each event of
the server naming it until it is served with the change: the time from the save to that answer (nothing asks
in between, which would take the server's time from the build); its memory is the server's whole session, first build included. Peak memory is
the larger of the kernel's peak for the largest single process (`os.wait4`) and the most all the build's
processes held together, sampled every 50 ms as the sum of their proportional set sizes (`Pss`: a page the
forked workers share with the parent counts once, not once per process); MB are 10^6 bytes. "Read,
rendered, written" come from midcycle's progress line (`midcycle: N posts (K read), M pages and feeds: R
rendered, W written, ...`). Related posts: `bench/related_bench.py` on the same number of Zipf-tagged posts.
"""

PREAMBLE = f"""\
# midcycle benchmark

Written by `make bench`: one section per corpus size, each from the last run at that size
(`make bench N=10000`, `make bench N=30000 PEERS=none`, `make bench N=100000 RUNS=1 PEERS=none ONLY=cold`).
Each run's table and raw timings are also kept in `bench/results/`.

{HOW}"""

SECTION = re.compile(r"^## ([\d,]+) posts\s*$")


def _ratio(value: float, base: float | None, digits: int) -> str:
    return f"{value / base:.{digits}f}" if base else "–"


def _counts(scenario: Scenario) -> str:
    run = scenario.runs[0]
    if NOTHING_TO_DO.search(run.progress):
        return "nothing to do"
    counts = run.counts()
    return f"{counts['read']} / {counts['rendered']} / {counts['written']}" if counts else ""


def section(results: Results, command: str, facts: dict[str, str], runs: int, seed: int,
            outputs: dict[str, tuple[int, int]], load: tuple[str, str]) -> str:
    """The RESULTS.md section of one run."""
    posts = results.posts
    base = results.get("pelican")
    lines = [
        f"## {posts:,} posts",
        "",
        f"`{command}` on {facts['date']}. Corpus: {posts} synthetic posts, seed {seed} (`bench/corpus.py`). "
        f"Each figure is the median of {runs} run{'s' if runs != 1 else ''}."
        + ("" if base else " Plain Pelican was not run (`PEERS=none` or `ONLY=`), so there are no ratios."),
        "",
        "| scenario | median s | min–max s | peak memory MB | time ÷ (a) | memory ÷ (a) "
        "| posts read / pages rendered / written |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in sorted(results.scenarios, key=lambda s: (s.key.endswith("'"), s.key)):
        times = [run.seconds for run in s.runs]
        workers = max(run.processes for run in s.runs)
        label = s.label + (f" ({workers} processes)" if workers > 1 else "")
        # A dev server's edit-to-page time is no build, to hold against one.
        against = base if s.kind != "server" else None
        lines.append(f"| ({s.key}) {label} | {s.median:.2f} | {min(times):.2f}–{max(times):.2f} | {s.peak_mb:.0f} | "
                     f"{_ratio(s.median, against.median if against else None, 3)} | "
                     f"{_ratio(s.peak_mb, against.peak_mb if against else None, 2)} | {_counts(s)} |")
    if results.related:
        related = results.related
        lines.append(f"| related posts for all {posts} posts (no Pelican) | {statistics.median(related):.2f} | "
                     f"{min(related):.2f}–{max(related):.2f} | – | – | – | |")

    size, targets = targets_for(posts)
    lines += ["", f"| target (stated for {size:,} posts) | measured | result |", "| --- | ---: | --- |"]
    for target in targets:
        value = target.value(results)
        measured = "–" if value is None else target.shown.format(value)
        lines.append(f"| {target.text.format(reference=results.reference_note())} | {measured} | "
                     f"{target.verdict(value)} |")
    lines.append("")
    if size != posts:
        lines += [f"The targets are stated for {size:,} posts; this run had {posts:,}.", ""]
    if results.checks:
        lines.append("Byte for byte with a cold build of the same content: " + "; ".join(
            f"after {check.after}: " + ("equal" if not check.differences else
                                        f"{len(check.differences)} differ ({', '.join(check.differences[:5])})")
            for check in results.checks) + ".")
        lines.append("")
    if outputs:
        lines += ["Outputs: " + "; ".join(f"{who} {files} files ({size_bytes / MB:.0f} MB)"
                                          for who, (files, size_bytes) in outputs.items()) + ".", ""]
    lines.append(
        f"Machine: {facts['cores']}, {facts['cpu']}, {facts['memory']} memory, {facts['system']}; "
        f"Python {facts['python']}, Pelican {facts['pelican']}, midcycle {facts['midcycle']}. "
        f"Load average before the run {load[0]}, after it {load[1]}: other work on the machine slows every "
        "figure, the ratios less.")
    return "\n".join(lines) + "\n"


def merge(existing: str, posts: int, new_section: str) -> str:
    """RESULTS.md with ``new_section`` as the section for ``posts``, the
    sections of other sizes kept, smallest size first."""
    sections: dict[int, list[str]] = {}
    current: list[str] | None = None
    for line in existing.splitlines():
        heading = SECTION.match(line)
        if heading:
            current = sections.setdefault(int(heading.group(1).replace(",", "")), [])
            current.clear()
        if current is not None:
            current.append(line)
    sections[posts] = new_section.splitlines()
    body = "\n\n".join("\n".join(lines).strip() for _size, lines in sorted(sections.items()))
    return f"{PREAMBLE}\n{body}\n"
