"""``misfat clean`` and ``misfat demo``: formats, streaming, errors, no partial output."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from corpus_data import corpus

from misfat import _io
from misfat.cli import main
from misfat.corpus import clean_corpus, clean_file


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return corpus()


@pytest.fixture(scope="module")
def expected(rows: list[dict]) -> pd.DataFrame:
    return clean_corpus(pd.DataFrame(rows), site="site", progress=False)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def read_any(path: Path, fmt: str | None = None) -> pd.DataFrame:
    fmt = fmt or _io.detect_format(path)
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False)
    if fmt == "csv":
        return pd.read_csv(path, dtype={"text": str, "clean": str})
    return pd.read_parquet(path)


def same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    for col in ("clean", "text"):
        a = [None if pd.isna(x) else x for x in got[col]]
        b = [None if pd.isna(x) else x for x in expected[col]]
        a = [x or None for x in a]  # CSV cannot tell "" from missing
        b = [x or None for x in b]
        assert a == b, col
    removed = got["removed_lines"].astype("Int64").fillna(0)  # CSV: "" read as missing
    assert removed.tolist() == expected["removed_lines"].fillna(0).tolist()
    assert got["cluster"].tolist() == expected["cluster"].tolist()
    assert got["representative"].astype(bool).tolist() == expected["representative"].tolist()


@pytest.mark.parametrize("out_name", ["out.jsonl", "out.csv", "out.parquet", "out.jsonl.gz"])
@pytest.mark.parametrize("chunk_size", [5, 1000])
def test_jsonl_to_every_format_chunked_equals_one_shot(
    tmp_path: Path, rows: list[dict], expected: pd.DataFrame, out_name: str, chunk_size: int
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / out_name
    argv = ["clean", str(src), "-o", str(out), "--site", "site", "--chunk-size", str(chunk_size)]
    assert main([*argv, "-q"]) == 0
    same(read_any(out), expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.jsonl", out_name])


@pytest.mark.parametrize("in_name", ["in.csv", "in.parquet", "in.jsonl.gz", "in.csv.gz"])
def test_every_input_format(
    tmp_path: Path, rows: list[dict], expected: pd.DataFrame, in_name: str
) -> None:
    src = tmp_path / in_name
    frame = pd.DataFrame(rows)
    if in_name.startswith("in.jsonl"):
        write_jsonl(src, rows)
    elif in_name.startswith("in.csv"):
        frame.to_csv(src, index=False)
    else:
        frame.to_parquet(src)
    out = tmp_path / "out.parquet"
    summary = clean_file(src, out, site="site", chunk_size=7, progress=False)
    same(read_any(out), expected)
    assert summary["rows"] == len(rows)
    assert summary["removed_lines"] == int(expected["removed_lines"].sum())
    sizes = expected["cluster"].value_counts()
    assert summary["groups"] == int((sizes > 1).sum())
    assert summary["duplicates"] == int((~expected["representative"]).sum())


def test_format_option_overrides_extension(tmp_path: Path, rows: list[dict]) -> None:
    src = write_jsonl(tmp_path / "pages.txt", rows[:6])
    out = tmp_path / "result.data"
    assert main(["clean", str(src), "-o", str(out), "--format", "jsonl", "-q"]) == 0
    assert len(read_any(out, "jsonl")) == 6
    out2 = tmp_path / "result.bin"
    argv = ["clean", str(src), "-o", str(out2), "--input-format", "jsonl"]
    assert main([*argv, "--output-format", "parquet", "-q"]) == 0
    assert len(pd.read_parquet(out2)) == 6


def test_unknown_extension_is_a_clear_error(
    tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture
) -> None:
    src = write_jsonl(tmp_path / "pages.txt", rows[:2])
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl")]) == 1
    assert "cannot tell the format" in capsys.readouterr().err


def test_malformed_jsonl_line_names_file_and_line(
    tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows[:12])
    with open(src, "a", encoding="utf-8") as f:
        f.write('{"id": "x", "text": "unterminated\n')
        f.write(json.dumps(rows[0], ensure_ascii=False) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--chunk-size", "5"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0  # one line
    assert f"{src}:13: malformed JSON line" in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]  # no temp files left


@pytest.mark.parametrize("site", [[], ["--site", "site"]])
def test_value_that_is_not_text(tmp_path: Path, capsys: pytest.CaptureFixture, site: list) -> None:
    src = tmp_path / "in.jsonl"
    rows = [{"site": "a", "text": "خبر"}, {"site": "a", "text": None}, {"site": "a", "text": 5}]
    write_jsonl(src, rows)
    out = tmp_path / "o.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--chunk-size", "2", *site]) == 1
    err = capsys.readouterr().err
    assert f"{src}: column 'text', row 3 holds a value of type int ('5'), not text" in err
    assert not out.exists()


def test_jsonl_line_not_an_object(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "a"}\n\n["text"]\n', encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl")]) == 1
    assert f"{src}:3: expected a JSON object" in capsys.readouterr().err


def test_missing_column(tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows[:5])
    out = tmp_path / "o.csv"
    assert main(["clean", str(src), "-o", str(out), "--text", "body"]) == 1
    err = capsys.readouterr().err
    assert "column 'body' not found" in err and "available columns: id, site, title, text" in err
    assert str(src) in err
    assert main(["clean", str(src), "-o", str(out), "--site", "domain"]) == 1
    assert "column 'domain' not found" in capsys.readouterr().err
    assert not out.exists()


def test_unreadable_inputs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "o.jsonl"
    assert main(["clean", str(tmp_path / "nope.jsonl"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "cannot read" in err and "no such file" in err
    assert main(["clean", str(tmp_path), "-o", str(out), "--format", "jsonl"]) == 1
    assert "a folder with no .jsonl" in capsys.readouterr().err
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"this is not parquet at all")
    assert main(["clean", str(bad), "-o", str(out)]) == 1
    assert f"cannot read {str(bad)!r} as PARQUET" in capsys.readouterr().err
    gz = tmp_path / "broken.jsonl.gz"
    gz.write_bytes(b"not gzip")
    assert main(["clean", str(gz), "-o", str(out)]) == 1
    assert f"cannot read {str(gz)!r}" in capsys.readouterr().err
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(b'{"text": "caf\xe9"}\n')
    assert main(["clean", str(latin), "-o", str(out)]) == 1
    assert "not UTF-8" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied(tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows[:2])
    src.chmod(0)
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl")]) == 1
    assert "permission denied" in capsys.readouterr().err


def test_failure_while_writing_leaves_no_partial_output(
    tmp_path: Path, rows: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "out.jsonl"
    out.write_text("previous complete result\n", encoding="utf-8")
    calls = []
    real = _io.Writer.write

    def failing(self: _io.Writer, df: pd.DataFrame) -> None:
        calls.append(len(df))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(self, df)

    monkeypatch.setattr(_io.Writer, "write", failing)
    assert main(["clean", str(src), "-o", str(out), "--chunk-size", "10"]) == 1
    assert out.read_text(encoding="utf-8") == "previous complete result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl", "out.jsonl"]


def test_output_equal_to_input_is_refused(tmp_path: Path, rows: list[dict]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows[:3])
    assert main(["clean", str(src), "-o", str(src)]) == 1
    assert len(src.read_text(encoding="utf-8").splitlines()) == 3


def test_empty_input(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("", encoding="utf-8")
    out = tmp_path / "o.jsonl"
    assert main(["clean", str(src), "-o", str(out), "-q"]) == 0
    assert out.read_text(encoding="utf-8") == ""


def test_nested_and_uneven_jsonl_rows(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"id": 1, "text": "خبر أول عن الاقتصاد في المدينة اليوم.", "meta": {"a": [1, 2]}},
        {"id": 2, "text": None},
        {"id": 3, "text": "خبر ثالث عن الرياضة.", "extra": "only here"},
    ]
    write_jsonl(src, lines)
    out = tmp_path / "o.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--chunk-size", "1", "-q"]) == 0
    got = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [1, 2, 3]
    assert got[0]["meta"] == {"a": [1, 2]} and got[0]["extra"] is None
    assert got[2]["extra"] == "only here"
    assert got[1]["clean"] is None and got[1]["removed_lines"] is None


def test_parquet_column_empty_in_the_first_chunk(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    lines = [
        {"id": 1, "text": "خبر أول عن الاقتصاد في المدينة اليوم.", "abstract": None},
        {"id": 2, "text": "خبر ثان عن الرياضة في المدينة.", "abstract": "ملخص"},
    ]
    write_jsonl(src, lines)
    out = tmp_path / "o.parquet"
    assert main(["clean", str(src), "-o", str(out), "--chunk-size", "1", "-q"]) == 0
    assert pd.read_parquet(out)["abstract"].tolist()[1] == "ملخص"


def test_demo_runs_the_main_job(capsys: pytest.CaptureFixture) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "furniture lines removed" in out
    assert "cluster 5: [5] alarabia, [8] skynews" in out
    assert "cluster 7: [7] alarabia, [10] skynews" in out


def test_demo_matches_clean_corpus() -> None:
    from misfat.cli import demo_job, sample_pages

    pages = demo_job()
    out = clean_corpus(pd.DataFrame(sample_pages()), site="site")
    assert [p["clean"] for p in pages] == out["clean"].tolist()
    assert [p["removed_lines"] for p in pages] == out["removed_lines"].tolist()
    assert [p["cluster"] for p in pages] == out["cluster"].tolist()


def test_command_line_entry_point(tmp_path: Path, rows: list[dict]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows[:4])
    r = subprocess.run(
        [sys.executable, "-m", "misfat.cli", "clean", str(src), "-o", str(tmp_path / "o.csv"),
         "--no-dedup"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "misfat clean: 4 rows" in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "misfat.cli", "clean", str(tmp_path / "missing.jsonl"), "-o", "x"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 1 and "cannot read" in r.stderr and "Traceback" not in r.stderr
