"""Reliability (issue 11): fork safety and bounded thread pools, untrusted bytes, Arrow
validation, lock discipline, size limits and missing scalars.

Anything that could hang runs in a subprocess with a generous timeout, so a regression
fails the test instead of stalling the suite.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import misfat
from misfat import _core
from misfat.corpus import CorpusError, StripOptions, clean_file
from misfat.similarity import _restore_lsh

HANG_TIMEOUT = 120  # seconds; generous: only a hang should ever reach it


def run_script(code: str, timeout: float = HANG_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Runs `code` in a fresh interpreter; a hang is a test failure, not a stuck suite."""
    try:
        proc = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as e:
        pytest.fail(f"hung for more than {timeout} s:\n{e.stderr}")
    assert proc.returncode == 0, proc.stderr
    return proc


# --- 1. thread pools: fork-aware and bounded --------------------------------------------

FORK_CALLS = {
    "normalize": "misfat.normalize(TEXTS, n_threads=2)",
    "signatures": "misfat.MinHasher(num_perm=16).signatures(TEXTS, n_threads=-1)",
    "strip_boilerplate": "misfat.strip_boilerplate(TEXTS, n_threads=2)",
    "cdist": "misfat.cdist(TEXTS, TEXTS, workers=2)",
}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
@pytest.mark.parametrize("call", sorted(FORK_CALLS))
def test_threaded_call_works_in_a_forked_child(call: str) -> None:
    expr = FORK_CALLS[call]
    run_script(
        f"""
        import multiprocessing as mp, warnings
        import misfat
        warnings.simplefilter("ignore")  # "fork of a multi-threaded process" is the point
        TEXTS = ["الخبر العاجل اليوم في القاهرة", "نص آخر عن الطقس"] * 50

        def child():
            {expr}

        {expr}  # builds the pool in the parent
        p = mp.get_context("fork").Process(target=child)
        p.start()
        p.join(60)
        if p.is_alive():
            p.kill()
            raise SystemExit("the forked child hung")
        assert p.exitcode == 0, p.exitcode
        """
    )


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_thread_count_is_bounded_by_the_cores() -> None:
    texts = ["الخبر العاجل اليوم"] * 200
    misfat.normalize(texts, n_threads=2)
    before = len(os.listdir("/proc/self/task"))
    for n in [2, 3, 5, 8, 13, 40, 100, 1000, 2**40]:
        assert misfat.normalize(texts, n_threads=n) == misfat.normalize(texts)
    after = len(os.listdir("/proc/self/task"))
    # One pool of at most one thread per core, however many distinct values were asked.
    assert after - before <= (os.cpu_count() or 1)


@pytest.mark.parametrize("n", [0, -2, -100])
def test_bad_n_threads_is_a_value_error(n: int) -> None:
    with pytest.raises(ValueError, match="n_threads"):
        misfat.normalize(["نص"], n_threads=n)


# --- 2. untrusted index and model bytes --------------------------------------------------


def small_index() -> misfat.LSHIndex:
    m = misfat.MinHasher(num_perm=32)
    idx = misfat.LSHIndex(threshold=0.5, num_perm=32)
    idx.insert_many(["خبر", 7], m.signatures(["الخبر العاجل اليوم", "نص آخر عن الطقس"]))
    return idx


def small_model() -> misfat.BoilerplateModel:
    pages = [f"Story number {i} begins here.\nتابعونا\nFooter line" for i in range(4)]
    return misfat.BoilerplateModel.fit(pages, sites="site")


def test_lsh_bytes_are_checked_before_allocating(tmp_path) -> None:
    import pickle
    import struct

    # The reported abort: a version 1 header claiming 2**32 - 1 bands.
    crafted = b"MSFTLSH\0" + struct.pack("<IIIIdQ", 1, 2**32 - 1, 2**32 - 1, 1, 0.5, 0)
    with pytest.raises(ValueError, match="version 1"):
        misfat.LSHIndex.from_bytes(crafted)
    path = tmp_path / "crafted.lsh"
    path.write_bytes(crafted)
    with pytest.raises(ValueError):
        misfat.LSHIndex.load(path)
    # The same claims in the current format (the checksum cannot be right, and the Rust
    # tests of the core check that a right checksum does not make them acceptable).
    current = b"MSFTLSH\0" + struct.pack("<IQIIIdQ", 2, 0, 2**32 - 1, 2**32 - 1, 1, 0.5, 2**60)
    with pytest.raises(ValueError, match="checksum"):
        misfat.LSHIndex.from_bytes(current)

    class Crafted:  # pickles as an LSHIndex with the crafted state
        def __reduce__(self) -> object:
            return (_restore_lsh, (misfat.LSHIndex, (0.5, 1, 1, 1), crafted))

    with pytest.raises(ValueError, match="version 1"):
        pickle.loads(pickle.dumps(Crafted()))


