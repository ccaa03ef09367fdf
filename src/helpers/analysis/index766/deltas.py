"""One unit between two snapshots, figure by figure, as communes publish it in their monthly
notice (Phụ lục I): one row per group and sub-indicator, each capture's count and ratio, and
the change — in percentage points for a ratio, in points for a group or the total.

The rows are the source's published figures (the tidy 766 table, helpers.tidy766), whatever
adapter produced them; nothing is recomputed here. A change the source itself publishes beside
the second capture (``published_delta``, from a notice's "Tăng (+)/Giảm (−)" column) is checked
against the two captures (DELTA_PROBLEMS): a notice is often wrong in ways that are easy to
miss, such as a change of a ratio written as a percent of a percent ("−525%" for −5,25 points).
This module is the data model; helpers.report.index766.appendix lays it out as a table.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot

SIDES = ("first", "second")
FIGURES = ("numerator", "denominator", "ratio", "value", "points", "max_points")
# What the "Tăng (+)/Giảm (−)" column of a row measures.
CHANGE_UNITS = ("percentage_points", "points", "count")
# Why a row's published change, a ratio or a total cannot be right, for the table to say.
DELTA_PROBLEMS = ("percent_of_a_percent", "sign_disagrees", "delta_disagrees", "ratio_above_100", "ratio_disagrees_with_counts", "total_disagrees_with_groups")
RATIO_TOLERANCE = 0.00005  # a ratio published with two decimals of a percent
_PERCENT_OF_PERCENT = 100


def unit_deltas(tidy: pd.DataFrame, rules: Index766Rules, first: Snapshot, second: Snapshot, unit_id: str, tolerance: float = 0.01) -> pd.DataFrame:
    """Rows ``1``, ``1.1``, …, ``Tổng``: each group with its sub-indicators, then the total.

    Columns: ``number``, ``kind`` (group, indicator, total), ``group``, ``indicator``,
    ``indicator_name`` (the source's, for a code the rules do not know), ``first_<figure>`` and
    ``second_<figure>`` for FIGURES, ``delta_<figure>``, ``change`` and ``change_unit`` (the
    notice's column: CHANGE_UNITS), ``published_delta`` / ``published_delta_text`` when the
    source has them, and ``problems`` (a tuple of DELTA_PROBLEMS codes).
    """
    sides = {side: _unit_rows(tidy, snapshot, unit_id) for side, snapshot in zip(SIDES, (first, second))}
    keys = pd.concat([frame[["measure", "group", "indicator", "indicator_name"]] for frame in sides.values()]).drop_duplicates(["measure", "group", "indicator"])
    rows = []
    group_order = {code: position for position, code in enumerate(rules.groups)}
    indicator_order = {code: position for position, code in enumerate(rules.rules)}
    # A group is a row when it has a score or a sub-indicator (a source may score a group only
    # together with another, as the API reply's ONLINE_SERVICE, and still give its sub-indicators).
    named = keys.loc[keys["measure"].isin(["group", "indicator"]), "group"].dropna().unique()
    groups = sorted(named, key=lambda code: (group_order.get(code, len(group_order)), code))
    for group_number, group in enumerate(groups, start=1):
        rows.append(_row(sides, "group", str(group_number), group, None, None, tolerance))
        indicators = keys[(keys["measure"] == "indicator") & (keys["group"] == group)]
        ordered = sorted(indicators.itertuples(index=False), key=lambda key: (indicator_order.get(key.indicator, len(indicator_order)), key.indicator))
        for indicator_number, key in enumerate(ordered, start=1):
            rows.append(_row(sides, "indicator", f"{group_number}.{indicator_number}", group, key.indicator, key.indicator_name, tolerance))
    if (keys["measure"] == "total").any():
        total = _row(sides, "total", "", None, None, None, tolerance)
        rows.append(_check_total(total, [row for row in rows if row["kind"] == "group"], tolerance))
    return pd.DataFrame(rows, columns=_columns())


def _columns() -> list[str]:
    figures = [f"{side}_{figure}" for side in SIDES for figure in FIGURES]
    deltas = [f"delta_{figure}" for figure in FIGURES if figure != "max_points"]
    return ["number", "kind", "group", "indicator", "indicator_name", *figures, *deltas, "change", "change_unit", "published_delta", "published_delta_text", "problems"]


def _unit_rows(tidy: pd.DataFrame, snapshot: Snapshot, unit_id: str) -> pd.DataFrame:
    chosen = (
        (tidy["period_kind"] == snapshot.period_kind) & (tidy["period"] == snapshot.period)
        & (tidy["snapshot_date"] == snapshot.snapshot_date) & (tidy["unit_id"] == unit_id)
    ).fillna(False)
    return tidy[chosen.to_numpy(bool)].reindex(columns=["measure", "group", "indicator", "indicator_name", *FIGURES, "published_delta", "published_delta_text"])


def _figure(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _row(sides: dict[str, pd.DataFrame], kind: str, number: str, group: str | None, indicator: str | None, name: str | None, tolerance: float) -> dict[str, object]:
    row: dict[str, object] = {"number": number, "kind": kind, "group": group, "indicator": indicator, "indicator_name": name}
    found: dict[str, pd.Series | None] = {}
    for side, frame in sides.items():
        match = frame[(frame["measure"] == kind).to_numpy(bool)]
        if group is not None:
            match = match[(match["group"] == group).fillna(False).to_numpy(bool)]
        if indicator is not None:
            match = match[(match["indicator"] == indicator).fillna(False).to_numpy(bool)]
        found[side] = match.iloc[0] if len(match) else None
        for figure in FIGURES:
            row[f"{side}_{figure}"] = _figure(found[side][figure]) if found[side] is not None else None
    for figure in FIGURES:
        if figure != "max_points":
            before, after = row[f"first_{figure}"], row[f"second_{figure}"]
            row[f"delta_{figure}"] = None if before is None or after is None else after - before
    ratios = [_compared_ratio(row, side) for side in SIDES]
    ratio_change = None if None in ratios else round((float(ratios[1]) - float(ratios[0])) * 100, 4)
    if kind == "indicator" and (ratio_change is not None or row["first_ratio"] is not None or row["second_ratio"] is not None):
        row["change"], row["change_unit"] = ratio_change, "percentage_points"
    elif row["delta_points"] is not None or kind != "indicator":
        row["change"], row["change_unit"] = row["delta_points"], "points"
    else:
        row["change"], row["change_unit"] = row["delta_value"], "count"
    published = found["second"]
    row["published_delta"] = _figure(published.get("published_delta")) if published is not None else None
    text = published.get("published_delta_text") if published is not None else None
    row["published_delta_text"] = None if text is None or pd.isna(text) else str(text)
    row["problems"] = (*_ratio_problems(row), *_delta_problems(row, tolerance))
    return row


def _compared_ratio(row: dict[str, object], side: str) -> float | None:
    """The ratio a change is measured on: the published one, as a notice subtracts them, unless
    it cannot be right (above 100%, or not its counts): then the counts' (a mistyped ratio is
    common; mistyped counts rarely agree with each other)."""
    ratio, numerator, denominator = row[f"{side}_ratio"], row[f"{side}_numerator"], row[f"{side}_denominator"]
    counted = float(numerator) / float(denominator) if numerator is not None and denominator else None
    if ratio is None or (counted is not None and _ratio_problem(float(ratio), counted)):
        return counted
    return float(ratio)


def _ratio_problem(ratio: float, counted: float | None) -> str | None:
    if ratio > 1 + RATIO_TOLERANCE:
        return "ratio_above_100"
    if counted is not None and abs(ratio - counted) > RATIO_TOLERANCE + 1e-9:
        return "ratio_disagrees_with_counts"
    return None


def _ratio_problems(row: dict[str, object]) -> tuple[str, ...]:
    problems = []
    for side in SIDES:
        ratio, numerator, denominator = row[f"{side}_ratio"], row[f"{side}_numerator"], row[f"{side}_denominator"]
        if ratio is not None:
            problems.append(_ratio_problem(float(ratio), float(numerator) / float(denominator) if numerator is not None and denominator else None))
    return tuple(dict.fromkeys(problem for problem in problems if problem))


def _published_tolerance(text: str | None, unit: object, tolerance: float) -> float:
    """Half a unit of the last digit the notice wrote (``-5,25`` → 0,005), at least the points tolerance."""
    if not text:
        return tolerance
    digits = text.replace(",", ".").rstrip("%").strip()
    decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
    return max(tolerance if unit == "points" else 0.0, 0.5 * 10 ** -decimals) + 1e-9


def _delta_problems(row: dict[str, object], tolerance: float) -> tuple[str, ...]:
    published, change = row["published_delta"], row["change"]
    if published is None or change is None:
        return ()
    published, change = float(published), float(change)
    allowed = _published_tolerance(row["published_delta_text"], row["change_unit"], tolerance)
    if abs(published - change) <= allowed:
        return ()
    if row["change_unit"] == "percentage_points" and change and math.isclose(published, change * _PERCENT_OF_PERCENT, rel_tol=0.01):
        return ("percent_of_a_percent",)
    if abs(change) > allowed and abs(published) > allowed and (published > 0) != (change > 0):
        return ("sign_disagrees",)
    return ("delta_disagrees",)


def _check_total(total: dict[str, object], groups: list[dict[str, object]], tolerance: float) -> dict[str, object]:
    """The total against the sum of its groups, in each capture that has all of them."""
    for side in SIDES:
        points = [group[f"{side}_points"] for group in groups]
        if total[f"{side}_points"] is None or not points or any(value is None for value in points):
            continue
        if abs(float(total[f"{side}_points"]) - sum(float(value) for value in points)) > tolerance * len(points) + 1e-9:
            total["problems"] = (*total["problems"], "total_disagrees_with_groups")
            break
    return total
