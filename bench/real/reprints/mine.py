"""Mine candidate reprint pairs from the ANT corpus for hand judgement.

Independent of misfat on purpose (plain Python, its own light folding), so the pairs to judge
are not chosen by the system under test. Several miners feed one pool, then a stratified sample:
- shared rare word 5-grams (document frequency <= 30) across or within outlets;
- title word overlap on the same or nearby days (restyled copies re-headlined);
each candidate is described by containment and Jaccard of word 3-grams, and pairs are
sampled from every band so that near-misses and hard negatives are judged too.

    python bench/real/reprints/mine.py  ->  bench/real/reprints/candidates.jsonl
    python bench/real/reprints/mine.py --batch 2   ->  candidates2.jsonl (pairs 330-), no
        article of an earlier batch, another sampling seed
"""

import argparse
import collections
import email.utils
import gzip
import json
import os
import random
import re
import zlib
from pathlib import Path

HERE = Path(__file__).parent
SHARED = Path(os.environ.get("MISFAT_SHARED", HERE.parents[2] / ".." / "shared"))
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"
MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")
FOLD = str.maketrans("أإآٱىة", "اااايه")
WORD = re.compile(r"\w+")


def words(text):
    return WORD.findall(MARKS.sub("", text).translate(FOLD).lower())


def grams(ws, n):
    return {" ".join(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=1)
    batch = ap.parse_args().batch
    name = "candidates.jsonl" if batch == 1 else f"candidates{batch}.jsonl"
    seen, first = set(), 0
    for k in range(1, batch):
        old = HERE / ("candidates.jsonl" if k == 1 else f"candidates{k}.jsonl")
        for line in open(old, encoding="utf-8"):
            p = json.loads(line)
            seen |= {p["a"], p["b"]}
            first = max(first, p["pair"] + 1)
    docs = [json.loads(line) for line in gzip.open(CORPUS.resolve(), "rt")]
    day = [email.utils.parsedate_to_datetime(d["date"]).toordinal() for d in docs]
    toks = [words(d["text"]) for d in docs]
    g5 = [{zlib.crc32(g.encode()) for g in grams(t, 5)} for t in toks]
    df = collections.Counter(h for s in g5 for h in s)
    post = collections.defaultdict(list)
    for i, s in enumerate(g5):
        for h in s:
            if 2 <= df[h] <= 30:
                post[h].append(i)
    shared = collections.Counter()
    for ids in post.values():
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i, j = ids[a], ids[b]
                if abs(day[i] - day[j]) <= 4:
                    shared[i, j] += 1
    pool = {p: "rare5" for p, c in shared.items() if c >= 2}
    # Re-headlined copies: titles sharing most content words, nearby days.
    tw = [set(w for w in words(d["title"]) if len(w) > 3) for d in docs]
    by_word = collections.defaultdict(list)
    for i, s in enumerate(tw):
        for w in s:
            by_word[w].append(i)
    tcount = collections.Counter()
    for ids in by_word.values():
        if len(ids) > 200:
            continue
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                i, j = ids[a], ids[b]
                if abs(day[i] - day[j]) <= 2:
                    tcount[i, j] += 1
    for (i, j), c in tcount.items():
        if c >= 3 and (i, j) not in pool:
            pool[i, j] = "title"
    print(len(pool), "candidate pairs")
    g3 = {}

    def g3of(i):
        if i not in g3:
            g3[i] = grams(toks[i], 3)
        return g3[i]

    rows = []
    for (i, j), how in pool.items():
        if docs[i]["id"] in seen or docs[j]["id"] in seen:
            continue
        a, b = g3of(i), g3of(j)
        if not a or not b:
            continue
        inter = len(a & b)
        cont = inter / min(len(a), len(b))
        jac = inter / len(a | b)
        cross = docs[i]["source"] != docs[j]["source"]
        rows.append((i, j, how, cont, jac, cross))
    rnd = random.Random(20261129 if batch == 1 else 20261129 + batch)
    bands = collections.defaultdict(list)
    for r in rows:
        cb = min(int(r[3] * 5), 4)
        bands[cb, r[5], r[2]].append(r)
    quota = {True: 40, False: 14}
    picked = []
    for key in sorted(bands):
        items = bands[key]
        rnd.shuffle(items)
        picked += items[: quota[key[1]]]
    rnd.shuffle(picked)
    with open(HERE / name, "w", encoding="utf-8") as out:
        for n, (i, j, how, cont, jac, cross) in enumerate(picked):
            out.write(
                json.dumps(
                    {
                        "pair": first + n,
                        "a": docs[i]["id"],
                        "b": docs[j]["id"],
                        "mined_by": how,
                        "cross_outlet": cross,
                        "containment3": round(cont, 3),
                        "jaccard3": round(jac, 3),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(len(picked), "pairs written", {k: len(v) for k, v in sorted(bands.items())})


if __name__ == "__main__":
    main()
