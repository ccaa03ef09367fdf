"""The parameters of each report kind, checked in one place before anything runs.

Each kind has one frozen dataclass (``MonthlyParameters``, ``NationalParameters``,
``Index766Parameters``) whose field names are the notebook's parameter names. Its ``check``
constructor is how the runner and the notebooks make one: it returns the parameters ready to
use (a month as ``YYYY-MM``, a 766 snapshot resolved to its date and period kind) or raises
``ReportParameterError`` with one sentence a person can act on, in the same words whether the
command line or a notebook run by hand asked.

The sentences are for whoever runs the reports (the console, a failed notebook), in English
like every other error of the tool; the reports' own words are in the message catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Protocol

import pandas as pd

from helpers.context import Context
from helpers.messages import DEFAULT_LANGUAGE, LANGUAGES
from helpers.periods import check_period
from helpers.store import stored_months
from helpers.tidy766 import PERIOD_KINDS, Snapshot, parse_snapshot_date, snapshots_in

SNAPSHOT_COLUMNS = ["period_kind", "period", "snapshot_date"]


class ReportParameterError(ValueError):
    """A report parameter that cannot be used. The message is one sentence, without a traceback."""


class ReportParameters(Protocol):
    """What the runner reads of every parameter model."""

    language: str
    laggards: int


def notebook_parameter_names(model: type) -> list[str]:
    """The names a parameter model gives its notebook's ``parameters`` cell (all but ``data_dir``)."""
    return [item.name for item in fields(model)]


def notebook_parameters(parameters: ReportParameters) -> dict[str, object]:
    """A parameter model as the notebook's ``parameters`` cell names it."""
    return {name: getattr(parameters, name) for name in notebook_parameter_names(type(parameters))}


@dataclass(frozen=True)
class MonthlyParameters:
    """One province's monthly report."""

    province: str
    month: str  # YYYY-MM
    language: str = DEFAULT_LANGUAGE
    laggards: int = 5  # units shown per indicator

    @classmethod
    def check(cls, context: Context, province: str, month: str, language: str = DEFAULT_LANGUAGE, laggards: int = 5) -> MonthlyParameters:
        _check_reader(language, laggards)
        period = _check_month(month)
        months = check_province(context, province)
        if period not in months:
            raise ReportParameterError(f"there is no data for {province} {period}; months with data: {', '.join(months)}")
        return cls(province, period, language, laggards)


@dataclass(frozen=True)
class NationalParameters:
    """The national summary of one month: every province with data for it."""

    month: str  # YYYY-MM
    language: str = DEFAULT_LANGUAGE
    laggards: int = 5  # provinces shown per indicator

    @classmethod
    def check(cls, context: Context, month: str, language: str = DEFAULT_LANGUAGE, laggards: int = 5) -> NationalParameters:
        _check_reader(language, laggards)
        period = _check_month(month)
        months = months_with_data(context)
        if period not in months:
            raise ReportParameterError(f"no province has data for {period}; months with data: {', '.join(months)}")
        return cls(period, language, laggards)


@dataclass(frozen=True)
class Index766Parameters:
    """One province's 766 report of one snapshot."""

    province: str
    snapshot_date: str  # YYYY-MM-DD
    period_kind: str  # one of tidy766.PERIOD_KINDS
    # What the snapshot covers ("2026", "2026-09"): two periods may be taken the same day (a
    # back-filled month 2 beside month 3), so a page names its period too.
    period: str
    language: str = DEFAULT_LANGUAGE
    laggards: int = 10  # units shown per level or group

    @classmethod
    def check(
        cls, context: Context, province: str, snapshot_date: str | None = None, period_kind: str | None = "year_to_date",
        language: str = DEFAULT_LANGUAGE, laggards: int = 10, period: str | None = None,
    ) -> Index766Parameters:
        """A blank ``snapshot_date`` is the latest snapshot of ``period_kind``; a blank period
        kind is the kind of the latest snapshot; a blank ``period`` is the latest period taken that day."""
        _check_reader(language, laggards)
        snapshot = _choose_snapshot(province, stored_snapshots(context, province), snapshot_date or "", period_kind, period or "")
        return cls(province, snapshot.snapshot_date, snapshot.period_kind, snapshot.period, language, laggards)


