"""Similarity scoring and near-duplicate detection.

``similarity`` (pairs), ``cdist`` and ``top_k`` (matrices, RapidFuzz style), ``MinHasher``,
``LSHIndex``, ``dedup`` and ``band_keys``. Text is normalized with ``profile`` (default
``"search"``; ``None`` compares the text as given) and tokenized so that diacritics never
split a word. Scores are in ``[0, 1]``; a missing value scores NaN.
"""

from __future__ import annotations

import os
import struct
from typing import TYPE_CHECKING, Any, NamedTuple

from . import _core
from ._shapes import (
    _arrow_backed_strings,
    as_list,
    check_non_negative,
    is_arrow,
    is_series,
    refuse_table,
    surrogate_error,
)

if TYPE_CHECKING:
    import numpy as np


def _np() -> Any:
    """numpy, imported on first use (``pip install misfat[numpy]``)."""
    try:
        import numpy
    except ImportError as e:  # pragma: no cover - numpy is in every test environment
        raise ImportError(
            "this function returns numpy arrays; install numpy (pip install misfat[numpy])"
        ) from e
    return numpy


METHODS: tuple[str, ...] = tuple(_core.SIMILARITY_METHODS)

#: Shingle settings per method when ``unit``/``ngram`` are not given.
_DEFAULT_SHINGLES = {
    "ratio": ("char", 1),
    "indel": ("char", 1),
    "jaccard": ("word", 3),
    "containment": ("word", 3),
    "overlap": ("word", 3),
    "cosine": ("word", 1),
    "simhash": ("word", 3),
    "reprint": ("word", 2),  # sentence 2-grams; unit and ngram are fixed for this method
}


def _shingles(method: str, unit: str | None, ngram: int | None) -> tuple[str, int]:
    if not isinstance(method, str):
        raise TypeError(f"method must be a str, got {type(method).__name__}")
    if method not in _DEFAULT_SHINGLES:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")
    check_non_negative(ngram=ngram)
    du, dn = _DEFAULT_SHINGLES[method]
    return (du if unit is None else unit), (dn if ngram is None else ngram)


def _column(data: Any, what: str) -> Any:
    """A list, or an object Rust reads through the Arrow C stream without a copy (Arrow
    arrays, and pandas Series stored in Arrow such as pandas 3 ``str`` columns)."""
    refuse_table(data, what)
    if _is_arrow_only(data) or (is_series(data) and _arrow_backed_strings(data)):
        return data
    return as_list(data, what)


def _is_arrow_only(data: Any) -> bool:
    return not isinstance(data, (list, str)) and not is_series(data) and is_arrow(data)


def _idf_arg(idf: Any) -> Any:
    if idf is None:
        return None
    return _column(idf, "idf")


def similarity(
    a: Any,
    b: Any,
    *,
    method: str = "jaccard",
    unit: str | None = None,
    ngram: int | None = None,
    profile: str | None = "search",
    idf: Any = None,
    n_threads: int = 1,
) -> Any:
    """Similarity of ``a`` and ``b``, pair by pair, in ``[0, 1]``.

    ``a`` and ``b``: two str (→ float), or two equally long columns (lists, Arrow arrays:
    → float64 numpy array; pandas Series: → Series aligned on ``a``'s index), or a str and
    a column (the str is compared with every row). Missing values score NaN.

    ``method``: ``"ratio"`` (Indel normalized similarity over characters, the value of
    RapidFuzz's ``fuzz.ratio / 100`` and ``Levenshtein.ratio``), ``"jaccard"``,
    ``"containment"`` (share of ``a``'s shingles found in ``b``), ``"overlap"``
    (intersection over the smaller set), ``"cosine"`` (term frequencies; tf-idf when
    ``idf`` is a corpus of texts to fit document frequencies on) or ``"simhash"`` (64-bit
    fingerprints, ``1 - hamming / 64``) or ``"reprint"`` ("the same report": the share of
    the shorter text's words in sentences that have a near match in the longer — at least
    40% of the sentence's word 2-grams and every number it states — over at least 40
    words; the score ``dedup`` verifies with by default). ``unit`` (``"word"``/``"char"``)
    and ``ngram`` set the shingles (default word 3-grams; word unigrams for cosine).

    >>> similarity("ذهب أحمدُ إلى المدرسة", "ذهب احمد الى المدرسه")
    1.0
    >>> round(similarity("كتاب", "كتب", method="ratio"), 4)
    0.8571
    """
    unit, ngram = _shingles(method, unit, ngram)
    idf_corpus = _idf_arg(idf)

    def pairs(a: Any, b: Any) -> bytearray:
        return _core._similarity_pairs(
            a,
            b,
            method=method,
            unit=unit,
            ngram=ngram,
            profile=profile,
            n_threads=n_threads,
            idf_corpus=idf_corpus,
        )

    if isinstance(a, str) and isinstance(b, str):
        out = pairs([a], [b])
        return float(struct.unpack("<d", out)[0])
    np = _np()
    index = None
    if is_series(a) and is_series(b):
        if not a.index.equals(b.index):
            a, b = a.align(b, join="left")
        index, name = a.index, a.name
    elif is_series(a) or is_series(b):
        s = a if is_series(a) else b
        index, name = s.index, s.name
    if isinstance(a, str):
        b = _column(b, "b")
        a = [a] * len(b)
    elif isinstance(b, str):
        a = _column(a, "a")
        b = [b] * len(a)
    else:
        a, b = _column(a, "a"), _column(b, "b")
    out = np.frombuffer(pairs(a, b), dtype="<f8").astype(np.float64, copy=False)
    if index is not None:
        import pandas as pd

        return pd.Series(out, index=index, name=name, dtype="float64")
    return out


