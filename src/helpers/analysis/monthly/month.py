"""One province's month analysed: its tidy rows, the engine's results and the data checks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.analysis.monthly.checks import run_checks
from helpers.analysis.monthly.engine import IndicatorResults, evaluate
from helpers.context import Context
from helpers.periods import check_period, previous_period
from helpers.store import load_tidy, stored_months


@dataclass(frozen=True)
class MonthAnalysis:
    """One province's month, with every earlier month loaded for changes and trends.

    ``checks`` covers the month and the month before it; ``month_checks`` is the month's.
    """

    province: str
    period: str
    tidy: pd.DataFrame
    results: IndicatorResults
    checks: pd.DataFrame

    @property
    def month(self) -> IndicatorResults:
        return self.results.month(self.period)

    @property
    def month_checks(self) -> pd.DataFrame:
        return self.checks[self.checks["period"] == self.period].reset_index(drop=True)

    @property
    def has_previous(self) -> bool:
        return bool(self.month.aggregates["previous_rate"].notna().any())


def analyse_month(context: Context, province: str, period: str) -> MonthAnalysis:
    """Evaluate a processed month; a clear ValueError when the province or month is not there."""
    period = check_period(period)
    months = stored_months(context.workspace, province)
    if months.empty:
        known = ", ".join(sorted(stored_months(context.workspace)["province"].unique())) or "none"
        raise ValueError(f"no processed data for province {province!r} in {context.workspace.display(context.workspace.processed_dir)} (provinces with data: {known}); run the ingest first")
    if period not in set(months["period"]):
        raise ValueError(f"no processed data for {province} {period}; months with data: {', '.join(months['period'])}")
    periods = [month for month in months["period"] if month <= period]
    tidy = load_tidy(context.workspace, province, periods)
    results = evaluate(tidy, context.catalogue)
    # Checks of the month and of the month before (the unit-presence check compares the two):
    # checking every earlier month again made each report's cost grow with the history.
    checked = [month for month in (previous_period(period), period) if month in periods]
    in_checked = (frame[frame["period"].isin(checked)] for frame in (results.units, results.aggregates, results.published))
    checks = run_checks(tidy[tidy["period"].isin(checked)], IndicatorResults(*in_checked), context.catalogue, context.registry)
    return MonthAnalysis(province, period, tidy, results, checks)
