"""The ``.arabic`` accessors (pandas Series and DataFrame, polars expressions and Series)
and misfat's functions handed to polars' ``map_batches`` / ``map_elements``.

Each accessor method must show the signature of the function it calls without the data
parameter (so ``help()`` and tab completion show the real parameters and defaults, which
cannot drift from the function's), and give the function's result with the index kept.
"""

from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pandas as pd
import polars as pl
import pytest

import misfat
from misfat import (
    BoilerplateModel,
    LSHIndex,
    MinHasher,
    classify_lines,
    clean_corpus,
    dedup,
    normalize,
    similarity,
    strip_boilerplate,
    top_k,
)

LEAD = "وقال رئيس المجلس إن المشروع سيموّل من ميزانية العام المقبل، وسيستغرق تنفيذه نحو عامين."
ABOUT = (
    "نحن فريق من الصحافيين المستقلين نغطي أخبار المنطقة منذ عام 2010، "
    "ونلتزم بالدقة والحياد في كل ما ننشر."
)
STORY = "ويُعاني سكان تلك الأحياء منذ سنوات من ازدحام خانق وقلة الحافلات في ساعات الذروة."
TAGS = "alpha beta gamma delta epsilon zeta".split()


def page(*rows: str) -> str:
    return "\n".join(rows)


@pytest.fixture(scope="module")
def model() -> BoilerplateModel:
    # a.example prints ABOUT under every story; b.example never does.
    pages = [page(f"({t}) {LEAD}", "عن الكاتب", ABOUT) for t in TAGS]
    return BoilerplateModel.fit(pages, sites="a.example")


TEXTS = [
    page("Share", STORY, "عن الكاتب", ABOUT),
    None,
    page("Skip to content", "The council approved the budget on Tuesday.", "Follow us"),
    page("Share", STORY, "عن الكاتب", ABOUT),
]
PAGES = pd.Series(TEXTS, index=pd.Index([30, 10, 20, 40], name="id"), name="text")
SITES = pd.Series(["a.example", "b.example", "b.example", "b.example"], index=PAGES.index)


