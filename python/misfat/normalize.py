"""Arabic normalization: ``misfat.normalize`` and the reusable ``misfat.Normalizer``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import _core
from ._shapes import map_text, map_values

PROFILES: tuple[str, ...] = tuple(_core.PROFILES)
OPTIONS: tuple[str, ...] = tuple(_core.OPTIONS)


class Normalizer(_core.Normalizer):
    """A compiled normalizer: frozen, thread-safe and picklable.

    ``profile`` is one of ``"light"``, ``"search"`` (default), ``"lucene"``, ``"camel"`` or
    ``"none"``; keyword options (see ``misfat.OPTIONS``, plus ``diacritics`` for every
    diacritic class) switch single steps on or off on top of it.

    >>> n = Normalizer("search", teh=False)
    >>> n("مَدْرَسَةٌ  جميلــة")
    'مدرسة جميلة'
    """

    __slots__ = ()

    def normalize(
        self,
        data: Any,
        *,
        n_threads: int = 1,
        return_offsets: bool = False,
        errors: str = "strict",
    ) -> Any:
        """Normalizes a str, iterable of str, pandas Series or Arrow string array.

        The result has the input's shape; missing values (None, NaN of any float width,
        pd.NA, pd.NaT, Arrow nulls) stay missing, as the very object given (so
        ``series.apply(misfat.normalize)`` passes gaps through). ``n_threads``
        parallelises one call (-1: all cores). With ``return_offsets=True`` each present
        value becomes ``(text, offsets)`` where ``offsets[i]`` is the input position of
        output character ``i`` and a final entry holds the input length: output span
        ``a:b`` came from ``offsets[a]:offsets[b-1]+1``. ``errors="replace"`` turns lone
        surrogates (and invalid UTF-8 in Arrow input) into U+FFFD instead of raising.
        """
        if return_offsets:
            return map_values(
                data,
                lambda batch: self._normalize_offsets(batch, n_threads=n_threads, errors=errors),
            )
        return map_text(
            data, lambda batch: self._normalize_batch(batch, n_threads=n_threads, errors=errors)
        )

    __call__ = normalize


@lru_cache(maxsize=64)
def _cached(profile: str, options: tuple[tuple[str, Any], ...]) -> Normalizer:
    return Normalizer(profile, **dict(options))


def get_normalizer(profile: str = "search", **options: Any) -> Normalizer:
    """A shared normalizer for ``profile`` and ``options`` (built once, then cached)."""
    try:
        return _cached(profile, tuple(sorted(options.items())))
    except TypeError:  # unhashable option values: let the constructor explain
        return Normalizer(profile, **options)


def normalize(
    data: Any,
    *,
    profile: str = "search",
    n_threads: int = 1,
    return_offsets: bool = False,
    errors: str = "strict",
    **options: bool,
) -> Any:
    """Normalizes Arabic text with a named profile and optional per-step overrides.

    >>> normalize("أَهْلاً  وسَهْلاً ٢٠٢٥")
    'اهلا وسهلا 2025'
    >>> normalize("أهلاً", profile="light")
    'أهلاً'

    See ``Normalizer.normalize`` for shapes, missing values, offsets and errors.
    """
    n = get_normalizer(profile, **options)
    return n.normalize(data, n_threads=n_threads, return_offsets=return_offsets, errors=errors)
