"""Boilerplate stripping through the public Python API: rules, shapes, model, errors."""

from __future__ import annotations

import json
import math
import pickle

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import misfat
from misfat import BoilerplateModel, classify_lines, strip_boilerplate

AR1 = "أعلن المجلس البلدي، مساء الأحد، عن مشروع لتوسيع شبكة النقل العام في الأحياء الشرقية للمدينة."
AR2 = "وقال رئيس المجلس إن المشروع سيموّل من ميزانية العام المقبل، وسيستغرق تنفيذه نحو عامين."
AR3 = "ويعاني سكان تلك الأحياء منذ سنوات من ازدحام خانق وقلة الحافلات في ساعات الذروة."
EN1 = "The museum reopened on Saturday after a two-year renovation that cost more than expected."
EN2 = "Visitors queued for hours to see the restored ceiling, which had been damaged by a leak."


def lines(*rows: str) -> str:
    return "\n".join(rows)


def reason(text: str, line: str) -> str:
    for row in classify_lines(text):
        if row.text == line:
            return row.reason
    raise AssertionError(f"{line!r} not in page")


# ---- one test per rule, Arabic and English ----

RULE_CASES = [
    ("nav", "الرئيسية | محليات | اقتصاد | رياضة | ثقافة"),
    ("nav", "Home \u2022 World \u2022 Business \u2022 Sport"),
    ("url", "www.example-news.org"),
    ("url", "https://example.com/news/2024/05/story"),
    ("lexicon", "تخط إلى المحتوى"),
    ("lexicon", "Skip to content"),
    ("lexicon", "شارك هذا المقال عبر واتساب"),
    ("lexicon", "Back to top"),
    ("lexicon", "© 2025 جميع الحقوق محفوظة"),
    ("byline", "نشر بتاريخ 5 - 9 - 2023"),
    ("byline", "By Sarah Lee"),
    ("byline", "الأربعاء 4 يونيو 2025"),
    ("caption", "رجال الإطفاء في موقع الحريق (الأناضول)"),
    ("caption", "Protesters outside parliament (Reuters)"),
    ("short_non_sentence", "TT"),
    ("lexicon", "للمزيد: اقرأ ملفنا الخاص عن الانتخابات"),
    ("lexicon", "* المقالات المنشورة تعبر عن رأي كتابها فقط."),
    ("byline", "فرانس24/ أ ف ب"),
    ("byline", "*نقلاً عن صحيفة الأيام"),
    # dates, times and stamps by shape (a month name the lexicon does not list)
    ("byline", "السبت 3 برمهات 2021 | 08:15 صباحاً"),
    ("byline", "12/03/2021 10:45"),
    ("byline", "Updated 10:45 GMT"),
    ("nav", "الرئيسية » أخبار محلية » عنوان الخبر اليوم"),
]


@pytest.mark.parametrize(("want", "line"), RULE_CASES)
def test_rule(want: str, line: str) -> None:
    # Above the article (menus and dates inside it are lists and timeline headings).
    page = lines(line, AR1, AR2, EN1)
    assert reason(page, line) == want
    assert line not in strip_boilerplate(page).split("\n")


def test_a_menu_anchor_never_cuts_the_article() -> None:
    # "Latest news" in a menu above the article, after a short blurb: nothing of the
    # article goes.
    blurb = "موقع إخباري يقدم لكم آخر المستجدات من المدينة والعالم على مدار الساعة."
    title = "افتتاح خط جديد للحافلات في العاصمة"
    page = lines(blurb, "الرئيسية", "آخر الأخبار", "رياضة", title, AR1, AR2, AR3)
    kept = strip_boilerplate(page).split("\n")
    assert all(line in kept for line in (title, AR1, AR2, AR3))


def test_duplicates_keep_the_first_copy() -> None:
    title = "المجلس البلدي يقر مشروع النقل"
    page = lines(title, "", title, AR1, AR2)
    rows = [r for r in classify_lines(page) if r.reason != "blank"]
    assert [r.reason for r in rows] == ["content", "duplicate", "content", "content"]
    assert strip_boilerplate(page) == lines(title, AR1, AR2)


