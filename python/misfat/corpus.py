"""The main job on a whole corpus: strip furniture, normalize, cluster near-duplicates.

``misfat.clean_corpus(df)`` does it on a pandas DataFrame in memory; ``misfat clean``
does the same on files of any size (see ``misfat.cli``); ``misfat.dask`` on a cluster.
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from . import _progress
from ._pipeline import (
    CLUSTER,
    REMOVED,
    REPRESENTATIVE,
    CleanOptions,
    StripOptions,
    arrow_strings,
    bind,
    check_text,
    clean_batch,
    column_values,
    merge_models,
    signature,
)
from ._shapes import is_missing
from .boilerplate import BoilerplateModel
from .errors import CorpusError, check_columns

if TYPE_CHECKING:
    import numpy as np

    from ._clusters import NearDup

__all__ = [
    "CLUSTER",
    "REMOVED",
    "REPRESENTATIVE",
    "BoilerplateModel",
    "CleanOptions",
    "CorpusError",
    "StripOptions",
    "check_columns",
    "clean_corpus",
    "clean_file",
    "cluster_texts",
    "merge_models",
]

_P = inspect.Parameter


@signature([_P("df", _P.POSITIONAL_OR_KEYWORD, annotation="Any")], positional=("text", "site"))
def clean_corpus(df: Any, *args: Any, **options: Any) -> Any:
    """Strips furniture, normalizes and clusters near-duplicates of a text column.

    Returns a copy of ``df`` (same index) with added columns:

    - ``output`` (default ``"clean"``): the page text without furniture, normalized with
      ``profile`` (``None``: not normalized); missing texts stay missing;
    - ``removed_lines``: how many lines stripping removed (nullable ``Int64``);
    - ``cluster``: the near-duplicate cluster of the row, as the position (0-based row
      number) of the cluster's representative (see ``misfat.dedup``); a row alone in its
      cluster has its own position;
    - ``representative``: ``True`` for the representative of each cluster (keep these
      rows to drop near-duplicates: ``out[out.representative]``).

    Columns of those names already in ``df`` are replaced. ``df`` may also be a pyarrow
    ``Table`` or ``RecordBatchReader`` (a ``Table`` comes back) or a polars ``DataFrame``
    (one comes back); their other columns keep their exact Arrow types.

    Furniture: when ``site`` names a column (the site or domain of each page), a
    ``BoilerplateModel`` is fitted on the corpus itself (``learn=True``) so the lines each
    site repeats on many stories are removed too; pass ``model=`` to use one fitted
    before. ``keep_titles``, ``keep_captions``, ``aggressiveness``, ``min_df`` and
    ``prose_min_df`` are those of ``strip_boilerplate`` and ``BoilerplateModel.fit``;
    ``strip=False`` skips stripping.

    Near-duplicates (``dedup=False`` skips them): ``match``, ``threshold``, ``num_perm``, ``unit``,
    ``ngram``, ``verify`` and ``seed`` are those of ``misfat.dedup`` (its defaults when
    ``None``); the cleaned text is compared.

    ``progress``: a tqdm bar per step (``None``: only when tqdm is installed and the
    session is interactive, a terminal or a Jupyter kernel; ``True`` requires tqdm).
    ``batch_size`` rows are processed per call; ``n_threads`` threads per call (-1: all
    cores).

    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["Share\\nأَهْلاً وسَهْلاً بكم في المدينة.", None]})
    >>> cols = ["clean", "removed_lines", "cluster", "representative"]
    >>> clean_corpus(df)[cols]  # doctest: +NORMALIZE_WHITESPACE
                            clean  removed_lines  cluster  representative
    0  اهلا وسهلا بكم في المدينه.              1        0            True
    1                         NaN           <NA>        1            True
    """
    import pandas as pd

    given = bind(clean_corpus, (df, *args), options)
    del given["df"]
    if not isinstance(df, pd.DataFrame):
        return _via_pandas(df, lambda pdf: clean_corpus(pdf, **given))
    opts = CleanOptions(**given)
    return _clean_frame(df, opts)


def _clean_frame(df: Any, opts: CleanOptions) -> Any:
    """The in-memory job on a pandas DataFrame (``clean_corpus``)."""
    import numpy as np
    import pandas as pd

    text, site, output, progress = opts.text, opts.site, opts.output, opts.progress
    check_columns(list(df.columns), [text, site], "the DataFrame")
    for column in (text, site, output, REMOVED, CLUSTER, REPRESENTATIVE):
        count = int((df.columns == column).sum()) if column is not None else 0
        if count > 1:
            raise CorpusError(
                f"column {column!r} appears {count} times in the DataFrame; rename or drop the "
                "duplicates (e.g. df.loc[:, ~df.columns.duplicated()])"
            )
    n = len(df)
    spans = [(s, min(s + opts.batch_size, n)) for s in range(0, n, opts.batch_size)]
    model = opts.model
    if opts.fits_model and site is not None:
        texts = arrow_strings(df[text])  # sliced without a copy
        if texts is None:
            texts = column_values(df[text])
            check_text(texts, text, "the DataFrame")
        sites = column_values(df[site])
        check_text(sites, site, "the DataFrame")
        learner = opts.strip_options.learner()
        with _progress.bar("learning furniture", n, progress) as bar:
            for s, e in spans:
                learner.add(texts[s:e], sites[s:e], opts.n_threads)
                bar.update(e - s)
        model = learner.model() if n else None  # None: an empty DataFrame

    batches = []
    with _progress.bar("stripping and normalizing", n, progress) as bar:
        for s, e in spans:
            batches.append(clean_batch(df.iloc[s:e], opts, model, first_row=s))
            bar.update(e - s)
    out = pd.concat(batches) if batches else clean_batch(df, opts, model)
    if opts.near_dup is not None:
        cleaned = arrow_strings(out[output])
        cluster = cluster_texts(
            column_values(out[output]) if cleaned is None else cleaned,
            opts.near_dup,
            n_threads=opts.n_threads,
            progress=progress,
        )
        out[CLUSTER] = cluster
        out[REPRESENTATIVE] = cluster == np.arange(n)
    return out


def _via_pandas(frame: Any, run: Any) -> Any:
    """``run`` on an Arrow table or polars DataFrame seen as pandas, given back as the
    input's kind; Arrow types map one to one (``pd.ArrowDtype``), so no column changes."""
    import pandas as pd

    kind = type(frame).__module__.split(".")[0]
    name = type(frame).__name__
    if kind == "pyarrow" and name in ("Table", "RecordBatchReader"):
        table = frame.read_all() if name == "RecordBatchReader" else frame
    elif kind == "polars" and name == "DataFrame":
        table = frame.to_arrow()
    else:
        raise TypeError(
            "df must be a pandas DataFrame, a polars DataFrame or a pyarrow Table or "
            f"RecordBatchReader, got {type(frame).__name__}"
        )
    out = run(table.to_pandas(types_mapper=pd.ArrowDtype))
    import pyarrow as pa

    result = pa.Table.from_pandas(out, preserve_index=False)
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(result)
    return result


