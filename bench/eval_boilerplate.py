"""Line-level evaluation of boilerplate stripping, misfat side by side with its peers.

Two sets, reported separately:

- the five gold seed pages (``../shared/gold/seeds_boilerplate.jsonl``);
- ``bench/data/own_eval.jsonl``: 40 real ANT Corpus articles labelled by hand (see
  ``bench/data/make_own_eval.py`` for how they were chosen and labelled).

The positive class is "boilerplate, removed". Ambiguous lines are not scored. Besides line
precision/recall/F1 the table gives character-weighted F1 and content recall (the share of
article lines kept: losing article text is worse than keeping a furniture line).

Peers get the same lines: jusText and trafilatura as ``<p>`` paragraphs of a minimal HTML
page, a C4-style line filter (keep lines of at least 5 words ending in terminal
punctuation, Arabic marks included), and keep-everything.

    python bench/eval_boilerplate.py        # writes bench/results/boilerplate_eval.md
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from _common import RESULTS  # bench/results, or a --quick run's folder

import misfat

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MISFAT_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "gold" / "seeds_boilerplate.jsonl"
SEEDS = SHARED / "seeds"
OWN = ROOT / "bench" / "data" / "own_eval.jsonl"
OWN_V2 = ROOT / "bench" / "data" / "own_eval_v2.jsonl"
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"
OUT = RESULTS / "boilerplate_eval.md"

# A page: its text, and per line number the gold label.
Page = tuple[str, dict[int, str]]
# A method: page text (and site) -> set of removed line numbers.
Method = Callable[[str, str], set[int]]

_SPACES = re.compile(r"\s+")


def squash(s: str) -> str:
    return _SPACES.sub(" ", s).strip()


def load_seeds() -> list[tuple[str, Page]]:
    labels: dict[str, dict[int, str]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        labels.setdefault(r["doc"], {})[r["line"]] = r["label"]
    return [
        (doc, ((SEEDS / doc).read_text(encoding="utf-8"), lab))
        for doc, lab in sorted(labels.items())
    ]


def load_own(path: Path = OWN) -> list[tuple[str, str, Page]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out.append(
            (r["doc"], r["source"], (r["text"], {x["line"]: x["label"] for x in r["labels"]}))
        )
    return out


# ---- methods ----


def keep_everything(text: str, site: str) -> set[int]:
    return set()


_TERMINAL = (".", "!", "?", "؟", "…", '"', "'", "”", "»", "’")


def c4_filter(text: str, site: str) -> set[int]:
    removed = set()
    for i, line in enumerate(text.split("\n")):
        s = line.strip()
        if not s:
            continue
        if len(s.split()) < 5 or not s.endswith(_TERMINAL):
            removed.add(i)
    return removed


def as_html(text: str) -> str:
    paras = "".join(f"<p>{html.escape(s)}</p>\n" for s in text.split("\n") if s.strip())
    return f'<html><head><meta charset="utf-8"></head><body>\n{paras}</body></html>'


def by_multiset(text: str, kept_lines: list[str]) -> set[int]:
    """Removed line numbers, given the lines a tool kept (in order; copies matched in turn)."""
    left = Counter(squash(k) for k in kept_lines if k.strip())
    removed = set()
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        key = squash(line)
        if left[key] > 0:
            left[key] -= 1
        else:
            removed.add(i)
    return removed


def justext_method(text: str, site: str) -> set[int]:
    import justext

    stoplist = justext.get_stoplist("Arabic")
    paras = justext.justext(as_html(text).encode("utf-8"), stoplist, encoding="utf-8")
    return by_multiset(text, [p.text for p in paras if not p.is_boilerplate])


def trafilatura_method(text: str, site: str) -> set[int]:
    import trafilatura

    out = trafilatura.extract(as_html(text), include_comments=False, include_tables=False) or ""
    return by_multiset(text, out.split("\n"))


def misfat_method(model: misfat.BoilerplateModel | None = None, **options: object) -> Method:
    def run(text: str, site: str) -> set[int]:
        rows = misfat.classify_lines(text, model=model, site=site, **options)  # type: ignore[arg-type]
        return {r.line for r in rows if not r.kept and r.reason != "blank"}

    return run


# ---- scoring ----


def score(pages: list[tuple[str, Page]], method: Method) -> dict[str, float]:
    tp = fp = fn = tn = 0
    ctp = cfp = cfn = 0
    errors: list[str] = []
    for site, (text, labels) in pages:
        removed = method(text, site)
        lines = text.split("\n")
        for i, label in sorted(labels.items()):
            if label not in ("content", "boilerplate"):
                continue
            w = len(lines[i].strip())
            gone = i in removed
            if label == "boilerplate" and gone:
                tp += 1
                ctp += w
            elif label == "content" and gone:
                fp += 1
                cfp += w
                errors.append(f"lost content    {site} line {i}: {lines[i][:70]}")
            elif label == "boilerplate":
                fn += 1
                cfn += w
                errors.append(f"kept furniture  {site} line {i}: {lines[i][:70]}")
            else:
                tn += 1

    def f1(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    p, r, f = f1(tp, fp, fn)
    return {
        "content_f1": f1(tn, fn, fp)[2],
        "precision": p,
        "recall": r,
        "f1": f,
        "char_f1": f1(ctp, cfp, cfn)[2],
        "content_recall": tn / (tn + fp) if tn + fp else 1.0,
        "errors": errors,  # type: ignore[dict-item]
    }


def table(rows: list[tuple[str, dict[str, float]]]) -> str:
    out = [
        "| method | precision | recall | F1 | char-F1 | content recall | content-F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        out.append(
            f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | **{s['f1']:.3f}** "
            f"| {s['char_f1']:.3f} | {s['content_recall']:.3f} | {s['content_f1']:.3f} |"
        )
    return "\n".join(out)


def fit_corpus_model() -> misfat.BoilerplateModel | None:
    if not CORPUS.exists():
        return None
    texts, sites = [], []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            texts.append(r["text"])
            sites.append(r["source"])
    return misfat.BoilerplateModel.fit(texts, sites=sites, n_threads=-1)


def main() -> None:
    methods: list[tuple[str, Method]] = [
        ("keep everything", keep_everything),
        ("C4-style line filter", c4_filter),
        ("jusText 3 (Arabic stoplist)", justext_method),
        ("trafilatura 2", trafilatura_method),
        ('misfat, aggressiveness="low"', misfat_method(aggressiveness="low")),
        ("**misfat (defaults)**", misfat_method()),
        ('misfat, aggressiveness="high"', misfat_method(aggressiveness="high")),
    ]
    seeds = [(doc, page) for doc, page in load_seeds()]
    seed_scores = [(name, score(seeds, m)) for name, m in methods]

    own = [(source, page) for _doc, source, page in load_own()]
    own2 = [(source, page) for _doc, source, page in load_own(OWN_V2)]
    model = fit_corpus_model()
    own_methods = list(methods)
    model_name = "misfat + BoilerplateModel (ANT corpus, per source)"
    if model is not None:
        own_methods.append((model_name, misfat_method(model=model)))
    own_scores = [(name, score(own, m)) for name, m in own_methods]
    own2_scores = [(name, score(own2, m)) for name, m in own_methods]

    def n(pages: list[tuple[str, Page]], label: str) -> int:
        return sum(1 for _s, (_t, lab) in pages for v in lab.values() if v == label)

    default = dict(seed_scores)["**misfat (defaults)**"]

    def errors(scores: list[tuple[str, dict]], name: str) -> list[str]:
        return [f"- {e}" for e in dict(scores)[name]["errors"]]

    parts = [
        "# Boilerplate stripping: line-level evaluation",
        "",
        f"Generated by `bench/eval_boilerplate.py` (misfat {misfat.__version__}). Positive class:"
        " a boilerplate line that is removed; ambiguous lines are not scored. *char-F1* weights"
        " each line by its length; *content recall* is the share of article lines kept;"
        " *content-F1* is line F1 with the other positive class (content lines kept), the"
        " definition behind the figures in `PEERS.md` (keep-everything 0.70 on the seeds).",
        "Peers see the same lines (jusText and trafilatura as `<p>` paragraphs of a minimal"
        " HTML page).",
        "",
        f"## Gold seed pages ({len(seeds)} pages, {n(seeds, 'content')} content and"
        f" {n(seeds, 'boilerplate')} boilerplate lines)",
        "",
        table(seed_scores),
        "",
        "misfat errors with the defaults:",
        "",
        *[f"- {e}" for e in default["errors"]],  # type: ignore[union-attr]
        "",
        "## Own sets: real ANT Corpus articles labelled by hand",
        "",
        "Real article texts from the ANT Corpus v2.1 (BBC, CNN, France 24, Al Arabiya, Sky News"
        " Arabia Arabic sites; 2018), not pages built around the seeds; see"
        " `bench/data/make_own_eval.py`. Half of each set was chosen because the article holds"
        " a short line that recurs in 3+ articles of its source, half at random; every line was"
        " labelled by hand. The furniture is what these extracts really contain: separators,"
        " app promotions, republication credits and opinion disclaimers, sponsor notes, 'for"
        " more' links, related-story headlines inserted mid-article, leads of unrelated"
        " articles appended to CNN pages, an about box, captions. The model rows fit a"
        " `BoilerplateModel` on all 31k corpus articles with the source as site (unsupervised,"
        " the evaluated articles included).",
        "",
        "**How clean these numbers are.** Set 1 was labelled first and its errors were read:"
        " four furniture families seen there ('للمزيد' links, opinion disclaimers, 'نقلا عن'"
        " credits, agency credit lines) were then added to the lexicon, and the model learned"
        " to keep reused paragraphs inside articles, so set 1 no longer measures unseen data"
        " for those rules. Set 2 was sampled and labelled before misfat ran on it; it shares"
        " the five sources with set 1, so it checks generalisation to other articles of the"
        " same sites, not to unseen sites. Before those changes misfat scored F1 0.08 (rules)"
        " and 0.91 (with the model, content recall 0.993) on set 2.",
        "",
        f"### Set 1: 40 articles ({n(own, 'content')} content and"
        f" {n(own, 'boilerplate')} boilerplate lines)",
        "",
        table(own_scores),
        "",
        f"### Set 2 (held out): 30 articles ({n(own2, 'content')} content and"
        f" {n(own2, 'boilerplate')} boilerplate lines)",
        "",
        table(own2_scores),
        "",
        "misfat errors on set 2 with the defaults (no model):",
        "",
        *errors(own2_scores, "**misfat (defaults)**"),
        "",
    ]
    if model is not None:
        parts += [
            "misfat errors with the corpus model, set 1:",
            "",
            *errors(own_scores, model_name),
            "",
            "misfat errors with the corpus model, set 2:",
            "",
            *errors(own2_scores, model_name),
            "",
        ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print(table(seed_scores))
    print()
    print(table(own_scores))
    print()
    print(table(own2_scores))
    print(f"\nwrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
