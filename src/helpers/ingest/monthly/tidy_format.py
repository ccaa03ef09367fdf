"""The documented tidy input format (CSV/TSV or Parquet), for any source that is not an appendix.

One row per period, unit (or published total) and indicator. CSV values are read the
Vietnamese way (``1.313``, ``99,8%``; rates in percent: ``95`` and ``95%`` both mean 95%).
Parquet holds typed values: counts as integers, rates as fractions (0.95), exactly as the
processed files under data/processed/ do.
"""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from helpers.errors import InputError, Location, Problem, fail
from helpers.numbers import LARGEST, MAX_DIGITS, NumberFormatError, parse_count, parse_rate
from helpers.ingest.grid import Grid
from helpers.tidy import TIDY_COLUMNS

REQUIRED_COLUMNS = ("period", "province", "level", "indicator")
OPTIONAL_COLUMNS = ("unit_id", "unit_name", "row_kind", "numerator", "denominator", "reported_rate", "assigned_target")
COUNT_COLUMNS = ("numerator", "denominator")
RATE_COLUMNS = {"reported_rate": ("rate_cell", "reported_rate"), "assigned_target": ("target_cell", "assigned_target")}
# A column outside the format would be ignored, and a misspelled count column read as blanks.
# The processed files' own columns are accepted too, so that a processed month can be re-read.
KNOWN_COLUMNS = tuple(dict.fromkeys((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS, *TIDY_COLUMNS)))


def _known_columns_hint(name: str) -> str:
    """A column of the tidy format, and the one a misspelled name probably meant."""
    close = get_close_matches(name, KNOWN_COLUMNS, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return "a column of the tidy format (" + ", ".join((*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)) + f"){hint}"


def looks_tidy(header: list[str]) -> bool:
    names = {str(name).strip().lower() for name in header}
    return {"period", "indicator"} <= names


def records_from_grid(grid: Grid, problems: list[Problem]) -> list[dict[str, object]]:
    """Records of a tidy CSV/TSV read as a grid; bad counts become problems, bad rates notes."""
    header = [cell.text.strip().lower() for cell in grid.rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if "unit_id" not in header and "unit_name" not in header:
        missing.append("unit_id or unit_name")
    if missing:
        raise fail(grid.location(0), "tidy columns " + ", ".join(missing), "columns " + ", ".join(repr(name) for name in header))
    unknown = [Problem(grid.location(0, index, name), _known_columns_hint(name), repr(name)) for index, name in enumerate(header) if name and name not in KNOWN_COLUMNS]
    if unknown:
        raise InputError(unknown, f"Could not read {grid.file}")
    position = {name: index for index, name in enumerate(header)}
    records = []
    for row in range(1, len(grid.rows)):
        if not any(cell.text for cell in grid.rows[row]):
            continue
        text = {name: grid.cell(row, index).text for name, index in position.items()}
        record: dict[str, object] = {
            "period": text["period"],
            "province": text["province"],
            "level": text["level"],
            "indicator": text["indicator"],
            "unit_id": text.get("unit_id") or None,
            "unit_name": text.get("unit_name") or None,
            "row_kind": text.get("row_kind") or "unit",
            "source_file": grid.file,
            "source_sheet": None,
            "source_row": row + 1,
            "_name_column": get_column_letter(position.get("unit_name", position.get("unit_id", 0)) + 1),
        }
        notes = []
        for column in COUNT_COLUMNS:
            if column not in position:
                continue
            location = grid.location(row, position[column], column)
            record[f"{column}_cell"] = location.cell
            try:
                record[column] = parse_count(text[column])
            except NumberFormatError as error:
                problems.append(Problem(location, f"{error.expected} (a count)", repr(text[column])))
        for column, (cell_column, note_name) in RATE_COLUMNS.items():
            if column not in position:
                continue
            location = grid.location(row, position[column], column)
            record[cell_column] = location.cell
            try:
                record[column] = parse_rate(text[column])
            except NumberFormatError:
                notes.append(f"{note_name}@{location.cell}={text[column]!r}")
        record["parse_notes"] = "; ".join(notes) or None
        records.append(record)
    return records


def frame_from_parquet(path: Path, display_name: str, problems: list[Problem]) -> pd.DataFrame:
    """A tidy Parquet file's rows with their source (file and row number); checked column-wise."""
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # pyarrow raises several unrelated types for a bad file
        raise fail(Location(display_name), "a Parquet file in the tidy format", f"an unreadable file ({error})") from error
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise fail(Location(display_name), "tidy columns " + ", ".join(missing), "columns " + ", ".join(map(repr, frame.columns)))
    unknown = [Problem(Location(display_name, column_header=str(name)), _known_columns_hint(str(name)), repr(name)) for name in frame.columns if name not in KNOWN_COLUMNS]
    if unknown:
        raise InputError(unknown, f"Could not read {display_name}")
    for column in (*COUNT_COLUMNS, *RATE_COLUMNS):
        if column in frame.columns and not pd.api.types.is_numeric_dtype(frame[column]):
            problems.append(Problem(Location(display_name, column_header=column), "numbers", f"values of type {frame[column].dtype}"))
            frame[column] = None  # reported; blank, so that the other problems can still be found
        elif column in COUNT_COLUMNS and column in frame.columns:
            _blank_what_is_not_a_count(frame, column, display_name, problems)
    if "row_kind" not in frame.columns:
        frame["row_kind"] = "unit"
    frame["source_file"], frame["source_sheet"] = display_name, None
    frame["source_row"] = range(1, len(frame) + 1)
    return frame


def _blank_what_is_not_a_count(frame: pd.DataFrame, column: str, display_name: str, problems: list[Problem]) -> None:
    """A count stored as a float (1.5, inf, 1e20) is a problem, and blanked so that the cast to integers holds."""
    values = pd.to_numeric(frame[column], errors="coerce").astype("Float64")
    bad = (values.notna() & ((values.abs() >= LARGEST) | (values != values.round()))).to_numpy(dtype=bool, na_value=False)
    for position in bad.nonzero()[0]:
        problems.append(Problem(Location(display_name, row=int(position) + 1, column_header=column), f"a whole number of at most {MAX_DIGITS} digits (a count)", repr(float(values.iloc[position]))))
    if bad.any():
        frame[column] = values.mask(bad)
