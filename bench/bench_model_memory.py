"""Peak memory and time of learning the site model as ``misfat clean``'s pass 1 does,
this build against a baseline build, as the input grows.

    python bench/bench_model_memory.py --baseline /path/to/other/venv/bin/python
        [--scales 1 5 20] [--rounds 2] [--workdir /tmp/misfat-stream-bench]
        [--baseline-scales 1 5] [--reader-scales 1 5] [--reuse earlier-stdout.jsonl]

Inputs are the files of ``bench_stream_memory.py`` (K copies of the ANT corpus, every copy
after the first with one paragraph dropped and three words replaced per article, so each
copy brings new distinct lines). Each run is a fresh process that reads the JSONL in
chunks of 10,000 rows with misfat's reader and learns the per-site model from the
``source`` column the way its build's ``misfat clean`` does (a build with
``StripOptions.learner``: every chunk counted into one running model; an older build: a
model per chunk merged into the running one), then reports its peak resident memory
(``VmHWM``), the wall time and a digest of the model's bytes. A third process per scale
only reads the chunks: the memory the reader itself needs.

``--baseline-scales``/``--reader-scales`` limit where the baseline and the reader-only run
(a slow baseline at 20× takes long on a shared machine); ``--reuse`` takes the runs printed
by an earlier invocation (one JSON object per line) instead of running them again.

Rounds are interleaved (baseline and this build alternate, the order flipping each round);
ratios are this build over the baseline per round, and their median is reported. Writes
``bench/results/model_memory.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
from pathlib import Path

from _common import CORPUS, RSS_KB, cpu_features, cpu_model, run_child

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "model_memory.md"

CHILD = (
    RSS_KB
    + r"""
import hashlib, json, sys, time
cfg = json.loads(sys.argv[1])
from misfat import _io
try:  # this build
    from misfat._pipeline import StripOptions, column_values as _column_values
except ImportError:  # a baseline build from before the one pipeline
    from misfat.corpus import StripOptions, _column_values

opts = StripOptions()
learn = cfg["learn"]
learner = opts.learner() if learn and hasattr(opts, "learner") else None
model = None
rows = 0
t0 = time.perf_counter()
for chunk in _io.read_chunks(cfg["input"], "jsonl", 10_000):
    rows += len(chunk)
    if not learn:
        continue
    texts = _column_values(chunk["text"])
    sites = _column_values(chunk["source"])
    if learner is not None:
        learner.add(texts, sites, 1)
    else:
        part = opts.fit(texts, sites, 1)
        model = part if model is None else model.merge(part)
        del part
if learner is not None:
    model = learner.model()
t = time.perf_counter() - t0
info = {"rows": rows, "seconds": t, "peak_rss_kb": rss_kb("VmHWM")}
if model is not None:
    info.update(
        n_entries=model.n_entries,
        n_repeated=model.n_repeated,
        digest=hashlib.sha256(model.to_bytes()).hexdigest()[:16],
    )
