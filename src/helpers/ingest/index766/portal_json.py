"""Adapter: the JSON files the portal and its crawlers publish (see data/raw/*/766/README.md).

``read_portal_json`` recognises the shape of a file and hands it to its reader:

* a unit list (``metadata``, ``overview``, ``agencies`` or ``communes``): each unit's total,
  ``groupScores``, ``rank`` (shared by departments and communes) and ``groupRank``;
* a unit detail (``metadata``, ``agenciesDetail`` or ``communesDetail``): helpers.ingest.index766.unit_detail;
* a province block (``department``, ``period``, ``totalScore``, ``rank`` of ``provinceCount``,
  ``groups`` with metrics), with its units in ``departments[]`` when the file has them
  (helpers.ingest.index766.province_departments);
* the portal API's own reply ``{code, data: {overview, radar, evaluation, …}}``:
  helpers.ingest.index766.api_envelope.

Group codes are mapped through catalogue/index766_groups.csv (``ONLINE`` in unit lists is
``CLGQ``); metric codes must be in index766_rules.csv or index766_unscored.csv.
"""

from __future__ import annotations

from pathlib import Path

from helpers.errors import Location, Problem, fail
from helpers.rules766 import Index766Rules
from helpers.ingest.index766.api_envelope import EnvelopeReader
from helpers.ingest.index766.json_source import JsonReader, load_json
from helpers.ingest.index766.province_departments import read_departments
from helpers.ingest.index766.sources import FileRows, SourceUnit, check_rank
from helpers.ingest.index766.unit_detail import DETAIL_LISTS, DetailReader

UNIT_LISTS = {"agencies": "agencyCount", "communes": "communeCount"}
SHAPES = (
    "a unit list ('metadata', 'overview', 'agencies' or 'communes'), a unit detail ('metadata', "
    "'agenciesDetail' or 'communesDetail'), a province block ('department', 'period', 'groups') "
    "or the portal's reply ('code', 'data' with 'overview', 'evaluation')"
)


def read_portal_json(path: Path, display: str, rules: Index766Rules, provinces_by_code: dict[str, str]) -> tuple[list[SourceUnit], list[Problem], FileRows | None]:
    """The file's units, the problems met, and the units' rows when they were read as columns."""
    document = load_json(path, display)
    keys = set(document) if isinstance(document, dict) else set()
    has_metadata = isinstance(document, dict) and isinstance(document.get("metadata"), dict)
    if has_metadata and keys & set(UNIT_LISTS):
        reader: JsonReader = _UnitListReader(display, rules, provinces_by_code)
        reader.read(document)
    elif has_metadata and keys & set(DETAIL_LISTS):
        reader = DetailReader(display, rules, provinces_by_code)
        reader.read(document)
    elif isinstance(document, dict) and isinstance(document.get("department"), dict) and "groups" in keys:
        reader = _ProvinceBlockReader(display, rules, provinces_by_code)
        reader.read(document)
    elif isinstance(document, dict) and "code" in keys and isinstance(document.get("data"), dict):
        reader = EnvelopeReader(display, rules, provinces_by_code)
        reader.read(document, path.stem)
    else:
        found = "keys " + ", ".join(map(repr, document)) if isinstance(document, dict) else f"a JSON {type(document).__name__}"
        raise fail(Location(display), SHAPES, found)
    return reader.units, reader.problems, reader.rows


class _UnitListReader(JsonReader):
    def read(self, document: dict) -> None:
        metadata = document["metadata"]
        snapshot = self.metadata_snapshot(metadata)
        province_code = metadata.get("provinceCode")
        province = self.province(province_code, self.at("metadata", "provinceCode"))
        overview = document.get("overview")
        if snapshot is None or province is None:
            return
        counts: dict[str, int | None] = {}
        if isinstance(overview, dict):
            if (overview.get("departmentCode") or province_code) != province_code:
                self.problem("overview", "departmentCode", f"the province of metadata.provinceCode ({province_code})", repr(overview.get("departmentCode")))
            for field in ("totalUnitsCount", *UNIT_LISTS.values()):
                counts[field] = self.count(overview.get(field), "overview", field, "a count of units")
            unit = SourceUnit(snapshot, province, True, self.text(overview.get("departmentName"), "overview", "departmentName"), self.at("overview"), portal_code=province_code)
            self._scores(unit, overview, "overview", None)
            self.units.append(unit)
        elif overview is not None:
            self.problem("overview", None, "the province's overview (an object)", type(overview).__name__)
        for list_name, count_field in UNIT_LISTS.items():
            listed = self.unit_records(document, list_name)
            group_base = counts.get(count_field) or len(listed)
            for path, record in listed:
                unit = self.listed_unit(snapshot, province, record, path, "unit list")
                ranks = self.ranks(record, path, counts.get("totalUnitsCount"), "overview.totalUnitsCount", group_base, f"overview.{count_field}")
                self._scores(unit, record, path, ranks)
                self.units.append(unit)

    def _scores(self, unit: SourceUnit, block: dict, path: str, ranks: dict[str, int | None] | None) -> None:
        self.total(unit, block, path, rank=ranks)
        rows = self.group_scores(block["groupScores"], path) if "groupScores" in block or "groups" not in block else {}
        if "groups" in block:
            self.groups(unit, block["groups"], path, rows)
        self.require_groups(rows, path, "groupScores" if "groupScores" in block or "groups" not in block else "groups")
        unit.rows.extend(rows.values())


class _ProvinceBlockReader(JsonReader):
    def read(self, document: dict) -> None:
        period = document.get("period") if isinstance(document.get("period"), dict) else {}
        number = period.get("period") or period.get("quarter") or period.get("month")
        snapshot = self.snapshot(period, "period", ("(root)", "day"), document.get("day"), document.get("capturedAt"), number)
        department = document["department"]
        code = department.get("code")
        province = self.province(code, self.at("department", "code"))
        if snapshot is None or province is None:
            return
        base = self.count(document.get("provinceCount"), "(root)", "provinceCount", "a count of provinces")
        rank = self.count(document.get("rank"), "(root)", "rank", "a whole rank")
        check_rank(rank, base, self.at("(root)", "rank"), "provinceCount", self.problems)
        unit = SourceUnit(snapshot, province, True, self.text(department.get("name"), "department", "name"), self.at("department"), portal_code=code)
        self.total(unit, document, "(root)", rank={"rank": rank, "rank_base": base})
        rows = self.group_scores(document["groupScores"], "(root)") if "groupScores" in document else {}
        self.groups(unit, document["groups"], "(root)", rows)
        self.require_groups(rows, "(root)", "groups")
        unit.rows.extend(rows.values())
        self.units.append(unit)
        if "departments" in document:
            read_departments(self, document["departments"], snapshot, province)
