"""Chunked readers and writers of JSONL, JSON, CSV and Parquet tables for ``misfat clean``.

Readers yield pandas DataFrames of at most ``chunk_size`` rows; errors name the file and,
for JSON, the line. Writers append chunk after chunk to one file. ``Inputs`` reads
several files one after the other as one table.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import Any

from .errors import CorpusError, check_columns

FORMATS = ("jsonl", "json", "csv", "parquet")
_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}


def detect_format(path: str | os.PathLike[str], given: str | None = None) -> str:
    """The format named by ``given`` or by the file's extension (``.gz`` allowed)."""
    if given is not None:
        if given not in FORMATS:
            raise CorpusError(f"unknown format {given!r}; valid formats: {', '.join(FORMATS)}")
        return given
    p = Path(path)
    suffixes = [s.lower() for s in p.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = _SUFFIXES.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise CorpusError(
            f"cannot tell the format of {str(path)!r} from its extension; use --format "
            f"({', '.join(FORMATS)})"
        )
    return fmt


def _is_gzip(path: str | os.PathLike[str]) -> bool:
    return str(path).lower().endswith(".gz")


def _open_text(path: str | os.PathLike[str]) -> Any:
    # utf-8-sig: a byte order mark at the start is accepted (and not part of a column name).
    if _is_gzip(path):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _open_binary(path: str | os.PathLike[str]) -> Any:
    return gzip.open(path, "rb") if _is_gzip(path) else open(path, "rb")


def csv_sep(path: str | os.PathLike[str], given: str | None = None) -> str:
    """The CSV field separator: ``given``, else a tab for ``.tsv`` files and a comma."""
    if given is not None:
        if not isinstance(given, str) or len(given) != 1 or given in '\r\n"':
            raise CorpusError(
                f"sep must be one character other than a quote or line break, got {given!r}"
            )
        return given
    suffixes = [s.lower() for s in Path(path).suffixes]
    return "\t" if ".tsv" in suffixes else ","


def read_chunks(
    path: str | os.PathLike[str], fmt: str, chunk_size: int, sep: str | None = None
) -> Generator[Any, None, None]:
    """DataFrames of at most ``chunk_size`` rows, in file order.

    Values come back as they were: JSON values as Python objects in ``object`` columns (an
    integer stays an int even next to a missing value), CSV fields as text, Parquet integer
    and boolean columns as pandas' nullable types. ``sep``: the CSV separator (see
    ``csv_sep``).
    """
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(path, chunk_size)
        elif fmt == "json":
            yield from _read_json(path, chunk_size)
        elif fmt == "csv":
            yield from _read_csv(path, chunk_size, csv_sep(path, sep))
        else:
            yield from _read_parquet(path, chunk_size)
    except CorpusError:
        raise
    except UnicodeDecodeError as e:
        raise CorpusError(f"cannot read {str(path)!r}: not UTF-8 text ({e.reason})") from e
    except (OSError, EOFError) as e:
        reason = e.strerror or str(e) if isinstance(e, OSError) else str(e)
        raise CorpusError(f"cannot read {str(path)!r}: {reason}") from e
    except Exception as e:  # pandas/pyarrow parser errors
        kind = type(e).__name__
        raise CorpusError(f"cannot read {str(path)!r} as {fmt.upper()}: {kind}: {e}") from e


def _records(rows: list[dict[str, Any]]) -> Any:
    """Rows as a DataFrame of ``object`` columns: no value is converted (an int next to a
    missing value would become a float), keys first seen in any row become columns."""
    import pandas as pd

    return pd.DataFrame(rows, dtype=object)


def _read_jsonl(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    rows: list[dict[str, Any]] = []
    with _open_binary(path) as f:
        for lineno, raw in enumerate(f, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]  # a UTF-8 byte order mark
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise CorpusError(
                    f"{path}:{lineno}: not UTF-8 text ({e.reason} at byte {e.start + 1} of "
                    "the line)"
                ) from None
            if not line.strip():
                continue
            try:
                row = json.loads(line.rstrip("\r\n"))
            except json.JSONDecodeError as e:
                raise CorpusError(
                    f"{path}:{lineno}: malformed JSON line ({e.msg} at column {e.colno})"
                ) from None
            if not isinstance(row, dict):
                raise CorpusError(
                    f"{path}:{lineno}: expected a JSON object per line, got {type(row).__name__}"
                )
            rows.append(row)
            if len(rows) == chunk_size:
                yield _records(rows)
                rows = []
    if rows:
        yield _records(rows)


def _read_csv(path: str | os.PathLike[str], chunk_size: int, sep: str) -> Iterator[Any]:
    import pandas as pd

    with _open_text(path) as f:
        yield from pd.read_csv(
            f, chunksize=chunk_size, sep=sep, dtype=str, keep_default_na=False, na_values=[""]
        )


_BLOCK = 1 << 20


def _read_json(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    """A JSON array of records (pandas ``to_json(orient="records")``), streamed record by
    record; a ``.json`` file that starts with ``{`` is read as one record per line."""
    decoder = json.JSONDecoder()
    with _open_text(path) as f:
        buf = f.read(_BLOCK)
        pos = len(buf) - len(buf.lstrip())
        while pos == len(buf):  # only white space so far
            more = f.read(_BLOCK)
            if not more:
                return  # an empty file: no rows
            buf, pos = more, len(more) - len(more.lstrip())
        if buf[pos] == "{":
            lines = True
        elif buf[pos] == "[":
            lines = False
        else:
            raise CorpusError(
                f"{path}: expected a JSON array of records ([{{...}}, ...]) or one JSON object "
                f"per line, found {buf[pos]!r}"
            )
        if not lines:
            yield from _json_array(path, f, buf, pos + 1, decoder, chunk_size)
            return
    try:
        yield from _read_jsonl(path, chunk_size)
    except CorpusError as e:
        raise CorpusError(
            f"{e} (a .json file is read as a JSON array of records, as pandas "
            "to_json(orient='records') writes, or as one JSON object per line)"
        ) from None


def _json_array(
    path: str | os.PathLike[str], f: Any, buf: str, pos: int, decoder: Any, chunk_size: int
) -> Iterator[Any]:
    rows: list[dict[str, Any]] = []
    count = 0  # records read
    line = 1  # the line of buf[0]
    eof = False
    expect_value = True  # after "[" or ","
    first = True

    def where(at: int) -> str:
        return f"{path}:{line + buf.count(chr(10), 0, at)}"

    while True:
        # Skip white space; read more when the buffer runs out.
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf) or eof:
                break
            line += buf.count("\n", 0, pos)
            buf, pos = f.read(_BLOCK), 0
            eof = not buf
        if pos == len(buf):
            raise CorpusError(f"{where(pos)}: the JSON array is not closed (missing ']')")
        c = buf[pos]
        if c == "]" and (first or not expect_value):
            pos += 1
            break
        if not expect_value:
            if c != ",":
                raise CorpusError(f"{where(pos)}: expected ',' or ']' after record {count}")
            pos += 1
            expect_value = True
            continue
        if c != "{":
            raise CorpusError(
                f"{where(pos)}: expected a JSON object per record, found {c!r} (record {count + 1})"
            )
        while True:
            try:
                row, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as e:
                if eof:
                    raise CorpusError(f"{where(e.pos)}: malformed JSON ({e.msg})") from None
                # The record runs past the buffer: keep it and read at least as much again.
                line += buf.count("\n", 0, pos)
                more = f.read(max(_BLOCK, len(buf) - pos))
                eof = not more
                buf, pos = buf[pos:] + more, 0
        rows.append(row)
        count += 1
        pos = end
        first = expect_value = False
        if len(rows) == chunk_size:
            yield _records(rows)
            rows = []
    if buf[pos:].strip() or f.read(_BLOCK).strip():
        raise CorpusError(f"{where(pos)}: unexpected text after the JSON array")
    if rows:
        yield _records(rows)


def _nullable(t: Any) -> Any:
    """pandas' nullable dtype for Arrow integers and booleans (a missing value would turn
    them into floats), ``None`` (the default conversion) for the rest."""
    import pandas as pd
    import pyarrow as pa

    if pa.types.is_integer(t):
        return pd.api.types.pandas_dtype(str(t).replace("u", "U").replace("i", "I"))
    if pa.types.is_boolean(t):
        return pd.BooleanDtype()
    return None


def _read_parquet(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as pf:
        for batch in pf.iter_batches(batch_size=chunk_size):
            yield batch.to_pandas(types_mapper=_nullable)


def expand(inputs: Any) -> list[Path]:
    """The input files: a file; a folder (its files with a known extension, hidden ones
    skipped); a glob pattern; or a list of those. Folders and patterns expand in sorted
    order (by code point); a list keeps its order. A file named twice is an error."""
    import glob

    items = [inputs] if isinstance(inputs, (str, os.PathLike)) else list(inputs)
    if not items:
        raise CorpusError("no input files given")
    files: list[Path] = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise TypeError(f"input must be a path or a list of paths, got {type(item).__name__}")
        p = Path(item)
        if p.is_dir():
            found = sorted(
                (c for c in p.iterdir() if not c.name.startswith(".") and _known(c)),
                key=str,
            )
            if not found:
                raise CorpusError(
                    f"cannot read {str(item)!r}: a folder with no .jsonl, .json, .csv, .tsv or "
                    ".parquet files"
                )
            files += found
        elif not p.exists() and glob.has_magic(str(item)):
            found = sorted((Path(m) for m in glob.glob(str(item))), key=str)
            if not found:
                raise CorpusError(f"cannot read {str(item)!r}: no file matches the pattern")
            files += found
        else:
            files.append(p)
    seen: set[Path] = set()
    for f in files:
        if not f.is_file():
            reason = "no such file" if not f.exists() else "not a regular file"
            raise CorpusError(f"cannot read {str(f)!r}: {reason}")
        if not os.access(f, os.R_OK):
            raise CorpusError(f"cannot read {str(f)!r}: permission denied")
        key = f.resolve()
        if key in seen:
            raise CorpusError(f"{str(f)!r} is given twice as input")
        seen.add(key)
    return files


def _known(path: Path) -> bool:
    try:
        detect_format(path)
    except CorpusError:
        return False
    return path.is_file()


#: The records of a JSON file whose keys must include the required columns (at most).
PEEK = 1000
_JSON = ("jsonl", "json")


class Inputs:
    """Input files read one after the other as one table (chunks never span files).

    While iterating, ``name`` and ``start`` are the file of the last chunk and the row
    number of its first row in the whole input, so errors can name the file and row.
    """

    def __init__(self, files: list[Path], fmt: str | None, sep: str | None) -> None:
        self.files = files
        self.formats = [detect_format(f, fmt) for f in files]
        for f, fmt_f in zip(files, self.formats, strict=True):
            if fmt_f == "csv":
                csv_sep(f, sep)  # a bad separator fails before reading
        self.sep = sep
        self.name = str(files[0]) if files else ""
        self.start = 0

    def check_columns(self, required: Any, rows: int = PEEK) -> None:
        """The ``required`` columns are in every file: its header (CSV), its schema
        (Parquet) or the keys of its first ``rows`` records (JSON), so a mistyped --text or
        --site fails at once, not after a chunk or the whole file is read."""
        for f, fmt in zip(self.files, self.formats, strict=True):
            chunks = read_chunks(f, fmt, rows, self.sep)
            try:
                first = next(chunks, None)
            finally:
                chunks.close()
            if first is not None:
                where = repr(str(f)) + (f" (first {len(first)} rows)" if fmt in _JSON else "")
                check_columns(list(first.columns), required, where)

    def chunks(self, chunk_size: int) -> Iterator[Any]:
        """The chunks of every file, file after file."""
        n = 0
        for f, fmt in zip(self.files, self.formats, strict=True):
            self.name, self.start = str(f), n
            for chunk in read_chunks(f, fmt, chunk_size, self.sep):
                n += len(chunk)
                yield chunk

    def total_rows(self) -> int | None:
        """The number of rows when every file says it without being read (Parquet)."""
        if not all(fmt == "parquet" for fmt in self.formats):
            return None
        import pyarrow.parquet as pq

        try:
            return sum(pq.ParquetFile(f).metadata.num_rows for f in self.files)
        except Exception:  # unreadable: reading it says why
            return None


def arrow_types(df: Any) -> dict[str, Any]:
    """The Arrow type of each column of a chunk (what the Parquet writer would infer). An
    ``object`` column holding only ``str`` and ``None`` is ``string``, as Arrow infers,
    told from the values' types alone (Arrow's inference would convert the whole text)."""
    import pyarrow as pa

    known = {}
    for name, col in df.items():
        if col.dtype == object and str in (kinds := set(map(type, col.array))):
            if kinds <= {str, type(None)}:
                known[name] = pa.string()
    schema = pa.Schema.from_pandas(
        df[[c for c in df.columns if c not in known]], preserve_index=False
    )
    inferred = {f.name: f.type for f in schema}
    # Arrow names columns by str(name).
    return {str(c): known[c] if c in known else inferred[str(c)] for c in df.columns}


def parquet_types(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The Arrow type of each column of a Parquet file."""
    import pyarrow.parquet as pq

    return {f.name: f.type for f in pq.read_schema(path)}


def unify_types(types: dict[str, Any], more: dict[str, Any], where: str) -> None:
    """Merges the column types of one chunk into ``types`` (null takes the other type,
    integers and floats give floats); a column that holds text in one chunk and numbers in
    another is an error naming it."""
    import pyarrow as pa

    for name, t in more.items():
        old = types.get(name)
        if old is None or old == t or pa.types.is_null(t):
            types.setdefault(name, t)
            continue
        try:
            types[name] = (
                pa.unify_schemas(
                    [pa.schema([(name, old)]), pa.schema([(name, t)])], promote_options="permissive"
                )
                .field(name)
                .type
            )
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as e:
            raise CorpusError(
                f"cannot write {where!r} as Parquet: column {name!r} holds values of type "
                f"{old} in one chunk and {t} in another; use another output format"
            ) from e


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "tolist"):
        return o.tolist()
    if hasattr(o, "item"):
        return o.item()
    return str(o)


class Writer:
    """Appends DataFrames to one JSONL, JSON, CSV or Parquet file (gzip but for Parquet on
    ``.gz``). JSON is one array of records; ``sep`` is the CSV separator.

    ``types``: the Arrow type of each input column over the whole input (see
    ``unify_types``), so a Parquet file takes every chunk, whatever its first chunk held.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        fmt: str,
        final_name: str,
        types: dict[str, Any] | None = None,
        sep: str = ",",
    ) -> None:
        self.path = path
        self.fmt = fmt
        self.sep = sep
        self.final_name = final_name
        self._types = types or {}
        self._parquet: Any = None
        self._schema: Any = None
        self._header = True
        if fmt == "parquet":
            self._f: Any = None
        elif _is_gzip(final_name):
            self._f = io.TextIOWrapper(gzip.open(path, "wb"), encoding="utf-8", newline="")
        else:
            self._f = open(path, "w", encoding="utf-8", newline="")

    def write(self, df: Any) -> None:
        if self.fmt in ("jsonl", "json"):
            records = df.astype(object).where(df.notna(), None).to_dict(orient="records")
            for rec in records:
                if self.fmt == "json":
                    self._f.write("[\n" if self._header else ",\n")
                    self._header = False
                self._f.write(json.dumps(rec, ensure_ascii=False, default=_json_default))
                if self.fmt == "jsonl":
                    self._f.write("\n")
        elif self.fmt == "csv":
            df.to_csv(self._f, index=False, header=self._header, sep=self.sep)
            self._header = False
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            if self._parquet is None:
                inferred = pa.Schema.from_pandas(df, preserve_index=False)
                # A column with no value anywhere has Arrow type null; text is the
                # likeliest type.
                fields = []
                for f in inferred:
                    t = self._types.get(f.name, f.type)
                    fields.append(f.with_type(pa.string() if pa.types.is_null(t) else t))
                self._schema = pa.schema(fields, metadata=inferred.metadata)
                self._parquet = pq.ParquetWriter(self.path, self._schema)
            try:
                table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False)
            except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError) as e:
                raise CorpusError(
                    f"cannot write {self.final_name!r}: a chunk does not fit the Parquet "
                    f"schema of the input ({e}); use another output format"
                ) from e
            self._parquet.write_table(table)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        elif self.fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            pq.write_table(pa.table({}), self.path)
        if self.fmt == "json":
            self._f.write("[]\n" if self._header else "\n]\n")
        if self._f is not None:
            self._f.close()
