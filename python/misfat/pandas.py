"""The ``.arabic`` accessor on pandas Series: one Rust call per Series."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .boilerplate import strip_boilerplate
from .normalize import normalize


@pd.api.extensions.register_series_accessor("arabic")
class ArabicAccessor:
    """``s.arabic.normalize(...)`` and friends; results keep the index and name."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def normalize(self, **kwargs: Any) -> pd.Series:
        """``misfat.normalize`` on this Series."""
        return normalize(self._series, **kwargs)

    def strip_boilerplate(self, **kwargs: Any) -> pd.Series:
        """``misfat.strip_boilerplate`` on this Series (``sites`` may be a column)."""
        return strip_boilerplate(self._series, **kwargs)
