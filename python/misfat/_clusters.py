"""Near-duplicate clustering from band keys: the steps of ``misfat.dedup`` one at a time.

``misfat.dedup`` clusters texts held in memory in one call. The corpus streaming path
(``misfat clean``) and ``misfat.dask`` need the same result from pieces: band keys per
chunk or partition, candidate pairs per bucket of equal keys, verification of each pair
with the exact similarity, and clusters of the verified pairs. Each piece is a call into
the Rust core (``misfat_core::similarity::pieces``), which runs the code ``dedup`` runs
and owns its rules and defaults; this module only converts numpy arrays to and from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _core
from ._shapes import check_non_negative

#: Buckets of at most this many rows give all their pairs (the core's rule).
ALL_PAIRS: int = _core.ALL_PAIRS
#: Marks "no key" (a missing text or one without shingles).
NO_KEY = np.uint64(_core.NO_KEY)


def _u64(a: np.ndarray) -> bytes:
    return np.ascontiguousarray(a, dtype="<u8").tobytes()


def _pairs_array(lo: Any, hi: Any) -> np.ndarray:
    a = np.frombuffer(lo, dtype="<u8").astype(np.int64)
    b = np.frombuffer(hi, dtype="<u8").astype(np.int64)
    return np.stack([a, b], axis=1) if len(a) else np.empty((0, 2), dtype=np.int64)


@dataclass(frozen=True)
class NearDup:
    """The near-duplicate settings of ``misfat.dedup``, resolved to concrete values
    (picklable, hashable): ``make(**options)`` takes ``dedup``'s keyword options and gives
    the values ``dedup`` would use, so every driver clusters alike.

    ``match``: ``"reprint"`` (sentence keys besides the MinHash bands, the reprint score,
    clusters through representatives) or ``"jaccard"`` (MinHash bands, ``verify`` over
    ``unit`` ``ngram``-grams, single link). ``threshold``: what a verified pair reaches.
    ``num_perm``, ``bands``, ``rows``, ``seed``: the MinHash LSH of the candidates.
    """

    match: str
    threshold: float
    num_perm: int
    unit: str
    ngram: int
    seed: int
    verify: str | None
    profile: str | None
    bands: int
    rows: int
    sentence_band: int | None

    @classmethod
    def make(cls, **options: Any) -> NearDup:
        """Settings from keyword options (``None`` values mean the default): the core
        fills in the defaults and checks the values, as it does for ``dedup``."""
        known = set(cls.__dataclass_fields__) - {"sentence_band"}
        bad = sorted(set(options) - known)
        if bad:
            raise TypeError(
                f"unknown near-duplicate option(s): {', '.join(bad)}; "
                f"valid: {', '.join(sorted(known))}"
            )
        values = {k: v for k, v in options.items() if v is not None}
        check_non_negative(
            **{
                k: v
                for k, v in values.items()
                if k in ("num_perm", "ngram", "seed", "bands", "rows")
            }
        )
        return cls(**_core._dedup_settings(**values))

    def dedup_kwargs(self) -> dict[str, Any]:
        """The same settings as keyword arguments of ``misfat.dedup``."""
        kw = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "sentence_band"}
        kw["verify"] = False if self.verify is None else self.verify  # None: unverified
        return kw


def signature_keys(texts: list[Any], nd: NearDup, n_threads: int = 1) -> np.ndarray:
    """``(len(texts), bands)`` uint64 band keys; rows without shingles are all ``NO_KEY``."""
    raw = _core._band_key_rows(texts, nd, n_threads=n_threads)
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64).reshape(len(texts), nd.bands)


def candidate_table(
    texts: list[Any], nd: NearDup, first_row: int = 0, n_threads: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The long table ``(band, key, row)`` of a block of texts: MinHash band keys, and for
    ``match="reprint"`` the sentence keys (all in one extra band, ``nd.sentence_band``)."""
    band, key, row = _core._candidate_table(texts, nd, first_row=first_row, n_threads=n_threads)
    return (
        np.frombuffer(band, dtype="<u4").astype(np.int64),
        np.frombuffer(key, dtype="<u8").astype(np.uint64),
        np.frombuffer(row, dtype="<u8").astype(np.int64),
    )


