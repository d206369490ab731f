"""The corpus job's one pipeline: ``CleanOptions`` (every option, checked once) and
``clean_batch`` (strip and normalize one batch of rows), which the drivers call: in memory
(``clean_corpus``), on files (``clean_file``, ``misfat clean``) and on Dask
(``misfat.dask.clean_corpus``; Spark: ``examples/spark_clean.py``).

The public functions keep keyword signatures for users; they are built from the fields of
``CleanOptions`` (``signature``), so the options and their defaults are written once.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar

from . import _progress
from ._shapes import is_missing
from .boilerplate import BoilerplateModel, _check_model, _Learner, merge_all, strip_boilerplate
from .errors import CorpusError
from .normalize import normalize

F = TypeVar("F", bound=Callable[..., Any])

#: The columns the job adds (the cleaned-text column is named by ``output``).
REMOVED = "removed_lines"
CLUSTER = "cluster"
REPRESENTATIVE = "representative"


@dataclass(frozen=True)
class StripOptions:
    """How pages are stripped and normalized (picklable: shipped to workers)."""

    strip: bool = True
    keep_titles: bool = True
    keep_captions: bool = False
    aggressiveness: str = "normal"
    profile: str | None = "search"
    min_df: int = 3
    prose_min_df: int = 5

    def check(self) -> None:
        """Raises the error a bad option would raise, before any data is read."""
        if self.strip:
            strip_boilerplate(
                "",
                keep_titles=self.keep_titles,
                keep_captions=self.keep_captions,
                aggressiveness=self.aggressiveness,
            )
            BoilerplateModel.fit([], sites=[], min_df=self.min_df, prose_min_df=self.prose_min_df)
        if self.profile is not None:
            normalize("", profile=self.profile)

    def fit(self, texts: Any, sites: Any, n_threads: int = 1) -> BoilerplateModel:
        return BoilerplateModel.fit(
            texts,
            sites=sites,
            min_df=self.min_df,
            prose_min_df=self.prose_min_df,
            n_threads=n_threads,
        )

    def learner(self) -> _Learner:
        """A running model to fit batch by batch (``add``), then ``model()``."""
        return _Learner(min_df=self.min_df, prose_min_df=self.prose_min_df)

    def _strip_kwargs(self, model: BoilerplateModel | None, sites: Any, n_threads: int) -> Any:
        return {
            "keep_titles": self.keep_titles,
            "keep_captions": self.keep_captions,
            "aggressiveness": self.aggressiveness,
            "model": model,
            "sites": sites if model is not None else None,
            "n_threads": n_threads,
            "errors": "replace",
        }

    def clean(
        self, texts: Any, sites: Any, model: BoilerplateModel | None, n_threads: int = 1
    ) -> tuple[list[Any], list[Any]]:
        """Cleaned texts and removed-line counts (``None`` for a missing text)."""
        texts = list(texts)
        if self.strip:
            pairs = strip_boilerplate(
                texts, return_removed=True, **self._strip_kwargs(model, sites, n_threads)
            )
            stripped = [p[0] if isinstance(p, tuple) else None for p in pairs]
            removed = [p[1] if isinstance(p, tuple) else None for p in pairs]
        else:
            stripped = [t if isinstance(t, str) else None for t in texts]
            removed = [0 if isinstance(t, str) else None for t in texts]
        if self.profile is not None:
            stripped = normalize(stripped, profile=self.profile, n_threads=n_threads)
        return stripped, removed

    def clean_arrow(
        self, texts: Any, sites: Any, model: BoilerplateModel | None, n_threads: int = 1
    ) -> tuple[Any, Any]:
        """``clean`` of an Arrow string array, without a Python object per row: the cleaned
        texts as an Arrow array (nulls stay null) and the removed-line counts as a
        ``uint32`` numpy array (0 for a null)."""
        import numpy as np

        from . import _core

        if self.strip:
            _check_model(model)
            stripped, raw = _core._strip_counted(
                texts, **self._strip_kwargs(model, sites, n_threads)
            )
            removed = np.frombuffer(raw, dtype="<u4")
        else:
            stripped, removed = texts, np.zeros(len(texts), dtype="<u4")
        if self.profile is not None:
            stripped = normalize(stripped, profile=self.profile, n_threads=n_threads)
        return stripped, removed


@dataclass(frozen=True)
class CleanOptions:
    """Every option of the corpus job (see ``misfat.clean_corpus``), checked when made
    (picklable: shipped to workers). ``strip_options`` and ``near_dup`` are derived."""

    text: str = "text"
    site: str | None = None
    output: str = "clean"
    model: BoilerplateModel | None = None
    learn: bool = True
    strip: bool = True
    profile: str | None = "search"
    keep_titles: bool = True
    keep_captions: bool = False
    aggressiveness: str = "normal"
    min_df: int = 3
    prose_min_df: int = 5
    dedup: bool = True
    threshold: float | None = None
    num_perm: int | None = None
    unit: str | None = None
    ngram: int | None = None
    verify: str | None = None
    match: str | None = None
    seed: int | None = None
    n_threads: int = 1
    batch_size: int = 2000
    progress: bool | None = None
    strip_options: Any = field(init=False, repr=False, compare=False)
    near_dup: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from ._clusters import NearDup

        for name in ("text", "output"):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"{name} must be a column name (str), got {type(value).__name__}")
        if self.site is not None and not isinstance(self.site, str):
            raise TypeError(
                f"site must be a column name (str) or None, got {type(self.site).__name__}"
            )
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            raise ValueError(f"batch_size must be a positive int, got {self.batch_size!r}")
        _progress.check(self.progress)
        normalize([""], n_threads=self.n_threads)  # checks n_threads
        strip = StripOptions(
            strip=self.strip,
            keep_titles=self.keep_titles,
            keep_captions=self.keep_captions,
            aggressiveness=self.aggressiveness,
            profile=self.profile,
            min_df=self.min_df,
            prose_min_df=self.prose_min_df,
        )
        strip.check()
        nd = None
        if self.dedup:
            nd = NearDup.make(
                match=self.match,
                threshold=self.threshold,
                num_perm=self.num_perm,
                unit=self.unit,
                ngram=self.ngram,
                verify=self.verify,
                seed=self.seed,
            )
        object.__setattr__(self, "strip_options", strip)
        object.__setattr__(self, "near_dup", nd)

    @property
    def fits_model(self) -> bool:
        """Whether the job fits a per-site model on the corpus itself."""
        return self.strip and self.model is None and self.learn and self.site is not None


#: The options a user passes (the derived fields aside).
OPTION_FIELDS = [f for f in fields(CleanOptions) if f.init]


def signature(
    leading: list[inspect.Parameter],
    *,
    drop: Collection[str] = (),
    positional: Collection[str] = (),
    extra: list[inspect.Parameter] = (),  # type: ignore[assignment]
    rename: dict[str, str] | None = None,
) -> Callable[[F], F]:
    """Gives the decorated function the signature ``leading``, then ``CleanOptions``'
    fields (less ``drop``; ``positional`` ones may be passed by position, in order; names
    changed by ``rename``), then ``extra``: help() and tab completion show the options'
    real defaults, taken from the one place they are written."""
    rename = rename or {}
    params = list(leading)
    for f in OPTION_FIELDS:
        if f.name in drop:
            continue
        kind = (
            inspect.Parameter.POSITIONAL_OR_KEYWORD
            if f.name in positional
            else inspect.Parameter.KEYWORD_ONLY
        )
        default = f.default if f.default is not MISSING else inspect.Parameter.empty
        params.append(
            inspect.Parameter(rename.get(f.name, f.name), kind, default=default, annotation=f.type)
        )
    params.extend(extra)

    def decorate(func: F) -> F:
        func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        return func

    return decorate


def bind(func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """The arguments of a call to ``func`` by its signature, defaults applied (unknown or
    missing ones are the ``TypeError`` Python gives, naming ``func``)."""
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError(f"{func.__name__}() {e}") from None
    bound.apply_defaults()
    return dict(bound.arguments)


def merge_models(parts: list[BoilerplateModel]) -> BoilerplateModel:
    """Merges models fitted on parts of a corpus: each is absorbed in turn into one set
    of counts (no intermediate models)."""
    return merge_all(list(parts))


def column_values(col: Any) -> list[Any]:
    """A column as a list with every missing value (NaN, pd.NA, None) as ``None``."""
    values = col.tolist()
    return [v if isinstance(v, str) else None if is_missing(v) else v for v in values]


def arrow_strings(col: Any) -> Any:
    """The Arrow array (chunked when the column is) of a pandas string column stored in
    Arrow (pandas 3 ``str``, ``string[pyarrow]``; the cleaned column keeps that dtype),
    without a copy; ``None`` for any other column."""
    import pandas as pd

    dtype = col.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa

    return pa.array(col.array)


def check_text(values: list[Any], column: str, where: str, first_row: int = 0) -> None:
    """A non-text value in the text or site column: one error naming the column and row."""
    for i, v in enumerate(values):
        if v is not None and not isinstance(v, str):
            raise CorpusError(
                f"{where}: column {column!r}, row {first_row + i + 1} holds a value of type "
                f"{type(v).__name__} ({str(v)[:40]!r}), not text"
            )


def text_dtype(col: Any) -> Any:
    """The dtype for the cleaned text: the input's when it is a string dtype, else object."""
    import pandas as pd

    return col.dtype if isinstance(col.dtype, pd.StringDtype) else object


