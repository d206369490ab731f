"""Near-duplicate clustering from band keys: the steps of ``misfat.dedup`` one at a time.

``misfat.dedup`` clusters texts held in memory in one call. The corpus streaming path
(``misfat clean``) and ``misfat.dask`` need the same result from pieces: signatures and
band keys per chunk or partition, candidate pairs per bucket of equal keys, verification
of each pair with the exact similarity, and connected components of the verified pairs.
These functions are those pieces; they follow ``dedup``'s rules exactly (a bucket of up
to 16 rows gives all its pairs, a larger one each row with the first and the previous;
a text without shingles gets no keys; a cluster's id is its first row), so the clusters
are the same (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Buckets of at most this many rows give all their pairs (as in the Rust core).
ALL_PAIRS = 16
#: Marks "no key" (a missing text or one without shingles).
NO_KEY = np.uint64(0xFFFF_FFFF_FFFF_FFFF)


@dataclass(frozen=True)
class NearDup:
    """The near-duplicate settings, resolved to concrete values (picklable, hashable).

    ``threshold``: the similarity a candidate pair must reach (``verify`` method:
    ``"overlap"`` or ``"jaccard"`` over ``unit`` n-grams of size ``ngram``, text
    normalized with ``profile`` first). ``num_perm``, ``bands``, ``rows``, ``seed``: the
    MinHash LSH that proposes candidates (bands × rows chosen from the threshold when not
    given, as ``misfat.LSHIndex`` does).
    """

    threshold: float = 0.5
    num_perm: int = 128
    unit: str = "word"
    ngram: int = 3
    seed: int = 1
    verify: str = "overlap"
    profile: str | None = "search"
    bands: int = 0
    rows: int = 0
    _resolved: bool = field(default=False, repr=False, compare=False)

    @classmethod
    def make(cls, **options: Any) -> NearDup:
        """Settings from keyword options (``None`` values mean the default)."""
        known = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        bad = sorted(set(options) - known)
        if bad:
            raise TypeError(
                f"unknown near-duplicate option(s): {', '.join(bad)}; "
                f"valid: {', '.join(sorted(known))}"
            )
        values = {**_dedup_defaults(), **{k: v for k, v in options.items() if v is not None}}
        values = {k: v for k, v in values.items() if k in known}
        t = values.get("threshold")
        if not isinstance(t, (int, float)) or not 0 < t <= 1:
            raise ValueError(f"threshold must be a number in (0, 1], got {t!r}")
        if values.get("verify") not in ("jaccard", "overlap"):
            raise ValueError(f"verify must be 'jaccard' or 'overlap', got {values.get('verify')!r}")
        if values.get("unit") not in ("word", "char"):
            raise ValueError(f"unit must be 'word' or 'char', got {values.get('unit')!r}")
        if not values.get("bands") or not values.get("rows"):
            values["bands"], values["rows"] = lsh_params(values["threshold"], values["num_perm"])
        return cls(**values)

    def dedup_kwargs(self) -> dict[str, Any]:
        """The same settings as keyword arguments of ``misfat.dedup``."""
        return {
            "threshold": self.threshold,
            "num_perm": self.num_perm,
            "unit": self.unit,
            "ngram": self.ngram,
            "seed": self.seed,
            "verify": self.verify,
            "profile": self.profile,
            "bands": self.bands,
            "rows": self.rows,
        }


def _dedup_defaults() -> dict[str, Any]:
    """The defaults of ``misfat.dedup``'s keyword arguments, so both agree."""
    import inspect

    from .similarity import dedup

    return {
        name: p.default
        for name, p in inspect.signature(dedup).parameters.items()
        if p.default is not inspect.Parameter.empty and p.default is not None
    }


def available() -> bool:
    """Whether this build has near-duplicate detection (``misfat.similarity``)."""
    try:
        from .similarity import MinHasher, band_keys, dedup, lsh_params, similarity  # noqa: F401
    except (ImportError, AttributeError):
        return False
    return True


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


def long_keys(keys: np.ndarray, first_row: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The long table ``(band, key, row)`` of a block of band keys, "no key" cells left out."""
    n, bands = keys.shape
    band = np.tile(np.arange(bands, dtype=np.int64), n)
    row = np.repeat(np.arange(first_row, first_row + n, dtype=np.int64), bands)
    flat = keys.reshape(-1)
    keep = flat != NO_KEY
    return band[keep], flat[keep], row[keep]


def bucket_pairs(band: np.ndarray, key: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Candidate pairs ``(lo, hi)`` (an ``(m, 2)`` int64 array, unique, sorted) of rows
    sharing a ``(band, key)`` bucket: all pairs in buckets of up to 16 rows, else each row
    with the first and with the previous one (rows in increasing order)."""
    if len(row) == 0:
        return np.empty((0, 2), dtype=np.int64)
    order = np.lexsort((row, key, band))
    band, key, row = band[order], key[order], row[order]
    new = np.ones(len(row), dtype=bool)
    new[1:] = (band[1:] != band[:-1]) | (key[1:] != key[:-1])
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(row)))
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


def verify_pairs(a: list[str], b: list[str], nd: NearDup, n_threads: int = 1) -> np.ndarray:
    """Whether each pair of texts reaches the threshold with the exact similarity."""
    from .similarity import similarity

    if not a:
        return np.zeros(0, dtype=bool)
    scores = similarity(
        a,
        b,
        method=nd.verify,
        unit=nd.unit,
        ngram=nd.ngram,
        profile=nd.profile,
        n_threads=n_threads,
    )
    return np.asarray(scores, dtype=np.float64) >= nd.threshold


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