def test_caption_pair_inside_the_article() -> None:
    cap = "حافلة عامة في أحد شوارع المدينة"
    page = lines(AR1, cap, cap, AR2)
    assert strip_boilerplate(page) == lines(AR1, AR2)
    assert strip_boilerplate(page, keep_captions=True) == lines(AR1, cap, AR2)


def test_tail_anchor_cuts_other_articles() -> None:
    page = lines(AR1, AR2, "مقالات ذات صلة", "عنوان مقال آخر", AR3)
    assert strip_boilerplate(page) == lines(AR1, AR2)
    page = lines(EN1, "Related stories", EN2)
    assert strip_boilerplate(page) == EN1
    # Not above the article: only the label goes.
    page = lines("Most read", EN1, EN2)
    assert strip_boilerplate(page) == lines(EN1, EN2)


def test_options() -> None:
    page = lines(AR1, "اقرأ أيضا", "عنوان مرتبط", AR2, "خلاصة", AR3)
    assert strip_boilerplate(page) == lines(AR1, AR2, "خلاصة", AR3)
    assert strip_boilerplate(page, aggressiveness="high") == AR1
    assert strip_boilerplate(page, aggressiveness="low") == lines(
        AR1, "عنوان مرتبط", AR2, "خلاصة", AR3
    )
    assert strip_boilerplate(page, keep_titles=False) == lines(AR1, AR2, AR3)
    assert misfat.AGGRESSIVENESS == ("low", "normal", "high")
    assert "corpus_repeated" in misfat.REASONS


def test_classify_lines_offsets_and_dataframe() -> None:
    page = "Share\r\n\n" + AR1 + "\n\U0001f600 TT"
    rows = classify_lines(page)
    assert len(rows) == 4
    for r in rows:
        assert page[r.start : r.end] == r.text
    assert rows[0].text == "Share" and not rows[0].kept
    assert rows[2].kept and rows[2].reason == "content"
    df = pd.DataFrame(rows)
    assert list(df.columns) == ["line", "kept", "reason", "start", "end", "text"]
    assert df["kept"].sum() == 1


def test_return_removed() -> None:
    page = lines("Share", AR1, "", "TT")
    assert strip_boilerplate(page, return_removed=True) == (AR1, 2)
    assert strip_boilerplate([page, None], return_removed=True) == [(AR1, 2), None]


# ---- shapes and missing values ----

PAGE = lines("Skip to content", EN1, "Share")


def test_shapes() -> None:
    assert strip_boilerplate(PAGE) == EN1
    assert strip_boilerplate([PAGE, None, PAGE]) == [EN1, None, EN1]
    assert strip_boilerplate(iter([PAGE])) == [EN1]
    nan = float("nan")
    out = strip_boilerplate([PAGE, nan, pd.NA])
    assert out[0] == EN1 and math.isnan(out[1]) and out[2] is pd.NA
    arr = strip_boilerplate(pa.array([PAGE, None]))
    assert isinstance(arr, pa.Array) and arr.to_pylist() == [EN1, None]
    large = strip_boilerplate(pa.array([PAGE], type=pa.large_string()))
    assert large.type == pa.large_string()
    chunked = strip_boilerplate(pa.chunked_array([[PAGE], [None, PAGE]]))
    assert chunked.to_pylist() == [EN1, None, EN1]
    ps = strip_boilerplate(pl.Series("t", [PAGE, None]))
    assert isinstance(ps, pl.Series) and ps.name == "t" and ps.to_list() == [EN1, None]


@pytest.mark.parametrize("dtype", [object, "string[python]", "string[pyarrow]", "str"])
def test_series_keeps_index_name_and_nulls(dtype: object) -> None:
    s = pd.Series([PAGE, None, PAGE], index=[10, 5, 7], name="body", dtype=dtype)
    out = s.arabic.strip_boilerplate()
    assert list(out.index) == [10, 5, 7] and out.name == "body"
    assert out.iloc[0] == EN1 and out.iloc[2] == EN1 and pd.isna(out.iloc[1])
    pd.testing.assert_series_equal(out, strip_boilerplate(s))


def test_n_threads_gives_the_same_result() -> None:
    pages = [lines(f"Share {i % 3}", AR1, f"{EN1} {i}", "TT") for i in range(200)]
    assert strip_boilerplate(pages, n_threads=2) == strip_boilerplate(pages)
    assert strip_boilerplate(pages, n_threads=-1) == strip_boilerplate(pages)


