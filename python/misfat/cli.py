"""The ``misfat`` command: ``demo``, ``clean`` and ``inspect`` (see ``misfat --help``)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

DESCRIPTION = """\
Refine scraped Arabic news text: strip site furniture (menus, share widgets,
bylines, lines a site repeats), normalize, and find near-duplicate stories.
"""

EXAMPLES = """\
examples:
  misfat demo
  misfat clean pages.jsonl -o clean.parquet --site site
  misfat clean crawl/ -o clean.jsonl --site domain --drop-duplicates
  misfat clean 'crawl/*.csv' --sep ';' -o clean.csv --text body
  zcat pages.jsonl.gz | misfat clean - -o - --site site > clean.jsonl
  misfat inspect clean.parquet --top 5

'misfat COMMAND --help' describes each command's options.
"""


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


_STDIO = "-"
_FORMATS = ("jsonl", "json", "csv", "parquet")


def _sep(value: str) -> str:
    """``--sep``: one character; ``\\t`` and ``tab`` mean a tab."""
    return "\t" if value in ("\\t", "tab", "TAB") else value


def _needs_pandas(command: str) -> None:
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as e:
        raise ImportError(
            f"misfat {command} needs pandas and pyarrow ({e.name} is missing): "
            "pip install 'misfat[pandas]'"
        ) from e


def _clean(args: argparse.Namespace) -> int:
    from .corpus import CorpusError, clean_file

    _needs_pandas("clean")
    if args.drop_duplicates and args.no_dedup:
        raise ValueError("--drop-duplicates needs near-duplicates: leave out --no-dedup")
    sep = None if args.sep is None else _sep(args.sep)
    in_fmt = args.input_format or args.format
    out_fmt = args.output_format or args.format
    stdin = _STDIO in args.input
    if stdin and len(args.input) > 1:
        raise ValueError("'-' (standard input) cannot be combined with other inputs")
    to_stdout = args.output == _STDIO
    progress = None if args.progress is None else args.progress == "on"
    with tempfile.TemporaryDirectory(prefix="misfat-") as tmp:
        # The job reads its input twice: standard input is kept in a temporary file.
        inputs: Any = args.input
        if stdin:
            inputs = Path(tmp) / f"stdin.{in_fmt or 'jsonl'}"
            try:
                _spool_stdin(inputs, args, sep)
            except ValueError as e:
                raise CorpusError(str(e).replace(str(inputs), "<stdin>")) from e
        output = Path(args.output)
        if to_stdout:
            out_fmt = out_fmt or "jsonl"
            output = Path(tmp) / f"stdout.{out_fmt}"
        job_output = output
        if args.drop_duplicates:  # the job's output is filtered into the final one
            from ._io import expand

            if not to_stdout and any(output.resolve() == f.resolve() for f in expand(inputs)):
                raise CorpusError(f"the output {args.output!r} is the input; choose another path")
            job_dir = tempfile.mkdtemp(prefix=f".{output.name}.misfat-", dir=output.parent)
            job_output = Path(job_dir) / output.name
        try:
            summary = clean_file(
                inputs,
                job_output,
                text=args.text,
                site=args.site,
                input_format=in_fmt,
                output_format=out_fmt,
                sep=sep,
                chunk_size=args.chunk_size,
                output_column=args.output_column,
                strip=not args.no_strip,
                profile=None if args.profile == "none" else args.profile,
                keep_titles=args.keep_titles,
                keep_captions=args.keep_captions,
                aggressiveness=args.aggressiveness,
                dedup=not args.no_dedup,
                threshold=args.threshold,
                match=args.match,
                n_threads=args.threads,
                progress=progress,
            )
            if args.drop_duplicates:
                summary["written"] = _drop_copies(job_output, output, out_fmt, sep, args.chunk_size)
        except (ValueError, OSError) as e:
            if stdin:  # name standard input, not the temporary file
                raise CorpusError(str(e).replace(str(inputs), "<stdin>")) from e
            raise
        finally:
            if job_output != output:
                shutil.rmtree(job_output.parent, ignore_errors=True)
        if to_stdout:
            sys.stdout.flush()
            with open(output, "rb") as f:
                out = getattr(sys.stdout, "buffer", None)
                if out is None:  # a text-only stream (tests capturing output)
                    sys.stdout.write(f.read().decode("utf-8"))
                else:
                    shutil.copyfileobj(f, out, 1 << 20)
                    out.flush()
    if not args.quiet:
        sys.stderr.write(_summary(summary, args) + "\n")
    return 0


def _spool_stdin(path: Path, args: argparse.Namespace, sep: str | None) -> None:
    """Copies standard input to ``path``; the options, and the columns on the first lines
    (JSONL, CSV), are checked before the rest is read, so a typo fails at once."""
    import itertools

    from . import _io
    from .corpus import StripOptions

    StripOptions(
        strip=not args.no_strip,
        keep_titles=args.keep_titles,
        keep_captions=args.keep_captions,
        aggressiveness=args.aggressiveness,
        profile=None if args.profile == "none" else args.profile,
    ).check()
    fmt = _io.detect_format(path)
    with open(path, "wb") as f:
        if fmt in ("jsonl", "csv"):
            # JSONL: whole records; CSV: the header only (a quoted field may span lines).
            rows = min(_io.PEEK, args.chunk_size) if fmt == "jsonl" else 1
            head = list(itertools.islice(sys.stdin.buffer, rows))
            f.writelines(head)
            f.flush()
            if head:
                _io.Inputs([path], fmt, sep).check_columns([args.text, args.site], rows)
        shutil.copyfileobj(sys.stdin.buffer, f, 1 << 20)


def _summary(summary: dict[str, Any], args: argparse.Namespace) -> str:
    where = "standard output" if args.output == _STDIO else args.output
    line = (
        f"misfat clean: {summary['rows']:,} rows → {where}: "
        f"{summary['removed_lines']:,} furniture lines removed"
    )
    if args.no_dedup:
        return line + "; near-duplicates not looked for"
    line += (
        f"; {summary['duplicates']:,} copies in {summary['groups']:,} groups; "
        f"{summary.get('written', summary['clusters']):,} rows kept"
    )
    if not args.drop_duplicates:
        line += " (copies marked; --drop-duplicates drops them)"
    return line


def _drop_copies(src: Path, dst: Path, fmt: str | None, sep: str | None, chunk_size: int) -> int:
    """Writes the rows of ``src`` (the job's output) that represent their cluster to
    ``dst`` through a temporary file renamed at the end; returns their number."""
    from . import _io
    from .corpus import REPRESENTATIVE

    fmt = _io.detect_format(dst, fmt)
    types = _io.parquet_types(src) if fmt == "parquet" else None
    part = src.with_name("kept.part")
    writer = _io.Writer(part, fmt, str(dst), types, _io.csv_sep(dst, sep))
    kept = 0
    try:
        for chunk in _io.read_chunks(src, fmt, chunk_size, _io.csv_sep(dst, sep)):
            rep = chunk[REPRESENTATIVE]
            keep = rep.astype(str).isin(["True", "true"]).to_numpy()
            writer.write(chunk[keep])
            kept += int(keep.sum())
    finally:
        writer.close()
    os.replace(part, dst)
    return kept


def main(argv: list[str] | None = None) -> int:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="misfat",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-V", "--version", action="version", version=f"misfat {__version__}")
    sub = parser.add_subparsers(title="commands", dest="command", required=True, metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="run the job on the bundled sample pages",
        description="Runs the main job (strip furniture, normalize, cluster near-duplicates) "
        "on the bundled sample pages and shows each page before and after.",
    )
    demo.add_argument("--profile", default="search", help="normalization profile (default: search)")
    demo.add_argument("--width", type=int, default=100, help="characters shown per line")
    demo.set_defaults(run=_demo)

    _clean_parser(sub)
    _inspect_parser(sub)

    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except BrokenPipeError:
        # The reader went away (misfat clean ... -o - | head): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except (ValueError, TypeError, ImportError, OSError) as e:
        # CorpusError is a ValueError: one line naming the file, line or column.
        sys.stderr.write(f"misfat {args.command}: error: {e}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"misfat {args.command}: interrupted; no output written\n")
        return 130


def _clean_parser(sub: Any) -> None:
    from .normalize import PROFILES

    clean = sub.add_parser(
        "clean",
        help="strip, normalize and cluster the near-duplicates of a corpus",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Strips site furniture (learning the lines each site repeats when --site is
given), normalizes, clusters near-duplicates, and writes every input column
plus: clean (the cleaned text), removed_lines (how many lines were removed),
cluster (the row number of the cluster's representative) and representative.

Formats come from the extensions: .jsonl/.ndjson (one JSON object per line),
.json (a JSON array of records, as pandas to_json(orient="records") writes),
.csv, .tsv, .parquet; .gz for the text formats. Several files, a folder or a
quoted glob pattern are read as one table, file after file (folders and
patterns in sorted order); the output has the union of their columns, a
column a file lacks is empty in its rows, and --text/--site must be columns
of every file. Options are checked before reading, columns on each file's
header (JSON: its first 1,000 records). The output appears only when complete
and ends with a summary on stderr.""",
        epilog="""\
examples:
  misfat clean pages.jsonl -o clean.parquet --site site
  misfat clean a.csv b.csv -o clean.tsv --text body --keep-captions
  cat pages.jsonl | misfat clean - -o - > clean.jsonl""",
    )
    clean.add_argument(
        "input",
        nargs="+",
        help="input files, folders or glob patterns; - reads JSONL from standard input",
    )
    clean.add_argument(
        "-o", "--output", required=True, help="output file (format by extension); - for stdout"
    )
    clean.add_argument(
        "--format",
        choices=_FORMATS,
        help="format of input and output when extensions do not say (stdin/stdout: jsonl)",
    )
    clean.add_argument("--input-format", choices=_FORMATS, help="format of the input")
    clean.add_argument("--output-format", choices=_FORMATS, help="format of the output")
    clean.add_argument(
        "--sep",
        help="CSV field separator of input and output, e.g. ';' or '\\t' (default: a tab "
        "for .tsv, else a comma)",
    )
    clean.add_argument("--text", default="text", help="text column (default: text)")
    clean.add_argument("--site", help="site/domain column: learn each site's furniture")
    clean.add_argument(
        "--output-column", default="clean", help="cleaned text column (default: clean)"
    )
    clean.add_argument(
        "--profile",
        default="search",
        help=f"normalization profile: {', '.join(PROFILES)} (default: search)",
    )
    clean.add_argument(
        "--aggressiveness",
        default="normal",
        choices=("low", "normal", "high"),
        help="low: only unambiguous furniture; high: also cut at 'read also' (default: normal)",
    )
    clean.add_argument(
        "--keep-titles",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep titles and subheadings (default: keep)",
    )
    clean.add_argument(
        "--keep-captions",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="keep photo captions and credit lines (default: remove)",
    )
    clean.add_argument(
        "--match",
        default="reprint",
        choices=("reprint", "jaccard"),
        help="what a near-duplicate is: the same report (default) or 2-gram Jaccard",
    )
    clean.add_argument("--threshold", type=float, help="near-duplicate similarity threshold")
    clean.add_argument(
        "--drop-duplicates",
        action="store_true",
        help="write only each cluster's representative (default: mark copies)",
    )
    clean.add_argument("--no-strip", action="store_true", help="do not strip furniture")
    clean.add_argument("--no-dedup", action="store_true", help="do not cluster near-duplicates")
    clean.add_argument(
        "--chunk-size", type=int, default=10_000, help="rows per chunk (default: 10000)"
    )
    clean.add_argument("--threads", type=int, default=1, help="threads per call (-1: all)")
    clean.add_argument(
        "--progress",
        choices=("on", "off"),
        help="progress bars on stderr (default: when interactive)",
    )
    clean.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    clean.set_defaults(run=_clean)


