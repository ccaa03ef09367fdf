"""The indicator engine on small hand-made tables: every rule of DOMAIN.md's aggregation."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.catalogue import Catalogue
from helpers.analysis.monthly.engine import evaluate
from helpers.paths import DEFAULT_DATA_DIR
from helpers.tidy import conform


def tidy(*rows: tuple) -> pd.DataFrame:
    """Rows of (period, unit_id, indicator, numerator, denominator[, assigned_target[, reported_rate]])."""
    records = []
    for row in rows:
        period, unit_id, indicator, numerator, denominator, *rest = row
        records.append(
            {
                "period": period, "province": "binh_dinh", "level": "cap_tinh", "unit_id": unit_id, "unit_name": unit_id,
                "row_kind": "unit", "indicator": indicator, "numerator": numerator, "denominator": denominator,
                "assigned_target": rest[0] if rest else None, "reported_rate": rest[1] if len(rest) > 1 else None,
            }
        )
    return conform(pd.DataFrame(records))


def unit(results, unit_id: str, period: str = "2024-02", indicator: str = "online_dossiers") -> pd.Series:
    units = results.units
    return units[(units["unit_id"] == unit_id) & (units["period"] == period) & (units["indicator"] == indicator)].iloc[0]


def scope(results, level: str, period: str = "2024-02", indicator: str = "online_dossiers") -> pd.Series:
    frame = results.aggregates
    return frame[(frame["level"] == level) & (frame["period"] == period) & (frame["indicator"] == indicator)].iloc[0]


def test_pools_counts_and_treats_zero_denominators_as_nothing_arisen(context) -> None:
    results = evaluate(tidy(("2024-02", "a", "online_dossiers", 1, 1), ("2024-02", "b", "online_dossiers", 0, 99), ("2024-02", "c", "online_dossiers", 0, 0)), context.catalogue)
    assert scope(results, "cap_tinh")["rate"] == pytest.approx(0.01)  # Σ1 / Σ100, not the mean of 100% and 0%
    assert scope(results, "toan_tinh")["rate"] == pytest.approx(0.01)
    nothing = unit(results, "c")
    assert nothing["status"] == "not_arisen" and pd.isna(nothing["rate"]) and pd.isna(nothing["rank"])
    assert (unit(results, "a")["rank"], unit(results, "b")["rank"], unit(results, "a")["ranked_units"]) == (1, 2, 2)
    assert scope(results, "cap_tinh")["units_not_arisen"] == 1


def test_ties_share_the_best_rank(context) -> None:
    rows = [("2024-02", name, "online_dossiers", numerator, 10) for name, numerator in (("a", 10), ("b", 10), ("c", 7))]
    results = evaluate(tidy(*rows), context.catalogue)
    assert [unit(results, name)["rank"] for name in "abc"] == [1, 1, 3]


def test_gap_in_dossiers_survives_float_rounding(context) -> None:
    # 0.6 × 45 is 27.000000000000004 in floating point; 27 online dossiers reach 60%.
    results = evaluate(tidy(("2024-02", "a", "online_dossiers", 20, 45, 0.6)), context.catalogue)
    row = unit(results, "a")
    assert row["status"] == "below"
    assert row["gap_count"] == 7
    assert row["gap_pp"] == pytest.approx((0.6 - 20 / 45) * 100)


def test_the_three_target_tiers(context) -> None:
    results = evaluate(tidy(("2024-02", "a", "online_dossiers", 55, 100, 0.7), ("2024-02", "b", "online_dossiers", 55, 100)), context.catalogue)
    assigned = unit(results, "a")
    assert (assigned["target"], assigned["target_tier"], assigned["status"]) == (0.7, "assigned", "below")
    assert assigned["central_target"] == pytest.approx(0.5) and assigned["provincial_target"] == pytest.approx(0.6)
    assert bool(assigned["met_central"]) and not bool(assigned["met_provincial"])
    fallback = unit(results, "b")
    assert (fallback["target"], fallback["target_tier"]) == (0.6, "provincial")


@pytest.mark.parametrize("assigned", [0.09, 10.0])
def test_an_assigned_target_below_the_floor_or_impossible_gives_way_to_the_floor(context, assigned: float) -> None:
    results = evaluate(tidy(("2024-02", "a", "online_dossiers", 50, 100, assigned)), context.catalogue)
    row = unit(results, "a")
    assert (row["target"], row["target_tier"], row["status"]) == (0.6, "floor", "below")


def test_a_table_without_denominator_falls_back_on_the_reported_rate(context) -> None:
    results = evaluate(tidy(("2024-02", "a", "e_result", 120, None, 1.0, 0.95)), context.catalogue)
    row = unit(results, "a", indicator="e_result")
    assert (row["rate"], row["rate_source"], row["status"]) == (0.95, "reported", "below")
    assert pd.isna(row["gap_count"])
    assert pd.isna(scope(results, "cap_tinh", indicator="e_result")["rate"])


def test_month_over_month_changes_and_rank_moves(context) -> None:
    rows = [
        ("2024-01", "a", "online_dossiers", 50, 100), ("2024-01", "b", "online_dossiers", 70, 100),
        ("2024-02", "a", "online_dossiers", 80, 100), ("2024-02", "b", "online_dossiers", 60, 100),
    ]
    results = evaluate(tidy(*rows), context.catalogue)
    a_now = unit(results, "a")
    assert a_now["delta_pp"] == pytest.approx(30) and a_now["rank_change"] == 1
    assert unit(results, "b")["rank_change"] == -1
    assert scope(results, "toan_tinh")["delta_pp"] == pytest.approx(10)
    first = unit(results, "a", "2024-01")
    assert pd.isna(first["delta_pp"]) and pd.isna(first["rank_change"])


def test_no_comparison_across_a_missing_month_or_from_nothing_arisen(context) -> None:
    rows = [
        ("2024-01", "a", "online_dossiers", 50, 100), ("2024-03", "a", "online_dossiers", 80, 100),
        ("2024-01", "b", "online_dossiers", 0, 0), ("2024-02", "b", "online_dossiers", 5, 10),
    ]
    results = evaluate(tidy(*rows), context.catalogue)
    assert pd.isna(unit(results, "a", "2024-03")["delta_pp"])
    assert pd.isna(unit(results, "b", "2024-02")["delta_pp"])


def test_lower_is_better_indicators_invert_gaps_and_ranks(tmp_path: Path) -> None:
    directory = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_DATA_DIR / "catalogue", directory)
    indicators = pd.read_csv(directory / "indicators.csv", dtype=str)
    indicators.loc[indicators["indicator"] == "online_dossiers", "direction"] = "lower"
    indicators.to_csv(directory / "indicators.csv", index=False)
    catalogue = Catalogue(directory)
    results = evaluate(tidy(("2024-02", "a", "online_dossiers", 70, 100, 0.6), ("2024-02", "b", "online_dossiers", 50, 100, 0.6)), catalogue)
    worse, better = unit(results, "a"), unit(results, "b")
    assert (worse["status"], worse["gap_count"], worse["rank"]) == ("below", 10, 2)
    assert (better["status"], better["rank"]) == ("met", 1)


def test_published_totals_among_the_rows_do_not_disturb_unit_figures(context) -> None:
    units = tidy(("2024-02", "a", "online_dossiers", 20, 45, 0.6), ("2024-02", "b", "online_dossiers", 45, 45, 0.6))
    total = units.iloc[[0]].assign(row_kind="total", unit_id=pd.NA, level="toan_tinh", reported_rate=0.5)
    results = evaluate(conform(pd.concat([total, units])), context.catalogue)
    assert (unit(results, "a")["gap_count"], unit(results, "b")["gap_count"]) == (7, 0)
    assert results.published["published_rate"].tolist() == [0.5]
