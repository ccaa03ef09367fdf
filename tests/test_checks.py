"""Each data check on a small table built to trigger it (real unit ids, so the registry knows them)."""

import pandas as pd
import pytest

from helpers.analysis.monthly.checks import run_checks, summary_counts
from helpers.analysis.monthly.engine import evaluate
from helpers.tidy import conform

PERIOD = "2024-02"


def row(unit_id: str, indicator: str = "online_dossiers", numerator=50, denominator=100, reported=None, target=None, period=PERIOD, **extra) -> dict:
    return {
        "period": period, "province": "binh_dinh", "level": "cap_tinh", "unit_id": unit_id, "unit_name": unit_id, "row_kind": "unit",
        "indicator": indicator, "numerator": numerator, "denominator": denominator, "reported_rate": reported, "assigned_target": target,
        "source_file": "data/raw/binh_dinh/2024-02/bang.xlsx", "source_sheet": "PL1", "source_row": 9, "numerator_cell": "E9",
        "denominator_cell": "C9", "rate_cell": "F9", "target_cell": "D9", **extra,
    }


def checks_for(context, *rows: dict) -> pd.DataFrame:
    tidy = conform(pd.DataFrame(list(rows)))
    results = evaluate(tidy, context.catalogue)
    return run_checks(tidy, results, context.catalogue, context.registry)


def only(checks: pd.DataFrame, code: str) -> pd.DataFrame:
    return checks[checks["check"] == code]


def test_numerator_above_denominator(context) -> None:
    found = only(checks_for(context, row("bd.y_te", numerator=120, denominator=100)), "numerator_exceeds_denominator")
    assert len(found) == 1 and found.iloc[0]["severity"] == "error"
    assert found.iloc[0]["location"] == "bang.xlsx › PL1 › E9" and "120/100" in found.iloc[0]["message_vi"]


def test_negative_count(context) -> None:
    found = only(checks_for(context, row("bd.y_te", numerator=-3)), "negative_count")
    assert found.iloc[0]["found"] == "-3" and found.iloc[0]["location"].endswith("E9")


def test_impossible_reported_rate(context) -> None:
    found = only(checks_for(context, row("bd.y_te", reported=10.0)), "impossible_rate")
    assert found.iloc[0]["found"] == "1.000%" and found.iloc[0]["location"].endswith("F9")


def test_reported_rate_tolerance_follows_its_decimals(context) -> None:
    checks = checks_for(
        context,
        row("bd.y_te", numerator=5987, denominator=10000, reported=0.60),  # 59,87% written 60%: rounding
        row("bd.tu_phap", numerator=5987, denominator=10000, reported=0.597),  # written 59,7%: 0,17 point off
        row("bd.xay_dung", numerator=5987, denominator=10000, reported=0.61),
    )
    assert set(only(checks, "rate_mismatch")["unit_id"]) == {"bd.tu_phap", "bd.xay_dung"}


def test_blank_counts_are_flagged_as_left_out(context) -> None:
    found = only(checks_for(context, row("bd.y_te", numerator=None)), "blank_count")
    assert "không được tính vào tỷ lệ chung" in found.iloc[0]["message_vi"]


def test_unreadable_rate_is_reported(context) -> None:
    found = only(checks_for(context, row("bd.y_te", parse_notes="reported_rate@F9='9O%'")), "unreadable_value")
    assert found.iloc[0]["found"] == "'9O%'" and found.iloc[0]["location"].endswith("F9")


def test_units_missing_or_new_compared_with_last_month(context) -> None:
    checks = checks_for(
        context,
        row("bd.y_te", period="2024-01"), row("bd.tu_phap", period="2024-01"),
        row("bd.y_te"), row("bd.xay_dung"),
    )
    february = checks[checks["period"] == PERIOD]
    missing = only(february, "unit_missing")
    assert "có trong số liệu tháng trước" in missing.loc[missing["unit_id"] == "bd.tu_phap", "message_vi"].iloc[0]
    assert list(only(february, "unit_new")["unit_id"]) == ["bd.xay_dung"]
    # units in the registry that never appear are listed too, once
    assert missing["unit_id"].is_unique and "bd.huyen_an_lao" in set(missing["unit_id"])


def test_level_total_that_disagrees_with_its_units(context) -> None:
    total = row("bd.y_te", numerator=90, denominator=300, reported=0.3) | {"row_kind": "total", "unit_id": None, "unit_name": "Tổng cộng"}
    found = only(checks_for(context, row("bd.y_te"), row("bd.tu_phap"), total), "total_mismatch")
    assert set(found["found"]) == {"90", "300"} and set(found["expected"]) == {"100", "200"}


def test_severity_counts(context) -> None:
    counts = summary_counts(checks_for(context, row("bd.y_te", numerator=120, denominator=100)))
    assert counts["error"] == 1 and set(counts) == {"error", "warning", "info"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_messages_exist_in_both_languages(context, language: str) -> None:
    checks = checks_for(context, row("bd.y_te", numerator=120, denominator=100, reported=0.5))
    assert checks[f"message_{language}"].str.len().gt(0).all()


def test_a_blank_assigned_target_says_which_target_is_used(context) -> None:
    found = only(checks_for(context, row("bd.y_te", target=None)), "target_missing")
    assert found.iloc[0]["severity"] == "info" and found.iloc[0]["location"].endswith("D9")
    assert "mức tỉnh giao thấp nhất 60%" in found.iloc[0]["message_vi"]
