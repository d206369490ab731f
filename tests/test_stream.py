"""misfat._stream: the streaming job's near-duplicates from spilled keys and texts equal
those of the whole column in memory, however the rows are chunked."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from corpus_data import corpus

from misfat import _clusters, _stream
from misfat.corpus import clean_corpus, clean_file, cluster_texts


@pytest.fixture(scope="module")
def texts() -> list:
    # The corpus twice over (the copies far apart, in other chunks), with missing and
    # empty texts and texts without shingles in between.
    base = [r["text"] for r in corpus()]
    twice = [*base, None, "", "كلمة", *[t.replace("ال", "ل", 2) if t else t for t in base]]
    return twice


def stream(texts: list, nd: _clusters.NearDup, chunk_size: int, tmp: Path) -> np.ndarray:
    s = _stream.StreamDedup(nd, tmp, len(texts), chunk_size, n_threads=1)
    for i in range(0, len(texts), chunk_size):
        s.add(texts[i : i + chunk_size])
    out = s.clusters(progress=False)
    # Every spilled key and pair file is consumed on the way (only the texts remain).
    assert sorted({p.name.split("-")[0] for p in tmp.iterdir()}) <= ["texts"]
    return out


@pytest.mark.parametrize("match", ["reprint", "jaccard"])
@pytest.mark.parametrize("chunk_size", [1, 4, 13, 10_000])
def test_streamed_clusters_equal_in_memory(
    tmp_path: Path, texts: list, match: str, chunk_size: int
) -> None:
    nd = _clusters.NearDup.make(match=match)
    want = cluster_texts(texts, nd, progress=False)
    got = stream(texts, nd, chunk_size, tmp_path)
    assert got.tolist() == want.tolist()
    assert (want != np.arange(len(texts))).sum() > 10  # there are clusters to find


def test_every_candidate_pair_is_verified_once(tmp_path: Path, texts: list) -> None:
    nd = _clusters.NearDup.make()
    want = _clusters.bucket_pairs(*_clusters.candidate_table(texts, nd), nd.sentence_band)
    s = _stream.StreamDedup(nd, tmp_path, len(texts), 5, n_threads=1)
    for i in range(0, len(texts), 5):
        s.add(texts[i : i + 5])
    seen: list[tuple[int, int]] = []
    real = s._scores

    def spy(lo: np.ndarray, hi: np.ndarray, starts: np.ndarray) -> np.ndarray:
        # A window's second rows span about one chunk budget, plus at most one chunk.
        assert len(np.unique(hi)) < 2 * s.budget + 5
        seen.extend(zip(lo.tolist(), hi.tolist(), strict=True))
        return real(lo, hi, starts)

    s._scores = spy  # type: ignore[method-assign]
    s.clusters(progress=False)
    assert sorted(seen) == sorted(map(tuple, want.tolist()))


def test_spilled_texts_come_back_as_they_were(tmp_path: Path) -> None:
    values = ["", "نص عربي", None, "a\ud800b", "😀" * 3, "x" * 100_000]
    path = tmp_path / "t.bin"
    _stream._write_texts(path, values)
    rows = np.array([5, 0, 1, 3, 4], dtype=np.int64)
    assert _stream._read_texts(path, rows) == [values[i] for i in rows]
    assert _stream._read_texts(path, np.array([2], dtype=np.int64)) == [""]  # missing: empty


def test_clean_file_with_copies_in_far_chunks_equals_clean_corpus(tmp_path: Path) -> None:
    rows = corpus()
    rows = rows + [{**r, "id": f"{r['id']}-again"} for r in rows]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    out = tmp_path / "out.jsonl"
    clean_file(src, out, site="site", chunk_size=3, progress=False)
    got = pd.read_json(out, lines=True, dtype=False)
    want = clean_corpus(pd.DataFrame(rows), site="site", progress=False)
    assert got["cluster"].tolist() == want["cluster"].tolist()
    assert got["representative"].tolist() == want["representative"].tolist()
    assert [x if isinstance(x, str) else None for x in got["clean"]] == [
        x if isinstance(x, str) else None for x in want["clean"]
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


@pytest.mark.parametrize("match", ["reprint", "jaccard"])
def test_streamed_clusters_equal_in_memory_on_the_real_corpus(
    tmp_path: Path, corpus_sample: list[dict], match: str
) -> None:
    # 2,000 ANT articles, cleaned as the job cleans them, streamed in uneven chunks.
    df = pd.DataFrame(corpus_sample)
    cleaned = clean_corpus(df, progress=False, dedup=False)["clean"].tolist()
    nd = _clusters.NearDup.make(match=match)
    want = cluster_texts(cleaned, nd, progress=False)
    got = stream(cleaned, nd, 333, tmp_path)
    assert got.tolist() == want.tolist()
    assert (want != np.arange(len(cleaned))).sum() > 0  # the sample has copies
