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


def _module(obj: object) -> str:
    return type(obj).__module__ or ""


def is_series(obj: object) -> bool:
    return _module(obj).startswith("pandas") and type(obj).__name__ == "Series"


def _is_arrow(obj: object) -> bool:
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


def as_list(data: Any, what: str = "data") -> list[Any]:
    """Any supported column as a Python list (missing values as they are)."""
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
    if isinstance(data, str):
        return batch([data])[0]
    if is_missing(data):
        return data
    if is_series(data):
        return _map_series(data, batch)
    if _is_arrow(data) and not isinstance(data, list):
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
    if isinstance(data, str):
        return batch([data])[0]
    if is_missing(data):
        return data
    if is_series(data):
        import pandas as pd

        out = batch(data.tolist())
        return pd.Series(out, index=data.index, name=data.name, dtype=object)
    return batch(as_list(data, what))
