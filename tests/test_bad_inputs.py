"""Every bad call of ``bad_inputs.BAD_INPUTS`` raises its error type with its exact message,
and the README's table of them is current (``python scripts/bad_input_table.py``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import BAD_INPUTS, namespace, run

pytest.importorskip("pandas")

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ns() -> dict:
    return namespace()


@pytest.mark.parametrize(("call", "kind", "message"), BAD_INPUTS, ids=[c for c, _, _ in BAD_INPUTS])
def test_bad_input_raises_its_error(call: str, kind: type, message: str, ns: dict) -> None:
    err = run(call, ns)
    assert err is not None, f"{call} raised nothing"
    assert type(err) is kind or (
        isinstance(err, kind) and type(err).__module__.startswith("misfat")
    )
    assert str(err) == message


def test_readme_table_is_current() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bad_input_table.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