def _dtype(dtype: Any) -> np.dtype[Any]:
    np = _np()
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt


def cdist(
    queries: Any,
    choices: Any,
    *,
    method: str = "ratio",
    unit: str | None = None,
    ngram: int | None = None,
    profile: str | None = "search",
    idf: Any = None,
    dtype: Any = "float32",
    workers: int = 1,
) -> np.ndarray:
    """The ``len(queries) × len(choices)`` matrix of scores, like RapidFuzz's
    ``process.cdist`` (scores in ``[0, 1]`` rather than 0–100; NaN for missing values).

    Each query is prepared once (for ``"ratio"`` its bit-parallel pattern table) and
    compared with every choice; ``workers`` threads (-1: all cores) share the queries.
    ``cdist(x, x)`` (the same object twice) scores only half of the matrix and mirrors it
    for a symmetric method (all but ``"containment"``). The matrix is one numpy array
    filled in place; a matrix larger than the machine's memory is a ``MemoryError``
    before anything is allocated (``top_k`` keeps only the best scores).

    >>> cdist(["كتاب", "كتابة"], ["كتب"], method="ratio", dtype="float64").round(3).tolist()
    [[0.857], [0.75]]
    """
    np = _np()
    unit, ngram = _shingles(method, unit, ngram)
    dt = _dtype(dtype)
    q = _column(queries, "queries")
    # The same object twice: the core scores half the matrix for a symmetric method.
    c = q if choices is queries else _column(choices, "choices")
    out = _core._cdist(
        q,
        c,
        method=method,
        unit=unit,
        ngram=ngram,
        profile=profile,
        idf_corpus=_idf_arg(idf),
        float32=dt == np.float32,
        workers=workers,
    )
    return out


class TopK(NamedTuple):
    """``indices`` (int64, -1 where fewer than k choices) and ``scores`` (NaN there)."""

    indices: np.ndarray
    scores: np.ndarray


def top_k(
    queries: Any,
    choices: Any,
    *,
    k: int = 5,
    method: str = "jaccard",
    unit: str | None = None,
    ngram: int | None = None,
    profile: str | None = "search",
    idf: Any = None,
    workers: int = 1,
) -> TopK:
    """The ``k`` best choices for each query without building the full matrix.

    Returns ``TopK(indices, scores)``, both ``(len(queries), k)``, best first (ties: the
    lower index first); a result larger than the machine's memory is a ``MemoryError``.

    >>> top_k(["الرئيس يزور القاهرة"], ["يزور الرئيس القاهرة", "الرئيس يزور القاهرة"],
    ...       k=1).indices.tolist()
    [[1]]
    """
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be a positive int, got {k!r}")
    unit, ngram = _shingles(method, unit, ngram)
    q, c = _column(queries, "queries"), _column(choices, "choices")
    idx, sc = _core._top_k(
        q,
        c,
        k=k,
        method=method,
        unit=unit,
        ngram=ngram,
        profile=profile,
        idf_corpus=_idf_arg(idf),
        workers=workers,
    )
    return TopK(idx, sc)


