"""Rebuilds ``python/misfat/data/sample_pages.jsonl``: the pages ``misfat demo`` cleans.

The first five pages are ANT Corpus v2.1 articles as published in the corpus (clean text,
no furniture). Then six more ANT articles, three from alarabiya.net and three from
skynewsarabia.com, wrapped in site furniture written for this file (menus, breadcrumbs,
share widgets, tags, "read also" links, a "related articles" tail built from real titles
of the same site, a copyright footer): lines of the kind every scraper brings home, the
same on every page of a site, as on a real site. Among them is one real syndicated story
that both outlets carried on 11 April 2018 (AFP copy on rare-earth minerals near
Minamitorishima, AL-economy-424 and SK-economy-334), so the demo shows stripping, the
per-site model and a near-duplicate cluster. Nothing in the article text was edited.

    python scripts/make_sample_pages.py /path/to/ant_v2.1_multisource.jsonl.gz
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "python/misfat/data/sample_pages.jsonl"
SHARED = Path(os.environ.get("MISFAT_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "data/ant_corpus/ant_v2.1_multisource.jsonl.gz"

ORIGINAL = [
    "AL-internationalNews-87-20131228",
    "BB-internationalNews-790-20180712",
    "CN-sport-420-20181003",
    "FR-culture-115-20180723",
    "SK-sport-27-20180219",
]
WRAPPED = {
    "alarabia": ["AL-economy-424-20180411", "AL-economy-752-20180605", "AL-economy-93-20180224"],
    "skynews": ["SK-economy-334-20180411", "SK-economy-785-20180615", "SK-economy-67-20180224"],
}
# Real titles of other articles of each site, for the "related" tails.
RELATED = {
    "alarabia": ["AL-economy-455-20180415", "AL-economy-836-20180615", "AL-economy-837-20180615"],
    "skynews": ["SK-economy-733-20180605", "SK-internationalNews-2245-20180621"],
}
HEAD = {
    "alarabia": [
        "الرئيسية",
        "العربية.نت",
        "أسواق | اقتصاد | طاقة | عقار",
        "آخر تحديث: {date}",
    ],
    "skynews": [
        "سكاي نيوز عربية",
        "أخبار | اقتصاد | رياضة | تكنولوجيا | فيديو",
        "أبوظبي - سكاي نيوز عربية",
        "نشر في: {date}",
    ],
}
MIDDLE = {"alarabia": "اقرأ أيضاً: {title}", "skynews": "اقرأ المزيد: {title}"}
TAIL = {
    "alarabia": [
        "شارك",
        "فيسبوك",
        "تويتر",
        "واتساب",
        "مقالات ذات صلة",
        "{related}",
        "جميع الحقوق محفوظة © العربية 2018",
    ],
    "skynews": [
        "مشاركة",
        "تابعونا على",
        "مواضيع ذات صلة",
        "{related}",
        "الأكثر قراءة",
        "© 2018 سكاي نيوز عربية. جميع الحقوق محفوظة.",
    ],
}


def wrap(row: dict, site: str, related: list[str]) -> str:
    body = [x for x in row["text"].split("\n") if x.strip()]
    fill = {"date": row["date"], "related": "\n".join(related)}
    head = [line.format(**fill) for line in HEAD[site]] + [row["title"]]
    middle = MIDDLE[site].format(title=related[0])
    body = [*body[:2], middle, *body[2:]]
    tail = [line.format(**fill) for line in TAIL[site]]
    return "\n".join([*head, *body, *tail])


def main(path: str) -> None:
    wanted = set(ORIGINAL) | {i for v in (*WRAPPED.values(), *RELATED.values()) for i in v}
    rows = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["id"] in wanted:
                rows[r["id"]] = r
    out = []
    for i in ORIGINAL:
        r = rows[i]
        site = {"alarabia": "alarabia"}.get(r["source"], r["source"])
        out.append({"id": i, "site": site, "url": r["url"], "title": r["title"], "text": r["text"]})
    for site, ids in WRAPPED.items():
        for i in ids:
            r = rows[i]
            titles = [rows[j]["title"] for j in [*RELATED[site], *ids] if j != i]
            page = {"id": r["id"], "site": site, "url": r["url"], "title": r["title"]}
            out.append(page | {"text": wrap(r, site, titles)})
    with OUT.open("w", encoding="utf-8") as f:
        for page in out:
            f.write(json.dumps(page, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} pages to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(CORPUS))
