"""Peak memory and time of ``misfat clean`` (the streaming job) as the input grows.

    python bench/bench_stream_memory.py [--scales 1 5 20] [--chunk-size 10000]
        [--workdir /tmp/misfat-stream-bench] [--corpus ant_v2.1_multisource.jsonl.gz]
    python bench/bench_stream_memory.py --compare a.parquet b.parquet

Inputs are k copies of the ANT corpus (31,525 articles, 5 sites) as plain JSONL, copy
after copy (so the near-duplicates of a row are far from it in the file, in other
chunks). Copy 0 is the corpus as it is; in every other copy each row gets a unique id,
loses one paragraph (when it has three or more) and has three words replaced by other
words of the same article, so the copies are near-duplicates, not exact ones, and the
dedup has real verification work. The perturbation is seeded by (id, copy): the files
are the same on every run.

Each scale runs ``misfat clean IN.jsonl -o OUT.parquet --site source`` once in a fresh
process under ``/usr/bin/time -v``: peak memory is its maximum resident set size, time is
wall-clock (and user + system CPU time, steadier on a shared machine). Writes
``bench/results/stream_memory.md``. ``--compare`` checks that two outputs hold the same
rows, cleaned texts, clusters and representatives (used to check that a change to the
streaming job leaves its output as it was).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import subprocess
import sys
import zlib
from pathlib import Path

from _common import CORPUS, RESULTS, cpu_model  # RESULTS: bench/results, or --quick's folder

OUT = RESULTS / "stream_memory.md"


def perturb(row: dict, copy: int) -> dict:
    """Copy ``copy`` of a row: unique id, one paragraph dropped, three words replaced."""
    if copy == 0:
        return row
    row = dict(row)
    row["id"] = f"{row.get('id')}#copy{copy}"
    text = row.get("text")
    if not isinstance(text, str) or not text:
        return row
    rng = random.Random(zlib.crc32(f"{row['id']}".encode()))
    paras = text.split("\n")
    if len(paras) >= 3:
        del paras[rng.randrange(len(paras))]
    words = "\n".join(paras).split(" ")
    if len(words) >= 10:
        for _ in range(3):
            words[rng.randrange(len(words))] = words[rng.randrange(len(words))]
    row["text"] = " ".join(words)
    return row


def make_input(corpus: Path, scale: int, path: Path) -> None:
    import gzip

    if path.exists():
        return
    tmp = path.with_suffix(".tmp")
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    with open(tmp, "w", encoding="utf-8") as out:
        for copy in range(scale):
            for row in rows:
                out.write(json.dumps(perturb(row, copy), ensure_ascii=False) + "\n")
    tmp.rename(path)


def run(src: Path, dst: Path, chunk_size: int) -> dict:
    cmd = [
        "/usr/bin/time",
        "-v",
        sys.executable,
        "-m",
        "misfat.cli",
        "clean",
        str(src),
        "-o",
        str(dst),
        "--site",
        "source",
        "--chunk-size",
        str(chunk_size),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", proc.stderr)
    assert rss and wall, proc.stderr
    seconds = 0.0
    for part in wall.group(1).split(":"):
        seconds = seconds * 60 + float(part)
    return {
        "rss_mb": int(rss.group(1)) / 1024,
        "seconds": seconds,
        "cpu_seconds": float(user.group(1)) + float(system.group(1)) if user and system else None,
        "summary": next(
            (x.split(": ", 1)[1] for x in proc.stderr.splitlines() if x.startswith("misfat clean")),
            "",
        ),
    }


def compare(a: Path, b: Path) -> None:
    import pandas as pd

    x, y = pd.read_parquet(a), pd.read_parquet(b)
    assert list(x.columns) == list(y.columns), (list(x.columns), list(y.columns))
    assert len(x) == len(y), (len(x), len(y))
    for col in x.columns:
        same = (
            x[col].astype(object).where(x[col].notna(), None).tolist()
            == y[col].astype(object).where(y[col].notna(), None).tolist()
        )
        assert same, f"column {col!r} differs"
    print(f"identical: {len(x)} rows, columns {', '.join(map(str, x.columns))}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 5, 20])
    ap.add_argument("--chunk-size", type=int, default=10_000)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/misfat-stream-bench"))
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"))
    args = ap.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = []
    for scale in args.scales:
        src = args.workdir / f"ant_x{scale}.jsonl"
        make_input(args.corpus, scale, src)
        dst = args.workdir / f"ant_x{scale}.clean.parquet"
        r = run(src, dst, args.chunk_size)
        r.update(scale=scale, mb=os.path.getsize(src) / 1e6)
        print(json.dumps(r), flush=True)
        results.append(r)
    lines = [
        "# Memory of the streaming job as the input grows",
        "",
        f"`misfat clean ant_xK.jsonl -o out.parquet --site source --chunk-size "
        f"{args.chunk_size}` (defaults otherwise: one thread, reprint near-duplicates), "
        "one run per scale in a fresh process under `/usr/bin/time -v`: peak memory is the "
        "maximum resident set size, time is wall-clock. Input: K copies of the ANT corpus "
        "v2.1 (31,525 articles) as plain JSONL, every copy after the first with unique ids, "
        "one paragraph dropped and three words replaced per article (near-duplicates, not "
        "exact ones).",
        "",
        "| input | rows | JSONL size | peak memory | wall seconds | CPU seconds | summary |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        lines.append(
            f"| {r['scale']}× | {31_525 * r['scale']:,} | {r['mb']:,.0f} MB | "
            f"{r['rss_mb']:,.0f} MB | {r['seconds']:,.1f} | {r.get('cpu_seconds') or 0:,.1f} | "
            f"{r['summary']} |"
        )
    lines += [
        "",
        f"Python {platform.python_version()}, {platform.machine()}, {cpu_model()}, "
        f"{os.cpu_count()} logical CPUs (shared with other jobs: times vary). "
        "`python bench/bench_stream_memory.py` to reproduce.",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
