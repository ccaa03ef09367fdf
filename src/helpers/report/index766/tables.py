"""The 766 report's titles and score tables: the province's groups and rank, the lowest units,
red and amber counts, falls and units red for several snapshots.

Each table is a DataFrame of display strings, its columns headed in the report's language
(``index766.column.*``); the page shows it through helpers.report.toolkit.frame_table.
"""

from __future__ import annotations

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.messages import messages
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.changes import SCOPE_TOTAL
from helpers.analysis.index766.deltas import unit_deltas
from helpers.analysis.index766.stakes import lever_coverage
from helpers.tidy766 import Snapshot
from helpers.report.index766.phrases import Columns, band_label, change_text, date_label, points, rank_change_text, rank_text, score_of_max


def title(analysis: Index766Analysis, language: str = "vi") -> str:
    """``Bộ chỉ số 766 — tỉnh Gia Lai``."""
    return messages(language)("index766.report.title", province=analysis.province_name)


def subtitle(analysis: Index766Analysis, language: str = "vi") -> str:
    """Which snapshot, and which one it is compared with (by its period too when that differs:
    month 3 compared with month 2, both taken on 23/09)."""
    text, previous = messages(language), analysis.previous
    if previous is None:
        compared = text("index766.report.no_comparison")
    elif previous.period != analysis.snapshot.period:
        compared = text("index766.report.compared_with_period", period=previous.period_label(language), date=previous.date_label())
    else:
        compared = text("index766.report.compared_with", date=previous.date_label())
    snapshot = analysis.snapshot.label(language)
    return text("index766.report.subtitle", snapshot=snapshot[:1].upper() + snapshot[1:], compared=compared)


def unit_changes(analysis: Index766Analysis) -> pd.DataFrame:
    """The changes of every unit but the province itself."""
    return analysis.changes[analysis.changes["level"] != WHOLE_PROVINCE]


def _standing(analysis: Index766Analysis, row: pd.Series, labels: Columns, language: str) -> dict[str, str]:
    """The cells every score table shows: score of maximum, share, band, change."""
    return {
        labels["score"]: score_of_max(row, language),
        labels["share"]: messages(language).percent(row["share"], 1),
        labels["band"]: band_label(row["band"], analysis.settings, language),
        labels["change"]: change_text(analysis, row, language),
    }


def _scope_name(analysis: Index766Analysis, scope: str, labels: Columns, language: str) -> str:
    """``Tổng điểm`` for the total, else the group's name."""
    return labels["total"] if scope == SCOPE_TOTAL else analysis.rules.groups[scope].name(language)


def group_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """The province's groups as seed 002's notice lays them out: each group (Stt 1, 2 …) with its
    score against its maximum, share, band, rank and change, its sub-indicators under it (1.1,
    1.2 …: the ratio and its change in percentage points), and the total with the national rank.
    The rank column only when the source ranks something; empty without a province row."""
    labels = Columns(language)
    changes = analysis.changes[analysis.changes["level"] == WHOLE_PROVINCE].set_index("scope")
    if changes.empty:
        return pd.DataFrame()
    previous = analysis.previous_by_level.get(WHOLE_PROVINCE)
    deltas = unit_deltas(analysis.tidy, analysis.rules, previous or analysis.snapshot, analysis.snapshot, str(changes["unit_id"].iloc[0]))
    indicators = deltas[(deltas["kind"] == "indicator") & deltas["indicator"].isin(list(analysis.rules.rules))]
    rows = []
    for code, group in analysis.rules.groups.items():
        if code not in changes.index and not (indicators["group"] == code).any():
            continue
        number = str(sum(1 for row in rows if "." not in row[labels["number"]]) + 1)
        # A group the source scores only together with another (the API reply's ONLINE_SERVICE)
        # still heads the sub-indicators it gives.
        standing = _province_standing(analysis, changes.loc[code], labels, language) if code in changes.index else dict.fromkeys(
            (labels["result"], labels["share"], labels["band"], labels["ranked"], labels["change"]), "")
        rows.append({labels["number"]: number, labels["group"]: group.name(language), **standing})
        for position, (_, indicator) in enumerate(indicators[indicators["group"] == code].iterrows(), start=1):
            rows.append({
                labels["number"]: f"{number}.{position}", labels["group"]: analysis.rules.rules[indicator["indicator"]].name(language),
                labels["result"]: _indicator_result(indicator, language), labels["share"]: "", labels["band"]: "", labels["ranked"]: "",
                labels["change"]: _ratio_change_text(indicator, previous is not None, analysis.settings, language),
            })
    if SCOPE_TOTAL in changes.index:
        total = changes.loc[SCOPE_TOTAL]
        rows.append({labels["number"]: messages(language)("index766.group_table.total"), labels["group"]: "", **_province_standing(analysis, total, labels, language, national=True)})
    frame = pd.DataFrame(rows)
    return frame if frame[labels["ranked"]].ne("").any() else frame.drop(columns=[labels["ranked"]])


