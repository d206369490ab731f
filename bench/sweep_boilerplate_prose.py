"""Content-safety sweep: how much real article prose does boilerplate stripping remove?

Pages are real ANT articles (``../shared/data/ant_corpus``, five outlets): the title, then
the body paragraphs one per line. Their body paragraphs are article text, so any long
prose line (12+ words with sentence punctuation) that ``classify_lines`` removes is a
suspect loss, and so is the title, the first paragraph or the page's longest paragraph.
The bodies also carry some furniture (an outlet's app promo, "read also" links): a line
printed in three or more sampled articles is the outlet's furniture (the corpus gives that
label for free) and is counted apart; the other removed prose lines are listed with their
position (line / lines of the page) to be read before a count is called a loss.

Not a test and not a score: a sweep to run while changing rules (no labels involved).

    python bench/sweep_boilerplate_prose.py [--n 6000] [--show 20]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

import misfat

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"
SENTENCE = re.compile(r"[.!?؟،,؛;:»\"”]")


def long_prose(line: str) -> bool:
    return len(line.split()) >= 12 and SENTENCE.search(line) is not None


def pages(n: int) -> list[tuple[str, list[str]]]:
    """Every k-th article, so all outlets and categories are sampled."""
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    step = max(1, len(rows) // n)
    out = []
    for row in rows[::step][:n]:
        body = [p.strip() for p in row["text"].split("\n") if p.strip()]
        if row.get("title") and body:
            out.append((row["source"], [row["title"].strip(), *body]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=6000, help="articles to sample")
    ap.add_argument("--show", type=int, default=20, help="removed prose lines to list")
    args = ap.parse_args()
    removed_prose: Counter[str] = Counter()
    removed_any: Counter[str] = Counter()
    guarded: Counter[str] = Counter()
    shown: list[str] = []
    n_prose = repeated_removed = 0
    sample = pages(args.n)
    seen = Counter(line for _, lines in sample for line in set(lines[1:]))
    for source, lines in sample:
        rows = misfat.classify_lines("\n".join(lines))
        gone = {r.line: r.reason for r in rows if not r.kept and r.reason != "blank"}
        longest = max(range(1, len(lines)), key=lambda i: len(lines[i]))
        for what, i in (("title", 0), ("first paragraph", 1), ("longest paragraph", longest)):
            if i in gone:
                guarded[what] += 1
        for i, line in enumerate(lines):
            prose = i > 0 and long_prose(line)
            n_prose += prose
            if i in gone:
                removed_any[gone[i]] += 1
                if prose and seen[line] >= 3:
                    repeated_removed += 1
                elif prose:
                    removed_prose[gone[i]] += 1
                    if len(shown) < args.show:
                        shown.append(f"{source} {i}/{len(lines)} [{gone[i]}] {line[:140]}")
    print(f"{len(sample)} ANT articles, {n_prose} long prose body lines")
    print(f"long prose lines removed, printed once or twice in the sample: {dict(removed_prose)}")
    print(f"long prose lines removed, printed in 3+ articles (furniture): {repeated_removed}")
    print(f"all lines removed by reason: {dict(removed_any)}")
    print(f"title / first / longest paragraph removed: {dict(guarded)}")
    for s in shown:
        print("  " + s)


if __name__ == "__main__":
    main()
