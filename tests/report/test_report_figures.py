"""What the report selects from the engine: laggards, movers, and how rates and changes read."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE

from helpers.context import Context
from helpers.analysis.monthly.month import analyse_month
from helpers.numbers import format_signed
from helpers.report.monthly import figures, tables


@pytest.fixture(scope="module")
def bundled(bundled_data):
    context = Context.load(bundled_data)
    return context, analyse_month(context, PROVINCE, BUNDLED_MONTH)


@pytest.fixture(scope="module")
def last_month(multi_month_data):
    context = Context.load(multi_month_data)
    return context, analyse_month(context, PROVINCE, LATER_MONTHS[-1])


def test_laggards_are_the_engines_units_below_target_furthest_first(bundled):
    _, analysis = bundled
    units = analysis.month.units
    lists = figures.laggards(units)
    below = units[units["status"] == "below"]
    assert set(lists) == set(below["indicator"])
    for indicator, frame in lists.items():
        assert set(frame["unit_id"]) == set(below.loc[below["indicator"] == indicator, "unit_id"])
        assert frame["gap_pp"].is_monotonic_decreasing
        assert (frame["status"] == "below").all()


def test_laggards_follow_the_engine_gap_and_dossiers_needed(bundled):
    _, analysis = bundled
    payment = figures.laggards(analysis.month.units)["online_payment"]
    first = payment.iloc[0]
    # UBND thị xã An Nhơn: 351 of 957 paid online against an assigned 79%.
    assert first["unit_name"] == "UBND thị xã An Nhơn"
    assert first["gap_count"] == math.ceil(0.79 * 957) - 351
    assert first["gap_pp"] == pytest.approx((0.79 - 351 / 957) * 100)


def test_units_under_a_threshold():
    rates = [0.1, 0.5, 0.49, None, float("nan")]
    assert [rate for rate in rates if figures.is_under(rate, 0.5)] == [0.1, 0.49]


def test_movers_rise_and_fall_beyond_the_notable_change(last_month):
    context, analysis = last_month
    units = analysis.month.units
    threshold = context.catalogue.setting("notable_change_pp")
    rises, falls = figures.movers(units, threshold, 3)
    assert len(rises) == 3 and (rises["delta_pp"] >= threshold).all() and rises["delta_pp"].is_monotonic_decreasing
    assert rises.iloc[0]["delta_pp"] == units["delta_pp"].max()
    assert (falls["delta_pp"] <= -threshold).all()
    assert falls.iloc[0]["unit_id"] == "bd.tai_nguyen_va_moi_truong"


def test_no_movers_without_a_previous_month(bundled):
    _, analysis = bundled
    rises, falls = figures.movers(analysis.month.units, 2.0, 5)
    assert rises.empty and falls.empty


def _aggregate(**values: object) -> pd.Series:
    row = {"rate": None, "denominator": None, "counted_units": 3, "previous_rate": None, "delta_pp": None, "met_central": None, "met_provincial": None}
    row.update(values)
    return pd.Series(row, dtype=object)


def test_a_denominator_of_zero_reads_not_arisen_never_zero_or_a_fall():
    row = _aggregate(denominator=0, previous_rate=0.8)
    state = figures.aggregate_state(row)
    assert state == figures.NOT_ARISEN
    assert figures.rate_text(row["rate"], state, "vi") == "không phát sinh"
    assert figures.change_text(row, state, "vi") == "không phát sinh"
    assert figures.rate_text(row["rate"], state, "en") == "nothing arose"


def test_no_previous_month_reads_no_comparison_never_plus_zero():
    row = _aggregate(rate=0.712, denominator=100)
    state = figures.aggregate_state(row)
    assert figures.rate_text(row["rate"], state, "vi") == "71,2%"
    assert figures.change_text(row, state, "vi") == "chưa có kỳ so sánh"
    assert figures.change_text(row, state, "en") == "no comparison yet"


def test_a_change_reads_in_percentage_points_with_its_sign():
    row = _aggregate(rate=0.75, denominator=100, previous_rate=0.702, delta_pp=4.8)
    assert figures.change_text(row, figures.RATE, "vi") == "+4,8 điểm phần trăm"
    row = _aggregate(rate=0.70, denominator=100, previous_rate=0.702, delta_pp=-0.2)
    assert figures.change_text(row, figures.RATE, "en") == f"{format_signed(-0.2, language='en')} pp"


def test_a_scope_without_counts_has_no_rate():
    row = _aggregate(counted_units=0)
    assert figures.aggregate_state(row) == figures.NO_DATA
    assert figures.rate_text(row["rate"], figures.NO_DATA, "vi") == "–"


@pytest.mark.parametrize(
    ("central", "provincial", "expected"),
    [(True, True, "good"), (True, False, "partial"), (False, False, "bad"), (True, None, "good"), (None, None, "good")],
)
def test_target_class_follows_the_engines_met_flags(central, provincial, expected):
    assert figures.target_class(_aggregate(rate=0.5, met_central=central, met_provincial=provincial)) == expected


def test_attainment_grid_keeps_the_appendix_order(bundled):
    context, analysis = bundled
    order, attainment, statuses = figures.attainment_grid(analysis.month.units, context.catalogue)
    assert list(attainment.index) == list(order["unit_id"])
    assert order["level"].iloc[0] == "cap_tinh" and order["level"].iloc[-1] == "cap_xa"
    assert list(attainment.columns) == list(context.catalogue.indicators)
    assert statuses.loc["bd.ngoai_vu", "online_payment"] == "not_arisen" and pd.isna(attainment.loc["bd.ngoai_vu", "online_payment"])


def test_a_phone_reads_the_laggard_chart_as_a_list_of_the_same_units(bundled):
    """The list a phone shows instead of the laggard chart: the chart's units, in its order, with their figures."""
    context, analysis = bundled
    lists = figures.laggards(analysis.month.units)
    page = BeautifulSoup(str(tables.laggard_list(lists, context.catalogue, "vi", 5)), "html.parser")
    headings = [heading.get_text() for heading in page.select(".chart-list-heading")]
    shown = {indicator: frame.head(5) for indicator, frame in lists.items()}
    assert len(headings) == len(shown) and "Thanh toán trực tuyến — 11 đơn vị chưa đạt" in headings
    items = page.select(".chart-list li")
    assert [item.select_one(".name").get_text() for item in items] == [
        name for indicator in context.catalogue.indicators if indicator in shown for name in shown[indicator]["unit_name"]
    ]
    first = next(item for item in items if item.select_one(".name").get_text() == "UBND thị xã An Nhơn")
    assert first.select_one(".figures").get_text() == "36,7% (chỉ tiêu 79%) · thiếu 42,3 điểm % · cần thêm 406 hồ sơ"
    assert first["class"] == ["attainment-0"]  # under half its target: the chart's darkest red


def test_a_phone_reads_the_movers_chart_as_a_list_with_counts(last_month):
    context, analysis = last_month
    rises, falls = figures.movers(analysis.month.units, 2.0, 5, min_denominator=20)
    items = BeautifulSoup(str(tables.movers_list(rises, falls, context.catalogue, "vi")), "html.parser").select(".chart-list li")
    assert len(items) == len(rises) + len(falls) > 0
    assert [item["class"] for item in items] == [["rise"]] * len(rises) + [["fall"]] * len(falls)
    assert all("điểm %:" in item.get_text() and "/" in item.select_one(".figures").get_text() for item in items)  # counts beside each rate
