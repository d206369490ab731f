"""Normalization through the public Python API: options, profiles, shapes, errors."""

from __future__ import annotations

import inspect
import itertools
import math
import pickle
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import misfat
from misfat import Normalizer, normalize

# (option, input, expected) with only that option on (profile "none").
OPTION_CASES = [
    ("forms", "\ufedf\ufef7\ufe91", "للأب"),
    ("harakat", "يَكْتُبُ", "يكْتب"),
    ("tanwin", "شكرًا جزيلٌ", "شكرا جزيل"),
    ("shadda", "محمّد", "محمد"),
    ("sukun", "قُلْ", "قُل"),
    ("dagger_alef", "الرحمٰن", "الرحمن"),
    ("quranic", "العالمين ۚ", "العالمين "),
    ("extended_marks", "ن\u08e3", "ن"),
    ("diacritics", "بِسْمِ اللَّهِ الرَّحْمَٰنِ", "بسم الله الرحمن"),
    ("tatweel", "رائـــع", "رائع"),
    ("alef", "إلى أين آمن", "الى اين امن"),
    ("alef_wasla", "ٱلحمد", "الحمد"),
    ("alef_wavy", "ٲ ٳ", "ا ا"),
    ("other_marks", "ب\u0656ت\u065f", "بت"),
    ("yeh", "مستشفى", "مستشفي"),
    ("teh", "جامعة", "جامعه"),
    ("hamza", "سؤال بئر", "سوال بير"),
    ("persian", "کوکب یک ہے", "كوكب يك هي"),
    ("digits", "عام ١٤٤٦ و۲۰۲۵", "عام 1446 و2025"),
    ("punctuation", "أولاً، ثانياً؛ لماذا؟", "أولاً, ثانياً; لماذا?"),
    ("quotes", "قال «لا» و“نعم”", 'قال "لا" و"نعم"'),
    ("invisible", "\u200fكلمة\u200b\u2066ثانية\u2069\u00ad", "كلمةثانية"),
    ("spaces", " سطر\u00a0\u00a0 أول \r\n\u3000سطر ثان ", "سطر أول\nسطر ثان"),
    ("squeeze", "رااااائع 1000 الله", "رائع 1000 الله"),
    ("lowercase", "Reuters AFP", "reuters afp"),
]


@pytest.mark.parametrize(("option", "text", "want"), OPTION_CASES)
def test_each_option_alone(option: str, text: str, want: str) -> None:
    assert normalize(text, profile="none", **{option: True}) == want


@pytest.mark.parametrize(("option", "text", "_want"), OPTION_CASES)
def test_each_option_can_be_switched_off(option: str, text: str, _want: str) -> None:
    """Turning an option off in "search" changes the result of its own example."""
    on = normalize(text, profile="search")
    off = normalize(text, profile="search", **{option: False})
    if Normalizer("search").options.get(option, True):
        assert on != off or option in {"forms", "spaces"}


def test_profiles_documented_semantics() -> None:
    text = "\u200fأَهْلاً  بكـــم في «المدرسة» ١٢، ﻷ"
    assert normalize(text, profile="none") == text
    assert normalize(text, profile="light") == "أَهْلاً بكم في «المدرسة» ١٢، لأ"
    assert normalize(text, profile="search") == 'اهلا بكم في "المدرسه" 12، لا'
    # Lucene: only its eight rules; presentation forms, digits, quotes, bidi untouched.
    assert normalize(text, profile="lucene") == "\u200fاهلا  بكم في «المدرسه» ١٢، ﻷ"
    # CAMeL: like Lucene, plus dagger alef and alef wasla.
    assert normalize("ٱلرَّحْمَٰنِ", profile="camel") == "الرحمن"
    assert normalize("ٱلرَّحْمَٰنِ", profile="lucene") == "ٱلرحمٰن"


