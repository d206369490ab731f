"""Line-level evaluation of boilerplate stripping on the real hand-labelled sets.

Two sets, each reported per split (``dev``, ``test``) and in total:

- ``bench/real/boilerplate/pages.jsonl``: 88 whole pages of 84 sites (page text as a
  crawler extracted it, or HTML flattened one block per line); batch 3 (28 pages) is all
  test, so it shows on its own row ("test, batch 3 only");
- ``bench/real/article_texts/pages.jsonl``: 41 article texts of 9 outlets, with the
  furniture that extraction left inside them.

Both were labelled line by line by reading, before any boilerplate tool ran on them
(``content`` / ``boilerplate`` / ``ambiguous``; ambiguous lines are not scored). Each
page's lines are joined with ``\\n`` and every method says which lines it removes.

Content recall (the share of article lines kept) comes first: losing the article is the
one thing a stripper must not do. Then precision, recall and F1 with boilerplate removed
as the positive class, and the number of pages that lost at least one content line / at
least half of their content lines.

Peers see the same lines: keep-everything; a C4-style line filter (keep lines of at
least 5 words ending in terminal punctuation, Arabic ``؟`` and closing quotes included);
jusText and trafilatura, which take HTML, so each line is given to them as one ``<p>``
paragraph of a minimal page (a handicap: they cannot see the page's real markup).

misfat runs with its defaults and no model, then with a ``BoilerplateModel`` fitted on
the set's own pages, with the site, for the sites that have at least two pages in the set
(pages of other sites are stripped without a model): once with the default thresholds,
once with the lowest allowed (``min_df=2, prose_min_df=2``, a stress test of what the
model may remove).

Rules are developed against the dev split only. The test split is reported and never
read for errors: this script lists misfat's errors for dev pages only.

    python bench/eval_boilerplate_real.py     # writes bench/results/boilerplate_real.md
    python bench/eval_boilerplate_real.py --dev-only   # while developing rules

``--dev-only`` scores the dev pages only, skips the slow peers (jusText, trafilatura),
prints to stdout and writes no results file: test figures stay unseen until the rules are
final.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import misfat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import RESULTS  # bench/results, or a --quick run's folder
from eval_boilerplate import c4_filter, justext_method, trafilatura_method

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ("Whole pages", ROOT / "bench" / "real" / "boilerplate" / "pages.jsonl"),
    ("Article texts", ROOT / "bench" / "real" / "article_texts" / "pages.jsonl"),
]
OUT = RESULTS / "boilerplate_real.md"
SPLITS = ("dev", "test")

# A method: (page text, site) -> removed line numbers.
Method = Callable[[str, str], set[int]]


class Page:
    def __init__(self, row: dict) -> None:
        self.doc: str = row["doc"]
        self.site: str = row["site"]
        self.split: str = row["split"]
        self.batch: int = row.get("batch", 1)
        self.lines: list[str] = [t for t, _ in row["lines"]]
        self.labels: list[str] = [lab for _, lab in row["lines"]]
        self.text = "\n".join(self.lines)


def load(path: Path) -> list[Page]:
    return [Page(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def keep_everything(text: str, site: str) -> set[int]:
    return set()


def misfat_method(
    model: misfat.BoilerplateModel | None = None,
    model_sites: frozenset[str] = frozenset(),
    **options: object,
) -> Method:
    def run(text: str, site: str) -> set[int]:
        use = model if site in model_sites else None
        rows = misfat.classify_lines(
            text,
            model=use,
            site=site if use is not None else None,
            **options,  # type: ignore[arg-type]
        )
        return {r.line for r in rows if not r.kept and r.reason != "blank"}

    return run


def fit_model(pages: list[Page], **thresholds: int) -> tuple[misfat.BoilerplateModel, frozenset]:
    n = Counter(p.site for p in pages)
    own = [p for p in pages if n[p.site] >= 2]
    sites = frozenset(p.site for p in own)
    if not own:
        return None, sites  # type: ignore[return-value]
    model = misfat.BoilerplateModel.fit(
        [p.text for p in own], sites=[p.site for p in own], **thresholds
    )
    return model, sites


def score(pages: list[Page], method: Method) -> dict:
    tp = fp = fn = tn = 0
    lost_pages = halved_pages = 0
    errors: list[str] = []
    for p in pages:
        removed = method(p.text, p.site)
        lost = content = 0
        for i, (line, label) in enumerate(zip(p.lines, p.labels, strict=True)):
            if label not in ("content", "boilerplate"):
                continue
            gone = i in removed
            if label == "content":
                content += 1
                if gone:
                    fp += 1
                    lost += 1
                    errors.append(f"lost content   {p.doc} line {i}: {line[:80]}")
                else:
                    tn += 1
            elif gone:
                tp += 1
            else:
                fn += 1
                errors.append(f"kept furniture {p.doc} line {i}: {line[:80]}")
        lost_pages += lost > 0
        halved_pages += content > 0 and lost * 2 >= content
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    return {
        "content_recall": tn / (tn + fp) if tn + fp else 1.0,
        "precision": prec,
        "recall": rec,
        "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0,
        "lost_pages": lost_pages,
        "halved_pages": halved_pages,
        "errors": errors,
    }


def table(rows: list[tuple[str, dict]], n_pages: int) -> str:
    out = [
        "| method | content recall | precision | recall | F1 | pages losing content "
        "(any / ≥ half) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in rows:
        out.append(
            f"| {name} | **{s['content_recall']:.3f}** | {s['precision']:.3f} "
            f"| {s['recall']:.3f} | {s['f1']:.3f} "
            f"| {s['lost_pages']} / {s['halved_pages']} of {n_pages} |"
        )
    return "\n".join(out)


def counts(pages: list[Page]) -> str:
    c = Counter(lab for p in pages for lab in p.labels)
    return (
        f"{len(pages)} pages, {len({p.site for p in pages})} sites, {c['content']} content"
        f" and {c['boilerplate']} boilerplate lines ({c['ambiguous']} ambiguous, not scored)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--dev-only",
        action="store_true",
        help="score dev pages only, skip slow peers, print only (no results file)",
    )
    dev_only = ap.parse_args().dev_only
    parts = [
        "# Boilerplate stripping on real hand-labelled pages",
        "",
        f"Generated by `bench/eval_boilerplate_real.py` (misfat {misfat.__version__}). Line"
        " level; positive class = a boilerplate line removed; ambiguous lines not scored."
        " **Content recall** (share of article lines kept) first. The last column counts the"
        " pages that lost at least one content line, and at least half of them.",
        "",
        "Peers see the same lines: the C4-style filter keeps lines of 5+ words ending in"
        " terminal punctuation (Arabic `؟` and closing quotes included); jusText (Arabic"
        " stoplist) and trafilatura get each line as one `<p>` of a minimal HTML page (they"
        " are made for real markup, so this handicaps them). Model rows fit a"
        " `BoilerplateModel` on the set's own pages (with the site) of the sites that have"
        " 2+ pages in the set; other pages are stripped without a model.",
        "",
        "Rules were developed on the dev split only; the test split is reported, its errors"
        " are not listed.",
    ]
    for set_name, path in SETS:
        pages = load(path)
        model, model_sites = fit_model(pages)
        model2, _ = fit_model(pages, min_df=2, prose_min_df=2)
        methods: list[tuple[str, Method]] = [
            ("keep everything", keep_everything),
            ("C4-style line filter", c4_filter),
            ("jusText (lines as `<p>`)", justext_method),
            ("trafilatura (lines as `<p>`)", trafilatura_method),
            ("**misfat (defaults, no model)**", misfat_method()),
        ]
        if dev_only:
            methods = [m for m in methods if not m[0].startswith(("jusText", "trafilatura"))]
        if model is not None:
            methods.append(
                (
                    f"misfat + model (defaults; {len(model_sites)} sites with 2+ pages)",
                    misfat_method(model, model_sites),
                )
            )
            methods.append(
                ("misfat + model (min_df=2, prose_min_df=2)", misfat_method(model2, model_sites))
            )
        parts += ["", f"## {set_name} (`{path.relative_to(ROOT)}`)", ""]
        # A set labelled in batches also reports each later batch's test pages on their
        # own: they were labelled after the rules were last changed, so they are unseen.
        splits: list[tuple[str, list[Page]]] = [
            (split, [p for p in pages if p.split == split]) for split in SPLITS
        ]
        for batch in sorted({p.batch for p in pages} - {1}):
            sel = [p for p in pages if p.split == "test" and p.batch == batch]
            splits.append((f"test, batch {batch} only", sel))
        splits.append(("all", pages))
        if dev_only:
            splits = [(name, sel) for name, sel in splits if name == "dev"]
        for split, sel in splits:
            scores = [(name, score(sel, m)) for name, m in methods]
            parts += [f"### {split}: {counts(sel)}", "", table(scores, len(sel)), ""]
            if split == "dev":
                errs = dict(scores)["**misfat (defaults, no model)**"]["errors"]
                parts += ["misfat errors on dev (defaults, no model):", ""]
                parts += [f"- {e}" for e in errs] or ["- none"]
                parts.append("")
    text = "\n".join(parts).rstrip() + "\n"
    if dev_only:
        print(text)
        return
    OUT.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
