"""The checks every tidy row of a month passes before it is stored, column-wise.

Codes are checked against the catalogue, each unit row is given its registry id and name, and a
unit (or a published total) may appear once per level and indicator. ``check_rows`` works on
any number of rows of one province, each with the month of the folder it came from, so that a
province's months can be checked as one frame; ``row_problems`` writes what is wrong with each
bad row, naming its file, sheet, row and column.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.errors import Location, Problem
from helpers.registry import UnitRegistry
from helpers.tidy import KEY_COLUMNS, ROW_KINDS

Unresolved = tuple[str, str, str]  # (the column to blame: unit_id or unit_name, what was expected, what was found)
Resolution = tuple[str | None, object, Unresolved | None]  # (unit_id, registry name, what is wrong)


@dataclass(frozen=True)
class CheckedRows:
    """Rows with unit_id and unit_name resolved (index 0..n-1), and what is wrong with which row."""

    frame: pd.DataFrame
    bad_indicator: np.ndarray
    bad_kind: np.ndarray
    elsewhere: np.ndarray
    level_ok: np.ndarray
    unresolved: np.ndarray
    resolutions: list[Resolution]  # per distinct unit (month, level, unit_id, name as written)
    unit_of_row: np.ndarray  # each row's position in ``resolutions`` (-1: not a unit row)

    @property
    def bad(self) -> np.ndarray:
        return self.bad_indicator | self.bad_kind | self.elsewhere | ~self.level_ok | self.unresolved


def check_rows(frame: pd.DataFrame, catalogue: Catalogue, registry: UnitRegistry, province: str, periods: str | np.ndarray) -> CheckedRows:
    """Check ``frame``'s rows, filed under ``province`` and ``periods`` (one month, or each row's).

    Each distinct unit (month, level, unit_id, name) is resolved once; only the rows with a
    problem are ever visited one by one, by ``row_problems``."""
    frame = frame.reset_index(drop=True)
    for column in ("_name_column", "unit_id", "unit_name"):
        if column not in frame.columns:
            frame[column] = None
    kind, level = frame["row_kind"], frame["level"]
    bad_indicator = _mask(~frame["indicator"].isin(list(catalogue.indicators)))
    bad_kind = _mask(~kind.isin(ROW_KINDS))
    elsewhere = _mask((frame["period"].astype(str) != periods) | (frame["province"] != province))
    level_ok = _mask(level.isin(list(catalogue.levels)) | ((kind == "total") & (level == WHOLE_PROVINCE)))
    positions = np.flatnonzero(level_ok & _mask(kind == "unit"))
    keys = [np.broadcast_to(np.asarray(periods, dtype=object), len(frame))[positions]]
    keys += [_texts(frame[column].take(positions)) for column in ("level", "unit_id", "unit_name")]
    codes, first = _distinct(keys)
    found = [_unit_of(*(column[row] for column in keys), registry, province) for row in first]
    unit_of_row = np.full(len(frame), -1)
    unit_of_row[positions] = codes
    unit_ids = np.full(len(frame), None, dtype=object)
    unit_ids[positions] = np.array([unit_id for unit_id, _, _ in found] or [None], dtype=object)[codes]
    names = frame["unit_name"].to_numpy(dtype=object, copy=True)
    names[positions] = np.array([name for _, name, _ in found] or [None], dtype=object)[codes]
    unresolved = np.zeros(len(frame), dtype=bool)
    unresolved[positions] = np.array([unit_id is None for unit_id, _, _ in found] or [False], dtype=bool)[codes]
    frame["unit_id"], frame["unit_name"] = unit_ids, names
    return CheckedRows(frame, bad_indicator, bad_kind, elsewhere, level_ok, unresolved, found, unit_of_row)


def row_problems(checked: CheckedRows, province: str, period: str) -> list[Problem]:
    """What is wrong with each bad row of one month's rows, in row order."""
    problems: list[Problem] = []
    frame = checked.frame
    for index in np.flatnonzero(checked.bad):
        record = frame.loc[index]
        location = Location(str(record["source_file"]), _text(record.get("source_sheet")) or None, int_or_none(record.get("source_row")))
        if checked.bad_indicator[index]:
            problems.append(Problem(_with_column(location, "indicator"), "an indicator of catalogue/indicators.csv", repr(record["indicator"])))
        if checked.bad_kind[index]:
            problems.append(Problem(_with_column(location, "row_kind"), "unit or total", repr(record["row_kind"])))
        if checked.elsewhere[index]:
            problems.append(Problem(location, f"rows of {province} {period} (the folder this file is in)", f"a row of {record['province']} {record['period']}"))
        if not checked.level_ok[index]:
            whole = f" or {WHOLE_PROVINCE}" if record["row_kind"] == "total" else ""
            problems.append(Problem(_with_column(location, "level"), f"a level of catalogue/levels.csv{whole}", repr(record["level"])))
        elif checked.unresolved[index]:
            _, _, (column, expected, found) = checked.resolutions[checked.unit_of_row[index]]  # type: ignore[misc]
            where = _with_column(location, "unit_id") if column == "unit_id" else Location(location.file, location.sheet, location.row, _text(record["_name_column"]) or None)
            problems.append(Problem(where, expected, found))
    return problems


