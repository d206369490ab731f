"""Similarity scoring, MinHash, LSH and dedup: exact values against RapidFuzz and a
pure-Python reference, statistical accuracy, determinism, pickling, bad input."""

from __future__ import annotations

import inspect
import pickle
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SEEDS

import misfat
from misfat import LSHIndex, MinHasher, _core, band_keys, cdist, dedup, similarity, top_k

ALPHABET = list("abc ") + ["ا", "ب", "ل", "م", "ة", "ى", "\u064e", "😀"]


def rand_text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


# --- a pure-Python reference for word/char n-gram sets ---------------------------------

_MARKS = "\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}\u200c\u200d])+")


def ref_shingles(text: str, unit: str, n: int) -> set:
    words = _WORD.findall(text)
    if unit == "word":
        if not words:
            return set()
        if len(words) < n:
            return {tuple(words)}
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}
    canon = " ".join(words)
    if not canon:
        return set()
    if len(canon) < n:
        return {canon}
    return {canon[i : i + n] for i in range(len(canon) - n + 1)}


def ref_score(a: str, b: str, method: str, unit: str, n: int) -> float:
    sa, sb = ref_shingles(a, unit, n), ref_shingles(b, unit, n)
    if not sa and not sb:
        return 1.0
    inter = len(sa & sb)
    if method == "jaccard":
        return inter / len(sa | sb)
    if method == "containment":
        return inter / len(sa) if sa else 0.0
    return inter / min(len(sa), len(sb)) if sa and sb else 0.0


@pytest.mark.parametrize("method", ["jaccard", "containment", "overlap"])
@pytest.mark.parametrize(("unit", "n"), [("word", 1), ("word", 3), ("char", 4)])
def test_set_methods_equal_reference(method: str, unit: str, n: int) -> None:
    rng = random.Random(5)
    vocab = ["الخبر", "عاجل", "في", "القاهرة", "اليوم", "news", "كَتَبَ", "2025"]
    a = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12))) for _ in range(60)]
    b = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 12))) for _ in range(60)]
    got = similarity(a, b, method=method, unit=unit, ngram=n, profile=None)
    want = [ref_score(x, y, method, unit, n) for x, y in zip(a, b, strict=True)]
    assert got.tolist() == pytest.approx(want, abs=1e-12)


def test_diacritics_never_split_words() -> None:
    # Without normalization the diacritized word is one (different) word, not two.
    s = similarity("كَتَبَ الولد", "كتب الولد", method="jaccard", ngram=1, profile=None)
    assert s == pytest.approx(1 / 3)
    assert similarity("كَتَبَ الولد", "كتب الولد", method="jaccard", ngram=1) == 1.0


# --- edit ratio against RapidFuzz ---------------------------------------------------------


def test_ratio_equals_rapidfuzz_exactly() -> None:
    rf = pytest.importorskip("rapidfuzz")
    from rapidfuzz.distance import Indel

    rng = random.Random(1)
    for _ in range(300):
        a = rand_text(rng, rng.randint(0, 150))
        b = rand_text(rng, rng.randint(0, 150))
        got = similarity(a, b, method="ratio", profile=None)
        assert got == Indel.normalized_similarity(a, b)
        assert got * 100 == pytest.approx(rf.fuzz.ratio(a, b), abs=1e-9)


def test_cdist_equals_rapidfuzz_cdist() -> None:
    pytest.importorskip("rapidfuzz")
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    rng = random.Random(2)
    q = [rand_text(rng, rng.randint(0, 200)) for _ in range(20)]
    c = [rand_text(rng, rng.randint(0, 200)) for _ in range(30)]
    want = process.cdist(q, c, scorer=Indel.normalized_similarity, dtype=np.float64)
    got = cdist(q, c, method="ratio", profile=None, dtype=np.float64, workers=2)
    assert got.shape == (20, 30) and got.dtype == np.float64
    assert np.array_equal(got, want)
    got32 = cdist(q, c, method="ratio", profile=None)
    assert got32.dtype == np.float32
    assert np.array_equal(got32, want.astype(np.float32))


