"""The 766 report's render jobs for the batch runner: one per province and processed snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from helpers.context import Context
from helpers.paths import PROJECT_ROOT
from helpers.report.batch import DEFAULT_REPORTS_DIR, RenderJob
from helpers.ingest.index766 import processed_path
from helpers.tidy766 import Snapshot, snapshots_in

NOTEBOOK = PROJECT_ROOT / "notebooks" / "index_766_report.ipynb"


def report_path(reports_dir: Path, province: str, snapshot: Snapshot, language: str = "vi") -> Path:
    """``reports/<province>/766-<date>.html``; other period kinds name theirs (``766-month-2026-09-<date>``),
    another language gets ``.<lang>.html``."""
    stem = f"766-{snapshot.snapshot_date}" if snapshot.period_kind == "year_to_date" else f"766-{snapshot.period_kind}-{snapshot.period}-{snapshot.snapshot_date}"
    return reports_dir / province / (f"{stem}.html" if language == "vi" else f"{stem}.{language}.html")


def provinces_with_766(context: Context) -> list[str]:
    processed = context.workspace.processed_dir
    if not processed.is_dir():
        return []
    return sorted(path.name for path in processed.iterdir() if processed_path(context.workspace, path.name).is_file())


def render_jobs(
    context: Context, provinces: Sequence[str] | None = None, language: str = "vi", laggards: int = 10,
    reports_dir: Path = DEFAULT_REPORTS_DIR,
) -> list[RenderJob]:
    """Every (province, snapshot) with processed 766 data, or the chosen provinces' snapshots."""
    jobs = []
    for province in provinces_with_766(context):
        if provinces and province not in provinces:
            continue
        snapshots = snapshots_in(pd.read_parquet(processed_path(context.workspace, province), columns=["period_kind", "period", "snapshot_date"]))
        for snapshot in snapshots:
            jobs.append(RenderJob(
                label=f"{province} 766 {snapshot.snapshot_date}" + ("" if snapshot.period_kind == "year_to_date" else f" {snapshot.period_kind}")
                + ("" if language == "vi" else f" {language}"),
                notebook=NOTEBOOK,
                parameters={
                    "province": province, "snapshot_date": snapshot.snapshot_date, "period_kind": snapshot.period_kind,
                    "data_dir": str(context.workspace.data_dir), "laggards": laggards, "language": language,
                },
                output=report_path(reports_dir, province, snapshot, language),
                language=language,
            ))
    return jobs
