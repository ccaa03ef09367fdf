"""The drafted text of the 766 report: the factual paragraphs analysts paste into their reports.

It follows the reports written today (seeds/002): bold figures, two-digit counts ("**03** đơn
vị"), causes and recommendations left to the analyst. Sentences are the catalogue's
(``index766.draft.*``), filled as runs (helpers.report.toolkit.message_runs) so the page and a
document bold the same figures; ``Draft.text`` is the plain form for the console.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.messages import Messages, messages
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.changes import SCOPE_TOTAL
from helpers.analysis.index766.stakes import indicator_stakes
from helpers.report.index766.phrases import change_text, date_label, points, rank_change_text, rank_text, score_of_max, thresholds
from helpers.report.index766.tables import unit_changes
from helpers.report.toolkit import Bold, Draft, DraftLine, Runs, joined_runs, line, message_runs

LIST_SEPARATOR = "; "


def draft(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> Draft:
    """The heading, the province's paragraphs, the units' paragraphs and the data date."""
    text = messages(language)
    lines = [
        line("heading", text("index766.draft.heading")),
        *_province_lines(analysis, text),
        *_unit_lines(analysis, count, text),
        line("text", text("index766.draft.footer", date=analysis.snapshot.date_label())),
    ]
    return Draft(language, tuple(lines))


def _count(text: Messages, value: int) -> Bold:
    """A count as the reports write it (``03`` in Vietnamese: two digits below ten), in bold."""
    two_digits = f"{value:02d}" if 0 <= value < 10 else text.number(value)
    return Bold(text("index766.draft.count", two_digits=two_digits, number=text.number(value)))


def _runs(text: Messages, key: str, /, count: int | None = None, **params: object) -> Runs:
    return message_runs(text, f"index766.draft.{key}", count=count, **params)


def _province_lines(analysis: Index766Analysis, text: Messages) -> list[DraftLine]:
    changes = analysis.changes[analysis.changes["level"] == WHOLE_PROVINCE].set_index("scope")
    if SCOPE_TOTAL not in changes.index:
        return []
    language = text.language
    total = changes.loc[SCOPE_TOTAL]
    groups = changes.drop(index=SCOPE_TOTAL, errors="ignore")
    date, province = analysis.snapshot.date_label(), analysis.province_name
    previous_date = analysis.previous.date_label() if analysis.previous else ""
    if pd.notna(total["score"]):
        change = change_text(analysis, total, language)
        if analysis.previous is not None and total["comparison"] == "compared":
            change = text("index766.draft.change_since", change=change, date=previous_date)
        lead = _runs(text, "province_score", date=date, period=analysis.snapshot.period_label(language), province=province,
                     score=Bold(score_of_max(total, language)), change=change)
    else:
        lead = _runs(text, "no_province_score", date=date, province=province)
    if pd.notna(total["rank"]):
        rank = Bold(rank_text(total["rank"], total["rank_base"], False, language))
        if pd.notna(total["previous_rank"]):
            lead = joined_runs([lead, _runs(
                text, "rank_moved", rank=rank, change=rank_change_text(total["rank_change"], "compared", language),
                previous=Bold(rank_text(total["previous_rank"], total["previous_rank_base"], False, language)), date=date_label(total["previous_rank_date"]),
            )], " ")
        else:
            lead = joined_runs([lead, _runs(text, "rank_first", rank=rank)], " ")
    lines = [line("text", *lead)]
    if not groups.empty:
        lines.extend(_group_lines(analysis, groups, text))
    return lines


def _group_lines(analysis: Index766Analysis, groups: pd.DataFrame, text: Messages) -> list[DraftLine]:
    """The province's groups: each score, the groups in red and amber, where most points are lost."""
    language, names = text.language, analysis.rules.groups
    parts = []
    for code in names:
        if code not in groups.index or pd.isna(groups.loc[code, "score"]):
            continue
        row = groups.loc[code]
        score = Bold(score_of_max(row, language))
        if row["comparison"] == "compared" and not row["rounding_only"]:
            parts.append(_runs(text, "group_score_changed", group=names[code].name(language), score=score, change=change_text(analysis, row, language)))
        else:
            parts.append(_runs(text, "group_score", group=names[code].name(language), score=score))
    lines = [line("text", *_runs(text, "by_group", groups=joined_runs(parts, LIST_SEPARATOR)))]
    for band in ("red", "amber"):
        chosen = groups[groups["band"] == band]
        if len(chosen):
            shares = ", ".join(text("index766.draft.group_share", group=names[code].name(language), share=text.percent(row["share"], 1)) for code, row in chosen.iterrows())
            lines.append(line("text", *_runs(text, f"groups_{band}", groups=shares, **thresholds(analysis.settings, language))))
    stakes = groups.sort_values("lost_points", ascending=False)
    worst = {"group": names[stakes.index[0]].name(language), "points": Bold(points(stakes.iloc[0]["lost_points"], language))}
    details = indicator_stakes(analysis.current)
    details = details[(details["level"] == WHOLE_PROVINCE) & details["gap_count"].notna()].head(3)
    if details.empty:
        lines.append(line("text", *_runs(text, "most_lost", **worst)))
        return lines
    items = [
        _runs(text, "indicator_lost", indicator=analysis.rules.rules[row["indicator"]].name(language), points=points(row["lost_points"], language),
              needed=Bold(text.number(int(row["gap_count"]))), what=analysis.rules.rules[row["indicator"]].gap_label(language))
        for _, row in details.iterrows()
    ]
    lines.append(line("text", *_runs(text, "most_lost_indicators", indicators=joined_runs(items, LIST_SEPARATOR), **worst)))
    return lines


