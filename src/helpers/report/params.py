"""Checking a report's parameters before anything runs, with one sentence a person can act on."""

from __future__ import annotations

from helpers.context import Context
from helpers.periods import check_period
from helpers.store import stored_months
from helpers.report.labels import check_language


class ReportParameterError(ValueError):
    """A report parameter that cannot be used. The message is one sentence, without a traceback."""


def check_parameters(context: Context, province: str, month: str, language: str = "vi", laggards: int = 5) -> str:
    """The month as ``YYYY-MM`` when every parameter can be used; otherwise ReportParameterError."""
    period = _check_common(month, language, laggards)
    months = check_province(context, province)
    if period not in months:
        raise ReportParameterError(f"there is no data for {province} {period}; months with data: {', '.join(months)}")
    return period


def check_national_parameters(context: Context, month: str, language: str = "vi", laggards: int = 5) -> str:
    """The month as ``YYYY-MM`` when some province has data for it (the national summary's parameters)."""
    period = _check_common(month, language, laggards)
    months = sorted(stored_months(context.workspace)["period"].unique())
    if not months:
        raise ReportParameterError(
            f"there is no ingested data in {context.workspace.display(context.workspace.processed_dir)}; run `python -m helpers ingest` first"
        )
    if period not in months:
        raise ReportParameterError(f"no province has data for {period}; months with data: {', '.join(months)}")
    return period


def _check_common(month: str, language: str, laggards: object) -> str:
    """The parameters every report has: the month (returned as ``YYYY-MM``), language, laggards."""
    try:
        check_language(language)
        period = check_period(month)
    except ValueError as error:
        raise ReportParameterError(str(error)) from None
    if not isinstance(laggards, int) or isinstance(laggards, bool) or laggards < 1:
        raise ReportParameterError(f"the number of laggards to show is a whole number of at least 1; got {laggards!r}")
    return period


def check_province(context: Context, province: str) -> list[str]:
    """The months with ingested data for a province the registry knows; otherwise ReportParameterError."""
    registry = context.registry
    if not registry.has_province(province):
        known = ", ".join(sorted(registry.provinces["province"])) or "none"
        raise ReportParameterError(
            f"unknown province {province!r}: {context.workspace.display(registry.directory / 'provinces.csv')} lists {known}"
        )
    months = list(stored_months(context.workspace, province)["period"])
    if not months:
        raise ReportParameterError(
            f"there is no ingested data for {province} in {context.workspace.display(context.workspace.processed_dir)}; "
            "run `python -m helpers ingest` first"
        )
    return months


def provinces_with_data(context: Context) -> list[str]:
    return sorted(stored_months(context.workspace)["province"].unique())