# ---- bad input ----


def test_bad_input() -> None:
    with pytest.raises(TypeError, match="element 1"):
        strip_boilerplate([PAGE, 3])
    with pytest.raises(TypeError, match="int"):
        strip_boilerplate(5)
    with pytest.raises(ValueError, match="aggressiveness"):
        strip_boilerplate(PAGE, aggressiveness="max")
    with pytest.raises(TypeError, match="keep_titles"):
        strip_boilerplate(PAGE, keep_titles="yes")
    with pytest.raises(ValueError, match="n_threads"):
        strip_boilerplate([PAGE], n_threads=0)
    with pytest.raises(TypeError, match="text must be a str"):
        classify_lines([PAGE])  # type: ignore[arg-type]
    # One page has one site: a list (per-row sites elsewhere) is refused, not read per row.
    with pytest.raises(TypeError, match=r"^site must be a str or None, got list$"):
        classify_lines(PAGE, site=["a.example"])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="model"):
        strip_boilerplate(PAGE, model="m")
    with pytest.raises(ValueError, match="sites has 1 elements"):
        strip_boilerplate([PAGE, PAGE], sites=["a.com"])
    with pytest.raises(TypeError, match="sites element 0"):
        strip_boilerplate([PAGE], sites=[3])
    with pytest.raises(ValueError, match="not valid Unicode"):
        strip_boilerplate(["\ud800"])
    assert strip_boilerplate(["Share\n\ud800 x y z."], errors="replace") == ["\ufffd x y z."]


# ---- corpus model ----

ABOUT = (
    "نحن فريق من الصحافيين المستقلين نغطي أخبار المنطقة منذ عام 2010، "
    "ونلتزم بالدقة والحياد في كل ما ننشر."
)


# Distinct words: line keys fold digits, so numbered leads would all be one story.
TAGS = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()


def site_pages(site: str, n: int, about: str = ABOUT) -> list[str]:
    return [lines(f"({site} {TAGS[i]}) {AR1}", "عن الكاتب", about) for i in range(n)]


@pytest.fixture(scope="module")
def model() -> BoilerplateModel:
    pages = site_pages("a.example", 6) + site_pages("b.example", 2, about=EN2)
    sites = ["a.example"] * 6 + ["b.example"] * 2
    return BoilerplateModel.fit(pages, sites=sites)


def test_model_removes_site_furniture(model: BoilerplateModel) -> None:
    page = lines(AR2, "عن الكاتب", ABOUT)
    assert strip_boilerplate(page, model=model, sites="a.example") == AR2
    rows = classify_lines(page, model=model, site="a.example")
    assert [r.reason for r in rows] == ["content", "corpus_repeated", "corpus_repeated"]
    # b.example has only 2 pages: below min_df.
    assert strip_boilerplate(page, model=model, sites="b.example") == page
    # A prose line that another site also prints is never learned as furniture.
    both = BoilerplateModel.fit(
        site_pages("a.example", 6) + site_pages("b.example", 1),
        sites=["a.example"] * 6 + ["b.example"],
    )
    assert strip_boilerplate(page, model=both, sites="a.example") == lines(AR2, ABOUT)
    # Without a model nothing is learned.
    assert strip_boilerplate(page) == page
    # Sites per row, as a Series column.
    df = pd.DataFrame({"text": [page, page], "site": ["a.example", "b.example"]})
    out = df["text"].arabic.strip_boilerplate(model=model, sites=df["site"])
    assert out.tolist() == [AR2, page]


