"""Section 6, rerun: `make report` run again with nothing changed (issue 10's target: < 5 s).

The bundled data (one month of Bình Định, three provinces' 766 captures) is copied to a scratch
folder; `make report` renders it once (its documents and index page included), then is run again
``repeats`` times with nothing changed: the ingest skips every folder (the manifest in
processed/), the runner skips every report (the manifest in reports/). The unchanged ingest alone
is measured too. `make` is run with the venv it already has (``-o`` its stamp: nothing installed).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from harness import MIB, LoadWatch, Results, below, measure_command

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ("units", "raw", "catalogue", "documents")


def make_report(data_dir: Path, reports_dir: Path) -> list[str]:
    """`make report` on other folders, with the venv this Python runs in and nothing installed."""
    venv = Path(sys.prefix)
    return ["make", "--no-print-directory", "-C", str(PROJECT_ROOT), "-o", str(venv / ".installed"), "report",
            f"VENV={venv}", f"DATA_DIR={data_dir}", f"REPORTS_DIR={reports_dir}"]


def rerun_section(results: Results, settings: Any) -> None:
    from helpers.paths import DEFAULT_DATA_DIR

    folder = settings.scratch / "rerun"
    data_dir, reports_dir = folder / "data", folder / "reports"
    for part in BUNDLED:
        shutil.copytree(DEFAULT_DATA_DIR / part, data_dir / part)
    with LoadWatch() as load:
        first = measure_command(make_report(data_dir, reports_dir))
        again = [measure_command(make_report(data_dir, reports_dir)) for _ in range(settings.repeats)]
        ingest = [measure_command([sys.executable, "-m", "helpers", "ingest", "--data-dir", str(data_dir)]) for _ in range(settings.repeats)]
    reports = len([path for path in reports_dir.rglob("*.html") if path.name != "index.html" and ".digest." not in path.name])
    results.add("rerun", f"`make report`, first run ({reports} reports with their documents, index page)", "s", first.seconds,
                note=f"peak {first.peak_bytes / MIB:.0f} MiB")
    results.add("rerun", "`make report` again, nothing changed", "s", [run.seconds for run in again], below(5, " s"),
                note=f"peak {max(run.peak_bytes for run in again) / MIB:.0f} MiB")
    results.add("rerun", "`python -m helpers ingest` again, nothing changed", "s", [run.seconds for run in ingest])
    results.note("rerun", f"The bundled data in a scratch folder, `make report DATA_DIR=… REPORTS_DIR=…` as a subprocess; {load.load.text()}.")
