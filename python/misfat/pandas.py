"""The ``.arabic`` accessor on pandas Series: one Rust call per Series."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .boilerplate import strip_boilerplate
from .normalize import normalize
from .similarity import dedup, similarity


@pd.api.extensions.register_series_accessor("arabic")
class ArabicAccessor:
    """``s.arabic.normalize(...)`` and friends; results keep the index and name."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def normalize(self, **kwargs: Any) -> pd.Series:
        """``misfat.normalize`` on this Series."""
        return normalize(self._series, **kwargs)

    def strip_boilerplate(self, *, sites: Any = None, **kwargs: Any) -> pd.Series:
        """``misfat.strip_boilerplate`` on this Series.

        ``sites`` (used with ``model=``): a Series accessor has no DataFrame in reach, so a
        str is **one site name for every row**, never a column name. For a site per row
        pass the column itself, ``df.text.arabic.strip_boilerplate(model=m,
        sites=df.source)``: a Series is aligned on this Series' index (a ValueError if its
        index lacks some of these labels); a list or array is matched by position.
        """
        return strip_boilerplate(self._series, sites=sites, **kwargs)

    def similarity(self, other: Any, **kwargs: Any) -> pd.Series:
        """``misfat.similarity`` of this Series and ``other`` (a Series is aligned on this
        Series' index; a str is compared with every row)."""
        return similarity(self._series, other, **kwargs)  # type: ignore[no-any-return]

    def dedup(self, **kwargs: Any) -> pd.DataFrame:
        """``misfat.dedup`` on this Series: ``cluster`` and ``representative`` columns."""
        return dedup(self._series, **kwargs)  # type: ignore[no-any-return]
