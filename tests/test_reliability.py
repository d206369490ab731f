"""Reliability (issue 11): fork safety and bounded thread pools, untrusted bytes, Arrow
validation, lock discipline, size limits and missing scalars.

Anything that could hang runs in a subprocess with a generous timeout, so a regression
fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

import misfat

HANG_TIMEOUT = 120  # seconds; generous: only a hang should ever reach it


def run_script(code: str, timeout: float = HANG_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Runs `code` in a fresh interpreter; a hang is a test failure, not a stuck suite."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"hung for more than {timeout} s:\n{e.stderr}")
    assert proc.returncode == 0, proc.stderr
    return proc


# --- 1. thread pools: fork-aware and bounded --------------------------------------------

FORK_CALLS = {
    "normalize": "misfat.normalize(TEXTS, n_threads=2)",
    "signatures": "misfat.MinHasher(num_perm=16).signatures(TEXTS, n_threads=-1)",
    "strip_boilerplate": "misfat.strip_boilerplate(TEXTS, n_threads=2)",
    "cdist": "misfat.cdist(TEXTS, TEXTS, workers=2)",
}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("call", sorted(FORK_CALLS))
def test_threaded_call_works_in_a_forked_child(call: str) -> None:
    expr = FORK_CALLS[call]
    run_script(
        f"""
        import multiprocessing as mp, warnings
        import misfat
        warnings.simplefilter("ignore")  # "fork of a multi-threaded process" is the point
        TEXTS = ["الخبر العاجل اليوم في القاهرة", "نص آخر عن الطقس"] * 50

        def child():
            {expr}

        {expr}  # builds the pool in the parent
        p = mp.get_context("fork").Process(target=child)
        p.start()
        p.join(60)
        if p.is_alive():
            p.kill()
            raise SystemExit("the forked child hung")
        assert p.exitcode == 0, p.exitcode
        """
    )


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_thread_count_is_bounded_by_the_cores() -> None:
    texts = ["الخبر العاجل اليوم"] * 200
    misfat.normalize(texts, n_threads=2)
    before = len(os.listdir("/proc/self/task"))
    for n in [2, 3, 5, 8, 13, 40, 100, 1000, 2**40]:
        assert misfat.normalize(texts, n_threads=n) == misfat.normalize(texts)
    after = len(os.listdir("/proc/self/task"))
    # One pool of at most one thread per core, however many distinct values were asked.
    assert after - before <= (os.cpu_count() or 1)


@pytest.mark.parametrize("n", [0, -2, -100])
def test_bad_n_threads_is_a_value_error(n: int) -> None:
    with pytest.raises(ValueError, match="n_threads"):
        misfat.normalize(["نص"], n_threads=n)
