"""Spreadsheet-like sources (an .xlsx sheet, a .csv/.tsv file) read as a grid of cells."""

from __future__ import annotations

import csv
import posixpath
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string

from helpers.errors import InputError, Location, fail
from helpers.numbers import MAX_DIGITS
from helpers.text import printable

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITED_SUFFIXES = (".csv", ".tsv", ".txt")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
# An encrypted .xlsx is an OLE compound file holding an "EncryptedPackage" stream (MS-OFFCRYPTO).
_COMPOUND_FILE = bytes.fromhex("d0cf11e0a1b11ae1")
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Cell:
    value: object
    percent_formatted: bool = False
    # A formula saved without its result (a workbook written by a program): the value is unknown, not blank.
    uncalculated: bool = False

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

    @classmethod
    def of_texts(cls, file: str, rows: list[list[str]]) -> Grid:
        """A delimited file's rows of texts as a grid; a blank text is an empty cell."""
        return cls(file, None, [[Cell(value if value.strip() else None) for value in row] for row in rows])

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
        raise fail(Location(display_name), *_what_else(path))
    try:
        workbook = load_workbook(path, data_only=True)
        uncalculated = _formulas_without_values(path)
    # openpyxl and zlib raise many unrelated types for a damaged file; each becomes one named error.
    except Exception as error:
        raise _damage(path, display_name, error) from error
    grids = []
    for sheet in workbook.worksheets:
        missing = uncalculated.get(sheet.title, set())
        rows = [
            [Cell(cell.value, "%" in (cell.number_format or ""), bool(missing) and cell.coordinate in missing) for cell in row]
            for row in sheet.iter_rows()
        ]
        grids.append(Grid(display_name, sheet.title, rows))
    return grids


def _what_else(path: Path) -> tuple[str, str]:
    """(expected, found) for a file named .xlsx that is not a zip: an encrypted or an old workbook?"""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(_COMPOUND_FILE):
        if _ENCRYPTED_STREAM in head:
            return (
                "a workbook without a password: open it in Excel, remove the password (File › Info › Protect Workbook) and save it",
                "a workbook that is encrypted (password-protected)",
            )
        return ("an .xlsx workbook: open it in Excel and save it as Excel Workbook (.xlsx)", "an Excel 97–2003 workbook (.xls) named .xlsx")
    return ("an Excel workbook (.xlsx); save it from Excel as .xlsx, or name a CSV file .csv", "a file that is not an Excel workbook")


def _damage(path: Path, display_name: str, error: Exception) -> InputError:
    """The damaged part (sheet) or the cell that made the workbook unreadable, where it can be found."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheets = _sheet_parts(archive)
            for member in archive.namelist():
                try:
                    data = archive.read(member)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
                    where = Location(display_name, sheets.get(member)) if member in sheets else Location(display_name)
                    return fail(where, "an Excel workbook that opens: save it again from Excel, or ask for the file again", f"a damaged part {member!r}")
                if member in sheets:
                    oversized = _oversized_number(data)
                    if oversized is not None:
                        column, row = coordinate_from_string(oversized[0])
                        return fail(Location(display_name, sheets[member], row, column), f"a count of at most {MAX_DIGITS} digits", f"a number of {oversized[1]} digits")
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ElementTree.ParseError, ValueError):
        pass
    return fail(Location(display_name), "an Excel workbook that opens", f"an unreadable workbook ({type(error).__name__}: {printable(str(error), 200)})")


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip member of each worksheet → the sheet's name; {} when the workbook's own parts are unreadable."""
    try:
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError):
        return {}
    targets = {relation.get("Id"): relation.get("Target", "") for relation in relations}
    parts = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(_RELATION_ID), "")
        parts[target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")] = sheet.get("name", "")
    return parts


def _formulas_without_values(path: Path) -> dict[str, set[str]]:
    """Sheet name → cells holding a formula but no cached result (openpyxl reads them as blank)."""
    found: dict[str, set[str]] = {}
    with zipfile.ZipFile(path) as archive:
        for member, sheet in _sheet_parts(archive).items():
            data = archive.read(member)
            if b"<f" not in data and b":f" not in data:  # most sheets have no formula at all: no parse
                continue
            cells = {cell.get("r", "") for cell in ElementTree.fromstring(data).iter(f"{_MAIN}c") if _uncalculated(cell)}
            if cells:
                found[sheet] = cells
    return found


def _uncalculated(cell: ElementTree.Element) -> bool:
    """A formula without a stored result: no value, or an empty one that is not a text result ("")."""
    if cell.find(f"{_MAIN}f") is None:
        return False
    value = cell.find(f"{_MAIN}v")
    return value is None or (not value.text and cell.get("t") != "str")


def _oversized_number(sheet_xml: bytes) -> tuple[str, int] | None:
    """(cell, digits) of the first value too long for Python to read as a number."""
    for cell in ElementTree.fromstring(sheet_xml).iter(f"{_MAIN}c"):
        value = cell.find(f"{_MAIN}v")
        if cell.get("t") in (None, "n") and value is not None and len(value.text or "") > 4000:
            return cell.get("r", ""), len((value.text or "").strip().lstrip("-"))
    return None


def read_delimited(path: Path, display_name: str) -> Grid:
    """A CSV/TSV file as a grid of cells (see read_delimited_rows)."""
    return Grid.of_texts(display_name, read_delimited_rows(path, display_name))


def read_delimited_rows(path: Path, display_name: str) -> list[list[str]]:
    """A CSV/TSV file's rows of raw texts; the delimiter (comma, semicolon or tab) and encoding are detected."""
    raw = path.read_bytes()
    if not raw.strip():
        raise fail(Location(display_name), "a table with a header row", "an empty file")
    text = _decode(raw, display_name)
    del raw  # a national file is tens of megabytes: hold one copy of it at a time
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:20000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
    lines = text.splitlines()
    del text
    reader = csv.reader(lines, dialect)
    try:
        # One text object for each distinct text: a large table repeats its months, codes and
        # counts, and a text object per cell took most of the memory of reading it.
        return [list(map(sys.intern, row)) for row in reader]
    except csv.Error as error:  # a field over csv's limit (128 KiB): an unclosed quote, or not a table
        raise fail(Location(display_name, row=reader.line_num), "a table whose cells are short texts (is a quote left open above?)", f"a cell too long to read ({error})") from error


def _decode(raw: bytes, display_name: str) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise fail(Location(display_name), "a text table in UTF-8 (or Windows-1258)", "binary content")
