"""The report reads the engine's frames row by row in plain Python (helpers.frames.records,
figures.unit_order): the same rows, values and order as pandas' own to_dict and groupby."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE

from helpers.analysis.monthly.month import analyse_month
from helpers.context import Context
from helpers.frames import records, records_where
from helpers.report.monthly import figures


def grouped_order(units: pd.DataFrame, catalogue) -> pd.DataFrame:
    """figures.unit_order as pandas computes it (what the report did before)."""
    level_rank = {level: rank for rank, level in enumerate(catalogue.levels)}
    first = units.groupby(["level", "unit_id", "unit_name"], as_index=False, observed=True).agg(source_row=("source_row", "min"))
    first["_level"] = first["level"].map(level_rank)
    ordered = first.sort_values(["_level", "source_row", "unit_name"], kind="stable", na_position="last")
    return ordered[["level", "unit_id", "unit_name"]].reset_index(drop=True)


def same_value(left: object, right: object) -> bool:
    if type(left) is not type(right):
        return False
    return (isinstance(left, float) and math.isnan(left) and math.isnan(right)) or left == right


def same_records(expected: list[dict], found: list[dict]) -> bool:
    """The same rows, keys in the same order, values of the same type and equal (NaN as NaN)."""
    return len(found) == len(expected) and all(
        list(left) == list(right) and all(same_value(left[key], right[key]) for key in left) for left, right in zip(expected, found)
    )


@pytest.fixture(scope="module")
def months(multi_month_data):
    context = Context.load(multi_month_data)
    return context, [analyse_month(context, PROVINCE, month) for month in (BUNDLED_MONTH, *LATER_MONTHS)]


def test_records_are_to_dicts_records_value_for_value(months):
    _, analyses = months
    frames = [frame for analysis in analyses for frame in (analysis.month.units, analysis.month.aggregates, analysis.month_checks)]
    mixed = pd.DataFrame({
        "count": pd.array([1, None], dtype="Int64"), "flag": pd.array([True, None], dtype="boolean"), "rate": [0.5, np.nan],
        "name": pd.array(["a", None], dtype="string"), "text": pd.Series(["b", None], dtype="str"), "any": [np.int64(3), {"x": 1}],
    })
    for frame in [*frames, mixed, mixed.iloc[:0]]:
        assert same_records(frame.to_dict("records"), records(frame))
    assert same_records(mixed[["rate", "count"]].to_dict("records"), records(mixed, ["rate", "count"]))


def test_records_where_are_the_selected_rows_records_and_a_missing_mask_value_selects_nothing(months):
    _, analyses = months
    units = analyses[-1].month.units
    below = units["status"] == "below"
    assert below.any() and not below.all()
    assert same_records(units[below].to_dict("records"), records_where(units, below))
    met = pd.Series(pd.array([True, None] * (len(units) // 2) + [True] * (len(units) % 2), dtype="boolean"), index=units.index)
    assert same_records(units[met.fillna(False)].to_dict("records"), records_where(units, met))
    assert records_where(units, pd.Series(False, index=units.index)) == []


def test_unit_order_is_the_grouped_and_sorted_order(months):
    context, analyses = months
    for analysis in analyses:
        pd.testing.assert_frame_equal(figures.unit_order(analysis.month.units, context.catalogue), grouped_order(analysis.month.units, context.catalogue))
    level = next(iter(context.catalogue.levels))
    made = pd.DataFrame({
        "level": pd.array([level, level, level, "elsewhere", level, level, None], dtype="string"),
        "unit_id": pd.array(["b", "a", "c", "d", "b", "e", "f"], dtype="string"),
        "unit_name": pd.array(["Bê", "A", "Xê", "Đê", "Bê", "A", "Ép"], dtype="string"),
        "source_row": pd.array([9, 9, None, 1, 4, None, 2], dtype="Int64"),  # ties, a unit without rows, a level the catalogue lacks
    })
    pd.testing.assert_frame_equal(figures.unit_order(made, context.catalogue), grouped_order(made, context.catalogue))
