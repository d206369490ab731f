"""Rebuilds ``bench/data/own_eval.jsonl``: 40 real ANT Corpus v2.1 articles with hand labels.

Selection (seeded, reproducible): articles with 3-25 non-blank lines; 4 per source among
articles holding a short line (< 80 characters) that occurs in at least 3 articles of the
same source (a neutral "may contain furniture" criterion, not any misfat rule), then 4 per
source at random. Every non-blank line was then labelled by hand (content / boilerplate /
ambiguous) by reading the whole article; the labels are below.

    python bench/data/make_own_eval.py /path/to/ant_v2.1_multisource.jsonl.gz
"""

from __future__ import annotations

import collections
import gzip
import json
import random
import sys
from pathlib import Path

CORPUS = (
    Path(__file__).resolve().parents[3] / "shared/data/ant_corpus/ant_v2.1_multisource.jsonl.gz"
)
OUT = Path(__file__).resolve().parent / "own_eval.jsonl"

# Per article (by position in the sample): boilerplate and ambiguous line numbers.
# Every other non-blank line is content. Labelled by reading each article in full.
BOIL: dict[int, list[int]] = {
    0: [12, 13],
    1: [18],
    2: [18, 19],
    3: [14, 15],
    4: [1, 2, 3, 4, 5, 6],
    5: [0],
    6: [8, 9, 10, 11, 12],
    7: [13, 14, 16, 17, 18, 19, 20],
    8: [8, 9],
    9: [6, 7],
    10: [1, 2],
    11: [1, 2],
    12: [2, 5],
    13: [4, 8],
    14: [4],
    16: [7],
    20: [3, 4, 5],
    21: [5, 6],
    24: [17, 18, 19, 20, 21],
    27: [0],
    32: [5],
    33: [3],
}
AMBI: dict[int, list[int]] = {1: [16, 17]}
NOTES = {
    0: "BBC: separator line and app-notification promo",
    1: "BBC blog letter: signature name and date ambiguous; link to the full project",
    4: "CNN: sponsor note, then leads of five unrelated articles appended to the page",
    6: "CNN: leads of unrelated articles appended after the story",
    7: "CNN: 'about Bayt.com' box and unrelated article leads",
    8: "alarabia opinion: republication credit and disclaimer",
    12: "france24: inline 'for more' links",
    13: "france24: 'for more' link and 'back to the live coverage' link",
    20: "BBC: three related-story headlines inserted mid-article",
    21: "BBC: two related-story headlines inserted mid-article",
    24: "CNN: leads of unrelated articles appended",
    27: "CNN opinion: author/disclaimer line",
    32: "france24: photo caption mid-article",
}


def select(rows: list[dict]) -> list[dict]:
    rep: collections.Counter = collections.Counter()
    for r in rows:
        for s in {x.strip() for x in (r["text"] or "").split("\n") if x.strip()}:
            if len(s) < 80:
                rep[(r["source"], s)] += 1

    def nlines(r: dict) -> int:
        return sum(1 for x in (r["text"] or "").split("\n") if x.strip())

    rng = random.Random(20261123)
    cands = [r for r in rows if r["text"] and 3 <= nlines(r) <= 25]
    with_rep = [
        r
        for r in cands
        if any(rep[(r["source"], x.strip())] >= 3 for x in r["text"].split("\n") if x.strip())
    ]
    sel: list[dict] = []
    by_src = collections.defaultdict(list)
    for r in with_rep:
        by_src[r["source"]].append(r)
    for src in sorted(by_src):
        sel += rng.sample(by_src[src], 4)
    ids = {r["id"] for r in sel}
    by_src = collections.defaultdict(list)
    for r in cands:
        by_src[r["source"]].append(r)
    for src in sorted(by_src):
        sel += rng.sample([r for r in by_src[src] if r["id"] not in ids], 4)
    return sel


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    with OUT.open("w", encoding="utf-8") as out:
        for k, r in enumerate(select(rows)):
            labels = []
            for i, line in enumerate(r["text"].split("\n")):
                if not line.strip():
                    continue
                if i in BOIL.get(k, []):
                    label = "boilerplate"
                elif i in AMBI.get(k, []):
                    label = "ambiguous"
                else:
                    label = "content"
                labels.append({"line": i, "label": label})
            rec = {
                "doc": r["id"],
                "source": r["source"],
                "url": r["url"],
                "selection": "repeated_short_line" if k < 20 else "random",
                "note": NOTES.get(k, ""),
                "text": r["text"],
                "labels": labels,
            }
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
