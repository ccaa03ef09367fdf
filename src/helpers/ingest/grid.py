"""Spreadsheet-like sources (an .xlsx sheet, a .csv/.tsv file) read as a grid of cells."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from helpers.errors import Location, fail

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITED_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True)
class Cell:
    value: object
    percent_formatted: bool = False

    @property
    def text(self) -> str:
        """The cell as text, stripped; '' for an empty cell."""
        if self.value is None:
            return ""
        if isinstance(self.value, float) and self.value.is_integer():
            return str(int(self.value))
        return str(self.value).strip()


@dataclass(frozen=True)
class Grid:
    """One sheet (or one delimited file): rows of cells, with where it came from."""

    file: str
    sheet: str | None
    rows: list[list[Cell]]

    def cell(self, row: int, column: int) -> Cell:
        """Zero-based access that tolerates ragged rows."""
        cells = self.rows[row]
        return cells[column] if column < len(cells) else Cell(None)

    def location(self, row: int, column: int | None = None, header: str | None = None) -> Location:
        """A Location for zero-based (row, column): 1-based row number and column letter."""
        letter = get_column_letter(column + 1) if column is not None else None
        return Location(self.file, self.sheet, row + 1, letter, header)


def read_workbook(path: Path, display_name: str) -> list[Grid]:
    """Every sheet of an .xlsx workbook, values as last calculated by Excel."""
    if path.stat().st_size == 0:
        raise fail(Location(display_name), "an Excel workbook", "an empty file (0 bytes)")
    if not zipfile.is_zipfile(path):
        raise fail(
            Location(display_name),
            "an Excel workbook (.xlsx); save it from Excel as .xlsx, or name a CSV file .csv",
            "a file that is not an Excel workbook",
        )
    try:
        workbook = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise fail(Location(display_name), "an Excel workbook that opens", f"an unreadable workbook ({error})") from error
    grids = []
    for sheet in workbook.worksheets:
        rows = [
            [Cell(cell.value, "%" in (cell.number_format or "")) for cell in row]
            for row in sheet.iter_rows()
        ]
        grids.append(Grid(display_name, sheet.title, rows))
    return grids


def read_delimited(path: Path, display_name: str) -> Grid:
    """A CSV/TSV file; the delimiter (comma, semicolon or tab) and encoding are detected."""
    raw = path.read_bytes()
    if not raw.strip():
        raise fail(Location(display_name), "a table with a header row", "an empty file")
    text = _decode(raw, display_name)
    sample = text[:20000]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    rows = [[Cell(value if value.strip() else None) for value in row] for row in csv.reader(text.splitlines(), dialect)]
    return Grid(display_name, None, rows)


def _decode(raw: bytes, display_name: str) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise fail(Location(display_name), "a text table in UTF-8 (or Windows-1258)", "binary content")
