"""Print candidate pairs for reading: python bench/real/reprints/show.py FIRST LAST [--chars N]."""

import argparse
import gzip
import json
import os
from pathlib import Path

HERE = Path(__file__).parent
SHARED = Path(os.environ.get("MISFAT_SHARED", HERE.parents[2].parent / "shared"))
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    ap.add_argument("--chars", type=int, default=1800)
    ap.add_argument("--file", default="candidates.jsonl", help="candidates2.jsonl for batch 2")
    args = ap.parse_args()
    pairs = [json.loads(line) for line in open(HERE / args.file, encoding="utf-8")]
    want = {p["pair"]: p for p in pairs if args.first <= p["pair"] <= args.last}
    ids = {p[k] for p in want.values() for k in "ab"}
    docs = {}
    for line in gzip.open(CORPUS.resolve(), "rt"):
        d = json.loads(line)
        if d["id"] in ids:
            docs[d["id"]] = d
    for n in sorted(want):
        p = want[n]
        print(f"===== pair {n} =====")
        for k in "ab":
            d = docs[p[k]]
            text = d["text"]
            more = f" … [+{len(text) - args.chars} chars]" if len(text) > args.chars else ""
            print(f"--- {k}: {d['source']} | {d['date']} | {len(text)} chars | {d['title']}")
            print(text[: args.chars] + more)
        print()


if __name__ == "__main__":
    main()
