"""Shared fixtures: real text from ../shared when it is there."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

# The shared data: $MISFAT_SHARED, else ../shared beside the repository.
SHARED = Path(
    os.environ.get("MISFAT_SHARED", Path(__file__).resolve().parents[1].parent / "shared")
)
CORPUS = SHARED / "data" / "ant_corpus" / "ant_v2.1_multisource.jsonl.gz"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds_boilerplate.jsonl"


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
    if not CORPUS.exists():
        pytest.skip(f"real corpus not found at {CORPUS}")
    return load_corpus(2000)


@pytest.fixture(scope="session")
def seed_pages() -> dict[str, str]:
    if not SEEDS.exists():
        pytest.skip(f"seed pages not found at {SEEDS}")
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}
