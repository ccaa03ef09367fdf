"""Choosing what to render and refusing bad parameters with one sentence, before any kernel starts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path, PurePosixPath

import pytest
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE

from helpers.cli import main
from helpers.context import Context
from helpers.report import batch
from helpers.report.kinds import MONTHLY, Selection
from helpers.report.params import Index766Parameters, MonthlyParameters, ReportParameterError, select_months

MONTHS = [BUNDLED_MONTH, *LATER_MONTHS]


def test_select_months_takes_lists_and_ranges_of_months_with_data():
    assert select_months("2024-02..2024-03", MONTHS) == ["2024-02", "2024-03"]
    assert select_months("2024-04, 2024-02..2024-02", MONTHS) == ["2024-04", "2024-02"]
    assert select_months("2023-01..2030-12", MONTHS) == MONTHS


@pytest.mark.parametrize(("selection", "says"), [("2024-13", "YYYY-MM"), ("2025-01..2025-06", "no month with data from 2025-01 to 2025-06")])
def test_select_months_refuses_what_it_cannot_use(selection: str, says: str):
    with pytest.raises(ValueError, match=says):
        select_months(selection, MONTHS)


def test_monthly_jobs_render_every_month_with_data(multi_month_data: Path, tmp_path: Path):
    context = Context.load(multi_month_data)
    jobs = MONTHLY.jobs(context, Selection(laggards=7), tmp_path)
    assert [job.label for job in jobs] == [f"{PROVINCE} {month}" for month in MONTHS]
    assert jobs[0].notebook == MONTHLY.notebook
    assert jobs[0].output == tmp_path / PROVINCE / f"{BUNDLED_MONTH}.html"
    assert jobs[0].parameters == {"month": BUNDLED_MONTH, "province": PROVINCE, "data_dir": str(multi_month_data), "laggards": 7, "language": "vi"}
    english = MONTHLY.jobs(context, Selection((PROVINCE,), "2024-03..2024-04", "en"), tmp_path)
    assert [job.output.name for job in english] == ["2024-03.en.html", "2024-04.en.html"]
    assert [job.label for job in english] == [f"{PROVINCE} 2024-03 en", f"{PROVINCE} 2024-04 en"]
    assert MONTHLY.output(MonthlyParameters(PROVINCE, "2024-02")) == PurePosixPath(PROVINCE, "2024-02.html")


@pytest.mark.parametrize(
    ("province", "month", "language", "laggards", "says"),
    [
        ("binh_dinh", "2024-2", "vi", 5, "a month is written YYYY-MM, for example 2024-02; got '2024-2'"),
        ("binh_dinh", "2023-12", "vi", 5, "there is no data for binh_dinh 2023-12; months with data: 2024-02"),
        ("atlantis", "2024-02", "vi", 5, "unknown province 'atlantis'"),
        ("gia_lai", "2024-02", "vi", 5, "there is no ingested data for gia_lai"),
        ("binh_dinh", "2024-02", "fr", 5, "the report language is 'vi' or 'en'; got 'fr'"),
        ("binh_dinh", "2024-02", "vi", 0, "at least 1; got 0"),
    ],
)
def test_bad_parameters_are_one_sentence(bundled_data: Path, province: str, month: str, language: str, laggards: int, says: str):
    with pytest.raises(ReportParameterError) as raised:
        MonthlyParameters.check(Context.load(bundled_data), province, month, language, laggards)
    assert says in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--months", "2024-13"], "a month is written YYYY-MM"),
        (["--months", "2023-12"], "there is no data for binh_dinh 2023-12"),
        (["--province", "atlantis"], "unknown province 'atlantis'"),
    ],
)
def test_report_command_refuses_bad_parameters_before_rendering(
    bundled_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], says: str
):
    code = main(["report", "--data-dir", str(bundled_data), "--output-dir", str(tmp_path / "reports"), *arguments])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("Error: ") and says in captured.err and captured.err.count("\n") == 1
    assert "Traceback" not in captured.err and not (tmp_path / "reports").exists()


def test_the_766_parameters_resolve_the_snapshot_once_for_the_notebook(ingested: Context):
    latest = Index766Parameters.check(ingested, "gia_lai")
    assert (latest.snapshot_date, latest.period_kind, latest.period, latest.laggards) == ("2026-10-10", "year_to_date", "2026", 10)
    assert Index766Parameters.check(ingested, "gia_lai", "24/09/2026", None, "en", 3) == Index766Parameters("gia_lai", "2026-09-24", "year_to_date", "2026", "en", 3)


@pytest.mark.parametrize(
    ("snapshot_date", "period_kind", "laggards", "says"),
    [
        ("24-09-2026", "year_to_date", 5, "the snapshot date is a date such as 31/05/2024 or 2024-05-31; got '24-09-2026'"),
        ("", "week", 5, "period_kind is one of year_to_date, quarter, month; got 'week'"),
        ("", "quarter", 5, "no quarter snapshot of the 766 index for gia_lai; period kinds with data: year_to_date"),
        ("", "year_to_date", True, "the number of units to show (laggards) is a whole number of at least 1; got True"),
    ],
)
def test_bad_766_parameters_are_one_sentence(ingested: Context, snapshot_date: str, period_kind: str, laggards: int, says: str):
    with pytest.raises(ReportParameterError) as raised:
        Index766Parameters.check(ingested, "gia_lai", snapshot_date, period_kind, "vi", laggards)
    assert str(raised.value) == says


def test_compile_package_writes_bytecode_even_where_python_writes_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    package = tmp_path / "package"
    (package / "inner").mkdir(parents=True)
    modules = [package / "first.py", package / "inner" / "second.py"]
    for module in modules:
        module.write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # what PYTHONDONTWRITEBYTECODE sets
    batch.compile_package(package)
    assert all(Path(importlib.util.cache_from_source(str(module))).is_file() for module in modules)


def test_run_jobs_compiles_the_package_before_the_first_kernel_starts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    calls: list[str] = []
    monkeypatch.setattr(batch, "compile_package", lambda: calls.append("compiled"))

    def render_in_workers(signals, jobs, todo, workers, debug_dir, progress, results) -> None:
        calls.append("rendered")
        results.update({index: batch.JobResult(jobs[index], True, 0.0) for index in todo})

    monkeypatch.setattr(batch, "_render_in_workers", render_in_workers)
    job = batch.RenderJob("note", tmp_path / "note.ipynb", {}, tmp_path / "note.html")
    batch.run_jobs([job], workers=1, progress=lambda _line: None)
    assert calls == ["compiled", "rendered"]
