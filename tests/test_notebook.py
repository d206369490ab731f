"""The example notebook runs top to bottom (executed with nbclient, like a reader would).

With ``MISFAT_NOTEBOOK_IMAGES=DIR`` the figures it draws are written to DIR as PNG files,
to be looked at (Arabic joined and right to left) after a change to the notebook.
"""

from __future__ import annotations

import base64
import importlib
import os
import sys
import warnings
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")


@pytest.mark.skipif(
    sys.version_info < (3, 11), reason="the notebook extra needs matplotlib >= 3.11 (Python 3.11+)"
)
def test_quickstart_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The figures' Arabic labels are shaped and laid out right to left by matplotlib's own
    # libraqm (3.11+); an older matplotlib draws them unjoined and left to right.
    ft2font = importlib.import_module("matplotlib.ft2font")
    assert getattr(ft2font, "__libraqm_version__", None), "needs matplotlib >= 3.11"
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # Jupyter's own machinery may warn (deprecations in its dependencies); this test
    # is about the notebook's cells, which raise CellExecutionError on any error.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = nbclient.NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}}
        )
        client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2  # the similarity heatmap and the cluster sizes
    if folder := os.environ.get("MISFAT_NOTEBOOK_IMAGES"):
        for i, png in enumerate(images, 1):
            (Path(folder) / f"quickstart-{i}.png").write_bytes(base64.b64decode(png))
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="misfat-page" dir="rtl"' in h for h in html)  # the page before/after
    text = "".join(o.get("text", "") for o in outputs)
    assert "after dropping near-duplicates" in text
    assert os.environ.get("JUPYTER_PLATFORM_DIRS") == "1"
