"""Benchmark: misfat's "search" normalization against its peers, side by side in one process.

Not a test: it asserts nothing about time. It times every implementation on real text
from the ANT corpus (whole articles, and titles as short rows), as a list and as a
pandas 3 ``str`` Series (Arrow ``large_string``), reports medians over repeated runs,
MB/s of UTF-8 input, ratios, and how far each output agrees with misfat's, then writes
the Markdown table to ``bench/results/normalize.md``.

    pip install -r bench/requirements.txt            # peers (see that file for camel-tools)
    python bench/bench_normalize.py                  # ~3 min on 2 cores
    python bench/bench_normalize.py --articles 0     # every article (slower)

Peers are pinned to one thread (RAYON_NUM_THREADS=1, set before they are imported):
single-threaded speed is what is compared; misfat's n_threads=2 is a row of its own.
"""

from __future__ import annotations

import os

os.environ.setdefault("RAYON_NUM_THREADS", "1")  # before any rayon-using peer loads

import argparse
import gc
import gzip
import json
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
from _common import RESULTS  # bench/results, or a --quick run's folder

import misfat

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("MISFAT_SHARED", REPO.parent / "shared"))
DEFAULT_CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"

ListFn = Callable[[list[str]], list[str]]


# -- the strong pure-Python baseline (PEERS.md) -----------------------------------------
# One compiled re.sub for every deletion, then a chain of str.replace for the folds. Rule
# set of PEERS.md's "search normalization": harakat, tanwin, shadda, sukun, U+0670,
# Quranic marks and tatweel deleted; أ إ آ ٱ -> ا, ى -> ي, ة -> ه; Eastern digits -> ASCII.
_DELETE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FOLDS = [("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه")] + [
    (chr(base + i), str(i)) for base in (0x0660, 0x06F0) for i in range(10)
]


def strong_baseline(text: str) -> str:
    text = _DELETE.sub("", text)
    for old, new in _FOLDS:
        text = text.replace(old, new)
    return text


# The same technique stretched to (almost) all of misfat's "search" rules: invisible
# characters and Extended-A marks deleted too, Persian letters, quotes and Unicode spaces
# folded, spaces collapsed and lines trimmed, Latin lower-cased, letter runs squeezed.
# Not done: presentation forms, composing U+0653-0655, ZWJ between emoji (all contextual
# or needing NFKC). It shows what "doing the whole job" costs in pure Python.
_DELETE_FULL = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff\u0640"
    "\u00ad\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_FOLDS_FULL = [
    *_FOLDS,
    ("ٲ", "ا"),
    ("ٳ", "ا"),
    ("ک", "ك"),
    ("ی", "ي"),
    ("ے", "ي"),
    ("ۀ", "ه"),
    ("ہ", "ه"),
    ("ۂ", "ه"),
    ("ھ", "ه"),
    ("ۓ", "ئ"),
    *[(q, '"') for q in "«»“”„‟"],
    ("\r\n", "\n"),
    ("\r", "\n"),
    *[(c, "\n") for c in "\u0085\u2028\u2029"],
    *[(c, " ") for c in "\t\u000b\u000c\u00a0\u1680\u202f\u205f\u3000"],
    *[(chr(c), " ") for c in range(0x2000, 0x200B)],
]
_SPACES = re.compile(" {2,}")
_TRIM = re.compile("^ | $", re.MULTILINE)
_LOWER = {c: chr(c).lower() for c in range(0x250) if chr(c).isupper()}
_SQUEEZE = re.compile(r"([\u0620-\u063f\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5])\1\1+")


def strong_baseline_full(text: str) -> str:
    text = _DELETE_FULL.sub("", text)
    for old, new in _FOLDS_FULL:
        text = text.replace(old, new)
    text = _TRIM.sub("", _SPACES.sub(" ", text))
    return _SQUEEZE.sub(r"\1", text.translate(_LOWER))


