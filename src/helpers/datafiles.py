"""Reading the analyst-editable CSV files under data/ with errors that point at the cell."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from helpers.errors import InputError, Location, Problem, fail

T = TypeVar("T")


def read_data_csv(path: Path, required: Iterable[str], optional: Iterable[str] = ()) -> pd.DataFrame:
    """All columns as stripped strings ('' when blank); missing required columns are an error."""
    if not path.is_file():
        raise fail(Location(str(path)), "this file to exist", "no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise fail(Location(str(path)), "a UTF-8 CSV file", str(error).splitlines()[0]) from error
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise fail(
            Location(str(path), row=1),
            "columns " + ", ".join(repr(column) for column in missing),
            "columns " + ", ".join(repr(column) for column in frame.columns),
        )
    for column in optional:
        if column not in frame.columns:
            frame[column] = ""
    return frame.apply(lambda column: column.str.strip())


def convert_column(path: Path, frame: pd.DataFrame, column: str, convert: Callable[[str], T], expected: str) -> list[T]:
    """Convert every value of a column, collecting one problem per bad cell (CSV row numbers)."""
    values: list[T] = []
    bad: list[tuple[int, str]] = []
    for offset, text in enumerate(frame[column]):
        try:
            values.append(convert(text))
        except (ValueError, TypeError):
            bad.append((offset, text))
    if bad:
        # Imported only to name the bad cells: openpyxl takes 0.2 s to import, a report's budget.
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(list(frame.columns).index(column) + 1)
        problems = [Problem(Location(str(path), row=offset + 2, column=letter, column_header=column), expected, repr(text)) for offset, text in bad]
        raise InputError(problems, f"{path.name} has values that cannot be read")
    return values