def params(obj: object) -> list[tuple[str, object, object]]:
    """(name, kind, default) of each parameter, as help() shows them."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(obj).parameters.values()]  # type: ignore[arg-type]


def without_first(func: object) -> list[tuple[str, object, object]]:
    return params(func)[1:]


# --- signatures and docstrings --------------------------------------------------------------


@pytest.mark.parametrize(
    "name, func",
    [
        ("normalize", normalize),
        ("strip_boilerplate", strip_boilerplate),
        ("similarity", similarity),
        ("dedup", dedup),
        ("top_k", top_k),
    ],
)
def test_series_methods_show_the_functions_signature(name: str, func: object) -> None:
    method = getattr(PAGES.arabic, name)
    assert params(method) == without_first(func)
    assert "**" not in str(inspect.signature(method))
    assert (func.__doc__ or "").strip().splitlines()[0] in (method.__doc__ or "")  # type: ignore[attr-defined]


def test_other_methods_show_the_defaults_of_what_they_call() -> None:
    # signatures(): MinHasher's parameters (keyword-only here) and signatures' n_threads.
    shown = {n: d for n, _, d in params(PAGES.arabic.signatures)}
    wanted = {n: d for n, _, d in params(MinHasher)}
    wanted["n_threads"] = inspect.signature(MinHasher.signatures).parameters["n_threads"].default
    assert shown == wanted
    # classify_lines(): the function's options, with a site per row (sites) for its site.
    shown = {n: d for n, _, d in params(PAGES.arabic.classify_lines)}
    wanted = {("sites" if n == "site" else n): d for n, _, d in without_first(classify_lines)}
    assert shown == wanted
    # The DataFrame accessor: clean_corpus without df; strip_boilerplate after text=.
    df = PAGES.to_frame()
    assert params(df.arabic.clean) == without_first(clean_corpus)
    got = params(df.arabic.strip_boilerplate)
    assert got[0][0::2] == ("text", "text") and got[1:] == without_first(strip_boilerplate)


def test_series_accessor_str_sites_doc() -> None:
    assert "one site name for every row" in (PAGES.arabic.strip_boilerplate.__doc__ or "")
    assert "a column name" in (PAGES.to_frame().arabic.strip_boilerplate.__doc__ or "")


def test_unknown_keywords_are_type_errors() -> None:
    for call in (
        lambda: PAGES.arabic.normalize(tashkeel=True),
        lambda: PAGES.arabic.strip_boilerplate(aggressive="high"),
        lambda: PAGES.arabic.dedup(treshold=0.5),
        lambda: PAGES.arabic.signatures(perms=4),
        lambda: PAGES.arabic.classify_lines(site="a.example"),
        lambda: PAGES.to_frame().arabic.clean(sites="site"),
    ):
        with pytest.raises(TypeError, match="unexpected keyword argument"):
            call()


# --- Series accessor behaviour --------------------------------------------------------------


def test_series_methods_equal_the_functions_with_the_index() -> None:
    s = PAGES
    out = s.arabic.normalize(teh=False)
    assert out.index.equals(s.index) and out.name == "text"
    assert out.isna().tolist() == [False, True, False, False]
    assert out.dropna().tolist() == [normalize(t, teh=False) for t in TEXTS if t]
    got = s.arabic.strip_boilerplate(aggressiveness="high")
    assert got.dropna().tolist() == [
        strip_boilerplate(t, aggressiveness="high") for t in TEXTS if t
    ]
    other = pd.Series(TEXTS[::-1], index=s.index[::-1])  # aligned on the index
    assert s.arabic.similarity(other, method="ratio").equals(similarity(s, other, method="ratio"))
    assert s.arabic.similarity(other).fillna(-1).tolist() == [1.0, -1, 1.0, 1.0]
    d = s.arabic.dedup(match="jaccard", threshold=0.5)
    assert d.index.equals(s.index) and d.cluster.tolist() == [0, 1, 2, 0]
    tk = s.arabic.top_k(s, k=2, method="ratio")
    ref = top_k(s, s, k=2, method="ratio")
    assert np.array_equal(tk.indices, ref.indices) and tk.indices.shape == (4, 2)
    assert np.array_equal(tk.scores, ref.scores, equal_nan=True)


def test_signatures_and_an_lsh_index_keyed_by_the_series_index() -> None:
    s = PAGES
    sigs = s.arabic.signatures(num_perm=32, ngram=2, seed=7)
    hasher = MinHasher(num_perm=32, ngram=2, seed=7)
    assert sigs.dtype == np.uint32 and np.array_equal(sigs, hasher.signatures(TEXTS))
    assert (sigs[1] == 0xFFFFFFFF).all()  # the missing page
    idx = LSHIndex(threshold=0.5, num_perm=32)
    idx.insert_many(s.index, sigs)  # np.int64 labels
    assert sorted(idx.query(sigs[0])) == [30, 40]


def test_classify_lines_of_a_series_is_one_long_table(model: BoilerplateModel) -> None:
    s = PAGES
    out = s.arabic.classify_lines()
    assert out.columns.tolist() == ["line", "kept", "reason", "start", "end", "text"]
    assert out.index.name == "id" and out.index.unique().tolist() == [30, 20, 40]  # no row 10
    for label in (30, 20, 40):
        want = pd.DataFrame(classify_lines(s[label]))
        assert out.loc[[label]].reset_index(drop=True).equals(want)
    assert out.dtypes["kept"] == np.dtype(bool) and out.dtypes["start"] == np.int64
    # With a model: a site per row, aligned on the index like strip_boilerplate's sites.
    shuffled = SITES.iloc[::-1]
    with_model = s.arabic.classify_lines(model=model, sites=shuffled)
    about = with_model[with_model.text == ABOUT]
    assert about.loc[30, "reason"] != "content"  # a.example's furniture
    assert about.loc[40, "reason"] == "content"  # b.example has no such line
    # One site for every row.
    all_a = s.arabic.classify_lines(model=model, sites="a.example")
    assert not all_a[all_a.text == ABOUT].kept.any()
    # Nothing to classify, and a non-text value.
    empty = pd.Series([None, np.nan], dtype=object).arabic.classify_lines()
    assert len(empty) == 0 and empty.columns.tolist() == out.columns.tolist()
    with pytest.raises(TypeError, match=r"element 1 has type int"):
        pd.Series(["a", 3]).arabic.classify_lines()


def test_classify_lines_of_a_series_reads_every_kind_of_column(model: BoilerplateModel) -> None:
    # One extension call per Series: Arrow-backed strings, per-row sites with gaps, and the
    # errors of a bad site or a lone surrogate name the position.
    want = PAGES.arabic.classify_lines(model=model, sites=["a.example", None, None, "b.example"])
    arrow = PAGES.astype("string[pyarrow]").arabic.classify_lines(
        model=model, sites=pd.Series(["a.example", np.nan, None, "b.example"], index=PAGES.index)
    )
    assert arrow.astype(want.dtypes.to_dict()).equals(want)
    for label, site in ((30, "a.example"), (20, None), (40, "b.example")):
        one = pd.DataFrame(classify_lines(PAGES[label], model=model, site=site))
        assert want.loc[[label]].reset_index(drop=True).equals(one)
    with pytest.raises(TypeError, match=r"sites element 2 has type int"):
        PAGES.arabic.classify_lines(model=model, sites=["a.example", None, 3, None])
    with pytest.raises(ValueError, match=r"element 1 is not valid Unicode"):
        pd.Series(["a", "b\ud800"], dtype=object).arabic.classify_lines()
    with pytest.raises(ValueError, match=r"aggressiveness"):
        PAGES.arabic.classify_lines(aggressiveness="extreme")


# --- DataFrame accessor ---------------------------------------------------------------------


def test_dataframe_clean_is_clean_corpus() -> None:
    df = pd.DataFrame({"body": PAGES, "source": SITES})
    got = df.arabic.clean(text="body", site="source", output="out", progress=False)
    want = clean_corpus(df, "body", "source", output="out", progress=False)
    pd.testing.assert_frame_equal(got, want)
    assert got.index.equals(df.index) and "out" in got and "removed_lines" in got


def test_dataframe_strip_takes_sites_as_a_column_name(model: BoilerplateModel) -> None:
    df = pd.DataFrame({"text": PAGES, "site": SITES})
    by_name = df.arabic.strip_boilerplate(model=model, sites="site")
    by_series = df["text"].arabic.strip_boilerplate(model=model, sites=df["site"])
    pd.testing.assert_series_equal(by_name, by_series)
    assert ABOUT not in by_name[30] and ABOUT in by_name[40]
    assert by_name.index.equals(df.index) and pd.isna(by_name[10])
    # text= names the column; a Series for sites is aligned; a list is by position.
    other = df.rename(columns={"text": "body"})
    assert other.arabic.strip_boilerplate("body", model=model, sites=SITES.iloc[::-1]).equals(
        by_name.rename("body")
    )
    assert df.arabic.strip_boilerplate(model=model, sites=SITES.tolist()).equals(by_name)
    with pytest.raises(ValueError, match=r"sites='source' is not a column.*text, site"):
        df.arabic.strip_boilerplate(model=model, sites="source")
    with pytest.raises(ValueError, match=r"text='body' is not a column"):
        df.arabic.strip_boilerplate("body")
    with pytest.raises(TypeError, match=r"text must be a column name \(str\), got int"):
        df.arabic.strip_boilerplate(0)


# --- polars ---------------------------------------------------------------------------------

FRAME = pl.DataFrame({"t": TEXTS})


@pytest.mark.parametrize("func", [normalize, strip_boilerplate])
def test_polars_map_batches_and_map_elements(func: object) -> None:
    want = [func(t) if t is not None else None for t in TEXTS]  # type: ignore[operator]
    for expr in (
        pl.col("t").map_batches(func, return_dtype=pl.String),  # type: ignore[arg-type]
        pl.col("t").map_elements(func, return_dtype=pl.String),  # type: ignore[arg-type]
    ):
        assert FRAME.select(expr)["t"].to_list() == want
        lazy = FRAME.lazy().select(expr).collect(engine="streaming")
        assert lazy["t"].to_list() == want


def test_polars_expression_namespace() -> None:
    out = (
        FRAME.lazy()
        .select(
            pl.col("t").arabic.normalize(teh=False).alias("n"),
            pl.col("t").arabic.strip_boilerplate(aggressiveness="low").alias("s"),
        )
        .collect(engine="streaming")
    )
    assert out.schema == {"n": pl.String, "s": pl.String}
    assert out["n"].to_list() == normalize(TEXTS, teh=False)
    assert out["s"].to_list() == strip_boilerplate(TEXTS, aggressiveness="low")
    # Options are checked when the expression is built, not at collect.
    with pytest.raises(TypeError, match="unexpected keyword argument 'tashkeel'"):
        pl.col("t").arabic.normalize(tashkeel=True)
    with pytest.raises(ValueError, match='unknown profile "serch"'):
        pl.col("t").arabic.normalize(profile="serch")
    with pytest.raises(TypeError, match="return_removed gives no string column"):
        pl.col("t").arabic.strip_boilerplate(return_removed=True)
    with pytest.raises(TypeError, match="sites must be one site name"):
        pl.col("t").arabic.strip_boilerplate(sites=["a.example"])
    assert params(pl.col("t").arabic.normalize) == [
        p for p in without_first(normalize) if p[0] != "return_offsets"
    ]


def test_polars_series_namespace() -> None:
    s = pl.Series("body", TEXTS)
    out = s.arabic.normalize(profile="light")
    assert isinstance(out, pl.Series) and out.name == "body"
    assert out.to_list() == normalize(TEXTS, profile="light")
    assert s.arabic.strip_boilerplate().to_list() == strip_boilerplate(TEXTS)


def test_polars_is_registered_when_imported_and_not_imported_by_misfat() -> None:
    code = (
        "import sys, misfat\n"
        "assert 'polars' not in sys.modules\n"
        "import polars as pl\n"
        "print(pl.Series(['أَ', None]).arabic.normalize().to_list())\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "['ا', None]"


def test_misfat_polars_module_is_the_namespace() -> None:
    assert type(pl.col("t").arabic).__module__ == "misfat.polars"
    assert misfat.normalize is normalize
