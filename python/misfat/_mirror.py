"""Accessor methods and wrappers that show the signature of the function they call, taken
from that function, so ``help()`` and tab completion show its real options and defaults."""

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
    rest = _options(func, drop)

    def decorate(method: F) -> F:
        method.__signature__ = sig.replace(  # type: ignore[attr-defined]
            parameters=[_SELF, *(first or []), *rest],
            return_annotation=inspect.signature(method).return_annotation,
        )
        method.__doc__ = f"{inspect.cleandoc(preface)}\n\n{inspect.cleandoc(func.__doc__ or '')}"
        return method

    return decorate


def passes_options(func: Callable[..., Any]) -> Callable[[F], F]:
    """Gives the decorated function, which hands its ``**options`` to ``func``, ``func``'s
    options in its signature: its own positional parameters, then ``func``'s parameters
    after the first (data) one, then its own keyword-only ones. Its docstring stays its
    own."""

    def decorate(wrapper: F) -> F:
        sig = inspect.signature(wrapper)
        own = [p for p in sig.parameters.values() if p.kind is not p.VAR_KEYWORD]
        positional = [p for p in own if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        keyword = [p for p in own if p.kind is p.KEYWORD_ONLY]
        options = _options(func, {p.name for p in own})
        wrapper.__signature__ = sig.replace(  # type: ignore[attr-defined]
            parameters=[*positional, *options, *keyword]
        )
        return wrapper

    return decorate


def _options(func: Callable[..., Any], drop: Collection[str]) -> list[inspect.Parameter]:
    """``func``'s parameters after its first (data) one, without ``drop``."""
    return [p for p in list(inspect.signature(func).parameters.values())[1:] if p.name not in drop]
