"""Data checks: every figure that is doubtful, where it is in the source, and why.

Each row names the check (a code such as ``rate_mismatch``), the unit or level and the
indicator, the check's raw values (``params``: numbers as numbers) and where the figure is
(file, sheet, row, column). Nothing here is text for a reader: a report writes each row in its
own language from the message catalogue (``helpers.report.checks_view``). Nothing is corrected
either: the engine shows the recomputed figure, and the checks show where it and the source
disagree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.analysis.monthly.engine import IndicatorResults, rate_tolerance_pp
from helpers.frames import records, records_where
from helpers.periods import previous_period
from helpers.registry import UnitRegistry

KIND = "monthly"
SEVERITIES = ("error", "warning", "info")
# Where a figure is; a check fills the fields its source has (spreadsheets: sheet, row and
# column; the 766 portal's JSON: record and field).
LOCATION_COLUMNS = ["source_file", "source_sheet", "source_row", "source_column", "source_record", "source_field"]
CHECK_COLUMNS = [
    "kind", "period", "province", "severity", "check", "level", "unit_id", "unit_name", "indicator", "params", *LOCATION_COLUMNS,
]
# Every check this module makes, and its severity.
CHECKS = {
    "negative_count": "error", "numerator_exceeds_denominator": "error", "impossible_rate": "error", "impossible_target": "error",
    "blank_count": "warning", "rate_mismatch": "warning", "target_below_floor": "warning", "unreadable_value": "warning",
    "total_mismatch": "warning", "published_not_reproducible": "warning", "published_mismatch": "warning", "unit_missing": "warning",
    "target_missing": "info", "no_denominator": "info", "unit_new": "info",
}
_CELL = re.compile(r"([A-Z]+)(\d+)")

Params = dict[str, object]


def run_checks(tidy: pd.DataFrame, results: IndicatorResults, catalogue: Catalogue, registry: UnitRegistry) -> pd.DataFrame:
    """All checks for every month in ``tidy``; sorted by month, severity, level and unit."""
    rows: list[dict[str, object]] = []
    units = tidy[tidy["row_kind"] == "unit"]
    rows += _count_checks(units, catalogue)
    rows += _rate_checks(units, results.units, catalogue)
    rows += _target_checks(results.units)
    rows += _unreadable_cells(tidy)
    rows += _missing_denominator(results.aggregates, catalogue)
    rows += _published_checks(tidy, results, catalogue)
    rows += _unit_presence(units, registry)
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    return sort_checks(frame, catalogue, ["period", "province", "_severity", "_level", "unit_name", "check"])


def sort_checks(frame: pd.DataFrame, catalogue: Catalogue, order: list[str]) -> pd.DataFrame:
    """``frame`` sorted by ``order``, where ``_severity`` and ``_level`` rank as SEVERITIES and the catalogue's levels do."""
    severity_rank = {severity: rank for rank, severity in enumerate(SEVERITIES)}
    level_rank = {level: rank for rank, level in enumerate([WHOLE_PROVINCE, *catalogue.levels])}
    frame = frame.assign(_severity=frame["severity"].map(severity_rank), _level=frame["level"].map(level_rank).fillna(len(level_rank)))
    frame = frame.sort_values(order, kind="stable", na_position="first")
    return frame.drop(columns=["_severity", "_level"]).reset_index(drop=True)


