"""Regenerates every benchmark table in ``bench/results/`` and every README table quoting
them, from the current code, in one command.

    python bench/run_all.py                      # everything (hours on 2 shared cores)
    python bench/run_all.py --only lsh similarity
    python bench/run_all.py --readme-only        # copy the committed results into README
    python bench/run_all.py --quick              # smoke run on tiny inputs

Each step runs one benchmark script in its own process, one after the other (two
benchmarks never share the machine with each other); inside a script, peers are timed in
interleaved rounds with a control. Then each README block

    <!-- bench: similarity.md table 2 -->
    ...
    <!-- /bench -->

is replaced by that table of that results file, with the command that made it, so the
README never quotes a run other than the one in ``bench/results/``. Prose around the
blocks cites no figures of its own.

``--quick`` writes to a temporary folder (``MISFAT_BENCH_RESULTS``), runs only the steps
that take a size, on tiny inputs, and updates a copy of the README there: it checks that
the scripts and the README blocks work, never what the figures are. Build misfat in
release mode first (``pip install -e .``); a debug build warns at import.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = ROOT / "README.md"


@dataclass(frozen=True)
class Step:
    name: str  # also the stem of the results file it writes
    script: str
    args: list[str] = field(default_factory=list)
    # Arguments for --quick; None: the step has no small form and is skipped there.
    quick: list[str] | None = None


STEPS = [
    Step("normalize", "bench_normalize.py", [], ["--articles", "200", "--repeats", "1"]),
    Step("similarity", "bench_similarity.py", [], ["--docs", "60", "--repeat", "1"]),
    Step("lsh", "bench_lsh.py", [], ["--docs", "600", "--queries", "50", "--rounds", "1"]),
    Step("boilerplate_speed", "bench_boilerplate.py"),
    Step("dedup_scale", "bench_dedup_scale.py"),
    Step("dedup_scale_jaccard", "bench_dedup_scale.py", ["--match", "jaccard"]),
    Step("corpus", "bench_corpus.py"),
    Step("stream_memory", "bench_stream_memory.py"),
    Step("boilerplate_eval", "eval_boilerplate.py"),
    Step("boilerplate_real", "eval_boilerplate_real.py"),
    Step("neardup_eval", "eval_neardup.py"),
    Step("reprints_real", "eval_reprints_real.py"),
]
# Not here: bench_abi3.py compares two wheels built beforehand in two environments
# (its docstring says how); its table is not quoted as a README block.

BLOCK = re.compile(
    r"(<!-- bench: (?P<file>[\w.-]+\.md) table (?P<n>\d+) -->\n)(?P<body>.*?)(<!-- /bench -->)",
    re.S,
)


def tables(markdown: str) -> list[str]:
    """The Markdown tables of a results file, in order."""
    out, cur = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            out.append("\n".join(cur))
            cur = []
    if cur:
        out.append("\n".join(cur))
    return out


def step_of(file: str) -> str:
    for s in STEPS:
        if s.name == file.removesuffix(".md"):
            return s.name
    return "?"


def sync_readme(readme: Path, results: Path) -> list[str]:
    """Rewrites every block of `readme` from `results`; returns the blocks it could not
    fill (a missing file or table), left as they were."""
    text = readme.read_text(encoding="utf-8")
    missing: list[str] = []

    def fill(m: re.Match[str]) -> str:
        file, n = m["file"], int(m["n"])
        path = results / file
        found = tables(path.read_text(encoding="utf-8")) if path.exists() else []
        if not 1 <= n <= len(found):
            missing.append(f"{file} table {n}")
            return m.group(0)
        cite = (
            f"\n([`bench/results/{file}`](bench/results/{file}), table {n}; made by "
            f"`python bench/run_all.py --only {step_of(file)}`)\n"
        )
        return m.group(1) + found[n - 1] + "\n" + cite + m.group(5)

    readme.write_text(BLOCK.sub(fill, text), encoding="utf-8")
    return missing


def run(step: Step, quick: bool, env: dict[str, str]) -> bool:
    args = step.quick if quick else step.args
    assert args is not None
    cmd = [sys.executable, str(HERE / step.script), *args]
    print(f"== {step.name}: {' '.join(cmd[1:])}", flush=True)
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT)
    print(f"== {step.name}: exit {done.returncode} in {time.perf_counter() - t:.0f} s", flush=True)
    return done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", choices=[s.name for s in STEPS], metavar="STEP")
    ap.add_argument("--quick", action="store_true", help="tiny inputs, results in a temp dir")
    ap.add_argument("--readme-only", action="store_true", help="only refill the README")
    ap.add_argument("--results", type=Path, help="with --quick: where to write (default: temp)")
    args = ap.parse_args(argv)

    env = dict(os.environ)
    readme, results = README, HERE / "results"
    if args.quick:
        results = args.results or Path(tempfile.mkdtemp(prefix="misfat-bench-"))
        results.mkdir(parents=True, exist_ok=True)
        env["MISFAT_BENCH_RESULTS"] = str(results)
        readme = results / "README.md"
        readme.write_text(README.read_text(encoding="utf-8"), encoding="utf-8")
    steps = [s for s in STEPS if not args.only or s.name in args.only]
    failed = []
    if not args.readme_only:
        for s in steps:
            if args.quick and s.quick is None:
                print(f"== {s.name}: no quick form, skipped")
                continue
            if not run(s, args.quick, env):
                failed.append(s.name)
    missing = sync_readme(readme, results)
    print(f"README blocks refreshed in {readme}")
    if args.quick:
        print(f"(quick run: results in {results}; README left untouched)")
    for m in missing:
        print(f"no data for README block: {m}" + (" (not run in --quick)" if args.quick else ""))
    if failed:
        print(f"failed steps: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
