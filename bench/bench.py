"""``make bench``: midcycle against plain Pelican on one synthetic blog.

Issue 7 states its targets as ratios to plain Pelican measured in the same
run on the same machine, so one run of this script writes one corpus
(:mod:`corpus`, fixed seed) and measures, each build in its own process:

(a) plain Pelican 4.12 with its default theme (``pelican_baseline.py``), cold;
(b) midcycle, cold: no output folder and an empty cache folder;
(c) midcycle, rebuild after appending a sentence to the newest post's body;
(d) midcycle, rebuild after adding one post beside the newest;
(e) midcycle, rebuild with nothing changed.

(c) and (d) are undone after each run (the post restored, the added post
deleted) and the site rebuilt, so every run measures the same change against
the same state; those undo rebuilds are reported too, as (c') and (d'),
without a target. Each figure is the median of ``--runs`` runs. After (c)
and (d) the script checks the change reached the output, so a rebuild cannot
look fast by doing nothing.

Peak memory is the larger of two figures for the build's process tree: the
largest resident set of any single process in it, as the kernel counts it
(``os.wait4`` on the build process: its own peak and that of every
descendant it waited for), and the sum of every process's own peak
(``VmHWM`` in ``/proc``, sampled every 50 ms), which counts worker processes
that run side by side. For a build in one process the two agree and the
first is exact; with workers the second is an upper bound (pages workers
share are counted in each).

    .venv/bin/python bench/bench.py [--posts 10000] [--runs 3] [--out bench/results/]
                                    [--table bench/RESULTS.md] [--rev REV] [--quick]

midcycle is measured as the working tree has it, unless ``--rev`` names a
commit: then its plugin, theme and settings are taken from that commit (into
the work folder), so edits made meanwhile cannot change what is measured.

The work folder (``bench/work/``, git-ignored) keeps the corpus, outputs and
build logs of the last run for a look afterwards.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pelican

from corpus import SEED, post_text, write_corpus, zipf_sampler

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SITEURL = "http://127.0.0.1:8000"
TARGET_COLD = 0.5            # cold build, as a ratio to plain Pelican
TARGET_EDIT = 0.1            # rebuild after one edited post, same
TARGET_MEMORY_MB = 1000      # every midcycle build's peak, MB (10^6 bytes)
TARGET_RELATED_S = 1.0       # related posts for all posts, seconds
SAMPLE_EVERY = 0.05          # seconds between /proc samples of the build's processes
EDIT_SENTENCE = "\nA sentence the benchmark appended to this post.\n"


class BenchError(Exception):
    pass


@dataclass
class Run:
    seconds: float
    peak_kib: int      # max(largest single process, sum of per-process peaks)
    processes: int     # processes seen in the build's tree


@dataclass
class Scenario:
    key: str
    label: str
    runs: list[Run]

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_kib for run in self.runs) * 1024 / 1e6


# -- measuring one build --------------------------------------------------

def _process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from ``/proc/*/task/*/children``."""
    tree, stack = [], [pid]
    while stack:
        current = stack.pop()
        tree.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return tree


def _own_peak_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Follows every process of a build and keeps each one's own peak RSS."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            for pid in _process_tree(self.pid):
                peak = _own_peak_kib(pid)
                if peak > self.peaks.get(pid, 0):
                    self.peaks[pid] = peak
            self.done.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self.done.set()
        self.join()


