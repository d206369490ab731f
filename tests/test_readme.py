"""The README's ```python blocks run, and a line that shows its result gives that result.

Each block runs on its own, in a namespace where the README's placeholder names are bound
to the bundled sample pages (``_names`` below): ``df`` (columns id, site, url, title, text),
``s`` its texts, ``page`` one page, ``m`` a model fitted on them, ``a``/``b`` the texts in
two orders, ``queries``/``choices`` lists of texts, ``pd``, ``pl`` and ``misfat``; the
working directory is a temporary one holding the pages as ``pages/sample.parquet``.
A statement followed by a comment that is a Python literal (``f(x)  # 'value'``) must
evaluate to it. A block right after a line ``<!-- readme-test: skip REASON -->`` is skipped
with that reason (it needs the user's files, ../shared or the network).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SKIP = re.compile(r"<!--\s*readme-test:\s*skip\s+(.+?)\s*-->")


def _blocks() -> list[Any]:
    lines = README.read_text("utf-8").splitlines()
    params = []
    i = 0
    while i < len(lines):
        if lines[i].strip() != "```python":
            i += 1
            continue
        start = i + 1
        end = next(j for j in range(start, len(lines)) if lines[j].strip() == "```")
        before = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        skip = SKIP.search(before)
        marks = [pytest.mark.skip(reason=skip.group(1))] if skip else []
        code = "\n".join(lines[start:end]) + "\n"
        params.append(pytest.param(code, start + 1, id=f"README.md:{start + 1}", marks=marks))
        i = end + 1
    return params


BLOCKS = _blocks()


def _names() -> dict[str, Any]:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    import misfat
    from misfat.cli import sample_pages

    df = pd.DataFrame(sample_pages())
    s = df["text"]
    return {
        "misfat": misfat,
        "pd": pd,
        "pl": pl,
        "df": df,
        "s": s,
        "page": s.iloc[8],
        "m": misfat.BoilerplateModel.fit(s, sites=df["site"]),
        "a": s,
        "b": s.iloc[::-1],  # another order: Series are aligned on a's index
        "queries": s.tolist()[:4],
        "choices": s.tolist(),
    }


def _shown_results(code: str) -> dict[int, Any]:
    """Line number -> the literal in that line's trailing comment, where it is one."""
    shown = {}
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type != tokenize.COMMENT:
            continue
        try:
            shown[tok.start[0]] = ast.literal_eval(tok.string[1:].strip())
        except (ValueError, SyntaxError):
            continue  # prose, not a result
    return shown


def test_readme_has_python_blocks() -> None:
    # A parser that silently stopped finding blocks would pass every test below.
    assert len(BLOCKS) >= 5


# dask's Parquet writer (the Dask block's to_parquet) still calls set_index(inplace=True).
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.set_index is deprecated")
@pytest.mark.parametrize(("code", "first_line"), BLOCKS)
def test_readme_block_runs(
    code: str, first_line: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a block that writes files writes them here
    namespace = _names()
    (tmp_path / "pages").mkdir()
    namespace["df"].to_parquet(tmp_path / "pages" / "sample.parquet")
    shown = _shown_results(code)
    checked = 0
    for stmt in ast.parse(code).body:
        where = f"README.md:{first_line + stmt.lineno - 1}"
        if isinstance(stmt, ast.Expr) and stmt.end_lineno in shown:
            value = eval(compile(ast.Expression(stmt.value), where, "eval"), namespace)
            assert value == shown[stmt.end_lineno], where
            checked += 1
        else:
            exec(compile(ast.Module([stmt], type_ignores=[]), where, "exec"), namespace)
    # Every literal comment was checked (none sits on a line the loop did not evaluate).
    assert checked == len(shown), f"results shown on lines that are not expressions: {shown}"
