"""Property tests of the public entry points (hypothesis), against the installed package.

Any Unicode (lone surrogates and control characters included), every container shape
(str, list, tuple, pandas Series with a non-default index and gaps, pyarrow string and
large_string arrays, polars Series when installed) and ``n_threads`` 1 and 2. What must
hold: no crash (only TypeError/ValueError, with a message), the output as long as the
input, a missing value back as the very object given (lists) or missing (Series, Arrow),
normalization idempotent, offsets inside the input, scores in [0, 1] and symmetric for
the symmetric methods, the same results with one thread or two, and dedup a partition
whose cluster ids are representatives.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import misfat

try:
    import polars as pl
except ImportError:  # polars is optional
    pl = None

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# For the calls that build a scorer or an index each time (slow in debug builds).
FEW = settings(SETTINGS, max_examples=15)

# Characters the kernels treat specially, controls, and lone surrogates.
PIECES = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئٱ٠١٢٣۳0123456789.,،؛؟!:«»\"'") + [
    *["\u064e", "\u0651", "\u0652", "\u064b", "\u0670", "\u0640", "\u0654", "\u0653"],
    *[" ", "\u00a0", "\u3000", "\t", "\n", "\r\n", "\r", "\x0c", "\x00", "\x1b", "\x85"],
    *["\u2028", "\u200c", "\u200d", "\u200f", "\ufeff", "\ufef7", "\ufe70", "\ufdf2"],
    *["👍", "🇸🇦", "A", "z", "https://x.y/a", "تابعونا", "اقرأ أيضا"],
]
SURROGATE = st.integers(0xD800, 0xDFFF).map(chr)
# Valid text: no lone surrogates (category Cs), which some hypothesis versions draw by default.
valid_char = st.one_of(
    st.characters(exclude_categories=["Cs"]),
    st.sampled_from(PIECES),
    st.characters(max_codepoint=0x9F),
)
any_char = st.one_of(valid_char, SURROGATE)
# Words so that shingles, sentences and duplicates actually occur.
WORDS = ["قال", "الوزير", "إن", "الحكومة", "وافقت", "على", "خطة", "جديدة", "200", "اليوم"]
sentence = st.lists(st.sampled_from(WORDS), min_size=1, max_size=12).map(" ".join)
valid_text = st.one_of(
    st.lists(valid_char, max_size=30).map("".join),
    st.lists(st.one_of(sentence, valid_char), max_size=6).map(". ".join),
)
any_text = st.one_of(valid_text, st.lists(any_char, max_size=30).map("".join))
MISSING = [None, math.nan, pd.NA]
KINDS = ["list", "tuple", "series", "arrow", "large_arrow"] + (["polars"] if pl else [])
ARROW_KINDS = {"arrow", "large_arrow", "polars"}


def bad_unicode(s: Any) -> bool:
    return isinstance(s, str) and any("\ud800" <= c <= "\udfff" for c in s)


@st.composite
def columns(draw: Any, text: Any = any_text, max_size: int = 8) -> tuple[str, list, Any]:
    """``(kind, values, container)``: values are str or missing objects."""
    kind = draw(st.sampled_from(KINDS))
    # Arrow holds UTF-8: no lone surrogates there.
    t = valid_text if kind in ARROW_KINDS else text
    values = draw(st.lists(st.one_of(t, st.sampled_from(MISSING)), max_size=max_size))
    return kind, values, make(kind, values)


def make(kind: str, values: list) -> Any:
    plain = [v if isinstance(v, str) else None for v in values]
    if kind == "list":
        return list(values)
    if kind == "tuple":
        return tuple(values)
    if kind == "series":
        index = pd.Index([f"r{100 - 3 * i}" for i in range(len(values))])
        return pd.Series(values, index=index, name="body", dtype=object)
    if kind == "arrow":
        return pa.array(plain, type=pa.string())
    if kind == "large_arrow":
        return pa.array(plain, type=pa.large_string())
    return pl.Series("body", plain, dtype=pl.String)


def check_shape(kind: str, values: list, container: Any, out: Any, expect: Any) -> None:
    """``out`` has ``container``'s shape and, where ``values[i]`` is a str, ``expect(v)``."""
    if kind in ("list", "tuple"):
        assert isinstance(out, list) and len(out) == len(values)
        items = out
    elif kind == "series":
        assert isinstance(out, pd.Series)
        assert out.index.equals(container.index) and out.name == container.name
        items = out.tolist()
    elif kind in ("arrow", "large_arrow"):
        assert isinstance(out, (pa.Array, pa.ChunkedArray)) and len(out) == len(values)
        items = out.to_pylist()
    else:
        assert isinstance(out, pl.Series) and out.name == container.name
        items = out.to_list()
    assert len(items) == len(values)
    for v, o in zip(values, items, strict=True):
        if isinstance(v, str):
            assert o == expect(v)
        elif kind in ("list", "tuple"):
            assert o is v
        else:
            assert o is None or pd.isna(o)


