"""The monthly report's tables (toolkit ``Table``): every cell formatted for people.

Cells carry CSS classes, not inline styles: the colours live in report.css. Each table has a
stable id (``T_<name>``) so that tests and readers can find it; the templates escape every
text (a unit named ``<script>`` shows as text). The national summary uses ``laggard_table``.
``laggard_list`` and ``movers_list`` give a chart's figures as the list a phone shows instead of it.
"""

from __future__ import annotations

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.frames import records
from helpers.messages import Messages, messages
from helpers.report.charts.rates import attainment_class
from helpers.report.html import Html, render
from helpers.report.monthly import figures
from helpers.report.toolkit import Cell, Table, table

# The columns each table reads of the engine's unit rows (or the national summary's provinces).
LAGGARD_COLUMNS = ["unit_name", "rate", "rate_source", "target", "gap_pp", "gap_count"]
APPENDIX_COLUMNS = ["level", "unit_id", "indicator", "numerator", "denominator", "rate", "rate_source", "target", "status"]


def _with_change(row: figures.Row, language: str) -> str:
    """A level's figure and, when it has one, its change in brackets: ``71,2% (+2,3)``."""
    m = messages(language)
    state = figures.aggregate_state(row)
    text = figures.figure_text(row, language)
    if state == figures.RATE and not pd.isna(row["previous_rate"]):
        text += f" ({m.signed(row['delta_pp'])})"
    return text


def _figure_cell(row: figures.Row, text: str, language: str) -> Cell:
    """A scope's figure coloured against its targets, with why it reads so one click away."""
    return Cell(text, figures.target_class(row), figures.figure_note(row, language))


def assessment(row: figures.Row, state: str, language: str) -> str:
    m = messages(language)
    if state == figures.NOT_ARISEN:
        return m("common.state.not_arisen")
    if state == figures.NO_DATA:
        return m("common.state.not_computable")
    verdict = {"good": "met", "partial": "central_only", "bad": "below_central"}[figures.target_class(row)]
    return m(f"monthly.assessment.{verdict}")


def summary_table(aggregates: pd.DataFrame, catalogue: Catalogue, language: str) -> Table:
    """Per indicator: the province's and each level's rate (coloured against both targets), change, targets."""
    m = messages(language)
    levels, lines = figures.summary_lines(aggregates, catalogue)
    header = [
        m("monthly.column.indicator"), catalogue.level_name(WHOLE_PROVINCE, language), m("monthly.column.change"),
        *(catalogue.level_name(level, language) for level in levels),
        m("monthly.column.central"), m("monthly.column.provincial"), m("monthly.column.assessment"),
    ]
    rows = []
    for line in lines:
        whole = line.whole
        state = figures.aggregate_state(whole)
        verdict = figures.target_class(whole)
        levels_cells = [
            _figure_cell(scope, _with_change(scope, language), language) if scope is not None else Cell(m("common.state.missing"), "no-rate")
            for scope in (line.levels.get(level) for level in levels)
        ]
        rows.append([
            Cell(catalogue.indicator(line.indicator).short(language), "indicator"),
            _figure_cell(whole, figures.figure_text(whole, language), language),
            Cell(figures.change_text(whole, state, language), "change"),
            *levels_cells,
            Cell(m.percent(whole["central_target"]), "target"),
            Cell(m.percent(whole["provincial_target"]), "target"),
            Cell(assessment(whole, state, language), "assessment " + verdict),
        ])
    return Table("summary", header, rows, css="report-table summary-table reflow")


def _marked(rate: str, rate_source: str, m: Messages) -> str:
    """``*`` marks a rate the unit reported (the table has no denominator to recompute it)."""
    return m("monthly.laggards.reported_rate", rate=rate) if rate_source == "reported" else rate


def laggard_table(
    laggards: dict[str, pd.DataFrame], catalogue: Catalogue, language: str, limit: int, *,
    name: str = "laggards", unit_column: str = "monthly.column.unit", target_column: str = "monthly.column.target", with_level: bool = True,
) -> Table:
    """The laggards behind the chart, with exact figures: per indicator the ``limit`` furthest below.

    ``laggards`` is figures.worst_first of units (or provinces: the national summary names
    its own columns and has no level).
    """
    m = messages(language)
    header = [
        m("monthly.column.indicator"), m("monthly.column.number"), m(unit_column), *([m("monthly.column.level")] if with_level else []),
        m("monthly.column.rate"), m(target_column), m("monthly.column.gap"), m("monthly.column.needed"),
    ]
    columns = [*LAGGARD_COLUMNS, *(["level"] if with_level else [])]
    rows = []
    for indicator in catalogue.indicators.values():
        if indicator.id not in laggards:
            continue
        for order, item in enumerate(records(laggards[indicator.id], columns)[:limit], start=1):
            needed = (
                m("monthly.laggards.needed", count=int(item["gap_count"]), unit=indicator.count_unit(language))
                if not pd.isna(item["gap_count"]) else m("common.state.missing")
            )
            rows.append([
                indicator.short(language), order, item["unit_name"], *([catalogue.level_name(item["level"], language)] if with_level else []),
                _marked(m.percent(item["rate"]), item["rate_source"], m), m.percent(item["target"]), m.number(item["gap_pp"], 1), needed,
            ])
    return table(name, header, rows)


