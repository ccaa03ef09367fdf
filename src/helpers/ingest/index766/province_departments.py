"""Adapter part: the units a province block carries in ``departments[]``.

As the Hà Nội crawler (github.com/hoang31201/766-HaNoi, ``history/quality/<day>.json``) writes
them, after the province's own ``groups``::

    "departments": [{"code": "H26.189", "name": "UBND xã Ba Vì", "score": 69.43, "type": "COMMUNE",
                     "groupScores": {"CKMB": {"score": 11.2, "maxScore": 18}, …},
                     "groupDetails": {"CKMB": {"code": "CKMB", "score": 11.2, "maxScore": 18,
                                               "metrics": [{"code": "PUBLISH_ON_TIME", …}]}, …}}]

``score`` is the unit's total, ``type`` its level (AGENCY, COMMUNE); ``groupScores`` (numbers or
``{score, maxScore}``) and ``groupDetails`` (an object keyed by group, or a list) give the six
groups, the details with their metrics. Every department becomes a unit of the snapshot or a
problem naming its record: a file whose departments cannot be read is never "0 units".
"""

from __future__ import annotations

from helpers.tidy766 import Snapshot
from helpers.ingest.index766.json_source import JsonReader
from helpers.ingest.index766.sources import SourceUnit


def read_departments(reader: JsonReader, departments: object, snapshot: Snapshot, province: str) -> None:
    if not isinstance(departments, list):
        reader.problem("(root)", "departments", "a list of the province's units", type(departments).__name__)
        return
    for index, record in enumerate(departments):
        path = f"departments[{index}]"
        if not isinstance(record, dict):
            reader.problem(path, None, "a unit record (code, name, score, groupDetails)", type(record).__name__)
            continue
        unit = SourceUnit(
            snapshot, province, False, reader.text(record.get("name"), path, "name"), reader.at(path),
            level=reader.level(record, path, "type"), portal_code=reader.text(record.get("code"), path, "code") or None,
            shape="province departments",
        )
        field = "score" if "score" in record or "totalScore" not in record else "totalScore"
        reader.total(unit, record, path, field=field)
        rows = reader.group_scores(record["groupScores"], path) if "groupScores" in record else {}
        details = record.get("groupDetails")
        entries = details.items() if isinstance(details, dict) else enumerate(details) if isinstance(details, list) else None
        if entries is None and details is not None:
            reader.problem(path, "groupDetails", "the groups with their metrics (an object keyed by group, or a list)", type(details).__name__)
        for key, entry in entries or ():
            place = f"{path}.groupDetails.{key}" if isinstance(details, dict) else f"{path}.groupDetails[{key}]"
            if not isinstance(entry, dict):
                reader.problem(place, None, "a group with code, score and metrics", type(entry).__name__)
                continue
            written = entry.get("code", key)
            group = reader.group_code(written, place, "code")
            if group is not None and isinstance(details, dict) and reader.rules.group_of_portal_code(str(key)) != group:
                reader.problem(place, "code", f"the group of its key {key!r}", repr(written))
                continue
            if group is not None:
                reader.group_detail(unit, group, entry, place, rows)
        reader.require_groups(rows, path, "groupScores/groupDetails")
        unit.rows.extend(rows.values())
        reader.units.append(unit)