def test_damaged_lsh_bytes_are_value_errors() -> None:
    import pickle

    idx = small_index()
    data = idx.to_bytes()
    assert misfat.LSHIndex.from_bytes(data).to_bytes() == data
    for end in range(len(data)):
        with pytest.raises(ValueError):
            misfat.LSHIndex.from_bytes(data[:end])
    flipped = bytearray(data)
    for i in range(len(data)):
        for bit in range(8):
            flipped[i] ^= 1 << bit
            with pytest.raises(ValueError):
                misfat.LSHIndex.from_bytes(bytes(flipped))
            flipped[i] ^= 1 << bit
    # pickle goes through the same reader.
    good = pickle.dumps(idx)
    assert pickle.loads(good).keys() == idx.keys()
    at = good.index(data) + len(data) // 2
    damaged = good[:at] + bytes([good[at] ^ 1]) + good[at + 1 :]
    with pytest.raises(ValueError, match="checksum"):
        pickle.loads(damaged)


def test_damaged_model_bytes_are_value_errors() -> None:
    model = small_model()
    data = model.to_bytes()
    assert misfat.BoilerplateModel(data) == model
    for end in range(len(data)):
        with pytest.raises(ValueError):
            misfat.BoilerplateModel(data[:end])
    flipped = bytearray(data)
    for i in range(len(data)):
        for bit in range(8):
            flipped[i] ^= 1 << bit
            with pytest.raises(ValueError):
                misfat.BoilerplateModel(bytes(flipped))
            flipped[i] ^= 1 << bit
    old = bytearray(data)
    old[8] = 1  # format version 1 (no checksum)
    with pytest.raises(ValueError, match="version 1"):
        misfat.BoilerplateModel(bytes(old))


@pytest.mark.parametrize("threshold", [float("nan"), float("inf"), -0.5, 0.0, 1.0, 2.0])
def test_bad_lsh_thresholds_are_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        misfat.LSHIndex(threshold=threshold, num_perm=32)


@pytest.mark.parametrize(
    "args", [(float("nan"), 128), (0.5, 10**9), (0.5, 128, float("inf"), 0.5), (0.5, 128, 0, 0)]
)
def test_bad_lsh_parameter_search_is_refused(args: tuple) -> None:
    with pytest.raises(ValueError):
        _core._lsh_params(*args)


# --- 3. Arrow input is validated on import ------------------------------------------------


class CStream:
    """Hands an array over only through the C data interface (not as a pyarrow object),
    so the extension's own checks are what stands between it and the bytes."""

    def __init__(self, array: object) -> None:
        self.array = array

    def __arrow_c_array__(self, requested_schema: object = None) -> object:
        return self.array.__arrow_c_array__(requested_schema)  # type: ignore[attr-defined]


def string_array(offsets: list[int], data: bytes, large: bool = False) -> object:
    t, dt = (pa.large_string(), np.int64) if large else (pa.string(), np.int32)
    buffers = [None, pa.py_buffer(np.array(offsets, dtype=dt)), pa.py_buffer(data)]
    return pa.Array.from_buffers(t, len(offsets) - 1, buffers)


def string_view_array(views: list[bytes], data: bytes) -> object:
    return pa.Array.from_buffers(
        pa.string_view(), len(views), [None, pa.py_buffer(b"".join(views)), pa.py_buffer(data)]
    )


def inline_view(text: bytes) -> bytes:
    return len(text).to_bytes(4, "little") + text.ljust(12, b"\0")


def out_of_line_view(length: int, buffer: int, offset: int) -> bytes:
    return b"".join(x.to_bytes(4, "little") for x in (length, 0, buffer, offset))


