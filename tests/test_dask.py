"""misfat.dask on a real LocalCluster with two worker processes: same results as pandas."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from corpus_data import corpus

import misfat
from misfat.corpus import clean_corpus

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")
md = pytest.importorskip("misfat.dask")


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    # ":0": the dashboard on any free port (None still binds 8787, which another job may hold).
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return pd.DataFrame(corpus(copies=3))


def _values(s: pd.Series) -> list:
    return [None if pd.isna(x) else x for x in s]


def _dedup_ids(texts: list) -> list[int]:
    from misfat.cli import _cluster_ids
    from misfat.similarity import dedup

    return [int(c) for c in _cluster_ids(dedup(texts))]


def test_normalize_per_partition(client: object, df: pd.DataFrame) -> None:
    ddf = dd.from_pandas(df, npartitions=3)
    lazy = md.normalize(ddf, "text", profile="search")
    got = lazy.compute()
    assert got.dtype == lazy.dtype  # meta is right
    assert got.name == "text" and got.index.equals(df.index)
    assert _values(got) == _values(misfat.normalize(df["text"], profile="search"))
    assert _values(md.normalize(ddf["title"]).compute()) == _values(misfat.normalize(df["title"]))


def test_strip_per_partition_with_sites_and_model(client: object, df: pd.DataFrame) -> None:
    ddf = dd.from_pandas(df, npartitions=3)
    model = md.fit_model(ddf, "text", "site")
    one = misfat.BoilerplateModel.fit(df["text"].tolist(), sites=df["site"].tolist())
    expect = misfat.strip_boilerplate(df["text"], model=one, sites=df["site"].tolist())
    lazy = md.strip_boilerplate(ddf, "text", sites="site", model=model)
    got = lazy.compute()
    assert got.dtype == lazy.dtype and got.name == "text"
    assert _values(got) == _values(expect)  # merged partition models == one model
    plain = md.strip_boilerplate(ddf["text"]).compute()
    assert _values(plain) == _values(misfat.strip_boilerplate(df["text"]))


@pytest.mark.parametrize("npartitions", [1, 4])
def test_distributed_dedup_equals_single_machine(
    client: object, df: pd.DataFrame, npartitions: int
) -> None:
    texts = misfat.normalize(misfat.strip_boilerplate(df["text"]))
    # A bucket larger than 16 rows: 20 copies of one story, with different endings.
    story = texts.dropna().iloc[5]
    extra = pd.Series([f"{story}\nتحديث رقم {i}" for i in range(20)], name="text")
    s = pd.concat([texts, extra], ignore_index=True)
    ddf = dd.from_pandas(s.to_frame(), npartitions=npartitions)
    out, pairs = md.dedup(ddf, "text", return_pairs=True)
    got = out.compute()
    expect = _dedup_ids(s.tolist())
    assert got["cluster"].tolist() == expect
    assert got["representative"].tolist() == [c == i for i, c in enumerate(expect)]
    assert got.index.equals(s.index)
    assert len(pairs) and (pairs["a"] < pairs["b"]).all()


def test_clean_corpus_on_dask_equals_pandas(client: object, df: pd.DataFrame) -> None:
    ddf = dd.from_pandas(df, npartitions=3)
    lazy = md.clean_corpus(ddf, "text", site="site")
    got = lazy.compute()
    expect = clean_corpus(df, site="site", progress=False)
    assert list(got.columns) == list(expect.columns)
    assert dict(got.dtypes) == dict(lazy.dtypes)  # meta is right
    assert _values(got["clean"]) == _values(expect["clean"])
    assert got["removed_lines"].tolist() == expect["removed_lines"].tolist()
    assert got["cluster"].tolist() == expect["cluster"].tolist()
    assert np.array_equal(got["representative"], expect["representative"])


def test_clean_corpus_without_dedup(client: object, df: pd.DataFrame) -> None:
    ddf = dd.from_pandas(df, npartitions=2)
    got = md.clean_corpus(ddf, "text", site="site", dedup=False).compute()
    expect = clean_corpus(df, site="site", progress=False, dedup=False)
    assert _values(got["clean"]) == _values(expect["clean"])
    assert "cluster" not in got.columns


def test_errors(df: pd.DataFrame) -> None:
    ddf = dd.from_pandas(df, npartitions=2)
    with pytest.raises(ValueError, match="column 'body' not found"):
        md.clean_corpus(ddf, "body")
    with pytest.raises(TypeError, match="column="):
        md.normalize(ddf)
    with pytest.raises(TypeError, match="Dask DataFrame or Series"):
        md.normalize(df["text"])


def test_step_by_step_as_in_the_readme(client: object, df: pd.DataFrame) -> None:
    ddf = dd.from_pandas(df, npartitions=3)
    model = md.fit_model(ddf, "text", "site")
    stripped = md.strip_boilerplate(ddf, "text", sites="site", model=model)
    normalized = md.normalize(stripped)
    clusters = md.dedup(normalized).compute()
    expect = clean_corpus(df, site="site", progress=False)
    assert _values(normalized.compute()) == _values(expect["clean"])
    assert clusters["cluster"].tolist() == expect["cluster"].tolist()
