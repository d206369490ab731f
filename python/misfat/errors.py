"""The errors of the corpus job (``clean_corpus``, ``clean_file``, ``misfat clean``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


class CorpusError(ValueError):
    """A problem with the input of the corpus job: a missing column, a malformed line."""


def check_columns(columns: Sequence[Any], wanted: Iterable[str | None], where: str = "") -> None:
    """One error naming the missing column and the available ones."""
    cols = [str(c) for c in columns]
    for name in wanted:
        if name is not None and name not in columns:
            place = f" in {where}" if where else ""
            raise CorpusError(
                f"column {name!r} not found{place}; available columns: "
                f"{', '.join(cols) if cols else '(none)'}"
            )
