"""Ingest: every input format is an adapter onto the tidy table (helpers.tidy).

Raw files live in ``<data dir>/raw/<province>/<YYYY-MM>/``; a month is ingested as a whole
(all its files) and written to ``<data dir>/processed/<province>/<YYYY-MM>.parquet`` only when
every file of it reads cleanly. Nothing already ingested is touched by a failed month.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.errors import InputError, Location, Problem, fail
from helpers.periods import check_period
from helpers.text import printable
from helpers.ingest.index766 import FOLDER as INDEX766_FOLDER
from helpers.registry import UnitRegistry
from helpers.store import write_month
from helpers.tidy import KEY_COLUMNS, ROW_KINDS, conform, sort_tidy
from helpers.paths import Workspace
from helpers.ingest.monthly.appendix import AppendixResult, parse_appendix
from helpers.ingest.grid import DELIMITED_SUFFIXES, EXCEL_SUFFIXES, Grid, read_delimited_rows, read_workbook
from helpers.ingest.monthly.tidy_format import frame_from_delimited, frame_from_parquet, looks_tidy

SUPPORTED_SUFFIXES = (*EXCEL_SUFFIXES, *DELIMITED_SUFFIXES, ".parquet")
# Spreadsheets that cannot be read: beside readable files they would be left out without a word.
UNREADABLE_SPREADSHEETS = {
    ".xls": "an Excel 97–2003 workbook (.xls)",
    ".xlsb": "an Excel binary workbook (.xlsb)",
    ".ods": "an OpenDocument spreadsheet (.ods)",
}
SAVE_AS_XLSX = "an .xlsx, .csv, .tsv or .parquet file: open it in Excel and save it as Excel Workbook (.xlsx), then remove this copy"


@dataclass(frozen=True)
class RawMonth:
    province: str
    period: str
    directory: Path

    @property
    def files(self) -> list[Path]:
        return self._files(SUPPORTED_SUFFIXES)

    @property
    def unreadable_files(self) -> list[Path]:
        return self._files(tuple(UNREADABLE_SPREADSHEETS))

    def _files(self, suffixes: tuple[str, ...]) -> list[Path]:
        return sorted(
            path
            for path in self.directory.iterdir()
            if path.is_file() and path.suffix.lower() in suffixes and not path.name.startswith(("~$", "."))
        )


@dataclass(frozen=True)
class IngestedMonth:
    province: str
    period: str
    frame: pd.DataFrame
    output: Path


def discover_months(
    workspace: Workspace, provinces: list[str] | None = None, periods: list[str] | None = None, misplaced: list[Problem] | None = None
) -> list[RawMonth]:
    """The raw months present, in province then period order, optionally filtered.

    A folder that is neither a month (YYYY-MM) nor the 766 index's is added to ``misplaced``
    (when given and no months were chosen): its files would otherwise be left out in silence."""
    months = []
    if not workspace.raw_dir.is_dir():
        return months
    for province_dir in sorted(path for path in workspace.raw_dir.iterdir() if path.is_dir() and not path.name.startswith(".")):
        if provinces and province_dir.name not in provinces:
            continue
        for month_dir in sorted(path for path in province_dir.iterdir() if path.is_dir() and not path.name.startswith(".")):
            if month_dir.name == INDEX766_FOLDER:
                continue
            try:
                period = check_period(month_dir.name)
            except ValueError:
                if misplaced is not None and not periods:
                    misplaced.append(Problem(Location(workspace.display(month_dir)), f"a month folder named YYYY-MM, such as 2024-02 (or {INDEX766_FOLDER} for the 766 index)", f"a folder named {month_dir.name!r}"))
                continue
            if periods and period not in periods:
                continue
            months.append(RawMonth(province_dir.name, period, month_dir))
    return months


def read_source(
    path: Path,
    catalogue: Catalogue,
    registry: UnitRegistry,
    province: str,
    period: str,
    display_name: str | None = None,
) -> tuple[pd.DataFrame, AppendixResult]:
    """One input file as tidy rows of ``province``/``period``; raises InputError listing every problem."""
    name = display_name or str(path)
    if not path.is_file():
        raise fail(Location(name), "an input file", "no such file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise fail(Location(name), "an .xlsx, .csv, .tsv or .parquet file", f"a {suffix or 'suffix-less'} file")
    result = AppendixResult()
    if suffix in EXCEL_SUFFIXES:
        for grid in read_workbook(path, name):
            parse_appendix(grid, catalogue, result)
        frame = pd.DataFrame.from_records(result.records)
    elif suffix == ".parquet":
        frame = frame_from_parquet(path, name, result.problems)
    else:
        rows = read_delimited_rows(path, name)
        if looks_tidy(rows[0]):
            frame = frame_from_delimited(name, rows, result.problems)
        else:
            parse_appendix(Grid.of_texts(name, rows), catalogue, result)
            frame = pd.DataFrame.from_records(result.records)
    for title_period in sorted(result.periods - {period}):
        result.problems.append(Problem(Location(name), f"a table of {period} (it is filed under that month)", f"a title that says {title_period}"))
    if frame.empty:
        if result.problems:
            raise InputError(result.problems, f"Could not read {name}")
        return conform(frame), result
    if suffix in EXCEL_SUFFIXES or "period" not in frame.columns:
        frame["period"], frame["province"] = period, province
    frame = _resolve_units(frame, catalogue, registry, province, period, result.problems)
    if result.problems:
        raise InputError(result.problems, f"Could not read {name}")
    return frame, result


def _resolve_units(
    frame: pd.DataFrame, catalogue: Catalogue, registry: UnitRegistry, province: str, period: str, problems: list[Problem]
) -> pd.DataFrame:
    """Check codes against the catalogue and registry; give each unit row its unit_id and registry name.

    Checks run column-wise and each distinct unit is resolved once; only rows with a problem are
    visited one by one, so that every problem still names its own row."""
    frame = frame.reset_index(drop=True)
    for column in ("_name_column", "unit_id", "unit_name"):
        if column not in frame.columns:
            frame[column] = None
    kind, level = frame["row_kind"], frame["level"]
    bad_indicator = ~frame["indicator"].isin(list(catalogue.indicators))
    bad_kind = ~kind.isin(ROW_KINDS)
    elsewhere = (frame["period"].astype(str) != period) | (frame["province"] != province)
    level_ok = level.isin(list(catalogue.levels)) | ((kind == "total") & (level == WHOLE_PROVINCE))
    unit_rows = level_ok & (kind == "unit")
    keys = list(zip(*(_texts(frame.loc[unit_rows, column]) for column in ("level", "unit_id", "unit_name"))))
    resolved = {key: _unit_of(*key, registry, province, period) for key in dict.fromkeys(keys)}
    found = [resolved[key] for key in keys]
    positions = np.flatnonzero(unit_rows.to_numpy(dtype=bool, na_value=False))  # the index is 0..n-1
    unit_ids = np.full(len(frame), None, dtype=object)
    unit_ids[positions] = [unit_id for unit_id, _, _ in found]
    names = frame["unit_name"].to_numpy(dtype=object, copy=True)
    names[positions] = [name for _, name, _ in found]
    unresolved = np.zeros(len(frame), dtype=bool)
    unresolved[positions] = [unit_id is None for unit_id, _, _ in found]
    for index in frame.index[bad_indicator | bad_kind | elsewhere | ~level_ok | pd.Series(unresolved)]:
        record = frame.loc[index]
        location = Location(str(record["source_file"]), _text(record.get("source_sheet")) or None, _int_or_none(record.get("source_row")))
        if bad_indicator[index]:
            problems.append(Problem(_with_column(location, "indicator"), "an indicator of catalogue/indicators.csv", repr(record["indicator"])))
        if bad_kind[index]:
            problems.append(Problem(_with_column(location, "row_kind"), "unit or total", repr(record["row_kind"])))
        if elsewhere[index]:
            problems.append(Problem(location, f"rows of {province} {period} (the folder this file is in)", f"a row of {record['province']} {record['period']}"))
        if not level_ok[index]:
            whole = f" or {WHOLE_PROVINCE}" if record["row_kind"] == "total" else ""
            problems.append(Problem(_with_column(location, "level"), f"a level of catalogue/levels.csv{whole}", repr(record["level"])))
        elif unresolved[index]:
            _, _, (column, expected, found) = resolved[(str(record["level"]), _text(record["unit_id"]), _text(record["unit_name"]))]
            where = _with_column(location, "unit_id") if column == "unit_id" else Location(location.file, location.sheet, location.row, _text(record["_name_column"]) or None)
            problems.append(Problem(where, expected, found))
    frame["unit_id"], frame["unit_name"] = unit_ids, names
    _check_duplicates(frame, problems)
    return conform(frame)


def _texts(column: pd.Series) -> list[str]:
    """A column as texts: blank for None and NA (as _text, column-wise)."""
    return column.astype("string").fillna("").tolist()


def _text(value: object) -> str:
    """A cell as text: blank for None and NA."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