def province_indicators_note(analysis: Index766Analysis, language: str = "vi") -> str:
    """Why the group table has no sub-indicator of the province, or no change of them; blank
    when it has both. The province's sub-indicators are scored on the province's own counts:
    its units' details, even all of them, are not a substitute."""
    text = messages(language)

    def province_indicators(snapshot: Snapshot) -> bool:
        tidy = analysis.tidy
        chosen = (tidy["level"] == WHOLE_PROVINCE) & (tidy["measure"] == "indicator") & (tidy["snapshot_date"] == snapshot.snapshot_date) & (tidy["period"] == snapshot.period)
        return bool(chosen.any())

    if not province_indicators(analysis.snapshot):
        coverage = lever_coverage(analysis.current)
        parts = [text("index766.group_table.no_province_indicators")]
        if coverage["counted"]:
            parts.append(text("index766.group_table.units_not_the_province", counted=text.number(coverage["counted"]), units=text.number(coverage["units"])))
        return " ".join(parts)
    previous = analysis.previous_by_level.get(WHOLE_PROVINCE)
    if previous is not None and not province_indicators(previous):
        return text("index766.group_table.no_previous_indicators", date=previous.date_label())
    return ""


def _province_standing(analysis: Index766Analysis, row: pd.Series, labels: Columns, language: str, national: bool = False) -> dict[str, str]:
    """Score of maximum, share, band, rank (national for the total, in its group otherwise), change."""
    standing = _standing(analysis, row, labels, language)
    rank, base = (row["rank"], row["rank_base"]) if national else (row["group_rank"], row["group_rank_base"])
    ranked = "" if pd.isna(rank) else rank_text(rank, base, False, language)
    return {
        labels["result"]: standing[labels["score"]], labels["share"]: standing[labels["share"]], labels["band"]: standing[labels["band"]],
        labels["ranked"]: ranked, labels["change"]: standing[labels["change"]],
    }


def _indicator_result(indicator: pd.Series, language: str) -> str:
    """A sub-indicator as the notice writes it: its ratio (``88,15%``), or its points when the source gives no ratio."""
    text = messages(language)
    if pd.notna(indicator["second_ratio"]):
        return text.percent(indicator["second_ratio"], 2)
    if pd.notna(indicator["second_points"]):
        return f"{points(indicator['second_points'], language)}/{text.number(indicator['second_max_points'], 2)}"
    return text("common.state.missing")


def _ratio_change_text(indicator: pd.Series, compared: bool, settings: dict[str, float], language: str) -> str:
    """``tăng 2,5 điểm %``; blank without a previous capture or a ratio in both."""
    change = indicator["change"]
    if not compared or pd.isna(change) or indicator["change_unit"] != "percentage_points":
        return ""
    text = messages(language)
    if abs(float(change)) <= settings["index766_points_tolerance"] + 1e-9:
        return text("index766.ratio_change.unchanged")
    return text(f"index766.ratio_change.{'up' if change > 0 else 'down'}", amount=text.number(abs(float(change)), 2))


def rank_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """The province's national rank and its change, and how many of its units are ranked."""
    labels, text = Columns(language), messages(language)
    rows = []
    province = analysis.changes[(analysis.changes["level"] == WHOLE_PROVINCE) & (analysis.changes["scope"] == SCOPE_TOTAL)]
    province_rank = text("index766.rank_table.province_rank")
    if len(province) and pd.notna(province.iloc[0]["rank"]):
        row = province.iloc[0]
        change = rank_change_text(row["rank_change"], "compared" if pd.notna(row["previous_rank"]) else "no_previous_snapshot", language)
        if pd.notna(row["previous_rank"]):
            previous = rank_text(row["previous_rank"], row["previous_rank_base"], False, language)
            change = text("index766.rank_table.moved_from", change=change, rank=previous, date=date_label(row["previous_rank_date"]))
        rows.append({labels["item"]: province_rank, labels["value"]: rank_text(row["rank"], row["rank_base"], False, language), labels["change"]: change})
    else:
        rows.append({labels["item"]: province_rank, labels["value"]: text("common.state.missing"), labels["change"]: text("index766.rank_table.no_rank")})
    units = analysis.current.totals[analysis.current.totals["level"] != WHOLE_PROVINCE]
    for level, group in units.groupby("level", sort=False):
        item = text("index766.rank_table.units_ranked", level=analysis.catalogue.level_name(str(level), language))
        rows.append({labels["item"]: item, labels["value"]: text.number(len(group)), labels["change"]: ""})
    return pd.DataFrame(rows)


