"""Benchmark: ``misfat.dedup`` from 100,000 to 1,000,000 articles, 2 threads: time per row.

Not a test. The duplicate density is the same at every size, so time per row is
comparable across sizes: a third of the rows are distinct stories ("originals") and each
has two edited copies (see ``_syndicate.py``: other furniture, dropped/moved paragraphs,
spelling variants, word edits). Originals are the 31,525 ANT articles; past that, the
articles again with their letters renamed by a permutation per generation (every word
becomes another "word" of the same length and frequency, so generations share no
shingles but keep the corpus's statistics: word lengths, sentence and paragraph shapes,
the corpus's own near-duplicates). Held as a pyarrow ``large_string`` array (as a
pandas 3 ``str`` column is; misfat reads it without copying). ``dedup`` runs with its
defaults for ``--match`` on ``--threads`` threads, each size in its own process.
Reported: wall time and time per row, peak RSS of the process (which includes the texts
themselves) and its growth during ``dedup``, and how well copies found their original.
Writes ``bench/results/dedup_scale.md`` (``dedup_scale_jaccard.md`` for jaccard).

    python bench/bench_dedup_scale.py                        # 100k, 300k and 1M rows
    python bench/bench_dedup_scale.py --rows 100000 --match jaccard   # quick
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import CORPUS, RESULTS, cpu_features  # RESULTS: bench/results, or --quick's
from _syndicate import syndicate

import misfat

OUT = RESULTS / "dedup_scale.md"  # dedup_scale_jaccard.md for --match jaccard


HOW = {
    "reprint": "MinHash 32 × 4 over word 2-grams plus sentence keys, verified by the reprint "
    "score, clusters through representatives",
    "jaccard": "MinHash 128 perms, word 2-grams, threshold 0.4 → 32 bands × 4 rows, verified "
    "by Jaccard, single link",
}


#: Edited copies per original (so every size has the same share of duplicates).
COPIES = 2
#: Letters renamed between generations: none of them is folded by the "search" profile,
#: and none is one that `_syndicate` respells (alef, hamza forms, yeh, teh marbuta, heh).
LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمن"


def original(texts: list[str], i: int) -> str:
    """Original ``i``: ANT article ``i mod N``, its letters renamed by generation ``i // N``."""
    g, k = divmod(i, len(texts))
    if g == 0:
        return texts[k]
    perm = list(LETTERS)
    random.Random(g).shuffle(perm)
    return texts[k].translate(str.maketrans(LETTERS, "".join(perm)))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_column(rows: int, cache: str | None = None) -> tuple[pa.ChunkedArray, np.ndarray, int]:
    """``rows`` texts: originals first, then copy rounds; the original of every row.
    With ``cache`` (a folder), made once and kept there as Arrow files."""
    if cache:
        import pyarrow.feather as feather

        path = Path(cache) / f"dedup_scale_{rows}.arrow"
        if not path.exists():
            column, origin, n_orig = make_column(rows)
            path.parent.mkdir(parents=True, exist_ok=True)
            table = pa.table({"text": column, "origin": origin})
            feather.write_feather(table, path, compression="uncompressed")
        table = feather.read_table(path, memory_map=True)
        origin = table["origin"].to_numpy()
        return table["text"], origin, -(-rows // (1 + COPIES))
    texts = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"] or "")
    vocab = [w for t in texts[:2000] for w in t.split()[:50]]
    rng = random.Random(2026)
    n_orig = -(-rows // (1 + COPIES))
    originals = [original(texts, i) for i in range(n_orig)]
    chunks = [pa.array(originals, type=pa.large_string())]
    origin = [np.arange(n_orig)]
    n = n_orig
    while n < rows:
        take = min(n_orig, rows - n)
        batch = [syndicate(t, rng, vocab, strength=0.6) for t in originals[:take]]
        chunks.append(pa.array(batch, type=pa.large_string()))
        origin.append(np.arange(take))
        n += take
    return pa.chunked_array(chunks), np.concatenate(origin), n_orig


def run_one(rows: int, threads: int, match: str, save: str | None, cache: str | None) -> dict:
    t0 = time.perf_counter()
    column, origin_ids, n_orig = make_column(rows, cache)
    gen_s = time.perf_counter() - t0
    mb = sum(c.nbytes for c in column.chunks) / 1e6
    before = rss_mb()
    print(f"{len(column):,} rows, {mb:,.0f} MB of text, made in {gen_s:.0f}s; RSS {before:,.0f} MB")

    t0 = time.perf_counter()
    result = misfat.dedup(column, match=match, n_threads=threads)
    wall = time.perf_counter() - t0
    peak = peak_mb()
    cluster = result.cluster
    if save:
        np.save(save, cluster)
    n_clusters = int(result.representative.sum())
    # A copy is found when it shares the cluster of its original (row origin_ids[i]).
    copies = np.arange(len(cluster)) >= n_orig
    found = float((cluster[copies] == cluster[origin_ids[copies]]).mean()) if copies.any() else 1.0
    # Clusters mixing different originals (the corpus has some true duplicates itself).
    orig_of_cluster: dict[int, int] = {}
    impure = 0
    for c, o in zip(cluster.tolist(), origin_ids.tolist(), strict=True):
        first = orig_of_cluster.setdefault(c, o)
        impure += first != o
    print(f"dedup: {wall:.1f}s, peak RSS {peak:,.0f} MB, {n_clusters:,} clusters")
    return {
        "rows": len(column),
        "originals": n_orig,
        "mb": mb,
        "wall": wall,
        "peak": peak,
        "before": before,
        "clusters": n_clusters,
        "found": found,
        "impure": impure / len(cluster),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--match", default="reprint", choices=("reprint", "jaccard"))
    ap.add_argument("--save-clusters", help="(one size) write the cluster ids to this .npy")
    ap.add_argument("--cache", help="folder to keep the generated rows in (made once)")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        res = run_one(args.rows[0], args.threads, args.match, args.save_clusters, args.cache)
        print("RESULT " + json.dumps(res))
        return
    # Each size in its own process, so peak RSS is that size's.
    results = []
    for rows in args.rows:
        cmd = [sys.executable, __file__, "--one", "--rows", str(rows)]
        cmd += ["--threads", str(args.threads), "--match", args.match]
        if args.save_clusters:
            cmd += ["--save-clusters", args.save_clusters]
        if args.cache:
            cmd += ["--cache", args.cache]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        print(out, end="")
        results.append(json.loads(out.rsplit("RESULT ", 1)[1]))

    base = results[0]["wall"] / results[0]["rows"]
    lines = [
        "# Near-duplicate clustering at scale",
        "",
        f"{platform.machine()}, {os.cpu_count()} cores (shared with other jobs), "
        f"{cpu_features()}, misfat {misfat.__version__}, `misfat.dedup(match={args.match!r})` "
        f"({HOW[args.match]}), n_threads={args.threads}. Generated by "
        f"`bench/bench_dedup_scale.py --rows {' '.join(map(str, args.rows))} "
        f"--match {args.match}` (each size in its own process).",
        "",
        "| rows | text (UTF-8) | dedup wall time | µs per row | per row vs the smallest "
        "| peak RSS (process, incl. texts) | RSS before dedup | clusters "
        "| copies joined to their original | rows whose cluster holds another article's copies |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        per = r["wall"] / r["rows"]
        lines.append(
            f"| {r['rows']:,} | {r['mb']:,.0f} MB | {r['wall']:.1f} s | {per * 1e6:.1f} "
            f"| {per / base:.2f}× | {r['peak']:,.0f} MB | {r['before']:,.0f} MB "
            f"| {r['clusters']:,} | {r['found']:.1%} | {r['impure']:.2%} |"
        )
    lines += [
        "",
        "Every size has the same duplicate density: a third of the rows are originals (the "
        "31,525 ANT articles, then the same with their letters renamed per generation, so "
        "generations share no shingles) and each has two edited copies (other furniture, "
        "cut or moved paragraphs, hamza/ى/ة/tatweel/diacritic variants, ~1.5% of words "
        "changed). The corpus itself holds stories carried by several outlets, so some "
        "originals legitimately share a cluster (last column).",
    ]
    if args.cache:
        lines += [
            "",
            "The rows were read from Arrow files made once (`--cache`), memory-mapped: RSS "
            "before dedup counts only the pages touched so far, and peak RSS the texts "
            "dedup read.",
        ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    out = OUT if args.match == "reprint" else OUT.with_name("dedup_scale_jaccard.md")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
