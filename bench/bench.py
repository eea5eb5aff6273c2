"""``make bench``: midcycle against plain Pelican on one synthetic blog.

The targets of issues 7, 12, 13 and 17 are ratios to plain Pelican measured
in the same run on the same machine, or times and memory of midcycle alone,
so one run writes one corpus (:mod:`corpus`, fixed seed) and measures, each
build in its own process, each figure the median of ``--runs`` runs:

(a) plain Pelican 4.12 with its default theme (``pelican_baseline.py``),
    cold (not with ``--peers none``: then no ratios);
(b) midcycle, cold: no output folder and an empty cache folder;
(c) midcycle, rebuild with nothing changed;
(d)-(i) midcycle, rebuild after one change (:mod:`changes`): a sentence
    appended to the newest post's body, its ``Title:`` changed, one of its
    ``Tags:`` changed, a post added, the theme's CSS edited, the theme's
    ``tag.html`` edited; each undone and rebuilt after every run, which
    gives (d')-(i');
(j), (k) the dev server: from saving (d)'s and (e)'s edit to the page
    being served (:mod:`devserver`).

After each change the bench checks the change reached the output, so a
rebuild cannot look fast by doing nothing, and in the first run compares
the rebuilt output byte for byte with a cold build of the same content
(``check``: a cold build per change, untimed; leave it out of ``--only``
to save that time).
The theme edits are made on copies in a theme folder of the bench's own
(``THEME`` in the work folder), never on midcycle's bundled theme.
How time and memory are counted: :mod:`measure`; the table and the
targets: :mod:`report`.

    .venv/bin/python bench/bench.py [--posts 10000] [--runs 3] [--peers pelican|none]
        [--only cold,noop,...] [--out bench/results/] [--table bench/RESULTS.md] [--rev REV] [--quick]

midcycle is measured as the working tree has it, unless ``--rev`` names a
commit: then that commit's project (plugin, bundled theme, settings) is
exported into the work folder and measured, so edits made meanwhile cannot
change what is measured.

The work folder (``bench/work/n<posts>/``, git-ignored) keeps the corpus,
outputs and build logs of the last run for a look afterwards.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pelican

from changes import Change, make_theme, post_changes, tags_of, theme_changes
from corpus import SEED, write_corpus
from devserver import DevServer, free_port
from measure import BenchError, Run, measure, tail
from report import Check, Results, Scenario, latest_reference, merge, raw_results, section

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
SITEURL = "http://127.0.0.1:8000"
#: What ``--only`` may name, in the order they run; ``check`` compares the
#: output after each change (and its undo) with a cold build.
SCENARIOS = ("related", "pelican", "cold", "noop", "body", "title", "tag", "add", "css", "template", "check",
             "server")
#: The changes the dev server is timed with.
SERVER_CHANGES = {"body": ("j", "dev server: from saving (d)'s body edit to the page served"),
                  "title": ("k", "dev server: from saving (e)'s title edit to the page served")}


class Bench:
    def __init__(self, work: Path, posts: int, runs: int, seed: int, source: Path = ROOT, compare: bool = True):
        self.work, self.posts, self.runs, self.seed = work, posts, runs, seed
        self.compare = compare  # each change's output with a cold build
        self.source = source  # the project folder whose plugin, theme and settings are measured
        self.env = None if source == ROOT else {**os.environ, "PYTHONPATH": str(source / "plugins")}
        self.corpus = work / "corpus"
        self.theme = work / "theme"
        self.pelican_output = work / "pelican-output"
        self.output = work / "midcycle-output"
        self.cache = work / "midcycle-cache"
        self.reference = work / "cold-output"       # a cold build of the corpus as written
        self.check_output = work / "check-output"   # cold builds of a changed corpus
        self.check_cache = work / "check-cache"
        self.preview = work / "preview"             # the dev server's
        self.logs = work / "logs"
        self.files: list[Path] = []
        self.checks: list[Check] = []

    def prepare(self) -> list[Change]:
        """Write the corpus and the bench's theme; the changes to time."""
        for entry in self.work.glob("*") if self.work.exists() else ():
            if entry != self.source:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        self.work.mkdir(parents=True, exist_ok=True)
        # Python writes a module's bytecode the first time it imports it, and
        # later builds start from it. A shell that sets PYTHONDONTWRITEBYTECODE
        # (this machine's does) would have midcycle, installed editable,
        # compile its source again at every build (0.2 s), while Pelican,
        # installed from a wheel, starts from bytecode: compile it once, as a
        # user's first build does.
        compileall.compile_dir(self.source / "plugins", quiet=1)
        self.files = write_corpus(self.corpus, self.posts, self.seed)
        make_theme(self.source, self.theme)
        return [*post_changes(self.corpus, self.files, self.seed),
                *theme_changes(self.theme, tags_of(self.files[-1])[0])]

    # -- commands ---------------------------------------------------------

    def overrides(self, cache: Path, siteurl: str = SITEURL) -> list[str]:
        """Settings on top of the project's ``pelicanconf.py``, as JSON values."""
        return ["-e", *(f"{key}={json.dumps(str(value))}"
                        for key, value in (("SITEURL", siteurl), ("CACHE_PATH", cache), ("THEME", self.theme)))]

    def midcycle_command(self, output: Path, cache: Path) -> list[str]:
        return [sys.executable, "-m", "midcycle.build", str(self.corpus), "-o", str(output),
                "-s", str(self.source / "pelicanconf.py"), *self.overrides(cache)]

    def build(self, name: str) -> Run:
        """A midcycle build of the corpus into the output folder, measured."""
        return measure(self.midcycle_command(self.output, self.cache), self.logs / f"{name}.log", self.source,
                       self.env)

    def start_cold(self, output: Path, cache: Path) -> None:
        for folder in (output, cache):
            shutil.rmtree(folder, ignore_errors=True)
        cache.mkdir(parents=True)

    # -- scenarios --------------------------------------------------------

    def repeat(self, name: str, key: str, label: str, one_run: Callable[[str], Run], kind: str = "build") -> Scenario:
        runs = []
        for number in range(1, self.runs + 1):
            run = one_run(f"{name}-{number}")
            runs.append(run)
            self.say(f"({key}) {name} run {number}/{self.runs}: {run.seconds:.2f} s, "
                     f"{run.peak_kib * 1024 / 1e6:.0f} MB")
        return Scenario(name, key, label, runs, kind)

    @staticmethod
    def say(text: str) -> None:
        print(f"bench: {text}", file=sys.stderr, flush=True)

    def pelican_run(self, name: str) -> Run:
        shutil.rmtree(self.pelican_output, ignore_errors=True)
        return measure([sys.executable, "-m", "pelican", str(self.corpus), "-o", str(self.pelican_output),
                        "-s", str(BENCH / "pelican_baseline.py")], self.logs / f"{name}.log", ROOT)

    def cold_run(self, name: str) -> Run:
        self.start_cold(self.output, self.cache)
        return self.build(name)

    @staticmethod
    def expect(condition: bool, message: str) -> None:
        if not condition:
            raise BenchError(f"the rebuild did not do its work: {message}")

    def change_runs(self, change: Change) -> tuple[Scenario, Scenario]:
        """A change and its undo, each rebuilt and checked, ``runs`` times."""
        undos = []
        shows = f"{self.output / change.page} shows {change.marker!r}"

        def one_run(name: str) -> Run:
            self.expect(not change.shown(self.output), f"before the change, {shows}")
            change.apply()
            run = self.build(name)
            self.expect(change.shown(self.output), f"after the change, not: {shows}")
            first = self.compare and not undos
            if first:
                self.compare_with_cold(change.name, f"({change.key}) {change.what}")
            change.undo()
            undos.append(self.build(f"{name}-undo"))
            self.expect(not change.shown(self.output), f"after the undo, {shows}")
            if first:
                self.checks.append(Check(f"({change.key}') its undo", tree_differences(self.output, self.reference)))
            return run

        edits = self.repeat(change.name, change.key, change.label, one_run)
        return edits, Scenario(f"{change.name}-undo", f"{change.key}'", change.undo_label, undos)

    def compare_with_cold(self, name: str, after: str) -> None:
        """Build the corpus as it is now cold, untimed, and compare the
        rebuilt output with it."""
        self.start_cold(self.check_output, self.check_cache)
        log = self.logs / f"{name}-cold-check.log"
        with log.open("wb") as out:
            done = subprocess.run(self.midcycle_command(self.check_output, self.check_cache), cwd=self.source,
                                  env=self.env, stdout=out, stderr=subprocess.STDOUT)
        if done.returncode != 0:
            raise BenchError(f"the cold build to compare with failed; the end of {log}:\n{tail(log)}")
        self.checks.append(Check(after, tree_differences(self.output, self.check_output)))

    def server_runs(self, changes: list[Change]) -> list[Scenario]:
        """(j) and (k): the dev server's edit-to-page time."""
        if not (self.source / "plugins" / "midcycle" / "server.py").is_file():
            raise BenchError(f"{self.source} has no dev server (plugins/midcycle/server.py); "
                             "leave out 'server' with --only")
        port = free_port()
        command = [sys.executable, "-m", "midcycle.server", str(self.corpus), "-o", str(self.preview),
                   "-s", str(self.source / "pelicanconf.py"), "-p", str(port),
                   *self.overrides(self.cache, siteurl=f"http://127.0.0.1:{port}")]
        self.say("starting the dev server (its first build is not timed)")
        timed: dict[str, list[float]] = {}
        with DevServer(command, port, self.logs / "server.log", self.source, self.env) as server:
            for change in changes:
                key = SERVER_CHANGES[change.name][0]
                timed[change.name] = []
                for number in range(1, self.runs + 1):
                    timed[change.name].append(server.edit_to_page(change))
                    self.say(f"({key}) server-{change.name} run {number}/{self.runs}: {timed[change.name][-1]:.3f} s")
        return [Scenario(f"server-{name}", SERVER_CHANGES[name][0], SERVER_CHANGES[name][1],
                         [Run(seconds, server.peak_kib, server.processes) for seconds in times], "server")
                for name, times in timed.items()]

    def run(self, wanted: set[str]) -> list[Scenario]:
        self.say(f"writing {self.posts} posts to {self.corpus}")
        changes = self.prepare()
        scenarios = []
        if "pelican" in wanted:
            scenarios.append(self.repeat("pelican", "a", "plain Pelican 4.12, default theme, cold", self.pelican_run,
                                         "pelican"))
        if "cold" in wanted:
            scenarios.append(self.repeat("cold", "b", "midcycle, cold (no output, empty cache)", self.cold_run))
        rebuilt = [change for change in changes if change.name in wanted]
        if rebuilt or "noop" in wanted:
            if "cold" not in wanted:
                self.say("a first build, not timed")
                self.cold_run("first-build")
            if rebuilt and self.compare:
                shutil.copytree(self.output, self.reference)
        if "noop" in wanted:
            scenarios.append(self.repeat("noop", "c", "midcycle, rebuild with nothing changed", self.build))
        for change in rebuilt:
            scenarios.extend(self.change_runs(change))
        if "server" in wanted:
            scenarios.extend(self.server_runs([change for change in changes if change.name in SERVER_CHANGES]))
        return scenarios


