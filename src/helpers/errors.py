"""Errors about input that name where the problem is and what was expected there."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in an input file; every part but the file is optional."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    column_header: str | None = None
    # JSON sources have records and fields instead of rows and columns.
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts = [f"file {self.file}"]
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            header = f" ({self.column_header})" if self.column_header else ""
            parts.append(f"column {self.column}{header}")
        if self.record:
            parts.append(f"record {self.record}")
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)

    @property
    def cell(self) -> str | None:
        """Spreadsheet-style reference such as ``H9``, when both parts are known."""
        if self.column and self.row is not None:
            return f"{self.column}{self.row}"
        return None


@dataclass(frozen=True)
class Problem:
    location: Location
    expected: str
    found: str

    def __str__(self) -> str:
        return f"{self.location}: expected {self.expected}; found {self.found}"


class InputError(Exception):
    """Input that cannot be used as it is. Raised before anything is written."""

    def __init__(self, problems: Iterable[Problem], headline: str = "The input cannot be used") -> None:
        self.problems = list(problems)
        self.headline = headline
        shown = self.problems[:25]
        lines = [f"{headline} ({len(self.problems)} problem(s); nothing was written):"]
        lines += [f"  - {problem}" for problem in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        super().__init__("\n".join(lines))


def fail(location: Location, expected: str, found: str, headline: str = "The input cannot be used") -> InputError:
    """An InputError with one problem, for ``raise fail(...)``."""
    return InputError([Problem(location, expected, found)], headline)
