"""What every benchmark shares: where results go, the CPU line, interleaved rounds with a
control. Not a test; nothing here asserts a time."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `run_all.py --quick` points this elsewhere, so a smoke run never overwrites the tables
# the README quotes.
RESULTS = Path(os.environ.get("MISFAT_BENCH_RESULTS", ROOT / "bench" / "results"))
SHARED = Path(os.environ.get("MISFAT_SHARED", ROOT.parent / "shared"))
#: The ANT Corpus v2.1 (31,525 articles, 5 sites): the real input of most benchmarks.
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"


def corpus_texts(limit: int | None = None) -> list[str]:
    """The non-empty article texts of ``CORPUS`` in file order (the first ``limit``)."""
    import gzip

    texts: list[str] = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line)["text"]
            if text:
                texts.append(text)
            if limit is not None and len(texts) >= limit:
                break
    return texts


#: Source a child process's code starts with: ``rss_kb("VmHWM")`` is its peak resident
#: memory so far, ``rss_kb("VmRSS")`` its current one (kB, from /proc/self/status).
RSS_KB = """
def rss_kb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
"""


def run_child(code: str, cfg: dict, python: str = sys.executable) -> dict:
    """Runs ``python -c code json(cfg)`` in a fresh process (so its peak memory is its
    own) and returns the JSON object its last line of output prints."""
    r = subprocess.run(
        [python, "-c", code, json.dumps(cfg)], capture_output=True, text=True, check=False
    )
    if r.returncode != 0:
        raise SystemExit(f"benchmark child ({python}) failed:\n{r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def cpu_model() -> str:
    """The CPU's model name."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def cpu_features() -> str:
    """The SIMD level the kernels can use here (they pick AVX2 / AVX-512 at run time)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            flags = next(set(ln.split(":", 1)[1].split()) for ln in f if ln.startswith("flags"))
    except (OSError, StopIteration):
        return "CPU features unknown"
    have = [f for f in ("avx2", "avx512f", "avx512bw") if f in flags]
    return (
        "CPU: "
        + (", ".join(have) if have else "no AVX2")
        + ("" if "avx512f" in flags else " (no AVX-512)")
    )


def timed(fn: Callable[[], object]) -> float:
    """Wall time of one call with Python's cyclic GC collected before and paused during
    it (as `timeit` does): a full collection over the millions of objects a benchmark
    holds (shingle lists) would otherwise land on whichever library happens to run."""
    gc.collect()
    gc.disable()
    try:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t
    finally:
        gc.enable()


def control() -> object:
    """A fixed CPU job (sha256 of 32 MB): its spread over rounds shows how busy the
    shared machine was."""
    data = b"x" * (8 << 20)
    return [hashlib.sha256(data).digest() for _ in range(4)]


def interleaved(
    ours: Callable[[], object],
    peer: Callable[[], object],
    rounds: int,
    ctrl: list[float],
) -> tuple[list[float], list[float], list[float]]:
    """Times of `ours` and `peer` in `rounds` rounds, the order alternating, a control
    after each round (appended to `ctrl`); returns (ours, peer, peer ÷ ours per round):
    a ratio above 1 means ours is faster."""
    t_ours, t_peer, ratio = [], [], []
    for r in range(rounds):
        if r % 2:
            b, a = timed(peer), timed(ours)
        else:
            a, b = timed(ours), timed(peer)
        ctrl.append(timed(control))
        t_ours.append(a)
        t_peer.append(b)
        ratio.append(b / a)
    return t_ours, t_peer, ratio


def control_line(ctrl: list[float]) -> str:
    if not ctrl:
        return "Control: not run."
    return (
        f"Control (sha256 of 32 MB after each round): median "
        f"{statistics.median(ctrl) * 1e3:.0f} ms, slowest ÷ fastest "
        f"{max(ctrl) / min(ctrl):.2f} (near 1: the machine was quiet)."
    )
