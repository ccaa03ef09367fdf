"""Session fixtures of the report tests: ingested copies of the bundled month and of three
months, and their reports rendered once by the batch runner (papermill) for the slow tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_data import LATER_MONTHS, build_multi_month, copy_bundled, ingest

from helpers.context import Context
from helpers.report.batch import FAILED_DIR_NAME, monthly_jobs, run_jobs
from helpers.report.index_page import write_index


@pytest.fixture(scope="session")
def bundled_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("bundled") / "data"
    copy_bundled(data_dir)
    ingest(data_dir)
    return data_dir


@pytest.fixture(scope="session")
def multi_month_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_multi_month(tmp_path_factory.mktemp("multi") / "data")


@pytest.fixture(scope="session")
def bundled_reports(bundled_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports = tmp_path_factory.mktemp("bundled-reports") / "reports"
    summary = run_jobs(monthly_jobs(Context.load(bundled_data), None, None, reports_dir=reports), workers=1, debug_dir=reports / FAILED_DIR_NAME)
    assert not summary.failed, [result.message for result in summary.failed]
    write_index(reports)
    return reports


@pytest.fixture(scope="session")
def multi_reports(multi_month_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three months in Vietnamese and the last in English, two at a time (the parallel path)."""
    reports = tmp_path_factory.mktemp("multi-reports") / "reports"
    context = Context.load(multi_month_data)
    jobs = monthly_jobs(context, None, None, reports_dir=reports) + monthly_jobs(context, None, LATER_MONTHS[-1], "en", reports_dir=reports)
    summary = run_jobs(jobs, workers=2, debug_dir=reports / FAILED_DIR_NAME)
    assert not summary.failed, [result.message for result in summary.failed]
    write_index(reports)
    return reports
