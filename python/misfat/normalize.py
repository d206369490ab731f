"""Arabic normalization: ``misfat.normalize`` and the reusable ``misfat.Normalizer``."""

from __future__ import annotations

import inspect
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
    diacritic class) switch single steps on or off on top of it (``None``: as the profile
    says; a single option wins over ``diacritics``). An unknown option is a ``TypeError``.

    >>> n = Normalizer("search", teh=False)
    >>> n("مَدْرَسَةٌ  جميلــة")
    'مدرسة جميلة'
    """

    __slots__ = ()

    def __new__(cls, profile: str = "search", **options: bool | None) -> Normalizer:
        return super().__new__(cls, profile, **_options("Normalizer", options))

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


def get_normalizer(profile: str = "search", **options: bool | None) -> Normalizer:
    """A shared normalizer for ``profile`` and ``options`` (built once, then cached)."""
    options = _options("get_normalizer", options)
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
    diacritics: bool | None = None,
    forms: bool | None = None,
    harakat: bool | None = None,
    tanwin: bool | None = None,
    shadda: bool | None = None,
    sukun: bool | None = None,
    dagger_alef: bool | None = None,
    quranic: bool | None = None,
    extended_marks: bool | None = None,
    other_marks: bool | None = None,
    tatweel: bool | None = None,
    alef: bool | None = None,
    alef_wasla: bool | None = None,
    alef_wavy: bool | None = None,
    yeh: bool | None = None,
    teh: bool | None = None,
    hamza: bool | None = None,
    persian: bool | None = None,
    digits: bool | None = None,
    punctuation: bool | None = None,
    quotes: bool | None = None,
    invisible: bool | None = None,
    spaces: bool | None = None,
    squeeze: bool | None = None,
    lowercase: bool | None = None,
) -> Any:
    """Normalizes Arabic text with a named profile and optional per-step overrides.

    ``profile``: ``"search"`` (default), ``"light"``, ``"lucene"``, ``"camel"`` or
    ``"none"`` (see ``misfat.PROFILES``). Each other keyword switches one step on
    (``True``) or off (``False``) on top of it; ``None`` leaves it as the profile says.
    ``diacritics`` sets every diacritic class at once (a single option given with it
    wins). An unknown keyword is a ``TypeError``, so ``normalize`` can be handed to
    tools that probe keywords (polars' ``map_batches``).

    >>> normalize("أَهْلاً  وسَهْلاً ٢٠٢٥")
    'اهلا وسهلا 2025'
    >>> normalize("أهلاً", profile="light")
    'أهلاً'
    >>> normalize("مدرسة", teh=False)
    'مدرسة'

    See ``Normalizer.normalize`` for shapes, missing values, offsets and errors.
    """
    given = locals()
    options = {name: given[name] for name in _OPTION_NAMES if given[name] is not None}
    n = get_normalizer(profile, **options)
    return n.normalize(data, n_threads=n_threads, return_offsets=return_offsets, errors=errors)


#: Keyword options of ``normalize`` (``misfat.OPTIONS`` and the ``diacritics`` shorthand);
#: a test asserts they are exactly the extension's, so the two cannot drift apart.
_OPTION_PARAMETERS = [
    p
    for p in inspect.signature(normalize).parameters.values()
    if p.kind is p.KEYWORD_ONLY
    and p.name not in ("profile", "n_threads", "return_offsets", "errors")
]
_OPTION_NAMES: tuple[str, ...] = tuple(p.name for p in _OPTION_PARAMETERS)


def _options(caller: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options given (``None``: as the profile says); an unknown name is a ``TypeError``
    worded as Python words it for ``normalize``'s explicit keywords."""
    for name in options:
        if name not in _OPTION_NAMES:
            raise TypeError(
                f"{caller}() got an unexpected keyword argument {name!r}; options: "
                f"{', '.join(_OPTION_NAMES)}"
            )
    return {name: value for name, value in options.items() if value is not None}


def _with_options(func: Any, leading: list[inspect.Parameter]) -> None:
    """Shows ``normalize``'s option keywords in ``help(func)`` instead of ``**options``."""
    func.__signature__ = inspect.signature(func).replace(parameters=[*leading, *_OPTION_PARAMETERS])


_PROFILE = inspect.Parameter(
    "profile", inspect.Parameter.POSITIONAL_OR_KEYWORD, default="search", annotation="str"
)
_with_options(
    Normalizer.__new__,
    [inspect.Parameter("cls", inspect.Parameter.POSITIONAL_OR_KEYWORD), _PROFILE],
)
_with_options(get_normalizer, [_PROFILE])