@pytest.mark.parametrize(
    ("text", "want", "bug"),
    [
        ("عام 2000 و 1999", "عام 2000 و 1999", "squeezing digits: 2000 -> 200"),
        ("الله", "الله", "squeezing the word Allah"),
        ("مصطفى", "مصطفي", "ى folded to ا instead of ي"),
        ("يوم", "يوم", "ي folded to ى"),
        ("بين\u00a0كلمتين", "بين كلمتين", "NBSP deleted, gluing words"),
        ("نمی\u200cخواهم", "نميخواهم", "ZWNJ turned into a space"),
        ("\ufee7", "ن", "presentation form noon read as thal"),
        ("کتاب", "كتاب", "Persian letters deleted"),
        ("۱۲۳", "123", "Extended digits deleted"),
        ("فارسی", "فارسي", "Farsi yeh folded to alef maqsura"),
    ],
)
def test_peer_bugs_do_not_happen(text: str, want: str, bug: str) -> None:
    assert normalize(text) == want, bug


def test_lam_alef_ligatures_keep_their_hamza_in_light_profile() -> None:
    assert normalize("\ufef7\ufef9\ufef5\ufefb", profile="light") == "لألإلآلا"


def test_offsets_highlight_the_original_text() -> None:
    original = "قالَ الرَّئِيسُ  «مرحباً» في ٢٠٢٥"
    text, offsets = normalize(original, return_offsets=True)
    assert len(offsets) == len(text) + 1
    start = text.index("الرئيس")
    end = start + len("الرئيس")
    span = original[offsets[start] : offsets[end - 1] + 1]
    # The span runs from the first source letter to the last one (trailing marks that
    # produced nothing are not part of it) and normalizes back to the match.
    assert span == "الرَّئِيس"
    assert normalize(span) == "الرئيس"


def test_offsets_for_lists_and_missing() -> None:
    out = normalize(["أ", None, "ب"], return_offsets=True)
    assert out == [("ا", [0, 1]), None, ("ب", [0, 1])]
    s = pd.Series(["أَ"], index=["k"], name="n")
    res = normalize(s, return_offsets=True)
    assert list(res.index) == ["k"] and res.name == "n" and res.iloc[0] == ("ا", [0, 2])


# Shapes ------------------------------------------------------------------------------------


def test_str_list_tuple_iterable() -> None:
    assert normalize("أ") == "ا"
    assert normalize(["أ", "إ"]) == ["ا", "ا"]
    assert normalize(("أ", "إ")) == ["ا", "ا"]
    assert normalize(x for x in ["آ"]) == ["ا"]
    assert normalize([]) == []


@pytest.mark.parametrize("text", ["café", "ÿ", "\x80", "Āb", "ﻷ", "أهلا 😀", "😀", "abc", ""])
def test_strings_of_every_kind_come_back_canonical(text: str) -> None:
    """misfat writes CPython's buffers itself: latin-1, UCS-2 and UCS-4 strings must come
    back equal (and hashing equal) to the same text made by Python."""
    [out] = normalize([text], profile="none")
    assert out == text and hash(out) == hash(text)
    assert normalize([text + "ة"], profile="search")[0] == normalize(text) + "ه"


def test_missing_values_pass_through_as_themselves() -> None:
    nan = float("nan")
    out = normalize(["أ", None, nan, pd.NA, "ى"])
    assert out[0] == "ا" and out[4] == "ي"
    assert out[1] is None and out[2] is nan and out[3] is pd.NA


@pytest.mark.parametrize(
    "dtype",
    ["str", "string[pyarrow]", "string[python]", object, pd.ArrowDtype(pa.large_string())],
)
def test_series_keeps_index_name_dtype_and_nulls(dtype: object) -> None:
    s = pd.Series(["أَهلاً", None, "مدرسة"], index=[10, 3, 7], name="title", dtype=dtype)
    out = normalize(s)
    assert isinstance(out, pd.Series)
    assert list(out.index) == [10, 3, 7] and out.name == "title" and out.dtype == s.dtype
    assert out.iloc[0] == "اهلا" and out.iloc[2] == "مدرسه"
    assert out.isna().tolist() == [False, True, False]


def test_categorical_series_loses_no_values() -> None:
    s = pd.Series(["أ", "ة", "أ", None], dtype="category", index=list("wxyz"))
    out = normalize(s)
    assert out.tolist()[:3] == ["ا", "ه", "ا"] and out.isna().tolist() == [False] * 3 + [True]
    assert list(out.index) == list("wxyz")


