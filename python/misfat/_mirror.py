"""Accessor methods that show the signature and docstring of the function they call."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_SELF = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)


def mirrors(
    func: Callable[..., Any],
    preface: str,
    *,
    first: list[inspect.Parameter] | None = None,
    drop: Collection[str] = (),
) -> Callable[[F], F]:
    """Gives the decorated method ``func``'s signature without its first (data) parameter
    nor ``drop``, after ``first``, with the method's own return annotation; and ``func``'s
    docstring after ``preface``. Taken from ``func`` itself, so the defaults ``help()`` and
    tab completion show are the function's and cannot drift from them."""
    sig = inspect.signature(func)
    rest = [p for p in list(sig.parameters.values())[1:] if p.name not in drop]

    def decorate(method: F) -> F:
        method.__signature__ = sig.replace(  # type: ignore[attr-defined]
            parameters=[_SELF, *(first or []), *rest],
            return_annotation=inspect.signature(method).return_annotation,
        )
        method.__doc__ = f"{inspect.cleandoc(preface)}\n\n{inspect.cleandoc(func.__doc__ or '')}"
        return method

    return decorate
