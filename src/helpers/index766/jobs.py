"""The 766 report's render jobs, for the batch runner: one per province and processed snapshot."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..paths import PROJECT_ROOT, Workspace
from .ingest import processed_path
from .schema import Snapshot, snapshots_in

NOTEBOOK = PROJECT_ROOT / "notebooks" / "index_766_report.ipynb"
DEFAULT_OUTPUT_DIR = PROJECT_ROOT / "reports"


@dataclass(frozen=True)
class RenderJob:
    """Execute ``notebook`` with ``parameters`` (papermill) and save the HTML at ``output``."""

    notebook: Path
    output: Path
    parameters: dict[str, object] = field(default_factory=dict)


def report_path(output_dir: Path, province: str, snapshot: Snapshot) -> Path:
    """``reports/<province>/766-<date>.html``; other period kinds name theirs: ``766-month-2026-09-<date>.html``."""
    if snapshot.period_kind == "year_to_date":
        return output_dir / province / f"766-{snapshot.snapshot_date}.html"
    return output_dir / province / f"766-{snapshot.period_kind}-{snapshot.period}-{snapshot.snapshot_date}.html"


def render_jobs(
    data_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
    provinces: list[str] | None = None,
    laggards: int = 10,
    language: str = "vi",
) -> list[RenderJob]:
    """Every (province, snapshot) with processed 766 data, as notebook parameters and an output path."""
    workspace = Workspace.at(data_dir)
    target = Path(output_dir) if output_dir else DEFAULT_OUTPUT_DIR
    jobs = []
    if not workspace.processed_dir.is_dir():
        return jobs
    for province_dir in sorted(path for path in workspace.processed_dir.iterdir() if path.is_dir()):
        province = province_dir.name
        path = processed_path(workspace, province)
        if (provinces and province not in provinces) or not path.is_file():
            continue
        for snapshot in snapshots_in(pd.read_parquet(path, columns=["period_kind", "period", "snapshot_date"])):
            parameters: dict[str, object] = {
                "province": province,
                "snapshot_date": snapshot.snapshot_date,
                "period_kind": snapshot.period_kind,
                "data_dir": str(workspace.data_dir),
                "laggards": laggards,
                "language": language,
            }
            jobs.append(RenderJob(NOTEBOOK, report_path(target, province, snapshot), parameters))
    return jobs