def cluster_texts(
    texts: Any,
    nd: NearDup,
    *,
    n_threads: int = 1,
    progress: bool | None = None,
) -> np.ndarray:
    """The cluster (its representative's row) of every text (a list, or an Arrow string
    array read without a copy): the core's ``dedup`` in one call (candidates,
    verification and clustering without a round trip through Python)."""
    import numpy as np

    from .similarity import dedup

    with _progress.bar("near-duplicates", len(texts), progress) as bar:
        found = dedup(texts, n_threads=n_threads, **nd.dedup_kwargs())
        bar.update(len(texts))
    return np.asarray(found.cluster, dtype=np.int64)


@signature(
    [
        _P("input", _P.POSITIONAL_OR_KEYWORD, annotation="Any"),
        _P("output", _P.POSITIONAL_OR_KEYWORD, annotation="Any"),
    ],
    drop=("batch_size",),
    rename={"output": "output_column"},
    extra=[
        _P("input_format", _P.KEYWORD_ONLY, default=None, annotation="str | None"),
        _P("output_format", _P.KEYWORD_ONLY, default=None, annotation="str | None"),
        _P("sep", _P.KEYWORD_ONLY, default=None, annotation="str | None"),
        _P("chunk_size", _P.KEYWORD_ONLY, default=10_000, annotation="int"),
    ],
)
def clean_file(input: Any, output: Any, **options: Any) -> dict[str, Any]:
    """``clean_corpus`` on a file of any size, streamed in chunks of ``chunk_size`` rows.

    Reads JSONL (``.jsonl``, ``.ndjson``), JSON (``.json``: an array of records, as pandas
    ``to_json(orient="records")`` writes, or one record per line), CSV (``.csv``, ``.tsv``;
    ``sep`` sets the separator of CSV input and output, else a tab for ``.tsv`` and a comma)
    or Parquet, plain or gzipped (``.gz``, not Parquet; CSV columns are read as text, an
    empty CSV field as missing), and writes the
    same columns plus the added ones (see ``clean_corpus``; the
    result equals ``clean_corpus`` on the whole table). Rows may differ in keys: the
    output has the union of all rows' columns. Columns the job does not add come back as
    read: JSONL values unconverted (an integer stays an integer next to a missing value),
    CSV fields as text, Parquet integers and booleans as nullable types.

    ``input``: a file, a folder (its files with a known extension), a glob pattern, or a
    list of those: their rows are read as one table, file after file (folders and patterns
    in sorted order), with the union of their columns (a column a file lacks is missing
    in its rows); ``text`` and ``site`` must be columns of every file.

    Checked before any row is read: the options (``profile``, ``aggressiveness``,
    ``min_df``, dedup parameters); then that ``text`` and ``site`` are columns of every
    file (its header or schema; for JSON, keys of its first ``chunk_size`` records, at
    most 1,000).

    The input is read twice: pass 1 collects the columns and fits the per-site model chunk
    by chunk, merging each chunk's model into one running model; pass 2 strips,
    normalizes and computes MinHash band keys per chunk, spilling each cleaned chunk and
    its keys to a temporary directory ``.{output name}.misfat-spill-{pid}-*`` next to
    ``output``. It is removed at the end, on an error, on SIGTERM (the handler then
    terminates the process as SIGTERM would), and, after a SIGKILL, by the next run
    writing the same output. Then
    candidate pairs come from the band keys, are verified and joined into clusters, and
    the spilled chunks are written to a temporary file renamed to ``output`` at the very
    end, so a failed run never leaves a file that looks complete.

    Held in memory, for a given ``chunk_size`` whatever the size of the file: one chunk,
    the model (which grows with the distinct lines of each site, not with the rows), the
    band keys and candidate pairs of about one chunk at a time (they are spilled and
    gathered bucket by bucket, then chunk by chunk), the cleaned texts of about two
    chunks while pairs are verified (read back from the spill), and per row only its
    cluster and the pairs that pass verification (see ``misfat._stream``).

    Returns a summary: rows, rows_with_text, removed_lines, clusters (singletons included),
    duplicates (rows that are not their cluster's representative), groups (clusters of two
    or more rows).
    """
    import os
    import pickle
    import shutil
    import tempfile
    from pathlib import Path

    import numpy as np

    from . import _io
    from ._stream import StreamDedup

    given = bind(clean_file, (input, output), options)
    input_format, output_format = given.pop("input_format"), given.pop("output_format")
    sep, chunk_size = given.pop("sep"), given.pop("chunk_size")
    del given["input"], given["output"]
    output_column = given.pop("output_column")
    if not isinstance(output_column, str):
        raise TypeError(
            f"output_column must be a column name (str), got {type(output_column).__name__}"
        )
    src = _io.Inputs(_io.expand(input), input_format, sep)
    fin = src.formats[0] if len(set(src.formats)) == 1 else "mixed"
    fout = _io.detect_format(output, output_format)
    out_sep = _io.csv_sep(output, sep)
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive int, got {chunk_size!r}")
    out_path = Path(output)
    if any(out_path.resolve() == f.resolve() for f in src.files):
        raise CorpusError(f"the output {str(output)!r} is the input; choose another path")
    clean = CleanOptions(output=output_column, **given)
    text, site, model = clean.text, clean.site, clean.model
    n_threads, progress, nd = clean.n_threads, clean.progress, clean.near_dup
    opts = clean.strip_options
    _remove_stale_spills(out_path)
    try:
        tmpdir = Path(tempfile.mkdtemp(prefix=_spill_prefix(out_path), dir=out_path.parent or "."))
    except OSError as e:
        raise CorpusError(f"cannot write {str(output)!r}: {e.strerror or e}") from e
    restore = _remove_on_sigterm(tmpdir)
    try:
        # Pass 1: the columns (union over all chunks), the row count, the furniture model.
        columns: dict[Any, None] = {}
        types: dict[str, Any] = {}
        n = 0
        fit = clean.fits_model
        learner = opts.learner() if fit else None
        fitted = False
        with _progress.bar(
            "reading" + (" and learning furniture" if fit else ""), src.total_rows(), progress
        ) as bar:
            src.check_columns([text, site], min(chunk_size, _io.PEEK))
            for chunk in src.chunks(chunk_size):
                columns.update(dict.fromkeys(chunk.columns))
                if fout == "parquet" and fin != "parquet":
                    _io.unify_types(types, _io.arrow_types(chunk), str(output))
                if (
                    learner is not None
                    and site is not None
                    and text in chunk.columns
                    and site in chunk.columns
                ):
                    texts = column_values(chunk[text])
                    sites = column_values(chunk[site])
                    check_text(texts, text, src.name, n - src.start)
                    check_text(sites, site, src.name, n - src.start)
                    # One running model, each chunk counted straight into it.
                    learner.add(texts, sites, n_threads)
                    fitted = True
                n += len(chunk)
                bar.update(len(chunk))
        if learner is not None and fitted:
            model = learner.model()
            del learner
        cols = list(columns)
        # Pass 2: clean, band keys, spill.
        spills: list[Path] = []
        dedupe = StreamDedup(nd, tmpdir, n, chunk_size, n_threads) if nd is not None else None
        removed_total = present = done = 0
        with _progress.bar("stripping and normalizing", n, progress) as bar:
            for i, chunk in enumerate(src.chunks(chunk_size)):
                chunk = _all_columns(chunk, cols)
                chunk = clean_batch(chunk, clean, model, where=src.name, first_row=done - src.start)
                cleaned = column_values(chunk[output_column])
                removed = chunk[REMOVED].tolist()
                removed_total += sum(r for r in removed if not is_missing(r))
                present += sum(isinstance(t, str) for t in cleaned)
                if dedupe is not None:
                    dedupe.add(cleaned)
                path = tmpdir / f"chunk-{i:06d}.pkl"
                with open(path, "wb") as f:
                    pickle.dump(chunk, f, protocol=pickle.HIGHEST_PROTOCOL)
                spills.append(path)
                done += len(chunk)
                bar.update(len(chunk))
        # Clusters from band keys, verified on the spilled texts (see misfat._stream).
        cluster = np.arange(n, dtype=np.int64)
        if dedupe is not None and n:
            cluster = dedupe.clusters(progress)
        # Pass 3: write to a temporary file, rename at the end.
        part_path = tmpdir / ("output.part" + "".join(out_path.suffixes))
        if fout == "parquet" and fin == "parquet":
            types = {}  # Parquet to Parquet: the input's very types
            for file in src.files:
                _io.unify_types(types, _io.parquet_types(file), str(output))
        for added in (output_column, REMOVED, CLUSTER, REPRESENTATIVE):
            types.pop(added, None)
        writer = _io.Writer(part_path, fout, str(output), types, out_sep)
        start = 0
        try:
            with _progress.bar("writing", n, progress) as bar:
                for path in spills:
                    with open(path, "rb") as spilled:
                        chunk = pickle.load(spilled)
                    path.unlink()
                    if nd is not None:
                        c = cluster[start : start + len(chunk)]
                        chunk[CLUSTER] = c
                        chunk[REPRESENTATIVE] = c == np.arange(start, start + len(chunk))
                    start += len(chunk)
                    writer.write(chunk)
                    bar.update(len(chunk))
        finally:
            writer.close()
        try:
            os.replace(part_path, out_path)
        except OSError as e:
            raise CorpusError(f"cannot write {str(output)!r}: {e.strerror or e}") from e
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
        restore()
    clusters = int((cluster == np.arange(n)).sum()) if n else 0
    sizes = np.bincount(cluster, minlength=n) if n else np.zeros(0, dtype=np.int64)
    return {
        "rows": n,
        "rows_with_text": present,
        "removed_lines": removed_total,
        "clusters": clusters,
        "duplicates": n - clusters,
        "groups": int((sizes > 1).sum()),
    }