def test_series_accessor_and_dataframe_column() -> None:
    df = pd.DataFrame({"text": ["أهلاً", "ة"]}, index=["a", "b"])
    out = df["text"].arabic.normalize(profile="search", teh=False)
    assert out.tolist() == ["اهلا", "ة"] and list(out.index) == ["a", "b"]
    assert out.name == "text"


@pytest.mark.parametrize("type_", [pa.string(), pa.large_string(), pa.string_view()])
def test_arrow_arrays_in_and_out(type_: pa.DataType) -> None:
    arr = pa.array(["أَ", None, "ى"], type=type_)
    out = normalize(arr)
    assert isinstance(out, pa.Array) and out.type == type_
    assert out.to_pylist() == ["ا", None, "ي"]
    chunked = pa.chunked_array([arr, arr.slice(1)])
    out = normalize(chunked)
    assert isinstance(out, pa.ChunkedArray)
    assert out.to_pylist() == ["ا", None, "ي", None, "ي"]


def test_polars_series() -> None:
    s = pl.Series("col", ["أَ", None])
    out = normalize(s)
    assert isinstance(out, pl.Series) and out.name == "col"
    assert out.to_list() == ["ا", None]


def test_non_string_arrow_column_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="string"):
        normalize(pa.array([1, 2]))


def test_threads_give_identical_results(corpus_sample: list[dict]) -> None:
    texts = [r["text"] for r in corpus_sample[:400]] + [None]
    one = normalize(texts)
    assert normalize(texts, n_threads=2) == one
    assert normalize(texts, n_threads=-1) == one
    assert normalize(pa.array(texts), n_threads=2).to_pylist() == one
    # Several threads give several Arrow chunks; every container takes them whole.
    assert normalize(pa.chunked_array([texts]), n_threads=2).to_pylist() == one
    assert normalize(pl.Series("t", texts), n_threads=2).to_list() == one
    series = pd.Series(texts, dtype="str", index=range(7, 7 + len(texts)))
    out = normalize(series, n_threads=2)
    assert out.tolist()[:-1] == one[:-1] and pd.isna(out.iloc[-1])
    assert list(out.index) == list(series.index) and out.dtype == series.dtype
    with pytest.raises(ValueError, match="n_threads"):
        normalize(texts, n_threads=0)


def test_concurrent_use_of_one_normalizer(corpus_sample: list[dict]) -> None:
    n = Normalizer("search")
    texts = [r["title"] for r in corpus_sample[:200]]
    want = n(texts)
    with ThreadPoolExecutor(4) as ex:
        results = list(ex.map(lambda _: n(texts), range(8)))
    assert all(r == want for r in results)


# Objects -------------------------------------------------------------------------------------


def test_normalizer_is_frozen_and_pickles() -> None:
    n = Normalizer("search", teh=False, hamza=True)
    m = pickle.loads(pickle.dumps(n))
    assert isinstance(m, Normalizer) and m == n and hash(m) == hash(n)
    assert m.profile == "search" and m.options["teh"] is False and m.options["hamza"] is True
    assert m("مسؤولة") == n("مسؤولة") == "مسوولة"
    with pytest.raises(AttributeError):
        n.profile = "light"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        n.extra = 1  # type: ignore[attr-defined]
    assert "teh=False" in repr(n)


def test_import_needs_neither_pandas_nor_pyarrow() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None; sys.modules['pyarrow'] = None;"
        "sys.modules['polars'] = None; import misfat; print(misfat.normalize(['أ'])[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ا"


# Bad input ---------------------------------------------------------------------------------


def test_non_string_element_names_position_and_type() -> None:
    with pytest.raises(TypeError, match=r"element 2 has type int"):
        normalize(["a", None, 3])
    with pytest.raises(TypeError, match=r"element 0 has type bytes"):
        normalize([b"x"])


def test_non_text_input_is_a_type_error() -> None:
    for bad in (3, b"bytes"):
        with pytest.raises(TypeError):
            normalize(bad)
    # A missing scalar is not bad input: it comes back as given (issue 11.6).
    assert normalize(None) is None


