"""Adapter: the portal API's own reply, saved as it came: ``{code, data: {overview, radar,
evaluation, monthlyChart, donuts, …}, message}``.

The reply carries no period and no date: both come from the file name, as the crawler writes
it — ``…_year_2026_10102026.json`` (year to date 2026, taken 10/10/2026),
``…_month_2026_2_23092026.json`` (month 2/2026, taken 23/09/2026). A name without them is an
error that says so.

Two replies are read, told apart by ``overview.departmentCode``:

* **the provinces table** (overview "Cả nước", no code): ``evaluation`` lists every province
  with its total and ``groupScores``, highest first; a province's place in it is its national
  rank (``rank``/``rank_base`` on its total row). Every record is read and checked; only the
  folder's own province is ingested (``SourceUnit.peer``), and ``national_table`` returns all;
* **one province's reply** (overview = the province): its total, ``radar`` (five figures:
  ``ONLINE_SERVICE`` /22 is online services and online payment together, kept as the measure
  ``groups_combined`` of group ``CLGQ+TTTT``), ``evaluation`` = every unit's total, and the
  one sub-indicator of the province the reply gives: ``donuts.onlineDossier``, the dossiers
  received online (``ONLINE``) and directly or by post (``OTHER``), is ONLINE_DOSSIERS ("Tỷ lệ
  hồ sơ nộp trực tuyến": ONLINE of ONLINE + OTHER, the ``percent`` of ONLINE as its ratio).

Not ingested, and said here: the national overview, radar and donuts, ``growthPercent``,
``donuts.onlineProvision`` (procedures by how far they are online: no rule says which of its
counts the full-process and online-service sub-indicators divide by), ``monthlyChart`` and
``dossierChart`` (charts of other periods).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.errors import InputError
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, check_period766, parse_snapshot_date
from helpers.ingest.index766.json_source import TIME_TYPES, JsonReader, load_json
from helpers.ingest.index766.sources import SourceUnit

FILE_PERIOD = re.compile(r"(?P<kind>year|quarter|month)_(?P<year>\d{4})(?:_(?P<number>\d{1,2}))?(?:_(?P<date>\d{8}))?$")
COMBINED = {"ONLINE_SERVICE": ("CLGQ", "TTTT")}
ONLINE_DOSSIERS = "ONLINE_DOSSIERS"
DOSSIER_SLICES = ("ONLINE", "OTHER")  # donuts.onlineDossier: online; directly or by post


class EnvelopeReader(JsonReader):
    def __init__(self, display: str, rules: Index766Rules, provinces_by_code: dict[str, str]) -> None:
        super().__init__(display, rules, provinces_by_code)
        self.provinces_table: list[dict[str, object]] = []

    def read(self, document: dict, stem: str) -> None:
        if document.get("code") != "OK":
            self.problem("(root)", "code", "a successful reply (code OK)", repr(document.get("code")))
            return
        data = document["data"]
        snapshot = self._snapshot(stem)
        overview = data.get("overview")
        if not isinstance(overview, dict):
            self.problem("data.overview", None, "the overview of the reply (an object)", type(overview).__name__ if overview is not None else "none")
            return
        evaluation = data.get("evaluation")
        if not isinstance(evaluation, list):
            self.problem("data.evaluation", None, "the list of units or provinces evaluated", type(evaluation).__name__ if evaluation is not None else "none")
            return
        if snapshot is None:
            return
        if overview.get("departmentCode") is None:
            self._provinces(snapshot, evaluation)
        else:
            self._province_reply(snapshot, overview, data.get("radar"), evaluation, data.get("donuts"))

    def _snapshot(self, stem: str) -> Snapshot | None:
        match = FILE_PERIOD.search(stem)
        expected = "a file name ending in <year|quarter|month>_<YYYY>[_<N>]_<DDMMYYYY> (period and date taken), as raw_Provinces_year_2026_10102026.json"
        if match is None or match["date"] is None:
            self.problem("(file name)", None, expected, repr(stem))
            return None
        kind = TIME_TYPES[match["kind"]]
        try:
            if kind == "year_to_date":
                if match["number"]:
                    raise ValueError(match["number"])
                label = match["year"]
            elif kind == "quarter":
                label = f"{match['year']}-Q{int(match['number'] or 0)}"
            else:
                label = f"{match['year']}-{int(match['number'] or 0):02d}"
            return Snapshot(kind, check_period766(kind, label), parse_snapshot_date(match["date"]))
        except ValueError:
            self.problem("(file name)", None, expected, repr(stem))
            return None

    def _provinces(self, snapshot: Snapshot, evaluation: list) -> None:
        previous_total: float | None = None
        for index, record in enumerate(evaluation):
            path = f"data.evaluation[{index}]"
            if not isinstance(record, dict):
                self.problem(path, None, "a province record", type(record).__name__)
                continue
            code = self.text(record.get("departmentCode"), path, "departmentCode")
            name = self.text(record.get("departmentName"), path, "departmentName")
            province = self.provinces_by_code.get(code)
            unit = SourceUnit(snapshot, province or "", True, name, self.at(path), portal_code=code, peer=True, shape="provinces table")
            rank = {"rank": index + 1, "rank_base": len(evaluation)}
            self.total(unit, record, path, rank=rank)
            groups = self.group_scores(record.get("groupScores"), path)
            self.require_groups(groups, path)
            unit.rows.extend(groups.values())
            total = unit.rows[0]["points"]
            if isinstance(total, float):
                if previous_total is not None and total > previous_total:
                    self.problem(path, "totalScore", f"the provinces highest first, as the portal ranks them (the one before scores {previous_total:g})", repr(total))
                previous_total = total
            self.provinces_table.append({
                "portal_code": code, "name": name, "province": province, "total": total, **rank,
                **{f"group_{group}": row["points"] for group, row in groups.items()},
            })
            if province is not None:
                self.units.append(unit)

    def _province_reply(self, snapshot: Snapshot, overview: dict, radar: object, evaluation: list, donuts: object) -> None:
        code = overview.get("departmentCode")
        province = self.province(code, self.at("data.overview", "departmentCode"))
        if province is None:
            return
        unit = SourceUnit(snapshot, province, True, self.text(overview.get("departmentName"), "data.overview", "departmentName"), self.at("data.overview"), portal_code=code, shape="api reply")
        self.total(unit, overview, "data.overview")
        self._radar(unit, radar)
        self._online_dossiers(unit, donuts)
        self.units.append(unit)
        for index, record in enumerate(evaluation):
            path = f"data.evaluation[{index}]"
            if not isinstance(record, dict):
                self.problem(path, None, "a unit record", type(record).__name__)
                continue
            member = self.listed_unit(snapshot, province, record, path, "api reply")
            self.total(member, record, path)
            self.units.append(member)

    def _radar(self, unit: SourceUnit, radar: object) -> None:
        if not isinstance(radar, list):
            self.problem("data.radar", None, "the province's group scores (a list)", type(radar).__name__ if radar is not None else "none")
            return
        covered: set[str] = set()
        for index, entry in enumerate(radar):
            path = f"data.radar[{index}]"
            if not isinstance(entry, dict):
                self.problem(path, None, "a group with code, score, maxScore", type(entry).__name__)
                continue
            written = entry.get("code")
            parts = COMBINED.get(written) if isinstance(written, str) else None
            group = "+".join(parts) if parts else self.group_code(written, path, "code")
            if group is None:
                continue
            if covered & set(parts or (group,)):
                self.problem(path, "code", "each group once", repr(written))
                continue
            covered.update(parts or (group,))
            unit.rows.append({
                "measure": "groups_combined" if parts else "group", "group": group, "points_decimals": 2,
                "points": self.number(entry.get("score"), path, "score", f"the score of {group} (a number ≥ 0)"),
                "max_points": self.number(entry.get("maxScore"), path, "maxScore", "the maximum (a number ≥ 0)"),
                "source_file": self.display, "source_record": path, "source_field": "score",
            })
        for group in self.rules.groups:
            if group not in covered:
                self.problem("data.radar", None, f"a score for group {group} (alone or in ONLINE_SERVICE)", "none")


    def _online_dossiers(self, unit: SourceUnit, donuts: object) -> None:
        """``donuts.onlineDossier`` → the province's ONLINE_DOSSIERS (absent or null: nothing)."""
        if donuts is None:
            return
        if not isinstance(donuts, dict):
            self.problem("data.donuts", None, "the reply's donuts (an object)", type(donuts).__name__)
            return
        slices = donuts.get("onlineDossier")
        if slices is None:
            return
        path = "data.donuts.onlineDossier"
        if not isinstance(slices, list):
            self.problem(path, None, "the dossiers online and not online (a list)", type(slices).__name__)
            return
        counts: dict[str, int | None] = {}
        percent: float | None = None
        for index, entry in enumerate(slices):
            place = f"{path}[{index}]"
            code = entry.get("code") if isinstance(entry, dict) else None
            if code not in DOSSIER_SLICES or code in counts:
                self.problem(place, "code", f"each of {' and '.join(DOSSIER_SLICES)} once", repr(code) if isinstance(entry, dict) else type(entry).__name__)
                continue
            counts[code] = self.count(entry.get("value"), place, "value", "a number of dossiers (a whole number ≥ 0)")
            if code == "ONLINE":
                percent = self.number(entry.get("percent"), place, "percent", "a share in percent (a number ≥ 0)")
        if set(counts) != set(DOSSIER_SLICES):
            self.problem(path, None, f"the slices {' and '.join(DOSSIER_SLICES)}", ", ".join(map(repr, counts)) or "none")
            return
        online, other = counts["ONLINE"], counts["OTHER"]
        if online is None or other is None:
            return
        group = self.rules.group_of_indicator(ONLINE_DOSSIERS) or ""
        figures = {"numerator": online, "denominator": online + other, "ratio": percent / 100 if percent is not None else None}
        self.indicator(unit, group, ONLINE_DOSSIERS, path, figures, "value")


def national_table(path: Path, display: str, rules: Index766Rules, provinces_by_code: dict[str, str]) -> pd.DataFrame:
    """Every province of a provinces-table reply: portal code, name, registry id (when listed),
    total, national rank and base, and one ``group_<CODE>`` column per group."""
    document = load_json(path, display)
    reader = EnvelopeReader(display, rules, provinces_by_code)
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        reader.problem("(root)", "data", "the portal's reply ('code', 'data')", type(document).__name__)
    else:
        reader.read(document, path.stem)
    if reader.problems:
        raise InputError(reader.problems, f"Could not read the provinces table {display}")
    return pd.DataFrame(reader.provinces_table)