ARROW_CALLS = {
    "normalize": lambda x: misfat.normalize(x),
    "strip_boilerplate": lambda x: misfat.strip_boilerplate(x),
    "signatures": lambda x: misfat.MinHasher(num_perm=8).signatures(x),
    "cdist": lambda x: misfat.cdist(x, x),
    "top_k": lambda x: misfat.top_k(x, x, k=1),
    "dedup": lambda x: misfat.dedup(x),
}


@pytest.mark.parametrize("call", sorted(ARROW_CALLS))
@pytest.mark.parametrize(
    "wrap", [lambda a: a, pa.chunked_array, CStream], ids=["array", "chunked", "c"]
)
def test_invalid_utf8_in_arrow_is_a_value_error_naming_the_row(call, wrap) -> None:
    bad = wrap(string_array([0, 5, 7, 9], b"hello\xff\xfeok"))
    with pytest.raises(ValueError, match=r"element 1 .*not valid UTF-8"):
        ARROW_CALLS[call](bad)


@pytest.mark.parametrize("large", [False, True])
def test_arrow_utf8_replace_is_opt_in(large: bool) -> None:
    bad = string_array([0, 5, 7, 9], b"hello\xff\xfeok", large=large)
    assert misfat.normalize(bad, errors="replace").to_pylist() == ["hello", "\ufffd\ufffd", "ok"]
    assert misfat.strip_boilerplate(CStream(bad), errors="replace") is not None
    with pytest.raises(ValueError, match="element 1"):
        misfat.normalize(CStream(bad))


@pytest.mark.parametrize("offsets", [[0, 100, 5], [0, 4, 2, 5], [0, -3, 5], [3, 2, 5]], ids=str)
def test_arrow_offsets_out_of_range_are_value_errors(offsets: list[int]) -> None:
    a = string_array(offsets, b"abcde")
    for x in (a, CStream(a)):
        with pytest.raises(ValueError, match="element"):
            misfat.normalize(x, errors="replace")  # no policy makes bad offsets readable


def test_arrow_offsets_of_a_null_row_are_checked_too() -> None:
    offsets = pa.py_buffer(np.array([0, 3, 9, 5], dtype=np.int32))
    validity = pa.py_buffer(bytes([0b101]))  # row 1 is null
    a = pa.Array.from_buffers(pa.string(), 3, [validity, offsets, pa.py_buffer(b"abcde")])
    with pytest.raises(ValueError, match="element 1"):
        misfat.normalize(CStream(a))


def test_arrow_end_offset_beyond_the_data_is_a_value_error() -> None:
    # The C data interface takes the last offset on trust as the data size; pyarrow's own
    # structural check (which knows the real size) runs first for pyarrow objects.
    offsets = np.array([0, 3, 5], dtype=np.int32)
    a = pa.Array.from_buffers(pa.string(), 2, [None, pa.py_buffer(offsets), pa.py_buffer(b"abcde")])
    offsets[2] = 1 << 20  # the buffer is shared: the array now claims a megabyte of data
    with pytest.raises(ValueError, match="Arrow"):
        misfat.normalize(a)


def test_arrow_string_views_are_checked() -> None:
    outside = string_view_array([inline_view(b"abc"), out_of_line_view(20, 5, 0)], b"x" * 30)
    past_end = string_view_array([out_of_line_view(20, 0, 15)], b"x" * 30)
    for a in (outside, past_end):
        with pytest.raises(ValueError, match="view"):
            misfat.normalize(CStream(a), errors="replace")
    bad = string_view_array([inline_view(b"a\xffc"), out_of_line_view(20, 0, 5)], b"x" * 30)
    with pytest.raises(ValueError, match=r"element 0 .*not valid UTF-8"):
        misfat.normalize(CStream(bad))
    out = pa.array(misfat.normalize(CStream(bad), errors="replace"))
    assert out.to_pylist() == ["a\ufffdc", "x" * 20]


