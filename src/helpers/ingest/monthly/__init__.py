"""Ingest: every input format is an adapter onto the tidy table (helpers.tidy).

Raw files live in ``<data dir>/raw/<province>/<YYYY-MM>/``; a month is ingested as a whole
(all its files) and written to ``<data dir>/processed/<province>/<YYYY-MM>.parquet`` only when
every file of it reads cleanly. Nothing already ingested is touched by a failed month.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.catalogue import Catalogue
from helpers.errors import InputError, Location, Problem, fail
from helpers.ingest.monthly.files import (
    SAVE_AS_XLSX, SUPPORTED_SUFFIXES, UNREADABLE_SPREADSHEETS, IngestedMonth, RawMonth, discover_months, read_rows, read_source,
)
from helpers.ingest.monthly.rows import duplicate_problems
from helpers.ingest.monthly.together import ingest_together
from helpers.paths import Workspace
from helpers.registry import UnitRegistry
from helpers.ingest.manifest import IngestManifest
from helpers.store import month_path, write_month
from helpers.text import printable
from helpers.tidy import conform, sort_tidy

__all__ = [
    "SUPPORTED_SUFFIXES", "IngestedMonth", "RawMonth", "discover_months", "ingest_all", "ingest_month", "read_month", "read_rows", "read_source",
]


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
        if frame.empty:
            # Nothing in it is read: said, so that a wrong export is not taken for a month's data.
            problems.append(Problem(Location(workspace.display(path)), "rows of the month's indicators (units' counts or published totals), or no such file in the month's folder", "a file with no rows"))
            continue
        frames.append(frame)
        sheets += sorted({f"{workspace.display(path)} › {sheet}" for sheet in frame["source_sheet"].dropna().unique()})
    if len(frames) == 1:
        month_frame = frames[0]  # conformed by read_source already; a copy of a national month costs its size again
    else:
        month_frame = conform(pd.concat(frames, ignore_index=True)) if frames else conform(pd.DataFrame())
    if not problems:
        if len(frames) > 1:  # each file's own duplicates were checked as it was read
            problems += duplicate_problems(month_frame)
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
    return IngestedMonth(month.province, month.period, output, frame.loc[frame["row_kind"] == "unit", "unit_id"].nunique(), len(frame), frame)


def ingest_all(
    workspace: Workspace,
    catalogue: Catalogue,
    registry: UnitRegistry,
    provinces: list[str] | None = None,
    periods: list[str] | None = None,
    progress: Callable[[str], None] = print,
    manifest: IngestManifest | None = None,
) -> tuple[list[IngestedMonth], list[tuple[str, InputError]]]:
    """Ingest every raw month (or those chosen); a month that fails leaves the others and its old output alone.

    With a ``manifest``, a month whose files, catalogue, registry and code are those its processed
    file was made from is not read again (``IngestedMonth.unchanged``); each month ingested is
    recorded in it (the caller saves it). Failures are (what failed: "province YYYY-MM" or a
    misplaced folder's path, why)."""
    misplaced: list[Problem] = []
    months = discover_months(workspace, provinces, periods, misplaced)
    failed = [(problem.location.file, InputError([problem], "Not a month folder")) for problem in misplaced]
    for label, error in failed:
        progress(f"{printable(label)}: FAILED\n{error}")
    made_from = {month: manifest.made_from(month.directory) for month in months} if manifest else {}
    done = []
    index = 0
    for province_months in _by_province(months):
        unchanged = {month: found for month in province_months if (found := _unchanged(workspace, manifest, month, made_from.get(month))) is not None}
        together = ingest_together(workspace, catalogue, registry, [month for month in province_months if month not in unchanged])
        for month in province_months:
            index += 1
            label = f"{month.province} {month.period}"
            try:
                ingested = unchanged.get(month) or together.get(month) or ingest_month(workspace, catalogue, registry, month)
            except InputError as error:
                failed.append((label, error))
                progress(f"[{index}/{len(months)}] {printable(label)}: FAILED\n{error}")
                continue
            done.append(ingested)
            if manifest and not ingested.unchanged:
                manifest.record(_key(month), made_from[month], ingested.output, {"units": ingested.units, "rows": ingested.rows})
            note = " (unchanged: not read again)" if ingested.unchanged else ""
            progress(f"[{index}/{len(months)}] {printable(label)}: {ingested.units} units, {ingested.rows} rows → {printable(workspace.display(ingested.output))}{note}")
    return done, failed


def _key(month: RawMonth) -> str:
    return f"{month.province}/{month.period}"


def _unchanged(workspace: Workspace, manifest: IngestManifest | None, month: RawMonth, made_from: str | None) -> IngestedMonth | None:
    """The month as its processed file has it, if the manifest says nothing it was made from has changed."""
    if manifest is None or made_from is None:
        return None
    output = month_path(workspace, month.province, month.period)
    summary = manifest.unchanged(_key(month), made_from, output)
    if summary is None:
        return None
    return IngestedMonth(month.province, month.period, output, int(summary.get("units", 0)), int(summary.get("rows", 0)))  # type: ignore[call-overload]


def _by_province(months: list[RawMonth]) -> list[list[RawMonth]]:
    """Months (in province order) grouped by province."""
    groups: dict[str, list[RawMonth]] = {}
    for month in months:
        groups.setdefault(month.province, []).append(month)
    return list(groups.values())
