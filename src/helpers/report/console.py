"""The month's summary for the console (``python -m helpers summary``): plain figures in a DataFrame.

The rows are the monthly report's summary (``figures.summary_lines``), written for a terminal:
full indicator names, each figure as the report shows it without colours (``95% (công bố)`` where
only the published figure exists, ``78,8% · công bố 71,2%`` where it differs), the change in points.
"""

from __future__ import annotations

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.messages import messages
from helpers.report.monthly import figures


def summary_table(aggregates: pd.DataFrame, catalogue: Catalogue, language: str = "vi") -> pd.DataFrame:
    """One row per indicator: targets, the province's and each level's pooled rate, change."""
    m = messages(language)
    levels, lines = figures.summary_lines(aggregates, catalogue)
    rows = []
    for line in lines:
        whole = line.whole
        row = {
            m("monthly.console.indicator"): catalogue.indicator(line.indicator).name(language),
            m("monthly.console.central"): m.percent(whole["central_target"]),
            m("monthly.console.provincial"): m.percent(whole["provincial_target"]),
            catalogue.level_name(WHOLE_PROVINCE, language): figures.figure_text(whole, language),
        }
        for level in levels:
            row[catalogue.level_name(level, language)] = figures.figure_text(line.levels[level], language) if level in line.levels else m("common.state.missing")
        has_previous = pd.notna(whole["previous_rate"])
        row[m("monthly.console.change")] = m.signed(whole["delta_pp"]) if has_previous else m("common.state.no_comparison")
        rows.append(row)
    return pd.DataFrame(rows)
