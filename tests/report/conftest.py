"""Session fixtures of the report tests: ingested copies of the bundled month, of three months
and of a year of demo data, and their reports rendered once by the batch runner (papermill) for
the slow tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_data import LATER_MONTHS, YEAR_DEMO, YEAR_PROVINCE, build_multi_month, copy_bundled, ingest, render_all

from helpers.context import Context
from helpers.demo.monthly import generate_demo
from helpers.report.kinds import MONTHLY, NATIONAL_SUMMARY, Selection


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
    return render_all(MONTHLY.jobs(Context.load(bundled_data), Selection(), reports), reports, workers=1)


@pytest.fixture(scope="session")
def multi_reports(multi_month_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three months in Vietnamese and the last in English, two at a time (the parallel path)."""
    reports = tmp_path_factory.mktemp("multi-reports") / "reports"
    context = Context.load(multi_month_data)
    jobs = MONTHLY.jobs(context, Selection(), reports) + MONTHLY.jobs(context, Selection(months=LATER_MONTHS[-1], language="en"), reports)
    return render_all(jobs, reports, workers=2)


@pytest.fixture(scope="session")
def year_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve months of three demo provinces (generated and ingested once): one province's last
    monthly report and the national summary of that month, with the index page."""
    data_dir = tmp_path_factory.mktemp("year") / "data"
    generate_demo(YEAR_DEMO, data_dir, progress=lambda _line: None)
    context = ingest(data_dir)
    reports = tmp_path_factory.mktemp("year-reports") / "reports"
    last = Selection(months=YEAR_DEMO.periods[-1])
    jobs = MONTHLY.jobs(context, Selection((YEAR_PROVINCE,), last.months), reports) + NATIONAL_SUMMARY.jobs(context, last, reports)
    return render_all(jobs, reports, workers=2)
