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
    if _is_gzip(path):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_chunks(path: str | os.PathLike[str], fmt: str, chunk_size: int) -> Iterator[Any]:
    """DataFrames of at most ``chunk_size`` rows, in file order."""
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


def _read_jsonl(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    import pandas as pd

    rows: list[dict[str, Any]] = []
    with _open_text(path) as f:
        for lineno, line in enumerate(f, start=1):
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
                yield pd.DataFrame.from_records(rows)
                rows = []
    if rows:
        yield pd.DataFrame.from_records(rows)


def _read_csv(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    import pandas as pd

    with _open_text(path) as f:
        yield from pd.read_csv(
            f, chunksize=chunk_size, dtype=str, keep_default_na=False, na_values=[""]
        )


def _read_parquet(path: str | os.PathLike[str], chunk_size: int) -> Iterator[Any]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as pf:
        for batch in pf.iter_batches(batch_size=chunk_size):
            yield batch.to_pandas()


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "tolist"):
        return o.tolist()
    if hasattr(o, "item"):
        return o.item()
    return str(o)


class Writer:
    """Appends DataFrames to one JSONL, CSV or Parquet file (gzip for JSONL/CSV on ``.gz``)."""

    def __init__(self, path: str | os.PathLike[str], fmt: str, final_name: str) -> None:
        self.path = path
        self.fmt = fmt
        self.final_name = final_name
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
                table = pa.Table.from_pandas(df, preserve_index=False)
                # A column with no value in the first chunk has Arrow type null; later
                # chunks will bring values, and text is the likeliest type.
                fields = [
                    f.with_type(pa.string()) if pa.types.is_null(f.type) else f
                    for f in table.schema
                ]
                self._schema = pa.schema(fields, metadata=table.schema.metadata)
                table = table.cast(self._schema)
                self._parquet = pq.ParquetWriter(self.path, self._schema)
            else:
                try:
                    table = pa.Table.from_pandas(df, schema=self._schema, preserve_index=False)
                except (pa.ArrowInvalid, pa.ArrowTypeError, KeyError) as e:
                    raise CorpusError(
                        f"cannot write {self.final_name!r}: a later chunk does not fit the "
                        f"Parquet schema of the first ({e}); use a larger --chunk-size or "
                        "another output format"
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
