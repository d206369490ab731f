"""misfat (مِصفاة, "refinery"): refine scraped Arabic news text.

Normalization, boilerplate stripping and near-duplicate detection with a Rust core.
Every function takes a str, an iterable of str, a pandas Series or an Arrow string
array and gives back the same shape, missing values kept.
"""

from __future__ import annotations

import warnings

from . import _core
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


def _register_accessor() -> None:
    """Registers ``Series.arabic`` when pandas is installed; pandas stays optional."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        return
    from . import pandas as _pandas  # noqa: F401


_register_accessor()
