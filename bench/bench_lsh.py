"""Benchmark: ``LSHIndex`` insert and query against rensa's ``RMinHashLSH``, one process.

Not a test: nothing about time is asserted. Both indexes get the same documents (ANT
articles, then the same with their letters renamed per generation as in
``bench_dedup_scale.py``, so there are more distinct documents than the corpus holds)
and the same banding (``bands`` × ``rows`` of ``misfat.lsh_params(threshold)``).
Signatures are computed before timing (misfat's ``MinHasher`` for misfat, rensa's
``RMinHash`` over the same word 3-grams for rensa), so only the index is timed, each
library through its fastest documented call:

- insert: ``LSHIndex.insert_many(keys, signatures)`` against rensa's
  ``insert_matrix(digest matrix)`` (a fresh index each round);
- query, one call per document: ``LSHIndex.query(row)`` against ``RMinHashLSH.query``;
- query in bulk: ``LSHIndex.query_many(signatures)`` against ``query_all(minhashes)``.

Rounds are interleaved (misfat, rensa and a sha256 control, the order alternating) and
the figure is the median of the per-round time ratios; the control's spread shows how
busy the shared machine was. Writes ``bench/results/lsh.md``.

    pip install rensa
    python bench/bench_lsh.py                # ~2 min on 2 cores
"""

from __future__ import annotations

import os

os.environ.setdefault("RAYON_NUM_THREADS", "1")

import argparse
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import RESULTS, control_line, corpus_texts, cpu_features, interleaved
from bench_dedup_scale import original

import misfat

ROOT = Path(__file__).resolve().parents[1]
OUT = RESULTS / "lsh.md"


def load(n: int) -> list[str]:
    texts = corpus_texts()
    return [original(texts, i) for i in range(n)]


def word_ngrams(text: str, n: int = 3) -> list[str]:
    words = text.split()
    if len(words) < n:
        return [" ".join(words)] if words else []
    return [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def banding(threshold: float, k: int) -> tuple[int, int]:
    """misfat's bands × rows for `threshold`, or 16 × 8 when rensa cannot use them (it
    takes num_bands and uses num_perm / num_bands rows)."""
    bands, rows = misfat.lsh_params(threshold, k)
    if k % bands or k // bands != rows:
        return 16, 8
    return bands, rows


def memory_of(lib: str, docs: int, threshold: float) -> float:
    """Bytes per document that building the index adds to this (fresh) process."""
    from rensa import RMinHash, RMinHashLSH

    rng = np.random.default_rng(1)
    sigs = rng.integers(0, 2**32 - 1, size=(docs, 128), dtype=np.uint32)
    bands, rows = banding(threshold, 128)
    if lib == "misfat":
        keys = list(range(docs))
        before = rss()
        idx = misfat.LSHIndex(threshold, 128, bands=bands, rows=rows)
        idx.insert_many(keys, sigs)
    else:
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(
            np.arange(docs * 8, dtype=np.uint64), np.arange(0, docs * 8 + 1, 8), 128, 1
        )
        before = rss()
        idx = RMinHashLSH(threshold, 128, bands)
        idx.insert_matrix(matrix)
    return (rss() - before) / docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=10_000)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--memory-of", choices=("misfat", "rensa"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.memory_of:
        print(memory_of(args.memory_of, args.docs, args.threshold))
        return
    from rensa import RMinHash, RMinHashLSH

    k = 128
    bands, rows = banding(args.threshold, k)
    texts = load(args.docs)
    m = misfat.MinHasher(num_perm=k, ngram=3, unit="word", seed=1, profile=None)
    sigs = m.signatures(texts, n_threads=2)
    grams = [word_ngrams(t) for t in texts]
    matrix = RMinHash.digest_matrix_from_token_sets(grams, k, 1)
    q = args.queries
    r_objs = RMinHash.from_token_sets(grams[:q], k, 1)
    keys = list(range(len(texts)))

    def mf_index() -> misfat.LSHIndex:
        idx = misfat.LSHIndex(args.threshold, k, bands=bands, rows=rows)
        idx.insert_many(keys, sigs)
        return idx

    def rs_index() -> RMinHashLSH:
        lsh = RMinHashLSH(args.threshold, k, bands)
        lsh.insert_matrix(matrix)
        return lsh

    mf, rs = mf_index(), rs_index()
    qsig = sigs[:q]
    rows_q = list(qsig)
    mf_hits = sum(len(h) for h in mf.query_many(qsig))
    rs_hits = sum(len(h) for h in rs.query_all(r_objs))
    ops: dict[str, tuple[Callable[[], object], Callable[[], object], int]] = {
        f"insert {len(texts):,} documents (bulk)": (mf_index, rs_index, len(texts)),
        f"query {q:,} documents, one call each": (
            lambda: [mf.query(s) for s in rows_q],
            lambda: [rs.query(h) for h in r_objs],
            q,
        ),
        f"query {q:,} documents in one call": (
            lambda: mf.query_many(qsig),
            lambda: rs.query_all(r_objs),
            q,
        ),
    }
    lines = [
        "# LSH index: misfat against rensa",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores (shared), {cpu_features()}, Python "
        f"{platform.python_version()}, misfat {misfat.__version__}, rensa 0.5, one thread. "
        f"{len(texts):,} documents, num_perm={k}, {bands} bands × {rows} rows; queries are "
        f"the first {q:,} documents (hits per query: misfat {mf_hits / q:.1f}, rensa "
        f"{rs_hits / q:.1f}: the signatures differ, the banding does not). Median of "
        f"{args.rounds} interleaved rounds, Python's GC paused while timing. "
        "Generated by `bench/bench_lsh.py`.",
        "",
        "| operation | misfat per second | rensa per second | misfat speed ÷ rensa's "
        "(median of rounds) | range over rounds |",
        "|---|---:|---:|---:|---:|",
    ]
    ctrl: list[float] = []
    for name, (f_mf, f_rs, count) in ops.items():
        t_mf, t_rs, ratio = interleaved(f_mf, f_rs, args.rounds, ctrl)
        lines.append(
            f"| {name} | {count / statistics.median(t_mf):,.0f} "
            f"| {count / statistics.median(t_rs):,.0f} | {statistics.median(ratio):.2f}× "
            f"| {min(ratio):.2f}–{max(ratio):.2f}× |"
        )
        print(lines[-1])
    mem = {}
    for lib in ("misfat", "rensa"):
        cmd = [sys.executable, __file__, "--memory-of", lib, "--docs", str(len(texts))]
        cmd += ["--threshold", str(args.threshold)]
        done = subprocess.run(cmd, capture_output=True, text=True)
        mem[lib] = float(done.stdout) if done.returncode == 0 else float("nan")
    lines.append(
        f"| memory per document (RSS growth while building, fresh process) "
        f"| {mem['misfat']:,.0f} B | {mem['rensa']:,.0f} B | — | — |"
    )
    print(lines[-1])
    lines += ["", control_line(ctrl)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
