"""What the report shows, selected from the engine's results (never recomputed here).

Each function takes the engine's ``units`` or ``aggregates`` frame (helpers.engine) and picks,
orders or reshapes rows: laggards, movers, the attainment grid, trends. Rates stay fractions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.numbers import format_percent, format_signed
from helpers.report.labels import label

RATE = "rate"
NOT_ARISEN = "not_arisen"
NO_DATA = "no_data"
# One row of the engine's units or aggregates: a Series from a frame, or a record dict.
Row = pd.Series | Mapping[str, Any]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def aggregate_state(row: Row) -> str:
    """``rate`` when the scope has a pooled rate; ``not_arisen`` when its denominator is 0."""
    if not _missing(row["rate"]):
        return RATE
    if row["counted_units"] > 0 and row["denominator"] == 0:
        return NOT_ARISEN
    return NO_DATA


def unit_state(row: Row) -> str:
    if row["status"] == "not_arisen":
        return NOT_ARISEN
    return RATE if not _missing(row["rate"]) else NO_DATA


def rate_text(rate: float | None, state: str, language: str) -> str:
    """``71,2%``, ``không phát sinh`` or ``–``: a denominator of 0 is never shown as 0%."""
    if state == NOT_ARISEN:
        return label("not_arisen", language)
    if state == NO_DATA or _missing(rate):
        return "–"
    return format_percent(rate, language=language)


def change_text(row: Row, state: str, language: str) -> str:
    """The change in percentage points; "chưa có kỳ so sánh" without a previous month, never "+0"."""
    if state == NOT_ARISEN:
        return label("not_arisen", language)
    if state == NO_DATA:
        return "–"
    if _missing(row["previous_rate"]):
        return label("no_comparison", language)
    return f"{format_signed(row['delta_pp'], language=language)} {label('pp', language)}"


def target_class(row: Row) -> str:
    """CSS class of a rate against both targets, from the engine's met_central / met_provincial."""
    if _missing(row["rate"]):
        return "no-rate"
    central, provincial = flag(row["met_central"]), flag(row["met_provincial"])
    if central is False:
        return "bad"
    if provincial is False:
        return "partial" if central else "bad"
    return "good"


def flag(value: object) -> bool | None:
    """A nullable boolean cell as True, False or None."""
    return None if _missing(value) else bool(value)


def scopes_of(aggregates: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """The month's aggregate rows by (indicator, level): read many times, filtered once."""
    return {(row["indicator"], row["level"]): row for row in aggregates.to_dict("records")}


def whole_province(aggregates: pd.DataFrame) -> pd.DataFrame:
    return aggregates[aggregates["level"] == WHOLE_PROVINCE].set_index("indicator")


def indicators_present(aggregates: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    present = set(aggregates["indicator"])
    return [indicator for indicator in catalogue.indicators if indicator in present]


def levels_present(frame: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    present = set(frame["level"])
    return [level for level in catalogue.levels if level in present]


# The columns the report reads from the engine's unit rows (iterating all ~40 is slow).
UNIT_COLUMNS = [
    "indicator", "level", "unit_id", "unit_name", "numerator", "denominator", "rate", "rate_source", "target", "status",
    "gap_pp", "gap_count", "attainment", "rank", "previous_rate", "delta_pp", "rank_change",
]


def laggards(units: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per indicator, the units below their target (engine status "below"), furthest below first.

    Indicators without a unit below target are absent. Ties in the gap go to the unit that
    needs more dossiers, then by name, so that the order is stable.
    """
    below = units.loc[units["status"] == "below", UNIT_COLUMNS]
    ordered = below.sort_values(["gap_pp", "gap_count", "unit_name"], ascending=[False, False, True], na_position="last", kind="stable")
    return {str(indicator): group.reset_index(drop=True) for indicator, group in ordered.groupby("indicator", sort=False)}


def under(frame: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Rows whose rate is under ``threshold`` (a fraction), for "30 đơn vị đạt tỷ lệ dưới 50%"."""
    return frame[frame["rate"].notna() & (frame["rate"] < threshold - 1e-12)]


def movers(units: pd.DataFrame, threshold_pp: float, limit: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The units whose rate rose most and fell most, by at least ``threshold_pp`` points."""
    changed = units.loc[units["delta_pp"].notna() & (units["delta_pp"].abs() >= threshold_pp - 1e-9), UNIT_COLUMNS]
    rises = changed[changed["delta_pp"] > 0].sort_values(["delta_pp", "unit_name"], ascending=[False, True], kind="stable")
    falls = changed[changed["delta_pp"] < 0].sort_values(["delta_pp", "unit_name"], ascending=[True, True], kind="stable")
    return rises.head(limit).reset_index(drop=True), falls.head(limit).reset_index(drop=True)


def unit_order(units: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """One row per unit (level, unit_id, unit_name) in the order of the official appendix."""
    level_rank = {level: rank for rank, level in enumerate(catalogue.levels)}
    first = units.groupby(["level", "unit_id", "unit_name"], as_index=False, observed=True).agg(source_row=("source_row", "min"))
    first["_level"] = first["level"].map(level_rank)
    ordered = first.sort_values(["_level", "source_row", "unit_name"], kind="stable", na_position="last")
    return ordered[["level", "unit_id", "unit_name"]].reset_index(drop=True)


def attainment_grid(units: pd.DataFrame, catalogue: Catalogue) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The units in appendix order, and units × indicators attainment (rate ÷ target) and status."""
    order = unit_order(units, catalogue)
    indicators = [indicator for indicator in catalogue.indicators if indicator in set(units["indicator"])]
    attainment, statuses = (
        units.pivot(index="unit_id", columns="indicator", values=column).reindex(index=order["unit_id"], columns=indicators)
        for column in ("attainment", "status")
    )
    return order, attainment, statuses


def trend_frame(aggregates: pd.DataFrame) -> pd.DataFrame:
    """Pooled rates and targets per month, level and indicator, oldest month first."""
    columns = ["period", "level", "indicator", "rate", "central_target", "provincial_target", "denominator", "counted_units"]
    return aggregates[columns].sort_values("period", kind="stable").reset_index(drop=True)
