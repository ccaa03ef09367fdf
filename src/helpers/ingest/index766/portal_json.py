"""Adapter: the JSON the national portal's reporting API returns ("Đánh giá chất lượng phục vụ").

Two shapes are read (see data/raw/*/766/README.md):

* a unit list: ``metadata`` (province code, period, run date), ``overview`` (the province's
  total and ``groupScores``) and ``agencies`` or ``communes``: each unit's total,
  ``groupScores``, ``rank`` (shared by departments and communes) and ``groupRank``;
* a province block: ``department``, ``period``, ``totalScore``, ``rank`` of ``provinceCount``
  and ``groups``, each with its ``metrics`` (numerator, denominator, ratio in percent, points).

Any block may carry ``groups`` with metrics; group codes are mapped through
catalogue/index766_groups.csv (``ONLINE`` in unit lists is ``CLGQ``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from helpers.errors import Location, Problem, fail
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, check_period766, parse_snapshot_date
from helpers.ingest.index766.sources import SourceUnit, check_rank

UNIT_LISTS = {"agencies": "agencyCount", "communes": "communeCount"}
TIME_TYPES = {"year": "year_to_date", "quarter": "quarter", "month": "month"}
# Crawl timestamps are UTC; the portal's day is Vietnam's (UTC+7, no daylight saving).
VIETNAM_OFFSET = pd.Timedelta(hours=7)


def read_portal_json(path: Path, display: str, rules: Index766Rules, provinces_by_code: dict[str, str]) -> tuple[list[SourceUnit], list[Problem]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail(Location(display), "a JSON file from the portal's reporting API", f"unreadable JSON ({error})") from error
    reader = _PortalReader(display, rules, provinces_by_code)
    if isinstance(document, dict) and isinstance(document.get("metadata"), dict) and any(key in document for key in UNIT_LISTS):
        reader.unit_list(document)
    elif isinstance(document, dict) and isinstance(document.get("department"), dict) and "groups" in document:
        reader.province_block(document)
    else:
        keys = ", ".join(map(repr, document)) if isinstance(document, dict) else type(document).__name__
        raise fail(
            Location(display),
            "a unit list ('metadata', 'overview', 'agencies' or 'communes') or a province block ('department', 'period', 'groups')",
            f"keys {keys}",
        )
    return reader.units, reader.problems


class _PortalReader:
    def __init__(self, display: str, rules: Index766Rules, provinces_by_code: dict[str, str]) -> None:
        self.display = display
        self.rules = rules
        self.provinces_by_code = provinces_by_code
        self.units: list[SourceUnit] = []
        self.problems: list[Problem] = []

    def _at(self, record: str, field: str | None = None) -> Location:
        return Location(self.display, record=record, field=field)

    def _number(self, value: object, record: str, field: str, expected: str) -> float | None:
        """A JSON number that must be finite and not negative; None for null (a problem otherwise)."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            self.problems.append(Problem(self._at(record, field), expected, repr(value)))
            return None
        return float(value)

    def _count(self, value: object, record: str, field: str, expected: str) -> int | None:
        """A JSON whole number ≥ 0 (a count or a rank); None for null (a problem otherwise)."""
        number = self._number(value, record, field, expected)
        if number is None:
            return None
        if number != int(number):
            self.problems.append(Problem(self._at(record, field), expected, repr(value)))
            return None
        return int(number)

    # -- the two shapes ----------------------------------------------------------------------
    def unit_list(self, document: dict) -> None:
        metadata = document["metadata"]
        snapshot = self._snapshot(metadata, "metadata", ("metadata", "runDateStr"), metadata.get("runDateStr"), metadata.get("extractedAt"), metadata.get("period"))
        province_code = str(metadata.get("provinceCode") or "")
        province = self._province(province_code, self._at("metadata", "provinceCode"))
        overview = document.get("overview")
        if snapshot is None or province is None:
            return
        counts: dict[str, int | None] = {}
        if isinstance(overview, dict):
            if str(overview.get("departmentCode") or province_code) != province_code:
                self.problems.append(Problem(self._at("overview", "departmentCode"), f"the province of metadata.provinceCode ({province_code})", repr(overview.get("departmentCode"))))
            for field in ("totalUnitsCount", *UNIT_LISTS.values()):
                counts[field] = self._count(overview.get(field), "overview", field, "a count of units")
            unit = SourceUnit(snapshot, province, True, str(overview.get("departmentName") or ""), self._at("overview"), portal_code=province_code)
            self._scores(unit, overview, "overview", rank=None)
            self.units.append(unit)
        for list_name, count_field in UNIT_LISTS.items():
            records = document.get(list_name)
            if records is None:
                continue
            if not isinstance(records, list):
                self.problems.append(Problem(self._at(list_name), "a list of units", type(records).__name__))
                continue
            group_base = counts.get(count_field) or len(records)
            for index, record in enumerate(records):
                path = f"{list_name}[{index}]"
                if not isinstance(record, dict):
                    self.problems.append(Problem(self._at(path), "a unit record", type(record).__name__))
                    continue
                unit = SourceUnit(
                    snapshot, province, False, str(record.get("departmentName") or ""), self._at(path),
                    portal_code=str(record.get("departmentCode") or "") or None,
                )
                ranks = self._ranks(record, path, counts.get("totalUnitsCount"), "overview.totalUnitsCount", group_base, f"overview.{count_field}")
                self._scores(unit, record, path, rank=ranks)
                self.units.append(unit)

    def province_block(self, document: dict) -> None:
        period = document.get("period") if isinstance(document.get("period"), dict) else {}
        number = period.get("period") or period.get("quarter") or period.get("month")
        snapshot = self._snapshot(period, "period", ("(root)", "day"), document.get("day"), document.get("capturedAt"), number)
        department = document["department"]
        code = str(department.get("code") or "")
        province = self._province(code, self._at("department", "code"))
        if snapshot is None or province is None:
            return
        base = self._count(document.get("provinceCount"), "(root)", "provinceCount", "a count of provinces")
        rank = self._count(document.get("rank"), "(root)", "rank", "a whole rank")
        check_rank(rank, base, self._at("(root)", "rank"), "provinceCount", self.problems)
        unit = SourceUnit(snapshot, province, True, str(department.get("name") or ""), self._at("department"), portal_code=code)
        self._scores(unit, document, "(root)", rank={"rank": rank, "rank_base": base})
        self.units.append(unit)

    # -- parts -------------------------------------------------------------------------------
    def _snapshot(self, period: dict, record: str, date_at: tuple[str, str], day: object, captured: object, number: object) -> Snapshot | None:
        kind = TIME_TYPES.get(str(period.get("timeType")))
        if kind is None:
            self.problems.append(Problem(self._at(record, "timeType"), "timeType year, quarter or month", repr(period.get("timeType"))))
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
            self.problems.append(Problem(self._at(record, "year"), f"the year (and the {kind} number) of a {kind} period", f"year {period.get('year')!r}, period {number!r}"))
            return None
        try:
            if day:
                date = parse_snapshot_date(str(day))
            else:
                date = (pd.Timestamp(str(captured)).tz_convert("UTC").tz_localize(None) + VIETNAM_OFFSET).strftime("%Y-%m-%d")
        except (TypeError, ValueError):
            self.problems.append(Problem(self._at(*date_at), "the date the data was taken (runDateStr, day or a capture time)", repr(day or captured)))
            return None
        return Snapshot(kind, period_text, date)

    def _province(self, code: str, location: Location) -> str | None:
        province = self.provinces_by_code.get(code)
        if province is None:
            self.problems.append(Problem(location, "a province whose portal_code is listed in data/units/provinces.csv", repr(code)))
        return province

    def _ranks(self, record: dict, path: str, base: int | None, base_name: str, group_base: int, group_base_name: str) -> dict[str, int | None]:
        rank = self._count(record.get("rank"), path, "rank", "a whole rank")
        group_rank = self._count(record.get("groupRank"), path, "groupRank", "a whole rank")
        check_rank(rank, base, self._at(path, "rank"), base_name, self.problems)
        check_rank(group_rank, group_base, self._at(path, "groupRank"), group_base_name, self.problems)
        return {"rank": rank, "rank_base": base, "group_rank": group_rank, "group_rank_base": group_base}

    def _scores(self, unit: SourceUnit, block: dict, path: str, rank: dict[str, int | None] | None) -> None:
        """The block's total (with ranks), its six group scores and any metrics, as rows of ``unit``."""
        provenance = {"source_file": self.display, "source_record": path}
        total = self._number(block.get("totalScore"), path, "totalScore", "the total score (a number ≥ 0)")
        if "totalScore" not in block:
            self.problems.append(Problem(self._at(path, "totalScore"), "the unit's total score", "no such field"))
        maximum = self._number(block.get("totalMaxScore"), path, "totalMaxScore", "the maximum total (a number)")
        unit.rows.append({"measure": "total", "points": total, "max_points": maximum, "points_decimals": 2, **(rank or {}), **provenance, "source_field": "totalScore"})
        group_rows: dict[str, dict[str, object]] = {}
        scores = block.get("groupScores")
        if isinstance(scores, dict):
            for key, value in scores.items():
                group = self.rules.group_of_portal_code(key)
                field = f"groupScores.{key}"
                if group is None:
                    self.problems.append(Problem(self._at(path, field), "a group of catalogue/index766_groups.csv (portal_codes)", repr(key)))
                    continue
                if group in group_rows:
                    self.problems.append(Problem(self._at(path, field), f"one score for group {group}", f"{key!r} besides {group_rows[group]['source_field']!r}"))
                    continue
                points = self._number(value, path, field, f"the score of group {group} (a number ≥ 0)")
                group_rows[group] = {"measure": "group", "group": group, "points": points, "points_decimals": 2, **provenance, "source_field": field}
        groups = block.get("groups")
        if isinstance(groups, list):
            for index, entry in enumerate(groups):
                self._group_entry(unit, entry, f"{path}.groups[{index}]" if path != "(root)" else f"groups[{index}]", group_rows)
        elif not isinstance(scores, dict):
            self.problems.append(Problem(self._at(path, "groupScores"), "the six group scores (groupScores or groups)", "neither"))
            return
        for group in self.rules.groups.values():
            if group.code not in group_rows:
                written = " or ".join(group.portal_codes)
                self.problems.append(Problem(self._at(path, "groupScores"), f"a score for group {group.code} ({group.name_vi}; written {written})", "none"))
        unit.rows.extend(group_rows.values())

    def _group_entry(self, unit: SourceUnit, entry: object, path: str, group_rows: dict[str, dict[str, object]]) -> None:
        if not isinstance(entry, dict):
            self.problems.append(Problem(self._at(path), "a group with code, score and metrics", type(entry).__name__))
            return
        group = self.rules.group_of_portal_code(str(entry.get("code")))
        if group is None:
            self.problems.append(Problem(self._at(path, "code"), "a group of catalogue/index766_groups.csv (portal_codes)", repr(entry.get("code"))))
            return
        provenance = {"source_file": self.display}
        if group not in group_rows:
            points = self._number(entry.get("score"), path, "score", f"the score of group {group} (a number ≥ 0)")
            maximum = self._number(entry.get("maxScore"), path, "maxScore", "the group's maximum (a number)")
            group_rows[group] = {"measure": "group", "group": group, "points": points, "max_points": maximum, "points_decimals": 2,
                                 **provenance, "source_record": path, "source_field": "score"}
        metrics = entry.get("metrics") or []
        if not isinstance(metrics, list):
            self.problems.append(Problem(self._at(path, "metrics"), "a list of metrics", type(metrics).__name__))
            return
        for index, metric in enumerate(metrics):
            metric_path = f"{path}.metrics[{index}]"
            if not isinstance(metric, dict) or not metric.get("code"):
                self.problems.append(Problem(self._at(metric_path, "code"), "a metric with a code", repr(metric)))
                continue

            ratio = self._number(metric.get("ratio"), metric_path, "ratio", "a ratio in percent (a number ≥ 0)")
            is_ratio = metric.get("unit") in (None, "%")
            unit.rows.append({
                "measure": "indicator",
                "group": group,
                "indicator": str(metric["code"]),
                "indicator_name": str(metric.get("name") or ""),
                "numerator": self._count(metric.get("numerator"), metric_path, "numerator", "a count (a whole number ≥ 0)"),
                "denominator": self._count(metric.get("denominator"), metric_path, "denominator", "a count (a whole number ≥ 0)"),
                "ratio": ratio / 100 if ratio is not None and is_ratio else None,
                "value": self._number(metric.get("value"), metric_path, "value", "a number ≥ 0"),
                "points": self._number(metric.get("score"), metric_path, "score", "points (a number ≥ 0)"),
                "max_points": self._number(metric.get("maxScore"), metric_path, "maxScore", "a maximum (a number ≥ 0)"),
                "points_decimals": 2,
                **provenance,
                "source_record": metric_path,
                "source_field": "ratio" if metric.get("ratio") is not None else "value",
            })


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(repr(value))
    return int(value)
