# Hand-written stubs for the Rust extension; checked with `python -m mypy.stubtest misfat._core`.
from os import PathLike
from typing import Any, final

from typing_extensions import Self, disjoint_base

__all__ = [
    "AGGRESSIVENESS",
    "ALL_PAIRS",
    "MATCHES",
    "NO_KEY",
    "OPTIONS",
    "PROFILES",
    "REASONS",
    "REPRINT_CONFLICT",
    "REPRINT_MAX_BUCKET",
    "REPRINT_THRESHOLD",
    "SIMILARITY_METHODS",
    "ArrowArray",
    "BoilerplateModel",
    "LSHIndex",
    "MinHasher",
    "Normalizer",
    "_ModelBuilder",
    "__version__",
    "_band_key_rows",
    "_band_keys",
    "_bucket_pairs",
    "_candidate_table",
    "_cdist",
    "_classify_batch",
    "_components",
    "_debug_build",
    "_dedup",
    "_dedup_settings",
    "_is_missing",
    "_kept",
    "_link",
    "_lsh_params",
    "_pair_scores",
    "_similarity_pairs",
    "_strip_batch",
    "_strip_counted",
    "_top_k",
]

__version__: str
_debug_build: bool
PROFILES: list[str]
OPTIONS: list[str]

def _is_missing(obj: object) -> bool: ...

@final
class ArrowArray:
    def __arrow_c_array__(
        self, requested_schema: object | None = None
    ) -> tuple[object, object]: ...
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...
    def __len__(self) -> int: ...