def movers_table(rises: pd.DataFrame, falls: pd.DataFrame, catalogue: Catalogue, language: str) -> Table:
    """The movers with their counts beside each month's rate (``35,0% (14/40)``)."""
    m = messages(language)
    header = [m(f"monthly.column.{column}") for column in ("unit", "indicator", "previous", "rate", "delta", "rank")]
    rows = []
    for item in [*records(rises), *records(falls)]:
        previous = {"numerator": item["previous_numerator"], "denominator": item["previous_denominator"]}
        rank = "" if pd.isna(item["rank_change"]) else m("monthly.movers.rank", rank=m.number(int(item["rank"])), change=m.signed(float(item["rank_change"]), 0))
        rows.append([
            item["unit_name"], catalogue.indicator(item["indicator"]).short(language),
            Cell(_rate_with_counts(item["previous_rate"], previous, m), "rate"), Cell(_rate_with_counts(item["rate"], item, m), "rate"),
            Cell(m.signed(item["delta_pp"]), "rise" if item["delta_pp"] > 0 else "fall"), rank,
        ])
    return table("movers", header, rows)


def _rate_with_counts(rate: float, counts: figures.Row, m: Messages) -> str:
    """``35,0% (14/40)``; the rate alone where there are no counts behind it."""
    if pd.isna(counts["numerator"]) or pd.isna(counts["denominator"]):
        return m.percent(rate)
    return m("monthly.movers.rate_counts", rate=m.percent(rate), counts=figures.counts_text(counts, m.language))


def appendix_table(units: pd.DataFrame, order: pd.DataFrame, level: str, catalogue: Catalogue, language: str) -> Table:
    """A level's units × indicators: assigned target, counts, rate (▼ marks a rate below target).

    ``order`` is figures.unit_order of the month's units (computed once for every level).
    """
    m = messages(language)
    part = [item for item in records(units, APPENDIX_COLUMNS) if item["level"] == level]  # a third of the time of a pandas mask
    present = {item["indicator"] for item in part}
    indicators = [indicator for indicator in catalogue.indicators if indicator in present]
    by_unit = {(item["unit_id"], item["indicator"]): item for item in part}
    header = [m("monthly.column.number"), m("monthly.column.unit")]
    groups = [("", 2)]
    for indicator in indicators:
        header += [m("monthly.column.assigned"), m("monthly.column.result"), m("monthly.column.rate")]
        groups.append((catalogue.indicator(indicator).short(language), 3))
    rows = []
    level_units = (unit for unit in records(order, ["level", "unit_id", "unit_name"]) if unit["level"] == level)
    for number, unit in enumerate(level_units, start=1):
        cells = [Cell(str(number)), Cell(unit["unit_name"], "unit")]
        for indicator in indicators:
            item = by_unit.get((unit["unit_id"], indicator))
            cells += [Cell(""), Cell(""), Cell("")] if item is None else _appendix_cells(item, m)
        rows.append(cells)
    return Table(f"appendix-{level}", header, rows, groups, "report-table appendix-table")


def _appendix_cells(item: figures.Row, m: Messages) -> list[Cell]:
    """A unit's assigned target, counts and rate for one indicator."""
    state = figures.unit_state(item)
    rate = _marked(figures.rate_text(item["rate"], state, m.language), item["rate_source"], m)
    if item["status"] == "below":
        rate_cell = Cell(m("monthly.appendix.below", rate=rate), "below")
    else:
        rate_cell = Cell(rate, "not-arisen" if state == figures.NOT_ARISEN else "rate")
    return [Cell(m.percent(item["target"]), "target"), Cell(figures.counts_text(item, m.language), "counts"), rate_cell]


def laggard_list(
    laggards: dict[str, pd.DataFrame], catalogue: Catalogue, language: str, limit: int, panel_label: str = "charts.laggards.units_below",
) -> Html:
    """The laggard chart's units as a list, for a phone (report.css shows it instead of the chart):
    per indicator the chart's heading, then each unit's rate, target, gap and the dossiers it needs,
    marked by the chart's attainment colour."""
    m = messages(language)
    groups = []
    for indicator in catalogue.indicators.values():
        below = laggards.get(indicator.id)
        if below is None or below.empty:
            continue
        items = []
        for item in records(below, [*LAGGARD_COLUMNS, "attainment"])[:limit]:
            parts = [
                m("monthly.list.rate_target", rate=_marked(m.percent(item["rate"]), item["rate_source"], m), target=m.percent(item["target"])),
                m("charts.laggards.gap", gap=m.number(item["gap_pp"], 1)),
            ]
            if not pd.isna(item["gap_count"]) and item["gap_count"] > 0:
                parts.append(m("charts.laggards.needed", count=int(item["gap_count"]), unit=indicator.count_unit(language)))
            items.append((f"attainment-{attainment_class(item['attainment'])}", item["unit_name"], m("charts.separator").join(parts)))
        groups.append((m(panel_label, count=len(below), indicator=indicator.short(language)), items))
    return render("fragments/chart_list.html.j2", groups=groups)


def movers_list(rises: pd.DataFrame, falls: pd.DataFrame, catalogue: Catalogue, language: str) -> Html:
    """The movers chart's bars as a list, for a phone: unit and indicator, then the change with each month's rate and counts."""
    m = messages(language)
    items = [
        (
            "rise" if item["delta_pp"] > 0 else "fall",
            m("charts.movers.name", unit=item["unit_name"], indicator=catalogue.indicator(item["indicator"]).short(language)),
            m("charts.movers.change", delta=m.signed(item["delta_pp"]), after=_rate_with_counts(item["rate"], item, m),
              before=_rate_with_counts(item["previous_rate"], {"numerator": item["previous_numerator"], "denominator": item["previous_denominator"]}, m)),
        )
        for item in [*records(rises), *records(falls)]
    ]
    return render("fragments/chart_list.html.j2", groups=[("", items)])
