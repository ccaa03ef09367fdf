"""One unit's two captures side by side in the layout of a commune's monthly notice (Phụ lục I):
Số TT | Nội dung | first capture: Số liệu, Tỷ lệ (%) | second capture: Số liệu, Tỷ lệ (%) |
Tăng (+)/Giảm (−).

``appendix_frame`` gives the display strings as a plain DataFrame (the Word writer lays out the
same cells); ``appendix_table`` the toolkit table for the HTML page, its two header rows grouped
by capture and a published change that cannot be right marked, with the reason in its remark.
The figures are helpers.analysis.index766.deltas'.
"""

from __future__ import annotations

import pandas as pd

from helpers.messages import messages
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.deltas import unit_deltas
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, parse_snapshot_date
from helpers.report.toolkit import Cell, Table

COLUMNS = ("number", "content", "first_figures", "first_ratio", "second_figures", "second_ratio", "change", "published", "remark")


def _name(row: pd.Series, rules: Index766Rules, language: str) -> str:
    text = messages(language)
    if row["kind"] == "total":
        return text("index766.appendix.total")
    if row["kind"] == "group":
        return rules.groups[row["group"]].name(language) if row["group"] in rules.groups else str(row["group"])
    if row["indicator"] in rules.rules:
        return rules.rules[row["indicator"]].name(language)
    if row["indicator"] in rules.unscored:  # names are data, a column per language (rules766)
        return str(getattr(rules.unscored[row["indicator"]], f"name_{language}"))
    name = row["indicator_name"]
    return str(name) if isinstance(name, str) and name else str(row["indicator"])


def _figures(row: pd.Series, side: str, language: str) -> str:
    """``11,1/18`` for points, ``65/80`` for counts, or the value the source gives."""
    text = messages(language)
    numerator, denominator = row[f"{side}_numerator"], row[f"{side}_denominator"]
    if row["kind"] != "indicator" and pd.notna(row[f"{side}_points"]):
        maximum = row[f"{side}_max_points"]
        points = text.number(row[f"{side}_points"], 2)
        return f"{points}/{text.number(maximum, 2)}" if pd.notna(maximum) else points
    if pd.notna(numerator) and pd.notna(denominator):
        return f"{text.number(numerator)}/{text.number(denominator)}"
    if pd.notna(row[f"{side}_value"]):
        return text.number(row[f"{side}_value"], 2)
    if pd.notna(row[f"{side}_points"]):
        return text.number(row[f"{side}_points"], 2)
    return ""


def _ratio(row: pd.Series, side: str, language: str) -> str:
    ratio = row[f"{side}_ratio"]
    return "" if pd.isna(ratio) else messages(language).number(float(ratio) * 100, 2)


def _change(row: pd.Series, language: str) -> str:
    if pd.isna(row["change"]):
        return ""
    text = messages(language)
    return text(f"index766.appendix.change_{row['change_unit']}", value=text.signed(float(row["change"]), 2))


def _remark(row: pd.Series, language: str) -> str:
    text = messages(language)
    return "; ".join(text(f"index766.appendix.problem.{code}") for code in row["problems"])


def appendix_frame(deltas: pd.DataFrame, rules: Index766Rules, language: str = "vi") -> pd.DataFrame:
    """The display strings of ``deltas`` (helpers.analysis.index766.deltas.unit_deltas), keyed by
    COLUMNS; ``published`` is the change the source wrote, when it wrote one."""
    rows = [
        {
            "number": row["number"], "content": _name(row, rules, language),
            "first_figures": _figures(row, "first", language), "first_ratio": _ratio(row, "first", language),
            "second_figures": _figures(row, "second", language), "second_ratio": _ratio(row, "second", language),
            "change": _change(row, language),
            "published": "" if pd.isna(row["published_delta_text"]) else str(row["published_delta_text"]),
            "remark": _remark(row, language),
        }
        for _, row in deltas.iterrows()
    ]
    return pd.DataFrame(rows, columns=list(COLUMNS))


def appendix_table(deltas: pd.DataFrame, rules: Index766Rules, first: Snapshot, second: Snapshot, name: str, language: str = "vi") -> Table:
    """The Phụ lục I table; the published-change and remark columns only when the source has them."""
    text = messages(language)
    frame = appendix_frame(deltas, rules, language)
    shown = [column for column in COLUMNS if column not in ("published", "remark") or frame[column].ne("").any()]
    header = [text(f"index766.appendix.column.{column}") for column in shown]
    spans = [("", 2), (text("index766.appendix.capture", date=first.date_label()), 2), (text("index766.appendix.capture", date=second.date_label()), 2), ("", len(shown) - 6)]
    rows = []
    for (_, display), (_, row) in zip(frame.iterrows(), deltas.iterrows()):
        emphasis = "group" if row["kind"] in ("group", "total") else ""
        rows.append([
            Cell(display[column], _css(column, row, emphasis)) for column in shown
        ])
    return Table(name, header, rows, spans)


def _css(column: str, row: pd.Series, emphasis: str) -> str:
    if column == "content":
        return f"unit {emphasis}".strip()
    if column in ("published", "remark") and row["problems"]:
        return "bad"
    if column == "change" and pd.notna(row["change"]) and float(row["change"]) != 0:
        return "good" if float(row["change"]) > 0 else "bad"
    return emphasis


def unit_comparison(analysis: Index766Analysis, unit: str, first_date: str = "", language: str = "vi") -> Table:
    """Phụ lục I of one unit (its id or its name) between ``first_date`` (default: the capture its
    level is compared with) and the analysed capture; ValueError with one sentence otherwise."""
    totals = analysis.current.totals
    found = totals[(totals["unit_id"] == unit) | (totals["unit_name"] == unit)]
    if found.empty:
        raise ValueError(f"no unit {unit!r} in the capture of {analysis.snapshot.date_label()} (give its id or its name as the source writes it)")
    row = found.iloc[0]
    if first_date:
        wanted = parse_snapshot_date(first_date)
        matching = [other for other in analysis.snapshots if other.snapshot_date == wanted]
        if not matching:
            raise ValueError(f"no {analysis.snapshot.period_kind} capture taken on {first_date}; captures: {', '.join(other.date_label() for other in analysis.snapshots)}")
        first = matching[-1]
    else:
        first = analysis.previous_by_level.get(str(row["level"])) or analysis.snapshot
    deltas = unit_deltas(analysis.tidy, analysis.rules, first, analysis.snapshot, str(row["unit_id"]), analysis.settings["index766_points_tolerance"])
    return appendix_table(deltas, analysis.rules, first, analysis.snapshot, "appendix766", language)