# -- the implementations --------------------------------------------------------------------
@dataclass
class Impl:
    name: str
    kind: str  # "misfat", "peer" or "baseline"
    run_list: ListFn
    run_series: Callable[[pd.Series], pd.Series] | None = None
    threads: int = 1
    note: str = ""
    times: dict[str, dict[str, list[float]]] = field(default_factory=dict)


def per_item(f: Callable[[str], str]) -> ListFn:
    return lambda texts: [f(t) for t in texts]


def via_list(run_list: ListFn) -> Callable[[pd.Series], pd.Series]:
    """A Series in, a Series out, for libraries that only take lists (what a user writes)."""
    return lambda s: pd.Series(run_list(s.tolist()), index=s.index, name=s.name, dtype="str")


PEERS_MD_OPTIONS = dict.fromkeys(
    [
        "harakat",
        "tanwin",
        "shadda",
        "sukun",
        "dagger_alef",
        "quranic",
        "tatweel",
        "alef",
        "alef_wasla",
        "yeh",
        "teh",
        "digits",
    ],
    True,
)


def implementations() -> list[Impl]:
    search = misfat.Normalizer("search")
    narrow = misfat.Normalizer("none", **PEERS_MD_OPTIONS)
    impls = [
        Impl(
            "misfat `search`",
            "misfat",
            lambda t: search.normalize(t),
            lambda s: search.normalize(s),
            note="every rule of the profile",
        ),
        Impl(
            "misfat `search`, n_threads=2",
            "misfat",
            lambda t: search.normalize(t, n_threads=2),
            lambda s: search.normalize(s, n_threads=2),
            threads=2,
        ),
        Impl(
            "misfat, PEERS.md rule set only",
            "misfat",
            lambda t: narrow.normalize(t),
            lambda s: narrow.normalize(s),
            note="profile none + the baseline's rules",
        ),
    ]
    try:
        import arabic_norm

        kw = dict(
            strip_tashkeel=True,
            strip_tatweel=True,
            normalize_alif=True,
            normalize_ya=True,
            ta_marbuta=True,
        )
        impls.append(
            Impl(
                "arabic-norm `normalize_batch`",
                "peer",
                lambda t: arabic_norm.normalize_batch(t, **kw),
                note="no digits, Persian, invisibles, spaces, forms, squeeze; "
                "deletes U+0653-0655 instead of composing",
            )
        )
    except ImportError:
        print("arabic-norm not installed: skipped", file=sys.stderr)
    try:
        import arabic_normalize

        an = arabic_normalize.Normalizer(
            diacritics=True,
            tatweel=True,
            alef=True,
            alef_maqsura=True,
            ta_marbuta=True,
            hamza=False,
            persian=True,
            bidi_marks=True,
            digits="western",
        )
        impls.append(
            Impl(
                "arabic-normalize `Normalizer.normalize_many`",
                "peer",
                an.normalize_many,
                note="no spaces, quotes, forms, lower-casing, squeeze; keeps soft hyphen",
            )
        )
    except ImportError:
        print("arabic-normalize not installed: skipped", file=sys.stderr)
    try:
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import (
            normalize_alef_ar,
            normalize_alef_maksura_ar,
            normalize_teh_marbuta_ar,
        )

        def camel(text: str) -> str:
            text = normalize_alef_ar(dediac_ar(text))
            return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(text))

        impls.append(
            Impl(
                "camel-tools function chain",
                "peer",
                per_item(camel),
                note="dediac_ar + alef/maksura/teh: keeps tatweel, Quranic marks, digits",
            )
        )
    except ImportError:
        print("camel-tools not installed: skipped", file=sys.stderr)
    try:
        from pyarabic import araby

        def pyarabic_chain(text: str) -> str:
            text = araby.strip_tatweel(araby.strip_diacritics(text))
            return araby.normalize_teh(araby.normalize_alef(text))

        impls.append(
            Impl(
                "pyarabic function chain",
                "peer",
                per_item(pyarabic_chain),
                note="strip_diacritics/tatweel, normalize_alef/teh: folds ى to ا (wrong), "
                "no digits",
            )
        )
    except ImportError:
        print("pyarabic not installed: skipped", file=sys.stderr)
    impls += [
        Impl(
            "**strong baseline** (re.sub + str.replace, PEERS.md rules)",
            "baseline",
            per_item(strong_baseline),
            note="the reference point of PEERS.md",
        ),
        Impl(
            "strong baseline stretched to ~all search rules",
            "baseline",
            per_item(strong_baseline_full),
            note="no forms, composition or ZWJ rule",
        ),
    ]
    for impl in impls:
        if impl.run_series is None:
            impl.run_series = via_list(impl.run_list)
    return impls


