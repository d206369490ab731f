"""Smoke test of an installed wheel, run by scripts/test in the test virtualenv.

Checks that the environment is a user's (no Rust toolchain on PATH, misfat imported from
the virtualenv's site-packages, not the source tree) and that the main entry points work.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path

import misfat
from misfat import _core

assert not _core._debug_build, "the wheel holds a debug build of the extension"
for tool in ("cargo", "rustc"):
    assert shutil.which(tool) is None, f"{tool} is on PATH: {shutil.which(tool)}"
assert sys.prefix != sys.base_prefix, "not running in a virtualenv"
site = Path(sysconfig.get_paths()["platlib"]).resolve()
for module in (misfat, _core):
    where = Path(module.__file__ or "").resolve()
    assert where.is_relative_to(site), f"{module.__name__} imported from {where}, not {site}"

assert misfat.normalize("أَهْلاً  وسَهْلاً ٢٠٢٥") == "اهلا وسهلا 2025"
page = "الرئيسية » أخبار\nقال الوزير إن الاقتصاد نما بنسبة ثلاثة في المئة هذا العام.\nشارك"
assert "الوزير" in misfat.strip_boilerplate(page)
assert misfat.similarity("خبر عاجل اليوم", "خبر عاجل اليوم") == 1.0
where = Path(misfat.__file__ or "").parent
print(f"smoke ok: misfat {misfat.__version__} from {where}, {Path(_core.__file__ or '').name}")