print(json.dumps(info))
"""
)


REUSE: dict[tuple[int, str], list[dict]] = {}


def measured(scale: int, build: str, python: str, path: Path, learn: bool) -> dict:
    """A run, from ``--reuse`` if it holds one for (scale, build), else a fresh one."""
    earlier = REUSE.get((scale, build))
    r = earlier.pop(0) if earlier else run(python, path, learn)
    print(json.dumps({"scale": scale, "build": build, **r}), flush=True)
    return r


def run(python: str, path: Path, learn: bool) -> dict:
    return run_child(CHILD, {"input": str(path), "learn": learn}, python)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", required=True, help="python of the build to compare with")
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/misfat-stream-bench"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--baseline-scales", type=int, nargs="*")
    ap.add_argument("--reader-scales", type=int, nargs="*")
    ap.add_argument("--reuse", type=Path)
    args = ap.parse_args()
    if args.reuse:
        for line in args.reuse.read_text().splitlines():
            if line.startswith("{"):
                r = json.loads(line)
                REUSE.setdefault((r.pop("scale"), r.pop("build")), []).append(r)
    from bench_stream_memory import make_input

    args.workdir.mkdir(parents=True, exist_ok=True)
    table = []
    for scale in args.scales:
        src = args.workdir / f"ant_x{scale}.jsonl"
        make_input(CORPUS, scale, src)
        with_reader = args.reader_scales is None or scale in args.reader_scales
        with_base = args.baseline_scales is None or scale in args.baseline_scales
        read = measured(scale, "read", sys.executable, src, False) if with_reader else None
        base_runs, new_runs = [], []
        for k in range(args.rounds):
            order = [("base", args.baseline), ("new", sys.executable)]
            for name, py in order if k % 2 == 0 else order[::-1]:
                if name == "base" and not with_base:
                    continue
                r = measured(scale, name, py, src, True)
                (base_runs if name == "base" else new_runs).append(r)
        n = new_runs[0]
        pairs = list(zip(new_runs, base_runs, strict=True)) if base_runs else []
        table.append(
            {
                "scale": scale,
                "rows": n["rows"],
                "read_mb": read["peak_rss_kb"] / 1024 if read else None,
                "base_mb": statistics.median(r["peak_rss_kb"] for r in base_runs) / 1024
                if pairs
                else None,
                "new_mb": statistics.median(r["peak_rss_kb"] for r in new_runs) / 1024,
                "mem_ratio": statistics.median(
                    x["peak_rss_kb"] / y["peak_rss_kb"] for x, y in pairs
                )
                if pairs
                else None,
                "base_s": statistics.median(r["seconds"] for r in base_runs) if pairs else None,
                "new_s": statistics.median(r["seconds"] for r in new_runs),
                "time_ratio": statistics.median(x["seconds"] / y["seconds"] for x, y in pairs)
                if pairs
                else None,
                "entries": n["n_entries"],
                "repeated": n["n_repeated"],
                # Decisions: the same distinct (site, line) pairs and the same repeated ones.
                "same": all(
                    (r["n_entries"], r["n_repeated"]) == (n["n_entries"], n["n_repeated"])
                    for r in base_runs + new_runs
                ),
                "same_bytes": len({r["digest"] for r in base_runs + new_runs}) == 1,
            }
        )
    lines = [
        "# Memory of learning the site model (pass 1 of `misfat clean`)",
        "",
        "Each run reads `ant_xK.jsonl` (K copies of the ANT corpus v2.1, see "
        "`bench_stream_memory.py`) in chunks of 10,000 rows and learns the per-site model "
        "from `source` as its build's `misfat clean` does: *baseline* is a model per chunk "
        "merged into the running model (two models at a merge, copied each time), *this "
        "build* counts every chunk into one running model. Peak memory is the process's "
        "maximum resident set; *reader only* reads the chunks without learning. "
        f"{args.rounds} interleaved rounds; ratios are medians of per-round ratios "
        "(this build / baseline); — where a run was not made. *Same counts*: every run's "
        "model has the same distinct (site, line) pairs and the same repeated ones (the "
        "lines it removes); *same bytes*: the saved models are identical too (they can "
        "differ only in which 16 story ids a line seen in more than 16 stories keeps, "
        "never in a decision: a line counts min(16, distinct stories) whatever the order "
        "of merges).",
        "",
        "| input | rows | distinct (site, line) | reader only | baseline peak | this build "
        "peak | memory ratio | baseline s | this build s | time ratio | same counts | "
        "same bytes |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
    ]

    def f(v: float | None, fmt: str, unit: str = "") -> str:
        return "—" if v is None else format(v, fmt) + unit

    for r in table:
        lines.append(
            f"| {r['scale']}× | {r['rows']:,} | {r['entries']:,} | "
            f"{f(r['read_mb'], ',.0f', ' MB')} | {f(r['base_mb'], ',.0f', ' MB')} | "
            f"{f(r['new_mb'], ',.0f', ' MB')} | {f(r['mem_ratio'], '.2f')} | "
            f"{f(r['base_s'], ',.1f')} | {f(r['new_s'], ',.1f')} | {f(r['time_ratio'], '.2f')} | "
            f"{'yes' if r['same'] else 'NO'} | {'yes' if r['same_bytes'] else 'no'} |"
        )
    lines += [
        "",
        f"Python {platform.python_version()}, {platform.machine()}, {cpu_model()} "
        f"({cpu_features()}), "
        f"{os.cpu_count()} logical CPUs shared with other jobs. "
        "`python bench/bench_model_memory.py --baseline OTHER/bin/python` to reproduce.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