def tree_differences(rebuilt: Path, cold: Path) -> list[str]:
    """The files that are not the same in both folders, by relative name."""
    def files(folder: Path) -> dict[str, Path]:
        return {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}

    ours, theirs = files(rebuilt), files(cold)
    return ([f"{name} only in the rebuilt output" for name in sorted(ours.keys() - theirs.keys())]
            + [f"{name} only in the cold build" for name in sorted(theirs.keys() - ours.keys())]
            + [f"{name} differs" for name in sorted(ours.keys() & theirs.keys())
               if ours[name].stat().st_size != theirs[name].stat().st_size
               or ours[name].read_bytes() != theirs[name].read_bytes()])


# -- the run's facts --------------------------------------------------------

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
    """Put the project of commit ``rev`` in ``folder`` (all of it, so a
    settings file that imports a neighbour still runs); return the commit's
    short hash."""
    commit = git("rev-parse", "--short", "--verify", f"{rev}^{{commit}}")
    if commit == "?":
        raise BenchError(f"--rev {rev}: no such commit")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return commit


def machine_facts(rev_commit: str | None) -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            with open(path) as handle:
                return next((line.split(":", 1)[1].strip() for line in handle if line.startswith(key)), "?")
        except OSError:
            return "?"

    changed = git("status", "--porcelain", "--", "plugins", "pelicanconf.py")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable)",
        "cpu": first("/proc/cpuinfo", "model name"),
        "memory": memory_total(),
        "system": platform.platform(),
        "python": platform.python_version(),
        "pelican": pelican.__version__,
        "midcycle": f"at commit {rev_commit}" if rev_commit else
                    git("rev-parse", "--short", "HEAD") + (" with uncommitted changes in plugins/ or pelicanconf.py"
                                                           if changed else ""),
    }


