"""The data checks written for a reader, in the report's language.

A checks frame (``helpers.analysis.monthly.checks``, ``helpers.analysis.index766.checks``)
holds codes, raw values and locations; this module writes each row from the message
catalogue (``checks.toml``): the severity, the unit, the indicator, where the figure is
("tệp X, trang Y, dòng 12, cột F" / "file X, sheet Y, row 12, column F"), what was found,
what was expected and the finding. A parameter is formatted by the ending of its name:
``_rate`` a fraction shown as a percentage (and ``<name>_exact`` with two decimals),
``_points`` 766 points with two decimals, ``_date`` a date; other numbers are counts.

A report shows the checks by kind (``grouped_checks``): one line per check code with how many
rows and units it found, its rows behind a ``<details>``, the most serious kind first, so
that 78 rows of one rule read as one finding. Its key figure (``review_tile``) counts kinds
and units, not rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

import pandas as pd

from helpers.analysis.monthly.checks import SEVERITIES, summary_counts
from helpers.catalogue import Catalogue
from helpers.frames import records
from helpers.messages import Messages, messages
from helpers.report.html import Html, render
from helpers.report.toolkit import Cell, Table, Tile

if TYPE_CHECKING:  # the monthly report never reads the 766 rules: not imported for it
    from helpers.rules766 import Index766Rules

DISPLAY_COLUMNS = ["severity", "unit", "indicator", "location", "found", "expected", "message"]
TABLE_COLUMNS = ["severity", "unit", "indicator", "message", "location"]
TABLE_CLASSES = {"message": "message", "location": "where"}
DOUBTFUL = ("error", "warning")  # the severities the header's figure counts
# Parameters whose value is a code with a wording of its own (checks.<name>.<code>).
CODED_PARAMS = ("count_kind", "tier", "reason", "field")
# (message key under checks.location, frame column), in the order a location is read.
LOCATION_PARTS = (
    ("file", "source_file"), ("sheet", "source_sheet"), ("row", "source_row"),
    ("column", "source_column"), ("record", "source_record"), ("field", "source_field"),
)


def severity_label(severity: str, language: str) -> str:
    """``Sai số liệu`` / ``Error`` for ``error``, and so on."""
    return messages(language)(f"common.severity.{severity}")


def count_headers(language: str) -> list[str]:
    """Column heads for counts of checks by severity, in SEVERITIES order: ``Errors``, ``Warnings``, ``Notes``."""
    m = messages(language)
    return [m(f"checks.counted.{severity}") for severity in SEVERITIES]


def counts_text(checks: pd.DataFrame, language: str) -> str:
    """How many checks of each severity: ``1 sai số liệu, 2 cần xem lại, 0 lưu ý``."""
    m = messages(language)
    counts = [m("checks.summary.count", count=count, severity=severity_label(severity, language).lower()) for severity, count in summary_counts(checks).items()]
    return m("checks.summary.separator").join(counts)


def describe_checks(checks: pd.DataFrame, catalogue: Catalogue, language: str, rules: Index766Rules | None = None) -> pd.DataFrame:
    """One row of display text per check (DISPLAY_COLUMNS), on the index of ``checks``.

    ``rules`` names the 766 index's groups and sub-indicators; the monthly checks need only
    the catalogue.
    """
    m = messages(language)
    rows = [_describe(row, catalogue, rules, m) for row in records(checks)]
    return pd.DataFrame(rows, columns=DISPLAY_COLUMNS, index=checks.index)


def headed_checks(checks: pd.DataFrame, catalogue: Catalogue, language: str, rules: Index766Rules | None = None) -> pd.DataFrame:
    """``describe_checks`` with its columns headed in ``language``, for a spreadsheet's sheet of checks."""
    m = messages(language)
    described = describe_checks(checks, catalogue, language, rules)
    return described.rename(columns={column: m(f"checks.column.{column}") for column in DISPLAY_COLUMNS})


def checks_table(checks: pd.DataFrame, catalogue: Catalogue, language: str, rules: Index766Rules | None = None, name: str = "checks") -> Table:
    """The checks as a report table: severity (coloured), unit, indicator, finding, location."""
    return _checks_table(records(checks), catalogue, messages(language), rules, name)


def _checks_table(checks: Sequence[Mapping[str, Any]], catalogue: Catalogue, m: Messages, rules: Index766Rules | None, name: str) -> Table:
    """``checks_table`` of the checks' rows (records)."""
    rows = []
    for check in checks:
        texts = _describe(check, catalogue, rules, m)
        rows.append([
            Cell(texts[column], f"severity-{check['severity']}" if column == "severity" else TABLE_CLASSES.get(column, "")) for column in TABLE_COLUMNS
        ])
    return Table(name, [m(f"checks.column.{column}") for column in TABLE_COLUMNS], rows, css="report-table checks-table reflow")  # on a phone, one card a check


@dataclass(frozen=True)
class CheckKind:
    """The checks of one code, as a line of the report: how serious, what, how many, the rows."""

    severity: str
    severity_label: str
    title: str
    count: str
    table: Html


def check_kinds(checks: pd.DataFrame, catalogue: Catalogue, language: str, rules: Index766Rules | None = None, name: str = "checks") -> list[CheckKind]:
    """One entry per check code, the most serious first: by severity, then most rows, then code."""
    m = messages(language)
    rank = {severity: position for position, severity in enumerate(SEVERITIES)}
    by_code: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for check in records(checks):  # grouped in the order the codes first appear
        by_code.setdefault((check["kind"], check["check"]), []).append(check)
    kinds = []
    for (kind, code), rows in by_code.items():
        severity = min((row["severity"] for row in rows), key=rank.__getitem__)
        table = _checks_table(rows, catalogue, m, rules, f"{name}_{code}").html()
        units = unit_count(row["unit_id"] for row in rows)
        kinds.append(((rank[severity], -len(rows), kind, code), CheckKind(
            severity, m(f"common.severity.{severity}"), m(f"checks.title.{kind}.{code}"), _rows_and_units(len(rows), units, m), table,
        )))
    return [entry for _, entry in sorted(kinds, key=lambda item: item[0])]