Unresolved = tuple[str, str, str]  # (the column to blame: unit_id or unit_name, what was expected, what was found)


def _unit_of(level: str, given_id: str, written: str, registry: UnitRegistry, province: str, period: str) -> tuple[str | None, object, Unresolved | None]:
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


def _check_duplicates(frame: pd.DataFrame, problems: list[Problem]) -> None:
    """A unit (or a published total) twice for the same indicator would be counted twice."""
    rows = frame[(frame["row_kind"] == "total") | frame["unit_id"].notna()]
    duplicated = rows[rows.duplicated(KEY_COLUMNS, keep=False)]
    if duplicated.empty:
        return
    for _, group in duplicated.groupby(KEY_COLUMNS, sort=False, dropna=False):
        first, *others = group.to_dict("records")
        for other in others:
            problems.append(
                Problem(
                    Location(str(other["source_file"]), other.get("source_sheet") or None, _int_or_none(other.get("source_row"))),
                    f"each unit once per level and indicator ({first['indicator']})",
                    f"{first['unit_name']!r} again (first at {first['source_file']}, {first.get('source_sheet') or ''} row {first['source_row']})",
                )
            )


def _with_column(location: Location, header: str) -> Location:
    return Location(location.file, location.sheet, location.row, location.column, header)


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[arg-type]