def test_cdist_other_methods_match_pairs_and_missing_is_nan() -> None:
    texts = ["الرئيس يزور القاهرة اليوم", "يزور الرئيس القاهرة", None, "خبر عن الطقس"]
    for method in ["jaccard", "containment", "overlap", "cosine", "simhash"]:
        m = cdist(texts, texts, method=method, dtype="float64")
        for i, x in enumerate(texts):
            for j, y in enumerate(texts):
                if x is None or y is None:
                    assert np.isnan(m[i, j])
                else:
                    assert m[i, j] == similarity(x, y, method=method), method


def test_cdist_of_one_object_twice_is_the_full_symmetric_matrix() -> None:
    # The same object as queries and choices: half the matrix is scored and mirrored for
    # a symmetric method; the result equals the matrix against an equal copy.
    rng = random.Random(5)
    words = ["خبر", "عاجل", "القاهرة", "بيروت", "اليوم", "أمس", "الرئيس", "الوزير"]
    texts: list[str | None] = [" ".join(rng.choices(words, k=rng.randint(1, 9))) for _ in range(45)]
    texts[7] = None
    texts[30] = ""
    for method in ["ratio", "jaccard", "overlap", "cosine", "simhash", "reprint", "containment"]:
        for dtype in ["float32", "float64"]:
            same = cdist(texts, texts, method=method, dtype=dtype, workers=2)
            copy = cdist(texts, list(texts), method=method, dtype=dtype)
            assert same.dtype == np.dtype(dtype) and same.shape == (45, 45)
            assert same.flags.c_contiguous and same.flags.writeable
            assert np.array_equal(np.isnan(same), np.isnan(copy)), method
            np.testing.assert_allclose(same, copy, rtol=1e-6, err_msg=method)
            if method != "containment":
                assert np.array_equal(same, same.T, equal_nan=True), method
    # Containment is not symmetric: both halves are scored.
    pair = ["a b", "a b c d"]
    c = cdist(pair, pair, method="containment", unit="word", ngram=1)
    assert c[0, 1] == 1.0 and c[1, 0] == 0.5


def test_top_k_agrees_with_cdist() -> None:
    rng = random.Random(3)
    words = ["خبر", "عاجل", "القاهرة", "بيروت", "اليوم", "أمس", "الرئيس", "الوزير"]
    q = [" ".join(rng.choices(words, k=8)) for _ in range(5)]
    c = [" ".join(rng.choices(words, k=8)) for _ in range(40)]
    full = cdist(q, c, method="jaccard", ngram=1, dtype="float64")
    r = top_k(q, c, k=3, method="jaccard", ngram=1)
    assert r.indices.shape == r.scores.shape == (5, 3)
    for i in range(5):
        order = sorted(range(40), key=lambda j: (-full[i, j], j))[:3]
        assert r.indices[i].tolist() == order
        assert r.scores[i].tolist() == [full[i, j] for j in order]
    assert cdist([], ["a"]).shape == (0, 1) and cdist(["a"], []).shape == (1, 0)
    assert top_k([], ["a"]).indices.shape == (0, 5)
    assert dedup([]).cluster.shape == (0,)
    assert MinHasher().signatures([]).shape == (0, 128)
    pad = top_k(["a"], ["a", None], k=3, ngram=1)
    assert pad.indices.tolist() == [[0, -1, -1]] and np.isnan(pad.scores[0, 1])


def test_cosine_tfidf_downweights_shared_words() -> None:
    corpus = ["في القاهرة خبر", "في بيروت خبر", "في دمشق خبر", "الطقس حار"]
    a, b = "في خبر القاهرة", "في خبر بيروت"
    assert similarity(a, b, method="cosine", idf=corpus) < similarity(a, b, method="cosine")


# --- shapes, missing values, alignment, errors ---------------------------------------------


