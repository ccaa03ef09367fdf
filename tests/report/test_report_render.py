"""The monthly report rendered by papermill and the batch runner, checked on its HTML.

The bundled real month, three months built from it (trends, changes, movers), a month that
fails, and parameters the notebook itself refuses. Figures are compared with the engine's.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from report_data import BUNDLED_MONTH, LATER_MONTHS, MARKUP_NAME, PROVINCE

from helpers.catalogue import WHOLE_PROVINCE
from helpers.cli import main
from helpers.context import Context
from helpers.analysis.monthly.month import analyse_month
from helpers.numbers import format_number, format_percent, format_signed
from helpers.report.monthly import figures
from helpers.report.batch import FAILED_DIR_NAME, RenderJob, render
from helpers.report.kinds import MONTHLY
from helpers.report.headline import Headline, HeadlineFigure, sidecar_path, sidecar_text

pytestmark = pytest.mark.slow

SECTIONS = ["summary", "draft", "laggards", "attainment", "movers", "trends", "checks", "appendix"]
MAX_REPORT_BYTES = 3 * 1024 * 1024


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def bundled_page(bundled_reports: Path) -> BeautifulSoup:
    return _soup(bundled_reports / PROVINCE / f"{BUNDLED_MONTH}.html")


@pytest.fixture(scope="module")
def bundled_month(bundled_data: Path):
    context = Context.load(bundled_data)
    return context, analyse_month(context, PROVINCE, BUNDLED_MONTH)


def _table(page: BeautifulSoup, name: str) -> list[list[str]]:
    table = page.find("table", id=f"T_{name}")
    assert table is not None, f"table {name} is missing"
    return [[cell.get_text() for cell in row.find_all("td")] for row in table.select("tbody tr")]


def test_report_has_its_title_contents_and_every_section(bundled_page: BeautifulSoup):
    assert bundled_page.find("h1").get_text() == "Kết quả thực hiện 07 chỉ tiêu dịch vụ công tháng 02/2024 trên địa bàn tỉnh Bình Định"
    assert [heading["id"] for heading in bundled_page.find_all("h2")] == SECTIONS
    assert [link["href"] for link in bundled_page.select("nav.toc a")] == [f"#{section}" for section in SECTIONS]
    assert bundled_page.html["lang"] == "vi"


def test_report_summary_shows_the_engines_figures(bundled_page: BeautifulSoup, bundled_month):
    context, analysis = bundled_month
    aggregates = analysis.month.aggregates
    levels = figures.levels_present(aggregates, context.catalogue)
    rows = _table(bundled_page, "summary")
    assert len(rows) == aggregates["indicator"].nunique()
    for row, indicator in zip(rows, figures.indicators_present(aggregates, context.catalogue)):
        by_level = aggregates[aggregates["indicator"] == indicator].set_index("level")
        assert row[0] == context.catalogue.indicator(indicator).short("vi")
        for cell, level in zip([row[1], *row[3 : 3 + len(levels)]], [WHOLE_PROVINCE, *levels]):
            scope = by_level.loc[level]
            assert cell == figures.figure_text(scope, "vi") + figures.figure_note(scope, "vi")  # the figure, then its note
        has_rate = figures.aggregate_state(by_level.loc[WHOLE_PROVINCE]) == figures.RATE
        assert row[2] == ("chưa có kỳ so sánh" if has_rate else "–")


def test_report_lists_the_engines_laggards_worst_first(bundled_page: BeautifulSoup, bundled_month):
    context, analysis = bundled_month
    units = analysis.month.units
    expected = []
    for indicator in context.catalogue.indicators.values():
        below = units[(units["indicator"] == indicator.id) & (units["status"] == "below")]
        below = below.sort_values(["gap_pp", "gap_count", "unit_name"], ascending=[False, False, True], na_position="last", kind="stable").head(5)
        expected += [[indicator.short("vi"), row.unit_name, format_percent(row.target), format_number(row.gap_pp, 1)] for row in below.itertuples()]
    shown = [[row[0], row[2], row[5], row[6]] for row in _table(bundled_page, "laggards")]
    assert shown == expected


def test_report_draft_is_there_with_room_for_the_analyst(bundled_page: BeautifulSoup):
    draft = bundled_page.find("div", class_="drafted").get_text()
    assert "Tỷ lệ bình quân chung của cả tỉnh đạt: 91,9%" in draft
    assert bundled_page.find("p", class_="analyst-placeholder") is not None


def test_report_is_one_self_contained_file_without_code(bundled_reports: Path, bundled_page: BeautifulSoup):
    html = (bundled_reports / PROVINCE / f"{BUNDLED_MONTH}.html").read_text(encoding="utf-8")
    assert bundled_page.find("script") is None and not bundled_page.find_all("link")
    assert not re.search(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert all(image["src"].startswith("data:image/png;base64,") for image in bundled_page.find_all("img"))
    assert len(bundled_page.find_all("img")) == 2  # laggards and the heatmap: one month has no trend or movers
    assert "open_report" not in html and "display(" not in html and "jp-InputArea" not in html
    assert len(html.encode("utf-8")) < MAX_REPORT_BYTES


def test_real_province_has_no_synthetic_banner(bundled_page: BeautifulSoup):
    assert bundled_page.find(class_="banner-synthetic") is None


def _report_links(index: BeautifulSoup) -> list[str]:
    """The index's links to reports (each row also links the documents filed beside its report)."""
    return [link["href"] for link in index.find_all("a") if link["href"].endswith(".html") and not link["href"].endswith(".digest.html")]


