"""The drafted text and the report's tables: the engine's figures in the seeds' words and formats."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from report_data import BUNDLED_MONTH, LATER_MONTHS, MARKUP_NAME, PROVINCE

from helpers.catalogue import WHOLE_PROVINCE
from helpers.context import Context
from helpers.analysis.monthly.month import analyse_month
from helpers.numbers import format_number, format_percent
from helpers.periods import month_label
from helpers.report import checks_view
from helpers.report.monthly import figures, tables
from helpers.report.monthly.page import open_report
from helpers.report.monthly.drafted import DraftInputs, count_text, draft
from helpers.report.toolkit import Cell, table


def _inputs(context: Context, province: str, period: str) -> tuple[DraftInputs, object]:
    analysis = analyse_month(context, province, period)
    month = analysis.month
    inputs = DraftInputs(
        aggregates=month.aggregates,
        laggards=figures.laggards(month.units),
        catalogue=context.catalogue,
        period=period,
        previous_period=LATER_MONTHS[0] if period == LATER_MONTHS[1] else None,
        low_threshold=context.catalogue.setting("low_rate_threshold_pct") / 100,
        names_shown=5,
    )
    return inputs, analysis


@pytest.fixture(scope="module")
def bundled(bundled_data):
    context = Context.load(bundled_data)
    inputs, analysis = _inputs(context, PROVINCE, BUNDLED_MONTH)
    return context, inputs, analysis, [line.text for line in draft(inputs, "vi").lines]


def _whole(analysis, indicator: str) -> pd.Series:
    aggregates = analysis.month.aggregates
    return aggregates[(aggregates["indicator"] == indicator) & (aggregates["level"] == WHOLE_PROVINCE)].iloc[0]


def test_draft_states_each_target_with_its_legal_source(bundled):
    context, _, _, lines = bundled
    targets = context.catalogue.targets
    source = targets[(targets["indicator"] == "online_dossiers") & (targets["tier"] == "central")]["source_vi"].iloc[0]
    assert f"- Chỉ tiêu do Trung ương quy định tại {source} là 50%, UBND tỉnh giao thấp nhất 60%." in lines
    # e-results: the provincial floor equals the central target, so it is not repeated (seed 000, d).
    assert "- Chỉ tiêu do Trung ương quy định tại Nghị quyết số 02/NQ-CP ngày 05/01/2024 của Chính phủ là 100%." in lines


def test_draft_gives_the_province_and_each_level_in_seed_style(bundled):
    _, _, analysis, lines = bundled
    rate = format_percent(_whole(analysis, "online_dossiers")["rate"])
    assert f"- Tỷ lệ bình quân chung của cả tỉnh đạt: {rate}; đảm bảo chỉ tiêu được giao. Trong đó:" in lines
    aggregates = analysis.month.aggregates
    district = aggregates[(aggregates["indicator"] == "online_payment") & (aggregates["level"] == "cap_huyen")].iloc[0]
    assert f"+ Cấp huyện chỉ đạt: {format_percent(district['rate'])};" in lines  # below the provincial 55%
    reuse = format_percent(_whole(analysis, "reuse")["rate"])
    assert f"- Tỷ lệ bình quân chung của cả tỉnh đạt: {reuse} (số liệu đã công bố: 19,3%); chưa đảm bảo chỉ tiêu Trung ương (phải đạt 50%). Trong đó:" in lines


def test_draft_counts_units_below_target_and_under_the_low_threshold(bundled):
    _, inputs, _, lines = bundled
    below = inputs.laggards["online_payment"]
    under = [rate for rate in below["rate"] if figures.is_under(rate, 0.5)]
    sentence = next(line for line in lines if line.startswith("- Có ") and below.iloc[0]["unit_name"] in line)
    assert sentence.startswith(f"- Có {count_text(len(below), 'vi')} đơn vị chưa đạt chỉ tiêu được giao, gồm: cấp huyện có {count_text(len(below), 'vi')} đơn vị")
    assert f"trong đó {count_text(len(under), 'vi')} đơn vị đạt tỷ lệ dưới 50%" in sentence
    assert f"và {count_text(len(below) - 5, 'vi')} đơn vị khác" in sentence


def test_draft_without_a_pooled_or_published_rate_points_to_the_units(bundled):
    _, inputs, _, _ = bundled
    unpublished = replace(inputs, aggregates=inputs.aggregates.assign(published_rate=float("nan")))
    lines = [line.text for line in draft(unpublished, "vi").lines]
    sentence = "- Kết quả của từng đơn vị theo tỷ lệ đơn vị tự báo cáo (Phụ lục đính kèm); bảng số liệu không có mẫu số (số hồ sơ đã cấp kết quả) để tổng hợp tỷ lệ chung của cả tỉnh."
    assert sentence in lines
    assert not any("Chưa tính được" in line for line in lines)  # no official report can carry it


def test_draft_leaves_a_marked_place_for_causes_and_recommendations(bundled):
    _, inputs, _, _ = bundled
    lines = draft(inputs, "vi").lines
    assert lines[-1].kind == "placeholder"
    assert (lines[-2].kind, lines[-2].text) == ("heading", "2. Nguyên nhân, đề xuất, kiến nghị")


def test_draft_without_a_previous_month_has_no_change(bundled):
    _, _, _, lines = bundled
    assert not any("so với tháng" in line or "+0" in line for line in lines)


def test_draft_gives_the_change_since_last_month(multi_month_data):
    context = Context.load(multi_month_data)
    inputs, analysis = _inputs(context, PROVINCE, LATER_MONTHS[1])
    whole = _whole(analysis, "online_payment")
    change = f"tăng {format_number(abs(whole['delta_pp']), 1)} điểm phần trăm so với {month_label(LATER_MONTHS[0])}"
    lines = [line.text for line in draft(inputs, "vi").lines]
    assert any(change in text for text in lines)
    provincial_payments = [text for text in lines if text.startswith("+ Cấp tỉnh: không phát sinh")]
    assert provincial_payments, "a level whose denominator is 0 reads 'không phát sinh'"


def test_draft_in_english(bundled):
    _, inputs, analysis, _ = bundled
    lines = [line.text for line in draft(inputs, "en").lines]
    assert f"- The province's pooled rate is {format_percent(_whole(analysis, 'online_dossiers')['rate'], language='en')}, meeting its targets. By level:" in lines
    assert lines[-1].startswith("[For the analyst")


def test_a_table_escapes_every_cell_and_header():
    html = str(table("t", ["<th>"], [[Cell("<script>alert(1)</script>", 'x" onclick="y')], ['a & "b"']]).html())
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert [cell.get_text() for cell in soup.find_all("td")] == ["<script>alert(1)</script>", 'a & "b"']
    assert soup.find("th").get_text() == "<th>"
    assert soup.find("td").get("onclick") is None


def test_summary_table_shows_the_engines_rates_with_their_assessment(bundled):
    context, _, analysis, _ = bundled
    soup = BeautifulSoup(str(tables.summary_table(analysis.month.aggregates, context.catalogue, "vi").html()), "html.parser")
    rows = {row.find("td").get_text(): row.find_all("td") for row in soup.select("tbody tr")}
    reuse = rows[context.catalogue.indicator("reuse").short("vi")]
    assert reuse[1].find("summary").get_text() == f"{format_percent(_whole(analysis, 'reuse')['rate'])} · công bố 19,3%"
    assert "bad" in reuse[1]["class"] and reuse[-1].get_text() == "Chưa đạt chỉ tiêu TW"
    assert reuse[2].get_text() == "chưa có kỳ so sánh"
    e_result = rows[context.catalogue.indicator("e_result").short("vi")]
    assert e_result[1].find("summary").get_text() == "95% (công bố)" and e_result[-1].get_text() == "Chưa đạt chỉ tiêu TW"


def test_appendix_marks_units_below_target_and_nothing_arisen(bundled):
    context, _, analysis, _ = bundled
    units = analysis.month.units
    order = figures.unit_order(units, context.catalogue)
    soup = BeautifulSoup(str(tables.appendix_table(units, order, "cap_tinh", context.catalogue, "vi").html()), "html.parser")
    marked = soup.select("td.below")
    level = units[units["level"] == "cap_tinh"]
    assert len(marked) == (level["status"] == "below").sum()
    assert all(cell.get_text().startswith("▼ ") for cell in marked)
    assert len(soup.select("td.not-arisen")) == (level["status"] == "not_arisen").sum()
    assert all(cell.get_text() == "không phát sinh" for cell in soup.select("td.not-arisen"))
    assert len(soup.select("tbody tr")) == level["unit_id"].nunique()


def test_tables_show_a_markup_unit_name_as_text(multi_month_data):
    context = Context.load(multi_month_data)
    units = analyse_month(context, PROVINCE, LATER_MONTHS[1]).month.units
    html = str(tables.appendix_table(units, figures.unit_order(units, context.catalogue), "cap_tinh", context.catalogue, "vi").html())
    assert "<script>" not in html
    assert MARKUP_NAME in [cell.get_text() for cell in BeautifulSoup(html, "html.parser").find_all("td")]


def test_checks_table_speaks_the_report_language(bundled):
    context, _, analysis, _ = bundled
    checks = analysis.month_checks
    for language in ("vi", "en"):
        soup = BeautifulSoup(str(checks_view.checks_table(checks, context.catalogue, language).html()), "html.parser")
        messages = list(checks_view.describe_checks(checks, context.catalogue, language)["message"])
        assert [cell.get_text() for cell in soup.select("td.message")] == messages and messages


def test_monthly_page_numbers_its_sections_in_order(bundled_data):
    report = open_report(bundled_data, PROVINCE, BUNDLED_MONTH)
    cells = [report.summary(), report.drafted_text(), report.laggards(), report.attainment(), report.movers(),
             report.trends(), report.data_checks(), report.appendix()]
    headings = [BeautifulSoup(str(cell), "html.parser").find("h2") for cell in cells]
    assert [heading["id"] for heading in headings] == ["summary", "draft", "laggards", "attainment", "movers", "trends", "checks", "appendix"]
    assert [heading.get_text().split(". ", 1)[0] for heading in headings] == [str(number) for number in range(1, len(cells) + 1)]
    assert headings[0].get_text() == "1. Tóm tắt"
    assert BeautifulSoup(str(report.summary()), "html.parser").find("h2").get_text() == "1. Tóm tắt"  # shown again: same number


def test_markup_in_a_unit_name_is_text_in_the_draft_and_the_tables(bundled):
    context, inputs, analysis, _ = bundled
    name = "<script>x</script>"
    laggards = {indicator: below.assign(unit_name=[name, *below["unit_name"].iloc[1:]]) for indicator, below in inputs.laggards.items()}
    units = analysis.month.units
    first = units.loc[units["level"] == "cap_tinh", "unit_id"].iloc[0]
    units = units.assign(unit_name=units["unit_name"].where(units["unit_id"] != first, name))
    pages = [
        draft(replace(inputs, laggards=laggards), "vi").html(),
        tables.laggard_table(laggards, context.catalogue, "vi", 5).html(),
        tables.appendix_table(units, figures.unit_order(units, context.catalogue), "cap_tinh", context.catalogue, "vi").html(),
    ]
    for html in map(str, pages):
        assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
        assert name in BeautifulSoup(html, "html.parser").get_text()
