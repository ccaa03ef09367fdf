"""The national summary: the country's pooled rate (engine.national), its jobs, and the report
papermill renders on three synthetic provinces, checked on its HTML against the engine."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from report_data import ingest, render_all

from helpers.catalogue import WHOLE_PROVINCE
from helpers.cli import main
from helpers.context import Context
from helpers.demo.monthly import DemoSpec, generate_demo
from helpers.analysis.monthly.engine import NATIONAL, evaluate, national
from helpers.numbers import format_number, format_percent
from helpers.report.monthly import figures
from helpers.report.kinds import NATIONAL_SUMMARY, Selection
from helpers.report.params import ReportParameterError
from helpers.store import load_tidy
from helpers.tidy import conform

MONTHS = ["2025-07", "2025-08", "2025-09"]
LAST = MONTHS[-1]
MAX_REPORT_BYTES = 3 * 1024 * 1024


def _whole_rows(*rows: tuple) -> pd.DataFrame:
    """Unit rows of (period, province, unit, numerator, denominator), online dossiers, one unit level."""
    return conform(pd.DataFrame([
        {"period": period, "province": province, "level": "cap_tinh", "unit_id": unit, "unit_name": unit, "row_kind": "unit",
         "indicator": "online_dossiers", "numerator": numerator, "denominator": denominator}
        for period, province, unit, numerator, denominator in rows
    ]))


def test_national_rate_pools_counts_over_provinces_never_averages_rates(context):
    results = evaluate(_whole_rows(("2024-02", "binh_dinh", "a", 1, 1), ("2024-02", "gia_lai", "b", 0, 99)), context.catalogue)
    row = national(results.aggregates, context.catalogue).iloc[0]
    assert (row["numerator"], row["denominator"]) == (1, 100)
    assert row["rate"] == pytest.approx(0.01)  # Σ1 / Σ100, not the mean of 100% and 0%
    assert (row["provinces"], row["counted_provinces"], row["provinces_met_central"], row["provinces_below_central"]) == (2, 2, 1, 1)
    assert row["central_target"] == pytest.approx(0.5) and not row["met_central"] and row["province"] == NATIONAL


def test_national_change_only_when_the_same_provinces_were_counted(context):
    rows = [("2024-01", "binh_dinh", "a", 50, 100), ("2024-02", "binh_dinh", "a", 60, 100), ("2024-02", "gia_lai", "b", 10, 100),
            ("2024-03", "binh_dinh", "a", 70, 100), ("2024-03", "gia_lai", "b", 30, 100)]
    frame = national(evaluate(_whole_rows(*rows), context.catalogue).aggregates, context.catalogue).set_index("period")
    assert pd.isna(frame.loc["2024-01", "previous_rate"])  # no earlier month: no comparison
    assert frame.loc["2024-02", "provinces_changed"] and pd.isna(frame.loc["2024-02", "delta_pp"])  # gia_lai joined: not comparable
    assert not frame.loc["2024-03", "provinces_changed"] and frame.loc["2024-03", "delta_pp"] == pytest.approx(15.0)  # 35% → 50%


def test_nothing_arisen_nationally_is_not_a_rate(context):
    results = evaluate(_whole_rows(("2024-02", "binh_dinh", "a", 0, 0), ("2024-02", "gia_lai", "b", 0, 0)), context.catalogue)
    row = national(results.aggregates, context.catalogue).iloc[0]
    assert row["denominator"] == 0 and pd.isna(row["rate"]) and pd.isna(row["met_central"])


# -- rendered by the batch runner -----------------------------------------------------------------
@pytest.fixture(scope="module")
def provinces_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three small synthetic provinces (2 levels), three months, ingested."""
    data_dir = tmp_path_factory.mktemp("national") / "data"
    spec = DemoSpec(provinces=3, levels=2, departments=4, communes=8, months=len(MONTHS), output_format="tidy-parquet")
    generate_demo(spec, data_dir, progress=lambda _line: None)
    ingest(data_dir)
    return data_dir