def laggards_by_total(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The ``count`` lowest totals of each level, worst first, with ranks, changes, weakest group."""
    labels = Columns(language)
    changes = unit_changes(analysis)
    totals = changes[changes["scope"] == SCOPE_TOTAL]
    groups = changes[changes["scope"] != SCOPE_TOTAL]
    weakest = groups.sort_values("share", kind="stable").drop_duplicates("unit_id").set_index("unit_id")
    rows = []
    for level in analysis.catalogue.levels:
        worst = totals[totals["level"] == level].sort_values(["score", "unit_name"], kind="stable").head(count)
        for _, row in worst.iterrows():
            weak = weakest.loc[row["unit_id"]] if row["unit_id"] in weakest.index else None
            rows.append({
                labels["level"]: analysis.catalogue.level_name(level, language),
                labels["unit"]: row["unit_name"],
                labels["total"]: points(row["score"], language),
                labels["rank"]: rank_text(row["rank"], row["rank_base"], bool(row["tie_size"] > 1) if pd.notna(row["tie_size"]) else False, language),
                labels["group_rank"]: rank_text(row["group_rank"], row["group_rank_base"], False, language),
                labels["change"]: change_text(analysis, row, language),
                labels["rank_change"]: rank_change_text(row["rank_change"], row["comparison"], language),
                labels["weakest"]: messages(language)("common.state.missing") if weak is None else f"{analysis.rules.groups[weak['scope']].name(language)} {score_of_max(weak, language)}",
            })
    return pd.DataFrame(rows)


def group_band_counts(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """How many units of each level are red or amber in each group."""
    text = messages(language)
    groups = unit_changes(analysis)
    groups = groups[groups["scope"] != SCOPE_TOTAL]
    rows = []
    for code, group in analysis.rules.groups.items():
        row = {text("index766.column.group"): group.name(language)}
        for level in analysis.catalogue.levels:
            of_level = groups[(groups["scope"] == code) & (groups["level"] == level)]
            if of_level.empty:
                continue
            name = analysis.catalogue.level_name(level, language)
            row[text("index766.column.red_units", level=name)] = text.number(int(of_level["band"].eq("red").sum()))
            row[text("index766.column.amber_units", level=name)] = text.number(int(of_level["band"].eq("amber").sum()))
        rows.append(row)
    return pd.DataFrame(rows)


def laggards_by_group(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """Per group, the ``count`` units furthest below its maximum among those not in the green band."""
    labels = Columns(language)
    groups = unit_changes(analysis)
    rows = []
    for code, group in analysis.rules.groups.items():
        lagging = groups[(groups["scope"] == code) & groups["band"].isin(["red", "amber"])]
        for _, row in lagging.sort_values(["share", "unit_name"], kind="stable").head(count).iterrows():
            rows.append({
                labels["group"]: group.name(language),
                labels["unit"]: row["unit_name"],
                labels["level"]: analysis.catalogue.level_name(row["level"], language),
                **_standing(analysis, row, labels, language),
            })
    return pd.DataFrame(rows)


def fell_back_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """Units whose total or a group fell by at least ``notable_change_points``, biggest fall first."""
    labels = Columns(language)
    changes = unit_changes(analysis)
    fallen = changes[changes["fell_back"].fillna(False) & changes["comparison"].eq("compared")]
    rows = []
    for _, row in fallen.sort_values(["delta", "unit_name"], kind="stable").iterrows():
        scope = _scope_name(analysis, row["scope"], labels, language)
        rows.append({
            labels["unit"]: row["unit_name"],
            labels["level"]: analysis.catalogue.level_name(row["level"], language),
            labels["group"]: scope,
            labels["score"]: points(row["score"], language),
            labels["previous"]: points(row["previous_score"], language),
            labels["change"]: change_text(analysis, row, language),
            labels["rank_change"]: rank_change_text(row["rank_change"], row["comparison"], language) if row["scope"] == SCOPE_TOTAL else "",
        })
    return pd.DataFrame(rows)


def persistent_low_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """Units whose total or a group has been red for several snapshots running (worst first)."""
    labels = Columns(language)
    streaks = analysis.low_streaks()
    streaks = streaks[streaks["level"] != WHOLE_PROVINCE]
    rows = []
    for _, row in streaks.head(count).iterrows():
        scope = _scope_name(analysis, row["scope"], labels, language)
        rows.append({
            labels["unit"]: row["unit_name"],
            labels["level"]: analysis.catalogue.level_name(row["level"], language),
            labels["group"]: scope,
            labels["score"]: score_of_max(row, language),
            labels["streak"]: messages(language).number(int(row["streak"])),
            labels["since"]: pd.Timestamp(row["since"]).strftime("%d/%m/%Y"),
        })
    return pd.DataFrame(rows)