def test_series_alignment_and_missing() -> None:
    a = pd.Series(["الرئيس يزور القاهرة", None, "x y"], index=[10, 11, 12], name="a")
    b = pd.Series(["x y", "الرئيس يزور القاهره", "z"], index=[12, 10, 11])
    got = a.arabic.similarity(b, method="jaccard", ngram=1)
    assert got.index.tolist() == [10, 11, 12] and got.name == "a"
    assert got[10] == 1.0 and np.isnan(got[11]) and got[12] == 1.0
    df = pd.DataFrame({"a": ["a b", "c d"], "b": ["a b", "c e"]})
    assert df.a.arabic.similarity(df.b, ngram=1).tolist() == [1.0, 1 / 3]
    # A str against a column, and Arrow input.
    pa = pytest.importorskip("pyarrow")
    assert similarity("a b", pa.array(["a b", None]), ngram=1)[0] == 1.0
    assert np.isnan(similarity(["a"], [float("nan")])[0])
    # An Arrow-backed str Series goes to Rust through the Arrow C stream, nulls kept.
    arrow = pd.Series(["a b", None, "a c"], index=[7, 8, 9], dtype="string[pyarrow]")
    assert misfat.dedup(arrow, match="jaccard", unit="char", ngram=1).cluster.tolist() == [0, 1, 0]
    assert cdist(arrow, ["a b"], method="jaccard", ngram=1, dtype="float64")[:, 0].tolist()[
        ::2
    ] == [1.0, 1 / 3]
    assert MinHasher(num_perm=8).signatures(arrow)[1].tolist() == [0xFFFFFFFF] * 8


def test_bad_input_errors() -> None:
    with pytest.raises(TypeError, match="element 1"):
        similarity(["a", 3], ["b", "c"])
    with pytest.raises(ValueError, match="differ in length"):
        similarity(["a"], ["b", "c"])
    with pytest.raises(ValueError, match="levenshtien"):
        similarity("a", "b", method="levenshtien")
    with pytest.raises(ValueError, match="unit"):
        similarity("a", "b", unit="letter")
    with pytest.raises(ValueError, match="ngram"):
        MinHasher(ngram=0)
    with pytest.raises(ValueError, match="num_perm"):
        MinHasher(num_perm=0)
    with pytest.raises(ValueError, match="dtype"):
        cdist(["a"], ["b"], dtype="int8")
    with pytest.raises(ValueError, match="threshold"):
        LSHIndex(threshold=1.5)
    with pytest.raises(ValueError, match="bands"):
        LSHIndex(num_perm=16, bands=5, rows=5)
    with pytest.raises(ValueError, match="threshold"):
        dedup(["a"], threshold=0)
    with pytest.raises(ValueError, match="verify"):
        dedup(["a"], verify="cosine")
    with pytest.raises(TypeError, match="element 0"):
        dedup([b"bytes"])


def test_errors_name_the_parameter_given() -> None:
    # cdist and top_k call it workers (RapidFuzz's name), not n_threads.
    for call in (cdist, top_k):
        with pytest.raises(ValueError, match=r"^workers must be -1 \(all cores\) or a positive"):
            call(["a"], ["b"], workers=0)
    with pytest.raises(ValueError, match=r"^n_threads must be"):
        similarity(["a"], ["b"], n_threads=0)
    # One word, one plural: no "aggressivenesss".
    with pytest.raises(ValueError) as e:
        misfat.strip_boilerplate("x", aggressiveness="extreme")
    assert str(e.value) == 'unknown aggressiveness "extreme"; expected one of: low, normal, high'


def test_constructors_show_their_defaults() -> None:
    # help() shows the real defaults (the extension alone shows profile=...).
    sig = inspect.signature(MinHasher)
    assert {n: p.default for n, p in sig.parameters.items()} == {
        "num_perm": 128,
        "ngram": 3,
        "unit": "word",
        "seed": 1,
        "profile": "search",
    }
    # ... and they are the extension's own defaults, which its help() shows too.
    assert inspect.signature(_core.MinHasher) == sig.replace(
        parameters=[p.replace(annotation=p.empty) for p in sig.parameters.values()],
        return_annotation=inspect.Signature.empty,
    )
    attrs = ("num_perm", "ngram", "unit", "seed", "profile")
    assert [getattr(MinHasher(), a) for a in attrs] == [
        getattr(_core.MinHasher(), a) for a in attrs
    ]
    assert [p.default for p in sig.parameters.values()] == [getattr(MinHasher(), a) for a in attrs]
    sig = inspect.signature(LSHIndex)
    assert [(n, p.default) for n, p in sig.parameters.items()] == [
        ("threshold", 0.5),
        ("num_perm", 128),
        ("bands", None),
        ("rows", None),
    ]
    attrs = ("threshold", "num_perm", "bands", "rows")
    assert [getattr(LSHIndex(), a) for a in attrs] == [getattr(_core.LSHIndex(), a) for a in attrs]