def scenario_names(text: str) -> set[str]:
    names = {name.strip() for name in text.split(",") if name.strip()}
    unknown = names - set(SCENARIOS)
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"not a scenario: {', '.join(sorted(unknown)) or text!r} "
                                         f"(choose from {', '.join(SCENARIOS)})")
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, help="posts in the corpus (default 10000; 300 with --quick)")
    parser.add_argument("--runs", type=int, help="runs of each scenario (default 3; 1 with --quick)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--peers", choices=("pelican", "none"), default="pelican",
                        help="what midcycle is compared with: plain Pelican (the default), or nothing")
    parser.add_argument("--only", type=scenario_names, default=set(SCENARIOS), metavar="NAME,...",
                        help=f"run only these: {', '.join(SCENARIOS)}")
    parser.add_argument("--out", type=Path, default=BENCH / "results", help="folder for this run's table and raw data")
    parser.add_argument("--table", type=Path,
                        help="also put the table in this file, as the section for this corpus size "
                             "(make bench: bench/RESULTS.md)")
    parser.add_argument("--work", type=Path, default=BENCH / "work", help="corpus, outputs and logs")
    parser.add_argument("--rev", help="measure the project of this commit, not the working tree")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 300 posts, 1 run")
    args = parser.parse_args()
    args.posts = args.posts or (300 if args.quick else 10_000)
    args.runs = args.runs or (1 if args.quick else 3)
    wanted = args.only - ({"pelican"} if args.peers == "none" else set())
    command = " ".join(["bench/bench.py", f"--posts {args.posts}", f"--runs {args.runs}",
                        *([f"--peers {args.peers}"] if args.peers != "pelican" else []),
                        *([f"--only {','.join(name for name in SCENARIOS if name in args.only)}"]
                          if args.only != set(SCENARIOS) else []),
                        *([f"--rev {args.rev}"] if args.rev else [])])

    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    work = args.work.resolve() / f"n{args.posts}"
    related: list[float] = []
    try:
        rev_commit = export_source(args.rev, work / "source") if args.rev else None
        bench = Bench(work, args.posts, args.runs, args.seed, work / "source" if args.rev else ROOT,
                      compare="check" in wanted)
        if "related" in wanted:
            # Timed in this process, first (a mismatch fails in seconds, not
            # after the builds): with --rev, that commit's code.
            sys.path[:0] = [str(bench.source / "plugins"), str(bench.source / "bench")]
            from related_bench import synthetic_posts, time_related
            bench.say(f"related posts for {args.posts} posts")
            related = time_related(synthetic_posts(args.posts, args.seed), max(args.runs, 3))
        scenarios = bench.run(wanted)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    outputs = {who: folder_size(folder) for who, folder in
               (("plain Pelican", bench.pelican_output), ("midcycle", bench.output)) if folder.is_dir()}
    load_after = " ".join(f"{x:.2f}" for x in os.getloadavg())
    facts = machine_facts(rev_commit)
    results = Results(args.posts, scenarios, related, bench.checks, latest_reference(args.out))
    table = section(results, command, facts, args.runs, args.seed, outputs, (load_before, load_after))
    print(table)

    args.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    (args.out / f"bench-{args.posts}-{stamp}.md").write_text(merge("", args.posts, table), encoding="utf-8")
    raw = {"facts": facts, "command": command, "posts": args.posts, "runs": args.runs, "seed": args.seed,
           "outputs": outputs, **raw_results(results)}
    (args.out / f"bench-{args.posts}-{stamp}.json").write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
    if args.table:
        existing = args.table.read_text(encoding="utf-8") if args.table.exists() else ""
        args.table.write_text(merge(existing, args.posts, table), encoding="utf-8")
        bench.say(f"wrote the {args.posts:,}-post section of {args.table}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