def plain(value: object) -> object:
    """A value for ``params``: a whole number as int, other numbers as float, a missing one as None."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else float(value)
    return value


def cell_location(source: Mapping, cell: object = None) -> dict[str, object]:
    """Location fields of a tidy row; ``cell`` (``E9``) gives the column, and the row where the row has none."""
    file = source.get("source_file")
    sheet = source.get("source_sheet")
    row = plain(source.get("source_row"))
    column = None
    match = _CELL.fullmatch(cell) if isinstance(cell, str) else None
    if match:
        column, row = match.group(1), int(match.group(2))
    return {
        "source_file": file if isinstance(file, str) and file else None,
        "source_sheet": sheet if isinstance(sheet, str) and sheet else None,
        "source_row": row, "source_column": column,
    }


def _row(source: Mapping, check: str, params: Params, location: Mapping[str, object] | None = None, **names: object) -> dict[str, object]:
    """One check: identifying columns from ``source`` (``names`` overrides them), raw ``params`` and ``location``."""
    row: dict[str, object] = {
        "kind": KIND, "period": source["period"], "province": source["province"], "severity": CHECKS[check], "check": check,
        "level": source.get("level"), "unit_id": source.get("unit_id"), "unit_name": source.get("unit_name"),
        "indicator": source.get("indicator"), "params": {key: plain(value) for key, value in params.items()},
    }
    row.update(names)
    row.update({column: None for column in LOCATION_COLUMNS})
    row.update(location or {})
    return row


def _count_checks(units: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    numerator, denominator = units["numerator"], units["denominator"]
    # Each check reads the rows it selects as records: most select none, and a Series per row cost more than the checks.
    for row in records_where(units, (numerator < 0).fillna(False) | (denominator < 0).fillna(False)):
        kind = "numerator" if pd.notna(row["numerator"]) and row["numerator"] < 0 else "denominator"
        rows.append(_row(row, "negative_count", {"value": row[kind], "count_kind": kind}, cell_location(row, row[f"{kind}_cell"])))
    for row in records_where(units, (numerator > denominator).fillna(False)):
        rows.append(_row(row, "numerator_exceeds_denominator", _counts(row), cell_location(row, row["numerator_cell"])))
    absent = {indicator.id for indicator in catalogue.indicators.values() if indicator.appendix_denominator == "absent"}
    blank = units["numerator"].isna() | (units["denominator"].isna() & ~units["indicator"].isin(absent))
    for row in records_where(units, blank):
        kind = "numerator" if pd.isna(row["numerator"]) else "denominator"
        rows.append(_row(row, "blank_count", {"count_kind": kind}, cell_location(row, row[f"{kind}_cell"])))
    return rows


def _mismatched(comparable: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    """Rows whose reported rate (within 0–100%) differs from the recomputed one beyond the
    engine's ``rate_tolerance_pp``, computed for every row at once (a Python loop over every unit
    was most of the checks' time)."""
    reported = comparable["reported_rate"].astype("float64")
    difference = (reported - comparable["rate"].astype("float64")).abs() * 100
    return reported.between(0, 1) & ~(difference <= rate_tolerance_pp(reported, catalogue))


