"""6. history766 — a year of daily per-unit detail captures of the 766 index (issue 10).

A crawler that saves the portal's per-unit detail every day leaves, after a year, 365
``agencies_detail_*`` and 365 ``communes_detail_*`` files per province. This section writes
such a year as synthetic files in the real crawl's shape (each unit record is a copy of a real
Gia Lai record of data/raw/gia_lai/766/agencies_detail_GiaLai_10102026.json with its codes,
names and figures replaced; counts grow through the year, points follow the rules table), then
times ``ingest_index766`` on it in a fresh process (stages.index766_ingest), with the peak memory of that process:

* a Gia Lai-size province (14 departments, 135 communes): target < 20 s and < 1 GiB;
* the whole country (34 provinces, 3,910 units): measured, no target.

Nothing is real: provinces are ``hist_NN`` (``synthetic=true``), names say "Giả lập".
"""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from harness import MIB, LoadWatch, Results, below, measure
from stages import in_fresh_process, index766_ingest

SECTION = "history766"
TITLE = "6. A year of daily 766 detail captures"
PROVINCE_SIZE = {"provinces": 1, "departments": 14, "communes": 135}  # Gia Lai since 2025: 149 units
COUNTRY_SIZE = {"provinces": 34, "departments": 16, "communes": 99}  # per province: 3,910 units in all
DAYS, QUICK_DAYS = 365, 30
PARTS = ("province", "country")  # in this order; run.py --history766-province-only runs the first
TEMPLATE = Path(__file__).resolve().parent.parent / "data" / "raw" / "gia_lai" / "766" / "agencies_detail_GiaLai_10102026.json"
LISTS = {"cap_tinh": ("agencies_detail", "agenciesDetail", "AGENCY", "Sở Giả lập"), "cap_xa": ("communes_detail", "communesDetail", "COMMUNE", "UBND xã Giả lập")}


def _points(maximum: float, numerator: int, denominator: int, threshold: float) -> float:
    if denominator <= 0:
        return maximum
    return round(maximum * min(1.0, numerator / denominator / threshold), 2)


