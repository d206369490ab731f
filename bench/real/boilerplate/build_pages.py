#!/usr/bin/env python3
"""Build pages.jsonl from the saved HTML + hand-written labels.

The labels below were written by reading every flattened line (see
GUIDELINE.md); they are line-number ranges (1-based, inclusive) over the
output of flatten.py. Any line not covered is an error.
"""

import json
import os

from flatten import flatten

HERE = os.path.dirname(os.path.abspath(__file__))

# doc, site, lang, provenance, html file, {label: [(start, end), ...]}
PAGES = [
    (
        "ar_cnnarabic_syria",
        "arabic.cnn.com",
        "ar",
        "goose3/goose3:tests/data/content/test_cnn_arabic.html@4722462cc717d8fe4e0010618397ba0e2ceaf48e",
        "ar_cnnarabic_syria.html",
        {"boilerplate": [(1, 19), (21, 21), (29, 42)], "content": [(20, 20), (22, 28)]},
    ),
    (
        "hy_panarmenian_deferment",
        "panarmenian.net",
        "hy",
        "goose3/goose3:tests/data/content/test_panarmenian_armenian.html@b7b979d7d73bbdcadc1e9c64e19869ab305e2097",
        "hy_panarmenian_deferment.html",
        {"boilerplate": [(1, 28), (30, 30), (36, 65)], "content": [(29, 29), (31, 35)]},
    ),
]