def _all_columns(chunk: Any, cols: list[Any]) -> Any:
    """The chunk with every column of the input, in input order; a column the chunk lacks
    is all missing (``None`` in an ``object`` column, which takes any type on output)."""
    import pandas as pd

    missing = [c for c in cols if c not in chunk.columns]
    if missing:
        extra = pd.DataFrame({c: [None] * len(chunk) for c in missing}, index=chunk.index)
        chunk = pd.concat([chunk, extra.astype(object)], axis=1)
    return chunk[cols]


#: Spill folders are named ``.{output name}.misfat-spill-{pid}-{random}``.
_SPILL = ".misfat-spill-"


def _spill_prefix(out_path: Any) -> str:
    import os

    return f".{out_path.name}{_SPILL}{os.getpid()}-"


def _remove_stale_spills(out_path: Any) -> None:
    """Removes the spill folders of earlier runs for the same output that were killed
    (SIGKILL, power loss): those whose process is gone."""
    import shutil

    parent = out_path.parent if str(out_path.parent) else None
    prefix = f".{out_path.name}{_SPILL}"
    try:
        entries = list((parent or out_path.cwd()).iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir():
            continue
        pid_text = entry.name[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit():
            continue
        if _process_alive(int(pid_text)):
            continue  # a run writing the same output right now (this process included)
        shutil.rmtree(entry, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _remove_on_sigterm(tmpdir: Any) -> Any:
    """Installs a SIGTERM handler that removes ``tmpdir`` and then terminates as SIGTERM
    would have (or calls the handler there was); returns the function restoring it. Only
    in the main thread (elsewhere signals cannot be handled; nothing is installed)."""
    import os
    import shutil
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return lambda: None
    previous = signal.getsignal(signal.SIGTERM)
    if previous is None:  # installed outside Python: treat as the default
        previous = signal.SIG_DFL

    def on_sigterm(signum: int, frame: Any) -> None:
        shutil.rmtree(tmpdir, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            os.kill(os.getpid(), signal.SIGTERM)

    signal.signal(signal.SIGTERM, on_sigterm)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
