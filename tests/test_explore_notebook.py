"""notebooks/explore_trends.ipynb executed by papermill: on demo data it gives the analyst a
DataFrame and charts; without data its first cell says in Vietnamese what to run."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import papermill
import pytest
from papermill.exceptions import PapermillExecutionError

from helpers.context import Context
from helpers.demo.monthly import DemoSpec, generate_demo
from helpers.ingest.monthly import ingest_all
from helpers.paths import DEFAULT_DATA_DIR, notebook_path

pytestmark = pytest.mark.slow
NOTEBOOK = notebook_path("explore_trends.ipynb")


def _outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def test_the_notebook_explores_demo_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    generate_demo(DemoSpec(departments=3, districts=3, communes=6, months=4), data_dir, progress=lambda _: None)
    context = Context.load(data_dir)
    _, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert not failed
    executed = tmp_path / "explored.ipynb"
    parameters = {"province": "mo_phong", "level": "cap_xa", "indicator": "reuse", "data_dir": str(data_dir)}
    papermill.execute_notebook(str(NOTEBOOK), str(executed), parameters=parameters, kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    outputs = _outputs(nbformat.read(executed, as_version=4))
    html = [output.data["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    assert any('class="dataframe"' in table and "Đơn vị" in table and "Tỷ lệ (%)" in table for table in html)
    assert sum("image/png" in output.get("data", {}) for output in outputs) == 2  # the trend and the ranking
    said = "".join(output.get("text", "") for output in outputs if output.output_type == "stream" and output.name == "stdout")
    assert "Tái sử dụng dữ liệu số hóa" in said  # the summary line names the indicator
    assert not [output for output in outputs if output.output_type == "error" or output.get("name") == "stderr"]


def test_without_data_the_notebook_says_in_vietnamese_what_to_run(tmp_path: Path) -> None:
    fresh = tmp_path / "data"  # a fresh clone: the registry, nothing ingested
    shutil.copytree(DEFAULT_DATA_DIR / "units", fresh / "units")
    executed = tmp_path / "explored.ipynb"
    with pytest.raises(PapermillExecutionError):
        papermill.execute_notebook(str(NOTEBOOK), str(executed), parameters={"data_dir": str(fresh)}, kernel_name="python3", progress_bar=False, cwd=str(tmp_path))
    (error,) = [output for output in _outputs(nbformat.read(executed, as_version=4)) if output.output_type == "error"]
    shown = "\n".join(error.traceback)
    assert "Chưa có số liệu đã nạp" in shown and "make lab" in shown and "python -m helpers ingest" in shown
    assert "Traceback" not in shown and "File " not in shown
