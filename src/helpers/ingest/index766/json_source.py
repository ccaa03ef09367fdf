"""What every 766 JSON adapter shares: reading the file safely and reading its figures.

A portal reply is data from outside: ``Infinity``, a 5,000-digit integer or arrays nested
200,000 deep must give a clear error naming the file (and the record and field), never a
traceback. ``load_json`` keeps such values as ``Unreadable`` so that the reader that meets one
can name where it is.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd

from helpers.errors import Location, Problem, fail
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, check_period766, parse_snapshot_date
from helpers.ingest.index766.sources import MAX_COUNT, FileRows, SourceUnit, check_rank

TIME_TYPES = {"year": "year_to_date", "quarter": "quarter", "month": "month"}
# The portal's childGroup / type of a unit → its level in data/catalogue/levels.csv.
PORTAL_LEVELS = {"AGENCY": "cap_tinh", "COMMUNE": "cap_xa"}
# Crawl timestamps are UTC; the portal's day is Vietnam's (UTC+7, no daylight saving).
VIETNAM_OFFSET = pd.Timedelta(hours=7)
# Counts on the portal stay far below this; longer integers are typing or attack, not data.
MAX_INTEGER_DIGITS = 18
_EXACT_INTEGER = 10**MAX_INTEGER_DIGITS
# A JSON number Python would read as no usable figure: more than 18 digits before any point,
# or an exponent of three digits (1e400). Only a file with one is read number by number.
# The quick test (every digit read as 0, E and + as e, then 19 zeros or a three-digit positive
# exponent: two scans of the text) finds every such number and some texts (ids); the exact
# pattern then decides.
_DIGITS_AS_ZERO = bytes.maketrans(b"0123456789E+", b"0" * 10 + b"ee")
_MAYBE_DOUBTFUL = (b"0" * 19, b"e000")
_DOUBTFUL_NUMBER = re.compile(r"[:\[,]\s*-?(?:[0-9]{19}|[0-9]+(?:\.[0-9]+)?[eE][+-]?[0-9]{3})")


class Unreadable:
    """A JSON value that is no usable number (Infinity, NaN, an integer of thousands of digits)."""

    def __init__(self, description: str) -> None:
        self.description = description

    def __repr__(self) -> str:
        return self.description


def _integer(text: str) -> int | Unreadable:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= MAX_INTEGER_DIGITS else Unreadable(f"a {digits}-digit integer")


def _float(text: str) -> float | Unreadable:
    value = float(text)
    return value if math.isfinite(value) else Unreadable(f"{text[:24]} (beyond any finite number)")


def load_json(path: Path, display: str) -> object:
    """The parsed file; an InputError naming the file when it is not JSON one can read."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise fail(Location(display), "a JSON file in UTF-8", f"bytes that are not UTF-8 ({error.reason} at byte {error.start})") from error
    # Reading every number through a Python hook took most of the time of a year of daily
    # captures; the hooks are needed only where the text has a doubtful number.
    zeros = data.translate(_DIGITS_AS_ZERO)
    doubtful = any(marker in zeros for marker in _MAYBE_DOUBTFUL) and _DOUBTFUL_NUMBER.search(text) is not None
    hooks = {"parse_int": _integer, "parse_float": _float} if doubtful else {}
    try:
        return json.loads(text, parse_constant=Unreadable, **hooks)
    except RecursionError as error:
        raise fail(Location(display), "JSON nested to a reasonable depth", "lists or objects nested too deep to read") from error
    except json.JSONDecodeError as error:
        raise fail(Location(display), "a JSON file from the portal's reporting API", f"unreadable JSON ({error})") from error


