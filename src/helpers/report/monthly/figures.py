"""What the report shows, selected from the engine's results (never recomputed here).

Each function takes the engine's ``units`` or ``aggregates`` frame (helpers.engine) and picks,
orders or reshapes rows: laggards, movers, the attainment grid, trends. Rates stay fractions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.frames import records
from helpers.messages import messages

RATE = "rate"
NOT_ARISEN = "not_arisen"
NO_DATA = "no_data"
PUBLISHED = "published"  # the tables cannot pool it; the published figure stands in, marked
# One row of the engine's units or aggregates: a Series from a frame, or a record dict.
Row = pd.Series | Mapping[str, Any]


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def aggregate_state(row: Row, counted: str = "counted_units") -> str:
    """``rate`` when the scope has a pooled rate; ``not_arisen`` when its denominator is 0;
    ``published`` when only the published figure exists.

    ``counted`` is the column that counts what was pooled (``counted_provinces`` for the nation).
    """
    if not _missing(row["rate"]):
        return RATE
    if row[counted] > 0 and row["denominator"] == 0:
        return NOT_ARISEN
    if not _missing(row.get("published_rate")):
        return PUBLISHED
    return NO_DATA


def unit_state(row: Row) -> str:
    if row["status"] == "not_arisen":
        return NOT_ARISEN
    return RATE if not _missing(row["rate"]) else NO_DATA


def rate_text(rate: float | None, state: str, language: str) -> str:
    """``71,2%``, ``không phát sinh`` or ``–``: a denominator of 0 is never shown as 0%."""
    m = messages(language)
    if state == NOT_ARISEN:
        return m("common.state.not_arisen")
    if state == NO_DATA or _missing(rate):
        return m("common.state.missing")
    return m.percent(rate)


def figure_text(row: Row, language: str) -> str:
    """A scope's figure as the reader sees it: ``78,8% · công bố 71,2%`` where the published one
    differs, ``95% (công bố)`` where only the published one exists, ``91,9%*`` where impossible
    rows were left out; ``figure_note`` says why."""
    m = messages(language)
    state = aggregate_state(row)
    if state == PUBLISHED:
        return m("monthly.figure.published_only", rate=m.percent(row["published_rate"]))
    text = rate_text(row["rate"], state, language)
    if state == RATE and (row.get("impossible_units") or 0) > 0:
        text = m("monthly.figure.excluded", rate=text)
    if state == RATE and flag(row.get("published_differs")):
        text = m("monthly.figure.differs", rate=text, published=m.percent(row["published_rate"]))
    return text


def figure_note(row: Row, language: str) -> str:
    """Why a scope's figure reads as ``figure_text`` shows it; empty for a plain pooled rate."""
    m = messages(language)
    state = aggregate_state(row)
    notes = []
    if state == PUBLISHED:
        notes.append(m("monthly.figure.published_only_note"))
    if state == RATE and flag(row.get("published_differs")):
        notes.append(m(
            "monthly.figure.differs_note", rate=m.percent(row["rate"]), counts=counts_text(row, language),
            published=m.percent(row["published_rate"]), difference=m.number(abs(row["rate"] - row["published_rate"]) * 100, 1),
        ))
    excluded = row.get("impossible_units") or 0
    if excluded > 0:
        notes.append(m("monthly.figure.excluded_note", count=int(excluded), units=m.number(int(excluded))))
    return " ".join(notes)


def change_text(row: Row, state: str, language: str) -> str:
    """The change in percentage points; "chưa có kỳ so sánh" without a previous month, never "+0"."""
    m = messages(language)
    if state == NOT_ARISEN:
        return m("common.state.not_arisen")
    if state in (NO_DATA, PUBLISHED):
        return m("common.state.missing")
    if _missing(row["previous_rate"]):
        return m("common.state.no_comparison")
    return m("monthly.change.points", change=m.signed(row["delta_pp"]))


def counts_text(row: Row | None, language: str, numerator_alone: bool = True) -> str:
    """``1.234/1.300``; the numerator alone when there is no denominator (unless
    ``numerator_alone`` is False); ``–`` without counts."""
    m = messages(language)
    if row is None or _missing(row["numerator"]) or (_missing(row["denominator"]) and not numerator_alone):
        return m("common.state.missing")
    if _missing(row["denominator"]):
        return m.number(int(row["numerator"]))
    return m("monthly.appendix.counts", numerator=m.number(int(row["numerator"])), denominator=m.number(int(row["denominator"])))


def verdict(row: Row) -> tuple[bool | None, bool | None]:
    """Whether a scope meets the central and the provincial target (None: not judged), by its
    pooled rate or, where only the published figure exists, by that (the engine's flags)."""
    if _missing(row["rate"]) and not _missing(row.get("published_rate")):
        return flag(row.get("published_met_central")), flag(row.get("published_met_provincial"))
    return flag(row["met_central"]), flag(row["met_provincial"])


def target_class(row: Row) -> str:
    """CSS class of a rate (or the published figure standing in) against both targets."""
    if _missing(row["rate"]) and _missing(row.get("published_rate")):
        return "no-rate"
    central, provincial = verdict(row)
    if central is False:
        return "bad"
    if provincial is False:
        return "partial" if central else "bad"
    return "good"


def flag(value: object) -> bool | None:
    """A nullable boolean cell as True, False or None."""
    return None if _missing(value) else bool(value)


