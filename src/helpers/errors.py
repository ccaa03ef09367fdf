"""Errors about input that name where the problem is and what was expected there.

Names and values from files are printed escaped and shortened (helpers.text.printable): a file
name with a newline or an ANSI escape must not forge or colour the lines around it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from helpers.text import printable

# What we expected is our own text (with names in it, at times); what we found is the file's.
EXPECTED_LENGTH = 600
FOUND_LENGTH = 200


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
        parts = [f"file {printable(self.file)}"]
        if self.sheet:
            parts.append(f"sheet '{printable(self.sheet)}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            header = f" ({printable(self.column_header)})" if self.column_header else ""
            parts.append(f"column {self.column}{header}")
        elif self.column_header:
            parts.append(f"column {printable(self.column_header)}")
        if self.record:
            parts.append(f"record {printable(self.record)}")
        if self.field:
            parts.append(f"field {printable(self.field)}")
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
        return f"{self.location}: expected {printable(self.expected, EXPECTED_LENGTH)}; found {printable(self.found, FOUND_LENGTH)}"


class InputError(Exception):
    """Input that cannot be used as it is. Raised before anything is written."""

    def __init__(self, problems: Iterable[Problem], headline: str = "The input cannot be used") -> None:
        self.problems = list(problems)
        self.headline = headline
        shown = self.problems[:25]
        lines = [f"{printable(headline, EXPECTED_LENGTH)} ({len(self.problems)} problem(s); nothing was written):"]
        lines += [f"  - {problem}" for problem in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        super().__init__("\n".join(lines))


def fail(location: Location, expected: str, found: str, headline: str = "The input cannot be used") -> InputError:
    """An InputError with one problem, for ``raise fail(...)``."""
    return InputError([Problem(location, expected, found)], headline)