@disjoint_base
class Normalizer:
    def __new__(cls, profile: str = "search", **options: bool) -> Self: ...
    @property
    def profile(self) -> str: ...
    @property
    def options(self) -> dict[str, bool]: ...
    def _normalize_batch(self, data: Any, *, n_threads: int = 1, errors: str = "strict") -> Any: ...
    def _normalize_offsets(
        self, data: Any, *, n_threads: int = 1, errors: str = "strict"
    ) -> list[tuple[str, list[int]] | Any]: ...
    def __getnewargs_ex__(self) -> tuple[tuple[str], dict[str, bool]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

# ---- boilerplate ----
AGGRESSIVENESS: list[str]
REASONS: list[str]

def _strip_batch(
    data: Any,
    *,
    keep_titles: bool = True,
    keep_captions: bool = False,
    aggressiveness: str = "normal",
    model: BoilerplateModel | None = None,
    sites: str | list[str | None] | None = None,
    n_threads: int = 1,
    errors: str = "strict",
    return_removed: bool = False,
) -> Any: ...
def _strip_counted(
    data: Any,
    *,
    keep_titles: bool = True,
    keep_captions: bool = False,
    aggressiveness: str = "normal",
    model: BoilerplateModel | None = None,
    sites: str | list[str | None] | None = None,
    n_threads: int = 1,
    errors: str = "strict",
) -> tuple[Any, bytearray]: ...
def _classify_batch(
    data: Any,
    *,
    keep_titles: bool = True,
    keep_captions: bool = False,
    aggressiveness: str = "normal",
    model: BoilerplateModel | None = None,
    sites: str | list[str | None] | None = None,
) -> tuple[list[int], list[int], list[bool], list[str], list[int], list[int], list[str]]: ...

@disjoint_base
class BoilerplateModel:
    def __new__(cls, state: bytes | _ModelBuilder) -> BoilerplateModel: ...
    def merge(self, other: BoilerplateModel) -> BoilerplateModel: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: str | PathLike[str]) -> None: ...
    @staticmethod
    def load(path: str | PathLike[str]) -> BoilerplateModel: ...
    def __getnewargs__(self) -> tuple[bytes]: ...
    @property
    def min_df(self) -> int: ...
    @property
    def prose_min_df(self) -> int: ...
    @property
    def n_pages(self) -> int: ...
    @property
    def sites(self) -> list[str]: ...
    @property
    def n_entries(self) -> int: ...
    @property
    def n_repeated(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class _ModelBuilder:
    def __new__(cls, *, min_df: int = 3, prose_min_df: int = 5) -> _ModelBuilder: ...
    def add(
        self, texts: Any, sites: str | list[str | None] | None = None, *, n_threads: int = 1
    ) -> None: ...
    def absorb(self, model: BoilerplateModel) -> None: ...
    @property
    def n_pages(self) -> int: ...

# ---- similarity ----
SIMILARITY_METHODS: list[str]
REPRINT_THRESHOLD: float
REPRINT_MAX_BUCKET: int
REPRINT_CONFLICT: float

def _similarity_pairs(
    a: Any,
    b: Any,
    *,
    method: str,
    unit: str,
    ngram: int,
    profile: str | None,
    idf_corpus: Any = None,
    n_threads: int = 1,
) -> bytearray: ...
def _cdist(
    queries: Any,
    choices: Any,
    *,
    method: str,
    unit: str,
    ngram: int,
    profile: str | None,
    idf_corpus: Any = None,
    float32: bool = False,
    workers: int = 1,
) -> Any: ...
def _top_k(
    queries: Any,
    choices: Any,
    *,
    k: int,
    method: str,
    unit: str,
    ngram: int,
    profile: str | None,
    idf_corpus: Any = None,
    workers: int = 1,
) -> tuple[Any, Any]: ...
def _band_keys(
    signatures: bytes, num_perm: int, bands: int, rows: int, *, n_threads: int = 1
) -> bytearray: ...
def _lsh_params(
    threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5
) -> tuple[int, int]: ...

# ---- near-duplicates (src/dedup.rs); `settings` is a resolved `misfat._clusters.NearDup`
MATCHES: list[str]
ALL_PAIRS: int
NO_KEY: int

def _dedup(
    texts: Any,
    *,
    match: str,
    threshold: float | None,
    method: str,
    verify: str | bool | None,
    num_perm: int,
    bands: int | None,
    rows: int | None,
    unit: str,
    ngram: int,
    seed: int,
    profile: str | None,
    n_threads: int = 1,
) -> tuple[bytearray, bytearray, int, int]: ...
def _dedup_settings(  # defaults: the core's (misfat_core::similarity::pieces::defaults)
    *,
    match: str = ...,
    threshold: float | None = None,
    verify: str | bool | None = None,
    num_perm: int = ...,
    bands: int | None = None,
    rows: int | None = None,
    unit: str = ...,
    ngram: int = ...,
    seed: int = ...,
    profile: str | None = ...,
) -> dict[str, Any]: ...
def _band_key_rows(texts: Any, settings: Any, *, n_threads: int = 1) -> bytearray: ...
def _candidate_table(
    texts: Any, settings: Any, *, first_row: int = 0, n_threads: int = 1
) -> tuple[bytearray, bytearray, bytearray]: ...
def _bucket_pairs(
    band: bytes, key: bytes, row: bytes, sentence_band: int | None = None
) -> tuple[bytearray, bytearray]: ...
def _pair_scores(
    texts: Any, lo: bytes, hi: bytes, settings: Any, *, n_threads: int = 1
) -> bytearray: ...
def _link(n: int, pairs: bytes, score: bytes, settings: Any) -> bytearray: ...
def _kept(score: bytes, settings: Any) -> bytearray: ...
def _components(n: int, lo: bytes, hi: bytes) -> bytearray: ...

@disjoint_base
class MinHasher:
    def __new__(
        cls,
        num_perm: int = 128,
        ngram: int = 3,
        unit: str = "word",
        seed: int = 1,
        profile: str | None = "search",
    ) -> Self: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def ngram(self) -> int: ...
    @property
    def unit(self) -> str: ...
    @property
    def seed(self) -> int: ...
    @property
    def profile(self) -> str | None: ...
    def _signatures(self, texts: Any, *, n_threads: int = 1) -> bytearray: ...
    def __getnewargs__(self) -> tuple[int, int, str, int, str | None]: ...

@disjoint_base
class LSHIndex:
    def __new__(
        cls,
        threshold: float = 0.5,
        num_perm: int = 128,
        bands: int | None = None,
        rows: int | None = None,
    ) -> Self: ...
    @property
    def threshold(self) -> float: ...
    @property
    def num_perm(self) -> int: ...
    @property
    def bands(self) -> int: ...
    @property
    def rows(self) -> int: ...
    def __len__(self) -> int: ...
    def __contains__(self, key: object, /) -> bool: ...
    def _insert(self, keys: list[str | int], signatures: bytes) -> None: ...
    def _query(self, signatures: bytes) -> list[list[str | int]]: ...
    def _query_row(self, signature: Any) -> list[str | int] | None: ...
    def keys(self) -> list[str | int]: ...
    def to_bytes(self) -> bytes: ...
    def _load(self, data: bytes) -> None: ...