class MinHasher(_core.MinHasher):
    """MinHash signatures of whole columns: normalize → shingle → hash in Rust.

    ``num_perm`` hash functions over ``unit`` (``"word"``/``"char"``) n-grams of size
    ``ngram``; text normalized with ``profile`` first. Same ``seed`` → same signatures in
    every process and on every machine. Frozen, thread-safe, picklable.

    >>> m = MinHasher(num_perm=64, seed=1)
    >>> m.signatures(["الخبر العاجل اليوم", None]).shape
    (2, 64)
    """

    __slots__ = ()

    def __new__(
        cls,
        num_perm: int = 128,
        ngram: int = 3,
        unit: str = "word",
        seed: int = 1,
        profile: str | None = "search",
    ) -> MinHasher:
        check_non_negative(num_perm=num_perm, ngram=ngram, seed=seed)
        return super().__new__(cls, num_perm, ngram, unit, seed, profile)

    def signatures(self, texts: Any, *, n_threads: int = 1) -> np.ndarray:
        """``(len(texts), num_perm)`` uint32 array. A missing or empty text has the
        signature of the empty set (every value 0xFFFFFFFF)."""
        np = _np()
        if isinstance(texts, str):
            texts = [texts]
        col = _column(texts, "texts")
        raw = self._signatures(col, n_threads=n_threads)
        return (
            np.frombuffer(raw, dtype="<u4").astype(np.uint32, copy=False).reshape(-1, self.num_perm)
        )


def _sig_bytes(signatures: Any, num_perm: int | None = None) -> tuple[bytes, int, int]:
    np = _np()
    sig = np.asarray(signatures)
    if sig.ndim == 1:
        sig = sig[None, :]
    if sig.ndim != 2:
        raise ValueError(f"signatures must be a 2-D array, got {sig.ndim} dimensions")
    # Little-endian uint32 (what MinHasher gives) needs neither the value check nor a cast.
    plain = sig.dtype.str == "<u4"
    if not plain and (not np.issubdtype(sig.dtype, np.unsignedinteger) or sig.dtype.itemsize > 4):
        if sig.size and (
            not np.issubdtype(sig.dtype, np.integer) or sig.min() < 0 or sig.max() > 0xFFFFFFFF
        ):
            raise ValueError(f"signatures must be uint32 values, got dtype {sig.dtype}")
    if num_perm is not None and sig.shape[1] != num_perm:
        raise ValueError(
            f"signatures have {sig.shape[1]} values per row, expected num_perm = {num_perm}"
        )
    flat = sig if plain else np.ascontiguousarray(sig, dtype="<u4")
    return flat.tobytes(), sig.shape[0], sig.shape[1]


def lsh_params(threshold: float, num_perm: int = 128) -> tuple[int, int]:
    """``(bands, rows)`` minimizing false positives below and false negatives above the
    threshold, equally weighted (datasketch's criterion)."""
    check_non_negative(num_perm=num_perm)
    return tuple(_core._lsh_params(float(threshold), int(num_perm)))  # type: ignore[return-value]


def band_keys(
    signatures: Any, bands: int, rows: int, *, long: bool = True, n_threads: int = 1
) -> Any:
    """Band keys of MinHash signatures, for distributed group-by.

    ``long=True`` (default): a long table with one row per (document, band):
    ``doc`` (int64 row number), ``band`` (int32), ``key`` (uint64) — a pandas DataFrame
    when pandas is installed, else a dict of numpy arrays. Rows sharing ``(band, key)``
    are LSH candidates. ``long=False``: the ``(n, bands)`` uint64 matrix.
    """
    check_non_negative(bands=bands, rows=rows)
    np = _np()
    raw, n, num_perm = _sig_bytes(signatures)
    keys = (
        np.frombuffer(
            _core._band_keys(raw, num_perm, int(bands), int(rows), n_threads=n_threads), dtype="<u8"
        )
        .astype(np.uint64, copy=False)
        .reshape(n, int(bands))
    )
    if not long:
        return keys
    table = {
        "doc": np.repeat(np.arange(n, dtype=np.int64), int(bands)),
        "band": np.tile(np.arange(int(bands), dtype=np.int32), n),
        "key": keys.reshape(-1),
    }
    try:
        import pandas as pd
    except ImportError:
        return table
    return pd.DataFrame(table)


