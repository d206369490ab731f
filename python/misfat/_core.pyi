# Hand-written stubs for the Rust extension; checked with `python -m mypy.stubtest misfat._core`.
from os import PathLike
from typing import Any, final

from typing_extensions import disjoint_base

__all__ = [
    "AGGRESSIVENESS",
    "OPTIONS",
    "PROFILES",
    "REASONS",
    "ArrowArray",
    "BoilerplateModel",
    "Normalizer",
    "__version__",
    "_classify_lines",
    "_debug_build",
    "_strip_batch",
]

__version__: str
_debug_build: bool
PROFILES: list[str]
OPTIONS: list[str]

@final
class ArrowArray:
    def __arrow_c_array__(
        self, requested_schema: object | None = None
    ) -> tuple[object, object]: ...
    def __len__(self) -> int: ...

@disjoint_base
class Normalizer:
    def __new__(cls, profile: str = "search", **options: bool) -> Normalizer: ...
    @property
    def profile(self) -> str: ...
    @property
    def options(self) -> dict[str, bool]: ...
    def _normalize_batch(self, data: Any, *, n_threads: int = 1, errors: str = "strict") -> Any: ...
    def _normalize_offsets(
        self, data: Any, *, n_threads: int = 1, errors: str = "strict"
    ) -> list[tuple[str, list[int]] | None]: ...
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
def _classify_lines(
    text: str,
    *,
    keep_titles: bool = True,
    keep_captions: bool = False,
    aggressiveness: str = "normal",
    model: BoilerplateModel | None = None,
    site: str | None = None,
) -> list[tuple[int, bool, str, int, int, str]]: ...

@disjoint_base
class BoilerplateModel:
    def __new__(cls, state: bytes) -> BoilerplateModel: ...
    @staticmethod
    def _fit(
        texts: Any,
        sites: str | list[str | None] | None = None,
        *,
        min_df: int = 3,
        prose_min_df: int = 5,
        n_threads: int = 1,
    ) -> BoilerplateModel: ...
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