def test_lsh_keys_may_be_numpy_integers() -> None:
    m = MinHasher(num_perm=32)
    sigs = m.signatures(["خبر عاجل عن الطقس اليوم", "مباراة كرة القدم مساء الأحد"])
    idx = LSHIndex(threshold=0.5, num_perm=32)
    keys = pd.Index([10, 20])  # an index's values are np.int64
    idx.insert_many(keys, sigs)
    idx.insert(np.uint8(3), sigs[0])
    assert idx.keys() == [10, 20, 3] and all(type(k) is int for k in idx.keys())
    assert np.int64(10) in idx and np.int32(20) in idx and 10 in idx and 11 not in idx
    assert idx.query(sigs[1]) == [20]
    # Bools are not keys, numpy's either; ints must fit in 64 bits; floats are refused.
    for bad in (True, np.True_, np.float64(1.0)):
        with pytest.raises(TypeError, match="keys must be str or int"):
            idx.insert(bad, sigs[0])
    with pytest.raises(ValueError, match="int keys must fit in 64 bits"):
        idx.insert(np.uint64(2**64 - 1), sigs[0])
    assert len(idx) == 3


# --- MinHash --------------------------------------------------------------------------------


def test_minhash_unbiased_and_accurate() -> None:
    rng = random.Random(11)
    k = 128
    m = MinHasher(num_perm=k, ngram=1, profile=None, seed=3)
    errors = []
    for _ in range(200):
        common = [f"w{rng.randrange(10**9)}" for _ in range(rng.randint(20, 150))]
        a = common + [f"a{rng.randrange(10**9)}" for _ in range(rng.randint(0, 100))]
        b = common + [f"b{rng.randrange(10**9)}" for _ in range(rng.randint(0, 100))]
        exact = len(set(a) & set(b)) / len(set(a) | set(b))
        sa, sb = m.signatures([" ".join(a), " ".join(b)])
        errors.append(float((sa == sb).mean()) - exact)
    errors = np.array(errors)
    # Standard error of a single estimate is at most 0.5/sqrt(k) = 0.044.
    assert abs(errors.mean()) < 4 * 0.5 / np.sqrt(k) / np.sqrt(len(errors))
    assert np.abs(errors).mean() < 0.8 * 0.5 / np.sqrt(k) + 0.005


def test_signatures_shape_dtype_missing() -> None:
    m = MinHasher(num_perm=32, seed=7)
    s = m.signatures(["الخبر العاجل اليوم في القاهرة", None, ""])
    assert s.shape == (3, 32) and s.dtype == np.uint32
    assert (s[1] == 0xFFFFFFFF).all() and (s[2] == 0xFFFFFFFF).all()
    assert not (s[0] == 0xFFFFFFFF).all()
    # Spelling variants normalize to the same signature.
    a, b = m.signatures(["إلى المدرسةِ الجديدة", "الى المـدرسه الجديده"])
    assert (a == b).all()
    assert np.array_equal(m.signatures(["a b c"] * 5, n_threads=2), m.signatures(["a b c"] * 5))


def test_same_seed_same_signatures_in_a_subprocess() -> None:
    texts = ["الرئيس يزور القاهرة اليوم في زيارة رسمية", "خبر عاجل"]
    here = MinHasher(num_perm=16, seed=42).signatures(texts).tolist()
    code = (
        "import misfat, json, sys; "
        "t = json.loads(sys.stdin.read()); "
        "print(json.dumps(misfat.MinHasher(num_perm=16, seed=42).signatures(t).tolist()))"
    )
    import json

    out = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    assert json.loads(out.stdout) == here
    # Pinned literal values: a change here breaks every stored signature.
    m = MinHasher(num_perm=4, ngram=1, seed=1, profile=None)
    assert m.signatures(["x"]).tolist() == [[1779058621, 3240798013, 3038186010, 913247950]]
    m = MinHasher(num_perm=4, ngram=2, seed=1)
    assert m.signatures(["عاجل من القاهرة"]).tolist() == [
        [943923017, 494216252, 1076133428, 1436778034]
    ]


