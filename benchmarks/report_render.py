"""Time to render the monthly report against a trivial notebook, both executed by papermill.

The target (README): executing notebooks/monthly_report.ipynb costs at most 1.5× executing a
trivial notebook that imports pandas, matplotlib and seaborn and draws one chart. Runs
alternate between the two so that both see the same machine load; medians are reported,
with the HTML export and the report's size. On a machine shared with other jobs the fastest
runs (min) show what the notebooks cost; the medians include the neighbours' load.

    .venv/bin/python benchmarks/report_render.py [--runs 5] [--province binh_dinh] [--month 2024-02] [--data-dir DIR]

The data directory must have been ingested (`python -m helpers ingest`).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import papermill

from helpers.paths import DEFAULT_DATA_DIR
from helpers.report.batch import MONTHLY_NOTEBOOK
from helpers.report.export import export_html

TRIVIAL_SOURCE = """import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns

frame = pd.DataFrame({"unit": ["a", "b", "c"], "rate": [0.5, 0.7, 0.9]})
figure, axes = plt.subplots(figsize=(4, 3))
sns.barplot(data=frame, x="unit", y="rate", ax=axes)
plt.show()
"""


def trivial_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(TRIVIAL_SOURCE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)
    return path


def execute(notebook: Path, output: Path, parameters: dict[str, object] | None = None) -> float:
    start = time.perf_counter()
    papermill.execute_notebook(str(notebook), str(output), parameters=parameters or {}, progress_bar=False, log_output=False, cwd=str(notebook.parent))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--province", default="binh_dinh")
    parser.add_argument("--month", default="2024-02")
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR))
    arguments = parser.parse_args()
    parameters = {"province": arguments.province, "month": arguments.month, "data_dir": arguments.data_dir}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        trivial = trivial_notebook(folder / "trivial.ipynb")
        execute(trivial, folder / "warm.ipynb")  # first kernel start and imports fill the disk cache
        trivial_times, report_times, export_times = [], [], []
        html = ""
        for _ in range(arguments.runs):
            trivial_times.append(execute(trivial, folder / "trivial-out.ipynb"))
            report_times.append(execute(MONTHLY_NOTEBOOK, folder / "report-out.ipynb", parameters))
            start = time.perf_counter()
            html, _ = export_html(nbformat.read(folder / "report-out.ipynb", as_version=4))
            export_times.append(time.perf_counter() - start)
    trivial_median, report_median, export_median = (statistics.median(times) for times in (trivial_times, report_times, export_times))
    print(f"runs: {arguments.runs} ({arguments.province} {arguments.month})")
    print(f"trivial notebook (papermill):  median {trivial_median:.2f} s  {_all(trivial_times)}")
    print(f"monthly report (papermill):    median {report_median:.2f} s  {_all(report_times)}")
    print(f"ratio report / trivial:        {report_median / trivial_median:.2f} of medians, {min(report_times) / min(trivial_times):.2f} of fastest runs (target ≤ 1.5)")
    print(f"HTML export:                   median {export_median:.2f} s")
    print(f"HTML size:                     {len(html.encode('utf-8')) / 1024:.0f} KB")
    return 0


def _all(times: list[float]) -> str:
    return "[" + ", ".join(f"{value:.2f}" for value in times) + "]"


if __name__ == "__main__":
    sys.exit(main())