def _inspect_parser(sub: Any) -> None:
    inspect = sub.add_parser(
        "inspect",
        help="show what a clean run removed and clustered, per site",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="""\
Reads the output of 'misfat clean' and shows, per site, the lines removed most
often (with counts) and the largest near-duplicate clusters (their size and
the representative's title or first words), so you can check the job before
trusting it. The removed lines are found by comparing each row's text with its
clean text, normalized with --profile (use the profile given to clean).""",
    )
    inspect.add_argument("input", help="a file written by misfat clean")
    inspect.add_argument("--top", type=int, default=10, help="lines and clusters per site (10)")
    inspect.add_argument("--site", help="site column (default: site, when there is one)")
    inspect.add_argument("--text", default="text", help="text column (default: text)")
    inspect.add_argument("--clean", default="clean", help="cleaned text column (default: clean)")
    inspect.add_argument("--title", help="title column (default: title, when there is one)")
    inspect.add_argument("--profile", default="search", help="profile clean used (search)")
    inspect.add_argument(
        "--format", choices=_FORMATS, help="format when the extension does not say"
    )
    inspect.add_argument("--sep", help="CSV field separator (default: a tab for .tsv, else ,)")
    inspect.add_argument("--width", type=int, default=80, help="characters shown per line (80)")
    inspect.add_argument("--chunk-size", type=int, default=10_000, help=argparse.SUPPRESS)
    inspect.set_defaults(run=_inspect)


def _inspect(args: argparse.Namespace) -> int:
    from ._report import inspect_file

    _needs_pandas("inspect")
    sep = None if args.sep is None else _sep(args.sep)
    report = inspect_file(
        args.input,
        top=args.top,
        site=args.site,
        text=args.text,
        clean=args.clean,
        title=args.title,
        profile=None if args.profile == "none" else args.profile,
        fmt=args.format,
        sep=sep,
        width=args.width,
        chunk_size=args.chunk_size,
    )
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