def scopes_of(aggregates: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """The month's aggregate rows by (indicator, level): read many times, filtered once."""
    return {(row["indicator"], row["level"]): row for row in records(aggregates)}


@dataclass(frozen=True)
class SummaryLine:
    """One indicator of the month's summary: its whole-province row and each level's row."""

    indicator: str
    whole: Row
    levels: dict[str, Row]  # only the levels that have a row for this indicator


def summary_lines(aggregates: pd.DataFrame, catalogue: Catalogue) -> tuple[list[str], list[SummaryLine]]:
    """The levels present and one line per indicator present, in catalogue order: what the
    report's summary table and the console's summary show, each in its own format."""
    levels = levels_present(aggregates, catalogue)
    scopes = scopes_of(aggregates)
    lines = [
        SummaryLine(indicator, scopes[(indicator, WHOLE_PROVINCE)], {level: scopes[(indicator, level)] for level in levels if (indicator, level) in scopes})
        for indicator in indicators_present(aggregates, catalogue)
    ]
    return levels, lines


def indicators_present(aggregates: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    present = set(aggregates["indicator"])
    return [indicator for indicator in catalogue.indicators if indicator in present]


def levels_present(frame: pd.DataFrame, catalogue: Catalogue) -> list[str]:
    present = set(frame["level"])
    return [level for level in catalogue.levels if level in present]


# The columns the report reads from the engine's unit rows (iterating all ~40 is slow).
UNIT_COLUMNS = [
    "indicator", "level", "unit_id", "unit_name", "numerator", "denominator", "rate", "rate_source", "target", "status",
    "gap_pp", "gap_count", "attainment", "rank", "previous_rate", "delta_pp", "rank_change", "previous_numerator", "previous_denominator",
]


def laggards(units: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per indicator, the units below their target (engine status "below"), furthest below first.

    Indicators without a unit below target are absent. Ties in the gap go to the unit that
    needs more dossiers, then by name, so that the order is stable.
    """
    return worst_first(units.loc[units["status"] == "below", UNIT_COLUMNS])


def worst_first(below: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows below a target (indicator, unit_name, gap_pp, gap_count …) per indicator, furthest first."""
    ordered = below.sort_values(["gap_pp", "gap_count", "unit_name"], ascending=[False, False, True], na_position="last", kind="stable")
    return {str(indicator): group.reset_index(drop=True) for indicator, group in ordered.groupby("indicator", sort=False)}


def is_under(rate: float | None, threshold: float) -> bool:
    """Whether a rate is under ``threshold`` (a fraction), for "30 đơn vị đạt tỷ lệ dưới 50%"."""
    return not _missing(rate) and rate < threshold - 1e-12


def movers(units: pd.DataFrame, threshold_pp: float, limit: int, *, min_denominator: float = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The units whose rate rose most and fell most, by at least ``threshold_pp`` points, among
    those whose denominator is at least ``min_denominator`` in both months (0/4 → 1/2 is no news;
    a rate without a denominator has no volume to show, so a minimum leaves it out)."""
    volume = units[["denominator", "previous_denominator"]].astype("float64").min(axis=1, skipna=False)
    large = volume.ge(min_denominator - 1e-9) | (min_denominator <= 0)
    changed = units.loc[units["delta_pp"].notna() & (units["delta_pp"].abs() >= threshold_pp - 1e-9) & large, UNIT_COLUMNS]
    rises = changed[changed["delta_pp"] > 0].sort_values(["delta_pp", "unit_name"], ascending=[False, True], kind="stable")
    falls = changed[changed["delta_pp"] < 0].sort_values(["delta_pp", "unit_name"], ascending=[True, True], kind="stable")
    return rises.head(limit).reset_index(drop=True), falls.head(limit).reset_index(drop=True)


UNIT_KEY = ["level", "unit_id", "unit_name"]


def unit_order(units: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """One row per unit (level, unit_id, unit_name) in the order of the official appendix: by
    level in the catalogue's order, then by the unit's first row in the source, then by name
    (a level the catalogue lacks, or a unit without source rows, last). A row without a level,
    id or name names no unit. Read row by row: pandas' groupby and sort cost ten times as much."""
    level_rank = {level: rank for rank, level in enumerate(catalogue.levels)}
    first: dict[tuple[str, str, str], tuple[float, int]] = {}  # a unit's first source row, and where its first row is
    keys = zip(*(units[column].tolist() for column in UNIT_KEY))
    for position, (key, source_row) in enumerate(zip(keys, units["source_row"].tolist())):
        if any(_missing(part) for part in key):
            continue
        row = math.inf if _missing(source_row) else source_row
        if key not in first or row < first[key][0]:
            first[key] = (row, first[key][1] if key in first else position)
    ordered = sorted(sorted(first), key=lambda key: (level_rank.get(key[0], math.inf), first[key][0], key[2]))
    return units[UNIT_KEY].take([first[key][1] for key in ordered]).reset_index(drop=True)


def attainment_grid(units: pd.DataFrame, catalogue: Catalogue) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The units in appendix order, and units × indicators attainment (rate ÷ target) and status."""
    order = unit_order(units, catalogue)
    indicators = [indicator for indicator in catalogue.indicators if indicator in set(units["indicator"])]
    attainment, statuses = (
        units.pivot(index="unit_id", columns="indicator", values=column).reindex(index=order["unit_id"], columns=indicators)
        for column in ("attainment", "status")
    )
    return order, attainment, statuses


def trend_frame(aggregates: pd.DataFrame) -> pd.DataFrame:
    """Pooled rates and targets per month, level and indicator, oldest month first."""
    columns = ["period", "level", "indicator", "rate", "central_target", "provincial_target", "denominator", "counted_units"]
    return aggregates[columns].sort_values("period", kind="stable").reset_index(drop=True)