def test_index_links_the_report_with_its_headline_figures(bundled_reports: Path, bundled_month):
    _, analysis = bundled_month
    index = _soup(bundled_reports / "index.html")
    assert _report_links(index) == [f"{PROVINCE}/{BUNDLED_MONTH}.html"]
    whole = analysis.month.aggregates
    online = whole[(whole["indicator"] == "online_dossiers") & (whole["level"] == WHOLE_PROVINCE)]["rate"].iloc[0]
    assert format_percent(online) in [cell.get_text() for cell in index.find_all("td")]
    assert sidecar_path(bundled_reports / PROVINCE / f"{BUNDLED_MONTH}.html").is_file()


def test_every_month_renders_and_the_index_lists_them(multi_reports: Path):
    index = _soup(multi_reports / "index.html")
    links = _report_links(index)
    assert links == [f"{PROVINCE}/{month}.html" for month in reversed([BUNDLED_MONTH, *LATER_MONTHS])] + [f"{PROVINCE}/{LATER_MONTHS[-1]}.en.html"]
    english = index.find_all("table")[1]
    assert "Online dossiers" in [cell.get_text() for cell in english.find_all("th")]
    assert "dữ liệu mô phỏng" in index.get_text()


def test_later_month_shows_changes_trends_and_movers(multi_reports: Path, multi_month_data: Path):
    context = Context.load(multi_month_data)
    analysis = analyse_month(context, PROVINCE, LATER_MONTHS[-1])
    page = _soup(multi_reports / PROVINCE / f"{LATER_MONTHS[-1]}.html")
    whole = figures.scopes_of(analysis.month.aggregates)[("online_payment", WHOLE_PROVINCE)]
    payment = next(row for row in _table(page, "summary") if row[0] == context.catalogue.indicator("online_payment").short("vi"))
    assert payment[2] == f"{format_signed(whole['delta_pp'])} điểm phần trăm"
    settings = context.catalogue.setting
    rises, falls = figures.movers(analysis.month.units, settings("notable_change_pp"), 5, min_denominator=settings("movers_min_denominator"))
    movers = _table(page, "movers")
    assert [row[0] for row in movers] == list(rises["unit_name"]) + list(falls["unit_name"])
    assert [row[4] for row in movers] == [format_signed(value) for value in [*rises["delta_pp"], *falls["delta_pp"]]]
    assert len(page.find_all("img")) == 4  # laggards, heatmap, movers, trends


def test_nothing_arisen_is_never_zero_nor_a_fall(multi_reports: Path, multi_month_data: Path):
    page = _soup(multi_reports / PROVINCE / f"{LATER_MONTHS[-1]}.html")
    context = Context.load(multi_month_data)
    short = context.catalogue.indicator("procedures_with_payment").short("vi")
    row = next(row for row in _table(page, "summary") if row[0] == short)
    assert row[3] == "không phát sinh"  # the provincial level: no procedure with a payment this month
    movers = _table(page, "movers")
    assert not any(row[0] == MARKUP_NAME and row[1] == context.catalogue.indicator("online_dossiers").short("vi") for row in movers)


def test_first_month_says_no_comparison_yet(multi_reports: Path):
    page = _soup(multi_reports / PROVINCE / f"{BUNDLED_MONTH}.html")
    assert all(row[2] in {"chưa có kỳ so sánh", "–"} for row in _table(page, "summary"))
    assert "+0" not in page.get_text()
    assert page.find("table", id="T_movers") is None


