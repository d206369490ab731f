"""The ``misfat`` command.

``misfat demo`` runs the main job (strip furniture, normalize, cluster near-duplicates) on
bundled sample pages and prints a summary; ``misfat clean INPUT -o OUTPUT`` runs it on a
JSONL, CSV or Parquet file of any size.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any


def sample_pages() -> list[dict[str, Any]]:
    """The bundled sample pages (ANT Corpus articles), one dict per page.

    Keys: id, site, url, title, text. The last six carry site furniture; two stories were
    published by both alarabiya.net and skynewsarabia.com (see ``data/NOTICE.md``).
    """
    text = resources.files("misfat").joinpath("data/sample_pages.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _short(s: str, width: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def demo_job(profile: str = "search") -> list[dict[str, Any]]:
    """The main job on the sample pages, with lists only (pandas not needed).

    The same steps as ``misfat.clean_corpus(df, site="site")``: a per-site
    ``BoilerplateModel`` fitted on the pages, ``strip_boilerplate``, ``normalize``, then
    ``misfat.dedup`` on the cleaned text. Each page dict gains ``clean``,
    ``removed_lines``, ``cluster`` and ``representative``.
    """
    from .corpus import StripOptions

    dedup: Any
    try:
        from .similarity import dedup
    except ImportError as e:
        if e.name == "numpy":
            raise ImportError(
                "near-duplicate detection needs numpy: pip install numpy (or 'misfat[numpy]')"
            ) from e
        dedup = None  # a build without near-duplicate detection
    except AttributeError:  # an extension built without it
        dedup = None

    pages = sample_pages()
    texts = [p["text"] for p in pages]
    sites = [p["site"] for p in pages]
    opts = StripOptions(profile=profile)
    model = opts.fit(texts, sites)
    cleaned, removed = opts.clean(texts, sites, model)
    if dedup is None:
        cluster = list(range(len(pages)))
    else:
        cluster = [int(c) for c in _cluster_ids(dedup(cleaned))]
    for i, page in enumerate(pages):
        page.update(
            clean=cleaned[i],
            removed_lines=removed[i],
            cluster=cluster[i],
            representative=cluster[i] == i,
        )
    return pages


def _cluster_ids(result: Any) -> Any:
    """The cluster id per row from ``misfat.dedup``'s result (ids, or ids and flags)."""
    if isinstance(result, tuple):
        return result[0]
    return getattr(result, "cluster", result)


def _demo(args: argparse.Namespace) -> int:
    pages = demo_job(args.profile)
    w = sys.stdout.write
    width = args.width
    n_sites = len({p["site"] for p in pages})
    w(f"misfat demo: the main job on {len(pages)} bundled pages from {n_sites} sites\n")
    w(
        "  strip furniture (with a per-site model learned from the pages) → normalize "
        f"(profile {args.profile!r}) → near-duplicate clusters\n"
    )
    for i, p in enumerate(pages):
        before = [x for x in p["text"].split("\n") if x.strip()]
        mark = "" if p["representative"] else f"   ← near-duplicate of [{p['cluster']}]"
        w(f"\n[{i}] {p['id']} ({p['site']}){mark}\n")
        w(
            f"    lines {len(before)} → {len(before) - p['removed_lines']} "
            f"({p['removed_lines']} furniture lines removed), "
            f"characters {len(p['text'])} → {len(p['clean'])}\n"
        )
        w(f"    before: {_short(before[0], width)}\n")
        w(f"    after:  {_short(p['clean'].split(chr(10))[0], width)}\n")
    groups: dict[int, list[int]] = {}
    for i, p in enumerate(pages):
        groups.setdefault(p["cluster"], []).append(i)
    dups = {c: m for c, m in groups.items() if len(m) > 1}
    w("\nnear-duplicate clusters (the same story on different sites):\n")
    for c, members in dups.items():
        who = ", ".join(f"[{i}] {pages[i]['site']}" for i in members)
        w(f"  cluster {c}: {who}: {_short(pages[c]['title'], width)}\n")
    if not dups:
        w("  (none)\n")
    removed = sum(p["removed_lines"] for p in pages)
    kept = sum(p["representative"] for p in pages)
    w(
        f"\n{len(pages)} pages: {removed} furniture lines removed; {len(dups)} near-duplicate "
        f"clusters; {kept} pages left after dropping duplicates\n"
        '  same job on your data: misfat.clean_corpus(df, site="site") in pandas, or\n'
        "  misfat clean pages.jsonl -o clean.parquet --site site\n"
    )
    return 0


