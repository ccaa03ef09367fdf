"""Adapter: the crawler's per-unit detail (``agencies_detail_<Province>_<DDMMYYYY>.json``).

``metadata`` as in the unit lists, and ``agenciesDetail`` / ``communesDetail``: each unit's
total, ``groupScores``, ranks and ``componentIndicators``, one block per group keyed
``<GROUP>_<Name>`` (``CKMB_CongKhaiMinhBach``, ``ONLINE_DichVuTrucTuyen``):

* ``score``, ``maxScore``, ``ratio`` of the group, and ``metrics`` (numerator, denominator,
  ratio, points) where the portal publishes them (CKMB, MDSH; MDHL from 10/10/2026);
* TDGQ's dossier counts: ``totalOnTime`` of ``totalReceived`` is ON_TIME (the group's one
  scored sub-indicator), beside ``totalOverdue`` and ``avgProcessingDays``;
* TTTT's payment counts: dossiers paid online of those with a fee (PAY_DOSSIERS), procedures
  with an online payment of those with a fee (PAY_FORMALITIES);
* MDHL's petition and dossier counts;
* a group with neither (ONLINE) keeps its group score only.

A field of a block that is none of these is an error: a new field of the portal is read on
purpose or not at all, never half.

A file is first read column by column (helpers.ingest.index766.detail_columns: fast, no
messages); a file that way finds anything to question is read record by record here.
"""

from __future__ import annotations

from helpers.ingest.index766.detail_columns import DetailColumns, read_detail_columns
from helpers.ingest.index766.json_source import JsonReader
from helpers.ingest.index766.sources import SourceUnit

DETAIL_LISTS = ("agenciesDetail", "communesDetail")
GROUP_FIELDS = {"score", "maxScore", "ratio", "metrics"}
# Counts a group block may carry besides its metrics: field → (sub-indicator, what it is).
COUNT_PAIRS = {
    "TDGQ": {"ON_TIME": ("totalOnTime", "totalReceived")},
    "TTTT": {
        "PAY_DOSSIERS": ("totalDossierOnlinePaymentSuccess", "totalDossierFinancialObligation"),
        "PAY_FORMALITIES": ("totalDossierOnlineFormalityPaymentSuccess", "totalFeeFormality"),
    },
}
VALUES = {
    "TDGQ": {"totalReceived": "RECEIVED", "totalOverdue": "OVERDUE", "avgProcessingDays": "AVG_DAYS"},
    "MDHL": {"totalPetitions": "PETITIONS", "classifiedPetitions": "PETITIONS_CLASSIFIED", "totalDossiers": "DOSSIERS_RATED", "averageScore": "AVERAGE_SATISFACTION"},
}
COUNT_VALUES = {"totalReceived", "totalOverdue", "totalPetitions", "classifiedPetitions", "totalDossiers"}


def readable_fields(group: str) -> set[str]:
    """The fields a block of ``group`` may have."""
    return GROUP_FIELDS | set(VALUES.get(group, {})) | {field for pair in COUNT_PAIRS.get(group, {}).values() for field in pair}


class DetailReader(JsonReader):
    def read(self, document: dict) -> None:
        snapshot = self.metadata_snapshot(document["metadata"])
        province = self.province(document["metadata"].get("provinceCode"), self.at("metadata", "provinceCode"))
        if snapshot is None or province is None:
            return
        columns = DetailColumns(self, COUNT_PAIRS, VALUES, COUNT_VALUES, {group: readable_fields(group) for group in self.rules.groups})
        read = read_detail_columns(self, document, snapshot, province, DETAIL_LISTS, columns)
        if read is not None:
            self.units, self.rows = read
            return
        for list_name in DETAIL_LISTS:
            listed = self.unit_records(document, list_name)
            for path, record in listed:
                unit = self.listed_unit(snapshot, province, record, path, "unit detail")
                self._unit(unit, record, path, len(listed))
                self.units.append(unit)

    def _unit(self, unit: SourceUnit, record: dict, path: str, listed: int) -> None:
        # The detail lists one level only: its group rank is among the units listed, and the
        # rank among all units has no base here (the unit list gives it).
        self.total(unit, record, path, rank=self.ranks(record, path, None, "", listed, "the units listed"))
        rows = self.group_scores(record.get("groupScores"), path)
        components = record.get("componentIndicators")
        if not isinstance(components, dict):
            self.problem(path, "componentIndicators", "the groups' detail (an object keyed by group)", type(components).__name__ if components is not None else "none")
        else:
            for key, block in components.items():
                place = f"{path}.componentIndicators.{key}"
                group = self.group_code(str(key).split("_", 1)[0], place, "(key)")
                if group is None:
                    continue
                if not isinstance(block, dict):
                    self.problem(place, None, f"the detail of group {group} (an object)", type(block).__name__)
                    continue
                self._component(unit, group, block, place, rows)
        self.require_groups(rows, path)
        unit.rows.extend(rows.values())

    def _component(self, unit: SourceUnit, group: str, block: dict, path: str, rows: dict[str, dict[str, object]]) -> None:
        pairs, values = COUNT_PAIRS.get(group, {}), VALUES.get(group, {})
        readable = readable_fields(group)
        for field in block:
            if field not in readable:
                self.problem(path, field, f"a field of a {group} block this adapter reads ({', '.join(sorted(readable))})", "an unknown field")
        self.group_detail(unit, group, block, path, rows)
        for code, (numerator, denominator) in pairs.items():
            if numerator not in block and denominator not in block:
                continue
            counts = {
                "numerator": self.count(block.get(numerator), path, numerator),
                "denominator": self.count(block.get(denominator), path, denominator),
            }
            if code == "ON_TIME":
                ratio = self.number(block.get("ratio"), path, "ratio", "a ratio in percent (a number ≥ 0)")
                counts["ratio"] = ratio / 100 if ratio is not None else None
            self.indicator(unit, group, code, path, counts, f"{numerator}/{denominator}")
        for field, code in values.items():
            if block.get(field) is None:
                continue
            read = self.count if field in COUNT_VALUES else self.number
            value = read(block.get(field), path, field, "a count (a whole number ≥ 0)" if field in COUNT_VALUES else "a number ≥ 0")
            self.indicator(unit, group, code, path, {"value": value}, field)