# Pages whose source is already extracted page text, one block per line
# (stored page text returned by the search tool's "pages" corpus; see
# README.md). The file under text/ holds the text verbatim; lines are
# split on "\n", stripped, and empty lines dropped.
# doc, site, lang, provenance, text file, {label: [(start, end), ...]}
P = "pages-corpus:"
TRUNC = " (stored text cut off at the end by the search tool's excerpt limit)"
TEXT_PAGES = [
    (
        "ar_masrawy_quds",
        "masrawy.com",
        "ar",
        P
        + "http://tech.masrawy.com/news/news_egypt/details/2017/12/9/1216801/%D9%88%D8%B5%D9%88%D9%84-%D9%88%D8%B2%D9%8A%D8%B1%D8%A7-%D8%AE%D8%A7%D8%B1%D8%AC%D9%8A%D8%A9-%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8-%D9%88%D9%85%D9%88%D8%B1%D9%8A%D8%AA%D8%A7%D9%86%D9%8A%D8%A7-%D9%84%D8%AD%D8%B6%D9%88%D8%B1-%D8%A7%D8%AC%D8%AA%D9%85%D8%A7%D8%B9-%D8%A7%D9%84%D8%AC%D8%A7%D9%85%D8%B9%D8%A9-%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9-%D8%A8%D8%B4%D8%A3%D9%86",
        "ar_masrawy_quds.txt",
        {"boilerplate": [(1, 1), (3, 6), (10, 12)], "content": [(2, 2), (7, 9)]},
    ),
    (
        "ar_watanserb_handshake",
        "watanserb.com",
        "ar",
        P
        + "http://www.watanserb.com/2017/08/01/%d9%85%d8%b5%d8%a7%d9%81%d8%ad%d8%a9-%d8%aa%d8%a7%d8%b1%d9%8a%d8%ae%d9%8a%d8%a9-%d8%a8%d9%8a%d9%86-%d9%88%d8%b2%d9%8a%d8%b1%d9%8a-%d8%ae%d8%a7%d8%b1%d8%ac%d9%8a%d8%aa%d9%8a-%d8%a5%d9%8a%d8%b1%d8%a7/",
        "ar_watanserb_handshake.txt",
        {"boilerplate": [(1, 1), (7, 9)], "content": [(2, 6)]},
    ),
    (
        "ar_vetogate_lavrov",
        "vetogate.com",
        "ar",
        P + "https://vetogate.com/2704516",
        "ar_vetogate_lavrov.txt",
        {"boilerplate": [(1, 5), (12, 13)], "content": [(6, 6), (9, 11)], "ambiguous": [(7, 8)]},
    ),
    (
        "ar_coptsunited_ministers",
        "copts-united.com",
        "ar",
        P + "https://mail.copts-united.com/Article.php?A=329080&I=3069",
        "ar_coptsunited_ministers.txt",
        {"boilerplate": [(2, 6), (10, 10)], "content": [(1, 1), (7, 9)]},
    ),
    (
        "ar_sabaharabi_lavrov",
        "sabaharabi.com",
        "ar",
        P + "http://www.sabaharabi.com/print~235503",
        "ar_sabaharabi_lavrov.txt",
        {"boilerplate": [(1, 1)], "content": [(2, 2), (4, 4)], "ambiguous": [(3, 3)]},
    ),
    (
        "ar_alnahar_derby",
        "alnaharegypt.com",
        "ar",
        P + "https://www.alnaharegypt.com/print~1052355",
        "ar_alnahar_derby.txt",
        {"boilerplate": [(1, 2)], "content": [(3, 3), (5, 6)], "ambiguous": [(4, 4)]},
    ),
    (
        "ar_pourmaville_derby",
        "pourmaville.com",
        "ar",
        P + "https://pourmaville.com/emploi/8118?random-post=1",
        "ar_pourmaville_derby.txt",
        {"boilerplate": [(1, 1), (4, 7)], "content": [(2, 3)]},
    ),
    (
        "ar_egypttoday_league",
        "egypt-today.com",
        "ar",
        P
        + "https://egypt-today.com/amp/1236/170245-الأهلي-والزمالك-يفتتحان-مبارياتهما-في-الدوري-المصري-23-أيلول-الجاري",
        "ar_egypttoday_league.txt",
        {"ambiguous": [(1, 1)], "content": [(2, 4)], "boilerplate": [(5, 7)]},
    ),
    (
        "ar_sahafati_derbyhistory",
        "sahafati.com",
        "ar",
        P + "https://sahafati.com/eg/ar/frame/2036/315154220",
        "ar_sahafati_derbyhistory.txt",
        {"content": [(1, 2)]},
    ),
    (
        "ar_sahafati_zamalek",
        "sahafati.com",
        "ar",
        P + "http://sahafati.com/eg/ar/frame/572/316937710",
        "ar_sahafati_zamalek.txt",
        {"content": [(1, 1)], "boilerplate": [(2, 2)]},
    ),
    (
        "ar_newshubworld_ahly",
        "newshubworld.com",
        "ar",
        P + "https://newshubworld.com/s/الظهور-المضحك-لرئيس-الاتحاد---احمد-العلولا",
        "ar_newshubworld_ahly.txt",
        {"content": [(1, 1)], "boilerplate": [(2, 2)]},
    ),
    (
        "ar_aswat_oil",
        "magazineaswat.com",
        "ar",
        P
        + "https://magazineaswat.com/%d8%b3%d8%b9%d8%b1-%d8%a7%d9%84%d9%86%d9%81%d8%b7-%d9%8a%d8%b1%d8%aa%d9%81-%d9%81%d9%8a-%d8%a7%d9%84%d8%a3%d8%b3%d9%88%d8%a7%d9%82-%d8%a7%d9%84%d8%b9%d8%a7%d9%84%d9%85%d9%8a%d8%a9",
        "ar_aswat_oil.txt",
        {"content": [(1, 1), (3, 7)], "ambiguous": [(2, 2)]},
    ),
    (
        "ar_tishreen_oil",
        "tishreen.news.sy",
        "ar",
        P + "http://tishreen.news.sy/?p=745775",
        "ar_tishreen_oil.txt",
        {"content": [(1, 5)]},
    ),
    (
        "ar_aleqaria_oil",
        "aleqaria.com.eg",
        "ar",
        P + "https://aleqaria.com.eg/Post/details/38545/أسعار-النفط-تواصل-الارتفاع-عالمياً",
        "ar_aleqaria_oil.txt",
        {"content": [(1, 1), (3, 9)], "boilerplate": [(2, 2)]},
    ),
    (
        "ar_alsolta_oil",
        "alsolta.net",
        "ar",
        P + "https://admin.alsolta.net/print~140774",
        "ar_alsolta_oil.txt",
        {"content": [(1, 2)]},
    ),
    (
        "ar_ilna_oil",
        "ilna.ir",
        "ar",
        P
        + "https://www.ilna.ir/%D9%82%D8%B3%D9%85-%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF-4/1692000-%D8%A7%D9%84%D9%86%D9%81%D8%B7-%D9%81%D9%88%D9%82-%D8%A7%D9%84-%D8%AF%D9%88%D9%84%D8%A7%D8%B1%D8%A7-%D9%84%D9%84%D8%A8%D8%B1%D9%85%D9%8A%D9%84-%D9%84%D8%A3%D9%88%D9%84-%D9%85%D8%B1%D8%A9-%D9%85%D9%86%D8%B0-%D9%8A%D9%88%D9%85%D8%A7",
        "ar_ilna_oil.txt",
        {"content": [(1, 1), (3, 5)], "boilerplate": [(2, 2)]},
    ),
    (
        "ar_alseyassah_oil",
        "alseyassah.com",
        "ar",
        P + "https://alseyassah.com/ارتفاع-النفط-لأعلى-مستوى-في-7-سنوات-بسبب",
        "ar_alseyassah_oil.txt",
        {"boilerplate": [(1, 1), (3, 4)], "content": [(2, 2), (6, 6)], "ambiguous": [(5, 5)]},
    ),
    (
        "ar_almanar_oil",
        "almanar.com.lb",
        "ar",
        P + "https://almanar.com.lb/11846364",
        "ar_almanar_oil.txt",
        {"content": [(1, 2)], "ambiguous": [(3, 3)]},
    ),
    (
        "ar_shamfm_covid",
        "sham.fm",
        "ar",
        P + "https://sham.fm/article/وزارة_الصحة_إصابتين_جديدتين_بفايروس_كورونا_",
        "ar_shamfm_covid.txt",
        {"content": [(1, 4)]},
    ),
    (
        "ar_elbalad_covid",
        "elbalad.news",
        "ar",
        P + "https://www.elbalad.news/4248133",
        "ar_elbalad_covid.txt",
        {"content": [(1, 10)]},
    ),
    (
        "ar_kuwaitnews_covid",
        "kuwait-news.com",
        "ar",
        P
        + "https://kuwait-news.com/2020/03/02/%d8%a7%d9%84%d8%b5%d8%ad%d8%a9-%d8%a7%d8%b1%d8%aa%d9%81%d8%a7%d8%b9-%d8%b9%d8%af%d8%af-%d8%a7%d9%84%d8%a5%d8%b5%d8%a7%d8%a8%d8%a7%d8%aa-%d8%a8%d9%81%d9%8a%d8%b1%d9%88%d8%b3-%d9%83%d9%88/",
        "ar_kuwaitnews_covid.txt",
        {"content": [(1, 4)]},
    ),
    (
        "ar_abuabrar_covid",
        "abuabrar.club",
        "ar",
        P + "https://abuabrar.club/archives/49218",
        "ar_abuabrar_covid.txt",
        {"boilerplate": [(1, 1), (5, 6)], "content": [(2, 4)]},
    ),
    (
        "ar_al3robaalyoum_shoukry",
        "al3robaalyoum.com",
        "ar",
        P
        + "https://www.al3robaalyoum.com/%d9%88%d8%b2%d9%8a%d8%b1-%d8%a7%d9%84%d8%ae%d8%a7%d8%b1%d8%b1%d8%ac%d9%8a%d8%a9-%d8%a7%d9%84%d9%85%d8%b5%d8%b1%d9%8a-%d9%88%d8%a7%d9%84%d8%b3%d8%b9%d9%88%d8%af%d9%8a-%d9%8a%d8%a8%d8%ad%d8%ab%d8%a7",
        "ar_al3robaalyoum_shoukry.txt",
        {"ambiguous": [(1, 1)], "content": [(2, 3)]},
    ),
    (
        "ar_almowaten_covid",
        "almowaten.net",
        "ar",
        P
        + "https://almowaten.net/2020/03/%d8%a7%d9%84%d8%b5%d8%ad%d8%a9-%d8%aa%d8%b9%d9%84%d9%86-%d8%aa%d8%b3%d8%ac%d9%8a%d9%84-36-%d8%ad%d8%a7%d9%84%d8%a9-%d8%a5%d8%b5%d8%a7%d8%a8%d8%a9-%d8%ac%d8%af%d9%8a%d8%af%d8%a9-%d8%a8%d9%81%d9%8a"
        + TRUNC,
        "ar_almowaten_covid.txt",
        {"boilerplate": [(1, 10)], "content": [(11, 15)]},
    ),
    (
        "ar_hespress_elections",
        "hespress.com",
        "ar",
        P + "https://www.hespress.com/politique/490220.html" + TRUNC,
        "ar_hespress_elections.txt",
        {"content": [(1, 1), (4, 7)], "boilerplate": [(2, 3)]},
    ),
]


