"""``misfat inspect``: what a ``misfat clean`` run removed and clustered, per site.

The output of ``misfat clean`` keeps each row's text, its cleaned text and the number of
removed lines, not the lines themselves: they are the lines of the text whose normalized
form is not among the cleaned lines (checked against ``removed_lines`` row by row).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ._shapes import is_missing
from .corpus import CLUSTER, REMOVED
from .errors import CorpusError, check_columns
from .normalize import normalize

_ALL = "(all rows)"


def _short(s: str, width: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _text(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def removed_lines(texts: list[Any], cleaned: list[Any], profile: str | None) -> list[Any]:
    """The lines of each text that are not in its cleaned text (as given in the text;
    ``None`` for a missing text): a line is kept when its normalized form is one of the
    cleaned lines, each cleaned line matching one text line."""
    lines = [
        [x.strip() for x in t.split("\n") if x.strip()] if isinstance(t, str) else [] for t in texts
    ]
    flat = [x for row in lines for x in row]
    normed = normalize(flat, profile=profile) if profile is not None and flat else flat
    out: list[Any] = []
    k = 0
    for t, row, c in zip(texts, lines, cleaned, strict=True):
        if not isinstance(t, str):
            out.append(None)
            k += len(row)
            continue
        left = Counter(x.strip() for x in c.split("\n") if x.strip()) if isinstance(c, str) else {}
        gone = []
        for line in row:
            key = normed[k]
            k += 1
            if left.get(key, 0) > 0:
                left[key] -= 1
            else:
                gone.append(line)
        out.append(gone)
    return out


def inspect_file(
    path: str,
    *,
    top: int = 10,
    site: str | None = None,
    text: str = "text",
    clean: str = "clean",
    title: str | None = None,
    profile: str | None = "search",
    fmt: str | None = None,
    sep: str | None = None,
    width: int = 80,
    chunk_size: int = 10_000,
) -> str:
    """The plain-text report of ``misfat inspect`` on a file written by ``misfat clean``."""
    import numpy as np

    from . import _io

    if not isinstance(top, int) or top < 1:
        raise ValueError(f"--top must be a positive number, got {top!r}")
    files = _io.expand(path)
    if len(files) != 1:
        raise CorpusError(f"inspect reads one file, {str(path)!r} names {len(files)}")
    src = _io.Inputs(files, fmt, sep)
    if profile is not None:
        normalize("", profile=profile)  # a bad profile fails before reading

    rows = 0
    per_site: dict[str, dict[str, Any]] = {}
    clusters: list[Any] = []
    site_codes: list[Any] = []
    names: dict[str, int] = {}
    has_cluster = False
    mismatched = 0
    src.check_columns([text, clean, REMOVED])
    for chunk in src.chunks(chunk_size):
        if rows == 0:
            cols = list(chunk.columns)
            if site is None:
                site = "site" if "site" in cols else None
            if title is None:
                title = "title" if "title" in cols else None
            check_columns(cols, [site, title], repr(str(files[0])))
            has_cluster = CLUSTER in cols
        n = len(chunk)
        sites = (
            ["(no site)" if is_missing(s) else str(s) for s in chunk[site].tolist()]
            if site is not None
            else [_ALL] * n
        )
        texts = [_text(v) for v in chunk[text].tolist()]
        cleaned = [_text(v) for v in chunk[clean].tolist()]
        counts = chunk[REMOVED].tolist()
        gone = removed_lines(texts, cleaned, profile)
        for s, g, c in zip(sites, gone, counts, strict=True):
            st = per_site.setdefault(s, {"rows": 0, "pages": 0, "lines": 0, "top": Counter()})
            st["rows"] += 1
            try:
                c = 0 if is_missing(c) else int(c)
            except (TypeError, ValueError):
                raise CorpusError(
                    f"{files[0]}: column {REMOVED!r} holds {c!r}, not a count; is this the "
                    "output of misfat clean?"
                ) from None
            st["lines"] += c
            st["pages"] += c > 0
            if g is not None:
                if len(g) != c:
                    mismatched += 1
                st["top"].update(g)
        if has_cluster:
            clusters.append(np.asarray(chunk[CLUSTER].astype("int64").to_numpy()))
            site_codes.append(np.array([names.setdefault(s, len(names)) for s in sites]))
        rows += n

    w: list[str] = []
    total_lines = sum(st["lines"] for st in per_site.values())
    head = f"misfat inspect: {files[0]}: {rows:,} rows"
    if site is not None:
        head += f" from {len(per_site):,} sites"
    head += f"; {total_lines:,} furniture lines removed"
    reps: dict[int, list[tuple[int, int]]] = {}  # site code -> (size, cluster) largest first
    if has_cluster and rows:
        cluster = np.concatenate(clusters)
        codes = np.concatenate(site_codes)
        ids, where, counts = np.unique(cluster, return_inverse=True, return_counts=True)
        members = counts[where]  # the size of each row's cluster
        size = dict(zip(ids.tolist(), counts.tolist(), strict=True))
        copies = int((cluster != np.arange(rows)).sum())
        groups = int((counts > 1).sum())
        head += f"; {copies:,} copies in {groups:,} groups"
        if groups == 0 and copies:
            head += " (copies were dropped: cluster sizes are not known)"
        for code in range(len(names)):
            mine = (codes == code) & (members > 1)
            found, here = np.unique(cluster[mine], return_counts=True)
            total = np.array([size[c] for c in found.tolist()], dtype=np.int64)
            order = np.lexsort((found, -total))[:top]
            reps[code] = [(int(found[i]), int(here[i])) for i in order]
        wanted = {c for v in reps.values() for c, _ in v}
        labels = _labels(src, chunk_size, wanted, title, clean, width)
    else:
        head += "; no cluster column (run clean without --no-dedup)"
    w.append(head)
    if mismatched:
        w.append(
            f"note: in {mismatched:,} rows the removed lines found differ in number from "
            f"{REMOVED} (a line normalized unlike in its page); if that is most rows, give "
            f"--profile as given to misfat clean (here {profile!r})"
        )
    for s in sorted(per_site, key=lambda k: (-per_site[k]["rows"], k)):
        st = per_site[s]
        w.append("")
        w.append(
            f"== {s}: {st['rows']:,} rows; {st['lines']:,} lines removed from {st['pages']:,} rows"
        )
        if st["top"]:
            w.append("   lines removed most often (times):")
            for line, count in sorted(st["top"].items(), key=lambda x: (-x[1], x[0]))[:top]:
                w.append(f"   {count:>7,}  {_short(line, width)}")
        if has_cluster:
            largest = reps.get(names.get(s, -1), [])
            if largest:
                w.append("   largest clusters (rows in all / from this site; representative):")
                for c, n_here in largest:
                    w.append(f"   {size[c]:>7,} / {n_here:<5,} row {c}: {labels.get(c, '')}")
            else:
                w.append("   no near-duplicates")
    return "\n".join(w) + "\n"


def _labels(
    src: Any, chunk_size: int, wanted: set[int], title: str | None, clean: str, width: int
) -> dict[int, str]:
    """The title (or first words of the cleaned text) of the rows numbered ``wanted``."""
    out: dict[int, str] = {}
    if not wanted:
        return out
    start = 0
    for chunk in src.chunks(chunk_size):
        end = start + len(chunk)
        for r in sorted(x for x in wanted if start <= x < end):
            row = chunk.iloc[r - start]
            label = _text(row[title]) if title is not None else None
            if not label:
                label = _text(row[clean]) or ""
            out[r] = _short(label, width)
        start = end
        if start > max(wanted):
            break
    return out