def test_corrupted_parquet_string_column(tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({"text": string_array([0, 5, 7], b"hello\xff\xfe")})
    path = tmp_path / "bad.parquet"
    pq.write_table(table, path)
    column = pq.read_table(path).column("text")
    with pytest.raises(ValueError, match="element 1"):
        misfat.normalize(column)
    with pytest.raises(ValueError, match="element 1"):
        misfat.strip_boilerplate(column)


@pytest.mark.parametrize("large", [False, True])
def test_arrow_offsets_at_an_unaligned_address(large: bool) -> None:
    # Pickled buffers (how Dask ships pyarrow columns) land at any address; reading
    # their offsets through a typed pointer aborted debug builds (and is undefined
    # behaviour in release builds). Run apart: a regression aborts the interpreter.
    run_script(
        f"""
        import numpy as np, pyarrow as pa, misfat
        large = {large}
        raw = np.array([0, 4, 4, 13], dtype=np.int64 if large else np.int32).tobytes()
        offsets = pa.py_buffer(b"\\0" + raw).slice(1)
        assert offsets.address % (8 if large else 4) != 0
        valid = pa.py_buffer(bytes([0b101]))
        t = pa.large_string() if large else pa.string()
        data = pa.py_buffer("أهلاًxyz".encode())
        a = pa.Array.from_buffers(t, 3, [valid, offsets, data])
        assert a.to_pylist() == ["أه", None, "لاًxyz"], a.to_pylist()
        assert misfat.normalize(a).to_pylist() == ["اه", None, "لاxyz"]
        assert misfat.normalize(a.slice(1)).to_pylist() == [None, "لاxyz"]
        """
    )


# --- 4. LSHIndex never holds its lock across Python code ---------------------------------


def test_lsh_index_queries_and_inserts_with_gc_callbacks_do_not_deadlock() -> None:
    # The garbage collector runs while the index builds its result lists; its callbacks
    # are arbitrary Python code, here inserting into the same index (a write while this
    # thread's read would still be held) while another thread inserts too.
    run_script(
        """
        import gc, itertools, os, threading
        import numpy as np
        import misfat

        idx = misfat.LSHIndex(threshold=0.5, num_perm=16)
        sigs = np.zeros((64, 16), dtype=np.uint32)  # all identical: every key is a hit
        idx.insert_many([f"doc{i}" for i in range(64)], sigs)
        fresh = itertools.count()

        def on_gc(phase, info):
            if phase == "start":
                idx.insert(f"gc{next(fresh)}", sigs[0])
                len(idx), idx.keys()[:1]

        gc.callbacks.append(on_gc)
        gc.set_threshold(5, 1, 1)

        def querying():
            for _ in range(200):
                idx.query_many(sigs[:8])
                idx.to_bytes()

        def inserting():
            for i in range(500):
                idx.insert(f"t{i}", sigs[0])

        threads = [threading.Thread(target=f, daemon=True) for f in (querying, inserting)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        if any(t.is_alive() for t in threads):
            print("deadlocked", flush=True)
            os._exit(1)
        gc.callbacks.clear()
        assert len(idx) >= 64 + 500, len(idx)
        """
    )


# --- 5. sizes are checked before allocating ----------------------------------------------

TEXTS = ["كتاب", "كتابة", "كتب", None]


def test_top_k_with_a_huge_k_is_a_memory_error() -> None:
    with pytest.raises(MemoryError, match="top_k"):
        misfat.top_k(TEXTS, TEXTS, k=10**9)
    with pytest.raises(MemoryError, match="top_k"):
        misfat.top_k([], TEXTS, k=2**62)
    # A k beyond the choices is still answered, padded.
    r = misfat.top_k(TEXTS, TEXTS, k=6)
    assert r.indices.shape == (4, 6) and (r.indices[:, 3:] == -1).all()
    assert np.isnan(r.scores[3]).all()


def test_huge_cdist_is_a_memory_error() -> None:
    texts = ["خبر"] * 300_000
    with pytest.raises(MemoryError, match="cdist"):
        misfat.cdist(texts, texts)
    m = misfat.cdist(TEXTS, TEXTS, dtype="float64")
    assert m.shape == (4, 4) and np.isnan(m[3]).all() and m[0, 0] == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"num_perm": 10**9, "bands": 10**9, "rows": 1},
        {"num_perm": 10**9},
        {"num_perm": 128, "bands": 2**40, "rows": 2**40},
    ],
)
def test_huge_lsh_parameters_are_value_errors(kwargs: dict) -> None:
    with pytest.raises(ValueError, match=r"num_perm|bands"):
        misfat.LSHIndex(**kwargs)


# --- 6. missing scalars come back as the very object given -------------------------------