@pytest.fixture(scope="module")
def national_reports(provinces_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    reports = tmp_path_factory.mktemp("national-reports") / "reports"
    context = Context.load(provinces_data)
    return render_all(NATIONAL_SUMMARY.jobs(context, Selection(), reports) + NATIONAL_SUMMARY.jobs(context, Selection(months=LAST, language="en"), reports), reports, workers=2)


@pytest.fixture(scope="module")
def engine_month(provinces_data: Path) -> tuple[Context, pd.DataFrame]:
    """The month's whole-province aggregates as the engine computes them, for every province."""
    context = Context.load(provinces_data)
    aggregates = evaluate(load_tidy(context.workspace), context.catalogue).aggregates
    return context, aggregates[(aggregates["period"] == LAST) & (aggregates["level"] == WHOLE_PROVINCE)]


def _page(reports: Path, name: str = f"{LAST}.html") -> BeautifulSoup:
    return BeautifulSoup((reports / NATIONAL / name).read_text(encoding="utf-8"), "html.parser")


def _table(page: BeautifulSoup, name: str) -> list[list[str]]:
    table = page.find("table", id=f"T_{name}")
    assert table is not None, f"table {name} is missing"
    return [[cell.get_text() for cell in row.find_all("td")] for row in table.select("tbody tr")]


def test_jobs_one_national_summary_per_month(provinces_data: Path, tmp_path: Path):
    jobs = NATIONAL_SUMMARY.jobs(Context.load(provinces_data), Selection(laggards=7), tmp_path)
    assert [job.output for job in jobs] == [tmp_path / NATIONAL / f"{month}.html" for month in MONTHS]
    assert jobs[0].notebook == NATIONAL_SUMMARY.notebook
    assert jobs[0].parameters == {"month": MONTHS[0], "data_dir": str(provinces_data), "laggards": 7, "language": "vi"}
    with pytest.raises(ReportParameterError, match="no province has data for 2030-01; months with data: 2025-07, 2025-08, 2025-09"):
        NATIONAL_SUMMARY.jobs(Context.load(provinces_data), Selection(months="2030-01"), tmp_path)


def test_national_and_province_together_are_refused(provinces_data: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["report", "--data-dir", str(provinces_data), "--national", "--province", "mo_phong_01"]) == 1
    assert "--national covers every province" in capsys.readouterr().err


@pytest.mark.slow
def test_national_figures_are_the_engines_pooled_sums(national_reports: Path, engine_month):
    context, whole = engine_month
    page = _page(national_reports)
    indicators = [indicator for indicator in context.catalogue.indicators if indicator in set(whole["indicator"])]
    appendix = _table(page, "national_appendix")
    summary = {row[0]: row for row in _table(page, "national_summary")}
    for column, indicator in enumerate(indicators, start=1):
        rows = whole[(whole["indicator"] == indicator) & whole["denominator"].notna() & (whole["counted_units"] > 0)]
        short = context.catalogue.indicator(indicator).short("vi")
        if rows.empty:
            assert appendix[-1][column] == "–" and summary[short][1] == "–"
            continue
        numerator, denominator = int(rows["numerator"].sum()), int(rows["denominator"].sum())
        assert appendix[-1][0] == "Toàn quốc"
        assert appendix[-1][column] == f"{format_number(numerator)}/{format_number(denominator)}"
        assert summary[short][1] == format_percent(numerator / denominator)


@pytest.mark.slow
def test_each_province_shows_its_engine_rate(national_reports: Path, engine_month):
    context, whole = engine_month
    rows = {row[0]: row for row in _table(_page(national_reports), "national_provinces")}
    indicators = [indicator for indicator in context.catalogue.indicators if indicator in set(whole["indicator"])]
    assert len(rows) == whole["province"].nunique() + 1  # and the country
    for record in whole.to_dict("records"):
        cell = rows[context.registry.province_name(record["province"])][1 + indicators.index(record["indicator"])]
        assert cell == figures.rate_text(record["rate"], figures.aggregate_state(record), "vi")


@pytest.mark.slow
def test_laggard_provinces_worst_first(national_reports: Path, engine_month):
    context, whole = engine_month
    expected = []
    for indicator in context.catalogue.indicators.values():
        below = whole[(whole["indicator"] == indicator.id) & whole["met_central"].eq(False).fillna(False)]
        below = below.assign(name=[context.registry.province_name(province) for province in below["province"]])
        below = below.sort_values(["gap_pp_central", "gap_count_central", "name"], ascending=[False, False, True], kind="stable").head(5)
        expected += [[indicator.short("vi"), row.name, format_number(row.gap_pp_central, 1)] for row in below.itertuples()]
    assert [[row[0], row[2], row[5]] for row in _table(_page(national_reports), "national_laggards")] == expected


@pytest.mark.slow
def test_summary_is_one_self_contained_file_with_a_synthetic_banner(national_reports: Path):
    html = (national_reports / NATIONAL / f"{LAST}.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    assert "DỮ LIỆU MÔ PHỎNG" in page.find(class_="banner-synthetic").get_text()
    assert page.find("script") is None and not page.find_all("link")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert all(image["src"].startswith("data:image/png;base64,") for image in page.find_all("img"))
    assert len(page.find_all("img")) == 3  # laggard provinces, heatmap, trends
    assert [heading["id"] for heading in page.find_all("h2")] == ["summary", "provinces", "laggards", "attainment", "trends", "checks", "appendix"]
    assert page.html["lang"] == "vi" and len(html.encode("utf-8")) < MAX_REPORT_BYTES
    assert "open_national" not in html and "display(" not in html


@pytest.mark.slow
def test_index_lists_the_national_summaries(national_reports: Path):
    index = BeautifulSoup((national_reports / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [link["href"] for link in index.find_all("a")]
    assert [f"{NATIONAL}/{month}.html" for month in reversed(MONTHS)] == links[:3]
    assert "Báo cáo tổng hợp toàn quốc — Toàn quốc" in index.get_text()


@pytest.mark.slow
def test_english_summary(national_reports: Path):
    page = _page(national_reports, f"{LAST}.en.html")
    assert page.html["lang"] == "en" and "SYNTHETIC DATA" in page.find(class_="banner-synthetic").get_text()
    assert _table(page, "national_appendix")[-1][0] == "Whole country"


@pytest.mark.slow
def test_the_below_target_tile_counts_provinces_not_province_indicator_pairs(national_reports: Path, engine_month):
    _context, whole = engine_month
    below = whole[whole["met_central"].eq(False).fillna(False)]
    assert below["province"].nunique() < len(below), "the fixture should have a province below target in two indicators"
    tiles = {tile.find(class_="what").get_text(): tile.find(class_="value").get_text() for tile in _page(national_reports).select(".kpi")}
    label = f"tỉnh, thành phố chưa đạt chỉ tiêu Trung ương ở ít nhất một chỉ tiêu (trong số {whole['province'].nunique()} tỉnh, thành phố có số liệu)"
    assert tiles[label] == format_number(below["province"].nunique())
