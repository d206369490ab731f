"""Chunked readers and writers of JSONL, CSV and Parquet tables for ``misfat clean``.

Readers yield pandas DataFrames of at most ``chunk_size`` rows; errors name the file and,
for JSONL, the line. Writers append chunk after chunk to one file.
"""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .corpus import CorpusError

FORMATS = ("jsonl", "csv", "parquet")
_SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
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


def read_chunks(path: str | os.PathLike[str], fmt: str, chunk_size: int) -> Iterator[Any]:
    """DataFrames of at most ``chunk_size`` rows, in file order.

    Values come back as they were: JSONL values as Python objects in ``object`` columns (an
    integer stays an int even next to a missing value), CSV fields as text, Parquet integer
    and boolean columns as pandas' nullable types.
    """
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(path, chunk_size)
        elif fmt == "csv":
            yield from _read_csv(path, chunk_size)
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


def _read_csv(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    import pandas as pd

    with _open_text(path) as f:
        yield from pd.read_csv(
            f, chunksize=chunk_size, dtype=str, keep_default_na=False, na_values=[""]
        )


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


def arrow_types(df: Any) -> dict[str, Any]:
    """The Arrow type of each column of a chunk (what the Parquet writer would infer)."""
    import pyarrow as pa

    schema = pa.Schema.from_pandas(df, preserve_index=False)
    return {f.name: f.type for f in schema}


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
    """Appends DataFrames to one JSONL, CSV or Parquet file (gzip for JSONL/CSV on ``.gz``).

    ``types``: the Arrow type of each input column over the whole input (see
    ``unify_types``), so a Parquet file takes every chunk, whatever its first chunk held.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        fmt: str,
        final_name: str,
        types: dict[str, Any] | None = None,
    ) -> None:
        self.path = path
        self.fmt = fmt
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
        if self.fmt == "jsonl":
            records = df.astype(object).where(df.notna(), None).to_dict(orient="records")
            for rec in records:
                self._f.write(json.dumps(rec, ensure_ascii=False, default=_json_default))
                self._f.write("\n")
        elif self.fmt == "csv":
            df.to_csv(self._f, index=False, header=self._header)
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
        if self._f is not None:
            self._f.close()
