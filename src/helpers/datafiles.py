"""Reading the analyst-editable CSV files under data/ with errors that point at the cell."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from helpers.errors import InputError, Location, Problem, fail

T = TypeVar("T")


def read_data_csv(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> pd.DataFrame:
    """All columns as stripped strings ('' when blank); missing required columns are an error.

    Read with the csv module, not pandas' reader: these files have a few dozen rows, and every
    report's kernel reads nine of them (pandas took 2 ms a file, this 0.2 ms). Blank lines are
    skipped, and so are empty cells after the last column; a row shorter than the header is filled
    with ''; a value beyond the header's columns, a column named twice and a file without a header
    are errors naming the file and row.

    The frame's index (``line``) is the line of the file each row starts on, the header being line
    1: a message about a row names it as the analyst's editor numbers it, past blank lines and
    quoted cells that span lines.
    """
    if not path.is_file():
        raise fail(Location(str(path)), "this file to exist", "no such file")
    lines: list[tuple[int, list[str]]] = []  # (the line the row starts on, its stripped cells), blank rows left out
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader, starts_on = csv.reader(handle), 1
            for cells in reader:
                stripped = [cell.strip() for cell in cells]
                if any(stripped):
                    lines.append((starts_on, stripped))
                starts_on = reader.line_num + 1  # a quoted cell may span lines
    except (csv.Error, UnicodeDecodeError) as error:
        raise fail(Location(str(path)), "a UTF-8 CSV file", str(error).splitlines()[0]) from error
    if not lines:
        raise fail(Location(str(path)), "a CSV file whose first line names its columns", "an empty file")
    (_, header), rows = lines[0], lines[1:]
    while header and not header[-1]:
        header = header[:-1]  # the empty columns a spreadsheet leaves after the last one
    named_twice = sorted({column for column in header if header.count(column) > 1})
    if named_twice:
        raise fail(Location(str(path), row=1), "each column named once", "columns named twice: " + ", ".join(repr(column) for column in named_twice))
    for row_number, cells in rows:
        if any(cells[len(header):]):
            raise fail(Location(str(path), row=row_number), f"at most {len(header)} values (one per column of the header)", f"{len(cells)} values")
    missing = [column for column in required if column not in header]
    if missing:
        raise fail(
            Location(str(path), row=1),
            "columns " + ", ".join(repr(column) for column in missing),
            "columns " + ", ".join(repr(column) for column in header),
        )
    columns = {column: [cells[index] if index < len(cells) else "" for _, cells in rows] for index, column in enumerate(header)}
    for column in optional:
        columns.setdefault(column, [""] * len(rows))
    return pd.DataFrame(columns, dtype=str, index=pd.Index([line for line, _ in rows], dtype="int64", name="line"))


def convert_column(path: Path, frame: pd.DataFrame, column: str, convert: Callable[[str], T], expected: str) -> list[T]:
    """Convert every value of a column, collecting one problem per bad cell (at its line: the frame's index)."""
    values: list[T] = []
    bad: list[tuple[int, str]] = []
    for line, text in zip(frame.index, frame[column]):
        try:
            values.append(convert(text))
        except (ValueError, TypeError):
            bad.append((int(line), text))
    if bad:
        # Imported only to name the bad cells: openpyxl takes 0.2 s to import, a report's budget.
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(list(frame.columns).index(column) + 1)
        problems = [Problem(Location(str(path), row=line, column=letter, column_header=column), expected, repr(text)) for line, text in bad]
        raise InputError(problems, f"{path.name} has values that cannot be read")
    return values
