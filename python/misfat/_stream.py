"""Near-duplicate clusters of a file streamed in chunks, in memory that does not grow
with the file (``misfat clean``).

Chunks come one at a time. Each chunk's cleaned texts are spilled to a file (UTF-8
blob and offsets, read back by memory map), and its candidate table (band, key, row)
is scattered to ``parts`` partition files by bucket, so every bucket lands whole in one
partition. Then:

1. each partition gives its candidate pairs (``bucket_pairs``: the rule only looks at a
   bucket), which are scattered again to one file per chunk of the pair's first row;
2. each such file gives the distinct pairs whose first row is in that chunk; they are
   verified window by window, a window holding the texts of at most about one chunk of
   second rows (read from the spilled texts, then dropped), and only the pairs that
   reach the threshold are kept;
3. the kept pairs are joined into clusters (``link``).

Held in memory at a time: one chunk's or one partition's keys and pairs (``parts`` is
the number of chunks, so a partition holds about one chunk's keys), the texts of one
window, the verified pairs and one integer per row. The clusters equal those of
``cluster_texts`` on the whole column: the pairs are the same set, and ``link`` takes
distinct pairs in any order.
"""

from __future__ import annotations

import itertools
import mmap
from pathlib import Path
from typing import Any

import numpy as np

from . import _progress
from ._clusters import (
    NearDup,
    bucket_pairs,
    candidate_table,
    kept,
    link_codes,
    pack,
    row_pair_scores,
)

#: One cell of a candidate table on disk.
_CELL = np.dtype([("key", "<u8"), ("row", "<i8"), ("band", "<i8")])
#: Spreads (band, key) over partitions (keys are hashes already; the band is mixed in).
_MIX = np.uint64(0x9E37_79B9_7F4A_7C15)


