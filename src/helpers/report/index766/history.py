"""The 766 report's history tables: the province capture by capture, and how its units moved
(counts up, down and unchanged; the top risers and fallers with their 7-day change and falls in
a row). The figures are helpers.analysis.index766.history's; these are DataFrames of display
strings headed in the report's language, shown through helpers.report.toolkit.frame_table.
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import messages
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.changes import SCOPE_TOTAL
from helpers.analysis.index766.history import MOVEMENTS, movement_counts, province_history, top_movers, unit_movement
from helpers.report.index766.phrases import Columns, points, points_change_text, rank_text


def _snapshot_history(analysis: Index766Analysis) -> pd.DataFrame:
    """The province's rows of every capture of the analysed period kind up to the analysed one."""
    history = province_history(analysis.tidy)
    return history[history["snapshot_date"] <= analysis.snapshot.snapshot_date]


def has_history(analysis: Index766Analysis) -> bool:
    """At least two captures of the province's own figures to show side by side."""
    return _snapshot_history(analysis)["snapshot_date"].nunique() > 1


def province_history_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """One row per capture: the date, the province's total, its national rank (when the source
    ranks it) and each group's points."""
    labels = Columns(language)
    history = _snapshot_history(analysis)
    if history.empty:
        return pd.DataFrame()
    wide = history.pivot_table(index="snapshot_date", columns="scope", values="points", aggfunc="first")
    ranks = history[history["scope"] == SCOPE_TOTAL].drop_duplicates("snapshot_date").set_index("snapshot_date")
    rows = []
    for date, values in wide.iterrows():
        row = {labels["date"]: pd.Timestamp(date).strftime("%d/%m/%Y"), labels["total"]: points(values.get(SCOPE_TOTAL), language)}
        if ranks["rank"].notna().any():
            found = ranks.loc[date] if date in ranks.index else None
            row[labels["rank"]] = rank_text(found["rank"], found["rank_base"], False, language) if found is not None else rank_text(None, None, False, language)
        for code, group in analysis.rules.groups.items():
            if code in wide.columns:
                row[group.name(language)] = points(values.get(code), language)
        rows.append(row)
    return pd.DataFrame(rows)


def movement(analysis: Index766Analysis) -> pd.DataFrame:
    return unit_movement(analysis.scores, analysis.snapshot, analysis.snapshots, analysis.settings["index766_points_tolerance"])


def movement_table(analysis: Index766Analysis, moved: pd.DataFrame, language: str = "vi") -> pd.DataFrame:
    """Per level, how many units rose, fell, held or could not be compared since their previous capture."""
    labels, text = Columns(language), messages(language)
    if moved.empty:
        return pd.DataFrame()
    counts = movement_counts(moved)
    order = {level: position for position, level in enumerate(analysis.catalogue.levels)}
    counts = counts.sort_values("level", key=lambda levels: levels.map(lambda level: order.get(level, len(order))), kind="stable")
    return pd.DataFrame([
        {labels["level"]: analysis.catalogue.level_name(str(row["level"]), language), **{labels[kind]: text.number(int(row[kind])) for kind in MOVEMENTS}}
        for _, row in counts.iterrows()
    ])


def movers_table(analysis: Index766Analysis, moved: pd.DataFrame, direction: str, count: int, language: str = "vi") -> pd.DataFrame:
    """The ``count`` units that rose (``up``) or fell (``down``) most, with the 7-day change and falls in a row."""
    labels, text = Columns(language), messages(language)
    tolerance = analysis.settings["index766_points_tolerance"]
    rows = []
    for _, row in top_movers(moved, count, direction).iterrows():
        week = row["week_change"]
        rows.append({
            labels["unit"]: row["unit_name"],
            labels["level"]: analysis.catalogue.level_name(str(row["level"]), language),
            labels["total"]: points(row["score"], language),
            labels["change"]: points_change_text(row["change"], "compared", tolerance, language),
            labels["week_change"]: points_change_text(week, "compared", tolerance, language) if pd.notna(week) else text("common.state.missing"),
            labels["falls"]: text.number(int(row["falls_in_a_row"])),
        })
    return pd.DataFrame(rows)
