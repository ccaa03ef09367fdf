"""The kinds of report there are: the registry that the command line, the runner's jobs and the
index page read.

A ``ReportKind`` says all the runner needs of one report: its notebook, its parameter model
(helpers.report.params), the checked parameters of every report a ``Selection`` asks for, the
file each report is written to and the label of its progress line, and the message that heads
its reports on the index page. ``ReportKind.jobs`` turns them into ``RenderJob``s, which the
runner (helpers.report.batch) renders without knowing any kind. A new report is one more
``register`` call; the order of registration is the order of the index page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any, Generic, TypeVar

from helpers.analysis.index766.history import page_snapshots
from helpers.analysis.monthly.engine import NATIONAL
from helpers.context import Context
from helpers.documents.companions import index766_companions, monthly_companions
from helpers.messages import DEFAULT_LANGUAGE
from helpers.paths import notebook_path
from helpers.report.batch import RenderJob
from helpers.report.params import (
    Index766Parameters,
    MonthlyParameters,
    NationalParameters,
    ReportParameterError,
    ReportParameters,
    check_province,
    months_with_data,
    nothing_ingested,
    notebook_parameters,
    provinces_with_766,
    provinces_with_data,
    select_months,
    stored_snapshots,
)

Parameters = TypeVar("Parameters", bound=ReportParameters)


@dataclass(frozen=True)
class Selection:
    """Which reports to render, as the command line chose them; None: all with data."""

    provinces: tuple[str, ...] | None = None
    months: str | None = None  # "2024-01..2024-06,2024-09"; a kind without months ignores it
    language: str = DEFAULT_LANGUAGE
    laggards: int = 5


@dataclass(frozen=True)
class ReportKind(Generic[Parameters]):
    """One kind of report, as the runner and the index page see it."""

    name: str  # the command line's --kind and the headline's kind
    notebook: Path
    parameters: type[Parameters]  # its parameter model: a frozen dataclass of the notebook's parameters
    reports: Callable[[Context, Selection], list[Parameters]]  # the checked parameters of each report asked for
    output: Callable[[Parameters], PurePosixPath]  # where a report goes, inside the reports folder
    label: Callable[[Parameters], str]  # the report on a progress line: "binh_dinh 2024-02"
    heading: str  # message key: how the index page heads this kind's reports
    provinces: Callable[[Context], list[str]] | None = None  # provinces with its data; None: one report for the country
    companions: Callable[[dict[str, object], Path], list[Path]] | None = None  # documents filed beside each report

    def jobs(self, context: Context, selection: Selection, reports_dir: Path) -> list[RenderJob]:
        """The render jobs of every report ``selection`` asks for, all parameters checked."""
        data_dir = str(context.workspace.data_dir)
        return [
            RenderJob(
                self.label(chosen), self.notebook, {**notebook_parameters(chosen), "data_dir": data_dir}, reports_dir / self.output(chosen), chosen.language,
                self.companions, _inputs(context, notebook_parameters(chosen)),
            )
            for chosen in self.reports(context, selection)
        ]


def _inputs(context: Context, parameters: dict[str, object]) -> tuple[Path, ...]:
    """What a report reads: the catalogue, the unit registry and its province's processed data
    (every province's for a report of the whole country)."""
    workspace = context.workspace
    province = parameters.get("province")
    processed = workspace.processed_dir / str(province) if province else workspace.processed_dir
    return (workspace.catalogue_dir, workspace.units_dir, processed)


KINDS: dict[str, ReportKind[Any]] = {}


def register(kind: ReportKind[Parameters]) -> ReportKind[Parameters]:
    KINDS[kind.name] = kind
    return kind


def province_kinds() -> list[ReportKind[Any]]:
    """The kinds with one report per province (the command line's --kind)."""
    return [kind for kind in KINDS.values() if kind.provinces is not None]


def country_kinds() -> list[ReportKind[Any]]:
    """The kinds with one report for the whole country (the command line's --national)."""
    return [kind for kind in KINDS.values() if kind.provinces is None]


def plan(kinds: Sequence[ReportKind[Any]], context: Context, selection: Selection, reports_dir: Path) -> list[RenderJob]:
    """The jobs of several kinds. Together, each kind renders the chosen provinces it has data
    for (a province with 766 data only is no error when both kinds are wanted); a chosen
    province no kind has data for goes to the first kind, whose check says why."""
    if len(kinds) == 1:
        return kinds[0].jobs(context, selection, reports_dir)
    whole_country = [kind.name for kind in kinds if kind.provinces is None]
    if whole_country:
        raise ReportParameterError(f"the {' and '.join(whole_country)} report covers the whole country: render it on its own")
    with_data = [set(kind.provinces(context)) for kind in kinds if kind.provinces is not None]
    wanted = selection.provinces or tuple(sorted(set().union(*with_data)))
    nowhere = {province for province in wanted if not any(province in has for has in with_data)}
    jobs = []
    for position, (kind, has) in enumerate(zip(kinds, with_data)):
        mine = tuple(province for province in wanted if province in has or (position == 0 and province in nowhere))
        if mine:
            jobs += kind.jobs(context, replace(selection, provinces=mine), reports_dir)
    return jobs


def _language_suffix(language: str, separator: str) -> str:
    """The default language's report has the plain name; another is written beside it."""
    return "" if language == DEFAULT_LANGUAGE else f"{separator}{language}"


# -- the monthly report: one per province and month ------------------------------------------------


def _monthly_reports(context: Context, selection: Selection) -> list[MonthlyParameters]:
    provinces = selection.provinces or provinces_with_data(context)
    if not provinces:
        raise ReportParameterError(nothing_ingested(context))
    chosen = []
    for province in provinces:
        available = check_province(context, province)
        for month in select_months(selection.months, available) if selection.months else available:
            chosen.append(MonthlyParameters.check(context, province, month, selection.language, selection.laggards))
    return chosen


MONTHLY = register(ReportKind(
    name="monthly",
    notebook=notebook_path("monthly_report.ipynb"),
    parameters=MonthlyParameters,
    reports=_monthly_reports,
    output=lambda chosen: PurePosixPath(chosen.province, f"{chosen.month}{_language_suffix(chosen.language, '.')}.html"),
    label=lambda chosen: f"{chosen.province} {chosen.month}{_language_suffix(chosen.language, ' ')}",
    heading="monthly.report.kind",
    provinces=provinces_with_data,
    companions=monthly_companions,
))


# -- the national summary: one per month any province has data for -----------------------------------


def _national_reports(context: Context, selection: Selection) -> list[NationalParameters]:
    available = months_with_data(context)
    months = select_months(selection.months, available) if selection.months else available
    return [NationalParameters.check(context, month, selection.language, selection.laggards) for month in months]


NATIONAL_SUMMARY = register(ReportKind(
    name="national",
    notebook=notebook_path("national_summary.ipynb"),
    parameters=NationalParameters,
    reports=_national_reports,
    output=lambda chosen: PurePosixPath(NATIONAL, f"{chosen.month}{_language_suffix(chosen.language, '.')}.html"),
    label=lambda chosen: f"{NATIONAL} {chosen.month}{_language_suffix(chosen.language, ' ')}",
    heading="national.report.kind",
))


# -- the 766 report: one per province and capture with a page ---------------------------------------


def _index766_reports(context: Context, selection: Selection) -> list[Index766Parameters]:
    """The captures that get a page of their own (page_snapshots: the latest and each month's
    last, setting ``index766_pages_per_month``), not one page per daily capture."""
    chosen = []
    per_month = int(context.catalogue.setting("index766_pages_per_month"))
    for province in selection.provinces or provinces_with_766(context):
        for snapshot in page_snapshots(stored_snapshots(context, province), per_month):
            chosen.append(Index766Parameters.check(context, province, snapshot.snapshot_date, snapshot.period_kind, selection.language, selection.laggards, snapshot.period))
    return chosen


def _index766_stem(chosen: Index766Parameters) -> str:
    """``766-<date>`` for the year to date; other period kinds name theirs (``766-month-2026-09-<date>``)."""
    if chosen.period_kind == "year_to_date":
        return f"766-{chosen.snapshot_date}"
    return f"766-{chosen.period_kind}-{chosen.period}-{chosen.snapshot_date}"


INDEX766 = register(ReportKind(
    name="index766",
    notebook=notebook_path("index_766_report.ipynb"),
    parameters=Index766Parameters,
    reports=_index766_reports,
    output=lambda chosen: PurePosixPath(chosen.province, f"{_index766_stem(chosen)}{_language_suffix(chosen.language, '.')}.html"),
    label=lambda chosen: f"{chosen.province} 766 {chosen.snapshot_date}"
    + ("" if chosen.period_kind == "year_to_date" else f" {chosen.period_kind} {chosen.period}") + _language_suffix(chosen.language, " "),
    heading="index766.report.kind",
    provinces=provinces_with_766,
    companions=index766_companions,
))
