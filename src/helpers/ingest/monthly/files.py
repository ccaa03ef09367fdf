"""Raw months and their files: where they are, and each file read as tidy rows.

Raw files live in ``<data dir>/raw/<province>/<YYYY-MM>/``; every file of a supported kind is
read (appendix workbooks, appendix or tidy CSV/TSV, tidy Parquet), and a spreadsheet of a kind
that cannot be read is a problem rather than a file left out without a word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.catalogue import Catalogue
from helpers.errors import InputError, Location, Problem, fail
from helpers.ingest.grid import DELIMITED_SUFFIXES, EXCEL_SUFFIXES, Grid, read_delimited_rows, read_workbook
from helpers.ingest.index766 import FOLDER as INDEX766_FOLDER
from helpers.ingest.monthly.appendix import AppendixResult, parse_appendix
from helpers.ingest.monthly.rows import check_rows, duplicate_problems, row_problems
from helpers.ingest.monthly.tidy_format import frame_from_delimited, frame_from_parquet, looks_tidy
from helpers.paths import Workspace
from helpers.periods import check_period
from helpers.registry import UnitRegistry
from helpers.tidy import conform

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
        return [path for path in self._listing if path.suffix.lower() in suffixes]

    @cached_property
    def _listing(self) -> list[Path]:
        """The folder's files (not Excel's lock files, not hidden ones), listed once."""
        return sorted(path for path in self.directory.iterdir() if path.is_file() and not path.name.startswith(("~$", ".")))


@dataclass(frozen=True)
class IngestedMonth:
    province: str
    period: str
    output: Path
    units: int  # distinct units with rows (published totals aside)
    rows: int
    written: pd.DataFrame | None = field(default=None, repr=False, compare=False)  # None: skipped, unchanged since it was written

    @property
    def unchanged(self) -> bool:
        """Skipped: its files, the catalogue, the registry and the code are those its processed file was made from."""
        return self.written is None

    @property
    def frame(self) -> pd.DataFrame:
        """The month's tidy rows: as written, or read back from its processed file."""
        return self.written if self.written is not None else conform(pd.read_parquet(self.output))


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


def read_rows(path: Path, catalogue: Catalogue, province: str, period: str, display_name: str | None = None) -> tuple[pd.DataFrame, AppendixResult]:
    """One input file's rows as read, not yet checked against the catalogue and registry, and
    the problems found reading them; raises InputError for a file that cannot be read at all."""
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
        return frame, result
    if suffix in EXCEL_SUFFIXES or "period" not in frame.columns:
        frame["period"], frame["province"] = period, province
    return frame, result


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
    frame, result = read_rows(path, catalogue, province, period, name)
    if frame.empty:
        if result.problems:
            raise InputError(result.problems, f"Could not read {name}")
        return conform(frame), result
    checked = check_rows(frame, catalogue, registry, province, period)
    result.problems.extend(row_problems(checked, province, period))
    result.problems.extend(duplicate_problems(checked.frame))
    if result.problems:
        raise InputError(result.problems, f"Could not read {name}")
    return conform(checked.frame), result