def test_sites_series_is_aligned_on_the_index(model: BoilerplateModel) -> None:
    # Issue 11.8: a sites Series is aligned on the data's index, as similarity aligns b on a.
    page = lines(AR2, "عن الكاتب", ABOUT)
    data = pd.Series([page, page], index=[10, 20])
    sites = pd.Series(["b.example", "a.example"], index=[20, 10])  # row 10 is a.example
    for out in (
        strip_boilerplate(data, model=model, sites=sites),
        data.arabic.strip_boilerplate(model=model, sites=sites),
    ):
        assert out.tolist() == [AR2, page]
        assert out.index.tolist() == [10, 20]
    # By position: a list, or an array.
    assert strip_boilerplate(data, model=model, sites=["b.example", "a.example"]).tolist() == [
        page,
        AR2,
    ]
    # Labels missing from the sites' index: refused rather than matched by position.
    other = pd.Series(["a.example", "b.example"], index=[1, 2])
    with pytest.raises(ValueError, match="index does not hold the labels"):
        strip_boilerplate(data, model=model, sites=other)
    # fit aligns too: each page's lines are counted for the site on the same label.
    pages = site_pages("a.example", 3) + site_pages("b.example", 3, about=EN2)
    texts = pd.Series(pages, index=range(100, 106))
    reversed_sites = pd.Series(["b.example"] * 3 + ["a.example"] * 3, index=range(105, 99, -1))
    fitted = BoilerplateModel.fit(texts, sites=reversed_sites)
    aligned = BoilerplateModel.fit(pages, sites=["a.example"] * 3 + ["b.example"] * 3)
    positional = BoilerplateModel.fit(pages, sites=reversed_sites.tolist())
    assert fitted.to_bytes() == aligned.to_bytes() != positional.to_bytes()


def test_accessor_str_sites_is_one_site_name(model: BoilerplateModel) -> None:
    # A Series accessor has no DataFrame in reach: a str is one site for every row.
    page = lines(AR2, "عن الكاتب", ABOUT)
    s = pd.Series([page, page])
    assert s.arabic.strip_boilerplate(model=model, sites="a.example").tolist() == [AR2, AR2]
    assert "one site name for every row" in (s.arabic.strip_boilerplate.__doc__ or "")


def test_model_protects_syndicated_paragraphs() -> None:
    # It opens a text of its own: a paragraph opening with "and" after the article's own
    # prose continues it and is kept even when one site repeats it.
    wire = (
        "قالت وكالة الأنباء إن الاجتماع الطارئ سيعقد الأسبوع المقبل "
        "في العاصمة بحضور وزراء الخارجية العرب."
    )
    pages, sites = [], []
    for site in ("a.example", "b.example"):
        for i in range(10):
            own = f"({site} {TAGS[i]}) {EN1}"
            pages.append(lines(own, wire) if i < 8 else own)
            sites.append(site)
    # Both outlets carry it under eight stories each: wire copy, kept on both.
    m = BoilerplateModel.fit(pages, sites=sites)
    for site in ("a.example", "b.example", None):
        assert wire in strip_boilerplate(pages[0], model=m, sites=site)
    # Only one outlet prints it under eight different stories: that is its furniture.
    m = BoilerplateModel.fit(pages[:10], sites=sites[:10])
    assert wire not in strip_boilerplate(pages[0], model=m, sites="a.example")
    # One story republished eight times (same first paragraph) stays article text.
    same = [lines(f"(a.example alpha) {EN1}", wire)] * 8
    m = BoilerplateModel.fit(same, sites="a.example")
    assert wire in strip_boilerplate(same[0], model=m, sites="a.example")


def test_model_keeps_reused_paragraphs_inside_articles() -> None:
    quote = AR3
    pages = [lines(f"({TAGS[i]}) {AR1}", quote, f"({TAGS[i + 6]}) {EN1}", ABOUT) for i in range(6)]
    m = BoilerplateModel.fit(pages, sites="s")
    rows = classify_lines(pages[0], model=m, site="s")
    assert [r.reason for r in rows] == ["content", "content", "content", "corpus_repeated"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(range(6)), min_size=1, max_size=6), st.booleans())
def test_idempotent_with_a_model(order: list[int], with_site: bool) -> None:
    parts = [AR1, AR2, AR3, "عن الكاتب", ABOUT, "Share"]
    pages = [lines(f"({t}) {EN1}", *parts) for t in TAGS[:6]]
    m = BoilerplateModel.fit(pages, sites="s")
    text = lines(*(parts[i] for i in order))
    site = "s" if with_site else None
    once = strip_boilerplate(text, model=m, sites=site)
    assert strip_boilerplate(once, model=m, sites=site) == once