# -- timing ---------------------------------------------------------------------------
def timed(f: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    out = f()
    elapsed = time.perf_counter() - start
    del out
    return elapsed


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def fresh(texts: list[str]) -> list[str]:
    """New str objects with the same text, made before each timed run.

    CPython caches a str's UTF-8 form inside the object the first time an extension asks
    for it (PyUnicode_AsUTF8AndSize). Timing the same list again would then skip the
    encoding that real, once-only inputs pay, flattering whoever uses that cache.
    """
    return [(t + ".")[:-1] for t in texts]


# -- agreement ----------------------------------------------------------------------
def agreement(outs: list[str], ours: list[str], search: misfat.Normalizer) -> tuple[float, float]:
    """(share identical to misfat's output, share identical once misfat has finished it).

    The second number runs misfat's "search" over the peer's output: rules the peer
    lacks are then filled in, so what still differs is where the peer did something
    misfat does not do (a different fold, a deleted character misfat keeps...).
    """
    same = sum(a == b for a, b in zip(outs, ours, strict=True))
    finished = search.normalize(outs)
    compatible = sum(a == b for a, b in zip(finished, ours, strict=True))
    return same / len(ours), compatible / len(ours)


# -- main ----------------------------------------------------------------------------
def load(path: Path, articles: int) -> tuple[list[str], list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    texts = [r["text"] for r in rows if isinstance(r.get("text"), str)]
    titles = [r["title"] for r in rows if isinstance(r.get("title"), str)]
    if articles:
        texts = texts[:: max(1, len(texts) // articles)][:articles]
    return texts, titles


def fmt_ratio(x: float) -> str:
    return f"{x:.1f}×" if x >= 1.95 else f"{x:.2f}×"


def run(args: argparse.Namespace) -> str:
    texts, titles = load(args.corpus, args.articles)
    workloads = {
        "articles": texts,
        "titles": titles,
    }
    impls = implementations()
    search = misfat.Normalizer("search")
    lines: list[str] = []
    summary: dict[str, dict[str, float]] = {}
    for wname, data in workloads.items():
        series = pd.Series(data, dtype="str", name=wname)
        assert pa.types.is_large_string(pa.chunked_array(series).type)
        mb = sum(len(t.encode("utf-8")) for t in data) / 1e6
        lengths = sorted(map(len, data))
        repeats = args.repeats
        print(
            f"\n{wname}: {len(data)} rows, {mb:.1f} MB UTF-8, median "
            f"{lengths[len(lengths) // 2]} chars; {repeats} repeats",
            file=sys.stderr,
        )
        ours = search.normalize(data)
        results: dict[str, dict] = {}
        for impl in impls:
            outs = impl.run_list(data)  # warm-up, and the output checked for agreement
            same, compatible = agreement(outs, ours, search)
            del outs
            results[impl.name] = dict(list=[], series=[], same=same, compatible=compatible)
        # Round robin: every implementation once per round, so a burst of load from the
        # other users of the machine hits all of them alike; ratios are taken per round.
        for _ in range(repeats):
            for impl in impls:
                rows = fresh(data)
                t = timed(lambda impl=impl, rows=rows: impl.run_list(rows))
                results[impl.name]["list"].append(t)
                del rows
                t = timed(lambda impl=impl, s=series: impl.run_series(s))
                results[impl.name]["series"].append(t)
        for impl in impls:
            r = results[impl.name]
            print(
                f"  {impl.name:58s} list {median(r['list']):7.3f}s  Series "
                f"{median(r['series']):7.3f}s  same {r['same']:6.1%}  "
                f"compatible {r['compatible']:6.1%}",
                file=sys.stderr,
            )

        def ratio(slow: str, fast: str, mode: str = "series", results=results) -> float:
            """Median over rounds of time(slow) / time(fast)."""
            pairs = zip(results[slow][mode], results[fast][mode], strict=True)
            return median([a / b for a, b in pairs])

        base_name = "**strong baseline** (re.sub + str.replace, PEERS.md rules)"
        peer_names = [i.name for i in impls if i.kind == "peer"] or [base_name]
        fastest = min(peer_names, key=lambda n: median(results[n]["series"]))
        fastest_list = min(peer_names, key=lambda n: median(results[n]["list"]))
        lines += [
            f"### {wname.capitalize()}: {len(data):,} rows, {mb:.1f} MB, median "
            f"{lengths[len(lengths) // 2]} characters",
            "",
            "| implementation | threads | list → list | MB/s | Series → Series | MB/s "
            "| × strong baseline | × fastest peer | identical to misfat | identical once "
            "misfat finishes it | what it does differently |",
            "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        ]
        for impl in impls:
            r = results[impl.name]
            t_list, t_series = median(r["list"]), median(r["series"])
            lines.append(
                f"| {impl.name} | {impl.threads} | {t_list * 1e3:,.0f} ms | "
                f"{mb / t_list:,.0f} | {t_series * 1e3:,.0f} ms | {mb / t_series:,.0f} "
                f"| {fmt_ratio(ratio(base_name, impl.name))} "
                f"| {fmt_ratio(ratio(fastest, impl.name))} "
                f"| {r['same']:.1%} | {r['compatible']:.1%} | {impl.note} |"
            )
        lines += [
            "",
            f"Fastest peer on this workload: {fastest} (Series), {fastest_list} (list). "
            "Ratios use the Series column (peers: `tolist()`, their batch call, a new `str` "
            "Series with the same index). Lists are new `str` objects for every run (see "
            "below).",
            "",
        ]
        m1, m2 = "misfat `search`", "misfat `search`, n_threads=2"
        summary[wname] = dict(
            vs_peer=ratio(fastest, m1),
            vs_base=ratio(base_name, m1),
            vs_peer_list=ratio(fastest_list, m1, "list"),
            vs_base_list=ratio(base_name, m1, "list"),
            threads=ratio(m1, m2),
            threads_list=ratio(m1, m2, "list"),
        )
    lines += profile_misfat(texts, args.repeats)
    control = parallelism_control(args.repeats)
    a, t = summary["articles"], summary["titles"]

    def mark(x: float, goal: float) -> str:
        return f"{fmt_ratio(x)} ({'met' if x >= goal else 'missed'})"

    head = [
        "## Normalization: misfat against its peers",
        "",
        f"`python bench/bench_normalize.py{' ' + ' '.join(sys.argv[1:]) if sys.argv[1:] else ''}`"
        f" — {time.strftime('%Y-%m-%d')}, {platform.python_implementation()} "
        f"{platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__}, "
        f"misfat {misfat.__version__}, {os.cpu_count()} cores (shared, noisy: read the "
        f"ratios, not the absolute numbers). Medians of {args.repeats} rounds; in a round every "
        "implementation runs once, and each ratio is the median of its per-round ratios. "
        "MB = UTF-8 "
        "megabytes of input. Peers pinned to one thread.",
        "",
        "| target (from the issue) | goal | measured (Series) | measured (list) |",
        "|---|--:|--:|--:|",
        f"| articles, misfat vs fastest peer | ≥ 3× | {mark(a['vs_peer'], 3)} | "
        f"{fmt_ratio(a['vs_peer_list'])} |",
        f"| articles, misfat vs strong baseline | ≥ 5× | {mark(a['vs_base'], 5)} | "
        f"{fmt_ratio(a['vs_base_list'])} |",
        f"| titles (short rows), misfat vs strong baseline | ≥ 10× | {mark(t['vs_base'], 10)} | "
        f"{fmt_ratio(t['vs_base_list'])} |",
        f"| articles, n_threads=2 vs 1 | ≥ 1.7× | {mark(a['threads'], 1.7)} | "
        f"{fmt_ratio(a['threads_list'])} |",
        f"| control: sha256 in 2 threads vs 1 (what the machine allowed) | ~2× | "
        f"{fmt_ratio(control)} | |",
        "",
        "\"identical once misfat finishes it\": misfat's `search` run over the peer's output; "
        "what still differs is where the peer does something misfat does not (pyarabic's "
        "ى → ا, arabic-norm deleting a combining hamza misfat composes), not rules it merely "
        "lacks.",
        "",
    ]
    return "\n".join(head + lines) + "\n"


def parallelism_control(repeats: int) -> float:
    """How much two threads can gain on this machine right now: hashlib releases the GIL,
    so sha256 of two buffers in two threads should take half the time on two free cores."""
    import hashlib
    import threading

    data = b"x" * 50_000_000

    def one() -> None:
        hashlib.sha256(data).digest()

    def serial() -> None:
        one()
        one()

    def parallel() -> None:
        threads = [threading.Thread(target=one) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    s = median([timed(serial) for _ in range(repeats)])
    p = median([timed(parallel) for _ in range(repeats)])
    return s / p


def profile_misfat(texts: list[str], repeats: int) -> list[str]:
    """Where misfat's time goes: conversion in and out vs the normalization kernel."""
    series = pd.Series(texts, dtype="str")
    chunked = pa.chunked_array(series)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    none = misfat.Normalizer("none")
    search = misfat.Normalizer("search")
    cases: list[tuple[str, object]] = [
        ("Arrow ChunkedArray → ChunkedArray", chunked),
        ("pandas `str` Series → Series", series),
        ("list of fresh str → list", None),
        ("list of str whose UTF-8 form CPython has cached → list", texts),
    ]
    out = [
        "### Where misfat's time goes (articles, one thread)",
        "",
        "| input → output | profile `none` (conversion + copy) | profile `search` | kernel share |",
        "|---|--:|--:|--:|",
    ]
    for label, data in cases:
        t_none, t_search = [], []
        for _ in range(repeats):
            rows = fresh(texts) if data is None else data
            t_none.append(timed(lambda rows=rows: none.normalize(rows)))
            rows = fresh(texts) if data is None else data
            t_search.append(timed(lambda rows=rows: search.normalize(rows)))
        n, s = median(t_none), median(t_search)
        out.append(
            f"| {label} | {n * 1e3:,.0f} ms ({mb / n:,.0f} MB/s) | {s * 1e3:,.0f} ms "
            f"({mb / s:,.0f} MB/s) | {max(0.0, (s - n) / s):.0%} |"
        )
    out += [
        "",
        "Profile `none` runs the same scan with no rule switched on, so it is the cost of "
        "reading the input, the table lookups and building the output; `search` minus `none` "
        "is what the rules themselves cost. Lists are timed on fresh `str` objects: once "
        "CPython has cached a str's UTF-8 form (misfat asks for it, and the cache stays in "
        "the object, doubling the memory of Arabic text), later calls on the same objects "
        "skip the encoding.",
        "",
    ]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    p.add_argument("--articles", type=int, default=10_000, help="0 = every article")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--out", type=Path, default=RESULTS / "normalize.md")
    args = p.parse_args()
    table = run(args)
    print(table)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(table, encoding="utf-8")
    print(f"written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
