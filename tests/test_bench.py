"""bench/run_all.py: the README blocks it fills, and a --quick smoke run. No timing is
asserted anywhere: a quick run only shows that the scripts and the blocks work."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def run_all():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("run_all", BENCH / "run_all.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["run_all"] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


def test_readme_blocks_take_the_named_table(tmp_path: Path) -> None:
    ra = run_all()
    (tmp_path / "x.md").write_text(
        "# X\n\ntext\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nmore\n\n| c |\n|---|\n| 3 |\n"
    )
    readme = tmp_path / "README.md"
    readme.write_text(
        "intro\n<!-- bench: x.md table 2 -->\nstale 9.9×\n<!-- /bench -->\n"
        "<!-- bench: x.md table 1 -->\n<!-- /bench -->\n"
        "<!-- bench: x.md table 3 -->\nkept\n<!-- /bench -->\nend\n"
    )
    missing = ra.sync_readme(readme, tmp_path)
    text = readme.read_text()
    assert "stale" not in text and "| c |\n|---|\n| 3 |" in text
    assert text.index("| c |") < text.index("| a | b |")
    assert "kept" in text and missing == ["x.md table 3"]
    # Refilling is idempotent.
    ra.sync_readme(readme, tmp_path)
    assert readme.read_text() == text


def test_every_readme_block_names_a_table_the_results_have() -> None:
    ra = run_all()
    readme = (BENCH.parent / "README.md").read_text()
    blocks = list(ra.BLOCK.finditer(readme))
    assert blocks, "the README quotes its benchmark tables through blocks"
    for m in blocks:
        found = ra.tables((BENCH / "results" / m["file"]).read_text())
        assert 1 <= int(m["n"]) <= len(found), m.group(1)
        assert found[int(m["n"]) - 1] in m["body"], f"stale README block: {m.group(1)}"
        assert f"--only {m['file'].removesuffix('.md')}`" in m["body"], m.group(1)


@pytest.mark.shared
def test_quick_run_writes_elsewhere_and_fills_a_readme_copy(tmp_path: Path) -> None:
    pytest.importorskip("rapidfuzz")
    ra = run_all()
    committed = (BENCH / "results" / "similarity.md").read_text()
    assert ra.main(["--quick", "--only", "similarity", "--results", str(tmp_path)]) == 0
    fresh = (tmp_path / "similarity.md").read_text()
    assert "cdist" in fresh and "identical scores" in fresh and "| NO |" not in fresh
    copy = (tmp_path / "README.md").read_text()
    for m in ra.BLOCK.finditer(copy):
        if m["file"] == "similarity.md":
            assert ra.tables(fresh)[int(m["n"]) - 1] in m["body"]
    assert (BENCH / "results" / "similarity.md").read_text() == committed