def test_unknown_profile_and_option_list_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown profile .*search"):
        normalize("x", profile="serch")
    # Options are keywords: an unknown one is a TypeError naming it, as Python words it.
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'tashkeel'"):
        normalize("x", tashkeel=True)
    for make in (Normalizer, misfat.get_normalizer):
        with pytest.raises(TypeError, match=r"argument 'tashkeel'; options: diacritics, forms"):
            make("search", tashkeel=True)
    with pytest.raises(TypeError, match=r"option \"teh\" must be True or False"):
        normalize("x", teh="yes")
    with pytest.raises(ValueError, match="errors"):
        normalize("x", errors="ignore")


def test_options_are_the_extensions_keywords() -> None:
    # normalize lists every option as a keyword (tab completion, help(), and tools that
    # probe keywords such as polars' map_batches); they are exactly the extension's.
    params = inspect.signature(normalize).parameters
    options = [n for n, p in params.items() if p.kind is p.KEYWORD_ONLY and p.default is None]
    assert sorted(options) == sorted([*misfat.OPTIONS, "diacritics"])
    # Normalizer and get_normalizer show the same keywords in help().
    for obj in (Normalizer, misfat.get_normalizer):
        shown = inspect.signature(obj).parameters
        assert list(shown) == ["profile", *options], obj
    # None leaves the profile's setting (each option's effect: test_each_option_alone).
    assert normalize("مدرسة", teh=None) == normalize("مدرسة") == "مدرسه"
    assert normalize("مدرسة", teh=False) == "مدرسة"


def test_single_option_wins_over_diacritics_in_any_order() -> None:
    # The shorthand applies first, whatever order the keywords are written in.
    text = "الرحمٰن يَكْتُبُ"
    for kwargs in (
        {"dagger_alef": False, "diacritics": True},
        {"diacritics": True, "dagger_alef": False},
    ):
        assert Normalizer("none", **kwargs)(text) == "الرحمٰن يكتب"
        assert normalize(text, profile="none", **kwargs) == "الرحمٰن يكتب"


def test_lone_surrogates_raise_or_are_replaced() -> None:
    with pytest.raises(ValueError, match=r"element 1 is not valid Unicode"):
        normalize(["ok", "bad\ud800"])
    assert normalize(["bad\ud800x"], errors="replace") == ["bad\ufffdx"]


# Properties --------------------------------------------------------------------------------

ARABIC = st.sampled_from(
    list("ابتثجحخدذرزسشصضطظعغفقكلمنهويىةءأإآؤئٱ")
    + ["\u064e", "\u0651", "\u0652", "\u064b", "\u0670", "\u0640", "\u0654", " ", "\u00a0"]
    + ["\n", "\r\n", "\u200c", "\u200d", "👍", "\ufef7", "\ufe70", "٣", "۳", "«", "A", "،"]
)
arabic_text = st.lists(ARABIC, max_size=60).map("".join)
any_text = st.text(max_size=60)


@settings(max_examples=200, deadline=None)
@given(st.one_of(arabic_text, any_text), st.sampled_from(misfat.PROFILES))
def test_idempotent_on_every_profile(text: str, profile: str) -> None:
    once = normalize(text, profile=profile, errors="replace")
    assert normalize(once, profile=profile) == once


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.just(math.nan), arabic_text), max_size=20))
def test_length_and_missing_invariants(values: list) -> None:
    out = normalize(values)
    assert len(out) == len(values)
    for v, o in zip(values, out, strict=True):
        assert (o is v) if not isinstance(v, str) else isinstance(o, str)
    series = pd.Series(values, dtype="str")
    res = normalize(series)
    assert len(res) == len(series) and res.isna().tolist() == series.isna().tolist()


@settings(max_examples=150, deadline=None)
@given(st.one_of(arabic_text, any_text))
def test_offsets_map_back_to_the_input(text: str) -> None:
    out, offsets = normalize(text, return_offsets=True, errors="replace")
    assert len(offsets) == len(out) + 1 and offsets[-1] == len(text)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    assert all(0 <= o < len(text) for o in offsets[:-1])
    # Every output letter that is an unchanged ASCII letter came from that same letter.
    for i, ch in enumerate(out):
        if ch.isascii() and ch.isalpha() and ch.islower() and text[offsets[i]].islower():
            assert text[offsets[i]] == ch
