"""Adapter: the 766 figures an analyst types from the portal page into a CSV (see README).

One row per unit, snapshot and item, written the way the portal page and the reports write
them (seeds/002): a group score ``11,1/18``, a total ``78,49/100``, a rank ``11/63``, a
sub-indicator ratio ``88,15%`` (or ``67,67``, read as percent) with optional counts and points.

Columns: ``snapshot_date`` (31/05/2024), ``period_kind`` (year_to_date | quarter | month),
``period`` (2024 | 2024-Q2 | 2024-05), ``level`` (toan_tinh for the province itself, else a
level of catalogue/levels.csv), the unit as ``unit_id``, ``portal_code`` or ``unit_name`` (not
needed for toan_tinh), ``item`` (TOTAL, RANK, GROUP_RANK, a group code or name of
index766_groups.csv, a sub-indicator code or name of index766_rules.csv or index766_unscored.csv:
every code the JSON adapters accept), ``value``; optional ``numerator``, ``denominator``,
``points`` (sub-indicators), ``published_delta`` (the change the notice prints beside the
figure, as written: ``+0,25``, ``−5,25%``), ``province``, ``note`` (ignored).

A unit (or the province) given any group score in a snapshot must be given all six and its
total: a group row left out is an error, not a group that silently vanishes.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers.errors import Location, Problem, fail
from helpers.ingest.grid import Grid, read_delimited
from helpers.numbers import NumberFormatError, parse_count, parse_number, parse_rate
from helpers.text import header_key
from helpers.rules766 import Index766Rules
from helpers.tidy766 import PERIOD_KINDS, Snapshot, check_period766, parse_snapshot_date
from helpers.ingest.index766.sources import MAX_COUNT, SourceUnit, check_rank

REQUIRED_COLUMNS = ("snapshot_date", "period_kind", "period", "level", "item", "value")
UNIT_COLUMNS = ("unit_id", "portal_code", "unit_name")
WHOLE_PROVINCE = "toan_tinh"
# Words for the three items that are not groups or sub-indicators, compared with header_key.
ITEM_WORDS = {
    "total": ("total", "tổng", "tổng hợp", "tổng điểm", "tổng cộng"),
    "rank": ("rank", "xếp hạng"),
    "group_rank": ("group rank", "group_rank", "xếp hạng trong nhóm", "xếp hạng trong khối"),
}
_DECIMALS = re.compile(r"[.,](\d+)$")


def read_hand_csv(path: Path, display: str, rules: Index766Rules, province: str, levels: set[str]) -> tuple[list[SourceUnit], list[Problem]]:
    grid = read_delimited(path, display)
    header = [cell.text.strip().lower() for cell in grid.rows[0]]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise fail(grid.location(0), "the 766 CSV columns " + ", ".join(missing), "columns " + ", ".join(map(repr, header)))
    reader = _HandReader(grid, {name: index for index, name in enumerate(header)}, rules, province, levels)
    for row in range(1, len(grid.rows)):
        if any(cell.text for cell in grid.rows[row]):
            reader.row(row)
    reader.check_complete()
    return list(reader.units.values()), reader.problems


class _HandReader:
    def __init__(self, grid: Grid, columns: dict[str, int], rules: Index766Rules, province: str, levels: set[str]) -> None:
        self.grid = grid
        self.columns = columns
        self.rules = rules
        self.province = province
        self.levels = levels
        self.units: dict[tuple[object, ...], SourceUnit] = {}
        self.first_seen: dict[tuple[object, ...], int] = {}
        # Per unit and snapshot, the (row, measure, group) of every item given.
        self.unit_rows: dict[tuple[object, ...], list[tuple[int, str, str | None]]] = {}
        self.problems: list[Problem] = []
        self.items = self._item_vocabulary()

    def _item_vocabulary(self) -> dict[str, tuple[str, str | None, str | None]]:
        """header_key of every accepted item text → (measure, group, indicator)."""
        items: dict[str, tuple[str, str | None, str | None]] = {}
        for measure, words in ITEM_WORDS.items():
            for word in words:
                items[header_key(word)] = (measure, None, None)
        for group in self.rules.groups.values():
            for text in (group.code, *group.portal_codes, group.name_vi, group.name_en):
                items[header_key(text)] = ("group", group.code, None)
        for rule in self.rules.rules.values():
            for text in (rule.indicator, rule.name_vi, rule.name_en):
                items[header_key(text)] = ("indicator", rule.group, rule.indicator)
        for entry in self.rules.unscored.values():
            for text in (entry.indicator, entry.name_vi, entry.name_en):
                items.setdefault(header_key(text), ("indicator", entry.group, entry.indicator))
        return items

    def text(self, row: int, column: str) -> str:
        return self.grid.cell(row, self.columns[column]).text if column in self.columns else ""

    def at(self, row: int, column: str) -> Location:
        return self.grid.location(row, self.columns.get(column), column)

    def row(self, row: int) -> None:
        problems_before = len(self.problems)
        snapshot = self._snapshot(row)
        level = self.text(row, "level")
        if level != WHOLE_PROVINCE and level not in self.levels:
            self.problems.append(Problem(self.at(row, "level"), f"{WHOLE_PROVINCE} or a level of catalogue/levels.csv ({', '.join(sorted(self.levels))})", repr(level)))
        written_province = self.text(row, "province")
        if written_province and written_province != self.province:
            self.problems.append(Problem(self.at(row, "province"), f"{self.province} (the folder this file is in)", repr(written_province)))
        identity = {column: self.text(row, column) for column in UNIT_COLUMNS}
        if level != WHOLE_PROVINCE and not any(identity.values()):
            self.problems.append(Problem(self.at(row, "unit_name"), "the unit as unit_id, portal_code or unit_name", "none"))
        item_text = self.text(row, "item")
        item = self.items.get(header_key(item_text))
        if item is None:
            self.problems.append(Problem(self.at(row, "item"), "TOTAL, RANK, GROUP_RANK, a group (CKMB, …) or a sub-indicator code of catalogue/index766_rules.csv", repr(item_text)))
        if snapshot is None or item is None or len(self.problems) > problems_before:
            return
        measure, group, indicator = item
        unit_key = (snapshot, level, identity["unit_id"] or identity["portal_code"] or header_key(identity["unit_name"]))
        unit = self.units.get(unit_key)
        if unit is None:
            unit = SourceUnit(
                snapshot, self.province, level == WHOLE_PROVINCE, identity["unit_name"], self.at(row, "unit_name"),
                level=None if level == WHOLE_PROVINCE else level, unit_id=identity["unit_id"] or None, portal_code=identity["portal_code"] or None,
            )
            self.units[unit_key] = unit
        item_key = (*unit_key, measure, group, indicator)
        if item_key in self.first_seen:
            self.problems.append(Problem(self.at(row, "item"), f"each item once per unit and snapshot ({snapshot.date_label()})", f"{item_text!r} again (first in row {self.first_seen[item_key]})"))
            return
        self.first_seen[item_key] = row + 1
        self.unit_rows.setdefault(unit_key, []).append((row, measure, group))
        written = self._add(unit, row, measure, group, indicator)
        self._published_delta(written, row, measure)

    def check_complete(self) -> None:
        """Every unit with a group score in a snapshot has all six and its total."""
        for unit_key, seen in self.unit_rows.items():
            groups = {group for _, measure, group in seen if measure == "group"}
            if not groups:
                continue
            first_row = min(row for row, _, _ in seen)
            missing = [code for code in self.rules.groups if code not in groups]
            if not any(measure == "total" for _, measure, _ in seen):
                missing.append("TOTAL")
            if missing:
                snapshot = unit_key[0]
                self.problems.append(Problem(
                    self.at(first_row, "item"),
                    f"all six groups and the total of this unit for {snapshot.date_label()} (a row each)",
                    "no row for " + ", ".join(missing),
                ))

    def _published_delta(self, written: dict[str, object] | None, row: int, measure: str) -> None:
        """The change the source prints beside the figure, kept as written for the checks."""
        text = self.text(row, "published_delta")
        if not text or written is None:
            return
        if measure in ("rank", "group_rank"):
            self.problems.append(Problem(self.at(row, "published_delta"), "a published change on a total, group or sub-indicator row (not on a rank)", repr(text)))
            return
        try:
            parsed = parse_number(text)
        except NumberFormatError:
            parsed = None
        if parsed is None:
            self.problems.append(Problem(self.at(row, "published_delta"), "a change such as +0,25, −1,3 or −5,25%", repr(text)))
            return
        written.update(published_delta=parsed.value, published_delta_text=text)

    def _snapshot(self, row: int) -> Snapshot | None:
        try:
            date = parse_snapshot_date(self.text(row, "snapshot_date"))
        except ValueError as error:
            self.problems.append(Problem(self.at(row, "snapshot_date"), str(error).split(";")[0], repr(self.text(row, "snapshot_date"))))
            return None
        kind = self.text(row, "period_kind")
        if kind not in PERIOD_KINDS:
            self.problems.append(Problem(self.at(row, "period_kind"), " or ".join(PERIOD_KINDS), repr(kind)))
            return None
        try:
            period = check_period766(kind, self.text(row, "period"))
        except ValueError as error:
            self.problems.append(Problem(self.at(row, "period"), str(error).split(";")[0], repr(self.text(row, "period"))))
            return None
        return Snapshot(kind, period, date)

    def _add(self, unit: SourceUnit, row: int, measure: str, group: str | None, indicator: str | None) -> dict[str, object] | None:
        """Add the row's item to the unit; the row of the table it went into (None on a problem)."""
        provenance = {"source_file": self.grid.file, "source_record": f"row {row + 1}", "source_field": "value"}
        value = self.text(row, "value")
        if measure in ("rank", "group_rank"):
            parsed = self._rank(row, value)
            if parsed is None:
                return None
            total = self._total_row(unit, provenance)
            prefix = "" if measure == "rank" else "group_"
            total[f"{prefix}rank"], total[f"{prefix}rank_base"] = parsed
            return total
        if measure in ("total", "group"):
            score = self._score(row, "value", value)
            if score is None:
                return None
            points, maximum, decimals = score
            if measure == "total":
                total = self._total_row(unit, provenance)
                total.update(points=points, max_points=maximum, points_decimals=decimals, **provenance)
                return total
            unit.rows.append({"measure": "group", "group": group, "points": points, "max_points": maximum, "points_decimals": decimals, **provenance})
            return unit.rows[-1]
        record: dict[str, object] = {"measure": "indicator", "group": group, "indicator": indicator, **provenance}
        before = len(self.problems)
        unscored = self.rules.unscored.get(str(indicator))
        if unscored is not None and unscored.unit != "%":
            try:
                parsed = parse_number(value)
                if parsed is None or parsed.percent or parsed.value < 0:
                    raise NumberFormatError(value, "not negative")
                record["value"] = parsed.value
            except NumberFormatError:
                self.problems.append(Problem(self.at(row, "value"), f"a number of {unscored.unit} such as 4,24 (not negative)", repr(value)))
            unit.rows.append(record)
            return record
        try:
            ratio = parse_rate(value)
            if ratio is not None and ratio < 0:
                raise NumberFormatError(value, "not negative")
            record["ratio"] = ratio
        except NumberFormatError:
            self.problems.append(Problem(self.at(row, "value"), "a ratio such as 88,15% (or 88,15, read as percent)", repr(value)))
        for column in ("numerator", "denominator"):
            text = self.text(row, column)
            try:
                count = parse_count(text)
                if count is not None and not 0 <= count < MAX_COUNT:
                    raise NumberFormatError(text, "a count (a whole number ≥ 0)")
                record[column] = count
            except NumberFormatError:
                self.problems.append(Problem(self.at(row, column), "a count (a whole number ≥ 0)", repr(text)))
        if record.get("ratio") is None and record.get("numerator") is None and record.get("denominator") is None and len(self.problems) == before:
            self.problems.append(Problem(self.at(row, "value"), "the sub-indicator's ratio (value) or its numerator and denominator", "none"))
        if self.text(row, "points"):
            score = self._score(row, "points", self.text(row, "points"))
            if score is not None:
                record["points"], record["max_points"], record["points_decimals"] = score
        unit.rows.append(record)
        return record

    @staticmethod
    def _total_row(unit: SourceUnit, provenance: dict[str, object]) -> dict[str, object]:
        """The unit's one total row, which also carries its ranks."""
        for existing in unit.rows:
            if existing["measure"] == "total":
                return existing
        total: dict[str, object] = {"measure": "total", **provenance}
        unit.rows.append(total)
        return total

    def _score(self, row: int, column: str, text: str) -> tuple[float, float | None, int] | None:
        """``11,1/18`` → (11.1, 18.0, 1 decimal written); ``11,1`` → (11.1, None, 1)."""
        points_text, _, maximum_text = text.partition("/")
        try:
            points = parse_number(points_text)
            maximum = parse_number(maximum_text) if maximum_text else None
        except NumberFormatError:
            points = None
        if points is None or points.percent or points.value < 0 or (maximum is not None and (maximum.percent or maximum.value <= 0)):
            self.problems.append(Problem(self.at(row, column), "points such as 11,1/18 or 11,1 (not negative)", repr(text)))
            return None
        decimals = _DECIMALS.search(points_text.strip())
        return points.value, maximum.value if maximum else None, len(decimals.group(1)) if decimals else 0

    def _rank(self, row: int, text: str) -> tuple[int, int | None] | None:
        """``11/63`` → (11, 63); ``08/23`` → (8, 23); a rank larger than its base is refused."""
        rank_text, _, base_text = text.partition("/")
        try:
            rank = parse_count(rank_text)
            base = parse_count(base_text) if base_text else None
        except NumberFormatError:
            rank = None
        if rank is None:
            self.problems.append(Problem(self.at(row, "value"), "a rank such as 11/63", repr(text)))
            return None
        before = len(self.problems)
        check_rank(rank, base, self.at(row, "value"), "the number after /", self.problems)
        return (rank, base) if len(self.problems) == before else None