def test_model_pickle_merge_save_load(model: BoilerplateModel, tmp_path) -> None:
    back = pickle.loads(pickle.dumps(model))
    assert back == model and type(back) is BoilerplateModel
    assert back.n_pages == 8 and set(back.sites) == {"a.example", "b.example"}
    a = BoilerplateModel.fit(site_pages("a.example", 3), sites="a.example")
    b = BoilerplateModel.fit(site_pages("a.example", 3), sites="a.example")
    merged = a.merge(b)
    assert isinstance(merged, BoilerplateModel)
    assert merged == BoilerplateModel.fit(site_pages("a.example", 3) * 2, sites="a.example")
    assert merged.n_pages == 6 and merged.n_repeated >= 2
    path = tmp_path / "model.bin"
    merged.save(path)
    loaded = BoilerplateModel.load(str(path))
    assert loaded == merged and isinstance(loaded, BoilerplateModel)
    assert BoilerplateModel(merged.to_bytes()) == merged
    assert "n_pages=6" in repr(merged)


def test_running_model_fitted_in_batches_equals_one_fit() -> None:
    from misfat import _core
    from misfat.boilerplate import _Learner
    from misfat.corpus import merge_models

    pages = site_pages("a.example", 6) + site_pages("b.example", 4, about=EN2) + ["x\ny"]
    sites = ["a.example"] * 6 + ["b.example"] * 4 + [None]
    whole = BoilerplateModel.fit(pages, sites=sites)
    assert whole.n_repeated >= 2
    learner = _Learner()
    for s in range(0, len(pages), 3):
        learner.add(pages[s : s + 3], sites[s : s + 3])
    assert learner.model() == whole
    threaded = _core._ModelBuilder()
    threaded.add(pages, sites, n_threads=2)
    assert threaded.n_pages == len(pages)
    assert BoilerplateModel(threaded) == whole
    # The counts moved into the model: the builder is spent, not silently empty.
    with pytest.raises(ValueError, match="already turned into"):
        BoilerplateModel(threaded)
    with pytest.raises(ValueError, match="already turned into"):
        threaded.add(pages)
    with pytest.raises(TypeError, match="state must be bytes"):
        BoilerplateModel(3)  # type: ignore[arg-type]
    parts = [BoilerplateModel.fit(pages[s : s + 4], sites=sites[s : s + 4]) for s in (0, 4, 8)]
    assert merge_models(parts) == whole
    assert type(parts[0].merge(parts[1])) is BoilerplateModel
    with pytest.raises(ValueError, match="no models"):
        merge_models([])
    with pytest.raises(ValueError, match="different options"):
        _core._ModelBuilder(min_df=4).absorb(whole)
    with pytest.raises(ValueError, match="min_df"):
        _core._ModelBuilder(min_df=1)


def test_running_model_on_real_pages_strips_as_one_fit(corpus_sample: list[dict]) -> None:
    from misfat.boilerplate import _Learner

    texts = [r.get("text") for r in corpus_sample]
    sites = [r.get("source") for r in corpus_sample]
    whole = BoilerplateModel.fit(texts, sites=sites)
    learner = _Learner()
    for s in range(0, len(texts), 300):
        learner.add(texts[s : s + 300], sites[s : s + 300])
    batched = learner.model()
    assert batched == whole and whole.n_repeated > 0
    assert strip_boilerplate(texts, model=batched, sites=sites) == strip_boilerplate(
        texts, model=whole, sites=sites
    )


def test_model_bad_input(tmp_path) -> None:
    with pytest.raises(ValueError, match="invalid serialized state"):
        BoilerplateModel(b"garbage")
    good = BoilerplateModel.fit(site_pages("x", 3)).to_bytes()
    with pytest.raises(ValueError):
        BoilerplateModel(good[:-3])
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"MISFATBP" + b"\x00" * 20)
    with pytest.raises(ValueError):
        BoilerplateModel.load(bad)
    with pytest.raises(ValueError, match="min_df"):
        BoilerplateModel.fit(["a"], min_df=1)
    with pytest.raises(ValueError, match="prose_min_df"):
        BoilerplateModel.fit(["a"], prose_min_df=40)
    with pytest.raises(TypeError, match="merge"):
        BoilerplateModel.fit(["a"]).merge("x")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="different options"):
        BoilerplateModel.fit(["a"]).merge(BoilerplateModel.fit(["a"], min_df=4))


