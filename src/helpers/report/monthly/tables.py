"""The report's tables as HTML: every cell formatted for people, every text escaped.

Cells are formatted here and escaped when the table is written (a unit named ``<script>``
shows as text). Cells carry CSS classes, not inline styles: the colours live in report.css.
Each table has a stable id (``T_<name>``) so that tests and readers can find it. The tables
are written directly rather than through pandas' Styler, which took a third of a report's
rendering time for the same markup.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.analysis.monthly.checks import severity_label
from helpers.numbers import format_number, format_percent, format_signed
from helpers.report.monthly import figures
from helpers.report.labels import label
from helpers.report.markup import escape


def html_table(
    name: str, header: Sequence[str], rows: Sequence[Sequence[object]], classes: Sequence[Sequence[str]] | None = None,
    css_class: str = "report-table", groups: Sequence[tuple[str, int]] = (),
) -> str:
    """An escaped HTML table with id ``T_<name>``; ``classes`` gives each cell a CSS class.

    ``groups`` adds a first header row of (label, number of columns spanned), as the official
    appendices group each indicator's columns.
    """
    head = []
    if groups:
        head.append("<tr>" + "".join(f'<th colspan="{span}">{escape(text)}</th>' for text, span in groups) + "</tr>")
    head.append("<tr>" + "".join(f"<th>{escape(text)}</th>" for text in header) + "</tr>")
    body = []
    for index, row in enumerate(rows):
        row_classes = classes[index] if classes is not None else [""] * len(row)
        cells = "".join(f'<td class="{escape(css)}">{escape(value)}</td>' if css else f"<td>{escape(value)}</td>" for value, css in zip(row, row_classes))
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table id="T_{escape(name)}" class="{escape(css_class)}">\n<thead>\n' + "\n".join(head) + "\n</thead>\n<tbody>\n"
        + "\n".join(body) + "\n</tbody>\n</table>"
    )


def frame_table(frame: pd.DataFrame, name: str, classes: Sequence[Sequence[str]] | None = None, css_class: str = "report-table") -> str:
    """``html_table`` of a DataFrame of display strings, its columns as the header."""
    return html_table(name, [str(column) for column in frame.columns], frame.itertuples(index=False, name=None), classes, css_class)


def _with_change(row: figures.Row, state: str, language: str) -> str:
    text = figures.rate_text(row["rate"], state, language)
    if state == figures.RATE and not pd.isna(row["previous_rate"]):
        text += f" ({format_signed(row['delta_pp'], language=language)})"
    return text


def assessment(row: figures.Row, state: str, language: str) -> str:
    if state == figures.NOT_ARISEN:
        return label("not_arisen", language)
    if state == figures.NO_DATA:
        return label("not_computable", language)
    return {"good": label("assess_met", language), "partial": label("assess_central_only", language), "bad": label("assess_below_central", language)}[
        figures.target_class(row)
    ]


def summary_table(aggregates: pd.DataFrame, catalogue: Catalogue, language: str) -> str:
    """Per indicator: the province's and each level's rate (coloured against both targets), change, targets."""
    levels = figures.levels_present(aggregates, catalogue)
    scopes = figures.scopes_of(aggregates)
    whole_name = catalogue.level_name(WHOLE_PROVINCE, language)
    rows, classes = [], []
    for indicator in figures.indicators_present(aggregates, catalogue):
        whole = scopes[(indicator, WHOLE_PROVINCE)]
        whole_state = figures.aggregate_state(whole)
        row = {
            label("col_indicator", language): catalogue.indicator(indicator).short(language),
            whole_name: figures.rate_text(whole["rate"], whole_state, language),
            label("col_change", language): figures.change_text(whole, whole_state, language),
        }
        row_classes = ["indicator", figures.target_class(whole), "change"]
        for level in levels:
            scope = scopes.get((indicator, level))
            state = figures.aggregate_state(scope) if scope is not None else figures.NO_DATA
            row[catalogue.level_name(level, language)] = _with_change(scope, state, language) if scope is not None else "–"
            row_classes.append(figures.target_class(scope) if scope is not None else "no-rate")
        row[label("col_central", language)] = format_percent(whole["central_target"], language=language)
        row[label("col_provincial", language)] = format_percent(whole["provincial_target"], language=language)
        row[label("col_assessment", language)] = assessment(whole, whole_state, language)
        row_classes += ["target", "target", "assessment " + figures.target_class(whole)]
        rows.append(row)
        classes.append(row_classes)
    return frame_table(pd.DataFrame(rows), "summary", classes, "report-table summary-table")


def laggard_table(laggards: dict[str, pd.DataFrame], catalogue: Catalogue, language: str, limit: int) -> str:
    """The laggards behind the chart, with exact figures: per indicator the ``limit`` furthest below."""
    rows = []
    for indicator in catalogue.indicators.values():
        below = laggards.get(indicator.id, pd.DataFrame()).head(limit)
        for order, item in enumerate(below.itertuples(), start=1):
            rows.append({
                label("col_indicator", language): indicator.short(language),
                label("col_no", language): order,
                label("col_unit", language): item.unit_name,
                label("col_level", language): catalogue.level_name(item.level, language),
                label("col_rate", language): format_percent(item.rate, language=language) + ("*" if item.rate_source == "reported" else ""),
                label("col_target", language): format_percent(item.target, language=language),
                label("col_gap", language): format_number(item.gap_pp, 1, language),
                label("col_needed", language): (
                    f"{format_number(int(item.gap_count), language=language)} {indicator.count_unit(language)}" if not pd.isna(item.gap_count) else "–"
                ),
            })
    return frame_table(pd.DataFrame(rows), "laggards") if rows else ""


def movers_table(rises: pd.DataFrame, falls: pd.DataFrame, catalogue: Catalogue, language: str) -> str:
    rows = []
    for item in [*rises.itertuples(), *falls.itertuples()]:
        rank_change = "" if pd.isna(item.rank_change) else f"{int(item.rank):d} ({format_signed(float(item.rank_change), 0, language)})"
        rows.append({
            label("col_unit", language): item.unit_name,
            label("col_indicator", language): catalogue.indicator(item.indicator).short(language),
            label("col_previous", language): format_percent(item.previous_rate, language=language),
            label("col_rate", language): format_percent(item.rate, language=language),
            label("col_delta", language): format_signed(item.delta_pp, language=language),
            label("col_rank", language): rank_change,
        })
    if not rows:
        return ""
    classes = [["", "", "", "", "rise" if item.delta_pp > 0 else "fall", ""] for item in [*rises.itertuples(), *falls.itertuples()]]
    return frame_table(pd.DataFrame(rows), "movers", classes)


def checks_table(checks: pd.DataFrame, catalogue: Catalogue, language: str) -> str:
    if checks.empty:
        return ""
    message = "message_vi" if language == "vi" else "message_en"
    frame = pd.DataFrame({
        label("col_severity", language): [severity_label(severity, language) for severity in checks["severity"]],
        label("col_unit", language): checks["unit_name"].fillna("").astype(str),
        label("col_indicator", language): [
            catalogue.indicator(indicator).short(language) if isinstance(indicator, str) and indicator in catalogue.indicators else "" for indicator in checks["indicator"]
        ],
        label("col_message", language): checks[message].astype(str),
        label("col_where", language): checks["location"].fillna("").astype(str),
    })
    classes = [[f"severity-{severity}", "", "", "message", "where"] for severity in checks["severity"]]
    return frame_table(frame, "checks", classes)


def appendix_table(units: pd.DataFrame, order: pd.DataFrame, level: str, catalogue: Catalogue, language: str) -> str:
    """A level's units × indicators: assigned target, counts, rate (▼ marks a rate below target).

    ``order`` is figures.unit_order of the month's units (computed once for every level).
    """
    part = units[units["level"] == level]
    order = order[order["level"] == level]
    indicators = [indicator for indicator in catalogue.indicators if indicator in set(part["indicator"])]
    by_unit = {(record["unit_id"], record["indicator"]): record for record in part[figures.UNIT_COLUMNS].to_dict("records")}
    header = [label("col_no", language), label("col_unit", language)]
    groups = [("", 2)]
    for indicator in indicators:
        header += [label("col_assigned", language), label("col_result", language), label("col_rate", language)]
        groups.append((catalogue.indicator(indicator).short(language), 3))
    rows, classes = [], []
    for number, unit in enumerate(order.itertuples(), start=1):
        row: list[object] = [number, unit.unit_name]
        row_classes = ["", "unit"]
        for indicator in indicators:
            item = by_unit.get((unit.unit_id, indicator))
            if item is None:
                row += ["", "", ""]
                row_classes += ["", "", ""]
                continue
            state = figures.unit_state(item)
            rate = figures.rate_text(item["rate"], state, language) + ("*" if item["rate_source"] == "reported" else "")
            below = item["status"] == "below"
            row += [format_percent(item["target"], language=language), _counts(item, language), ("▼ " if below else "") + rate]
            row_classes += ["target", "counts", "below" if below else ("not-arisen" if state == figures.NOT_ARISEN else "rate")]
        rows.append(row)
        classes.append(row_classes)
    return html_table(f"appendix-{level}", header, rows, classes, "report-table appendix-table", groups)


def _counts(item: figures.Row, language: str) -> str:
    numerator, denominator = item["numerator"], item["denominator"]
    if pd.isna(numerator):
        return "–"
    if pd.isna(denominator):
        return format_number(int(numerator), language=language)
    return f"{format_number(int(numerator), language=language)}/{format_number(int(denominator), language=language)}"