def test_pickling_every_object() -> None:
    m = MinHasher(num_perm=64, ngram=2, unit="char", seed=9, profile=None)
    m2 = pickle.loads(pickle.dumps(m))
    assert type(m2) is MinHasher and repr(m2) == repr(m)
    assert np.array_equal(m2.signatures(["abc def"]), m.signatures(["abc def"]))
    idx = LSHIndex(threshold=0.6, num_perm=64)
    sigs = m.signatures(["abc def ghi", "abc def ghj", "zzz"])
    idx.insert_many(["a", 2, "c"], sigs)
    idx2 = pickle.loads(pickle.dumps(idx))
    assert type(idx2) is LSHIndex and len(idx2) == 3
    assert (idx2.bands, idx2.rows, idx2.threshold) == (idx.bands, idx.rows, 0.6)
    assert idx2.query(sigs[0]) == idx.query(sigs[0])
    assert "c" in idx2 and 2 in idx2 and "b" not in idx2


# --- LSH -------------------------------------------------------------------------------------


def test_lsh_params_match_datasketch() -> None:
    assert misfat.lsh_params(0.5, 128) == (25, 5)
    assert misfat.lsh_params(0.9, 128) == (5, 25)
    idx = LSHIndex(threshold=0.8, num_perm=128)
    assert (idx.bands, idx.rows) == (9, 13)


def test_lsh_insert_query_save_load(tmp_path: Path) -> None:
    m = MinHasher(num_perm=128, ngram=1, profile=None)
    base = [f"w{i}" for i in range(100)]
    near = base[:95] + ["x1", "x2", "x3", "x4", "x5"]
    far = [f"v{i}" for i in range(100)]
    idx = LSHIndex(threshold=0.7, num_perm=128)
    idx.insert("base", m.signatures(" ".join(base))[0])
    idx.insert(7, m.signatures(" ".join(far))[0])
    assert idx.query(m.signatures(" ".join(near))[0]) == ["base"]
    with pytest.raises(ValueError, match="already"):
        idx.insert("base", m.signatures("q")[0])
    with pytest.raises(ValueError, match="num_perm"):
        idx.query(np.zeros(64, dtype=np.uint32))
    with pytest.raises(TypeError, match="keys"):
        idx.insert(1.5, m.signatures("q")[0])
    path = tmp_path / "index.lsh"
    idx.save(path)
    back = LSHIndex.load(path)
    assert back.keys() == ["base", 7] and back.to_bytes() == idx.to_bytes()
    data = idx.to_bytes()
    for bad in (data[:-3], b"nonsense" + data[8:], data + b"\0"):
        with pytest.raises(ValueError, match="invalid serialized state"):
            LSHIndex.from_bytes(bad)


def test_lsh_query_of_a_uint32_row_equals_the_converted_paths() -> None:
    # A uint32 row is read by Rust directly; other dtypes, lists and strided rows go
    # through the checked conversion. All answer alike.
    m = MinHasher(num_perm=64, ngram=1, profile=None)
    texts = [" ".join(f"w{(i * 7 + j) % 50}" for j in range(30)) for i in range(40)]
    sigs = m.signatures(texts)
    idx = LSHIndex(threshold=0.5, num_perm=64)
    idx.insert_many([f"k{i}" if i % 2 else i for i in range(40)], sigs)
    strided = np.asfortranarray(sigs)
    for i in range(40):
        want = idx.query_many(sigs[i : i + 1])[0]
        assert i in want or f"k{i}" in want
        assert idx.query(sigs[i]) == want
        assert idx.query(sigs[i].astype(np.int64)) == want
        assert idx.query(sigs[i].tolist()) == want
        assert idx.query(strided[i]) == want and not strided[i].flags.c_contiguous
    with pytest.raises(ValueError, match="num_perm"):
        idx.query(sigs[0][:10])
    with pytest.raises(ValueError, match="num_perm"):
        idx.query(sigs[0].astype(">u4")[:10])
    assert idx.query(sigs[0].astype(">u4")) == idx.query(sigs[0])