def clean_batch(
    frame: Any,
    options: CleanOptions,
    model: BoilerplateModel | None = None,
    *,
    where: str = "the DataFrame",
    first_row: int = 0,
) -> Any:
    """One batch of rows (a pandas DataFrame) stripped and normalized: a copy with the
    ``options.output`` and ``removed_lines`` columns set. ``model``: the per-site model
    (``None``: none, or ``options.model``). ``where`` and ``first_row`` place a bad value
    in the error."""
    import pandas as pd

    model = model if model is not None else options.model
    arrow = arrow_strings(frame[options.text])
    if arrow is None:
        texts = column_values(frame[options.text])
        check_text(texts, options.text, where, first_row)
    sites = None
    if options.site is not None:
        sites = column_values(frame[options.site])
        check_text(sites, options.site, where, first_row)
    if arrow is not None:
        # Arrow in, Arrow out: no Python str per row (an Arrow column holds only text).
        import pyarrow as pa

        col, counts = options.strip_options.clean_arrow(arrow, sites, model, options.n_threads)
        out = frame.copy()
        out[options.output] = pd.Series(
            pa.chunked_array(col), dtype=frame[options.text].dtype, index=frame.index
        )
        missing = arrow.is_null().to_numpy(zero_copy_only=False)
        out[REMOVED] = pd.arrays.IntegerArray(counts.astype("int64"), missing)
        return out
    cleaned, removed = options.strip_options.clean(texts, sites, model, options.n_threads)
    out = frame.copy()
    out[options.output] = pd.Series(
        cleaned, index=frame.index, dtype=text_dtype(frame[options.text])
    )
    out[REMOVED] = pd.array(removed, dtype="Int64")
    return out
