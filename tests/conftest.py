"""Shared fixtures, and what tests need beyond the test extras.

Markers (pyproject.toml registers them): ``shared`` needs the shared data (../shared beside
the repository, or ``$MISFAT_SHARED``); ``lucene`` needs a JDK and Debian's
``liblucene8-java``; ``java`` needs a Java runtime (PySpark). A selected test whose
requirement is missing fails with what to install; deselect explicitly with
``-m "not shared"`` (or ``not lucene``, ``not java``). Nothing is skipped quietly.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

# The shared data: $MISFAT_SHARED, else ../shared beside the repository.
SHARED = Path(
    os.environ.get("MISFAT_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds_boilerplate.jsonl"

# Fixtures that read the shared data: a test using one is marked ``shared``.
SHARED_FIXTURES = {"corpus_sample", "seed_pages"}


def lucene_jar() -> str | None:
    """Lucene's analyzers jar from Debian's liblucene8-java (or a later layout)."""
    for pattern in ("lucene-analyzers-common-*.jar", "lucene-analysis-common-*.jar"):
        found = sorted(glob.glob(f"/usr/share/java/{pattern}"))
        if found:
            return found[-1]
    return None


def missing(marker: str) -> str | None:
    """What a test with ``marker`` lacks on this machine, or None."""
    if marker == "shared":
        absent = [str(p) for p in (CORPUS, SEEDS, GOLD) if not p.exists()]
        if absent:
            return (
                f"the shared data is missing ({', '.join(absent)}): put it at ../shared beside "
                'the repository or set MISFAT_SHARED=/path/to/shared, or deselect: -m "not shared"'
            )
    elif marker == "lucene":
        if not (shutil.which("java") and shutil.which("javac")) or lucene_jar() is None:
            return (
                "needs a JDK and Lucene (apt-get install -y openjdk-17-jdk-headless "
                'liblucene8-java), or -m "not lucene"'
            )
    elif marker == "java":
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            return 'PySpark needs Java (apt-get install -y default-jre-headless), or -m "not java"'
    return None


def pytest_report_header(config: pytest.Config) -> list[str]:
    import misfat

    lines = [f"misfat: {Path(misfat.__file__ or '').parent}"]
    lines.append(f"shared data: {SHARED} ({'found' if missing('shared') is None else 'MISSING'})")
    for marker in ("lucene", "java"):
        lines.append(f"{marker}: {'found' if missing(marker) is None else 'MISSING'}")
    return lines


@pytest.hookimpl(tryfirst=True)  # before -m deselects, so "not shared" sees these marks
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if SHARED_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.shared)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("shared", "lucene", "java"):
        if item.get_closest_marker(marker) is not None and (why := missing(marker)):
            pytest.fail(why, pytrace=False)


def load_corpus(limit: int | None = None) -> list[dict]:
    rows = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                break
            rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="session")
def corpus_sample() -> list[dict]:
    return load_corpus(2000)


@pytest.fixture(scope="session")
def seed_pages() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
