"""The stored notebook: no outputs, in step with its jupytext pair, parameterised, thin."""

from __future__ import annotations

import ast

import jupytext
import nbformat
import pytest

from helpers.report.batch import MONTHLY_NOTEBOOK

PAIRED_SCRIPT = MONTHLY_NOTEBOOK.with_suffix(".py")


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(MONTHLY_NOTEBOOK, as_version=4)


def test_notebook_is_stored_without_outputs(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_notebook_and_its_percent_script_have_the_same_cells(notebook):
    script = jupytext.read(PAIRED_SCRIPT)
    assert [(cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in notebook.cells] == [
        (cell.cell_type, cell.source, cell.metadata.get("tags", [])) for cell in script.cells
    ], f"the pair has drifted: run `jupytext --sync {MONTHLY_NOTEBOOK.name}` in notebooks/"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


def test_parameters_cell_names_every_parameter_with_vietnamese_by_default(notebook):
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    values: dict[str, object] = {}
    exec(tagged[0].source, {}, values)  # the cell is plain assignments
    assert values == {"month": "2024-02", "province": "binh_dinh", "data_dir": "", "laggards": 5, "language": "vi"}


def test_code_cells_only_call_the_package(notebook):
    """Thin: no function, class or loop in the notebook, and nothing imported but helpers and display."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.For, ast.While, ast.Lambda)), cell.source
            if isinstance(node, ast.ImportFrom):
                assert node.module.split(".")[0] in {"helpers", "IPython"}, cell.source
            assert not isinstance(node, ast.Import), cell.source


def test_notes_for_analysts_stay_out_of_the_report(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert "analyst-only" in cell.metadata.get("tags", []), cell.source
