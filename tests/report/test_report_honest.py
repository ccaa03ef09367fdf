"""Figures honest where they meet the reader (issues 12 and 13): a published figure beside a
recomputed one that differs, the published one (marked) where the tables cannot compute it,
movers only above a minimum volume with their counts, impossible rows left out of the pooled
figures and said so at the figure, and key figures that count units."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook
from report_data import BUNDLED_MONTH, PROVINCE, copy_bundled, ingest

from helpers.catalogue import WHOLE_PROVINCE
from helpers.context import Context
from helpers.documents.monthly import write_monthly_documents
from helpers.ingest.monthly import discover_months, read_month
from helpers.messages import messages
from helpers.report.console import summary_table
from helpers.report.monthly import figures, tables
from helpers.report.monthly.drafted import draft
from helpers.report.monthly.page import MonthlyReport, open_report


@pytest.fixture(scope="module")
def report(bundled_data: Path) -> MonthlyReport:
    return open_report(bundled_data, PROVINCE, BUNDLED_MONTH)


def _summary_cells(report: MonthlyReport) -> dict[str, list]:
    """The summary table's cells by indicator: [indicator, province, change, levels…, targets, verdict]."""
    soup = BeautifulSoup(str(report.summary()), "html.parser")
    return {row.find("td").get_text(): row.find_all("td") for row in soup.select("#T_summary tbody tr")}


def _shown(cell) -> str:
    """The figure as read before opening its note."""
    summary = cell.find("summary")
    return (summary or cell).get_text()


def _note(cell) -> str:
    note = cell.select_one("details.cell-note > .note")
    return note.get_text() if note is not None else ""


def _drafted(report: MonthlyReport) -> list[str]:
    return [line.text for line in draft(report.draft_inputs, "vi").lines]


def test_a_published_figure_that_differs_stands_beside_the_recomputed_one(report: MonthlyReport):
    cells = _summary_cells(report)
    catalogue = report.context.catalogue
    payment, reuse = cells[catalogue.indicator("online_payment").short("vi")], cells[catalogue.indicator("reuse").short("vi")]
    assert _shown(payment[1]) == "78,8% · công bố 71,2%"
    assert _shown(reuse[1]) == "38,8% · công bố 19,3%"
    # The reason is one click away (a <details>, no script), in an official report's words.
    note = _note(payment[1])
    assert "17.756/22.522" in note and "71,2%" in note and "7,6 điểm phần trăm" in note
    assert payment[1].find("details") is not None and payment[1]["title"] == note
    # A published figure within rounding of the recomputed one is not repeated.
    dossiers = cells[catalogue.indicator("online_dossiers").short("vi")]
    assert _shown(dossiers[1]) == "91,9%" and dossiers[1].find("details") is None


def test_e_result_shows_the_published_figures_marked_as_published(report: MonthlyReport):
    cells = _summary_cells(report)["Kết quả điện tử"]
    assert [_shown(cell) for cell in cells[1:6]] == ["95% (công bố)", "–", "83,4% (công bố)", "92,8% (công bố)", "97,1% (công bố)"]
    assert "số liệu đã công bố" in _note(cells[1])
    assert "bad" in cells[1]["class"] and cells[-1].get_text() == "Chưa đạt chỉ tiêu TW"  # 95% against the central 100%
    lines = _drafted(report)
    assert "- Tỷ lệ bình quân chung của cả tỉnh đạt: 95% (số liệu công bố); chưa đảm bảo chỉ tiêu Trung ương (phải đạt 100%). Trong đó:" in lines
    assert "+ Cấp tỉnh chỉ đạt: 83,4% (số liệu công bố);" in lines and "+ Cấp xã chỉ đạt: 97,1% (số liệu công bố)." in lines
    assert not any("Chưa tính được" in line for line in lines)
    figure = next(item for item in report.headline().figures if item.label == "Kết quả điện tử")
    assert figure.value == "95% (công bố)"


