"""The 766 report's tables of points at stake: where the province and its units lose points,
how many more dossiers would win them back, and whose improvement lifts the province most.

The figures are helpers.analysis.index766.stakes'; these are DataFrames of display strings
headed in the report's language, shown through helpers.report.toolkit.frame_table.
"""

from __future__ import annotations

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.messages import messages
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.stakes import group_stakes, indicator_stakes, lever_coverage, overdue_by_unit, overdue_summary, province_levers
from helpers.analysis.index766.national import levers_to_close
from helpers.report.index766.phrases import Columns, needed_text, points, rank_text


def stakes_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The ``count`` units losing the most points, with the points lost in each group."""
    labels = Columns(language)
    stakes = group_stakes(analysis.current)
    stakes = stakes[stakes["level"] != WHOLE_PROVINCE]
    wide = stakes.pivot_table(index=["unit_id", "unit_name", "level"], columns="group", values="lost_points", aggfunc="sum")
    wide = wide.reindex(columns=list(analysis.rules.groups)).assign(_total=lambda frame: frame.sum(axis=1))
    wide = wide.sort_values("_total", ascending=False, kind="stable").head(count).reset_index()
    rows = []
    for _, row in wide.iterrows():
        record = {labels["unit"]: row["unit_name"], labels["level"]: analysis.catalogue.level_name(row["level"], language), labels["lost"]: points(row["_total"], language)}
        for code, group in analysis.rules.groups.items():
            record[group.name(language)] = points(row[code], language)
        rows.append(record)
    return pd.DataFrame(rows)


def _indicator_cells(analysis: Index766Analysis, row: pd.Series, labels: Columns, language: str) -> dict[str, str]:
    """A sub-indicator's ratio against its threshold, the points it loses and the dossiers it needs."""
    text, rule = messages(language), analysis.rules.rules[row["indicator"]]
    return {
        labels["indicator"]: rule.name(language),
        labels["ratio"]: text.percent(row["ratio_used"], 2),
        labels["threshold"]: text.percent(row["threshold"], 0),
        labels["lost"]: points(row["lost_points"], language),
        labels["needed"]: needed_text(row["gap_count"], rule, language),
    }


def province_stakes_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """Where the province itself loses points: each group, and each sub-indicator the source
    details, with how many more dossiers (procedures, services…) would win the points back."""
    labels = Columns(language)
    stakes = group_stakes(analysis.current)
    stakes = stakes[stakes["level"] == WHOLE_PROVINCE]
    details = indicator_stakes(analysis.current)
    details = details[details["level"] == WHOLE_PROVINCE]
    rows = []
    for _, group_row in stakes.sort_values("lost_points", ascending=False, kind="stable").iterrows():
        group = analysis.rules.groups[group_row["group"]]
        rows.append({labels["group"]: group.name(language), labels["indicator"]: "", labels["ratio"]: "", labels["threshold"]: "",
                     labels["lost"]: points(group_row["lost_points"], language), labels["needed"]: ""})
        for _, row in details[details["group"] == group.code].iterrows():
            rows.append({labels["group"]: "", **_indicator_cells(analysis, row, labels, language)})
    return pd.DataFrame(rows)


def unit_indicator_stakes_table(analysis: Index766Analysis, count: int | None = 10, language: str = "vi") -> pd.DataFrame:
    """The units' sub-indicators losing the most points (all of them when ``count`` is None),
    with the dossiers (procedures, petitions…) each unit needs to win them back; empty when the
    source gives units' group scores only."""
    labels = Columns(language)
    stakes = indicator_stakes(analysis.current)
    stakes = stakes[stakes["level"] != WHOLE_PROVINCE]
    rows = [
        {labels["unit"]: row["unit_name"], labels["level"]: analysis.catalogue.level_name(row["level"], language), **_indicator_cells(analysis, row, labels, language)}
        for _, row in (stakes if count is None else stakes.head(count)).iterrows()
    ]
    return pd.DataFrame(rows)