def long_keys(keys: np.ndarray, first_row: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The long table ``(band, key, row)`` of a block of band keys, "no key" cells left out."""
    n, bands = keys.shape
    band = np.tile(np.arange(bands, dtype=np.int64), n)
    row = np.repeat(np.arange(first_row, first_row + n, dtype=np.int64), bands)
    flat = keys.reshape(-1)
    keep = flat != NO_KEY
    return band[keep], flat[keep], row[keep]


def bucket_pairs(
    band: np.ndarray, key: np.ndarray, row: np.ndarray, sentence_band: int | None = None
) -> np.ndarray:
    """Candidate pairs ``(lo, hi)`` (an ``(m, 2)`` int64 array, unique, sorted) of rows
    sharing a ``(band, key)`` bucket, by the core's rule: all pairs in buckets of up to
    ``ALL_PAIRS`` rows, else each row with the first and with the previous one (rows in
    increasing order). Buckets of ``sentence_band`` (``NearDup.sentence_band``) with more
    rows than ``REPRINT_MAX_BUCKET`` give none: a sentence that common is not evidence."""
    lo, hi = _core._bucket_pairs(
        np.ascontiguousarray(band, dtype="<u4").tobytes(),
        _u64(key),
        _u64(row),
        sentence_band,
    )
    return _pairs_array(lo, hi)


def pair_scores(a: list[str], b: list[str], nd: NearDup, n_threads: int = 1) -> np.ndarray:
    """The verification score of each pair of texts ``(a[i], b[i])``."""
    if len(a) != len(b):
        raise ValueError(f"a and b must have the same length, got {len(a)} and {len(b)}")
    m = np.arange(len(a), dtype=np.int64)
    return row_pair_scores([*a, *b], np.stack([m, m + len(a)], axis=1), nd, n_threads)


def row_pair_scores(
    texts: list[Any], pairs: np.ndarray, nd: NearDup, n_threads: int = 1
) -> np.ndarray:
    """The verification score of each candidate pair of rows of ``texts`` (``pairs``: an
    ``(m, 2)`` array of row numbers): the core prepares each row once per batch, not once
    per pair, so this is the fast path when the whole column is at hand."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=np.float64)
    raw = _core._pair_scores(texts, _u64(pairs[:, 0]), _u64(pairs[:, 1]), nd, n_threads=n_threads)
    return np.frombuffer(raw, dtype="<f8").copy()


def kept(scores: np.ndarray, nd: NearDup) -> np.ndarray:
    """Which scored pairs ``link`` needs (the core decides): the verified ones and, for
    ``match="reprint"``, clear differences that keep two rows apart; the rest can be
    dropped as they are scored."""
    raw = _core._kept(np.ascontiguousarray(scores, dtype="<f8").tobytes(), nd)
    return np.frombuffer(raw, dtype=np.uint8).astype(bool)


def link(n: int, pairs: np.ndarray, scores: np.ndarray, nd: NearDup) -> np.ndarray:
    """Clusters of ``n`` rows from candidate ``pairs`` (distinct ``(lo, hi)``, any order)
    and their scores: pairs reaching the threshold join through representatives
    (``match="reprint"``) or by single link (``"jaccard"``), the core's rule."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return link_codes(n, pack(pairs[:, 0], pairs[:, 1]), scores, nd)


def pack(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Pairs of rows packed as the core keeps them (``lo << 32 | hi``, ``uint64``): half
    the memory of two ``int64`` columns."""
    return (np.asarray(lo).astype(np.uint64) << np.uint64(32)) | np.asarray(hi).astype(np.uint64)


def link_codes(n: int, codes: np.ndarray, scores: np.ndarray, nd: NearDup) -> np.ndarray:
    """``link`` of pairs already packed (``pack``); scores are taken as ``float32``, the
    precision the core clusters with."""
    raw = _core._link(
        n,
        np.ascontiguousarray(codes, dtype="<u8").tobytes(),
        np.ascontiguousarray(scores, dtype="<f4").tobytes(),
        nd,
    )
    return np.frombuffer(raw, dtype="<u4").astype(np.int64)


def link_rows(pairs: np.ndarray, scores: np.ndarray, nd: NearDup) -> tuple[np.ndarray, np.ndarray]:
    """``link`` over global row numbers when the rows are not numbered 0..n: ``pairs``
    (distinct ``(a, b)``) with their scores (as ``kept`` leaves them). Returns the rows
    that have a verified pair (sorted) and each one's cluster representative."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    nodes = np.unique(pairs[scores >= nd.threshold])
    # Other kept pairs (conflicts) matter only between such rows.
    among = np.isin(pairs, nodes).all(axis=1)
    local = np.searchsorted(nodes, pairs[among])
    roots = nodes[link(len(nodes), local, scores[among], nd)] if len(nodes) else nodes
    return nodes, roots


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected components of ``n`` rows joined by ``pairs``: each row's smallest member."""
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    raw = _core._components(n, _u64(pairs[:, 0]), _u64(pairs[:, 1]))
    return np.frombuffer(raw, dtype="<u4").astype(np.int64)