def read_month(workspace: Workspace, catalogue: Catalogue, registry: UnitRegistry, month: RawMonth) -> pd.DataFrame:
    """All files of one raw month as one tidy frame, with every level of the province covered."""
    if not registry.has_province(month.province):
        raise fail(Location(workspace.display(month.directory)), "a province listed in data/units/provinces.csv", repr(month.province))
    files = month.files
    problems = [Problem(Location(workspace.display(path)), SAVE_AS_XLSX, UNREADABLE_SPREADSHEETS[path.suffix.lower()]) for path in month.unreadable_files]
    if not files:
        problems = problems or [Problem(Location(workspace.display(month.directory)), "at least one .xlsx, .csv, .tsv or .parquet file", "none")]
        raise InputError(problems, f"Could not ingest {month.province} {month.period}")
    frames, sheets = [], []
    for path in files:
        try:
            frame, result = read_source(path, catalogue, registry, month.province, month.period, workspace.display(path))
        except InputError as error:
            problems.extend(error.problems)
            continue
        frames.append(frame)
        sheets += sorted({f"{workspace.display(path)} › {sheet}" for sheet in frame["source_sheet"].dropna()})
    if len(frames) == 1:
        month_frame = frames[0]  # conformed by read_source already; a copy of a national month costs its size again
    else:
        month_frame = conform(pd.concat(frames, ignore_index=True)) if frames else conform(pd.DataFrame())
    if not problems:
        if len(frames) > 1:  # each file's own duplicates were checked as it was read
            _check_duplicates(month_frame, problems)
        covered = set(month_frame.loc[month_frame["row_kind"] == "unit", "level"])
        for level in registry.levels_of(month.province, month.period):
            if level not in covered:
                problems.append(
                    Problem(
                        Location(", ".join(workspace.display(path) for path in files)),
                        f"a sheet or table for '{catalogue.level_name(level)}' (the registry lists units of that level)",
                        "sheets " + (", ".join(repr(sheet) for sheet in sheets) if sheets else "none with unit rows"),
                    )
                )
    if problems:
        raise InputError(problems, f"Could not ingest {month.province} {month.period}")
    return sort_tidy(month_frame, list(catalogue.indicators), list(catalogue.levels))


def ingest_month(workspace: Workspace, catalogue: Catalogue, registry: UnitRegistry, month: RawMonth) -> IngestedMonth:
    frame = read_month(workspace, catalogue, registry, month)
    output = write_month(workspace, frame, month.province, month.period)
    return IngestedMonth(month.province, month.period, frame, output)


def ingest_all(
    workspace: Workspace,
    catalogue: Catalogue,
    registry: UnitRegistry,
    provinces: list[str] | None = None,
    periods: list[str] | None = None,
    progress: Callable[[str], None] = print,
) -> tuple[list[IngestedMonth], list[tuple[str, InputError]]]:
    """Ingest every raw month (or those chosen); a month that fails leaves the others and its old output alone.

    Failures are (what failed: "province YYYY-MM" or a misplaced folder's path, why)."""
    misplaced: list[Problem] = []
    months = discover_months(workspace, provinces, periods, misplaced)
    failed = [(problem.location.file, InputError([problem], "Not a month folder")) for problem in misplaced]
    for label, error in failed:
        progress(f"{printable(label)}: FAILED\n{error}")
    done = []
    for index, month in enumerate(months, start=1):
        label = f"{month.province} {month.period}"
        try:
            ingested = ingest_month(workspace, catalogue, registry, month)
        except InputError as error:
            failed.append((label, error))
            progress(f"[{index}/{len(months)}] {printable(label)}: FAILED\n{error}")
            continue
        done.append(ingested)
        units = ingested.frame.loc[ingested.frame["row_kind"] == "unit", "unit_id"].nunique()
        progress(f"[{index}/{len(months)}] {printable(label)}: {units} units, {len(ingested.frame)} rows → {printable(workspace.display(ingested.output))}")
    return done, failed
