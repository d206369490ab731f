"""misfat (مِصفاة, "refinery"): refine scraped Arabic news text.

Normalization, boilerplate stripping and near-duplicate detection with a Rust core.
Every function takes a str, an iterable of str, a pandas Series or an Arrow string
array and gives back the same shape, missing values kept.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import sys
import warnings
from typing import Any

from . import _core, show  # noqa: F401  (show: misfat.show.show_page, for notebooks)
from .boilerplate import (
    AGGRESSIVENESS,
    REASONS,
    BoilerplateModel,
    classify_lines,
    strip_boilerplate,
)
from .corpus import CorpusError, clean_corpus, clean_file
from .normalize import OPTIONS, PROFILES, Normalizer, get_normalizer, normalize
from .similarity import (
    MATCHES,
    METHODS,
    REPRINT_THRESHOLD,
    DedupResult,
    LSHIndex,
    MinHasher,
    TopK,
    band_keys,
    cdist,
    dedup,
    lsh_params,
    similarity,
    top_k,
)

__version__: str = _core.__version__

__all__ = [
    "AGGRESSIVENESS",
    "MATCHES",
    "METHODS",
    "OPTIONS",
    "PROFILES",
    "REASONS",
    "REPRINT_THRESHOLD",
    "BoilerplateModel",
    "CorpusError",
    "DedupResult",
    "LSHIndex",
    "MinHasher",
    "Normalizer",
    "TopK",
    "__version__",
    "band_keys",
    "cdist",
    "classify_lines",
    "clean_corpus",
    "clean_file",
    "dedup",
    "get_normalizer",
    "lsh_params",
    "normalize",
    "similarity",
    "strip_boilerplate",
    "top_k",
]

if _core._debug_build:
    warnings.warn(
        "misfat's extension was built without optimisation (a debug build); it is many "
        "times slower. Reinstall with `pip install .` or `maturin develop --release`.",
        RuntimeWarning,
        stacklevel=2,
    )


class _RegisterOnImport(importlib.abc.MetaPathFinder):
    """Imports ``misfat.{name}`` (which registers the ``.arabic`` accessors) right after
    the library ``name`` (pandas, polars) is first imported, so ``import misfat`` does not
    pay for importing them where nobody uses them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._finding = False

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != self.name or self._finding:
            return None
        self._finding = True  # the real finders, not this one, find it
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._finding = False
        loader = spec.loader if spec is not None else None
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            if self in sys.meta_path:  # only now: a find_spec probe imports nothing
                sys.meta_path.remove(self)
            importlib.import_module(f"misfat.{self.name}")

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def _register_accessors() -> None:
    """Registers ``.arabic`` on pandas Series and DataFrames and on polars expressions and
    Series: now if the library is imported already, else when it is first imported
    (``import misfat.pandas`` registers the pandas accessors explicitly). Both stay
    optional."""
    for name in ("pandas", "polars"):
        if sys.modules.get(name) is not None:
            importlib.import_module(f"misfat.{name}")
        elif name not in sys.modules:
            sys.meta_path.insert(0, _RegisterOnImport(name))


_register_accessors()
