"""Benchmark: what an abi3 (limited-API) wheel would cost against the per-version wheel.

Not a test: it asserts nothing about time. The per-version build reads and writes
CPython's own string buffers (``PyString::data`` and ``PyUnicode_New`` in ``src/io.rs``);
the limited API has neither, so an abi3 build goes through ``PyUnicode_AsUTF8String``
(a temporary bytes object) and ``PyUnicode_DecodeUTF8``. ``bench/abi3.patch`` is that
fallback behind an ``abi3`` cargo feature; build it beside the normal wheel and give each
interpreter here:

    bash scripts/test                                       # dist/ wheel, .test-venv
    git archive HEAD | tar -x -C /tmp/abi3-src              # a copy of the tree
    cd /tmp/abi3-src && patch -p1 < bench/abi3.patch
    maturin build --release --out /tmp/abi3 --features abi3 && cd -
    python3 -m venv /tmp/venv-abi3 && /tmp/venv-abi3/bin/pip install /tmp/abi3/*.whl pyarrow
    python bench/bench_abi3.py --a .test-venv/bin/python --b /tmp/venv-abi3/bin/python

Each round runs the two interpreters one after the other (order alternating), each timing
every workload (median of ``--repeats`` calls) on the same ANT corpus rows; the ratio of a
workload is the median over rounds of b / a. One thread (``n_threads=1``). The Arrow row
is a control: no Python ``str`` is read or made, so its ratio shows the noise.
Writes ``bench/results/abi3.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("MISFAT_SHARED", HERE.parents[1] / "shared"))
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"
OUT = HERE / "results" / "abi3.md"

WORKLOADS = [
    ("normalize, 10,000 articles, list → list", "norm_articles"),
    ("normalize, 31,525 titles, list → list", "norm_titles"),
    ("MinHash signatures, 10,000 articles from a list", "minhash"),
    ("strip_boilerplate, 10,000 articles, list → list", "strip"),
    ("control: normalize, 10,000 articles, Arrow → Arrow", "arrow"),
]


def worker(repeats: int) -> None:
    """Times every workload in this interpreter; prints JSON {key: seconds, ...}."""
    import pyarrow as pa

    import misfat
    from misfat import _core

    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    articles = [r["text"] for r in rows if isinstance(r.get("text"), str)][:10_000]
    titles = [r["title"] for r in rows if isinstance(r.get("title"), str)]
    arrow = pa.array(articles, pa.large_string())
    hasher = misfat.MinHasher(num_perm=128)
    runs = {
        "norm_articles": lambda: misfat.normalize(articles),
        "norm_titles": lambda: misfat.normalize(titles),
        "minhash": lambda: hasher.signatures(articles),
        "strip": lambda: misfat.strip_boilerplate(articles),
        "arrow": lambda: misfat.normalize(arrow),
    }
    out: dict[str, object] = {"extension": Path(_core.__file__ or "").name}
    for key, run in runs.items():
        run()  # warm-up
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            run()
            times.append(time.perf_counter() - t)
        out[key] = statistics.median(times)
    out["mb"] = sum(len(a.encode()) for a in articles) / 1e6
    print(json.dumps(out))


def run_worker(python: str, repeats: int) -> dict:
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    cmd = [python, __file__, "--worker", "--repeats", str(repeats)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def cpu_features() -> str:
    flags: set[str] = set()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    except OSError:
        pass
    shown = [f for f in ("sse4_2", "avx2", "avx512f", "avx512bw") if f in flags]
    return ", ".join(shown) or "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--a", help="python of the per-version wheel's environment")
    ap.add_argument("--b", help="python of the abi3 wheel's environment")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.repeats)
        return
    if not (args.a and args.b):
        ap.error("--a and --b are required")
    results: dict[str, list[dict]] = {"a": [], "b": []}
    for r in range(args.rounds):
        order = ("a", "b") if r % 2 == 0 else ("b", "a")
        for side in order:
            results[side].append(run_worker(getattr(args, side), args.repeats))
        print(f"round {r + 1}/{args.rounds} done", file=sys.stderr)
    a, b = results["a"], results["b"]
    mb = a[0]["mb"]
    lines = [
        "## abi3 against the per-version wheel",
        "",
        f"`python bench/bench_abi3.py --rounds {args.rounds} --repeats {args.repeats}` — "
        f"{time.strftime('%Y-%m-%d')}, CPython {platform.python_version()}, "
        f"{platform.machine()} ({cpu_features()}), {os.cpu_count()} cores (shared, noisy: "
        "read the ratios). a = `" + a[0]["extension"] + "`, b = `" + b[0]["extension"] + "` "
        "(bench/abi3.patch). Each time is the median of its rounds (each round's value the "
        "median of its repeats); the ratio is the median of per-round ratios b / a. "
        f"Articles are {mb:.1f} MB of UTF-8. One thread.",
        "",
        "| workload | per-version (a) | abi3 (b) | abi3 / per-version |",
        "|---|--:|--:|--:|",
    ]
    for label, key in WORKLOADS:
        ta = statistics.median(x[key] for x in a)
        tb = statistics.median(x[key] for x in b)
        ratio = statistics.median(y[key] / x[key] for x, y in zip(a, b, strict=True))
        lines.append(f"| {label} | {ta * 1e3:,.1f} ms | {tb * 1e3:,.1f} ms | {ratio:.2f}× |")
    text = "\n".join(lines) + "\n"
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