def test_the_drafted_text_gives_the_published_figure_beside_a_differing_one(report: MonthlyReport):
    lines = _drafted(report)
    assert "- Tỷ lệ bình quân chung của cả tỉnh đạt: 78,8% (số liệu đã công bố: 71,2%); đảm bảo chỉ tiêu được giao. Trong đó:" in lines
    assert not any("điểm %" in line for line in lines)


def test_the_word_report_carries_the_published_figures_too(report: MonthlyReport, tmp_path: Path):
    docx = tmp_path / "report.docx"
    write_monthly_documents(report, docx, tmp_path / "report.xlsx")
    text = "\n".join(paragraph.text for paragraph in Document(str(docx)).paragraphs)
    assert "Tỷ lệ bình quân chung của cả tỉnh đạt: 95% (số liệu công bố)" in text
    assert "Chưa tính được" not in text


def _units(*rows: dict) -> pd.DataFrame:
    base = {column: pd.NA for column in figures.UNIT_COLUMNS}
    return pd.DataFrame([{**base, "level": "cap_xa", "indicator": "online_payment", "rate_source": "recomputed", **row} for row in rows])


def _mover(name: str, before: tuple[int, int], after: tuple[int, int]) -> dict:
    rate, previous = after[0] / after[1], before[0] / before[1]
    return {
        "unit_id": name, "unit_name": name, "numerator": after[0], "denominator": after[1], "rate": rate,
        "previous_numerator": before[0], "previous_denominator": before[1], "previous_rate": previous, "delta_pp": (rate - previous) * 100,
    }


def test_movers_need_a_minimum_volume_in_both_months(context: Context):
    minimum = context.catalogue.setting("movers_min_denominator")
    assert minimum >= 5
    units = _units(_mover("tiny", (0, 4), (1, 2)), _mover("large", (400, 1000), (450, 1000)), _mover("shrunk", (40, 1000), (2, 3)))
    rises, falls = figures.movers(units, 2.0, 5, min_denominator=minimum)
    assert list(rises["unit_name"]) == ["large"] and falls.empty
    everyone, _ = figures.movers(units, 2.0, 5)
    assert list(everyone["unit_name"]) == ["shrunk", "tiny", "large"]  # without a minimum, 0/4 → 1/2 leads


def test_the_movers_table_shows_counts_beside_rates(context: Context):
    rises, falls = figures.movers(_units(_mover("large", (400, 1000), (450, 1000))), 2.0, 5)
    row = [cell.text for cell in tables.movers_table(rises, falls, context.catalogue, "vi").rows[0]]
    assert row[2:5] == ["40% (400/1.000)", "45% (450/1.000)", "+5"]


def test_units_carry_last_months_counts(multi_month_data: Path):
    report = open_report(multi_month_data, PROVINCE, "2024-03")
    units = report.month.units
    unit = units[(units["unit_id"] == "bd.tu_phap") & (units["indicator"] == "reuse")].iloc[0]
    before = report.analysis.results.units
    february = before[(before["period"] == BUNDLED_MONTH) & (before["unit_id"] == "bd.tu_phap") & (before["indicator"] == "reuse")].iloc[0]
    assert (unit["previous_numerator"], unit["previous_denominator"]) == (february["numerator"], february["denominator"])


@pytest.fixture(scope="module")
def impossible(tmp_path_factory: pytest.TempPathFactory, bundled_data: Path) -> tuple[MonthlyReport, MonthlyReport, pd.Series, pd.Series]:
    """The bundled month with two impossible online-dossier rows: a provincial department's
    numerator a hundred times its denominator, and a commune level's numerator negative."""
    data_dir = tmp_path_factory.mktemp("impossible") / "data"
    copy_bundled(data_dir)
    context = Context.load(data_dir)
    (month,) = discover_months(context.workspace, [PROVINCE], [BUNDLED_MONTH])
    tidy = read_month(context.workspace, context.catalogue, context.registry, month)
    dossiers = tidy[(tidy["row_kind"] == "unit") & (tidy["indicator"] == "online_dossiers") & (tidy["denominator"] > 0)]
    too_many = dossiers[dossiers["level"] == "cap_tinh"].iloc[0]
    negative = dossiers[dossiers["level"] == "cap_xa"].iloc[0]
    workbook_path = month.directory / Path(str(too_many["source_file"])).name
    workbook = load_workbook(workbook_path)
    workbook[too_many["source_sheet"]][too_many["numerator_cell"]] = int(too_many["denominator"]) * 100
    workbook[negative["source_sheet"]][negative["numerator_cell"]] = -3
    workbook.save(workbook_path)
    ingest(data_dir)
    return open_report(bundled_data, PROVINCE, BUNDLED_MONTH), open_report(data_dir, PROVINCE, BUNDLED_MONTH), too_many, negative