class JsonReader:
    """Collects the units of one file and every problem met, each with file, record and field."""

    def __init__(self, display: str, rules: Index766Rules, provinces_by_code: dict[str, str]) -> None:
        self.display = display
        self.rules = rules
        self.provinces_by_code = provinces_by_code
        self.units: list[SourceUnit] = []
        self.problems: list[Problem] = []
        self.rows: FileRows | None = None  # the units' rows, when they were read as columns

    def at(self, record: str, field: str | None = None) -> Location:
        return Location(self.display, record=record, field=field)

    def problem(self, record: str, field: str | None, expected: str, found: str) -> None:
        """A problem at ``record``/``field``; ``found`` is the text to show (repr() a value)."""
        self.problems.append(Problem(self.at(record, field), expected, found))

    # -- values ------------------------------------------------------------------------------
    def number(self, value: object, record: str, field: str, expected: str) -> float | None:
        """A JSON number that must be finite and not negative; None for null (a problem otherwise)."""
        # The common cases first, by exact type (a bool is not an int here): read millions of times.
        kind = type(value)
        if kind is float and 0 <= value < math.inf:
            return value
        if kind is int and 0 <= value < _EXACT_INTEGER:
            return float(value)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            self.problem(record, field, expected, repr(value))
            return None
        return float(value)

    def count(self, value: object, record: str, field: str, expected: str = "a count (a whole number ≥ 0)") -> int | None:
        """A JSON whole number ≥ 0 (a count or a rank); None for null (a problem otherwise)."""
        if type(value) is int and 0 <= value < MAX_COUNT:
            return value
        number = self.number(value, record, field, expected)
        if number is None:
            return None
        if number != int(number) or number >= MAX_COUNT:
            self.problem(record, field, expected if number < MAX_COUNT else f"{expected}, below {MAX_COUNT:,}", repr(value))
            return None
        return int(number)

    def text(self, value: object, record: str, field: str) -> str:
        """A JSON string ('' for null or absent); anything else is a problem."""
        if type(value) is str:
            return value.strip()
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(record, field, "a text", repr(value))
            return ""
        return value.strip()

    def unit_records(self, document: dict, list_name: str) -> list[tuple[str, dict]]:
        """(path, record) of each unit listed under ``list_name``; a list that is not one, a
        record that is not an object, or a declared ``count`` that disagrees is a problem."""
        records = document.get(list_name)
        if records is None:
            return []
        if not isinstance(records, list):
            self.problem(list_name, None, "a list of units", type(records).__name__)
            return []
        declared = self.count(document.get("count"), "(root)", "count", "the number of units listed")
        if declared is not None and declared != len(records):
            self.problem("(root)", "count", f"the number of units in {list_name} ({len(records)})", repr(declared))
        found = []
        for index, record in enumerate(records):
            path = f"{list_name}[{index}]"
            if isinstance(record, dict):
                found.append((path, record))
            else:
                self.problem(path, None, "a unit record", type(record).__name__)
        return found

    def listed_unit(self, snapshot: Snapshot, province: str, record: dict, path: str, shape: str) -> SourceUnit:
        """A unit of a list, named and coded as the portal writes it."""
        return SourceUnit(
            snapshot, province, False, self.text(record.get("departmentName"), path, "departmentName"), self.at(path),
            level=self.level(record, path, "childGroup"), portal_code=self.text(record.get("departmentCode"), path, "departmentCode") or None,
            shape=shape,
        )

    def level(self, record: dict, path: str, field: str) -> str | None:
        """The level the portal gives a unit (childGroup / type), checked against the registry later."""
        written = record.get(field)
        if written is None:
            return None
        level = PORTAL_LEVELS.get(str(written).upper()) if isinstance(written, str) else None
        if level is None:
            self.problem(path, field, " or ".join(PORTAL_LEVELS), repr(written))
        return level

    # -- what the figures are of ---------------------------------------------------------------
    def snapshot(self, period: dict, record: str, date_at: tuple[str, str], day: object, captured: object, number: object) -> Snapshot | None:
        """(period kind, period, date taken) from the source's own metadata."""
        kind = TIME_TYPES.get(period.get("timeType")) if isinstance(period.get("timeType"), str) else None
        if kind is None:
            self.problem(record, "timeType", "timeType year, quarter or month", repr(period.get("timeType")))
            return None
        try:
            year = _whole(period.get("year"))
            if kind == "year_to_date":
                label = str(year)
            elif kind == "quarter":
                label = f"{year}-Q{_whole(number)}"
            else:
                label = f"{year}-{_whole(number):02d}"
            period_text = check_period766(kind, label)
        except (TypeError, ValueError):
            self.problem(record, "year", f"the year (and the {kind} number) of a {kind} period", f"year {period.get('year')!r}, period {number!r}")
            return None
        try:
            if day:
                date = parse_snapshot_date(str(day))
            else:
                date = (pd.Timestamp(str(captured)).tz_convert("UTC").tz_localize(None) + VIETNAM_OFFSET).strftime("%Y-%m-%d")
        except (TypeError, ValueError):
            self.problem(date_at[0], date_at[1], "the date the data was taken (runDateStr, day or a capture time)", repr(day or captured))
            return None
        return Snapshot(kind, period_text, date)

    def metadata_snapshot(self, metadata: dict) -> Snapshot | None:
        """The snapshot of a crawler file's ``metadata`` block (timeType, year, period, runDateStr)."""
        return self.snapshot(metadata, "metadata", ("metadata", "runDateStr"), metadata.get("runDateStr"), metadata.get("extractedAt"), metadata.get("period"))

    def province(self, code: object, location: Location) -> str | None:
        province = self.provinces_by_code.get(code) if isinstance(code, str) else None
        if province is None:
            self.problems.append(Problem(location, "a province whose portal_code is listed in data/units/provinces.csv", repr(code)))
        return province

    def ranks(self, record: dict, path: str, base: int | None, base_name: str, group_base: int | None, group_base_name: str) -> dict[str, int | None]:
        rank = self.count(record.get("rank"), path, "rank", "a whole rank")
        group_rank = self.count(record.get("groupRank"), path, "groupRank", "a whole rank")
        check_rank(rank, base, self.at(path, "rank"), base_name, self.problems)
        check_rank(group_rank, group_base, self.at(path, "groupRank"), group_base_name, self.problems)
        return {"rank": rank, "rank_base": base, "group_rank": group_rank, "group_rank_base": group_base}

    # -- figures -----------------------------------------------------------------------------
    def total(self, unit: SourceUnit, block: dict, path: str, field: str = "totalScore", rank: dict[str, int | None] | None = None) -> None:
        """The unit's total (and ranks) as its total row; a missing total is a problem."""
        if field not in block:
            self.problem(path, field, "the unit's total score", "no such field")
        points = self.number(block.get(field), path, field, "the total score (a number ≥ 0)")
        maximum = self.number(block.get("totalMaxScore"), path, "totalMaxScore", "the maximum total (a number)")
        unit.rows.append({
            "measure": "total", "points": points, "max_points": maximum, "points_decimals": 2, **(rank or {}),
            "source_file": self.display, "source_record": path, "source_field": field,
        })

    def group_code(self, written: object, path: str, field: str) -> str | None:
        group = self.rules.group_of_portal_code(written) if isinstance(written, str) else None
        if group is None:
            self.problem(path, field, "a group of catalogue/index766_groups.csv (portal_codes)", repr(written))
        return group

    def group_scores(self, scores: object, path: str, field: str = "groupScores") -> dict[str, dict[str, object]]:
        """``{"CKMB": 11.79, …}`` or ``{"CKMB": {"score": 11.79, "maxScore": 18}, …}`` → group rows."""
        rows: dict[str, dict[str, object]] = {}
        if not isinstance(scores, dict):
            self.problem(path, field, "the six group scores", type(scores).__name__ if scores is not None else "none")
            return rows
        for key, value in scores.items():
            place = f"{field}.{key}"
            group = self.group_code(key, path, place)
            if group is None:
                continue
            if group in rows:
                self.problem(path, place, f"one score for group {group}", f"{key!r} besides {rows[group]['source_field']!r}")
                continue
            score, maximum = (value.get("score"), value.get("maxScore")) if isinstance(value, dict) else (value, None)
            rows[group] = {
                "measure": "group", "group": group, "points_decimals": 2,
                "points": self.number(score, path, place, f"the score of group {group} (a number ≥ 0)"),
                "max_points": self.number(maximum, path, f"{place}.maxScore", "the group's maximum (a number ≥ 0)"),
                "source_file": self.display, "source_record": path, "source_field": place,
            }
        return rows

    def require_groups(self, rows: dict[str, dict[str, object]], path: str, field: str = "groupScores") -> None:
        for group in self.rules.groups.values():
            if group.code not in rows:
                written = " or ".join(group.portal_codes)
                self.problem(path, field, f"a score for group {group.code} ({group.name_vi}; written {written})", "none")

    def groups(self, unit: SourceUnit, groups: object, path: str, rows: dict[str, dict[str, object]]) -> None:
        """A ``groups`` list of group blocks ``{code, score, maxScore, metrics}``."""
        if not isinstance(groups, list):
            self.problem(path, "groups", "a list of groups with code, score and metrics", type(groups).__name__)
            return
        for index, entry in enumerate(groups):
            place = f"groups[{index}]" if path == "(root)" else f"{path}.groups[{index}]"
            if not isinstance(entry, dict):
                self.problem(place, None, "a group with code, score and metrics", type(entry).__name__)
                continue
            group = self.group_code(entry.get("code"), place, "code")
            if group is not None:
                self.group_detail(unit, group, entry, place, rows)

    def group_detail(self, unit: SourceUnit, group: str, entry: dict, path: str, rows: dict[str, dict[str, object]]) -> None:
        """A group block ``{score, maxScore, metrics}``: its score joins (or must agree with) the
        group row already read from ``groupScores``; its metrics become sub-indicator rows."""
        points = self.number(entry.get("score"), path, "score", f"the score of group {group} (a number ≥ 0)")
        maximum = self.number(entry.get("maxScore"), path, "maxScore", "the group's maximum (a number ≥ 0)")
        row = rows.get(group)
        if row is None:
            rows[group] = {"measure": "group", "group": group, "points": points, "max_points": maximum, "points_decimals": 2,
                           "source_file": self.display, "source_record": path, "source_field": "score"}
        else:
            if points is not None and row["points"] is not None and points != row["points"]:
                self.problem(path, "score", f"the score of group {group} given in {row['source_field']} ({row['points']:g})", repr(points))
            if row["max_points"] is None:
                row["max_points"] = maximum
        metrics = entry.get("metrics")
        if metrics is None:
            return
        if not isinstance(metrics, list):
            self.problem(path, "metrics", "a list of metrics", type(metrics).__name__)
            return
        for index, metric in enumerate(metrics):
            self.metric(unit, group, metric, f"{path}.metrics[{index}]")

    def metric(self, unit: SourceUnit, group: str, metric: object, path: str) -> None:
        """One published sub-indicator: its code must be known and belong to the group it is in."""
        if not isinstance(metric, dict):
            self.problem(path, None, "a metric with code, numerator, denominator, ratio, score", type(metric).__name__)
            return
        code = metric.get("code")
        known = self.rules.group_of_indicator(code) if isinstance(code, str) else None
        if known is None:
            self.problem(path, "code", "a sub-indicator of catalogue/index766_rules.csv or index766_unscored.csv", repr(code))
            return
        if known != group:
            self.problem(path, "code", f"a sub-indicator of group {group}", f"{code} (a sub-indicator of {known})")
            return
        ratio = self.number(metric.get("ratio"), path, "ratio", "a ratio in percent (a number ≥ 0)")
        is_ratio = metric.get("unit") in (None, "%")
        self.indicator(unit, group, code, path, {
            "indicator_name": self.text(metric.get("name"), path, "name"),
            "numerator": self.count(metric.get("numerator"), path, "numerator"),
            "denominator": self.count(metric.get("denominator"), path, "denominator"),
            "ratio": ratio / 100 if ratio is not None and is_ratio else None,
            "value": self.number(metric.get("value"), path, "value", "a number ≥ 0"),
            "points": self.number(metric.get("score"), path, "score", "points (a number ≥ 0)"),
            "max_points": self.number(metric.get("maxScore"), path, "maxScore", "a maximum (a number ≥ 0)"),
            "source_note": self.text(metric.get("dataQualityStatus"), path, "dataQualityStatus") or None,
        }, "ratio" if metric.get("ratio") is not None else "value")

    def indicator(self, unit: SourceUnit, group: str, code: str, path: str, figures: dict[str, object], field: str) -> None:
        unit.rows.append({
            "measure": "indicator", "group": group, "indicator": code, "points_decimals": 2, **figures,
            "source_file": self.display, "source_record": path, "source_field": field,
        })


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(repr(value))
    return int(value)