def test_markup_in_a_unit_name_shows_as_text(multi_reports: Path):
    html = (multi_reports / PROVINCE / f"{LATER_MONTHS[-1]}.html").read_text(encoding="utf-8")
    assert '<script>alert("x")</script>' not in html and "<b>Lữ hành</b>" not in html
    assert MARKUP_NAME in [cell.get_text() for cell in BeautifulSoup(html, "html.parser").find_all("td")]


def test_synthetic_province_carries_a_visible_banner(multi_reports: Path):
    banner = _soup(multi_reports / PROVINCE / f"{LATER_MONTHS[-1]}.html").find(class_="banner-synthetic")
    assert banner is not None and "DỮ LIỆU MÔ PHỎNG" in banner.get_text()


def test_english_report(multi_reports: Path):
    page = _soup(multi_reports / PROVINCE / f"{LATER_MONTHS[-1]}.en.html")
    assert page.html["lang"] == "en"
    assert [heading.get_text() for heading in page.find_all("h2")][:2] == ["1. Summary", "2. Draft text for the report"]
    assert "SYNTHETIC DATA" in page.find(class_="banner-synthetic").get_text()
    assert re.search(r"\d\.\d%", page.find("table", id="T_summary").get_text())  # 91.7%, not 91,7%


def test_a_failed_month_stops_nothing_else_and_keeps_the_good_report(multi_month_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = tmp_path / "data"
    shutil.copytree(multi_month_data, data)
    last = data / "processed" / PROVINCE / f"{LATER_MONTHS[-1]}.parquet"
    last.write_bytes(b"not a parquet file")
    reports = tmp_path / "reports"
    earlier = reports / PROVINCE / f"{LATER_MONTHS[-1]}.html"
    earlier.parent.mkdir(parents=True)
    earlier.write_text("the good report of an earlier run", encoding="utf-8")
    earlier_headline = Headline("monthly", "", "Báo cáo trước", PROVINCE, "Bình Định", LATER_MONTHS[-1], "vi", figures=(HeadlineFigure("met", "Đạt", "3/6"),))
    sidecar_path(earlier).write_text(sidecar_text(earlier_headline, earlier, "2024-05-01T08:00:00"), encoding="utf-8")
    os.utime(earlier, (1_700_000_000, 1_700_000_000))
    code = main(["report", "--data-dir", str(data), "--output-dir", str(reports), "--months", ",".join(LATER_MONTHS), "--jobs", "2"])
    output = capsys.readouterr().out
    assert code == 1
    assert earlier.read_text(encoding="utf-8") == "the good report of an earlier run"
    assert (reports / PROVINCE / f"{LATER_MONTHS[0]}.html").stat().st_size > 10_000
    kept = reports / FAILED_DIR_NAME / f"{PROVINCE}_{LATER_MONTHS[-1]}.ipynb"
    assert kept.is_file()
    # the kept notebook is the executed one, with the failing cell's traceback (papermill writes it at the failure)
    errors = [output for cell in nbformat.read(kept, as_version=4).cells for output in cell.get("outputs", []) if output["output_type"] == "error"]
    assert len(errors) == 1
    assert f"{PROVINCE} {LATER_MONTHS[-1]}: FAILED" in output and "executed notebook kept" in output
    assert "2 report(s) in" in output and "1 rendered, 1 failed." in output
    index = _soup(reports / "index.html")
    assert _report_links(index) == [f"{PROVINCE}/{LATER_MONTHS[-1]}.html", f"{PROVINCE}/{LATER_MONTHS[0]}.html"]  # newest first
    # the good report of the earlier run stays listed, marked as not up to date
    stale = index.select("td.stale")
    assert len(stale) == 1 and stale[0].get_text().startswith("chưa cập nhật: lần dựng gần nhất bị lỗi (ngày ")
    assert stale[0].find_previous_sibling("td").find("a")["href"] == f"{PROVINCE}/{LATER_MONTHS[-1]}.html"


def test_the_notebook_refuses_bad_parameters_with_one_sentence(bundled_data: Path, tmp_path: Path):
    """Parameters that skip the runner's checks (papermill run by hand) stop in the first cell."""
    job = RenderJob("bad month", MONTHLY.notebook, {"month": "2024-13", "province": PROVINCE, "data_dir": str(bundled_data)}, tmp_path / "bad.html")
    result = render(job, tmp_path / "failed")
    assert not result.ok and not job.output.exists()
    assert result.message == "a month is written YYYY-MM, for example 2024-02; got '2024-13'"
    assert result.executed is not None and result.executed.is_file()


def test_every_report_stays_well_under_the_size_limit(multi_reports: Path):
    for report in sorted((multi_reports / PROVINCE).glob("*.html")):
        assert report.stat().st_size < MAX_REPORT_BYTES / 5, report.name