def test_impossible_rows_are_flagged_and_left_out_of_the_pooled_figures(impossible):
    clean, report, too_many, negative = impossible
    checks = report.analysis.month_checks
    assert too_many["unit_id"] in set(checks.loc[checks["check"] == "numerator_exceeds_denominator", "unit_id"])
    assert negative["unit_id"] in set(checks.loc[checks["check"] == "negative_count", "unit_id"])
    before = figures.scopes_of(clean.month.aggregates)
    after = figures.scopes_of(report.month.aggregates)
    whole, whole_before = after[("online_dossiers", WHOLE_PROVINCE)], before[("online_dossiers", WHOLE_PROVINCE)]
    left_out = too_many["numerator"] + negative["numerator"], too_many["denominator"] + negative["denominator"]
    assert (whole["numerator"], whole["denominator"]) == (whole_before["numerator"] - left_out[0], whole_before["denominator"] - left_out[1])
    assert whole["rate"] != whole_before["rate"] and 0 <= whole["rate"] <= 1
    assert whole["impossible_units"] == 2 and after[("online_dossiers", "cap_tinh")]["impossible_units"] == 1
    assert whole_before["impossible_units"] == 0
    units = report.month.units.set_index(["unit_id", "indicator"])
    assert pd.isna(units.loc[(too_many["unit_id"], "online_dossiers"), "rate"])  # neither ranked first nor "met"
    assert pd.isna(units.loc[(too_many["unit_id"], "online_dossiers"), "rank"])


def test_the_summary_says_at_the_figure_that_rows_were_left_out(impossible):
    _, report, _, _ = impossible
    m = messages("vi")
    whole = figures.scopes_of(report.month.aggregates)[("online_dossiers", WHOLE_PROVINCE)]
    cell = _summary_cells(report)[report.context.catalogue.indicator("online_dossiers").short("vi")][1]
    assert _shown(cell) == f"{m.percent(whole['rate'])}*"
    assert "2 đơn vị bị loại khỏi số liệu tổng hợp do số liệu không hợp lệ" in _note(cell)
    assert f"- Tỷ lệ bình quân chung của cả tỉnh đạt: {m.percent(whole['rate'])} (không tính 02 đơn vị có số liệu không hợp lệ)" in "\n".join(_drafted(report))


def test_the_key_figures_count_units_not_unit_indicator_pairs(report: MonthlyReport):
    units = report.month.units
    below = units[units["status"] == "below"]
    # The label is words alone (the index heads a column with it); the numbers are the value and its detail.
    figure = next(item for item in report.headline().figures if item.label == "Đơn vị chưa đạt ít nhất một chỉ tiêu được giao")
    assert len(below) > units["unit_id"].nunique()  # 105 pairs in a 40-unit province
    assert figure.value == str(below["unit_id"].nunique()) and figure.detail == f"trong số {units['unit_id'].nunique()} đơn vị"
    assert not any(character.isdigit() for item in report.headline().figures for character in item.label)
    assert "lượt" not in str(report.header())


def test_the_console_summary_prints_each_figure_as_the_report_shows_it(report: MonthlyReport):
    table = summary_table(report.month.aggregates, report.context.catalogue, "vi").set_index("Chỉ tiêu")
    e_result = table.loc[report.context.catalogue.indicator("e_result").name("vi")]
    assert e_result["Toàn tỉnh"] == "95% (công bố)" and e_result["Cấp xã"] == "97,1% (công bố)"
    assert table.loc[report.context.catalogue.indicator("online_payment").name("vi"), "Toàn tỉnh"] == "78,8% · công bố 71,2%"