def test_band_keys_long_and_wide() -> None:
    sigs = MinHasher(num_perm=32).signatures(["a b c d", "a b c d", "x y z"])
    wide = band_keys(sigs, 8, 4, long=False)
    assert wide.shape == (3, 8) and wide.dtype == np.uint64
    assert (wide[0] == wide[1]).all() and (wide[0] != wide[2]).all()
    long = band_keys(sigs, 8, 4)
    assert list(long.columns) == ["doc", "band", "key"] and len(long) == 24
    assert long.key.tolist() == wide.reshape(-1).tolist()
    with pytest.raises(ValueError, match="bands"):
        band_keys(sigs, 9, 4)


# --- dedup -----------------------------------------------------------------------------------


def _story(i: int, n: int = 80) -> str:
    return " ".join(f"كلمة{i}و{w}" for w in range(n))


def test_dedup_clusters_and_verification_stops_chaining() -> None:
    boiler = " ".join(f"تابعونا{w}" for w in range(60))
    a = _story(1)
    a2 = "شارك الخبر " + a.replace("كلمة1و5 ", "") + " المصدر وكالات"
    b, c = f"{_story(2)} {boiler}", f"{_story(3)} {boiler}"
    s = pd.Series([a, b, a2, None, c, "", a], index=list("abcdefg"))
    out = s.arabic.dedup()
    assert out.index.tolist() == list("abcdefg")
    assert out.cluster.tolist() == [0, 1, 0, 3, 4, 5, 0]
    assert out.representative.tolist() == [True, True, False, True, True, True, False]
    r = dedup([b, c], match="jaccard", threshold=0.5, bands=64, rows=2, verify=False)
    assert r.cluster.tolist() == [0, 0]
    r = dedup([b, c], match="jaccard", threshold=0.5, bands=64, rows=2)
    assert r.cluster.tolist() == [0, 1]
    sim = dedup(list(s), match="jaccard", method="simhash", threshold=0.9, verify="jaccard")
    assert sim.cluster[6] == 0 and sim.cluster[1] == 1
    assert dedup(list(s), n_threads=2).cluster.tolist() == [0, 1, 0, 3, 4, 5, 0]


_LEAD = "قالت وزارة الصحة إن حملة التطعيم الجديدة ستبدأ الأسبوع المقبل في جميع المحافظات"
_BODY = [
    "وأوضحت الوزارة في بيان أن الحملة تستهدف نحو 3 ملايين طفل دون سن الخامسة",
    "وقال المتحدث باسم الوزارة إن الفرق الطبية ستزور المنازل والمدارس طوال أيام الحملة",
    "وكانت منظمة الصحة العالمية قد حذرت من ارتفاع الإصابات بالحصبة في المنطقة خلال العام الماضي",
    "ويشارك في الحملة أكثر من ألفي عامل صحي تم تدريبهم خلال الأسابيع الماضية على إعطاء اللقاحات",
    "ودعت الوزارة الأهالي إلى التعاون مع الفرق الطبية وتسجيل أطفالهم في المراكز الصحية القريبة",
]


def _report(*parts: str) -> str:
    return ".\n".join(parts) + "."


def test_reprints_trimmed_copies_join_templates_and_chains_do_not() -> None:
    full = _report(_LEAD, *_BODY)
    trimmed = _report("عنوان آخر للخبر نفسه", _LEAD, *_BODY[:2])  # re-headlined, cut short
    # The same template with other numbers and places: another report.
    template = _report(
        _LEAD.replace("الأسبوع المقبل", "الشهر المقبل"),
        _BODY[0].replace("3 ملايين", "5 ملايين").replace("الخامسة", "العاشرة"),
    )
    headline = _LEAD  # one line carried by the article is not a copy of it
    assert similarity(trimmed, full, method="reprint") >= misfat.REPRINT_THRESHOLD
    assert similarity(template, full, method="reprint") < misfat.REPRINT_THRESHOLD
    assert similarity(headline, full, method="reprint") < misfat.REPRINT_THRESHOLD
    r = dedup([full, trimmed, template, headline])
    assert r.cluster.tolist() == [0, 0, 2, 3]
    assert r.score[0] == 1.0 and r.score[1] == pytest.approx(
        similarity(trimmed, full, method="reprint"), abs=1e-6
    )
    # The earlier default (2-gram Jaccard ≥ 0.4) misses the trimmed copy.
    assert dedup([full, trimmed], match="jaccard").cluster.tolist() == [0, 1]


