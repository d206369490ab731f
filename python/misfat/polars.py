"""The ``.arabic`` namespace on polars expressions and Series.

``pl.col("text").arabic.normalize(...)`` and ``.arabic.strip_boilerplate(...)`` run the
vectorised function on each batch of the column (one Rust call per batch, text read through
Arrow without a copy), as elementwise expressions: lazy frames and the streaming engine
process them batch by batch. Options are checked when the expression is built, so a bad one
fails there rather than at ``collect``. Registered on ``import misfat`` when polars is
installed.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from ._mirror import mirrors
from .boilerplate import strip_boilerplate
from .normalize import normalize

# Options that change the result's type (not a string column) are left to the functions.
_NORMALIZE_DROP = ("return_offsets",)
_STRIP_DROP = ("return_removed",)


def _normalize(column: pl.Series, **kwargs: Any) -> pl.Series:
    return normalize(column, **kwargs)  # type: ignore[no-any-return]


def _strip(column: pl.Series, **kwargs: Any) -> pl.Series:
    return strip_boilerplate(column, **kwargs)  # type: ignore[no-any-return]


def _checked(func: Any, drop: tuple[str, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` after ``func`` accepted them on an empty text (unknown keywords are a
    ``TypeError``, bad values a ``ValueError``, raised where the expression is built)."""
    for name in drop:
        if name in kwargs:
            raise TypeError(f"{name} gives no string column; call misfat.{func.__name__} instead")
    func("", **kwargs)
    return kwargs


@pl.api.register_expr_namespace("arabic")
class ArabicExpr:
    """``pl.col("text").arabic.normalize()``: misfat on each batch of a string column."""

    def __init__(self, expr: pl.Expr) -> None:
        self._expr = expr

    def _map(self, func: Any, kwargs: dict[str, Any]) -> pl.Expr:
        return self._expr.map_batches(
            lambda s: func(s, **kwargs), return_dtype=pl.String, is_elementwise=True
        )

    @mirrors(
        normalize,
        "``misfat.normalize`` on each batch of this string expression (nulls stay null).",
        drop=_NORMALIZE_DROP,
    )
    def normalize(self, **kwargs: Any) -> pl.Expr:
        return self._map(_normalize, _checked(normalize, _NORMALIZE_DROP, kwargs))

    @mirrors(
        strip_boilerplate,
        """``misfat.strip_boilerplate`` on each batch of this string expression. ``sites``
        is one site name for every row (a per-row list cannot follow batches).""",
        drop=_STRIP_DROP,
    )
    def strip_boilerplate(self, **kwargs: Any) -> pl.Expr:
        sites = kwargs.get("sites")
        if sites is not None and not isinstance(sites, str):
            raise TypeError(
                "sites must be one site name (str) in a polars expression, got "
                f"{type(sites).__name__}"
            )
        return self._map(_strip, _checked(strip_boilerplate, _STRIP_DROP, kwargs))


@pl.api.register_series_namespace("arabic")
class ArabicSeries:
    """``s.arabic.normalize()`` on a polars Series: a Series with the same name."""

    def __init__(self, series: pl.Series) -> None:
        self._series = series

    @mirrors(normalize, "``misfat.normalize`` on this polars Series.")
    def normalize(self, **kwargs: Any) -> Any:
        return normalize(self._series, **kwargs)

    @mirrors(strip_boilerplate, "``misfat.strip_boilerplate`` on this polars Series.")
    def strip_boilerplate(self, **kwargs: Any) -> Any:
        return strip_boilerplate(self._series, **kwargs)
