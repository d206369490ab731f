"""What ``import misfat`` costs: ``python -X importtime -c "import misfat"`` in fresh
processes, and which optional libraries it pulls in.

    python bench/bench_import.py [--rounds 15] [--other PATH]

``--other PATH``: a folder holding another ``misfat`` package (e.g. an older checkout's
``python/`` with the extension copied in), timed in the same rounds, interleaved; the
median of the per-round ratios is reported. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys

CODE = (
    "import sys, misfat; "
    "print(','.join(m for m in ('numpy', 'pandas', 'pyarrow', 'polars') if m in sys.modules))"
)


def one(path: str | None) -> tuple[float, str]:
    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = path
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-X", "importtime", "-c", CODE],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    last = [line for line in out.stderr.splitlines() if line.endswith("| misfat")][-1]
    micros = int(last.split("|")[1])
    return micros / 1e6, out.stdout.strip() or "(none)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--other", help="a folder with another misfat package to compare")
    args = ap.parse_args()
    this: list[float] = []
    other: list[float] = []
    for _ in range(args.rounds):
        t, loaded = one(None)
        this.append(t)
        if args.other:
            u, other_loaded = one(args.other)
            other.append(u)
    print(f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs")
    print("| package | median import (s) | libraries imported |")
    print("|---|--:|---|")
    print(f"| this checkout | {statistics.median(this):.3f} | {loaded} |")
    if args.other:
        print(f"| {args.other} | {statistics.median(other):.3f} | {other_loaded} |")
        ratio = statistics.median(u / t for t, u in zip(this, other, strict=True))
        print(f"\nmedian of per-round ratios (other / this): {ratio:.1f}x, {args.rounds} rounds")


if __name__ == "__main__":
    main()
