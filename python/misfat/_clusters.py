"""Near-duplicate clustering from band keys: the steps of ``misfat.dedup`` one at a time.

``misfat.dedup`` clusters texts held in memory in one call. The corpus streaming path
(``misfat clean``) and ``misfat.dask`` need the same result from pieces: signatures and
band keys per chunk or partition, candidate pairs per bucket of equal keys, verification
of each pair with the exact similarity, and connected components of the verified pairs.
These functions are those pieces; they follow ``dedup``'s rules exactly (a bucket of up
to 16 rows gives all its pairs, a larger one each row with the first and the previous;
a text without shingles gets no keys; the clustering rule is the core's), so the clusters
are the same (tested).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._shapes import check_non_negative

#: Buckets of at most this many rows give all their pairs (as in the Rust core).
ALL_PAIRS = 16
#: Marks "no key" (a missing text or one without shingles).
NO_KEY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


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

    match: str = "reprint"
    threshold: float = 0.5
    num_perm: int = 128
    unit: str = "word"
    ngram: int = 2
    seed: int = 1
    verify: str = "reprint"
    profile: str | None = "search"
    bands: int = 0
    rows: int = 0

    @classmethod
    def make(cls, **options: Any) -> NearDup:
        """Settings from keyword options (``None`` values mean the default)."""
        from . import _core

        known = {f for f in cls.__dataclass_fields__}
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
        match = values.setdefault("match", "reprint")
        if match == "reprint":
            if values.setdefault("verify", "reprint") != "reprint":
                raise ValueError(
                    f"verify={values['verify']!r}: match='reprint' verifies with the reprint"
                    " score; use match='jaccard' for 'jaccard' or 'overlap'"
                )
            values.setdefault("threshold", _core.REPRINT_THRESHOLD)
            values.setdefault("unit", "word")
            values.setdefault("ngram", 2)
            if values.get("unit") != "word" or values.get("ngram") != 2:
                raise ValueError("match='reprint' uses word 2-grams")
            if not values.get("bands") or not values.get("rows"):
                values["bands"], values["rows"] = _core._reprint_lsh(values.get("num_perm", 128))
        elif match == "jaccard":
            values.setdefault("verify", "jaccard")
            values.setdefault("threshold", 0.4)
            if values["verify"] not in ("jaccard", "overlap"):
                raise ValueError(f"verify must be 'jaccard' or 'overlap', got {values['verify']!r}")
        else:
            raise ValueError(f"match must be 'reprint' or 'jaccard', got {match!r}")
        t = values["threshold"]
        if not isinstance(t, (int, float)) or not 0 < t <= 1:
            raise ValueError(f"threshold must be a number in (0, 1], got {t!r}")
        if values.get("unit", "word") not in ("word", "char"):
            raise ValueError(f"unit must be 'word' or 'char', got {values.get('unit')!r}")
        if not values.get("bands") or not values.get("rows"):
            values["bands"], values["rows"] = lsh_params(t, values.get("num_perm", 128))
        return cls(**values)

    @property
    def sentence_band(self) -> int | None:
        """The band id of the sentence keys in ``candidate_table`` (``None``: no such band)."""
        return self.bands if self.match == "reprint" else None

    def dedup_kwargs(self) -> dict[str, Any]:
        """The same settings as keyword arguments of ``misfat.dedup``."""
        kw: dict[str, Any] = {
            "match": self.match,
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "seed": self.seed,
            "profile": self.profile,
            "bands": self.bands,
            "rows": self.rows,
        }
        if self.match == "jaccard":
            kw.update(verify=self.verify, unit=self.unit, ngram=self.ngram)
        return kw


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """``(bands, rows)`` for a threshold, chosen as ``misfat.dedup`` chooses them."""
    from .similarity import lsh_params as params

    bands, rows = params(threshold, num_perm)
    return int(bands), int(rows)


def signature_keys(texts: list[Any], nd: NearDup, n_threads: int = 1) -> np.ndarray:
    """``(len(texts), bands)`` uint64 band keys; rows without shingles are all ``NO_KEY``."""
    from .similarity import MinHasher, band_keys

    n = len(texts)
    out = np.full((n, nd.bands), NO_KEY, dtype=np.uint64)
    present = [i for i, t in enumerate(texts) if isinstance(t, str)]
    if not present:
        return out
    hasher = MinHasher(
        num_perm=nd.num_perm, unit=nd.unit, ngram=nd.ngram, seed=nd.seed, profile=nd.profile
    )
    sigs = np.asarray(hasher.signatures([texts[i] for i in present], n_threads=n_threads))
    keys = np.asarray(band_keys(sigs, nd.bands, nd.rows, long=False), dtype=np.uint64)
    # A text without shingles has the all-ones signature (the MinHash of an empty set).
    empty = (sigs == np.iinfo(sigs.dtype).max).all(axis=1)
    keys[empty] = NO_KEY
    out[np.asarray(present)] = keys
    return out


def candidate_table(
    texts: list[Any], nd: NearDup, first_row: int = 0, n_threads: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The long table ``(band, key, row)`` of a block of texts: MinHash band keys, and for
    ``match="reprint"`` the sentence keys (all in one extra band, ``nd.bands``)."""
    from . import _core

    band, key, row = long_keys(signature_keys(texts, nd, n_threads), first_row)
    if nd.match != "reprint":
        return band, key, row
    raw_keys, raw_rows = _core._sentence_keys(
        texts, profile=nd.profile, first_row=first_row, n_threads=n_threads
    )
    skey = np.frombuffer(raw_keys, dtype="<u8").astype(np.uint64)
    srow = np.frombuffer(raw_rows, dtype="<u8").astype(np.int64)
    sband = np.full(len(skey), nd.bands, dtype=np.int64)
    return np.concatenate([band, sband]), np.concatenate([key, skey]), np.concatenate([row, srow])


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
    sharing a ``(band, key)`` bucket: all pairs in buckets of up to 16 rows, else each row
    with the first and with the previous one (rows in increasing order). Buckets of
    ``sentence_band`` (``NearDup.sentence_band``) with more rows than
    ``REPRINT_MAX_BUCKET`` give none: a sentence that common is not evidence."""
    from . import _core

    if len(row) == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.lexsort((row, key, band))
    band, key, row = band[order], key[order], row[order]
    new = np.ones(len(row), dtype=bool)
    new[1:] = (band[1:] != band[:-1]) | (key[1:] != key[:-1])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(row)))
    if sentence_band is not None:
        common = (band[starts] == sentence_band) & (sizes > _core.REPRINT_MAX_BUCKET)
        starts, sizes = starts[~common], sizes[~common]
    out = []
    for size in np.unique(sizes):
        if size < 2:
            continue
        s = starts[sizes == size]
        if size <= ALL_PAIRS:
            i, j = np.triu_indices(int(size), k=1)
            out.append(np.stack([row[s[:, None] + i], row[s[:, None] + j]], axis=-1).reshape(-1, 2))
        else:
            y = np.arange(1, int(size))
            out.append(np.stack([row[s[:, None] + 0 * y], row[s[:, None] + y]], -1).reshape(-1, 2))
            y = np.arange(2, int(size))
            out.append(np.stack([row[s[:, None] + y - 1], row[s[:, None] + y]], -1).reshape(-1, 2))
    if not out:
        return np.empty((0, 2), dtype=np.int64)
    pairs = np.concatenate(out)
    pairs = np.sort(pairs, axis=1)
    return np.unique(pairs, axis=0)


def pair_scores(a: list[str], b: list[str], nd: NearDup, n_threads: int = 1) -> np.ndarray:
    """The verification score of each pair of texts (``nd.verify``'s similarity)."""
    from .similarity import similarity

    if not a:
        return np.zeros(0, dtype=np.float64)
    kw: dict[str, Any] = {}
    if nd.match == "jaccard":
        kw = {"unit": nd.unit, "ngram": nd.ngram}
    scores = similarity(a, b, method=nd.verify, profile=nd.profile, n_threads=n_threads, **kw)
    return np.asarray(scores, dtype=np.float64)


def row_pair_scores(
    texts: list[Any], pairs: np.ndarray, nd: NearDup, n_threads: int = 1
) -> np.ndarray:
    """The verification score of each candidate pair of rows of ``texts`` (``pairs``: an
    ``(m, 2)`` array of row numbers): the core prepares each row once per batch, not once
    per pair, so this is the fast path when the whole column is at hand."""
    from . import _core

    if len(pairs) == 0:
        return np.zeros(0, dtype=np.float64)
    unit, ngram = ("word", 2) if nd.match == "reprint" else (nd.unit, nd.ngram)
    raw = _core._pair_scores(
        texts,
        np.ascontiguousarray(pairs[:, 0], dtype="<u8").tobytes(),
        np.ascontiguousarray(pairs[:, 1], dtype="<u8").tobytes(),
        method=nd.verify,
        unit=unit,
        ngram=ngram,
        profile=nd.profile,
        n_threads=n_threads,
    )
    return np.frombuffer(raw, dtype="<f8").copy()


def kept(scores: np.ndarray, nd: NearDup) -> np.ndarray:
    """Which scored pairs ``link`` needs: the verified ones and, for ``match="reprint"``,
    those below the core's conflict score (a row is kept out of a cluster holding a
    member it clearly differs from); the rest can be dropped as they are scored."""
    from . import _core

    ok = scores >= nd.threshold
    if nd.match == "reprint":
        ok |= scores < _core.REPRINT_CONFLICT
    return ok


def link(n: int, pairs: np.ndarray, scores: np.ndarray, nd: NearDup) -> np.ndarray:
    """Clusters of ``n`` rows from candidate ``pairs`` (distinct ``(lo, hi)``, any order)
    and their scores: pairs reaching the threshold join through representatives
    (``match="reprint"``, the core's rule) or by single link (``"jaccard"``)."""
    from . import _core

    if nd.match != "reprint":
        return components(n, pairs[scores >= nd.threshold])
    # Every scored pair goes in: the core also keeps a row out of a cluster holding a
    # member it clearly differs from.
    raw, _ = _core._representatives(
        n,
        np.ascontiguousarray(pairs[:, 0], dtype="<u8").tobytes(),
        np.ascontiguousarray(pairs[:, 1], dtype="<u8").tobytes(),
        np.ascontiguousarray(scores, dtype="<f4").tobytes(),
        nd.threshold,
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
    label = np.arange(n, dtype=np.int64)
    if len(pairs) == 0:
        return label
    a, b = pairs[:, 0], pairs[:, 1]
    while True:
        m = np.minimum(label[a], label[b])
        before = label.copy()
        np.minimum.at(label, a, m)
        np.minimum.at(label, b, m)
        # Pointer jumping: follow labels to their own labels until stable.
        while True:
            nxt = label[label]
            if np.array_equal(nxt, label):
                break
            label = nxt
        if np.array_equal(label, before):
            return label