def _restore_lsh(cls: type, args: tuple[Any, ...], state: bytes) -> LSHIndex:
    obj = cls(*args)
    obj._load(state)
    return obj  # type: ignore[no-any-return]


class LSHIndex(_core.LSHIndex):
    """A banded LSH index over MinHash signatures (keys: str or int).

    ``bands`` × ``rows`` come from ``threshold`` (datasketch's criterion) unless both are
    given. Thread-safe (queries share a read lock), picklable, ``save``/``load`` to a
    versioned, validated binary format. Memory: 13 bytes per document and band (a sorted
    run per band with a directory on the key's top bits, no hash maps) plus its key;
    saved: ``bands`` × 8 bytes plus the key. ``insert_many`` sorts a batch once per band
    and folds it into the band's run, so an index built in bulk answers each band with
    one directory probe.

    >>> m = MinHasher(num_perm=128)
    >>> idx = LSHIndex(threshold=0.5, num_perm=128)
    >>> idx.insert("a", m.signatures("خبر عاجل عن الطقس في القاهرة اليوم")[0])
    >>> idx.query(m.signatures("خبر عاجل عن الطقس في القاهرة اليوم")[0])
    ['a']
    """

    __slots__ = ()

    def __new__(
        cls,
        threshold: float = 0.5,
        num_perm: int = 128,
        bands: int | None = None,
        rows: int | None = None,
    ) -> LSHIndex:
        check_non_negative(num_perm=num_perm, bands=bands, rows=rows)
        return super().__new__(cls, threshold, num_perm, bands, rows)

    def insert(self, key: str | int, signature: Any) -> None:
        """Adds one document; a key already in the index is a ``ValueError``."""
        raw, n, _ = _sig_bytes(signature, self.num_perm)
        if n != 1:
            raise ValueError("insert takes one signature; use insert_many for several")
        self._insert_keys([key], raw)

    def insert_many(self, keys: Any, signatures: Any) -> None:
        """Adds ``keys[i]`` with ``signatures[i]`` (all or nothing)."""
        keys = list(keys)
        raw, n, _ = _sig_bytes(signatures, self.num_perm)
        if n != len(keys):
            raise ValueError(f"{len(keys)} keys but {n} signatures")
        self._insert_keys(keys, raw)

    def _insert_keys(self, keys: list[Any], raw: bytes) -> None:
        try:
            self._insert(keys, raw)
        except UnicodeEncodeError:
            for i, k in enumerate(keys):
                if isinstance(k, str):
                    try:
                        k.encode("utf-8")
                    except UnicodeEncodeError:
                        raise surrogate_error(k, f"key {i}") from None
            raise

    def query(self, signature: Any) -> list[Any]:
        """Keys of the documents sharing at least one band with ``signature``."""
        # A uint32 row (what MinHasher gives) is read by Rust directly; anything else is
        # checked and converted here first.
        hits = self._query_row(signature)
        if hits is not None:
            return hits  # type: ignore[no-any-return]
        raw, n, _ = _sig_bytes(signature, self.num_perm)
        if n != 1:
            raise ValueError("query takes one signature; use query_many for several")
        return self._query(raw)[0]  # type: ignore[no-any-return]

    def query_many(self, signatures: Any) -> list[list[Any]]:
        raw, _, _ = _sig_bytes(signatures, self.num_perm)
        return self._query(raw)  # type: ignore[no-any-return]

    def save(self, path: str | os.PathLike[str]) -> None:
        """Writes the index (versioned binary format) to ``path``."""
        with open(path, "wb") as f:
            f.write(self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> LSHIndex:
        """Reads bytes from ``to_bytes``; malformed data is a ``ValueError``."""
        return _restore_lsh(cls, (0.5, 1, 1, 1), bytes(data))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> LSHIndex:
        with open(path, "rb") as f:
            return cls.from_bytes(f.read())

    def __reduce__(self) -> Any:
        return (_restore_lsh, (type(self), (0.5, 1, 1, 1), self.to_bytes()))


class DedupResult(NamedTuple):
    """``cluster``: per row, the row number of its cluster's representative;
    ``representative``: True for that row (keep these to drop near-duplicates);
    ``score``: each row's score against its representative (1 for a representative; NaN
    where ``match="jaccard"`` joined rows through other members)."""

    cluster: np.ndarray
    representative: np.ndarray
    score: np.ndarray


MATCHES: tuple[str, ...] = tuple(_core.MATCHES)
#: The default threshold of ``dedup(match="reprint")`` (on ``similarity(method="reprint")``).
REPRINT_THRESHOLD: float = _core.REPRINT_THRESHOLD


def dedup(
    texts: Any,
    *,
    match: str = "reprint",
    threshold: float | None = None,
    method: str = "minhash",
    verify: str | bool | None = None,
    num_perm: int = 128,
    bands: int | None = None,
    rows: int | None = None,
    unit: str = "word",
    ngram: int = 2,
    seed: int = 1,
    profile: str | None = "search",
    n_threads: int = 1,
) -> Any:
    """Clusters near-duplicate texts: the same report republished, trimmed or restyled.

    ``match="reprint"`` (default): candidates come from MinHash LSH over word 2-grams
    (32 bands × 4 rows) and from keys of single sentences (rows sharing a lightly edited
    sentence meet), and each pair is verified with ``similarity(method="reprint")`` ≥
    ``threshold`` (default 0.5): the share of the shorter text's sentences found in the
    longer, numbers included, so trimmed and re-headlined copies match and template
    stories with other numbers and dates do not. A row joins a cluster only if it
    verifies against the cluster's representative, never through another member, so
    chains of similar stories are not merged; the representative is the row that verifies
    with the most others (ties: the first), usually the fullest copy of the report.
    ``score`` says how well each row matched it, to audit a cluster or cut it tighter.

    ``match="jaccard"``: the earlier behaviour — MinHash (``method="minhash"``, bands ×
    rows chosen from ``threshold`` unless given) or 64-bit SimHash (``"simhash"``)
    candidates, verified with ``verify="jaccard"`` (default, threshold 0.4) or
    ``"overlap"`` on ``unit`` ``ngram``-grams (or ``False``: unverified), joined by single
    link (union-find); a cluster's id is its first row.

    Returns a ``DedupResult(cluster, representative, score)`` of numpy arrays; for a
    pandas Series, a DataFrame with those columns and the Series' index. A missing or
    empty text is alone in its cluster.

    Texts under 40 words count less as reprints (a headline is not a copy of every article
    that carries it; the same text twice still is), so these one-line examples that differ
    in a letter compare word 2-grams (``"jaccard"``):

    >>> r = dedup(["الرئيس يزور القاهرة اليوم في زيارة رسمية تستمر ثلاثة أيام",
    ...            "الرئيس يزور القاهره اليوم في زيارة رسمية تستمر ثلاثة أيام", "خبر آخر"],
    ...           match="jaccard")
    >>> r.cluster.tolist(), r.representative.tolist()
    ([0, 0, 2], [True, False, True])
    >>> dedup(["الرئيس يزور القاهرة اليوم في زيارة رسمية تستمر ثلاثة أيام"] * 2).cluster.tolist()
    [0, 0]
    """
    np = _np()
    if verify is not None and not isinstance(verify, (str, bool)):
        raise TypeError(f"verify must be a str or bool, got {type(verify).__name__}")
    if threshold is not None and (
        isinstance(threshold, bool) or not isinstance(threshold, (int, float))
    ):
        raise ValueError(f"threshold must be a number in (0, 1], got {threshold!r}")
    check_non_negative(num_perm=num_perm, bands=bands, rows=rows, ngram=ngram, seed=seed)
    index = texts.index if is_series(texts) else None
    col = _column(texts, "texts")
    # The core resolves the defaults (threshold, verify) and checks the options.
    raw, raw_score, _cand, _ver = _core._dedup(
        col,
        match=match,
        threshold=None if threshold is None else float(threshold),
        method=method,
        verify=verify,
        num_perm=num_perm,
        bands=bands,
        rows=rows,
        unit=unit,
        ngram=ngram,
        seed=seed,
        profile=profile,
        n_threads=n_threads,
    )
    cluster = np.frombuffer(raw, dtype="<u4").astype(np.int64)
    score = np.frombuffer(raw_score, dtype="<f4").astype(np.float64)
    rep = cluster == np.arange(len(cluster))
    if index is not None:
        import pandas as pd

        return pd.DataFrame(
            {"cluster": cluster, "representative": rep, "score": score}, index=index
        )
    return DedupResult(cluster, rep, score)