class StreamDedup:
    """Collects chunks (``add``), then gives the cluster of every row (``clusters``).

    ``tmpdir``: where the spill files go (the caller removes it). ``n_rows``: the rows of
    the whole file (known after the first pass), used to size ``parts``."""

    def __init__(self, nd: NearDup, tmpdir: Path, n_rows: int, chunk_size: int, n_threads: int):
        self.nd = nd
        self.dir = Path(tmpdir)
        self.n_rows = n_rows
        self.n_threads = n_threads
        self.budget = max(chunk_size, 1)
        self.parts = max(1, -(-n_rows // self.budget))
        self.starts: list[int] = []  # first row of each chunk
        self.done = 0

    def _texts_path(self, chunk: int) -> Path:
        return self.dir / f"texts-{chunk:06d}.bin"

    def add(self, cleaned: list[Any]) -> None:
        """The cleaned texts of the next chunk (``None``: missing)."""
        chunk, first = len(self.starts), self.done
        self.starts.append(first)
        self.done += len(cleaned)
        _write_texts(self._texts_path(chunk), cleaned)
        band, key, row = candidate_table(cleaned, self.nd, first, self.n_threads)
        cells = np.empty(len(row), dtype=_CELL)
        cells["key"], cells["row"], cells["band"] = key, row, band
        part = (key ^ (band.astype(np.uint64) * _MIX)) % np.uint64(self.parts)
        _scatter(cells, part.astype(np.int64), self.parts, self.dir / "keys")

    def clusters(self, progress: bool | None = None) -> np.ndarray:
        """The representative row of every row's cluster (an ``int64`` array)."""
        n, nd = self.done, self.nd
        starts = np.asarray(self.starts, dtype=np.int64)
        chunks = len(self.starts)
        with _progress.bar("near-duplicates: candidates", self.parts, progress, "parts") as bar:
            for p in range(self.parts):
                path = self.dir / f"keys-{p:06d}.bin"
                if path.exists():
                    cells = np.fromfile(path, dtype=_CELL)
                    path.unlink()
                    pairs = bucket_pairs(
                        cells["band"], cells["key"], cells["row"], nd.sentence_band
                    )
                    del cells
                    # One code per pair (rows fit in 32 bits: the core refuses more).
                    codes = pack(pairs[:, 0], pairs[:, 1])
                    owner = np.searchsorted(starts, pairs[:, 0], side="right") - 1
                    _scatter(codes, owner, chunks, self.dir / "pairs")
                bar.update(1)
        # Kept pairs packed with float32 scores (12 bytes a pair): for reprints most of
        # them are clear differences, so they grow with the file.
        kept_code: list[np.ndarray] = []
        kept_score: list[np.ndarray] = []
        with _progress.bar("near-duplicates: verifying", chunks, progress, "chunks") as bar:
            for c in range(chunks):
                path = self.dir / f"pairs-{c:06d}.bin"
                if path.exists():
                    codes = np.unique(np.fromfile(path, dtype="<u8"))
                    path.unlink()
                    lo = (codes >> np.uint64(32)).astype(np.int64)
                    hi = (codes & np.uint64(0xFFFF_FFFF)).astype(np.int64)
                    del codes
                    for w_lo, w_hi in self._windows(lo, hi, starts):
                        scores = self._scores(w_lo, w_hi, starts)
                        ok = kept(scores, nd)
                        kept_code.append(pack(w_lo[ok], w_hi[ok]))
                        kept_score.append(scores[ok].astype(np.float32))
                bar.update(1)
        if not kept_code:
            return np.arange(n, dtype=np.int64)
        codes, scores = np.concatenate(kept_code), np.concatenate(kept_score)
        del kept_code, kept_score
        return link_codes(n, codes, scores, nd)

    def _windows(self, lo: np.ndarray, hi: np.ndarray, starts: np.ndarray) -> Any:
        """The pairs of one chunk of first rows, in groups whose second rows span about
        ``budget`` distinct rows (whole chunks of second rows at a time, in chunk order)."""
        order = np.argsort(hi, kind="stable")
        lo, hi = lo[order], hi[order]
        owner = np.searchsorted(starts, hi, side="right") - 1
        cuts = np.flatnonzero(np.diff(owner)) + 1
        bounds = [0, *cuts.tolist(), len(hi)]
        begin = 0
        rows = 0
        for a, b in itertools.pairwise(bounds):
            rows += len(np.unique(hi[a:b]))
            if rows >= self.budget or b == len(hi):
                yield lo[begin:b], hi[begin:b]
                begin, rows = b, 0

    def _scores(self, lo: np.ndarray, hi: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Verification scores of pairs, reading only their rows' texts from the spill."""
        need = np.unique(np.concatenate([lo, hi]))
        owner = np.searchsorted(starts, need, side="right") - 1
        texts: list[Any] = []
        for c in np.unique(owner).tolist():
            local = need[owner == c] - starts[c]
            texts.extend(_read_texts(self._texts_path(c), local))
        pairs = np.stack([np.searchsorted(need, lo), np.searchsorted(need, hi)], axis=1)
        return row_pair_scores(texts, pairs, self.nd, self.n_threads)


def _scatter(values: np.ndarray, part: np.ndarray, parts: int, prefix: Path) -> None:
    """Appends each value to the file of its part (``{prefix}-{part:06d}.bin``)."""
    if len(values) == 0:
        return
    order = np.argsort(part, kind="stable")
    values = values[order]
    counts = np.bincount(part, minlength=parts)
    ends = np.cumsum(counts)
    for p in np.flatnonzero(counts).tolist():
        with open(f"{prefix}-{p:06d}.bin", "ab") as f:
            values[ends[p] - counts[p] : ends[p]].tofile(f)


def _write_texts(path: Path, texts: list[Any]) -> None:
    """Texts as ``n``, ``n + 1`` offsets and the UTF-8 bytes (a missing text is empty: it
    never has a candidate). ``surrogatepass``: any Python str comes back as it was."""
    blobs = [t.encode("utf-8", "surrogatepass") if isinstance(t, str) else b"" for t in texts]
    offsets = np.zeros(len(blobs) + 1, dtype="<u8")
    np.cumsum([len(b) for b in blobs], out=offsets[1:])
    with open(path, "wb") as f:
        np.asarray([len(blobs)], dtype="<u8").tofile(f)
        offsets.tofile(f)
        f.write(b"".join(blobs))


def _read_texts(path: Path, rows: np.ndarray) -> list[str]:
    """The texts at ``rows`` (positions in the chunk) of a file of ``_write_texts``."""
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        n = int(np.frombuffer(m, dtype="<u8", count=1)[0])
        offsets = np.frombuffer(m, dtype="<u8", count=n + 1, offset=8)
        base = 8 * (n + 2)
        out = [
            m[base + int(offsets[r]) : base + int(offsets[r + 1])].decode("utf-8", "surrogatepass")
            for r in rows.tolist()
        ]
        del offsets  # a view of the map: released before the map closes
    return out