pd = pytest.importorskip("pandas")

MISSING = {
    "None": None,
    "nan": float("nan"),
    "np.float32 nan": np.float32("nan"),
    "np.float16 nan": np.float16("nan"),
    "pd.NA": pd.NA,
    "pd.NaT": pd.NaT,
    "np NaT": np.datetime64("NaT"),
}


@pytest.mark.parametrize("name", sorted(MISSING))
def test_missing_scalar_comes_back_as_given(name: str) -> None:
    v = MISSING[name]
    assert misfat.normalize(v) is v
    assert misfat.normalize(v, return_offsets=True) is v
    assert misfat.strip_boilerplate(v) is v
    assert misfat.strip_boilerplate(v, return_removed=True) is v
    # Inside a list too, with return_removed / return_offsets.
    assert misfat.normalize(["نص", v])[1] is v
    assert misfat.normalize(["نص", v], return_offsets=True)[1] is v
    assert misfat.strip_boilerplate(["نص", v], return_removed=True)[1] is v


def test_series_apply_over_gaps() -> None:
    s = pd.Series(["أهلاً", None, np.float32("nan"), "وسهلاً"], dtype=object)
    out = s.apply(misfat.normalize)
    assert out[0] == "اهلا" and out[3] == "وسهلا"
    assert out[1:3].isna().all()


@pytest.mark.parametrize("value", [0, 1.5, np.float32(1.0), b"x"])
def test_non_missing_non_text_is_still_a_type_error(value: object) -> None:
    with pytest.raises(TypeError):
        misfat.normalize(value)
    with pytest.raises(TypeError):
        misfat.normalize(["نص", value])


# --- 7, 6b. clean_file: every chunk fits the output; untouched columns come back as read ---