def raises_with_message(exc: BaseException) -> None:
    assert isinstance(exc, (TypeError, ValueError)), repr(exc)
    assert str(exc), f"{type(exc).__name__} without a message"


# Normalization --------------------------------------------------------------------------------


@SETTINGS
@given(columns(), st.sampled_from(misfat.PROFILES), st.sampled_from([1, 2]))
def test_normalize_any_container(col: tuple, profile: str, n_threads: int) -> None:
    kind, values, data = col
    out = misfat.normalize(data, profile=profile, n_threads=n_threads, errors="replace")

    def one(v: str) -> str:
        once = misfat.normalize(v, profile=profile, errors="replace")
        assert misfat.normalize(once, profile=profile) == once, "not idempotent"
        return once

    check_shape(kind, values, data, out, one)
    other = misfat.normalize(data, profile=profile, n_threads=3 - n_threads, errors="replace")
    check_shape(kind, values, data, other, one)


@SETTINGS
@given(st.lists(st.one_of(any_text, st.sampled_from(MISSING)), max_size=8))
def test_normalize_strict_refuses_only_bad_unicode(values: list) -> None:
    bad = any(bad_unicode(v) for v in values)
    try:
        out = misfat.normalize(values)
    except ValueError as e:
        raises_with_message(e)
        assert bad, f"refused valid text: {e}"
    else:
        assert not bad and len(out) == len(values)
    for v in values:
        if isinstance(v, str):
            if bad_unicode(v):
                with pytest.raises(ValueError, match=r"."):
                    misfat.normalize(v)
            else:
                assert misfat.normalize(v) == misfat.normalize([v])[0]
        else:
            assert misfat.normalize(v) is v


@SETTINGS
@given(columns(), st.sampled_from(misfat.PROFILES))
def test_offsets_inside_the_input(col: tuple, profile: str) -> None:
    kind, values, data = col
    out = misfat.normalize(data, profile=profile, return_offsets=True, errors="replace")
    items = out.tolist() if isinstance(out, pd.Series) else out
    assert isinstance(items, list) and len(items) == len(values)
    for v, o in zip(values, items, strict=True):
        if not isinstance(v, str):
            assert o is v if kind in ("list", "tuple") else (o is None or pd.isna(o))
            continue
        text, offsets = o
        assert text == misfat.normalize(v, profile=profile, errors="replace")
        assert len(offsets) == len(text) + 1 and offsets[-1] == len(v)
        assert all(0 <= x < len(v) for x in offsets[:-1])


# Boilerplate ----------------------------------------------------------------------------------

page = st.lists(st.one_of(sentence, any_text), max_size=8).map("\n".join)


@SETTINGS
@given(
    columns(page),
    st.sampled_from(misfat.AGGRESSIVENESS),
    st.booleans(),
    st.booleans(),
)
def test_strip_any_container(col: tuple, aggressiveness: str, titles: bool, captions: bool) -> None:
    kind, values, data = col
    opts = dict(aggressiveness=aggressiveness, keep_titles=titles, keep_captions=captions)
    outs = [misfat.strip_boilerplate(data, n_threads=n, errors="replace", **opts) for n in (1, 2)]

    def one(v: str) -> str:
        kept = misfat.strip_boilerplate(v, errors="replace", **opts)
        lines = {
            line.removesuffix("\r")
            for line in misfat.normalize(v, profile="none", errors="replace").split("\n")
        }
        assert all(line in lines for line in kept.split("\n") if kept), "a line not in the page"
        return kept

    for out in outs:
        check_shape(kind, values, data, out, one)
    removed = misfat.strip_boilerplate(data, return_removed=True, errors="replace", **opts)
    items = removed.tolist() if isinstance(removed, pd.Series) else removed
    assert len(items) == len(values)
    for v, r in zip(values, items, strict=True):
        if isinstance(v, str):
            assert r[0] == one(v) and isinstance(r[1], int) and r[1] >= 0


