"""The stored notebooks: no outputs, in step with their jupytext pairs, parameterised, thin."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import nbformat
import pytest

from helpers.paths import notebook_path
from helpers.report.kinds import INDEX766, KINDS, MONTHLY, NATIONAL_SUMMARY
from helpers.report.params import notebook_parameter_names

EXPLORE_TRENDS = notebook_path("explore_trends.ipynb")  # the analyst's workbook, not a report

PARAMETERS = {
    MONTHLY.notebook: {"month": "2024-02", "province": "binh_dinh", "data_dir": "", "laggards": 5, "language": "vi"},
    NATIONAL_SUMMARY.notebook: {"month": "2024-02", "data_dir": "", "laggards": 5, "language": "vi"},
    INDEX766.notebook: {"province": "gia_lai", "snapshot_date": "", "period_kind": "year_to_date", "period": "", "data_dir": "", "laggards": 10, "language": "vi"},
    EXPLORE_TRENDS: {"province": "binh_dinh", "unit": "", "indicator": "online_dossiers", "level": "cap_huyen", "data_dir": "", "language": "vi"},
}


@pytest.fixture(params=list(PARAMETERS), ids=lambda path: path.stem)
def stored(request: pytest.FixtureRequest) -> tuple[Path, nbformat.NotebookNode]:
    return request.param, nbformat.read(request.param, as_version=4)


def test_every_notebook_is_listed_here(project_root: Path) -> None:
    assert set((project_root / "notebooks").glob("*.ipynb")) == set(PARAMETERS)


def test_notebook_is_stored_without_outputs(stored) -> None:
    _, notebook = stored
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_notebook_and_its_percent_script_have_the_same_cells(stored) -> None:
    path, notebook = stored
    script = jupytext.read(path.with_suffix(".py"))
    assert [(cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in notebook.cells] == [
        (cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in script.cells
    ], f"the pair has drifted: run `jupytext --sync {path.name}` in notebooks/"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


def test_parameters_cell_names_every_parameter_with_vietnamese_by_default(stored) -> None:
    path, notebook = stored
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    values: dict[str, object] = {}
    exec(tagged[0].source, {}, values)  # the cell is plain assignments
    assert values == PARAMETERS[path]


def test_code_cells_only_call_the_package(stored) -> None:
    """Thin: no function, class or loop in the notebook, and nothing imported but helpers and display."""
    _, notebook = stored
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)), cell.source
            if isinstance(node, ast.ImportFrom):
                assert node.module.split(".")[0] in {"helpers", "IPython"}, cell.source
            assert not isinstance(node, ast.Import), cell.source


def test_notes_for_analysts_stay_out_of_the_report(stored) -> None:
    _, notebook = stored
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert "analyst-only" in cell.metadata.get("tags", []), cell.source



@pytest.mark.parametrize("kind", list(KINDS.values()), ids=lambda kind: kind.name)
def test_each_kinds_parameter_model_names_its_notebooks_parameters(kind) -> None:
    """The runner fills the notebook's parameters from the kind's model, and the data folder."""
    (tagged,) = [cell for cell in nbformat.read(kind.notebook, as_version=4).cells if "parameters" in cell.metadata.get("tags", [])]
    values: dict[str, object] = {}
    exec(tagged.source, {}, values)
    assert set(values) == {*notebook_parameter_names(kind.parameters), "data_dir"}
