"""The whole main job on the real corpus: articles per second and peak memory.

    python bench/bench_corpus.py [/path/to/ant_v2.1_multisource.jsonl.gz] [--repeat 3]
        [--baseline /path/to/other/venv/bin/python]

Each configuration runs in a fresh subprocess, so its peak resident memory (``ru_maxrss``)
is its own; the median wall time of ``--repeat`` runs is reported. Configurations:

- ``misfat clean`` (streaming, chunks of 10,000 rows) from the gzipped JSONL to Parquet,
  with per-site furniture learned from the ``source`` column: two reads of the input,
  cleaned chunks spilled to disk, bounded memory;
- ``clean_corpus`` in memory on a DataFrame already loaded (loading not timed), the same
  job; then without near-duplicates, and stripping only, to show where the time goes.

With ``--baseline``, every run of this build is paired with a run of the other build's
Python (the pair's order flipping each round), and the table adds the other build's
median time and the median of per-round time ratios (this build / baseline).

Writes ``bench/results/corpus.md``. Single thread (``n_threads=1``) everywhere.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile

from _common import CORPUS, RESULTS, RSS_KB, cpu_features, run_child

OUT = RESULTS / "corpus.md"

CHILD = (
    RSS_KB
    + r"""
import json, resource, sys, time
cfg = json.loads(sys.argv[1])

t0 = time.perf_counter()
if cfg["kind"] == "cli":
    from misfat.cli import main
    rc = main(["clean", cfg["input"], "-o", cfg["output"], "--site", "source",
               "--chunk-size", "10000", "--progress", "off", "-q"])
    assert rc == 0
    t = time.perf_counter() - t0
    import pyarrow.parquet as pq
    meta = pq.ParquetFile(cfg["output"]).metadata
    info = {"rows": meta.num_rows}
else:
    import pandas as pd
    import misfat
    df = pd.read_json(cfg["input"], lines=True, dtype=False)
    import gc; gc.collect()
    base = rss_kb("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:  # reset the peak: measure the job only
        f.write("5")
    t0 = time.perf_counter()
    out = misfat.clean_corpus(df, "text", site="source", progress=False, **cfg["kw"])
    t = time.perf_counter() - t0
    info = {"rows": len(out), "loaded_rss_kb": base}
    if "cluster" in out:
        info["duplicates"] = int((~out["representative"]).sum())
        info["clusters_gt1"] = int((out.groupby("cluster").size() > 1).sum())
    info["removed_lines"] = int(out["removed_lines"].sum())
info["seconds"] = t
info["peak_rss_kb"] = rss_kb("VmHWM")
print(json.dumps(info))
"""
)


def run(cfg: dict, python: str = sys.executable) -> dict:
    return run_child(CHILD, cfg, python)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(CORPUS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline", help="python of another build, run interleaved with this one")
    args = ap.parse_args()
    size_mb = os.path.getsize(args.corpus) / 1e6
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        configs = [
            ("`misfat clean` streaming, JSONL.gz → Parquet (read ×2, spill)",
             {"kind": "cli", "input": args.corpus, "output": f"{tmp}/out.parquet"}),
            ("`clean_corpus` in memory: strip + normalize + dedup",
             {"kind": "df", "input": args.corpus, "kw": {}}),
            ("`clean_corpus` in memory: strip + normalize",
             {"kind": "df", "input": args.corpus, "kw": {"dedup": False}}),
            ("`clean_corpus` in memory: strip with the learned model (no normalize, no dedup)",
             {"kind": "df", "input": args.corpus, "kw": {"dedup": False, "profile": None}}),
            ("`clean_corpus` in memory: strip only (no model, no normalize, no dedup)",
             {"kind": "df", "input": args.corpus,
              "kw": {"dedup": False, "profile": None, "learn": False}}),
        ]  # fmt: skip
        for name, cfg in configs:
            results, base = [], []
            for k in range(args.repeat):
                if args.baseline and k % 2:
                    base.append(run(cfg, args.baseline))
                results.append(run(cfg))
                if args.baseline and not k % 2:
                    base.append(run(cfg, args.baseline))
            secs = statistics.median(r["seconds"] for r in results)
            info = results[0]
            if base:
                info["base_seconds"] = statistics.median(r["seconds"] for r in base)
                info["ratio"] = statistics.median(
                    r["seconds"] / b["seconds"] for r, b in zip(results, base, strict=True)
                )
            rows.append((name, info, secs, max(r["peak_rss_kb"] for r in results)))
            print(f"{name}: {info['rows'] / secs:,.0f} articles/s, {secs:.1f} s", flush=True)
    n = rows[0][1]["rows"]
    from misfat._clusters import NearDup

    nd = NearDup.make()
    settings = (
        f"MinHash {nd.num_perm} in {nd.bands} bands × {nd.rows} rows, {nd.unit} "
        f"{nd.ngram}-grams, candidates verified with {nd.verify} ≥ {nd.threshold}"
    )
    lines = [
        "# The main job on the real corpus",
        "",
        f"ANT Corpus v2.1: {n:,} articles from 5 sites ({size_mb:.0f} MB gzipped JSONL). "
        "Per-site furniture learned from the `source` column, normalization with the "
        f"`search` profile, near-duplicates with `misfat.dedup`'s defaults ({settings}). "
        "One thread; median of "
        f"{args.repeat} runs, each in a fresh process; peak memory is the process's maximum "
        "resident set (for the in-memory runs: from the end of loading the DataFrame, whose "
        "own size is given; `pd.read_json` peaks higher while loading). Shared 2-core "
        "machine: treat as ratios.",
        "",
        "| configuration | articles/s | seconds | peak memory |"
        + (" baseline seconds | time ratio |" if args.baseline else ""),
        "|---|--:|--:|--:|" + ("--:|--:|" if args.baseline else ""),
    ]
    for name, info, secs, rss in rows:
        extra = ""
        if "loaded_rss_kb" in info:
            extra = f" (of which {info['loaded_rss_kb'] / 1024:,.0f} MB before the job)"
        cmp = f" {info['base_seconds']:.1f} | {info['ratio']:.2f} |" if args.baseline else ""
        lines.append(
            f"| {name} | {info['rows'] / secs:,.0f} | {secs:.1f} | {rss / 1024:,.0f} MB{extra} |"
            + cmp
        )
    full = rows[1][1]
    lines += [
        "",
        f"Result: {full['removed_lines']:,} furniture lines removed, {full['duplicates']:,} "
        "rows are near-duplicates of their cluster's representative "
        f"({full['clusters_gt1']:,} clusters of two or more).",
        "",
        *(
            [
                f"Baseline: `{args.baseline}`, run interleaved with this build (the order "
                "flipping each round); time ratio: median of per-round ratios, this build / "
                "baseline.",
                "",
            ]
            if args.baseline
            else []
        ),
        f"Python {platform.python_version()}, {platform.machine()}, {cpu_features()}, "
        f"{os.cpu_count()} logical CPUs. `python bench/bench_corpus.py` to reproduce.",
        "",
    ]
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