def _clean(args: argparse.Namespace) -> int:
    from .corpus import clean_file

    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"misfat clean needs pandas and pyarrow ({e.name} is missing): "
            "pip install 'misfat[pandas]'"
        ) from e

    progress = None if args.progress is None else args.progress == "on"
    summary = clean_file(
        args.input,
        args.output,
        text=args.text,
        site=args.site,
        input_format=args.input_format or args.format,
        output_format=args.output_format or args.format,
        chunk_size=args.chunk_size,
        output_column=args.output_column,
        strip=not args.no_strip,
        profile=None if args.profile == "none" else args.profile,
        aggressiveness=args.aggressiveness,
        dedup=not args.no_dedup,
        threshold=args.threshold,
        match=args.match,
        n_threads=args.threads,
        progress=progress,
    )
    if not args.quiet:
        sys.stderr.write(
            f"misfat clean: {summary['rows']} rows → {args.output}: "
            f"{summary['removed_lines']} furniture lines removed, "
            f"{summary['duplicates']:,} copies in {summary['groups']:,} groups; "
            f"{summary['clusters']:,} rows kept as representatives\n"
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="misfat", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the main job on the bundled sample pages")
    demo.add_argument("--profile", default="search", help="normalization profile")
    demo.add_argument("--width", type=int, default=100, help="characters shown per line")
    demo.set_defaults(run=_demo)

    clean = sub.add_parser(
        "clean",
        help="strip, normalize and dedup a JSONL/CSV/Parquet corpus",
        description="Strips site furniture (learning each site's repeated lines from the "
        "corpus when --site is given), normalizes, and adds the columns clean, "
        "removed_lines, cluster and representative. Streams in chunks; the output appears "
        "only when complete.",
    )
    clean.add_argument("input", help="input file: .jsonl/.ndjson, .csv (optionally .gz), .parquet")
    clean.add_argument("-o", "--output", required=True, help="output file (format by extension)")
    clean.add_argument(
        "--format",
        choices=("jsonl", "csv", "parquet"),
        help="format of input and output when extensions do not say",
    )
    clean.add_argument("--input-format", choices=("jsonl", "csv", "parquet"))
    clean.add_argument("--output-format", choices=("jsonl", "csv", "parquet"))
    clean.add_argument("--text", default="text", help="text column (default: text)")
    clean.add_argument("--site", help="site/domain column: learn per-site furniture")
    clean.add_argument("--output-column", default="clean", help="cleaned text column")
    clean.add_argument("--profile", default="search", help="normalization profile or 'none'")
    clean.add_argument("--aggressiveness", default="normal", choices=("low", "normal", "high"))
    clean.add_argument(
        "--match",
        default="reprint",
        choices=("reprint", "jaccard"),
        help="what a near-duplicate is: the same report (default) or 2-gram Jaccard",
    )
    clean.add_argument("--threshold", type=float, help="near-duplicate similarity threshold")
    clean.add_argument("--no-strip", action="store_true", help="do not strip furniture")
    clean.add_argument("--no-dedup", action="store_true", help="do not cluster near-duplicates")
    clean.add_argument("--chunk-size", type=int, default=10_000, help="rows per chunk")
    clean.add_argument("--threads", type=int, default=1, help="threads per call (-1: all)")
    clean.add_argument(
        "--progress",
        choices=("on", "off"),
        help="progress bars (default: when interactive)",
    )
    clean.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    clean.set_defaults(run=_clean)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except (ValueError, TypeError, ImportError, OSError) as e:
        # CorpusError is a ValueError: one line naming the file, line or column.
        sys.stderr.write(f"misfat {args.command}: error: {e}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"misfat {args.command}: interrupted; no output written\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