class _Unit:
    """One synthetic unit: its code, name, and a quality and volume that drift through the year."""

    def __init__(self, rng: random.Random, code: str, name: str, child_group: str) -> None:
        self.code, self.name, self.child_group = code, name, child_group
        self.quality = rng.uniform(0.5, 0.98)
        self.volume = rng.randint(200, 3000)
        self.rng = rng

    def record(self, template: dict[str, Any], day: int, days: int, thresholds: dict[str, float]) -> dict[str, Any]:
        """The template record with this unit's figures on ``day`` (0-based) of ``days``."""
        rng, record = self.rng, copy.deepcopy(template)
        share = (day + 1) / days
        received = max(1, int(self.volume * share))
        quality = min(1.0, max(0.0, self.quality + rng.gauss(0, 0.01)))
        record.update(departmentId=f"syn-{self.code}", departmentName=self.name, departmentCode=self.code, childGroup=self.child_group)
        groups: dict[str, float] = {}
        for key, block in record["componentIndicators"].items():
            group = key.split("_", 1)[0]
            if group == "TDGQ":
                on_time = int(received * quality)
                block.update(totalReceived=received, totalOnTime=on_time, totalOverdue=received - on_time, avgProcessingDays=round(rng.uniform(1, 6), 2),
                             ratio=round(100 * on_time / received, 2), score=_points(20, on_time, received, thresholds["ON_TIME"]))
            elif group == "TTTT":
                fee, formalities = max(1, received // 7), 78
                paid, paid_formalities = int(fee * quality), int(formalities * quality * 0.3)
                block.update(totalDossierOnlinePaymentSuccess=paid, totalDossierFinancialObligation=fee,
                             totalDossierOnlineFormalityPaymentSuccess=paid_formalities, totalFeeFormality=formalities,
                             score=round(_points(5, paid, fee, thresholds["PAY_DOSSIERS"]) + _points(3, paid_formalities, formalities, thresholds["PAY_FORMALITIES"]) + 2, 2))
            elif group == "ONLINE":
                block.update(score=round(12 * quality * 0.8, 2))
            if "totalDossiers" in block:
                block["totalDossiers"] = received
            for metric in block.get("metrics", []):
                maximum = metric["maxScore"]
                if metric["denominator"] is None:
                    continue
                denominator = metric["denominator"] and max(1, int(received * rng.uniform(0.05, 1.0)))
                numerator = int(denominator * min(1.0, quality + rng.gauss(0, 0.05))) if denominator else 0
                metric.update(numerator=numerator, denominator=denominator, ratio=round(100 * numerator / denominator, 2) if denominator else 0)
                if maximum:
                    metric["score"] = _points(maximum, numerator, denominator, thresholds[metric["code"]])
            if "metrics" in block and group not in ("TDGQ", "TTTT", "ONLINE"):
                block["score"] = round(sum(metric["score"] or 0 for metric in block["metrics"] if metric["maxScore"]), 2)
            groups[group] = block["score"]
            block["ratio"] = round(100 * block["score"] / block["maxScore"], 2)
        record["groupScores"] = {group: groups[group] for group in record["groupScores"]}
        record["totalScore"] = record["ratio"] = round(sum(groups.values()), 2)
        return record


def write_year(folder: str, provinces: int, departments: int, communes: int, days: int, seed: int = 766) -> dict[str, Any]:
    """The registry and ``days`` daily detail files per level and province (stage, fresh process)."""
    from helpers.paths import DEFAULT_DATA_DIR
    from helpers.rules766 import load_rules

    def work() -> dict[str, Any]:
        rng = random.Random(seed)
        thresholds = {code: rule.threshold for code, rule in load_rules(DEFAULT_DATA_DIR / "catalogue").rules.items()}
        template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
        record = next(unit for unit in template["agenciesDetail"] if "metrics" in unit["componentIndicators"].get("MDHL_MucDoHaiLong", {}))
        target = Path(folder)
        (target / "units").mkdir(parents=True, exist_ok=True)
        province_rows, unit_rows, files, size = [], [], 0, 0
        first = date(2026, 1, 1)
        for number in range(1, provinces + 1):
            province, code = f"hist_{number:02d}", f"Y{number:02d}"
            province_rows.append(f"{province},tỉnh Giả lập {number:02d},Synthetic province {number:02d},true,,,,{code}")
            units: dict[str, list[_Unit]] = {}
            for level, count, offset in (("cap_tinh", departments, 0), ("cap_xa", communes, 100)):
                _, _, child_group, word = LISTS[level]
                units[level] = [_Unit(rng, f"{code}.{offset + index}", f"{word} {index:04d}", child_group) for index in range(1, count + 1)]
                unit_rows += [f"{province}.{level}_{index:04d},{province},{level},{unit.name},,2025-07-01,,{unit.code}" for index, unit in enumerate(units[level], start=1)]
            raw = target / "raw" / province / "766"
            raw.mkdir(parents=True, exist_ok=True)
            if number > 1:
                # Every other province is the first one's files with its codes and name: the
                # ingest's cost does not depend on the figures, and writing them afresh took minutes.
                for path in sorted((target / "raw" / "hist_01" / "766").iterdir()):
                    text = path.read_bytes().replace(b'"Y01', f'"{code}'.encode()).replace(b"-Y01.", f"-{code}.".encode())
                    text = text.replace("Giả lập 01".encode(), f"Giả lập {number:02d}".encode())
                    (raw / path.name.replace("Hist01", f"Hist{number:02d}")).write_bytes(text)
                    files, size = files + 1, size + len(text)
                continue
            for day in range(days):
                taken = first + timedelta(days=day)
                metadata = {**template["metadata"], "province": f"UBND tỉnh Giả lập {number:02d}", "provinceCode": code, "runDateStr": taken.strftime("%d%m%Y"),
                            "extractedAt": f"{taken.isoformat()}T00:00:00Z"}
                for level, listed in units.items():
                    prefix, list_name, _, _ = LISTS[level]
                    records = [unit.record(record, day, days, thresholds) for unit in listed]
                    ordered = sorted(records, key=lambda unit: -unit["totalScore"])
                    for rank, unit in enumerate(ordered, start=1):
                        unit["rank"] = unit["groupRank"] = rank
                    path = raw / f"{prefix}_Hist{number:02d}_{taken:%d%m%Y}.json"
                    text = json.dumps({"metadata": metadata, "count": len(records), list_name: records}, ensure_ascii=False, separators=(",", ":"))
                    path.write_text(text, encoding="utf-8")
                    files, size = files + 1, size + len(text.encode("utf-8"))
        (target / "units" / "provinces.csv").write_text("province,name_vi,name_en,synthetic,valid_from,valid_to,successor,portal_code\n" + "\n".join(province_rows) + "\n", encoding="utf-8")
        (target / "units" / "units.csv").write_text("unit_id,province,level,name_vi,parent_id,valid_from,valid_to,portal_code\n" + "\n".join(unit_rows) + "\n", encoding="utf-8")
        return {"files": files, "bytes": size, "units": len(unit_rows), "provinces": provinces, "days": days}

    written, run = measure(work)
    return {**written, "seconds": run.seconds, "peak_bytes": run.peak_bytes}


def history766_section(results: Results, settings: Any) -> None:
    """The parts in ``settings.history766_parts`` (run.py --history766-province-only: the province's)."""
    days = QUICK_DAYS if settings.quick else DAYS
    for label, size, target in (("province", PROVINCE_SIZE, True), ("country", COUNTRY_SIZE, False)):
        if label not in settings.history766_parts:
            continue
        folder = str(settings.scratch / f"history766-{label}")
        with LoadWatch() as load:
            written = in_fresh_process(write_year, folder=folder, days=days, **size)
            what = f"{written['provinces']} province(s), {written['units']:,} units, {days} days: {written['files']:,} files, {written['bytes'] / MIB:,.0f} MiB"
            results.add(SECTION, f"{label}-year: write the synthetic detail captures ({what})", "s", written["seconds"])
            runs = [in_fresh_process(index766_ingest, folder=folder) for _ in range(settings.repeats if target else 1)]
            rows = runs[0]["rows"]
            results.add(SECTION, f"{label}-year: ingest ({rows:,} tidy rows)", "s", [run["seconds"] for run in runs], below(20, " s") if target else None)
            results.add(SECTION, f"{label}-year: CPU time of that ingest (what a busy neighbour changes less)", "s", [run["cpu_seconds"] for run in runs])
            results.add(SECTION, f"{label}-year: peak memory of that ingest", "MiB", [run["peak_bytes"] / MIB for run in runs], below(1024, " MiB") if target else None)
        results.note(SECTION, f"{label}-year: {what}; each ingest in a fresh process (imports outside the clock); {load.load.text()}.")
