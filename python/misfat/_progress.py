"""Progress bars for long steps: tqdm when installed, nothing otherwise (an optional extra)."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class _Null:
    """Stands in for a tqdm bar when progress is off."""

    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass


def _tqdm() -> Any:
    """``tqdm.auto``: a widget in Jupyter (with ipywidgets), a text bar elsewhere."""
    try:
        with warnings.catch_warnings():
            # Without ipywidgets tqdm.auto warns once and falls back to the text bar.
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


def check(progress: bool | None) -> None:
    """``progress=True`` without tqdm is an ``ImportError`` saying what to install."""
    if progress not in (None, True, False):
        raise TypeError(f"progress must be None, True or False, got {type(progress).__name__}")
    if progress and _tqdm() is None:
        raise ImportError(
            "progress=True needs tqdm: pip install 'misfat[progress]' (or pass progress=None "
            "to show bars only when tqdm is installed and stderr is a terminal)"
        )


@contextmanager
def bar(desc: str, total: int | None, progress: bool | None, unit: str = "rows") -> Iterator[Any]:
    """A tqdm bar on stderr; ``progress=None`` shows it only when interactive (stderr is
    a terminal, or a Jupyter kernel)."""
    tqdm = _tqdm()
    if progress is False or tqdm is None:
        yield _Null()
        return
    disable = progress is None and not _isatty()
    with tqdm(
        total=total,
        desc=desc,
        unit=unit,
        disable=disable,
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
    ) as b:
        yield b


def _isatty() -> bool:
    """Interactive: stderr is a terminal, or we run in a Jupyter kernel."""
    try:
        if sys.stderr.isatty():
            return True
    except (AttributeError, ValueError):
        pass
    ipython = sys.modules.get("IPython")
    if ipython is None or "ipykernel" not in sys.modules:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None