def _rate_checks(units: pd.DataFrame, evaluated: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    for row in records_where(units, (units["reported_rate"] > 1.0).fillna(False) | (units["reported_rate"] < 0).fillna(False)):
        rows.append(_row(row, "impossible_rate", {"reported_rate": row["reported_rate"]}, cell_location(row, row["rate_cell"])))
    comparable = evaluated[(evaluated["rate_source"] == "recomputed") & evaluated["reported_rate"].notna()]
    for row in records_where(comparable, _mismatched(comparable, catalogue)):
        params = {"reported_rate": row["reported_rate"], "recomputed_rate": row["rate"], **_counts(row)}
        rows.append(_row(row, "rate_mismatch", params, cell_location(row, row["rate_cell"])))
    return rows


def _target_checks(evaluated: pd.DataFrame) -> list[dict[str, object]]:
    """Assigned targets the engine could not use as given (see helpers.engine): the floor applies."""
    rows = []
    blank = evaluated["assigned_target"].isna() & evaluated["target_cell"].notna() & evaluated["target"].notna()
    for row in records_where(evaluated, blank):
        params = {"tier": row["target_tier"], "target_rate": row["target"]}
        rows.append(_row(row, "target_missing", params, cell_location(row, row["target_cell"])))
    for row in records_where(evaluated, evaluated["target_tier"] == "floor"):
        assigned = float(row["assigned_target"])
        tier = "provincial" if pd.notna(row["provincial_target"]) else "central"
        params = {"assigned_rate": assigned, "floor_rate": row["target"], "tier": tier}
        check = "target_below_floor" if 0 <= assigned <= 1 else "impossible_target"
        rows.append(_row(row, check, params, cell_location(row, row["target_cell"])))
    return rows


def _unreadable_cells(tidy: pd.DataFrame) -> list[dict[str, object]]:
    rows = []
    for row in records_where(tidy, tidy["parse_notes"].notna()):
        for note in str(row["parse_notes"]).split("; "):
            field_and_cell, _, text = note.partition("=")
            field, _, cell = field_and_cell.partition("@")
            rows.append(_row(row, "unreadable_value", {"field": field, "text": text}, cell_location(row, cell)))
    return rows


def _missing_denominator(aggregates: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    absent = [indicator for indicator in catalogue.indicators.values() if indicator.appendix_denominator == "absent"]
    for indicator in absent:
        for row in records_where(aggregates, (aggregates["indicator"] == indicator.id) & (aggregates["level"] != WHOLE_PROVINCE) & aggregates["rate"].isna()):
            rows.append(_row(row, "no_denominator", {}, unit_id=None, unit_name=None))
    return rows


def _published_checks(tidy: pd.DataFrame, results: IndicatorResults, catalogue: Catalogue) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    totals = tidy[tidy["row_kind"] == "total"]
    if totals.empty:
        return rows
    merged = totals.merge(
        results.aggregates[["period", "province", "level", "indicator", "numerator", "denominator", "rate"]],
        on=["period", "province", "level", "indicator"],
        how="left",
        suffixes=("", "_pooled"),
    )
    tolerances = rate_tolerance_pp(merged["reported_rate"], catalogue).tolist()
    for row, tolerance in zip(records(merged), tolerances):
        level_wide = {"unit_id": None, "unit_name": None}
        for kind in ("numerator", "denominator"):
            published, pooled = row[kind], row[f"{kind}_pooled"]
            if pd.notna(published) and pd.notna(pooled) and int(published) != int(pooled):
                params = {"count_kind": kind, "published": published, "pooled": pooled}
                rows.append(_row(row, "total_mismatch", params, cell_location(row, row[f"{kind}_cell"]), **level_wide))
        published_rate, pooled_rate = row["reported_rate"], row["rate"]
        where = cell_location(row, row["rate_cell"])
        if pd.isna(published_rate):
            continue
        if pd.isna(pooled_rate):
            rows.append(_row(row, "published_not_reproducible", {"published_rate": published_rate}, where, **level_wide))
        elif abs(float(published_rate) - float(pooled_rate)) * 100 > tolerance:
            params = {"published_rate": published_rate, "pooled_rate": pooled_rate, "numerator": row["numerator_pooled"], "denominator": row["denominator_pooled"]}
            rows.append(_row(row, "published_mismatch", params, where, **level_wide))
    return rows


def _unit_presence(units: pd.DataFrame, registry: UnitRegistry) -> list[dict[str, object]]:
    """Units expected (registry, or present last month) but absent, and units new since last month."""
    rows = []
    present = units[["period", "province", "level", "unit_id"]].drop_duplicates()
    by_month = {key: set(group["unit_id"]) for key, group in present.groupby(["province", "period"])}
    for (province, period), unit_ids in by_month.items():
        previous = by_month.get((province, previous_period(period)))
        expected = {unit.unit_id: "registry" for unit in registry.units_of(province, period)}
        for unit_id in previous or set():
            expected[unit_id] = "previous"
        for unit_id, reason in sorted(expected.items()):
            if unit_id not in unit_ids:
                rows.append(_row(_registry_unit(registry, province, period, unit_id), "unit_missing", {"reason": reason}))
        for unit_id in sorted(unit_ids - previous) if previous is not None else []:
            rows.append(_row(_registry_unit(registry, province, period, unit_id), "unit_new", {}))
    return rows


def _registry_unit(registry: UnitRegistry, province: str, period: str, unit_id: str) -> dict[str, object]:
    unit = registry.units[unit_id]
    return {"period": period, "province": province, "level": unit.level, "unit_id": unit_id, "unit_name": unit.name_vi}


def _counts(row: Mapping) -> Params:
    return {"numerator": row["numerator"], "denominator": row["denominator"]}


def summary_counts(checks: pd.DataFrame) -> dict[str, int]:
    counts = checks["severity"].value_counts()
    return {severity: int(counts.get(severity, 0)) for severity in SEVERITIES}
