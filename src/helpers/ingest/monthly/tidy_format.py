"""The documented tidy input format (CSV/TSV or Parquet), for any source that is not an appendix.

One row per period, unit (or published total) and indicator. CSV values are read the
Vietnamese way (``1.313``, ``99,8%``; rates in percent: ``95`` and ``95%`` both mean 95%).
Parquet holds typed values: counts as integers, rates as fractions (0.95), exactly as the
processed files under data/processed/ do.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import get_close_matches
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
from openpyxl.utils import get_column_letter

from helpers.errors import InputError, Location, Problem, fail
from helpers.numbers import LARGEST, MAX_DIGITS, NumberFormatError, parse_count, parse_rate
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


def frame_from_delimited(file: str, rows: list[list[str]], problems: list[Problem]) -> pd.DataFrame:
    """A tidy CSV/TSV's rows (raw texts, emptied once read); bad counts become problems, bad rates notes.

    Read column-wise, each distinct text parsed once: a national file has hundreds of thousands
    of rows but few distinct counts. Only the rows with a problem get a Location of their own."""
    header = [text.strip().lower() for text in rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if "unit_id" not in header and "unit_name" not in header:
        missing.append("unit_id or unit_name")
    if missing:
        raise fail(Location(file, row=1), "tidy columns " + ", ".join(missing), "columns " + ", ".join(repr(name) for name in header))
    unknown = [Problem(_location(file, 0, index, name), _known_columns_hint(name), repr(name)) for index, name in enumerate(header) if name and name not in KNOWN_COLUMNS]
    if unknown:
        raise InputError(unknown, f"Could not read {file}")
    position = {name: index for index, name in enumerate(header)}
    kept, columns = _columns(rows, len(header))
    text = {name: pd.Series(columns[index], dtype=object, copy=False) for name, index in position.items()}
    row_numbers = pd.Series(kept, dtype="int64") + 1
    frame = pd.DataFrame({
        "period": text["period"],
        "province": text["province"],
        "level": text["level"],
        "indicator": text["indicator"],
        "unit_id": _blank_as_none(text.get("unit_id"), len(kept)),
        "unit_name": _blank_as_none(text.get("unit_name"), len(kept)),
        "row_kind": text["row_kind"].where(text["row_kind"] != "", "unit") if "row_kind" in text else "unit",
        "source_file": file,
        "source_sheet": None,
        "source_row": row_numbers,
        "_name_column": get_column_letter(position.get("unit_name", position.get("unit_id", 0)) + 1),
    })
    found: list[tuple[int, int, Problem]] = []
    notes = pd.Series("", index=frame.index, dtype=object)
    numbers = row_numbers.astype(str)
    for order, column in enumerate(COUNT_COLUMNS):
        if column not in position:
            continue
        letter = get_column_letter(position[column] + 1)
        frame[f"{column}_cell"] = letter + numbers
        frame[column], errors, refused = _parsed(text[column], parse_count)
        for at in text[column].index[refused]:
            error = errors[text[column][at]]
            found.append((at, order, Problem(_location(file, kept[at], position[column], column), f"{error.expected} (a count)", repr(text[column][at]))))
    problems.extend(problem for _, _, problem in sorted(found, key=lambda item: item[:2]))
    for column, (cell_column, note_name) in RATE_COLUMNS.items():
        if column not in position:
            continue
        frame[cell_column] = get_column_letter(position[column] + 1) + numbers
        frame[column], _, bad = _parsed(text[column], parse_rate)
        if bad.any():
            notes[bad] = notes[bad] + "; " + note_name + "@" + frame.loc[bad, cell_column] + "=" + text[column][bad].map(repr)
    noted = notes != ""
    frame["parse_notes"] = notes.str.removeprefix("; ").where(noted, None) if noted.any() else None
    return frame


def _columns(rows: list[list[str]], width: int) -> tuple[list[int], list[np.ndarray]]:
    """The (zero-based) numbers of the rows below the header that are not blank, and the first
    ``width`` columns of those rows as stripped texts (a short row's missing cells blank).

    Done on one array of every cell, each distinct text stripped once: a national file has
    hundreds of thousands of rows, but few distinct texts. ``rows`` is emptied on the way (it
    holds a text object per cell: most of the memory a large file takes)."""
    body = rows[1:]
    beyond = None  # a cell past the header's columns still makes its row not blank
    if set(map(len, body)) - {width}:
        if any(len(row) > width for row in body):
            beyond = np.array([bool("".join(row[width:]).strip()) for row in body], dtype=bool)
        body = [row if len(row) == width else (row + [""] * (width - len(row)))[:width] for row in body]
    cells = np.fromiter(chain.from_iterable(body), dtype=object, count=len(body) * width)
    del body
    rows.clear()  # its texts are in ``cells`` now, and each repeated text is kept once below
    codes, distinct = pd.factorize(cells)
    del cells
    stripped = np.array([text.strip() for text in distinct], dtype=object)[codes].reshape(-1, width)
    kept = ~(stripped == "").all(axis=1)
    if beyond is not None:
        kept |= beyond
    return (np.flatnonzero(kept) + 1).tolist(), [stripped[kept, index] for index in range(width)]


def _location(file: str, row: int, column: int, header: str) -> Location:
    """Zero-based (row, column) of the file's rows as a Location: 1-based row number and column letter."""
    return Location(file, None, row + 1, get_column_letter(column + 1), header)


def _blank_as_none(texts: pd.Series | None, length: int) -> pd.Series:
    if texts is None:
        return pd.Series([None] * length, dtype=object)
    return texts.where(texts != "", None)


def _parsed(texts: pd.Series, parse: Callable[[str], object]) -> tuple[pd.Series, dict[str, NumberFormatError], np.ndarray]:
    """Each distinct text parsed once: the values (None where refused), the refusals by text and
    which rows were refused."""
    codes, distinct = pd.factorize(texts.to_numpy(dtype=object))
    values = np.full(len(distinct), None, dtype=object)
    errors: dict[str, NumberFormatError] = {}
    for index, text in enumerate(distinct):
        try:
            values[index] = parse(text)
        except NumberFormatError as error:
            errors[text] = error
    refused = np.isin(codes, [index for index, text in enumerate(distinct) if text in errors]) if errors else np.zeros(len(codes), dtype=bool)
    return pd.Series(values[codes], index=texts.index, dtype=object), errors, refused


def frame_from_parquet(path: Path, display_name: str, problems: list[Problem]) -> pd.DataFrame:
    """A tidy Parquet file's rows with their source (file and row number); checked column-wise."""
    try:
        # What pd.read_parquet does for one file, without its dataset and file-system layers
        # (half its time for a month's file of a few hundred rows).
        frame = pq.ParquetFile(path).read().to_pandas()
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
    numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~np.isnan(numbers) & ((np.abs(numbers) >= LARGEST) | (numbers != np.round(numbers)))
    for position in bad.nonzero()[0]:
        problems.append(Problem(Location(display_name, row=int(position) + 1, column_header=column), f"a whole number of at most {MAX_DIGITS} digits (a count)", repr(float(numbers[position]))))
    if bad.any():
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Float64").mask(bad)
