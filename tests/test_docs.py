"""The examples in the docstrings of the installed package run and give what they show."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "misfat",
    "misfat.normalize",
    "misfat.boilerplate",
    "misfat.similarity",
    "misfat.corpus",
    "misfat.pandas",
    "misfat.show",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS
    result = doctest.testmod(module, optionflags=flags, report=True)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_examples_exist() -> None:
    # A module list that silently stopped finding examples would pass the test above.
    finder = doctest.DocTestFinder()
    found = sum(len(t.examples) for n in MODULES for t in finder.find(importlib.import_module(n)))
    assert found >= 30, found
