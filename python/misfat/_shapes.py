"""Shape in, shape out: every public function accepts a str, an iterable of str, a pandas
Series or any Arrow string array, and gives back the same kind of container.

The Rust side only ever sees a ``list`` or an object speaking the Arrow PyCapsule
interface; this module does the unwrapping and rewrapping, once per call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from . import _core

Batch = Callable[[Any], Any]

#: The one definition of a missing value (shared with the extension's list reader): None,
#: a float NaN of any width (numpy's included), ``pd.NA``, ``pd.NaT``, numpy's ``NaT``.
is_missing: Callable[[Any], bool] = _core._is_missing


def check_non_negative(**values: Any) -> None:
    """A negative count or seed is a ``ValueError`` naming the parameter (the extension's
    unsigned conversion would raise an ``OverflowError`` naming none)."""
    for name, value in values.items():
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            raise ValueError(f"{name} must be a non-negative int, got {value}")


def surrogate_error(value: str, what: str) -> ValueError:
    """The error for a str holding a lone surrogate, with its position (the format the
    extension uses for list elements)."""
    for i, ch in enumerate(value):
        if "\ud800" <= ch <= "\udfff":
            return ValueError(
                f"{what} is not valid Unicode (lone surrogate U+{ord(ch):04X} at position {i})"
            )
    return ValueError(f"{what} is not valid Unicode")


def _module(obj: object) -> str:
    return type(obj).__module__ or ""


def is_series(obj: object) -> bool:
    return _module(obj).startswith("pandas") and type(obj).__name__ == "Series"


def is_arrow(obj: object) -> bool:
    """An object Rust can read through the Arrow C interface (the one test for it)."""
    return hasattr(obj, "__arrow_c_stream__") or hasattr(obj, "__arrow_c_array__")


def _arrow_backed_strings(series: Any) -> bool:
    """True for pandas string columns stored in Arrow (pandas 3 ``str``, ``string[pyarrow]``)."""
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, pd.StringDtype):
        return dtype.storage == "pyarrow"
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        t = dtype.pyarrow_dtype
        return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t)
    return False


_TABLES = {
    "pandas": ("DataFrame",),
    "polars": ("DataFrame", "LazyFrame"),
    "pyarrow": ("Table", "RecordBatch"),
}


def refuse_table(data: Any, what: str = "data") -> None:
    """A table where one column is expected is a ``TypeError`` (a pandas DataFrame would
    otherwise be read as its column names, an Arrow table as one dict per row)."""
    module = _module(data).split(".", 1)[0]
    name = type(data).__name__
    if name in _TABLES.get(module, ()):
        raise TypeError(
            f"{what} must be one column (a str, an iterable of str, a pandas Series or an "
            f"Arrow string array), got a {module} {name}; pass one column, e.g. df['text']"
        )


def align(sites: Any, data: Any, what: str = "sites") -> Any:
    """``sites`` aligned with ``data`` on the index when both are pandas Series (as
    ``similarity`` aligns ``b`` on ``a``); indexes with other labels are a ``ValueError``."""
    if not (is_series(sites) and is_series(data)) or sites.index.equals(data.index):
        return sites
    if (
        sites.index.is_unique
        and data.index.is_unique
        and len(sites) == len(data)
        and data.index.isin(sites.index).all()
    ):
        return sites.reindex(data.index)
    raise ValueError(
        f"{what} is a Series whose index does not hold the labels of the data's index; "
        f"align them first (e.g. {what}.reindex(data.index)) or pass {what}.to_numpy() to "
        "match by position"
    )


def as_list(data: Any, what: str = "data") -> list[Any]:
    """Any supported column as a Python list (missing values as they are)."""
    refuse_table(data, what)
    if isinstance(data, list):
        return data
    if is_series(data):
        return data.tolist()
    if _module(data).startswith(("pyarrow", "polars")) and hasattr(data, "to_list"):
        return data.to_list()
    if hasattr(data, "to_pylist"):
        return data.to_pylist()
    if isinstance(data, (str, bytes, bytearray)) or not isinstance(data, Iterable):
        raise TypeError(
            f"{what} must be a str, an iterable of str, a pandas Series or an Arrow string "
            f"array, got {type(data).__name__}"
        )
    return list(data)


def map_text(data: Any, batch: Batch, what: str = "data") -> Any:
    """Applies ``batch`` (list or Arrow in, list or Arrow out) keeping the input's shape.
    A missing scalar comes back as the very object given."""
    refuse_table(data, what)
    if isinstance(data, str):
        return batch([data])[0]
    if is_missing(data):
        return data
    if is_series(data):
        return _map_series(data, batch)
    if is_arrow(data) and not isinstance(data, list):
        return _rewrap_arrow(data, batch(data))
    return batch(as_list(data, what))


def _map_series(series: Any, batch: Batch) -> Any:
    import pandas as pd

    if _arrow_backed_strings(series):
        import pyarrow as pa

        # One chunk per worker thread, taken without copying.
        out = pa.chunked_array(batch(series))
        return pd.Series(out, dtype=series.dtype, index=series.index, name=series.name, copy=False)
    out = batch(series.tolist())
    # Keep string and object dtypes; others (e.g. category, whose categories would not
    # hold the new values) give object rather than silently turning values into NaN.
    keep = series.dtype == object or isinstance(series.dtype, pd.StringDtype)
    dtype = series.dtype if keep else object
    return pd.Series(out, dtype=dtype, index=series.index, name=series.name)


def _rewrap_arrow(original: Any, result: Any) -> Any:
    """Gives an Arrow result back as the kind of object the input was."""
    module, name = _module(original), type(original).__name__
    if module.startswith("pyarrow"):
        import pyarrow as pa

        chunked = pa.chunked_array(result)
        return chunked if name == "ChunkedArray" else chunked.combine_chunks()
    if module.startswith("polars") and name == "Series":
        import polars as pl

        return pl.Series(result).alias(original.name)
    return result


def map_values(data: Any, batch: Callable[[list[Any]], list[Any]], what: str = "data") -> Any:
    """Like ``map_text`` for results that are not strings: str → value, Series → object
    Series with the same index and name, anything else → list; a missing scalar comes back
    as the very object given."""
    refuse_table(data, what)
    if isinstance(data, str):
        return batch([data])[0]
    if is_missing(data):
        return data
    if is_series(data):
        import pandas as pd

        out = batch(data.tolist())
        return pd.Series(out, index=data.index, name=data.name, dtype=object)
    return batch(as_list(data, what))
