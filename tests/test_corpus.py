"""misfat.clean_corpus: the main job on a DataFrame, and the clustering pieces behind it."""

from __future__ import annotations

import pickle
import random

import numpy as np
import pandas as pd
import pytest
from corpus_data import corpus

import misfat
from misfat import _clusters
from misfat.corpus import CorpusError, clean_corpus


@pytest.fixture(scope="module")
def df() -> pd.DataFrame:
    return pd.DataFrame(corpus())


def _dedup_ids(texts: list) -> list[int]:
    from misfat.cli import _cluster_ids
    from misfat.similarity import dedup

    return [int(c) for c in _cluster_ids(dedup(texts))]


# --- the job ------------------------------------------------------------------------------


def test_adds_columns_and_keeps_index(df: pd.DataFrame) -> None:
    d = df.set_index(pd.Index([f"r{i}" for i in range(len(df))], name="key"))
    out = clean_corpus(d, site="site", progress=False)
    assert list(out.columns) == [*d.columns, "clean", "removed_lines", "cluster", "representative"]
    assert out.index.equals(d.index)
    pd.testing.assert_frame_equal(out[d.columns], d)  # input columns untouched
    assert out["removed_lines"].dtype == "Int64"
    assert out["cluster"].dtype == np.int64
    assert out["representative"].dtype == bool
    assert (out["representative"] == (out["cluster"] == np.arange(len(out)))).all()
    # Every cluster id is the position of a representative row of the same cluster.
    assert out["representative"].to_numpy()[out["cluster"].to_numpy()].all()


