"""misfat on Dask: normalization and stripping per partition, near-duplicates distributed.

>>> import dask.dataframe as dd, misfat.dask as md                       # doctest: +SKIP
>>> ddf = dd.read_parquet("news/*.parquet")                               # doctest: +SKIP
>>> out = md.clean_corpus(ddf, text="text", site="site")                  # doctest: +SKIP
>>> out[out.representative].to_parquet("clean/")                          # doctest: +SKIP

- ``normalize(s)`` / ``strip_boilerplate(s, ...)``: one Rust call per partition, ``meta``
  computed by running the same function on the empty partition, so dtypes (object,
  ``string[pyarrow]``, pandas 3 ``str``) and names are right.
- ``fit_model(ddf, text, site)``: a ``BoilerplateModel`` fitted per partition and merged
  in a tree (models are mergeable), computed.
- ``dedup(ddf, text)``: MinHash band keys per partition → a long table ``(band, key,
  row)`` shuffled on ``(band, key)`` → candidate pairs per bucket (``misfat.dedup``'s
  rule) → each pair joined with its two texts (two shuffles) and verified with the exact
  similarity → the verified pairs (near-duplicates only) are collected and their
  connected components computed on the client → a ``cluster`` column per partition. The
  same clusters as ``misfat.dedup`` on the whole column (tested on a LocalCluster).
- ``clean_corpus(ddf, ...)``: the three together, as ``misfat.clean_corpus``.

Memory on the client: the row count of each partition and the verified pairs (two int64
per near-duplicate pair); on the workers, the shuffles of band keys (``bands`` rows of 24
bytes per text) and of candidate pairs with their texts.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pandas as pd

from . import _clusters, _core
from ._pipeline import (
    CLUSTER,
    REPRESENTATIVE,
    CleanOptions,
    StripOptions,
    bind,
    clean_batch,
    signature,
)
from ._pipeline import column_values as _column_values
from .boilerplate import BoilerplateModel
from .boilerplate import strip_boilerplate as _strip
from .errors import check_columns
from .normalize import normalize as _normalize

__all__ = ["clean_corpus", "dedup", "fit_model", "normalize", "strip_boilerplate"]


def _dd() -> Any:
    import dask.dataframe as dd

    return dd


def _series(data: Any, column: str | None) -> Any:
    dd = _dd()
    if isinstance(data, dd.DataFrame):
        if column is None:
            raise TypeError("pass column= to choose the text column of a Dask DataFrame")
        check_columns(list(data.columns), [column], "the Dask DataFrame")
        return data[column]
    if isinstance(data, dd.Series):
        return data
    raise TypeError(f"expected a Dask DataFrame or Series, got {type(data).__name__}")


def _normalize_part(s: pd.Series, kwargs: dict[str, Any]) -> pd.Series:
    return _normalize(s, **kwargs)


def normalize(data: Any, column: str | None = None, **kwargs: Any) -> Any:
    """``misfat.normalize`` on every partition of a Dask Series (or ``data[column]``).

    Keyword arguments are those of ``misfat.normalize``; index, name and dtype are kept.
    """
    s = _series(data, column)
    meta = _normalize_part(s._meta, kwargs)
    return s.map_partitions(_normalize_part, kwargs, meta=meta)


def _strip_part(frame: pd.DataFrame, kwargs: dict[str, Any], with_sites: bool) -> pd.Series:
    text = frame.iloc[:, 0]
    sites = frame.iloc[:, 1].tolist() if with_sites else None
    return _strip(text, sites=sites, **kwargs)


def strip_boilerplate(
    data: Any,
    column: str | None = None,
    *,
    sites: Any = None,
    model: BoilerplateModel | None = None,
    **kwargs: Any,
) -> Any:
    """``misfat.strip_boilerplate`` on every partition.

    ``sites``: a column name of ``data`` (a DataFrame) or a Dask Series aligned with the
    text, or one str; ``model``: a fitted ``BoilerplateModel`` (see ``fit_model``), shipped
    to the workers once. ``return_removed`` is not supported here (use ``clean_corpus``).
    """
    if kwargs.get("return_removed"):
        raise ValueError("return_removed is not supported on Dask; use misfat.dask.clean_corpus")
    s = _series(data, column)
    kwargs = {**kwargs, "model": model}
    if sites is None or (isinstance(sites, str) and not _is_column(data, sites)):
        kwargs["sites"] = sites
        meta = _strip(s._meta, **kwargs)
        return s.map_partitions(lambda p: _strip(p, **kwargs), meta=meta)
    site_s = data[sites] if isinstance(sites, str) else sites
    frame = _dd().concat([s.rename("__text"), site_s.rename("__site")], axis=1)
    meta = _strip_part(frame._meta, kwargs, True).rename(s.name)
    return frame.map_partitions(_strip_part, kwargs, True, meta=meta).rename(s.name)


def _is_column(data: Any, name: str) -> bool:
    return isinstance(data, _dd().DataFrame) and name in data.columns


def _fit_part(frame: pd.DataFrame, opts: StripOptions, with_sites: bool) -> bytes:
    texts = _column_values(frame.iloc[:, 0])
    sites = _column_values(frame.iloc[:, 1]) if with_sites else None
    return opts.fit(texts, sites).to_bytes()


def _merge_models(parts: list[bytes]) -> bytes:
    # One set of counts absorbs each part as it is read: one part's model at a time.
    first = BoilerplateModel(parts[0])
    counts = _core._ModelBuilder(min_df=first.min_df, prose_min_df=first.prose_min_df)
    counts.absorb(first)
    del first
    for blob in parts[1:]:
        counts.absorb(BoilerplateModel(blob))
    return BoilerplateModel(counts).to_bytes()


def fit_model(
    ddf: Any,
    text: str = "text",
    site: str | None = None,
    *,
    min_df: int = 3,
    prose_min_df: int = 5,
    split_every: int = 8,
) -> BoilerplateModel:
    """A ``BoilerplateModel`` fitted on every partition and merged in a tree (computed)."""
    import dask
    from dask import delayed

    check_columns(list(ddf.columns), [text, site], "the Dask DataFrame")
    opts = StripOptions(min_df=min_df, prose_min_df=prose_min_df)
    cols = [text] if site is None else [text, site]
    parts = [delayed(_fit_part)(p, opts, site is not None) for p in ddf[cols].to_delayed()]
    while len(parts) > 1:
        parts = [
            delayed(_merge_models)(parts[i : i + split_every])
            for i in range(0, len(parts), split_every)
        ]
    (blob,) = dask.compute(parts[0])
    return BoilerplateModel(blob)


# --- near-duplicates ----------------------------------------------------------------------


def _offsets(ddf: Any) -> np.ndarray:
    lengths = ddf.map_partitions(len).compute()
    return np.concatenate([[0], np.cumsum(np.asarray(lengths, dtype=np.int64))])


_KEYS_META = pd.DataFrame(
    {
        "band": pd.Series(dtype=np.int64),
        "key": pd.Series(dtype=np.uint64),
        "row": pd.Series(dtype=np.int64),
    }
)
_PAIRS_META = pd.DataFrame({"a": pd.Series(dtype=np.int64), "b": pd.Series(dtype=np.int64)})


def _keys_part(s: pd.Series, offsets: np.ndarray, nd: Any, partition_info: Any = None) -> Any:
    start = int(offsets[partition_info["number"]]) if partition_info else 0
    band, key, row = _clusters.candidate_table(_column_values(s), nd, start)
    return pd.DataFrame({"band": band, "key": key, "row": row})


def _pairs_part(frame: pd.DataFrame, nd: Any) -> pd.DataFrame:
    p = _clusters.bucket_pairs(
        frame["band"].to_numpy(np.int64),
        frame["key"].to_numpy(np.uint64),
        frame["row"].to_numpy(np.int64),
        nd.sentence_band,
    )
    return pd.DataFrame({"a": p[:, 0], "b": p[:, 1]})


def _rows_part(s: pd.Series, offsets: np.ndarray, partition_info: Any = None) -> pd.DataFrame:
    start = int(offsets[partition_info["number"]]) if partition_info else 0
    values = pd.Series(_column_values(s), dtype=object)
    keep = values.notna().to_numpy()
    rows = np.arange(start, start + len(s), dtype=np.int64)[keep]
    return pd.DataFrame({"row": rows, "text": values[keep].to_numpy()})


def _verify_part(frame: pd.DataFrame, nd: Any) -> pd.DataFrame:
    scores = _clusters.pair_scores(frame["text_a"].tolist(), frame["text_b"].tolist(), nd)
    ok = _clusters.kept(scores, nd)
    out = frame.loc[ok, ["a", "b"]].reset_index(drop=True)
    out["score"] = scores[ok]
    return out


def _cluster_part(
    s: pd.Series, offsets: np.ndarray, members: Any, partition_info: Any = None
) -> pd.DataFrame:
    start = int(offsets[partition_info["number"]]) if partition_info else 0
    rows = np.arange(start, start + len(s), dtype=np.int64)
    cluster = rows.copy()
    if len(members["row"]):
        idx = np.searchsorted(members["row"], rows)
        idx = np.minimum(idx, len(members["row"]) - 1)
        hit = members["row"][idx] == rows
        cluster[hit] = members["cluster"][idx[hit]]
    return pd.DataFrame({CLUSTER: cluster, REPRESENTATIVE: cluster == rows}, index=s.index)


def _near_dup(
    match: str | None,
    threshold: float | None,
    num_perm: int | None,
    unit: str | None,
    ngram: int | None,
    verify: str | None,
    seed: int | None,
) -> Any:
    return _clusters.NearDup.make(
        match=match,
        threshold=threshold,
        num_perm=num_perm,
        unit=unit,
        ngram=ngram,
        verify=verify,
        seed=seed,
    )


def dedup(
    data: Any,
    column: str | None = None,
    *,
    threshold: float | None = None,
    num_perm: int | None = None,
    unit: str | None = None,
    ngram: int | None = None,
    verify: str | None = None,
    match: str | None = None,
    seed: int | None = None,
    return_pairs: bool = False,
) -> Any:
    """Near-duplicate clusters of a Dask text column, distributed.

    Returns a Dask DataFrame with the index and partitions of ``data`` and two columns:
    ``cluster`` (the 0-based position, in the whole column, of the cluster's representative)
    and ``representative``. Options are those of ``misfat.dedup``; the clusters are the
    same as ``misfat.dedup(data.compute())``. ``return_pairs=True`` also returns the
    verified pairs (a pandas DataFrame of row positions ``a < b``).

    Computes twice before returning: the partition lengths, and the verified pairs (the
    band-key shuffle, candidate pairs, the joins with the texts and the verification run
    on the cluster). The returned frame is lazy.
    """
    s = _series(data, column)
    nd = _near_dup(match, threshold, num_perm, unit, ngram, verify, seed)
    offsets, members, edges = _clusters_of(s, nd)
    meta = pd.DataFrame(
        {CLUSTER: pd.Series(dtype=np.int64), REPRESENTATIVE: pd.Series(dtype=bool)},
        index=s._meta.index,
    )
    out = s.map_partitions(_cluster_part, offsets, members, meta=meta)
    if return_pairs:
        return out, pd.DataFrame(edges, columns=["a", "b"])
    return out


def _clusters_of(s: Any, nd: Any) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Partition offsets, the cluster of every row that has a verified pair, the pairs."""
    offsets = _offsets(s)
    keys = s.map_partitions(_keys_part, offsets, nd, meta=_KEYS_META)
    buckets = keys.shuffle(on=["band", "key"])
    pairs = buckets.map_partitions(_pairs_part, nd, meta=_PAIRS_META)
    pairs = pairs.drop_duplicates(split_out=pairs.npartitions)
    texts = s.map_partitions(
        _rows_part,
        offsets,
        meta=pd.DataFrame({"row": pd.Series(dtype=np.int64), "text": pd.Series(dtype=object)}),
    )
    joined = pairs.merge(texts.rename(columns={"row": "a", "text": "text_a"}), on="a")
    joined = joined.merge(texts.rename(columns={"row": "b", "text": "text_b"}), on="b")
    meta = _PAIRS_META.assign(score=pd.Series(dtype=np.float64))
    verified = joined.map_partitions(_verify_part, nd, meta=meta).compute()
    verified = verified.drop_duplicates(["a", "b"])
    pairs_ = verified[["a", "b"]].to_numpy(np.int64).reshape(-1, 2)
    scores = verified["score"].to_numpy(np.float64)
    # Clusters over the rows that have a verified pair (near-duplicates only), by the
    # core's rule.
    nodes, roots = _clusters.link_rows(pairs_, scores, nd)
    edges = pairs_[scores >= nd.threshold]
    return offsets, {"row": nodes, "cluster": roots}, edges


def _assign_part(
    frame: pd.DataFrame,
    offsets: np.ndarray,
    members: dict[str, np.ndarray],
    partition_info: Any = None,
) -> pd.DataFrame:
    c = _cluster_part(frame.iloc[:, 0], offsets, members, partition_info)
    return frame.assign(**{CLUSTER: c[CLUSTER], REPRESENTATIVE: c[REPRESENTATIVE]})


def _clean_part(frame: pd.DataFrame, opts: CleanOptions, model: BoilerplateModel | None) -> Any:
    return clean_batch(frame, opts, model, where="a partition")


@signature(
    [inspect.Parameter("ddf", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Any")],
    positional=("text", "site"),
    drop=("n_threads", "batch_size", "progress"),
)
def clean_corpus(ddf: Any, *args: Any, **options: Any) -> Any:
    """``misfat.clean_corpus`` on a Dask DataFrame: the same columns and values.

    The per-site model is fitted (and computed) first when ``site`` is given; the cleaned
    frame is persisted (``ddf.persist()``) when near-duplicates are computed, since the
    cleaned text is used twice. Returns a lazy Dask DataFrame.
    """
    given = bind(clean_corpus, (ddf, *args), options)
    del given["ddf"]
    opts = CleanOptions(**given, progress=False)
    text, site, model = opts.text, opts.site, opts.model
    check_columns(list(ddf.columns), [text, site], "the Dask DataFrame")
    if opts.fits_model and site is not None:
        model = fit_model(ddf, text, site, min_df=opts.min_df, prose_min_df=opts.prose_min_df)
    meta = _clean_part(ddf._meta, opts, None)
    cleaned = ddf.map_partitions(_clean_part, opts, model, meta=meta)
    nd = opts.near_dup
    if nd is None:
        return cleaned
    cleaned = cleaned.persist()
    offsets, members, _ = _clusters_of(cleaned[opts.output], nd)
    meta = _assign_part(meta, offsets, {"row": np.empty(0, np.int64)})
    return cleaned.map_partitions(_assign_part, offsets, members, meta=meta)
