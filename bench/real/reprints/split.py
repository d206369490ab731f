"""Assign each judged pair its split by story (see GUIDELINE.md) and append a batch.

    python bench/real/reprints/split.py A.jsonl B.jsonl ...   # appends to judgments.jsonl

Pairs that share an article are one story (connected components over ALL judged pairs);
a story goes to dev or test by the CRC32 of its smallest article id (even: dev). Splits
already written are checked, never changed.
"""

import collections
import json
import sys
import zlib
from pathlib import Path

HERE = Path(__file__).parent


def splits(pairs):
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p in pairs:
        parent[find(p["a"])] = find(p["b"])
    stories = collections.defaultdict(list)
    for p in pairs:
        stories[find(p["a"])].append(p)
    out = {}
    for members in stories.values():
        first = min(min(p["a"], p["b"]) for p in members)
        for p in members:
            out[p["pair"]] = "dev" if zlib.crc32(first.encode()) % 2 == 0 else "test"
    return out


def main():
    path = HERE / "judgments.jsonl"
    old = [json.loads(line) for line in open(path, encoding="utf-8")]
    new = [json.loads(line) for f in sys.argv[1:] for line in open(f, encoding="utf-8")]
    new.sort(key=lambda p: p["pair"])
    seen = {p["pair"] for p in old}
    assert not seen & {p["pair"] for p in new}, "pairs judged twice"
    split = splits(old + new)
    assert all(split[p["pair"]] == p["split"] for p in old), "an earlier split would change"
    with open(path, "a", encoding="utf-8") as out:
        for p in new:
            p["split"] = split[p["pair"]]
            out.write(json.dumps(p, ensure_ascii=False) + "\n")
    count = collections.Counter((p["split"], p["label"]) for p in new)
    print(len(new), "pairs appended", dict(sorted(count.items())))


if __name__ == "__main__":
    main()