def test_a_sentence_shared_by_many_pages_is_not_evidence() -> None:
    # 70 different stories end with one stock sentence (an agency line or a template);
    # two rows are one report. The stock sentence's key is shared by more rows than
    # REPRINT_MAX_BUCKET, so its bucket proposes nothing, in the core and the drivers.
    stock = "وقالت الوكالة في بيان نشرته على موقعها الرسمي مساء اليوم إن المعلومات التالية متاحة"
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    stories = [
        " ".join(letters[i % 28] + letters[i // 28 + 1] + letters[k] for k in range(25))
        for i in range(70)
    ]
    texts = [f"{t}.\n{stock}." for t in stories]
    texts.append(texts[5])
    assert len(texts) - 1 > misfat._core.REPRINT_MAX_BUCKET
    out = clean_corpus(pd.DataFrame({"text": texts}), progress=False, strip=False)
    assert out["cluster"].tolist() == _dedup_ids(texts) == [*range(70), 5]
    nd = _clusters.NearDup.make()
    pairs = _clusters.bucket_pairs(*_clusters.candidate_table(texts, nd), nd.sentence_band)
    # (MinHash bands may still pair a few stories through the shared sentence.)
    assert [5, 70] in pairs.tolist() and len(pairs) < 20
    uncapped = _clusters.bucket_pairs(*_clusters.candidate_table(texts, nd))
    assert len(uncapped) > 70


@pytest.mark.parametrize("match", ["reprint", "jaccard"])
def test_row_pair_scores_equal_pairwise_similarity(df: pd.DataFrame, match: str) -> None:
    texts = [t if isinstance(t, str) else "" for t in df["text"]]
    rng = np.random.default_rng(3)
    pairs = np.sort(rng.integers(0, len(texts), size=(200, 2)), axis=1)
    nd = _clusters.NearDup.make(match=match)
    fast = _clusters.row_pair_scores(texts, pairs, nd, n_threads=2)
    slow = _clusters.pair_scores([texts[a] for a, _ in pairs], [texts[b] for _, b in pairs], nd)
    np.testing.assert_array_equal(fast, slow)
    with pytest.raises(ValueError, match="outside"):
        _clusters.row_pair_scores(texts[:3], np.array([[0, 5]]), nd)
    with pytest.raises(ValueError, match=r"^row 4294967296: rows past 2\^32 - 1"):
        _clusters.row_pair_scores(texts[:3], np.array([[0, 2**32]]), nd)


def test_fewer_permutations_cluster_alike_in_every_driver(df: pd.DataFrame) -> None:
    # The reprint LSH settings for a smaller num_perm come from one rule in the core.
    out = clean_corpus(df, site="site", progress=False, num_perm=64)
    texts = out["clean"].tolist()
    from misfat.cli import _cluster_ids

    want = [int(c) for c in _cluster_ids(misfat.dedup(texts, num_perm=64))]
    assert out["cluster"].tolist() == want


def test_clusters_equal_single_machine_dedup(df: pd.DataFrame) -> None:
    out = clean_corpus(df, site="site", progress=False)
    assert out["cluster"].tolist() == _dedup_ids(out["clean"].tolist())
    # The copies of a story (same title, text present) land in one cluster.
    story = out[out["title"] == out["title"].iloc[0]]
    assert story["cluster"].nunique() == 1 and len(story) >= 4


def test_missing_and_empty_text(df: pd.DataFrame) -> None:
    out = clean_corpus(df, site="site", progress=False).set_index("id")
    assert pd.isna(out.loc["empty", "clean"])
    assert out.loc["empty", "removed_lines"] is pd.NA
    assert out.loc["blank", "clean"] == ""
    for rid in ("empty", "blank"):
        pos = out.index.get_loc(rid)
        assert out.loc[rid, "cluster"] == pos and out.loc[rid, "representative"]


def test_strip_learns_site_furniture(df: pd.DataFrame) -> None:
    without = clean_corpus(df, progress=False, dedup=False)
    learned = clean_corpus(df, site="site", progress=False, dedup=False)
    assert (learned["removed_lines"].fillna(0) >= without["removed_lines"].fillna(0)).all()
    assert learned["removed_lines"].sum() > without["removed_lines"].sum()
    for line in ("جميع الحقوق محفوظة لموقع المرآة", "© موقع النافذة 2018", "شارك هذا المقال"):
        assert not learned["clean"].str.contains(line, regex=False).fillna(False).any()
    # The same model given explicitly, and learning switched off.
    model = misfat.BoilerplateModel.fit(df["text"].tolist(), sites=df["site"].tolist())
    given = clean_corpus(df, site="site", model=model, progress=False, dedup=False)
    pd.testing.assert_frame_equal(given, learned)
    off = clean_corpus(df, site="site", learn=False, progress=False, dedup=False)
    pd.testing.assert_frame_equal(off, without)


def test_cleaned_text_is_stripped_then_normalized(df: pd.DataFrame) -> None:
    out = clean_corpus(df, site="site", progress=False, dedup=False)
    model = misfat.BoilerplateModel.fit(df["text"].tolist(), sites=df["site"].tolist())
    expect = misfat.normalize(
        misfat.strip_boilerplate(df["text"], model=model, sites=df["site"].tolist())
    )
    pd.testing.assert_series_equal(out["clean"], expect, check_names=False)
    raw = clean_corpus(df, profile=None, strip=False, dedup=False, progress=False)
    assert raw["clean"].tolist()[:3] == df["text"].tolist()[:3]
    assert (raw["removed_lines"].dropna() == 0).all()


@pytest.mark.parametrize("batch_size", [1, 4, 1000])
def test_batches_do_not_change_the_result(df: pd.DataFrame, batch_size: int) -> None:
    dedup = hasattr(misfat, "dedup")
    ref = clean_corpus(df, site="site", progress=False, dedup=dedup)
    out = clean_corpus(df, site="site", progress=False, batch_size=batch_size, dedup=dedup)
    pd.testing.assert_frame_equal(out, ref)


@pytest.mark.parametrize(
    "options",
    [{}, {"dedup": False, "profile": None}, {"strip": False}, {"learn": False, "dedup": False}],
)
def test_arrow_text_column_is_cleaned_as_python_strings_are(
    df: pd.DataFrame, options: dict
) -> None:
    # A pandas 3 str column goes through the job in Arrow; object columns of Python str
    # take the list path: both give the same rows.
    arrow = df.astype({"text": pd.StringDtype("pyarrow"), "site": object})
    plain = df.astype({"text": object, "site": object})
    assert arrow["text"].isna().any()
    a = clean_corpus(arrow, site="site", progress=False, **options)
    b = clean_corpus(plain, site="site", progress=False, **options)
    assert a["clean"].dtype == arrow["text"].dtype and b["clean"].dtype == object
    values = [[None if pd.isna(v) else v for v in out["clean"]] for out in (a, b)]
    assert values[0] == values[1]
    pd.testing.assert_frame_equal(
        a.drop(columns=["text", "clean"]), b.drop(columns=["text", "clean"])
    )


def test_string_dtype_kept() -> None:
    s = pd.DataFrame({"text": pd.array(["أَهْلاً وسَهْلاً بكم في المدينة.", None], dtype="string")})
    out = clean_corpus(s, dedup=False, progress=False)
    assert out["clean"].dtype == s["text"].dtype
    assert out["clean"].iloc[0] == "اهلا وسهلا بكم في المدينه."
    assert pd.isna(out["clean"].iloc[1])


def test_missing_column_names_it_and_the_available_ones(df: pd.DataFrame) -> None:
    with pytest.raises(CorpusError, match=r"column 'body' not found .*id, site, title, text"):
        clean_corpus(df, text="body")
    with pytest.raises(CorpusError, match="column 'domain' not found"):
        clean_corpus(df, site="domain")
    assert issubclass(CorpusError, ValueError)


def test_value_that_is_not_text() -> None:
    d = pd.DataFrame({"text": ["خبر", 3.5], "site": ["a", "b"]})
    with pytest.raises(CorpusError, match=r"column 'text', row 2 holds a value of type float"):
        clean_corpus(d, dedup=False)
    d = pd.DataFrame({"text": ["خبر", "نص"], "site": ["a", 7]})
    with pytest.raises(CorpusError, match=r"column 'site', row 2 holds a value of type int"):
        clean_corpus(d, site="site", dedup=False)


def test_bad_arguments(df: pd.DataFrame) -> None:
    with pytest.raises(TypeError, match="pandas DataFrame"):
        clean_corpus(df["text"])
    with pytest.raises(TypeError, match="column name"):
        clean_corpus(df, text=3)
    with pytest.raises(ValueError, match="batch_size"):
        clean_corpus(df, batch_size=0)
    with pytest.raises(TypeError, match="progress"):
        clean_corpus(df, progress="yes")
    with pytest.raises(ValueError, match="aggressiveness"):
        clean_corpus(df, aggressiveness="extreme", dedup=False)


def test_bad_dedup_options(df: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="threshold"):
        clean_corpus(df, threshold=2.0)
    with pytest.raises(ValueError, match="verify"):
        clean_corpus(df, verify="cosine")


def test_progress_bars_go_to_stderr(df: pd.DataFrame, capsys: pytest.CaptureFixture) -> None:
    pytest.importorskip("tqdm")
    clean_corpus(df, site="site", progress=True, dedup=False, batch_size=5)
    err = capsys.readouterr().err
    assert "learning furniture" in err and "stripping and normalizing" in err
    clean_corpus(df, site="site", progress=None, dedup=False)  # not a terminal: silent
    assert capsys.readouterr().err == ""


# --- the clustering pieces ----------------------------------------------------------------


def _brute_pairs(band: np.ndarray, key: np.ndarray, row: np.ndarray) -> set[tuple[int, int]]:
    buckets: dict[tuple[int, int], list[int]] = {}
    for b, k, r in zip(band.tolist(), key.tolist(), row.tolist(), strict=True):
        buckets.setdefault((b, k), []).append(r)
    out = set()
    for run in buckets.values():
        run.sort()
        if len(run) <= _clusters.ALL_PAIRS:
            out |= {(run[x], run[y]) for x in range(len(run)) for y in range(x + 1, len(run))}
        else:
            out |= {(run[0], run[y]) for y in range(1, len(run))}
            out |= {(run[y - 1], run[y]) for y in range(2, len(run))}
    return out


@pytest.mark.parametrize("seed", range(5))
def test_bucket_pairs_follow_the_dedup_rule(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, bands = 300, 4
    keys = rng.integers(0, 12 if seed % 2 else 40, size=(n, bands)).astype(np.uint64)
    keys[rng.random((n, bands)) < 0.1] = _clusters.NO_KEY
    band, key, row = _clusters.long_keys(keys, first_row=1000)
    assert _clusters.NO_KEY not in key
    pairs = _clusters.bucket_pairs(band, key, row)
    assert {tuple(p) for p in pairs.tolist()} == _brute_pairs(band, key, row)
    assert (pairs[:, 0] < pairs[:, 1]).all()
    # The long table in any order gives the same pairs.
    perm = rng.permutation(len(row))
    np.testing.assert_array_equal(_clusters.bucket_pairs(band[perm], key[perm], row[perm]), pairs)


def test_bucket_pairs_empty() -> None:
    e = np.empty(0, dtype=np.int64)
    assert _clusters.bucket_pairs(e, e.astype(np.uint64), e).shape == (0, 2)


@pytest.mark.parametrize("seed", range(5))
def test_components_are_union_find_with_smallest_roots(seed: int) -> None:
    rng = random.Random(seed)
    n = 200
    pairs = np.array(
        [sorted(rng.sample(range(n), 2)) for _ in range(rng.randrange(0, 250))], dtype=np.int64
    ).reshape(-1, 2)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in pairs.tolist():
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    assert _clusters.components(n, pairs).tolist() == [find(i) for i in range(n)]


def test_settings_pickle_and_match_dedup_defaults() -> None:
    nd = _clusters.NearDup.make()
    assert pickle.loads(pickle.dumps(nd)) == nd
    assert nd.bands * nd.rows <= nd.num_perm
    with pytest.raises(TypeError, match="unknown near-duplicate option"):
        _clusters.NearDup.make(treshold=0.5)


def test_dedup_signature_defaults_are_the_cores() -> None:
    # dedup's public signature spells its defaults out for help(); they must be those
    # the core fills in for the drivers (NearDup.make()), for both matches.
    import inspect

    sig = inspect.signature(misfat.dedup).parameters
    for match in misfat.MATCHES:
        nd = _clusters.NearDup.make(match=match)
        for name in ("num_perm", "unit", "ngram", "seed", "profile"):
            assert getattr(nd, name) == sig[name].default, (match, name)
    assert sig["match"].default == _clusters.NearDup.make().match


def test_arrow_and_polars_frames_come_back_as_they_came(df: pd.DataFrame) -> None:
    pa = pytest.importorskip("pyarrow")
    small = df.head(40).reset_index(drop=True)
    # An integer column with a gap: pandas would make it float, Arrow keeps it int64.
    ids = pa.array([None if i % 7 == 0 else 2**53 + i for i in range(len(small))], pa.int64())
    table = pa.Table.from_pandas(small, preserve_index=False).append_column("num", ids)
    want = clean_corpus(small, "text", "site")

    def plain(values: list) -> list:
        return [None if v is None or v is pd.NA or v != v else v for v in values]

    for given in (table, pa.RecordBatchReader.from_batches(table.schema, table.to_batches())):
        got = clean_corpus(given, "text", "site")
        assert isinstance(got, pa.Table) and got.num_rows == len(small)
        assert got.column("num").combine_chunks().equals(ids)  # untouched, exact
        for column in ("clean", "removed_lines", "cluster", "representative"):
            assert got.column(column).to_pylist() == plain(want[column].tolist()), column
    pl = pytest.importorskip("polars")
    out = clean_corpus(pl.from_arrow(table), "text", "site")
    assert isinstance(out, pl.DataFrame)
    assert out["num"].to_list() == ids.to_pylist()
    assert out["representative"].to_list() == want["representative"].tolist()
    with pytest.raises(TypeError, match="pyarrow Table"):
        clean_corpus([{"text": "x"}], "text")


def test_one_options_object_behind_every_driver() -> None:
    # clean_corpus, clean_file and misfat.dask.clean_corpus show CleanOptions' fields
    # and defaults (written once), and bad options fail when the options are made.
    import dataclasses
    import inspect

    from misfat._pipeline import CleanOptions

    defaults = {f.name: f.default for f in dataclasses.fields(CleanOptions) if f.init}
    md = pytest.importorskip("misfat.dask")
    for func, renamed in (
        (clean_corpus, {}),
        (misfat.clean_file, {"output_column": "output"}),
        (md.clean_corpus, {}),
    ):
        params = inspect.signature(func).parameters
        shown = {
            renamed.get(k, k): p.default for k, p in params.items() if k in defaults or k in renamed
        }
        assert shown == {k: defaults[k] for k in shown}, func
        assert len(shown) >= len(defaults) - 3
    with pytest.raises(ValueError, match="aggressiveness"):
        CleanOptions(aggressiveness="max")
    with pytest.raises(TypeError, match="unexpected keyword argument 'treshold'"):
        clean_corpus(pd.DataFrame({"text": ["x"]}), treshold=0.5)
    assert pickle.loads(pickle.dumps(CleanOptions(site="site"))) == CleanOptions(site="site")