def levers_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The units whose reaching the threshold would raise the province's score most (empty when
    the source has no per-unit counts; see lever_note)."""
    labels = Columns(language)
    levers = province_levers(analysis.current, analysis.rules)
    rows = []
    for _, row in levers.head(count).iterrows():
        rule = analysis.rules.rules[row["indicator"]]
        rows.append({
            labels["unit"]: row["unit_name"], labels["indicator"]: rule.name(language),
            labels["share_den"]: messages(language).percent(row["share_of_province"], 1),
            labels["needed"]: needed_text(row["gap_count"], rule, language),
            labels["gain"]: points(row["province_gain"], language),
        })
    return pd.DataFrame(rows)


def lever_note(analysis: Index766Analysis, language: str = "vi") -> str:
    """How the levers are computed, or why they cannot be for this source."""
    text = messages(language)
    if not province_levers(analysis.current, analysis.rules).empty:
        return text("index766.levers.method")
    if (analysis.current.totals["level"] == WHOLE_PROVINCE).all():
        return text("index766.levers.province_only")
    coverage = lever_coverage(analysis.current)
    if 0 < coverage["counted"] < coverage["units"]:
        return text("index766.levers.some_units_counted", counted=text.number(coverage["counted"]), units=text.number(coverage["units"]))
    return text("index766.levers.group_scores_only")


def overdue(analysis: Index766Analysis) -> pd.DataFrame:
    return overdue_by_unit(analysis.tidy, analysis.snapshot)


def overdue_sentence(analysis: Index766Analysis, language: str = "vi") -> str:
    """As the province's notice writes it: units with overdue dossiers, how many, their share."""
    text = messages(language)
    found = overdue(analysis)
    if found.empty:
        return text("index766.overdue.none")
    summary = overdue_summary(found)
    return text(
        "index766.overdue.summary", date=analysis.snapshot.date_label(), assessed=text.number(len(found)), units=text.number(summary["units"]),
        units_over=text.number(summary["units_over"]), many=text.number(summary["many"]), overdue=text.number(summary["overdue"]),
        share=text.percent(summary["share"], 2),
    )


def overdue_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The ``count`` units with the most overdue dossiers, with the dossiers received and the share overdue."""
    labels, text = Columns(language), messages(language)
    found = overdue(analysis)
    found = found[found["overdue"].fillna(0) > 0].head(count)
    return pd.DataFrame([
        {
            labels["unit"]: row["unit_name"], labels["level"]: analysis.catalogue.level_name(str(row["level"]), language),
            labels["overdue"]: text.number(row["overdue"]), labels["received"]: text.number(row["received"]),
            labels["overdue_share"]: text.percent(row["share"], 2),
        }
        for _, row in found.iterrows()
    ])


def national_sentences(analysis: Index766Analysis, language: str = "vi") -> list[str]:
    """The gap to the province one place up, and the units' improvements that would close it."""
    gap = analysis.national_gap
    if gap is None:
        return []
    text = messages(language)
    sentences = [text(
        "index766.national.gap", rank=rank_text(gap["own_rank"], gap["rank_base"], False, language), total=points(gap["own_total"], language),
        name=gap["name"], above_rank=rank_text(gap["rank"], gap["rank_base"], False, language), above_total=points(gap["total"], language),
        gap=points(gap["gap"], language),
    )]
    closing = levers_to_close(province_levers(analysis.current, analysis.rules), float(gap["gap"]))
    if closing.empty:
        return [*sentences, text("index766.national.no_levers")]
    levers = text.join(
        text("index766.national.lever", unit=row["unit_name"], indicator=analysis.rules.rules[row["indicator"]].name(language),
             needed=needed_text(row["gap_count"], analysis.rules.rules[row["indicator"]], language), gain=points(row["province_gain"], language))
        for _, row in closing.iterrows()
    )
    gained = float(closing["province_gain"].sum())
    if gained + 1e-9 >= float(gap["gap"]):
        return [*sentences, text("index766.national.close", levers=levers)]
    return [*sentences, text("index766.national.short", gain=points(gained, language), levers=levers)]