def test_reprint_clusters_never_chain() -> None:
    # Five stories, each sharing half its sentences with the next: single links chain
    # them all; through representatives every member verifies against its own.
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    s = [" ".join(letters[i] + letters[k] + "ان" for k in range(12)) for i in range(12)]
    texts = [_report(*s[i : i + 4]) for i in range(0, 10, 2)]
    r = dedup(texts)
    assert r.cluster.tolist() == [1, 1, 1, 3, 3]
    for i, c in enumerate(r.cluster.tolist()):
        assert similarity(texts[i], texts[c], method="reprint") >= misfat.REPRINT_THRESHOLD
    assert similarity(texts[0], texts[2], method="reprint") == 0.0
    assert dedup(texts, match="jaccard", threshold=0.3).cluster.tolist() == [0, 0, 0, 0, 0]


def test_dedup_match_options() -> None:
    with pytest.raises(ValueError, match="match"):
        dedup(["a"], match="fuzzy")
    with pytest.raises(ValueError, match="match='jaccard'"):
        dedup(["a"], method="simhash")
    with pytest.raises(ValueError, match="reprint"):
        dedup(["a"], match="jaccard", verify="reprint")
    with pytest.raises(ValueError, match="word 2-grams"):
        dedup(["a"], unit="char")


@pytest.mark.shared
def test_seed_rewrites_are_one_cluster_after_stripping() -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:5]]
    stripped = misfat.strip_boilerplate(pages)
    assert dedup(stripped).cluster.tolist() == [0, 0, 2, 3, 4]
    # The main job (strip, normalize, dedup) agrees, on raw pages.
    out = misfat.clean_corpus(pd.DataFrame({"text": pages}), progress=False)
    assert out["cluster"].tolist() == [0, 0, 2, 3, 4]


@pytest.mark.shared
def test_seed_rewrites_score_clearly_above_other_pairs() -> None:
    pages = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))[:5]]
    m = cdist(pages, pages, method="jaccard", dtype="float64")
    pair = m[0, 1]
    others = [m[i, j] for i in range(5) for j in range(i + 1, 5) if (i, j) != (0, 1)]
    assert pair > 2 * max(others), (pair, others)


# --- properties ------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_any_unicode_scores_in_range_and_symmetric(a: str, b: str) -> None:
    for method in ["ratio", "jaccard", "overlap", "cosine", "simhash"]:
        x = similarity(a, b, method=method)
        assert 0.0 <= x <= 1.0
        assert x == similarity(b, a, method=method)
        assert similarity(a, a, method=method) == 1.0
    assert 0.0 <= similarity(a, b, method="containment") <= 1.0
    # "reprint" is symmetric and bounded; a text too short to carry a sentence of
    # evidence is a reprint of nothing, itself included.
    x = similarity(a, b, method="reprint")
    assert 0.0 <= x <= 1.0 and x == similarity(b, a, method="reprint")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=12))
def test_dedup_is_a_partition_whose_ids_are_representatives(texts: list[str]) -> None:
    single = dedup(texts, match="jaccard", threshold=0.5, unit="char", ngram=3)
    for r in (single, dedup(texts)):
        for c in r.cluster.tolist():
            assert r.cluster[c] == c
        assert r.representative.tolist() == [c == i for i, c in enumerate(r.cluster.tolist())]
    # Single links name a cluster by its first row.
    assert all(c <= i for i, c in enumerate(single.cluster.tolist()))


def test_objects_shared_between_threads() -> None:
    from concurrent.futures import ThreadPoolExecutor

    m = MinHasher(num_perm=64, ngram=1)
    texts = [f"خبر رقم {i} عن القاهرة" for i in range(200)]
    want = m.signatures(texts)
    idx = LSHIndex(threshold=0.5, num_perm=64)

    def work(part: int) -> bool:
        rows = list(range(part * 50, part * 50 + 50))
        sigs = m.signatures([texts[i] for i in rows])
        idx.insert_many(rows, sigs)
        return bool(np.array_equal(sigs, want[rows])) and all(
            i in idx.query(sigs[j]) for j, i in enumerate(rows)
        )

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(work, range(4)))
    assert len(idx) == 200
