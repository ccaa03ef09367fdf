"""The one internal table: one row per period, unit (or published total) and indicator.

Rates and targets are fractions (0.998). ``row_kind`` is ``unit`` for a unit's counts and
``total`` for a figure the source publishes for a whole level or the province (``level`` =
``toan_tinh``); totals are compared with the pooled figures, never pooled themselves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TIDY_SCHEMA: dict[str, str] = {
    "period": "string",
    "province": "string",
    "level": "string",
    "unit_id": "string",
    "unit_name": "string",
    "row_kind": "string",
    "indicator": "string",
    "numerator": "Int64",
    "denominator": "Int64",
    "reported_rate": "Float64",
    "assigned_target": "Float64",
    "source_file": "string",
    "source_sheet": "string",
    "source_row": "Int64",
    "numerator_cell": "string",
    "denominator_cell": "string",
    "rate_cell": "string",
    "target_cell": "string",
    "parse_notes": "string",
}
TIDY_COLUMNS = list(TIDY_SCHEMA)
KEY_COLUMNS = ["period", "province", "level", "unit_id", "row_kind", "indicator"]
ROW_KINDS = ("unit", "total")


def conform_to_schema(frame: pd.DataFrame, schema: dict[str, str]) -> pd.DataFrame:
    """The frame with exactly the schema's columns, in order and with their dtypes; missing ones NA."""
    columns = {}
    for column, dtype in schema.items():
        if column not in frame.columns:
            columns[column] = pd.array([pd.NA] * len(frame), dtype=dtype)
        elif str(frame[column].dtype) == dtype:  # already conformed: most calls, at national scale
            columns[column] = frame[column].array.copy()
        else:
            columns[column] = frame[column].astype(dtype).array
    return pd.DataFrame(columns)


def conform(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a tidy table: exactly the tidy columns, in order and with their dtypes."""
    return conform_to_schema(frame, TIDY_SCHEMA)


def empty_tidy() -> pd.DataFrame:
    return conform(pd.DataFrame(columns=TIDY_COLUMNS))


def sort_tidy(frame: pd.DataFrame, indicator_order: list[str], level_order: list[str]) -> pd.DataFrame:
    """Stable, meaningful order: period, province, level order, source row, indicator order."""
    keyed = frame.assign(
        _level=_rank(frame["level"], level_order),
        _indicator=_rank(frame["indicator"], indicator_order),
        _kind=(frame["row_kind"] == "total").astype(int),
    )
    ordered = keyed.sort_values(
        ["period", "province", "_kind", "_level", "source_file", "source_sheet", "source_row", "unit_id", "_indicator"],
        kind="stable",
        na_position="last",
    )
    return ordered.drop(columns=["_level", "_indicator", "_kind"]).reset_index(drop=True)


def _rank(values: pd.Series, order: list[str]) -> np.ndarray:
    """Each value's position in ``order``; after every listed value when it is not listed (or NA)."""
    ranks = pd.Index(order, dtype=object).get_indexer(values.to_numpy(dtype=object, na_value=None))
    return np.where(ranks < 0, len(order), ranks)
