"""The ``.arabic`` accessors: ``s.arabic`` on a Series (one Rust call per Series, results
keep the index and name) and ``df.arabic`` on a DataFrame (the corpus job, and stripping
with ``sites=`` a column name).

Each method mirrors a module-level function: its signature (``help()``, tab completion) is
the function's without the data parameter, taken from the function itself so the two
cannot drift apart, and its docstring is the function's after a line on what the
accessor supplies.
"""

from __future__ import annotations

import inspect
from typing import Any

import pandas as pd

from . import _core
from ._mirror import mirrors as _mirrors
from ._shapes import _arrow_backed_strings
from .boilerplate import Line, _check_model, _options, _sites_list, strip_boilerplate
from .corpus import clean_corpus
from .normalize import normalize
from .similarity import MinHasher, TopK, dedup, similarity, top_k


@pd.api.extensions.register_series_accessor("arabic")
class ArabicAccessor:
    """``s.arabic.normalize(...)`` and friends; results keep the index and name."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    @_mirrors(normalize, "``misfat.normalize`` on this Series (a Series with its index and name).")
    def normalize(self, *args: Any, **kwargs: Any) -> pd.Series:
        return normalize(self._series, *args, **kwargs)

    @_mirrors(
        strip_boilerplate,
        """``misfat.strip_boilerplate`` on this Series.

        ``sites`` (used with ``model=``): a Series accessor has no DataFrame in reach, so a
        str is **one site name for every row**, never a column name. For a site per row
        pass the column itself, ``df.text.arabic.strip_boilerplate(model=m,
        sites=df.source)``: a Series is aligned on this Series' index (a ValueError if its
        index lacks some of these labels); a list or array is matched by position. From
        the DataFrame, ``df.arabic.strip_boilerplate("text", model=m, sites="source")``
        takes the column name.
        """,
    )
    def strip_boilerplate(self, *args: Any, **kwargs: Any) -> pd.Series:
        return strip_boilerplate(self._series, *args, **kwargs)

    @_mirrors(
        similarity,
        """``misfat.similarity`` of this Series and ``b``: a float Series with this Series'
        index (a Series ``b`` is aligned on it; a str is compared with every row).""",
    )
    def similarity(self, *args: Any, **kwargs: Any) -> pd.Series:
        return similarity(self._series, *args, **kwargs)  # type: ignore[no-any-return]

    @_mirrors(
        dedup,
        """``misfat.dedup`` on this Series: a DataFrame with its index and the columns
        ``cluster``, ``representative`` and ``score``.""",
    )
    def dedup(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        return dedup(self._series, *args, **kwargs)  # type: ignore[no-any-return]

    @_mirrors(
        top_k,
        """``misfat.top_k`` with this Series as the queries: ``TopK(indices, scores)``, one
        row per row of this Series; ``indices`` are positions in ``choices`` (labels:
        ``choices.index[indices]``).""",
    )
    def top_k(self, *args: Any, **kwargs: Any) -> TopK:
        return top_k(self._series, *args, **kwargs)

    def signatures(
        self,
        *,
        num_perm: int = 128,
        ngram: int = 3,
        unit: str = "word",
        seed: int = 1,
        profile: str | None = "search",
        n_threads: int = 1,
    ) -> Any:
        """MinHash signatures of this Series: ``MinHasher(num_perm, ngram, unit, seed,
        profile).signatures(series, n_threads=n_threads)``, a ``(len, num_perm)`` uint32
        array whose row ``i`` is this Series' row ``i`` (for ``LSHIndex.insert_many(
        s.index, sigs)`` or ``band_keys``). Same ``seed``, same signatures everywhere; a
        missing text has the empty set's signature (every value 0xFFFFFFFF).
        """
        hasher = MinHasher(num_perm=num_perm, ngram=ngram, unit=unit, seed=seed, profile=profile)
        return hasher.signatures(self._series, n_threads=n_threads)

    def classify_lines(
        self,
        *,
        keep_titles: bool = True,
        keep_captions: bool = False,
        aggressiveness: str = "normal",
        model: Any = None,
        sites: Any = None,
    ) -> pd.DataFrame:
        """``misfat.classify_lines`` on every page of this Series, as one long table.

        Columns ``line, kept, reason, start, end, text`` (see ``misfat.classify_lines``),
        one row per line of each page, indexed by the page's label in this Series
        (``out.loc[label]`` is one page); missing pages have no lines. Options are those
        of ``strip_boilerplate``; ``sites`` (with ``model=``) as in
        ``s.arabic.strip_boilerplate``: one str for every row, or a site per row (a Series
        aligned on this index, or a sequence by position).
        """
        series = self._series
        _check_model(model)
        # One call for every page; Arrow-backed strings are read without Python str objects.
        page, *columns = _core._classify_batch(
            series if _arrow_backed_strings(series) else series.tolist(),
            model=model,
            sites=_sites_list(sites, series),
            **_options(keep_titles, keep_captions, aggressiveness),
        )
        out = pd.DataFrame(dict(zip(Line._fields, columns, strict=True)), index=series.index[page])
        return out.astype({"line": "int64", "kept": "bool", "start": "int64", "end": "int64"})


_TEXT = inspect.Parameter(
    "text", inspect.Parameter.POSITIONAL_OR_KEYWORD, default="text", annotation="str"
)


@pd.api.extensions.register_dataframe_accessor("arabic")
class ArabicFrameAccessor:
    """``df.arabic.clean(text="text", site="site")``: the corpus job on this DataFrame;
    ``df.arabic.strip_boilerplate("text", sites="site")`` with sites from a column."""

    def __init__(self, df: pd.DataFrame) -> None:
        self._df = df

    @_mirrors(
        clean_corpus,
        """``misfat.clean_corpus`` on this DataFrame: a copy with the cleaned text,
        ``removed_lines``, ``cluster`` and ``representative`` columns added.""",
    )
    def clean(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        return clean_corpus(self._df, *args, **kwargs)

    @_mirrors(
        strip_boilerplate,
        """``misfat.strip_boilerplate`` on the column ``text`` of this DataFrame: a Series
        with its index.

        Here ``sites`` (used with ``model=``) may be **a column name**: each row's site is
        read from that column. A Series is aligned on the index and a list or array is
        matched by position, as for the Series accessor; for one site on every row use
        ``df[text].arabic.strip_boilerplate(sites="example.com")``.
        """,
        first=[_TEXT],
    )
    def strip_boilerplate(self, text: str = "text", **kwargs: Any) -> pd.Series:
        sites = kwargs.pop("sites", None)
        if isinstance(sites, str):
            sites = self._column(sites, "sites")
        return strip_boilerplate(self._column(text, "text"), sites=sites, **kwargs)

    def _column(self, name: Any, what: str) -> pd.Series:
        df = self._df
        if not isinstance(name, str):
            raise TypeError(f"{what} must be a column name (str), got {type(name).__name__}")
        if name not in df.columns:
            raise ValueError(
                f"{what}={name!r} is not a column of the DataFrame; available columns: "
                f"{', '.join(map(str, df.columns)) or '(none)'}"
            )
        column = df[name]
        if not isinstance(column, pd.Series):
            raise ValueError(f"column {name!r} appears more than once in the DataFrame")
        return column
