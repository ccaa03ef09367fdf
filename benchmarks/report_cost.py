"""Where the monthly report's cost above the floor goes (benchmarks/run.py, section ``floor``):

* its kernel's work by stage, CPU time, in a fresh process as the notebook's cells run it;
* the report notebook cut down, rendered by the runner like the floor and the report itself:
  its imports only, then with ``open_report``, then every section with the charts built but not
  drawn. What each adds over the floor, in the real kernel; the last shows what the report would
  cost if its charts cost nothing to draw.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat

SECTIONS = ("header", "summary", "drafted_text", "laggards", "attainment", "movers", "trends", "data_checks", "appendix", "headline")
STAGES = {
    "page": "report kernel, CPU: importing helpers.report.monthly.page",
    "open_report": "report kernel, CPU: open_report (parameters checked; the month read, evaluated and checked)",
    "laggards": "report kernel, CPU: the laggards section (its chart and table)",
    "attainment": "report kernel, CPU: the attainment section (its heatmap)",
    "other_sections": "report kernel, CPU: the other eight sections",
}


def kernel_stages(data_dir: str, province: str, month: str) -> dict[str, float]:
    """CPU seconds of each stage of the report's cells after the imports the floor makes too
    (pandas, matplotlib, seaborn), in the order they run."""
    import matplotlib  # noqa: F401
    import pandas  # noqa: F401
    import seaborn  # noqa: F401

    clock = time.process_time
    imported = clock()
    from helpers.report.monthly.page import open_report

    page_imported = clock()
    report = open_report(data_dir, province, month)
    opened = clock()
    seconds = {}
    for name in SECTIONS:
        before = clock()
        getattr(report, name)()
        seconds[name] = clock() - before
    other = sum(value for name, value in seconds.items() if name not in ("laggards", "attainment"))
    return {
        "page": page_imported - imported, "open_report": opened - page_imported,
        "laggards": seconds["laggards"], "attainment": seconds["attainment"], "other_sections": other,
    }


CUT_DOWN = {
    "imports": ("report notebook, its imports only", "from IPython.display import display\nfrom helpers.report.monthly.page import open_report"),
    "opened": ("report notebook, imports and open_report", "from IPython.display import display\nfrom helpers.report.monthly.page import open_report\n"
               "report = open_report(data_dir, province, month, language, laggards)"),
    "undrawn": ("report notebook, every section with its charts built but not drawn",
                "from IPython.display import display\nimport helpers.report.monthly.page as page\nfrom helpers.report.html import Html\n"
                "page.chart = lambda figure, alt: Html('')  # the figure is built by the section, never drawn\n"
                "report = page.open_report(data_dir, province, month, language, laggards)\n"
                f"display(*[getattr(report, name)() for name in {list(SECTIONS)!r}])"),
}


def cut_down_notebooks(folder: Path, parameters_source: str) -> dict[str, Path]:
    """The CUT_DOWN notebooks, each with the report's parameters cell, written under ``folder``."""
    paths = {}
    for label, (_, source) in CUT_DOWN.items():
        notebook = nbformat.v4.new_notebook()
        parameters = nbformat.v4.new_code_cell(parameters_source)
        parameters.metadata["tags"] = ["parameters"]
        notebook.cells = [parameters, nbformat.v4.new_code_cell(source)]
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        paths[label] = folder / f"report-{label}.ipynb"
        paths[label].parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, paths[label])
    return paths