def grouped_checks(checks: pd.DataFrame, catalogue: Catalogue, language: str, rules: Index766Rules | None = None, name: str = "checks") -> Html:
    """The checks by kind: one line each with its count, its rows behind a ``<details>``."""
    return render("fragments/check_kinds.html.j2", kinds=check_kinds(checks, catalogue, language, rules, name))


def unit_count(unit_ids: Iterable[object]) -> int:
    """How many units the checks of these unit ids name (a check of a whole level names none)."""
    return len({unit for unit in unit_ids if not pd.isna(unit)})


def _rows_and_units(rows: int, units: int, m: Messages) -> str:
    """``14 trường hợp ở 12 đơn vị``; ``12 đơn vị`` when each unit has one; ``4 trường hợp`` without units."""
    if units == rows:
        return m("checks.kinds.units", count=units)
    cases = m("checks.kinds.cases", count=rows)
    return m("checks.kinds.cases_in_units", cases=cases, units=m("checks.kinds.units", count=units)) if units else cases


def review_tile(checks: pd.DataFrame, language: str) -> Tile:
    """The header's figure of doubtful data: how many kinds of error and warning, in how many units."""
    m = messages(language)
    doubtful = [check for check in records(checks, ["severity", "kind", "check", "unit_id"]) if check["severity"] in DOUBTFUL]
    kinds = len({(check["kind"], check["check"]) for check in doubtful})
    units = unit_count(check["unit_id"] for check in doubtful)
    return Tile(m.number(kinds), m("checks.tile.kinds"), "partial" if kinds else "good", key="checks", detail=m("checks.kinds.units", count=units) if units else "")


def _describe(row: Mapping[str, object], catalogue: Catalogue, rules: Index766Rules | None, m: Messages) -> dict[str, str]:
    params = dict(row["params"]) if isinstance(row["params"], Mapping) else {}
    key = f"checks.{row['kind']}.{row['check']}"
    if "variant" in params:
        key = f"{key}.{params.pop('variant')}"
    names = _names(row, catalogue, rules, m.language)
    values = {**names, **_formatted(params, m)}
    return {
        "severity": m(f"common.severity.{row['severity']}"),
        "unit": names["unit"],
        "indicator": names["indicator"] or names["group"],
        "location": location_text(row, m),
        "found": m(f"{key}.found", **values),
        "expected": m(f"{key}.expected", **values),
        "message": m(f"{key}.message", **values),
    }


def _present(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float):
        return not math.isnan(value)
    return value != ""


def _names(row: Mapping[str, object], catalogue: Catalogue, rules: Index766Rules | None, language: str) -> dict[str, str]:
    """The names a check's texts may use, in ``language``: unit (or its level), indicator, group, level."""
    level = catalogue.level_name(str(row["level"]), language) if _present(row.get("level")) else ""
    indicator_id = str(row["indicator"]) if _present(row.get("indicator")) else ""
    group_id = str(row["group"]) if _present(row.get("group")) else ""
    indicator, group, denominator = indicator_id, group_id, ""
    if row["kind"] == "monthly" and indicator_id in catalogue.indicators:
        entry = catalogue.indicator(indicator_id)
        indicator = entry.short(language)
        denominator = str(getattr(entry, f"denominator_{language}"))  # the catalogue has one column per language
    elif rules is not None:
        indicator = rules.rules[indicator_id].name(language) if indicator_id in rules.rules else indicator_id
        group = rules.groups[group_id].name(language) if group_id in rules.groups else group_id
    unit = str(row["unit_name"]) if _present(row.get("unit_name")) else level
    return {
        "unit": unit, "indicator": indicator, "group": group, "level": level, "level_lower": level.lower(),
        "denominator": denominator, "denominator_lower": denominator.lower(),
    }


def _formatted(params: Mapping[str, object], m: Messages) -> dict[str, str]:
    """Each raw parameter as text, by the ending of its name (see the module's docstring)."""
    values: dict[str, str] = {}
    for key, value in params.items():
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        if key in CODED_PARAMS:
            values[key] = m(f"checks.{key}.{value}")
        elif key.endswith("_rate"):
            values[key], values[f"{key}_exact"] = m.percent(number), m.percent(number, 2)
        elif key.endswith("_points"):
            values[key] = m.number(number, 2)
        elif key.endswith("_date"):
            day = pd.Timestamp(str(value))
            values[key] = m("checks.format.date", day=f"{day.day:02d}", month=f"{day.month:02d}", year=day.year)
        elif value is None or number is not None:
            values[key] = m.number(number)
        else:
            values[key] = str(value)
    return values


def location_text(row: Mapping[str, object], m: Messages) -> str:
    """Where the figure is: ``tệp bang.xlsx, trang PL1, dòng 9, cột E``; empty when the check has no place."""
    parts = []
    for part, column in LOCATION_PARTS:
        value = row.get(column)
        if not _present(value):
            continue
        if part == "file":
            value = PurePosixPath(str(value)).name
        elif part == "row":
            value = int(value)  # type: ignore[call-overload]  # a column with blanks holds rows as floats
        parts.append(m(f"checks.location.{part}", **{part: value}))
    return m("checks.location.separator").join(parts)