def text_lines(text):
    return [line.strip() for line in text.split("\n") if line.strip()]


def split_for(site, sites):
    i = sorted(sites).index(site)
    return "dev" if i % 5 in (0, 2) else "test"


def label_lines(doc, lines, spans):
    labels = [None] * len(lines)
    for label, ranges in spans.items():
        for a, b in ranges:
            for k in range(a - 1, b):
                assert labels[k] is None, (doc, k + 1)
                labels[k] = label
    missing = [k + 1 for k, lab in enumerate(labels) if lab is None]
    assert not missing, (doc, missing)
    return labels


def main():
    sites = {p[1] for p in PAGES} | {p[1] for p in TEXT_PAGES}
    docs = []
    for doc, site, lang, prov, fname, spans in PAGES:
        with open(os.path.join(HERE, "html", fname), encoding="utf-8") as f:
            docs.append((doc, site, lang, prov, flatten(f.read()), spans))
    for doc, site, lang, prov, fname, spans in TEXT_PAGES:
        with open(os.path.join(HERE, "text", fname), encoding="utf-8") as f:
            docs.append((doc, site, lang, prov, text_lines(f.read()), spans))
    per_site = {}
    out = []
    for doc, site, lang, prov, lines, spans in docs:
        per_site[site] = per_site.get(site, 0) + 1
        assert per_site[site] <= 4, site
        labels = label_lines(doc, lines, spans)
        out.append(
            {
                "doc": doc,
                "site": site,
                "lang": lang,
                "provenance": prov,
                "split": split_for(site, sites),
                "lines": [[t, lab] for t, lab in zip(lines, labels, strict=True)],
            }
        )
    with open(os.path.join(HERE, "pages.jsonl"), "w", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
