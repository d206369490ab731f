"""``misfat.classify_lines`` on one page at a time: this build against a baseline build.

    python bench/bench_classify_page.py --baseline OTHER/bin/python [--pages 2000] [--rounds 9]

Made to check that serving one page through the batch binding (a page is a batch of one)
costs nothing against a build with its own single-page binding. Each round runs one fresh
process per build, the order alternating round by round, then the control (``_common``).
A process reads the first ``--pages`` ANT articles (not timed), then calls
``classify_lines`` on each, one page at a time, five times over (each loop on new str
objects, as a real pass meets each page once: CPython caches a str's UTF-8 once a call
asks for it); its time is the fastest of the five loops in the process's CPU time (wall
time is reported too). Ratio per round:
this build ÷ baseline (below 1: this build is faster); the table gives the median of the
per-round ratios and each side's median time.
Both builds must return the same lines (a digest of every ``Line``). Writes
``bench/results/classify_page.md``. Not in ``run_all.py``: it needs a second build.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics

from _common import (
    CORPUS,
    RESULTS,
    control,
    control_line,
    cpu_features,
    cpu_model,
    run_child,
    timed,
)

OUT = RESULTS / "classify_page.md"

CHILD = r"""
import gzip, hashlib, json, sys, time
cfg = json.loads(sys.argv[1])
import misfat

pages = []
with gzip.open(cfg["corpus"], "rt", encoding="utf-8") as f:
    for line in f:
        text = json.loads(line)["text"]
        if text:
            pages.append(text)
        if len(pages) >= cfg["pages"]:
            break
best = cpu = float("inf")
for _ in range(5):
    # New str objects each loop: CPython caches a str's UTF-8 once asked for it, and a real
    # pass classifies each page once, so no loop may reuse an earlier loop's encoding.
    fresh = [p.encode().decode() for p in pages]
    t0, c0 = time.perf_counter(), time.process_time()
    out = [misfat.classify_lines(p) for p in fresh]
    best = min(best, time.perf_counter() - t0)
    cpu = min(cpu, time.process_time() - c0)
digest = hashlib.sha256(repr(out).encode()).hexdigest()[:16]
lines = sum(map(len, out))
print(json.dumps({"seconds": best, "cpu": cpu, "digest": digest, "pages": len(pages),
                  "lines": lines, "file": misfat.__file__}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", required=True, help="python of the build to compare with")
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=9)
    ap.add_argument("--out", type=os.path.abspath, default=str(OUT))
    args = ap.parse_args()
    cfg = {"corpus": str(CORPUS), "pages": args.pages}
    builds = [("new", None), ("base", args.baseline)]
    runs: dict[str, list[dict]] = {"new": [], "base": []}
    ctrl: list[float] = []
    for k in range(args.rounds):
        for name, python in builds if k % 2 == 0 else builds[::-1]:
            r = run_child(CHILD, cfg) if python is None else run_child(CHILD, cfg, python)
            runs[name].append(r)
        ctrl.append(timed(control))
        print(f"round {k}: new {runs['new'][-1]['cpu']:.3f} s, "
              f"base {runs['base'][-1]['cpu']:.3f} s CPU", flush=True)  # fmt: skip
    new, base = runs["new"], runs["base"]
    same = len({r["digest"] for r in new + base}) == 1
    ratios = [n["cpu"] / b["cpu"] for n, b in zip(new, base, strict=True)]
    ratio = statistics.median(ratios)
    t_new = statistics.median(r["cpu"] for r in new)
    t_base = statistics.median(r["cpu"] for r in base)
    wall = statistics.median(n["seconds"] / b["seconds"] for n, b in zip(new, base, strict=True))
    n = new[0]
    lines = [
        "# `classify_lines` one page at a time: this build against a baseline",
        "",
        f"{n['pages']:,} ANT Corpus v2.1 articles ({n['lines']:,} lines), `classify_lines` "
        "called once per page (new str objects each loop, no UTF-8 cached by an earlier "
        "loop); per build and round, a fresh process's fastest of five "
        "loops in CPU time (the process's own, steadier than wall time on a shared "
        f"machine). {args.rounds} rounds, the order of the builds alternating; ratio: median "
        "of per-round ratios, this build ÷ baseline (below 1: this build is faster).",
        "",
        "| baseline CPU s | this build CPU s | µs per page (this build) | CPU time ratio | "
        "per-round ratios, lowest – highest | wall time ratio | same lines |",
        "|--:|--:|--:|--:|--:|--:|---|",
        f"| {t_base:.3f} | {t_new:.3f} | {t_new / n['pages'] * 1e6:,.0f} | {ratio:.3f} | "
        f"{min(ratios):.2f} – {max(ratios):.2f} | {wall:.3f} | {'yes' if same else 'NO'} |",
        "",
        f"Baseline: `{args.baseline}` ({base[0]['file']}).",
        "",
        control_line(ctrl),
        "",
        f"Python {platform.python_version()}, {platform.machine()}, {cpu_model()} "
        f"({cpu_features()}), {os.cpu_count()} logical CPUs shared with other jobs. "
        "`python bench/bench_classify_page.py --baseline OTHER/bin/python` to reproduce.",
        "",
    ]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    print(args.out)


if __name__ == "__main__":
    main()
