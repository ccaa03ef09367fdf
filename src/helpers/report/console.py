"""Tables for people: Vietnamese (or English) labels and number formats, ready to display."""

from __future__ import annotations

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.numbers import format_percent, format_signed

LABELS = {
    "vi": {"indicator": "Chỉ tiêu", "central": "Trung ương", "provincial": "Tỉnh giao", "change": "So với tháng trước (điểm %)", "no_comparison": "chưa có kỳ so sánh"},
    "en": {"indicator": "Indicator", "central": "Central target", "provincial": "Provincial target", "change": "Change since last month (pp)", "no_comparison": "no comparison yet"},
}


def summary_table(aggregates: pd.DataFrame, catalogue: Catalogue, language: str = "vi") -> pd.DataFrame:
    """One row per indicator: targets, the province's and each level's pooled rate, change."""
    labels = LABELS[language]
    scopes = [level for level in catalogue.levels if level in set(aggregates["level"])]
    rows = []
    for indicator in catalogue.indicators.values():
        part = aggregates[aggregates["indicator"] == indicator.id].set_index("level")
        if part.empty:
            continue
        whole = part.loc[WHOLE_PROVINCE] if WHOLE_PROVINCE in part.index else None
        row = {
            labels["indicator"]: indicator.name(language),
            labels["central"]: format_percent(whole["central_target"] if whole is not None else None, language=language),
            labels["provincial"]: format_percent(whole["provincial_target"] if whole is not None else None, language=language),
            catalogue.level_name(WHOLE_PROVINCE, language): format_percent(whole["rate"] if whole is not None else None, language=language),
        }
        for level in scopes:
            row[catalogue.level_name(level, language)] = format_percent(part.loc[level, "rate"] if level in part.index else None, language=language)
        delta = whole["delta_pp"] if whole is not None else None
        has_previous = whole is not None and pd.notna(whole["previous_rate"])
        row[labels["change"]] = format_signed(delta, language=language) if has_previous else labels["no_comparison"]
        rows.append(row)
    return pd.DataFrame(rows)