@SETTINGS
@given(page, st.sampled_from(misfat.AGGRESSIVENESS))
def test_classify_lines_cover_the_page(text: str, aggressiveness: str) -> None:
    try:
        rows = misfat.classify_lines(text, aggressiveness=aggressiveness)
    except ValueError as e:
        raises_with_message(e)
        assert bad_unicode(text)
        return
    assert len(rows) == text.count("\n") + 1
    for i, r in enumerate(rows):
        assert r.line == i and 0 <= r.start <= r.end <= len(text)
        assert text[r.start : r.end] == r.text and "\n" not in r.text
        assert r.reason in misfat.REASONS and r.kept == (r.reason == "content")


# Similarity -----------------------------------------------------------------------------------


@st.composite
def pairs(draw: Any) -> tuple[list, list]:
    n = draw(st.integers(0, 6))
    item = st.one_of(valid_text, st.sampled_from(MISSING))
    a = draw(st.lists(item, min_size=n, max_size=n))
    b = draw(st.lists(st.one_of(item, st.sampled_from(a or ["x"])), min_size=n, max_size=n))
    return a, b


@FEW
@given(pairs(), st.sampled_from(misfat.METHODS), st.sampled_from([None, "search", "light"]))
def test_similarity_bounded_symmetric_and_thread_independent(
    ab: tuple, method: str, profile: str | None
) -> None:
    a, b = ab
    kw = dict(method=method, profile=profile)
    got = misfat.similarity(a, b, **kw)
    assert isinstance(got, np.ndarray) and got.shape == (len(a),)
    np.testing.assert_array_equal(misfat.similarity(a, b, n_threads=2, **kw), got)
    back = misfat.similarity(b, a, **kw)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if not (isinstance(x, str) and isinstance(y, str)):
            assert math.isnan(got[i])
            continue
        assert 0.0 <= got[i] <= 1.0
        assert got[i] == misfat.similarity(x, y, **kw)
        if method != "containment":
            assert got[i] == back[i], f"{method} not symmetric"
    s = pd.Series(a, index=[f"k{i}" for i in range(len(a))], dtype=object)
    res = misfat.similarity(s, b, **kw)
    assert res.index.equals(s.index)
    np.testing.assert_array_equal(res.to_numpy(), got)


@FEW
@given(
    st.lists(st.one_of(valid_text, st.none()), max_size=6),
    st.sampled_from(misfat.METHODS),
    st.integers(1, 3),
)
def test_cdist_and_top_k(texts: list, method: str, k: int) -> None:
    m = misfat.cdist(texts, texts, method=method, dtype="float64")
    assert m.shape == (len(texts), len(texts))
    np.testing.assert_array_equal(
        misfat.cdist(texts, texts, method=method, dtype="float64", workers=2), m
    )
    present = ~np.isnan(m)
    assert ((m[present] >= 0) & (m[present] <= 1)).all()
    given_ = np.array([t is not None for t in texts], dtype=bool)
    np.testing.assert_array_equal(present, given_[:, None] & given_[None, :])
    if method != "containment":
        np.testing.assert_array_equal(m, m.T)
    top = misfat.top_k(texts, texts, k=k, method=method)
    top2 = misfat.top_k(texts, texts, k=k, method=method, workers=2)
    np.testing.assert_array_equal(top.indices, top2.indices)
    np.testing.assert_array_equal(top.scores, top2.scores)
    assert top.indices.shape == top.scores.shape == (len(texts), k)
    for i in range(len(texts)):
        for j, s in zip(top.indices[i], top.scores[i], strict=True):
            if j >= 0 and not math.isnan(s):
                assert m[i, j] == pytest.approx(s)


# Deduplication --------------------------------------------------------------------------------