def write_lines(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


PAGES = [
    "خبر أول عن الاقتصاد في المدينة اليوم.",
    "خبر ثان عن الرياضة في المدينة.",
    "خبر ثالث عن الطقس في البلاد.",
    "خبر رابع عن الثقافة والفنون.",
]


@pytest.mark.parametrize("chunk_size", [1, 2, 100])
def test_parquet_output_takes_keys_first_seen_in_a_later_chunk(
    tmp_path: Path, chunk_size: int
) -> None:
    rows = [
        {"text": PAGES[0]},
        {"text": PAGES[1]},
        {"text": PAGES[2], "tag": "رياضة", "n": 7},
        {"text": PAGES[3], "n": None},
    ]
    src = write_lines(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.parquet"
    clean_file(src, out, chunk_size=chunk_size, dedup=False, progress=False)
    got = pq.read_table(out)
    assert got.column("tag").to_pylist() == [None, None, "رياضة", None]
    assert got.column("n").to_pylist() == [None, None, 7, None]
    assert got.schema.field("n").type == pa.int64()


def test_parquet_output_refuses_text_and_numbers_in_one_column(tmp_path: Path) -> None:
    rows = [{"text": PAGES[0], "n": 1}, {"text": PAGES[1], "n": "one"}]
    src = write_lines(tmp_path / "in.jsonl", rows)
    with pytest.raises(CorpusError, match="column 'n' holds values of type int64"):
        clean_file(src, tmp_path / "o.parquet", chunk_size=1, dedup=False, progress=False)


BIG = 9007199254740993  # 2**53 + 1: not a float


@pytest.mark.parametrize("out_name", ["o.jsonl", "o.csv", "o.parquet"])
def test_integer_columns_with_gaps_come_back_exactly_from_jsonl(
    tmp_path: Path, out_name: str
) -> None:
    rows = [
        {"text": PAGES[0], "id": BIG, "views": 969, "flag": True},
        {"text": PAGES[1], "id": None, "views": None, "flag": None},
        {"text": PAGES[2], "id": 3, "views": 1, "flag": False},
    ]
    src = write_lines(tmp_path / "in.jsonl", rows)
    out = tmp_path / out_name
    clean_file(src, out, chunk_size=2, dedup=False, progress=False)
    if out_name.endswith(".jsonl"):
        got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert [(g["id"], g["views"], g["flag"]) for g in got] == [
            (BIG, 969, True),
            (None, None, None),
            (3, 1, False),
        ]
        assert f'"id": {BIG},' in out.read_text(encoding="utf-8")
    elif out_name.endswith(".csv"):
        lines = out.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("text,id,views,flag,")
        assert [line.split(",")[1:4] for line in lines[1:]] == [
            [str(BIG), "969", "True"],
            ["", "", ""],
            ["3", "1", "False"],
        ]
    else:
        got = pq.read_table(out)
        assert got.column("id").to_pylist() == [BIG, None, 3]
        assert got.schema.field("id").type == pa.int64()
        assert got.schema.field("flag").type == pa.bool_()


def test_integer_columns_with_gaps_come_back_exactly_from_parquet(tmp_path: Path) -> None:
    table = pa.table(
        {
            "text": PAGES[:3],
            "id": pa.array([BIG, None, 3], pa.int64()),
            "small": pa.array([None, 2, 250], pa.uint8()),
        }
    )
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    out = tmp_path / "o.parquet"
    clean_file(src, out, chunk_size=2, dedup=False, progress=False)
    got = pq.read_table(out)
    assert got.column("id").to_pylist() == [BIG, None, 3]
    assert got.schema.field("small").type == pa.uint8()
    out_csv = tmp_path / "o.csv"
    clean_file(src, out_csv, chunk_size=2, dedup=False, progress=False)
    lines = out_csv.read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[1:3] for line in lines[1:]] == [[str(BIG), ""], ["", "2"], ["3", "250"]]


def test_parquet_to_parquet_keeps_every_input_type(tmp_path: Path) -> None:
    import datetime
    import decimal

    table = pa.table(
        {
            "text": pa.array([PAGES[0], None, PAGES[1]], pa.string()),
            "ts": pa.array([datetime.datetime(2020, 1, 1), None, None], pa.timestamp("ms")),
            "price": pa.array([decimal.Decimal("1.10"), None, None], pa.decimal128(7, 2)),
            "tags": pa.array([[1, 2], None, []], pa.list_(pa.int32())),
        }
    )
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    out = tmp_path / "o.parquet"
    clean_file(src, out, chunk_size=2, dedup=False, progress=False)
    got = pq.read_table(out)
    for name in table.column_names:
        assert got.schema.field(name).type == table.schema.field(name).type, name
        assert got.column(name).to_pylist() == table.column(name).to_pylist(), name


# --- 12. pass 1 keeps one running furniture model, not one per chunk --------------------


def test_clean_file_counts_every_chunk_into_one_running_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    learners: list[Any] = []

    class Learner:
        def __init__(self) -> None:
            self.batches, self.frozen = 0, 0
            learners.append(self)

        def add(self, texts: Any, sites: Any, n: int) -> None:
            self.batches += 1

        def model(self) -> None:
            self.frozen += 1

    def no_model_per_chunk(*args: Any) -> None:
        raise AssertionError("pass 1 fitted a model per chunk")

    monkeypatch.setattr(StripOptions, "learner", lambda self: Learner())
    monkeypatch.setattr(StripOptions, "fit", no_model_per_chunk)
    monkeypatch.setattr(
        StripOptions, "clean", lambda self, texts, sites, model, n: (texts, [0] * len(texts))
    )
    rows = [{"text": PAGES[i % 4], "site": "a.com"} for i in range(40)]
    src = write_lines(tmp_path / "in.jsonl", rows)
    clean_file(src, tmp_path / "o.jsonl", site="site", chunk_size=2, dedup=False, progress=False)
    # One running model took all 20 chunks and was frozen once: no per-chunk models, no merges.
    assert [(x.batches, x.frozen) for x in learners] == [(20, 1)]


# --- 13. killed runs leave no spill folder behind -----------------------------------------


@pytest.mark.skipif(not hasattr(os, "kill") or sys.platform == "win32", reason="POSIX signals")
def test_sigterm_removes_the_spill_folder(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", [{"text": t} for t in PAGES])
    out = tmp_path / "o.jsonl"
    code = f"""
        import os, signal
        from misfat import _io
        from misfat.corpus import clean_file
        def write(self, df):
            os.kill(os.getpid(), signal.SIGTERM)  # killed while writing
        _io.Writer.write = write
        clean_file({str(src)!r}, {str(out)!r}, chunk_size=1, dedup=False, progress=False)
        print("not killed")
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == -signal.SIGTERM, proc.stderr
    assert "not killed" not in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_spill_folders_of_killed_runs_are_removed_at_the_next_start(tmp_path: Path) -> None:
    src = write_lines(tmp_path / "in.jsonl", [{"text": t} for t in PAGES])
    dead = tmp_path / ".o.jsonl.misfat-spill-999999999-abc"  # no such process
    (dead / "sub").mkdir(parents=True)
    (dead / "chunk-000000.pkl").write_bytes(b"x")
    other = tmp_path / ".other.jsonl.misfat-spill-999999999-abc"  # another output's
    other.mkdir()
    live = tmp_path / f".o.jsonl.misfat-spill-{os.getpid()}-xyz"  # a run still going
    live.mkdir()
    clean_file(src, tmp_path / "o.jsonl", dedup=False, progress=False)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([live.name, other.name, "in.jsonl", "o.jsonl"])


# --- 14. arguments checked before reading; BOM and bad UTF-8 ------------------------------


def test_bad_profile_fails_before_reading(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "نص"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match="Search") as e:
        clean_file(src, tmp_path / "o.jsonl", profile="Search", dedup=False, progress=False)
    assert "malformed" not in str(e.value)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"aggressiveness": "max"}, "aggressiveness"),
        ({"min_df": -1}, "min_df"),
        ({"n_threads": 0}, "n_threads"),
        ({"threshold": 2.0}, "threshold"),
        ({"match": "exact"}, "match"),
    ],
)
def test_bad_options_fail_before_reading(tmp_path: Path, option: dict, message: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("not json\n", encoding="utf-8")
    with pytest.raises((ValueError, TypeError), match=message):
        clean_file(src, tmp_path / "o.jsonl", progress=False, **option)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


def test_cli_bad_profile_names_it_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from misfat.cli import main

    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "نص"}\nnot json\n', encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--profile", "Search"]) == 1
    err = capsys.readouterr().err
    assert "Search" in err and "malformed" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]


@pytest.mark.parametrize("option", [{"text": "body"}, {"site": "domain"}])
def test_wrong_column_fails_on_the_first_chunk(tmp_path: Path, option: dict) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "نص", "site": "a"}\n' * 3 + "not json\n", encoding="utf-8")
    name = next(iter(option.values()))
    with pytest.raises(CorpusError, match=f"column '{name}' not found"):
        clean_file(src, tmp_path / "o.jsonl", chunk_size=2, dedup=False, progress=False, **option)


def test_invalid_utf8_in_jsonl_names_its_line(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_bytes('{"text": "نص"}\n'.encode() + b'{"text": "\xff"}\n')
    with pytest.raises(CorpusError, match=r"in\.jsonl:2: not UTF-8"):
        clean_file(src, tmp_path / "o.jsonl", dedup=False, progress=False)


@pytest.mark.parametrize("name", ["in.jsonl", "in.csv", "in.csv.gz", "in.jsonl.gz"])
def test_utf8_byte_order_mark_is_accepted(tmp_path: Path, name: str) -> None:
    body = '{"text": "نص"}\n' if ".jsonl" in name else "text\nنص\n"
    data = b"\xef\xbb\xbf" + body.encode()
    src = tmp_path / name
    src.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    out = tmp_path / "o.jsonl"
    clean_file(src, out, dedup=False, progress=False)
    got = json.loads(out.read_text(encoding="utf-8"))
    assert list(got)[:2] == ["text", "clean"] and got["text"] == "نص"


# --- 9. a table where a column is expected is a TypeError ---------------------------------


def _tables() -> dict[str, object]:
    import polars as pl

    frame = {"text": ["أهلاً", "وسهلاً"], "site": ["a", "b"]}
    return {
        "pandas DataFrame": pd.DataFrame(frame),
        "polars DataFrame": pl.DataFrame(frame),
        "pyarrow Table": pa.table(frame),
        "pyarrow RecordBatch": pa.RecordBatch.from_pydict(frame),
    }


TABLE_CALLS = {
    "normalize": lambda t: misfat.normalize(t),
    "normalize offsets": lambda t: misfat.normalize(t, return_offsets=True),
    "strip_boilerplate": lambda t: misfat.strip_boilerplate(t),
    "strip_boilerplate removed": lambda t: misfat.strip_boilerplate(t, return_removed=True),
    "fit": lambda t: misfat.BoilerplateModel.fit(t),
    "fit sites": lambda t: misfat.BoilerplateModel.fit(["نص", "نص"], sites=t),
    "similarity": lambda t: misfat.similarity(t, "أهلاً"),
    "cdist": lambda t: misfat.cdist(t, ["أهلاً"]),
    "signatures": lambda t: misfat.MinHasher(num_perm=16).signatures(t),
    "dedup": lambda t: misfat.dedup(t),
}


@pytest.mark.parametrize(
    "kind", ["pandas DataFrame", "polars DataFrame", "pyarrow Table", "pyarrow RecordBatch"]
)
@pytest.mark.parametrize("call", sorted(TABLE_CALLS))
def test_a_table_passed_as_a_column_is_a_type_error(kind: str, call: str) -> None:
    pytest.importorskip("polars")
    table = _tables()[kind]
    with pytest.raises(TypeError, match=f"got a {kind}; pass one column"):
        TABLE_CALLS[call](table)


# --- 15. clear errors (the exact messages are in bad_inputs.py / test_bad_inputs.py) -------


@pytest.mark.parametrize(
    "call",
    [
        lambda: misfat.MinHasher(16, -3),
        lambda: misfat.MinHasher(ngram=-3),
        lambda: misfat.LSHIndex(0.5, -3),
        lambda: misfat.LSHIndex(threshold=0.5, num_perm=128, bands=4, rows=-3),
        lambda: misfat.cdist(["خبر"], ["خبر"], ngram=-3),
        lambda: misfat.top_k(["خبر"], ["خبر"], ngram=-3),
        lambda: misfat.dedup(["خبر"], seed=-3),
        lambda: misfat.dedup(["خبر"], match="jaccard", ngram=-3),
        lambda: misfat.BoilerplateModel.fit(["خبر"], prose_min_df=-3),
        lambda: misfat.lsh_params(0.5, -3),
        lambda: misfat.band_keys(misfat.MinHasher(num_perm=16).signatures(["خبر"]), -3, 4),
        lambda: misfat.clean_corpus(pd.DataFrame({"text": ["خبر"]}), num_perm=-3),
    ],
)
def test_negative_counts_are_value_errors_naming_the_parameter(call: object) -> None:
    with pytest.raises(ValueError, match=r"^\w+ must be a non-negative int, got -3$"):
        call()  # type: ignore[operator]


def test_lone_surrogate_in_a_site_name_names_it() -> None:
    with pytest.raises(ValueError, match=r"^site is not valid Unicode .* at position 2\)$") as e:
        misfat.classify_lines("خبر", site="ab\ud800")
    assert not isinstance(e.value, UnicodeError)


def test_simhash_limit_is_the_one_stated() -> None:
    texts = ["خبر عاجل عن الطقس في القاهرة اليوم"] * 2
    misfat.dedup(texts, match="jaccard", method="simhash", threshold=0.7501)  # just above
    with pytest.raises(ValueError, match=r"threshold > 0\.75 .*, got 0\.7$"):
        misfat.dedup(texts, match="jaccard", method="simhash", threshold=0.7)


def test_clean_corpus_of_an_empty_frame_with_sites() -> None:
    df = pd.DataFrame({"text": pd.Series([], dtype=object), "site": pd.Series([], dtype=object)})
    out = misfat.clean_corpus(df, site="site")
    assert len(out) == 0
    assert list(out.columns) == [
        "text",
        "site",
        "clean",
        "removed_lines",
        "cluster",
        "representative",
    ]


def test_clustering_primitives_check_sizes_from_outside() -> None:
    from misfat import _core
    from misfat._clusters import NearDup

    nd = NearDup.make()
    with pytest.raises((ValueError, MemoryError)):
        _core._link(10**12, b"", b"", nd)
    with pytest.raises(ValueError, match="first_row"):
        _core._candidate_table(["نص"], nd, first_row=2**64 - 1)
    with pytest.raises(ValueError, match="lo < hi"):
        _core._link(2, (1 << 32 | 5).to_bytes(8, "little"), b"\0" * 4, nd)
    with pytest.raises(ValueError, match="4-byte"):
        _core._link(2, (1).to_bytes(8, "little"), b"\0" * 3, nd)
