"""``misfat clean`` and ``misfat demo``: formats, streaming, errors, no partial output."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from corpus_data import corpus

from misfat import PROFILES, _io
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


def test_chunk_types_are_those_arrow_infers() -> None:
    import pyarrow as pa

    class Text(str):
        pass

    df = pd.DataFrame(
        {
            "text": ["نص", "آخر", None],
            "missing_key": ["a", float("nan"), "c"],
            "nothing": [None, None, None],
            "number": [1, None, 3],
            "mixed": [1, 2.5, None],
            "subclass": [Text("x"), "y", None],
            7: ["seven", "eight", "nine"],
        },
        dtype=object,
    )
    want = {f.name: f.type for f in pa.Schema.from_pandas(df, preserve_index=False)}
    got = _io.arrow_types(df)
    assert got == want and list(got) == list(want)
    assert got["text"] == pa.string()
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        _io.arrow_types(pd.DataFrame({"text": ["a", 1]}, dtype=object))


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


# --- the command line as users know it: --version, --help, stdin/stdout, many files ---


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "misfat.cli", *args],
        input=stdin, capture_output=True, check=False,
    )  # fmt: skip


def test_version(capsys: pytest.CaptureFixture) -> None:
    import misfat

    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert capsys.readouterr().out.strip() == f"misfat {misfat.__version__}"


@pytest.mark.parametrize("command", [[], ["demo"], ["clean"], ["inspect"]])
def test_help_is_plain_text(capsys: pytest.CaptureFixture, command: list[str]) -> None:
    import re

    with pytest.raises(SystemExit):
        main([*command, "--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: misfat")
    assert "``" not in out
    assert not re.search(r":(func|class|meth|mod|attr):", out)
    if not command:
        assert "commands:\n" in out and "\n  misfat clean pages.jsonl" in out  # examples
    if command == ["clean"]:
        # The description keeps its line breaks (not refilled into one paragraph).
        assert "\n.json (a JSON array of records" in out


def test_stdin_to_stdout(tmp_path: Path, rows: list[dict], expected: pd.DataFrame) -> None:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    r = run_cli("clean", "-", "-o", "-", "--site", "site", "--chunk-size", "7", stdin=data)
    assert r.returncode == 0, r.stderr
    got = pd.DataFrame([json.loads(x) for x in r.stdout.decode().splitlines()])
    same(got, expected)
    assert "standard output" in r.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_stdin_errors_name_stdin(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    r = run_cli("clean", "-", "-o", str(tmp_path / "o.jsonl"), stdin=b'{"text": "a"}\n{"text": \n')
    assert r.returncode == 1
    assert "misfat clean: error: <stdin>:2: malformed JSON line" in r.stderr.decode()
    assert list(tmp_path.iterdir()) == []
    assert main(["clean", "-", "x.jsonl", "-o", str(tmp_path / "o.jsonl")]) == 1
    assert "cannot be combined" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_stdin_typo_fails_before_the_rest_is_read(fmt: str) -> None:
    """The columns are checked on the first lines: the process answers while its standard
    input is still open (a pipe from a long job)."""
    first = '{"site": "a", "text": "نص"}\n' if fmt == "jsonl" else "site,text\na,نص\n"
    with subprocess.Popen(
        [sys.executable, "-W", "ignore", "-m", "misfat.cli", "clean", "-", "-o", "-",
         "--format", fmt, "--site", "domain"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as proc:  # fmt: skip
        assert proc.stdin is not None and proc.stderr is not None
        proc.stdin.write((first * (1 if fmt == "csv" else _io.PEEK)).encode())
        proc.stdin.flush()  # and standard input stays open
        import threading

        timer = threading.Timer(120, proc.kill)  # waiting for EOF: killed, the test fails
        timer.start()
        err = proc.stderr.read().decode()
        timer.cancel()
        assert proc.wait() == 1
    assert "column 'domain' not found in '<stdin>'" in err


def test_stdout_in_another_format(tmp_path: Path, rows: list[dict]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows[:6])
    r = run_cli("clean", str(src), "-o", "-", "--output-format", "csv", "-q")
    assert r.returncode == 0, r.stderr
    assert r.stderr == b""
    got = pd.read_csv(io.BytesIO(r.stdout), dtype=str)
    assert got["id"].tolist() == [x["id"] for x in rows[:6]]


def split_files(tmp_path: Path, rows: list[dict]) -> tuple[Path, list[pd.DataFrame]]:
    """Three files of different formats and columns, created out of name order; the
    frames in sorted name order."""
    folder = tmp_path / "crawl"
    folder.mkdir()
    a = pd.DataFrame(rows[:15])
    b = pd.DataFrame(rows[15:30]).drop(columns=["title"]).assign(lang="ar")
    c = pd.DataFrame(rows[30:])
    c.to_parquet(folder / "c.parquet")
    write_jsonl(folder / "b.jsonl", b.to_dict(orient="records"))
    a.to_csv(folder / "a.csv", index=False)
    (folder / "notes.txt").write_text("not data", encoding="utf-8")
    (folder / ".hidden.jsonl").write_text("not data", encoding="utf-8")
    return folder, [a, b, c]


def test_folder_and_glob_read_as_one_table(tmp_path: Path, rows: list[dict]) -> None:
    folder, frames = split_files(tmp_path, rows)
    whole = pd.concat(frames, ignore_index=True)
    expected = clean_corpus(whole, site="site", progress=False)
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(folder), "-o", str(out), "--site", "site", "-q"]) == 0
    got = read_any(out)
    # The union of the columns in first-seen order; a column a file lacks is missing there.
    assert list(got.columns) == ["id", "site", "title", "text", "lang", *expected.columns[5:]]
    assert got["title"][15:30].isna().all() and got["title"][30:].notna().all()
    assert got["lang"].isna().tolist()[14:16] == [True, False] and got["lang"][15] == "ar"
    same(got[list(expected.columns)], expected)
    # A glob pattern (quoted: the shell would expand it, and the order is the same).
    out2 = tmp_path / "out2.jsonl"
    pattern = str(folder / "*.*")  # notes.txt has no known format: an error names it
    assert main(["clean", pattern, "-o", str(out2), "-q"]) == 1
    pattern = str(folder / "[bc].*")
    assert main(["clean", pattern, "-o", str(out2), "--site", "site", "-q"]) == 0
    assert read_any(out2)["id"].tolist() == whole["id"].tolist()[15:]
    # Files given one by one keep the order given.
    argv = [str(folder / "c.parquet"), str(folder / "a.csv")]
    assert main(["clean", *argv, "-o", str(out2), "-q", "--no-dedup"]) == 0
    assert read_any(out2)["id"].tolist() == [*frames[2]["id"], *frames[0]["id"]]


def test_every_file_needs_the_columns(
    tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture
) -> None:
    folder, _ = split_files(tmp_path, rows)
    out = tmp_path / "out.jsonl"
    assert main(["clean", str(folder), "-o", str(out), "--site", "title"]) == 1
    err = capsys.readouterr().err
    assert f"column 'title' not found in '{folder / 'b.jsonl'}' (first 15 rows)" in err
    assert not out.exists()
    a = str(folder / "a.csv")
    assert main(["clean", a, a, "-o", str(out)]) == 1
    assert "given twice" in capsys.readouterr().err
    assert main(["clean", str(folder / "z*.csv"), "-o", str(out)]) == 1
    assert "no file matches" in capsys.readouterr().err


@pytest.mark.parametrize("indent", [None, 2])
def test_json_array_of_records(
    tmp_path: Path, rows: list[dict], expected: pd.DataFrame, indent: int | None
) -> None:
    src = tmp_path / "in.json"
    pd.DataFrame(rows).to_json(src, orient="records", lines=False, indent=indent)
    out = tmp_path / "out.json"
    assert main(["clean", str(src), "-o", str(out), "--site", "site", "--chunk-size", "5"]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("[\n{")
    same(pd.DataFrame(json.loads(text)), expected)
    # JSON lines in a .json file are read too.
    lines = write_jsonl(tmp_path / "lines.json", rows)
    out2 = tmp_path / "out2.jsonl"
    assert main(["clean", str(lines), "-o", str(out2), "--site", "site", "-q"]) == 0
    same(read_any(out2), expected)


def test_json_small_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records that straddle the read blocks, and the empty cases."""
    monkeypatch.setattr(_io, "_BLOCK", 7)
    records = [{"id": i, "text": "نص " * i, "x": {"a": [i]}} for i in range(9)]
    src = tmp_path / "in.json"
    src.write_text(" \n" + json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    got = pd.concat(_io.read_chunks(src, "json", 4), ignore_index=True)
    assert got.to_dict(orient="records") == records
    for text in ("", "  \n", "[]", " [ ] \n"):
        src.write_text(text, encoding="utf-8")
        assert list(_io.read_chunks(src, "json", 4)) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"text": "a"},\n{"text": }]', "in.json:2: malformed JSON"),
        ('[{"text": "a"}\n{"text": "b"}]', "in.json:2: expected ',' or ']' after record 1"),
        ('[{"text": "a"},\n]', "in.json:2: expected a JSON object per record, found ']'"),
        ('[{"text": "a"}, 3]', "expected a JSON object per record, found '3' (record 2)"),
        ('[{"text": "a"}', "the JSON array is not closed"),
        ('[{"text": "a"}] x', "unexpected text after the JSON array"),
        ('"text"', "expected a JSON array of records"),
        ('{\n "text": "a"\n}', "a .json file is read as a JSON array of records"),
    ],
)
def test_malformed_json_array(
    tmp_path: Path, capsys: pytest.CaptureFixture, text: str, message: str
) -> None:
    src = tmp_path / "in.json"
    src.write_text(text, encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl")]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_separators(tmp_path: Path, rows: list[dict], expected: pd.DataFrame) -> None:
    frame = pd.DataFrame(rows)
    semi = tmp_path / "in.csv"
    frame.to_csv(semi, sep=";", index=False)
    out = tmp_path / "out.csv"
    assert main(["clean", str(semi), "--sep", ";", "-o", str(out), "--site", "site", "-q"]) == 0
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id;site;title;text;clean;removed_lines;cluster;representative"
    same(pd.read_csv(out, sep=";", dtype={"text": str, "clean": str}), expected)
    # .tsv: a tab, in and out, from the extension; --sep '\t' says it for other names.
    tsv = tmp_path / "in.tsv"
    frame.to_csv(tsv, sep="\t", index=False)
    out = tmp_path / "out.tsv"
    assert main(["clean", str(tsv), "-o", str(out), "--site", "site", "-q"]) == 0
    same(pd.read_csv(out, sep="\t", dtype={"text": str, "clean": str}), expected)
    out = tmp_path / "out.txt"
    argv = ["clean", str(tsv), "-o", str(out), "--format", "csv", "--sep", "\\t", "-q"]
    assert main([*argv, "--site", "site"]) == 0
    same(pd.read_csv(out, sep="\t", dtype={"text": str, "clean": str}), expected)


def test_bad_separator(tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture) -> None:
    src = tmp_path / "in.csv"
    pd.DataFrame(rows[:3]).to_csv(src, index=False)
    assert main(["clean", str(src), "--sep", ";;", "-o", str(tmp_path / "o.csv")]) == 1
    assert "sep must be one character" in capsys.readouterr().err


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the rows the readers hand out."""
    seen: list[int] = []
    real = _io.read_chunks

    def reading(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for chunk in real(*args, **kwargs):  # type: ignore[arg-type]
            seen.append(len(chunk))
            yield chunk

    monkeypatch.setattr(_io, "read_chunks", reading)
    return seen


@pytest.mark.parametrize("name", ["in.jsonl", "in.csv", "in.parquet"])
def test_wrong_column_fails_before_reading_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, name: str
) -> None:
    big = [{"site": "s", "text": f"خبر رقم {i}"} for i in range(3 * _io.PEEK)]
    src = tmp_path / name
    if name.endswith("jsonl"):
        write_jsonl(src, big)
    elif name.endswith("csv"):
        pd.DataFrame(big).to_csv(src, index=False)
    else:
        pd.DataFrame(big).to_parquet(src, row_group_size=_io.PEEK)
    seen = counting_reads(monkeypatch)
    argv = ["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--chunk-size", "100000"]
    assert main([*argv, "--site", "domain"]) == 1
    assert "column 'domain' not found" in capsys.readouterr().err
    assert sum(seen) <= _io.PEEK  # not the first chunk of 3,000 rows, let alone the file


def test_wrong_profile_fails_before_reading(
    tmp_path: Path, rows: list[dict], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    seen = counting_reads(monkeypatch)
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--profile", "Search"]) == 1
    err = capsys.readouterr().err
    assert 'misfat clean: error: unknown profile "Search"' in err
    assert ", ".join(PROFILES) in err  # the valid ones listed
    with pytest.raises(ValueError, match=", ".join(PROFILES)):
        clean_file(src, tmp_path / "o.jsonl", profile="Search")
    with pytest.raises(ValueError, match="aggressiveness"):
        clean_file(src, tmp_path / "o.jsonl", aggressiveness="max")
    assert seen == []


def summary_numbers(err: str) -> tuple[int, int, int]:
    import re

    m = re.search(r"([\d,]+) copies in ([\d,]+) groups; ([\d,]+) rows kept", err)
    assert m, err
    a, b, c = (int(x.replace(",", "")) for x in m.groups())
    return a, b, c


def test_summary_line(
    tmp_path: Path, rows: list[dict], expected: pd.DataFrame, capsys: pytest.CaptureFixture
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--site", "site"]) == 0
    err = capsys.readouterr().err
    sizes = expected["cluster"].value_counts()
    copies = int((~expected["representative"]).sum())
    assert summary_numbers(err) == (copies, int((sizes > 1).sum()), len(expected) - copies)
    assert copies > 0 and (sizes > 2).any()  # the data has copies, and groups of more than two
    assert f"{int(expected['removed_lines'].sum())} furniture lines removed" in err
    assert main(["clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--no-dedup"]) == 0
    assert "near-duplicates not looked for" in capsys.readouterr().err


@pytest.mark.parametrize("out_name", ["out.jsonl", "out.csv", "out.parquet", "out.json"])
def test_drop_duplicates(
    tmp_path: Path,
    rows: list[dict],
    expected: pd.DataFrame,
    capsys: pytest.CaptureFixture,
    out_name: str,
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / out_name
    argv = ["clean", str(src), "-o", str(out), "--site", "site", "--chunk-size", "9"]
    assert main([*argv, "--drop-duplicates"]) == 0
    got = read_any(out) if out_name != "out.json" else pd.read_json(out, dtype=False)
    kept = expected[expected["representative"]].reset_index(drop=True)
    same(got, kept)
    assert summary_numbers(capsys.readouterr().err)[2] == len(kept)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["in.jsonl", out_name])
    assert main([*argv, "--drop-duplicates", "--no-dedup"]) == 1
    assert "--drop-duplicates needs near-duplicates" in capsys.readouterr().err
    before = src.read_bytes()
    assert main(["clean", str(src), "-o", str(src), "--drop-duplicates"]) == 1
    assert "is the input" in capsys.readouterr().err
    assert src.read_bytes() == before


def test_strip_options_reach_the_job(tmp_path: Path, rows: list[dict]) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "o.jsonl"
    frame = pd.DataFrame(rows)
    flags = ["--no-keep-titles", "--keep-captions", "--aggressiveness", "high"]
    assert main(["clean", str(src), "-o", str(out), "--site", "site", "-q", *flags]) == 0
    options = {"keep_titles": False, "keep_captions": True, "aggressiveness": "high"}
    want = clean_corpus(frame, site="site", progress=False, **options)
    same(read_any(out), want)
    default = clean_corpus(frame, site="site", progress=False)
    assert want["clean"].tolist() != default["clean"].tolist()  # the flags change the result
    for name, value in options.items():  # and each one on its own matches clean_corpus
        flag = {
            "keep_titles": ["--no-keep-titles"],
            "keep_captions": ["--keep-captions"],
            "aggressiveness": ["--aggressiveness", "high"],
        }[name]
        assert main(["clean", str(src), "-o", str(out), "-q", "--no-dedup", *flag]) == 0
        one = clean_corpus(frame, progress=False, dedup=False, **{name: value})
        got = read_any(out)["clean"]
        assert got.isna().tolist() == one["clean"].isna().tolist()
        assert got.dropna().tolist() == one["clean"].dropna().tolist()


# --- misfat inspect ---


@pytest.fixture
def cleaned(tmp_path: Path, rows: list[dict]) -> Path:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "clean.parquet"
    assert main(["clean", str(src), "-o", str(out), "--site", "site", "-q"]) == 0
    return out


def site_block(report: str, site: str) -> list[str]:
    block = report.split(f"\n== {site}: ", 1)[1].split("\n== ", 1)[0]
    return block.splitlines()


def test_inspect_removed_lines_and_clusters(cleaned: Path, capsys: pytest.CaptureFixture) -> None:
    from corpus_data import FURNITURE

    assert main(["inspect", str(cleaned), "--top", "3"]) == 0
    report = capsys.readouterr().out
    df = pd.read_parquet(cleaned)
    assert report.startswith(f"misfat inspect: {cleaned}: {len(df)} rows from 7 sites")
    assert "note:" not in report  # the removed lines found add up to removed_lines
    for site, furniture in FURNITURE.items():
        block = site_block(report, site)
        rows = df[df["site"] == site]
        assert block[0] == (
            f"{len(rows)} rows; {int(rows['removed_lines'].sum())} lines removed from "
            f"{int((rows['removed_lines'] > 0).sum())} rows"
        )
        top = block[2:5]
        for line in furniture:  # each furniture line once per page that has it
            n = sum(line in str(t).split("\n") and line not in str(c) for t, c in
                    zip(rows["text"], rows["clean"], strict=True))  # fmt: skip
            assert n > 0 and any(x.split() == [str(n), *line.split()] for x in top), (line, top)
    # The largest cluster: its size, and its representative's title.
    sizes = df["cluster"].value_counts()
    biggest = int(sizes.index[0])
    mine = df[df["site"] == "mirror-a"]["cluster"].value_counts()
    line = next(x for x in site_block(report, "mirror-a") if f"row {biggest}:" in x)
    assert line.split()[:3] == [str(sizes.iloc[0]), "/", str(mine[biggest])]
    assert line.endswith(df["title"][biggest])


def test_inspect_top_and_errors(
    cleaned: Path, tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture
) -> None:
    assert main(["inspect", str(cleaned), "--top", "1"]) == 0
    block = site_block(capsys.readouterr().out, "mirror-b")
    assert block[1].startswith("   lines removed most often") and block[3].startswith("   largest")
    assert len(block) == 5  # one line, one cluster
    raw = write_jsonl(tmp_path / "raw.jsonl", rows)
    assert main(["inspect", str(raw)]) == 1
    assert "column 'clean' not found" in capsys.readouterr().err
    assert main(["inspect", str(cleaned), "--top", "0"]) == 1
    assert "--top must be a positive number" in capsys.readouterr().err


def test_inspect_after_drop_duplicates_and_no_dedup(
    tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    out = tmp_path / "kept.csv"
    assert main(["clean", str(src), "-o", str(out), "--drop-duplicates", "-q"]) == 0
    assert main(["inspect", str(out)]) == 0
    report = capsys.readouterr().out
    assert "(copies were dropped: cluster sizes are not known)" in report
    assert "no near-duplicates" in report
    out = tmp_path / "plain.jsonl"
    assert main(["clean", str(src), "-o", str(out), "--no-dedup", "-q"]) == 0
    assert main(["inspect", str(out)]) == 0
    assert "no cluster column" in capsys.readouterr().out


# --- progress ---


def test_progress_uses_tqdm_auto() -> None:
    import tqdm.auto

    from misfat import _progress

    assert _progress._tqdm() is tqdm.auto.tqdm


def test_first_pass_shows_rows_read_and_total_for_parquet(
    tmp_path: Path, rows: list[dict], capsys: pytest.CaptureFixture
) -> None:
    src = tmp_path / "in.parquet"
    pd.DataFrame(rows).to_parquet(src)
    clean_file(src, tmp_path / "o.jsonl", site="site", progress=True, chunk_size=10)
    err = capsys.readouterr().err
    # The bar as first drawn: rows read out of the total from the Parquet metadata.
    assert f"reading and learning furniture:   0%|          | 0/{len(rows)} [" in err
    src = write_jsonl(tmp_path / "in.jsonl", rows)  # JSONL: rows read, no total
    clean_file(src, tmp_path / "o.jsonl", progress=True, chunk_size=10)
    assert "reading: 0rows [" in capsys.readouterr().err
