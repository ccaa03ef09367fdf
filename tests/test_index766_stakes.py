"""Points at stake, dossiers needed, and the province's levers (hand-computed small cases)."""

from __future__ import annotations

import pandas as pd

from helpers.analysis.index766.scoring import score
from helpers.rules766 import Index766Rules
from helpers.tidy766 import conform766
from helpers.analysis.index766.national import levers_to_close
from helpers.analysis.index766.stakes import indicator_stakes, lever_coverage, province_levers
from helpers.report.index766.phrases import needed_text

SETTINGS = {"index766_points_tolerance": 0.01, "red_below_share_of_max": 0.5, "amber_below_share_of_max": 0.7}
SNAPSHOT = {"province": "gia_lai", "period_kind": "year_to_date", "period": "2026", "snapshot_date": "2026-10-10"}


def _rows(rows: list[tuple[str, str, str, int, int]]) -> pd.DataFrame:
    """(level, unit_id, indicator, numerator, denominator) → a 766 table of sub-indicator counts."""
    return conform766(pd.DataFrame([
        {**SNAPSHOT, "level": level, "unit_id": unit_id, "unit_name": unit_id, "measure": "indicator", "indicator": indicator, "numerator": numerator, "denominator": denominator}
        for level, unit_id, indicator, numerator, denominator in rows
    ]))


def test_dossiers_needed_avoid_float_rounding(rules: Index766Rules) -> None:
    # 0,9 × 10 is 9.000000000000002 in floating point: ceil would ask for 2 more, not 1.
    # 0,8 × 81 = 64,8 → 65 − 53 = 12 (Hà Nội's full-process services).
    tidy = _rows([("cap_xa", "a", "DOSSIER_RECEIVING_SATISFACTION", 8, 10), ("cap_xa", "a", "FULL", 53, 81)])
    stakes = indicator_stakes(score(tidy, rules, SETTINGS)).set_index("indicator")
    assert stakes.loc["DOSSIER_RECEIVING_SATISFACTION", "gap_count"] == 1
    assert stakes.loc["DOSSIER_RECEIVING_SATISFACTION", "lost_points"] == 0.67  # 6 − 6 × 0,8/0,9 = 0,666…
    assert stakes.loc["FULL", "gap_count"] == 12
    assert needed_text(stakes.loc["FULL", "gap_count"], rules.rules["FULL"], "vi") == "12 DVC toàn trình"


def test_levers_use_each_units_share_of_the_provinces_denominator(rules: Index766Rules) -> None:
    # The province pays 600 of 1.000 dossiers online (6 × 0,6 = 3,6 points). Unit A holds 800
    # dossiers, 500 paid online: reaching 100% adds 300 → 900/1.000 = 5,4 points (+1,8).
    # Unit B holds 200 dossiers, 100 paid: +100 → 700/1.000 = 4,2 points (+0,6).
    tidy = _rows([
        ("toan_tinh", "gia_lai", "PAY_DOSSIERS", 600, 1000),
        ("cap_tinh", "a", "PAY_DOSSIERS", 500, 800),
        ("cap_xa", "b", "PAY_DOSSIERS", 100, 200),
    ])
    levers = province_levers(score(tidy, rules, SETTINGS), rules)
    assert list(levers["unit_id"]) == ["a", "b"]
    assert list(levers["share_of_province"]) == [0.8, 0.2]
    assert list(levers["gap_count"]) == [300, 100]
    assert list(levers["province_points"]) == [3.6, 3.6]
    assert list(levers["province_gain"]) == [1.8, 0.6]
    assert set(levers["province_counts"]) == {"province"}


def test_levers_pool_the_units_when_the_province_has_no_counts(rules: Index766Rules) -> None:
    tidy = _rows([("cap_tinh", "a", "PAY_DOSSIERS", 500, 800), ("cap_xa", "b", "PAY_DOSSIERS", 100, 200)])
    levers = province_levers(score(tidy, rules, SETTINGS), rules).set_index("unit_id")
    assert set(levers["province_counts"]) == {"pooled_units"}
    assert levers.loc["a", "province_gain"] == 1.8  # 600/1.000 → 900/1.000, as above


def _totals(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    """(level, unit_id, points) → total rows, as a unit list gives them (no sub-indicators)."""
    return conform766(pd.DataFrame([
        {**SNAPSHOT, "level": level, "unit_id": unit_id, "unit_name": unit_id, "measure": "total", "points": points, "max_points": 100.0}
        for level, unit_id, points in rows
    ]))


def test_levers_pool_every_unit_departments_and_communes(rules: Index766Rules) -> None:
    # No province counts: the pool is every unit's, 500/800 + 100/200 + 50/100 = 650/1.100,
    # 6 × 650/1.100 = 3,545… → 3,55 points. Reaching 100%: department a +300 → 950/1.100 =
    # 5,18 (+1,63); commune b +100 → 750/1.100 = 4,09 (+0,54); commune c +50 → 700/1.100 = 3,82 (+0,27).
    tidy = pd.concat([
        _rows([("cap_tinh", "a", "PAY_DOSSIERS", 500, 800), ("cap_xa", "b", "PAY_DOSSIERS", 100, 200), ("cap_xa", "c", "PAY_DOSSIERS", 50, 100)]),
        _totals([("cap_tinh", "a", 60.0), ("cap_xa", "b", 55.0), ("cap_xa", "c", 50.0)]),
    ], ignore_index=True)
    scores = score(tidy, rules, SETTINGS)
    levers = province_levers(scores, rules)
    assert list(levers["unit_id"]) == ["a", "b", "c"] and list(levers["level"]) == ["cap_tinh", "cap_xa", "cap_xa"]
    assert set(levers["province_counts"]) == {"pooled_units"}
    assert list(levers["province_points"]) == [3.55, 3.55, 3.55]
    assert list(levers["province_points_if_met"]) == [5.18, 4.09, 3.82]
    assert list(levers["province_gain"]) == [1.63, 0.54, 0.27]
    assert [round(share, 4) for share in levers["share_of_province"]] == [0.7273, 0.1818, 0.0909]
    # The fewest improvements closing a gap of 2 points: the department's and then a commune's.
    assert list(levers_to_close(levers, 2.0)["unit_id"]) == ["a", "b"]
    assert lever_coverage(scores) == {"units": 3, "counted": 3, "province": 0}


def test_no_lever_when_only_some_units_have_counts(rules: Index766Rules) -> None:
    # Department a has counts, commune b only its total (a unit list): 500/800 is not the
    # province's pool, and a's 100% share of it would be an invented weight.
    tidy = pd.concat([_rows([("cap_tinh", "a", "PAY_DOSSIERS", 500, 800)]), _totals([("cap_tinh", "a", 60.0), ("cap_xa", "b", 55.0)])], ignore_index=True)
    scores = score(tidy, rules, SETTINGS)
    assert province_levers(scores, rules).empty
    assert lever_coverage(scores) == {"units": 2, "counted": 1, "province": 0}
    # With the province's own counts the unit's share is known again: 500 + 300 of 2.000.
    with_province = pd.concat([tidy, _rows([("toan_tinh", "gia_lai", "PAY_DOSSIERS", 1200, 2000)])], ignore_index=True)
    levers = province_levers(score(with_province, rules, SETTINGS), rules)
    assert list(levers["unit_id"]) == ["a"] and list(levers["share_of_province"]) == [0.4]
    assert list(levers["province_gain"]) == [0.9]  # 6 × 1.200/2.000 = 3,6 → 6 × 1.500/2.000 = 4,5