def test_model_fit_accepts_series_and_arrow() -> None:
    pages = site_pages("a", 4)
    m = BoilerplateModel.fit(pages, sites="a")
    assert BoilerplateModel.fit(pd.Series(pages), sites=pd.Series(["a"] * 4)) == m
    assert BoilerplateModel.fit(pa.array(pages), sites="a") == m
    assert BoilerplateModel.fit([*pages, None], sites=[*(["a"] * 4), None]).n_pages == 4
    # Missing sites (None, NaN, pd.NA) count as pages without a site.
    m = BoilerplateModel.fit(pages[:3], sites=["a", float("nan"), pd.NA])
    assert sorted(m.sites) == ["", "a"]


# ---- real pages ----


def test_seed_pages_lose_no_long_paragraph(seed_pages: dict[str, str]) -> None:
    from conftest import GOLD

    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    for name, text in seed_pages.items():
        rows = classify_lines(text)
        assert len(rows) == len(text.split("\n")), name
        out = strip_boilerplate(text)
        assert strip_boilerplate(out) == out, name
        kept = {line.strip() for line in out.split("\n")}
        paragraphs = [
            g["text"].strip()
            for g in gold
            if g["doc"] == name and g["label"] == "content" and len(g["text"].split()) >= 12
        ]
        assert paragraphs, name  # the page has article paragraphs to lose
        for p in paragraphs:
            assert p in kept, (name, p[:60])


def test_corpus_articles_are_kept(corpus_sample: list[dict]) -> None:
    """Clean articles (the corpus holds article text only) lose almost nothing."""
    texts = [r["text"] for r in corpus_sample if r.get("text")]
    kept = strip_boilerplate(texts)
    total = sum(len(t) for t in texts)
    lost = total - sum(len(k) for k in kept)
    assert lost / total < 0.01


# ---- properties ----

WORDS = [
    "الحكومة",
    "أعلنت",
    "خطة",
    "جديدة",
    "لدعم",
    "المدارس",
    "في",
    "المدن",
    "الصغيرة",
    "the",
    "council",
    "said",
    "new",
    "plan",
    "would",
    "help",
    "schools",
]


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=9, max_size=30))
    return " ".join(words) + draw(st.sampled_from([".", "؟", "!", ".»"]))


@settings(max_examples=100, deadline=None)
@given(st.lists(paragraph(), min_size=1, max_size=8, unique=True))
def test_no_content_lost_without_furniture(paras: list[str]) -> None:
    text = "\n".join(paras)
    assert strip_boilerplate(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            paragraph(),
            st.sampled_from(
                [
                    "Share",
                    "TT",
                    "مقالات ذات صلة",
                    "عنوان",
                    "عنوان",
                    "(رويترز)",
                    "",
                    "اقرأ أيضا",
                    "x.com",
                ]
            ),
        ),
        max_size=12,
    ),
    st.sampled_from(["low", "normal", "high"]),
)
def test_idempotent(rows: list[str], aggressiveness: str) -> None:
    once = strip_boilerplate("\n".join(rows), aggressiveness=aggressiveness)
    assert strip_boilerplate(once, aggressiveness=aggressiveness) == once


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_unicode(text: str) -> None:
    text = text.encode("utf-8", "replace").decode("utf-8")
    rows = classify_lines(text)
    assert len(rows) == len(text.split("\n"))
    for r in rows:
        assert text[r.start : r.end] == r.text


def test_the_site_model_keeps_each_sample_pages_own_headline() -> None:
    # The bundled pages of one site tease each other's headlines, and some open with a
    # masthead above the headline: the model still never removes a page's own headline.
    from misfat import BoilerplateModel
    from misfat.cli import sample_pages

    pages = sample_pages()
    model = BoilerplateModel.fit([p["text"] for p in pages], sites=[p["site"] for p in pages])
    seen = 0
    for p in pages:
        rows = classify_lines(p["text"], model=model, site=p["site"])
        own = [r for r in rows if r.text.strip() == p["title"].strip()]
        seen += len(own)
        assert all(r.kept for r in own), (p["id"], [(r.line, r.reason) for r in own])
    assert seen >= 6