@FEW
@given(
    st.lists(st.one_of(valid_text, st.sampled_from(WORDS), st.none()), max_size=8),
    st.sampled_from(["reprint", "jaccard"]),
)
def test_dedup_is_a_partition_into_representatives(texts: list, match: str) -> None:
    # Repeats make clusters: each text twice (once lightly changed).
    texts = texts + [t + " ." if isinstance(t, str) else t for t in texts]
    r = misfat.dedup(texts, match=match)
    cluster = r.cluster
    assert cluster.shape == (len(texts),)
    assert ((0 <= cluster) & (cluster < max(len(texts), 1))).all()
    assert (cluster[cluster] == cluster).all(), "a cluster id is not its own representative"
    np.testing.assert_array_equal(r.representative, cluster == np.arange(len(texts)))
    for i, t in enumerate(texts):
        if not isinstance(t, str) or not t:
            assert cluster[i] == i and (cluster == i).sum() == 1, "missing or empty not alone"
    two = misfat.dedup(texts, match=match, n_threads=2)
    np.testing.assert_array_equal(two.cluster, cluster)
    np.testing.assert_array_equal(two.score, r.score)
    s = pd.Series(texts, index=pd.RangeIndex(50, 50 - 2 * len(texts), -2), dtype=object)
    frame = misfat.dedup(s, match=match)
    assert frame.index.equals(s.index)
    np.testing.assert_array_equal(frame["cluster"].to_numpy(), cluster)


@FEW
@given(st.lists(st.one_of(valid_text, st.none()), max_size=6), st.sampled_from(["word", "char"]))
def test_minhash_signatures_thread_independent(texts: list, unit: str) -> None:
    m = misfat.MinHasher(num_perm=19, unit=unit, seed=3)
    sig = m.signatures(texts)
    assert sig.shape == (len(texts), 19) and sig.dtype == np.uint32
    np.testing.assert_array_equal(m.signatures(texts, n_threads=2), sig)
    for i, t in enumerate(texts):
        if t is None:
            assert (sig[i] == 0xFFFFFFFF).all()


# Bad input ------------------------------------------------------------------------------------


@FEW
@given(
    st.lists(st.one_of(valid_text, st.none()), max_size=4),
    st.sampled_from([5, 2.5, b"bytes", ["nested"], object()]),
    st.integers(0, 4),
)
def test_wrong_types_are_type_errors_with_a_message(values: list, bad: Any, at: int) -> None:
    values = [*values[:at], bad, *values[at:]]
    calls = [
        lambda: misfat.normalize(values),
        lambda: misfat.strip_boilerplate(values),
        lambda: misfat.similarity(values, values),
        lambda: misfat.dedup(values),
    ]
    for call in calls:
        with pytest.raises((TypeError, ValueError)) as info:
            call()
        raises_with_message(info.value)


# Saved indexes and models ----------------------------------------------------------------------


def _saved() -> dict[str, tuple[Any, bytes]]:
    m = misfat.MinHasher(num_perm=16, seed=1)
    index = misfat.LSHIndex(threshold=0.5, num_perm=16)
    index.insert_many(["a", 7], m.signatures(["قال الوزير اليوم", "خطة جديدة"]))
    pages = [f"خبر رقم {i} عن الخطة\nتابعونا\nجميع الحقوق محفوظة" for i in range(4)]
    model = misfat.BoilerplateModel.fit(pages)
    return {
        "index": (misfat.LSHIndex.from_bytes, index.to_bytes()),
        "model": (misfat.BoilerplateModel, model.to_bytes()),
    }


SAVED = _saved()


@SETTINGS
@given(
    st.sampled_from(sorted(SAVED)),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
    st.one_of(st.none(), st.integers(0, 10**6)),
)
def test_damaged_bytes_are_value_errors(what: str, edits: list, cut: int | None) -> None:
    load, good = SAVED[what]
    data = bytearray(good)
    for at, byte in edits:
        if data:
            data[at % len(data)] = byte
    if cut is not None:
        del data[cut % (len(data) + 1) :]
    try:
        obj = load(bytes(data))
    except ValueError as e:
        raises_with_message(e)
        return
    assert obj.to_bytes() == bytes(data)
