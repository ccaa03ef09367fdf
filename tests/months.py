"""Writing further months in the documented tidy CSV format, for tests that need several months."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.numbers import format_number, format_percent

TIDY_CSV_COLUMNS = ["period", "province", "level", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]


def write_tidy_month(frame: pd.DataFrame, path: Path, period: str) -> Path:
    """Unit rows of ``frame`` re-dated to ``period``, written the way an analyst would (Vietnamese numbers)."""
    units = frame[frame["row_kind"] == "unit"].copy()
    units["period"] = period
    for column in ("numerator", "denominator"):
        units[column] = units[column].map(lambda value: "" if pd.isna(value) else format_number(value))
    for column in ("reported_rate", "assigned_target"):
        units[column] = units[column].map(lambda value: "" if pd.isna(value) else format_percent(value, decimals=2))
    path.parent.mkdir(parents=True, exist_ok=True)
    units[TIDY_CSV_COLUMNS].to_csv(path, index=False)
    return path