def _names(rows: pd.DataFrame, describe: Callable[[pd.Series], str], count: int, text: Messages) -> str:
    """The first ``count`` units described, and how many more there are."""
    shown = [describe(row) for _, row in rows.head(count).iterrows()]
    rest = len(rows) - len(shown)
    if rest > 0:
        shown.append(text("index766.draft.more_units", count=rest))
    return LIST_SEPARATOR.join(shown)


def _unit_lines(analysis: Index766Analysis, count: int, text: Messages) -> list[DraftLine]:
    language = text.language
    changes = unit_changes(analysis)
    totals = changes[changes["scope"] == SCOPE_TOTAL]
    if totals.empty:
        return []
    levels = [(level, totals[totals["level"] == level]) for level in analysis.catalogue.levels if (totals["level"] == level).any()]
    level_names = {level: analysis.catalogue.level_name(level, language).lower() for level, _ in levels}
    assessed = joined_runs(
        [_runs(text, "level_units", count=len(frame), units=_count(text, len(frame)), level=level_names[level]) for level, frame in levels], LIST_SEPARATOR
    )
    low_points = analysis.settings["red_below_share_of_max"] * analysis.rules.total_max
    low = totals[totals["score"].astype(float) < low_points].sort_values("score", kind="stable")
    low_text = text.number(low_points, 2)
    summary = {"assessed": _count(text, len(totals)), "levels": assessed, "units": _count(text, len(low)), "points": low_text}
    if len(low):
        per_level = []
        for level, _ in levels:
            of_level = low[low["level"] == level]
            if len(of_level):
                names = _names(of_level, lambda row: text("index766.draft.unit_score", unit=row["unit_name"], points=points(row["score"], language)), count, text)
                per_level.append(_runs(text, "low_of_level", count=len(of_level), level=level_names[level], units=_count(text, len(of_level)), names=names))
        lines = [line("text", *_runs(text, "low_units_by_level", count=len(low), low=joined_runs(per_level, LIST_SEPARATOR), **summary))]
    else:
        lines = [line("text", *_runs(text, "low_units", count=len(low), **summary))]
    if analysis.previous is None:
        lines.append(line("text", text("index766.draft.first_snapshot")))
        return lines
    lines.extend(_movement_lines(analysis, totals, count, text))
    streaks = analysis.low_streaks()
    streaks = streaks[(streaks["level"] != WHOLE_PROVINCE) & (streaks["scope"] == SCOPE_TOTAL)]
    if len(streaks):
        names = _names(streaks, lambda row: text("index766.draft.unit_score_aside", unit=row["unit_name"], points=points(row["score"], language)), count, text)
        lines.append(line("text", *_runs(text, "low_streak", count=len(streaks), units=_count(text, len(streaks)), points=low_text,
                                         streak=int(analysis.settings["index766_low_streak"]), names=names)))
    return lines


def _movement_lines(analysis: Index766Analysis, totals: pd.DataFrame, count: int, text: Messages) -> list[DraftLine]:
    """The units that fell and rose by ``notable_change_points`` or more since the previous snapshot."""
    language = text.language
    compared = totals["comparison"].eq("compared")
    notable = text.number(analysis.settings["notable_change_points"], 2)
    since = analysis.previous.date_label() if analysis.previous else ""

    def moved(row: pd.Series) -> str:
        return text("index766.draft.unit_moved", unit=row["unit_name"], change=change_text(analysis, row, language),
                    rank_change=rank_change_text(row["rank_change"], row["comparison"], language))

    fallen = totals[totals["fell_back"].fillna(False) & compared].sort_values("delta", kind="stable")
    if len(fallen):
        lines = [line("text", *_runs(text, "fell", count=len(fallen), date=since, units=_count(text, len(fallen)), notable=notable, names=_names(fallen, moved, count, text)))]
    else:
        lines = [line("text", *_runs(text, "none_fell", date=since, notable=notable))]
    risen = totals[totals["improved"].fillna(False) & compared].sort_values("delta", ascending=False, kind="stable")
    if len(risen):
        lines.append(line("text", *_runs(text, "rose", count=len(risen), units=_count(text, len(risen)), notable=notable, names=_names(risen, moved, count, text))))
    return lines