def _choose_snapshot(province: str, snapshots: list[Snapshot], snapshot_date: str, period_kind: str | None, period: str = "") -> Snapshot:
    kind = period_kind or max(snapshots, key=lambda snapshot: snapshot.snapshot_date).period_kind
    if kind not in PERIOD_KINDS:
        raise ReportParameterError(f"period_kind is one of {', '.join(PERIOD_KINDS)}; got {kind!r}")
    of_kind = [snapshot for snapshot in snapshots if snapshot.period_kind == kind and (not period or snapshot.period == period)]
    if not of_kind and period:
        periods = ", ".join(sorted({snapshot.period for snapshot in snapshots if snapshot.period_kind == kind}))
        raise ReportParameterError(f"no {kind} snapshot of {province} for period {period}; periods with data: {periods}")
    if not of_kind:
        kinds = ", ".join(sorted({snapshot.period_kind for snapshot in snapshots}))
        raise ReportParameterError(f"no {kind} snapshot of the 766 index for {province}; period kinds with data: {kinds}")
    if not snapshot_date:
        return of_kind[-1]
    try:
        wanted = parse_snapshot_date(snapshot_date)
    except ValueError as error:
        raise ReportParameterError(f"the snapshot date is {error}") from None
    matching = [snapshot for snapshot in of_kind if snapshot.snapshot_date == wanted]
    if not matching:
        dates = ", ".join(snapshot.date_label() for snapshot in of_kind)
        raise ReportParameterError(f"no {kind} snapshot of {province} taken on {snapshot_date}; snapshots: {dates}")
    return matching[-1]


def _check_reader(language: object, laggards: object) -> None:
    """What every report has: the language it is written in, how many units it lists."""
    if language not in LANGUAGES:
        raise ReportParameterError(f"the report language is {' or '.join(map(repr, LANGUAGES))}; got {language!r}")
    if not isinstance(laggards, int) or isinstance(laggards, bool) or laggards < 1:
        raise ReportParameterError(f"the number of units to show (laggards) is a whole number of at least 1; got {laggards!r}")


def _check_month(month: str) -> str:
    try:
        return check_period(month)
    except ValueError as error:
        raise ReportParameterError(str(error)) from None


def select_months(selection: str, available: list[str]) -> list[str]:
    """``2024-01..2024-06,2024-09`` → the chosen months: a range takes the months with data in it."""
    chosen: list[str] = []
    for part in (item.strip() for item in selection.split(",")):
        if not part:
            continue
        if ".." in part:
            first, _, last = part.partition("..")
            first, last = _check_month(first), _check_month(last)
            in_range = [month for month in available if first <= month <= last]
            if not in_range:
                raise ReportParameterError(f"there is no month with data from {first} to {last}; months with data: {', '.join(available) or 'none'}")
            chosen += in_range
        else:
            chosen.append(_check_month(part))
    return list(dict.fromkeys(chosen))


def check_province(context: Context, province: str) -> list[str]:
    """The months with ingested data for a province the registry knows; otherwise ReportParameterError."""
    _check_known(context, province)
    months = list(stored_months(context.workspace, province)["period"])
    if not months:
        raise ReportParameterError(
            f"there is no ingested data for {province} in {context.workspace.display(context.workspace.processed_dir)}; "
            "run `python -m helpers ingest` first"
        )
    return months


def stored_snapshots(context: Context, province: str) -> list[Snapshot]:
    """The 766 snapshots ingested for a province the registry knows; otherwise ReportParameterError."""
    _check_known(context, province)
    path = _index766_path(context, province)
    snapshots = snapshots_in(pd.read_parquet(path, columns=SNAPSHOT_COLUMNS)) if path.is_file() else []
    if not snapshots:
        raise ReportParameterError(
            f"there is no ingested 766 data for {province}; put its files in data/raw/{province}/766/ and run `python -m helpers ingest`"
        )
    return snapshots


def _index766_path(context: Context, province: str) -> Path:
    # Imported here: the 766 readers (openpyxl among them) cost the monthly report's kernel a
    # tenth of a second it would spend for nothing.
    from helpers.ingest.index766 import processed_path

    return processed_path(context.workspace, province)


def _check_known(context: Context, province: str) -> None:
    registry = context.registry
    if not registry.has_province(province):
        known = ", ".join(sorted(registry.provinces["province"])) or "none"
        raise ReportParameterError(
            f"unknown province {province!r}: {context.workspace.display(registry.directory / 'provinces.csv')} lists {known}"
        )


def months_with_data(context: Context) -> list[str]:
    """Every month some province has data for; ReportParameterError when nothing is ingested."""
    months = sorted(stored_months(context.workspace)["period"].unique())
    if not months:
        raise ReportParameterError(nothing_ingested(context))
    return months


def provinces_with_data(context: Context) -> list[str]:
    return sorted(stored_months(context.workspace)["province"].unique())


def provinces_with_766(context: Context) -> list[str]:
    processed = context.workspace.processed_dir
    if not processed.is_dir():
        return []
    return sorted(path.name for path in processed.iterdir() if _index766_path(context, path.name).is_file())


def nothing_ingested(context: Context) -> str:
    processed = context.workspace.display(context.workspace.processed_dir)
    return f"there is no ingested data in {processed}; run `python -m helpers ingest` first"