def duplicated_rows(frame: pd.DataFrame, keys: list[str] = KEY_COLUMNS) -> pd.DataFrame:
    """Every row of a unit (or a published total) that appears more than once for the same ``keys``."""
    counted = frame.loc[_mask((frame["row_kind"] == "total") | frame["unit_id"].notna()), keys]
    return frame.loc[counted.index[counted.duplicated(keys, keep=False)]]


def duplicate_problems(frame: pd.DataFrame) -> list[Problem]:
    """A unit (or a published total) twice for the same indicator would be counted twice."""
    problems = []
    duplicated = duplicated_rows(frame)
    if duplicated.empty:
        return problems
    for _, group in duplicated.groupby(KEY_COLUMNS, sort=False, dropna=False):
        first, *others = group.to_dict("records")
        for other in others:
            problems.append(
                Problem(
                    Location(str(other["source_file"]), other.get("source_sheet") or None, int_or_none(other.get("source_row"))),
                    f"each unit once per level and indicator ({first['indicator']})",
                    f"{first['unit_name']!r} again (first at {first['source_file']}, {first.get('source_sheet') or ''} row {first['source_row']})",
                )
            )
    return problems


def _distinct(columns: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Each row's number among the distinct rows of ``columns`` (in order of first appearance),
    and the position of each distinct row's first appearance."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, distinct = pd.factorize(column)
        combined, _ = pd.factorize(combined * len(distinct) + codes)  # renumbered at each step: never overflows
    return combined, np.unique(combined, return_index=True)[1]


def _mask(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype=bool, na_value=False)


def _texts(column: pd.Series) -> np.ndarray:
    """A column as texts: blank for None and NA (as _text, column-wise)."""
    return column.astype("string").fillna("").to_numpy(dtype=object)


def _text(value: object) -> str:
    """A cell as text: blank for None and NA."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _unit_of(period: str, level: str, given_id: str, written: str, registry: UnitRegistry, province: str) -> Resolution:
    """A unit row's registry id and name, or what is wrong with it."""
    if given_id:
        unit = registry.units.get(given_id)
        if unit is None or unit.province != province or unit.level != level or not unit.active_in(period):
            return None, written or None, ("unit_id", f"a unit_id of {province}/{level} active in {period} (data/units/units.csv)", repr(given_id))
        return unit.unit_id, unit.name_vi, None
    unit_id = registry.resolve(written, province, level, period)
    if unit_id is None:
        suggestions = registry.suggestions(written, province, level)
        hint = f"; did you mean {' or '.join(repr(name) for name in suggestions)}? (add an alias to data/units/aliases.csv)" if suggestions else ""
        return None, written, ("unit_name", f"a unit of {province}/{level} listed in data/units/units.csv or aliases.csv{hint}", repr(written))
    return unit_id, registry.name_of(unit_id), None


def _with_column(location: Location, header: str) -> Location:
    return Location(location.file, location.sheet, location.row, location.column, header)


def int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[arg-type]