def measure(command: list[str], log: Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` in ``cwd``, its output to ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    # What earlier builds wrote (and the folders removed to start cold) goes
    # to disk now, not while this build is timed: each build pays for its
    # own writes only.
    os.sync()
    with log.open("wb") as out:
        began = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise BenchError(f"{' '.join(command)} failed with exit code {child.returncode}; "
                         f"the end of {log}:\n" + "\n".join(tail))
    peak = max(usage.ru_maxrss, sum(sampler.peaks.values()))
    return Run(seconds, peak, max(len(sampler.peaks), 1))


# -- the scenarios --------------------------------------------------------

class Bench:
    def __init__(self, work: Path, posts: int, runs: int, seed: int, source: Path = ROOT):
        self.work, self.posts, self.runs, self.seed = work, posts, runs, seed
        self.source = source  # the project folder whose plugin, theme and settings are measured
        self.env = None if source == ROOT else {**os.environ, "PYTHONPATH": str(source / "plugins")}
        self.corpus = work / "corpus"
        self.pelican_output = work / "pelican-output"
        self.output = work / "midcycle-output"
        self.cache = work / "midcycle-cache"
        self.logs = work / "logs"
        self.files: list[Path] = []

    def prepare(self) -> None:
        for entry in self.work.glob("*") if self.work.exists() else ():
            if entry != self.source:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        self.work.mkdir(parents=True, exist_ok=True)
        self.files = write_corpus(self.corpus, self.posts, self.seed)

    def pelican_command(self) -> list[str]:
        return [sys.executable, "-m", "pelican", str(self.corpus), "-o", str(self.pelican_output),
                "-s", str(BENCH / "pelican_baseline.py")]

    def midcycle_command(self) -> list[str]:
        return [sys.executable, "-m", "midcycle.build", str(self.corpus), "-o", str(self.output),
                "-s", str(self.source / "pelicanconf.py"), "-e", f'SITEURL="{SITEURL}"', f'CACHE_PATH="{self.cache}"']

    def build(self, name: str) -> Run:
        return measure(self.midcycle_command(), self.logs / f"{name}.log", self.source, self.env)

    def cold_midcycle(self) -> None:
        for folder in (self.output, self.cache):
            shutil.rmtree(folder, ignore_errors=True)
        self.cache.mkdir()

    def scenario(self, key: str, label: str, one_run) -> Scenario:
        runs = []
        for number in range(1, self.runs + 1):
            run = one_run(f"{key}-{number}")
            runs.append(run)
            print(f"  ({key}) run {number}/{self.runs}: {run.seconds:.2f} s, "
                  f"{run.peak_kib * 1024 / 1e6:.0f} MB", file=sys.stderr, flush=True)
        return Scenario(key, label, runs)

    def baseline_run(self, name: str) -> Run:
        shutil.rmtree(self.pelican_output, ignore_errors=True)
        return measure(self.pelican_command(), self.logs / f"{name}.log")

    def cold_run(self, name: str) -> Run:
        self.cold_midcycle()
        return self.build(name)

    def page_of(self, source: Path) -> Path:
        return self.output / source.relative_to(self.corpus).with_suffix(".html")

    def edit_runs(self):
        """(c) and its undo (c'): append a sentence to the newest post."""
        post = self.files[-1]
        original = post.read_bytes()
        undos = []

        def edit(name: str) -> Run:
            post.write_bytes(original + EDIT_SENTENCE.encode())
            run = self.build(name)
            self.expect(EDIT_SENTENCE.strip() in self.page_of(post).read_text(encoding="utf-8"),
                        f"the edited sentence is not in {self.page_of(post)}")
            post.write_bytes(original)
            undos.append(self.build(f"{name}-undo"))
            self.expect(EDIT_SENTENCE.strip() not in self.page_of(post).read_text(encoding="utf-8"),
                        f"the edited sentence is still in {self.page_of(post)}")
            return run

        edits = self.scenario("c", "midcycle, rebuild after editing one post's body", edit)
        return edits, Scenario("c'", "midcycle, rebuild after undoing that edit", undos)

    def add_runs(self):
        """(d) and its undo (d'): add a post beside the newest, then delete it."""
        newest = self.files[-1]
        date = datetime.datetime.strptime(
            re.search(r"^Date: (.+)$", newest.read_text(encoding="utf-8"), re.M).group(1), "%Y-%m-%d %H:%M")
        rng = random.Random(self.seed + 1)
        text = post_text(rng, self.posts, date + datetime.timedelta(hours=1), zipf_sampler(rng)(5), None,
                         newest.with_suffix(".html").name)
        added = newest.with_name(f"post-{self.posts:05d}.md")
        undos = []

        def add(name: str) -> Run:
            added.write_text(text, encoding="utf-8")
            run = self.build(name)
            self.expect(self.page_of(added).is_file(), f"the added post's page {self.page_of(added)} is missing")
            added.unlink()
            undos.append(self.build(f"{name}-undo"))
            self.expect(not self.page_of(added).exists(), f"the deleted post's page {self.page_of(added)} is still there")
            return run

        adds = self.scenario("d", "midcycle, rebuild after adding one post", add)
        return adds, Scenario("d'", "midcycle, rebuild after deleting that post", undos)

    @staticmethod
    def expect(condition: bool, message: str) -> None:
        if not condition:
            raise BenchError(f"the rebuild did not do its work: {message}")

    def run_all(self) -> list[Scenario]:
        print(f"bench: writing {self.posts} posts to {self.corpus}", file=sys.stderr, flush=True)
        self.prepare()
        scenarios = [
            self.scenario("a", "plain Pelican 4.12, default theme, cold", self.baseline_run),
            self.scenario("b", "midcycle, cold (no output, empty cache)", self.cold_run),
            self.scenario("e", "midcycle, rebuild with nothing changed", self.build),
        ]
        edits, edit_undos = self.edit_runs()
        adds, add_undos = self.add_runs()
        order = {"a": 0, "b": 1, "c": 2, "d": 3, "e": 4, "c'": 5, "d'": 6}
        return sorted(scenarios + [edits, adds, edit_undos, add_undos], key=lambda s: order[s.key])


# -- reporting ------------------------------------------------------------

def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def memory_total() -> str:
    try:
        with open("/proc/meminfo") as handle:
            kib = int(next(line for line in handle if line.startswith("MemTotal:")).split()[1])
    except (OSError, StopIteration, ValueError):
        return "?"
    return f"{kib * 1024 / 1e9:.1f} GB"


def git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else "?"


def export_source(rev: str, folder: Path) -> str:
    """Put the plugin, theme and settings of commit ``rev`` in ``folder``,
    and the related-posts timing that goes with that plugin's API; return the
    commit's short hash."""
    commit = git("rev-parse", "--short", "--verify", f"{rev}^{{commit}}")
    if commit == "?":
        raise BenchError(f"--rev {rev}: no such commit")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit, "pelicanconf.py", "plugins", "theme",
                              "bench/related_bench.py"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return commit


def machine_facts(rev_commit: str | None) -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            with open(path) as handle:
                return next((line.split(":", 1)[1].strip() for line in handle if line.startswith(key)), "?")
        except OSError:
            return "?"

    changed = git("status", "--porcelain", "--", "plugins", "theme", "pelicanconf.py")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)",
        "cpu": first("/proc/cpuinfo", "model name"),
        "memory": memory_total(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "pelican": pelican.__version__,
        "midcycle": f"at commit {rev_commit}" if rev_commit else
                    git("rev-parse", "--short", "HEAD") + (" with uncommitted changes in plugins/ or theme/"
                                                           if changed else ""),
    }


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}" if base else "–"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(scenarios: list[Scenario], related: list[float], facts: dict[str, str], args,
           outputs: dict[str, tuple[int, int]], load: tuple[str, str]) -> str:
    by_key = {s.key: s for s in scenarios}
    base = by_key["a"]
    lines = [
        "# midcycle benchmark",
        "",
        f"Written by `make bench` (`bench/bench.py --posts {args.posts} --runs {args.runs}"
        f"{f' --rev {args.rev}' if args.rev else ''}`) on {facts['date']}.",
        f"Corpus: {args.posts} synthetic posts, seed {args.seed} (`bench/corpus.py`). "
        f"Each figure is the median of {args.runs} run{'s' if args.runs != 1 else ''}; "
        "every build is its own process.",
        "",
        "| scenario | median s | min–max s | peak RSS MB | time ÷ (a) | memory ÷ (a) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scenarios:
        times = [run.seconds for run in s.runs]
        workers = max(run.processes for run in s.runs)
        label = s.label + (f" ({workers} processes)" if workers > 1 else "")
        lines.append(f"| ({s.key}) {label} | {s.median:.2f} | {min(times):.2f}–{max(times):.2f} | "
                     f"{s.peak_mb:.0f} | {ratio(s.median, base.median)} | {ratio(s.peak_mb, base.peak_mb)} |")
    lines.append(f"| related posts for all {args.posts} posts (no Pelican) | "
                 f"{statistics.median(related):.2f} | {min(related):.2f}–{max(related):.2f} | – | – | – |")

    midcycle_peak = max(s.peak_mb for s in scenarios if s.key != "a")
    cold, edit = by_key["b"].median / base.median, by_key["c"].median / base.median
    related_median = statistics.median(related)
    lines += [
        "",
        "| target (issue 7, at 10,000 posts) | measured | result |",
        "| --- | ---: | --- |",
        f"| (b) cold build ≤ {TARGET_COLD} × (a) | {cold:.2f} × | {verdict(cold <= TARGET_COLD)} |",
        f"| (c) rebuild after one edited post ≤ {TARGET_EDIT} × (a) | {edit:.2f} × | {verdict(edit <= TARGET_EDIT)} |",
        f"| peak memory of every midcycle build < 1 GB | {midcycle_peak:.0f} MB | "
        f"{verdict(midcycle_peak < TARGET_MEMORY_MB)} |",
        f"| related posts for all posts < {TARGET_RELATED_S:.0f} s | {related_median:.2f} s | "
        f"{verdict(related_median < TARGET_RELATED_S)} |",
        "",
    ]
    if args.posts != 10_000:
        lines += [f"The targets are stated for 10,000 posts; this run had {args.posts}.", ""]
    pelican_files, pelican_bytes = outputs["a"]
    midcycle_files, midcycle_bytes = outputs["b"]
    lines += [
        f"Outputs: plain Pelican {pelican_files} files ({pelican_bytes / 1e6:.0f} MB); "
        f"midcycle {midcycle_files} files ({midcycle_bytes / 1e6:.0f} MB).",
        "",
        f"Machine: {facts['cores']}, {facts['cpu']}, {facts['memory']} memory, {facts['system']}; "
        f"Python {facts['python']}, Pelican {facts['pelican']}, midcycle {facts['midcycle']}. "
        f"Load average before the run {load[0]}, after it {load[1]}: other work on the machine slows every "
        "figure, the ratios less.",
        "",
        "How: (a) and (b) start with no output folder (and (b) with an empty cache folder, `CACHE_PATH` in the "
        "work folder); (c) appends one sentence to the newest post and (d) adds one post beside it, each "
        "undone and rebuilt after every run, which gives (c') and (d'); (e) rebuilds with nothing changed. "
        "Wall time with `time.perf_counter` around the build process, interpreter start included; before "
        "each build `os.sync()` puts what earlier builds wrote on disk, so no build is slowed by another's "
        "writes. Peak RSS is "
        "the larger of the kernel's peak for the largest single process of the build (`os.wait4`) and the sum "
        "of each process's own peak (`VmHWM`, sampled every 50 ms), so worker processes count together; MB "
        "are 10^6 bytes. Related posts: `bench/related_bench.py` on the same number of Zipf-tagged posts.",
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, help="posts in the corpus (default 10000; 300 with --quick)")
    parser.add_argument("--runs", type=int, help="runs of each scenario (default 3; 1 with --quick)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="folder for this run's table and raw data")
    parser.add_argument("--table", type=Path, help="also write the table here (make bench: bench/RESULTS.md)")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="corpus, outputs and logs")
    parser.add_argument("--rev", help="measure the plugin, theme and settings of this commit, not the working tree")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 300 posts, 1 run")
    args = parser.parse_args()
    args.posts = args.posts or (300 if args.quick else 10_000)
    args.runs = args.runs or (1 if args.quick else 3)

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    work = args.work.resolve() / f"n{args.posts}"
    try:
        rev_commit = export_source(args.rev, work / "source") if args.rev else None
        bench = Bench(work, args.posts, args.runs, args.seed, work / "source" if args.rev else ROOT)
        # Related posts are timed in this process, first (a mismatch fails
        # in seconds, not after the builds): with --rev, that commit's code.
        sys.path[:0] = [str(bench.source / "plugins"), str(bench.source / "bench")]
        from related_bench import synthetic_posts, time_related
        print(f"bench: related posts for {args.posts} posts", file=sys.stderr, flush=True)
        related = time_related(synthetic_posts(args.posts, args.seed), max(args.runs, 3))
        scenarios = bench.run_all()
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    outputs = {"a": folder_size(bench.pelican_output), "b": folder_size(bench.output)}
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    facts = machine_facts(rev_commit)
    table = report(scenarios, related, facts, args, outputs, (load_before, load_after))
    print(table)

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    (args.out / f"bench-{args.posts}-{stamp}.md").write_text(table, encoding="utf-8")
    raw = {"facts": facts, "posts": args.posts, "runs": args.runs, "seed": args.seed, "outputs": outputs,
           "related_seconds": related, "scenarios": {s.key: [asdict(run) for run in s.runs] for s in scenarios}}
    (args.out / f"bench-{args.posts}-{stamp}.json").write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    if args.table:
        args.table.write_text(table, encoding="utf-8")
        print(f"bench: wrote {args.table}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
