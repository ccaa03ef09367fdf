"""Synthetic 766 data at national scale, for the benchmarks: seeded, deterministic, labelled.

34 provinces (``syn_01`` …, ``synthetic=true`` in provinces.csv), ~550 departments and ~3,300
communes, every sub-indicator of the rules table with counts, for N snapshots. Points, group
scores, totals and ranks are what the rules give (so the rules reproduce them), ranks shared by
departments and communes with consecutive ranks for ties, as the portal does. Nothing here is
real: names say "Giả lập" (synthetic) and every source_file says ``synthetic``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, conform766
from helpers.analysis.index766.scoring import score

DEPARTMENT_LEVEL, COMMUNE_LEVEL = "cap_tinh", "cap_xa"
# Typical denominators per unit and snapshot, by what a sub-indicator counts (its gap label).
VOLUMES = {"dossiers": (900.0, 250.0), "petitions": (6.0, 2.0), "other": (60.0, 25.0)}


@dataclass(frozen=True)
class Synthetic766:
    provinces: pd.DataFrame
    units: pd.DataFrame
    tidy: pd.DataFrame
    seed: int


def generate(
    rules: Index766Rules,
    seed: int = 766,
    provinces: int = 34,
    departments: int = 550,
    communes: int = 3300,
    snapshots: int = 12,
    period_kind: str = "month",
    first_month: str = "2026-01",
) -> Synthetic766:
    """A national 766 table: each province's units and its own (pooled) figures, per snapshot."""
    rng = np.random.default_rng(seed)
    province_frame = pd.DataFrame({
        "province": [f"syn_{index:02d}" for index in range(1, provinces + 1)],
        "name_vi": [f"tỉnh Giả lập {index:02d}" for index in range(1, provinces + 1)],
        "name_en": [f"Synthetic province {index:02d}" for index in range(1, provinces + 1)],
        "synthetic": "true", "valid_from": "", "valid_to": "", "successor": "",
        "portal_code": [f"S{index:02d}" for index in range(1, provinces + 1)],
    })
    units = _units(rng, province_frame, departments, communes)
    steps = [_snapshot(period_kind, pd.Period(first_month, freq="M") + step) for step in range(snapshots)]
    source = f"synthetic (seed {seed})"
    counts = _counts(rng, rules, units, len(steps))
    rows = []
    for position, snapshot in enumerate(steps):
        frame = units.assign(period_kind=snapshot.period_kind, period=snapshot.period, snapshot_date=snapshot.snapshot_date)
        per_rule = [
            frame.assign(measure="indicator", group=rule.group, indicator=rule.indicator, numerator=counts[code][0][:, position], denominator=counts[code][1][:, position])
            for code, rule in rules.rules.items()
        ]
        unit_rows = pd.concat(per_rule, ignore_index=True)
        pooled = unit_rows.groupby(["province", "group", "indicator"], sort=False)[["numerator", "denominator"]].sum().reset_index()
        province_rows = pooled.merge(province_frame[["province", "name_vi", "portal_code"]], on="province").rename(columns={"name_vi": "unit_name"})
        province_rows = province_rows.assign(level=WHOLE_PROVINCE, unit_id=province_rows["province"], period_kind=snapshot.period_kind, period=snapshot.period,
                                             snapshot_date=snapshot.snapshot_date, measure="indicator")
        rows.append(pd.concat([province_rows, unit_rows], ignore_index=True))
    indicators = conform766(pd.concat(rows, ignore_index=True).assign(source_file=source, points_decimals=2))
    indicators["ratio"] = (indicators["numerator"] / indicators["denominator"]).round(4).astype("Float64")
    registry_units = units.rename(columns={"unit_name": "name_vi"})[["unit_id", "province", "level", "name_vi", "parent_id", "valid_from", "valid_to", "portal_code"]]
    return Synthetic766(province_frame, registry_units, _published(indicators, rules), seed)


def _snapshot(period_kind: str, month: pd.Period) -> Snapshot:
    taken = (month + 1).start_time.strftime("%Y-%m-%d")
    period = {"month": str(month), "quarter": f"{month.year}-Q{month.quarter}", "year_to_date": str(month.year)}[period_kind]
    return Snapshot(period_kind, period, taken)


def _units(rng: np.random.Generator, provinces: pd.DataFrame, departments: int, communes: int) -> pd.DataFrame:
    count = len(provinces)
    frames = []
    for level, total, word in ((DEPARTMENT_LEVEL, departments, "Sở Giả lập"), (COMMUNE_LEVEL, communes, "UBND xã Giả lập")):
        sizes = rng.multinomial(total - count, np.full(count, 1 / count)) + 1
        for (province, code), size in zip(provinces[["province", "portal_code"]].itertuples(index=False), sizes):
            offset = 0 if level == DEPARTMENT_LEVEL else 100
            frames.append(pd.DataFrame({
                "unit_id": [f"{province}.{level}_{index:04d}" for index in range(1, size + 1)],
                "province": province, "level": level,
                "unit_name": [f"{word} {index:04d}" for index in range(1, size + 1)],
                "parent_id": "", "valid_from": "2025-07-01", "valid_to": "",
                "portal_code": [f"{code}.{offset + index}" for index in range(1, size + 1)],
            }))
    return pd.concat(frames, ignore_index=True)


def _counts(rng: np.random.Generator, rules: Index766Rules, units: pd.DataFrame, steps: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Numerator and denominator per rule, unit and snapshot: each unit has a quality that drifts."""
    size = len(units)
    quality = rng.beta(6, 2, size)[:, None] + np.cumsum(rng.normal(0.004, 0.01, (size, steps)), axis=1)
    counts = {}
    for code, rule in rules.rules.items():
        label = rule.gap_label_en
        kind = "dossiers" if "dossier" in label else "petitions" if "petition" in label else "other"
        mean, spread = VOLUMES[kind]
        denominator = np.maximum(rng.normal(mean, spread, (size, steps)), 0).round().astype(np.int64)
        ratio = np.clip(quality + rng.normal(0, 0.08, (size, steps)), 0, 1)
        counts[code] = ((ratio * denominator).round().astype(np.int64), denominator)
    return counts


def _published(indicators: pd.DataFrame, rules: Index766Rules) -> pd.DataFrame:
    """Indicators with points, plus group and total rows and ranks, all as the rules give them."""
    settings = {"index766_points_tolerance": 0.01, "red_below_share_of_max": 0.5, "amber_below_share_of_max": 0.7}
    scores = score(indicators, rules, settings)
    points = scores.indicators.set_index(["snapshot_date", "unit_id", "indicator"])["points"]
    indicators = indicators.assign(points=points.reindex(pd.MultiIndex.from_frame(indicators[["snapshot_date", "unit_id", "indicator"]])).to_numpy(),
                                   max_points=indicators["indicator"].map({code: rule.max_points for code, rule in rules.rules.items()}))
    identity = ["province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "portal_code"]
    groups = scores.groups[[*identity, "group", "recomputed", "max_points"]].rename(columns={"recomputed": "points"}).assign(measure="group")
    totals = scores.totals[[*identity, "recomputed"]].rename(columns={"recomputed": "points"}).assign(measure="total", max_points=rules.total_max)
    units = totals["level"] != WHOLE_PROVINCE
    ordered = totals[units].sort_values(["snapshot_date", "province", "points", "unit_id"], ascending=[True, True, False, True], kind="stable")
    by_snapshot = ordered.groupby(["snapshot_date", "province"], sort=False)
    totals.loc[ordered.index, "rank"] = by_snapshot.cumcount() + 1
    totals.loc[ordered.index, "rank_base"] = by_snapshot["unit_id"].transform("size")
    by_level = ordered.groupby(["snapshot_date", "province", "level"], sort=False)
    totals.loc[ordered.index, "group_rank"] = by_level.cumcount() + 1
    totals.loc[ordered.index, "group_rank_base"] = by_level["unit_id"].transform("size")
    source = indicators["source_file"].iloc[0]
    frame = pd.concat([totals, groups, indicators], ignore_index=True).assign(source_file=source, points_decimals=2)
    return conform766(frame)


def write_workspace(data: Synthetic766, data_dir: Path) -> None:
    """A data directory the pipeline reads: units/*.csv and raw/<province>/766/*.json (portal shape)."""
    units_dir = data_dir / "units"
    units_dir.mkdir(parents=True, exist_ok=True)
    data.provinces.to_csv(units_dir / "provinces.csv", index=False)
    data.units.to_csv(units_dir / "units.csv", index=False)
    for (province, snapshot_date), frame in data.tidy.groupby(["province", "snapshot_date"], sort=True):
        folder = data_dir / "raw" / str(province) / "766"
        folder.mkdir(parents=True, exist_ok=True)
        document = _portal_document(frame, str(data.provinces.set_index("province").loc[province, "portal_code"]))
        (folder / f"units_{snapshot_date}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _portal_document(frame: pd.DataFrame, province_code: str) -> dict[str, object]:
    """One province snapshot in the portal's unit-list shape, every block with its metrics."""
    columns = ["unit_id", "level", "unit_name", "portal_code", "measure", "group", "indicator", "numerator", "denominator", "ratio", "points", "rank", "group_rank"]
    arrays = [frame[column].to_numpy(dtype=object, na_value=None) for column in columns]
    records = [dict(zip(columns, values)) for values in zip(*arrays)]
    first = frame.iloc[0]
    blocks: dict[str, dict[str, object]] = {}
    levels: dict[str, str] = {}
    for row in records:
        unit_id = str(row["unit_id"])
        levels[unit_id] = str(row["level"])
        block = blocks.setdefault(unit_id, {"departmentName": row["unit_name"], "departmentCode": row["portal_code"], "groupScores": {}, "groups": {}})
        if row["measure"] == "total":
            block["totalScore"] = _plain(row["points"])
            if row["level"] != WHOLE_PROVINCE:
                block.update(rank=_plain(row["rank"]), groupRank=_plain(row["group_rank"]), childGroup="AGENCY" if row["level"] == DEPARTMENT_LEVEL else "COMMUNE")
        elif row["measure"] == "group":
            block["groupScores"][row["group"]] = _plain(row["points"])  # type: ignore[index]
        else:
            ratio = _plain(row["ratio"])
            block["groups"].setdefault(row["group"], []).append({  # type: ignore[union-attr]
                "code": row["indicator"], "numerator": _plain(row["numerator"]), "denominator": _plain(row["denominator"]),
                "ratio": None if ratio is None else round(ratio * 100, 2), "score": _plain(row["points"]), "unit": "%",
            })
    for block in blocks.values():
        block["groups"] = [{"code": group, "metrics": metrics} for group, metrics in block["groups"].items()]  # type: ignore[union-attr]
    overview = next(block for unit_id, block in blocks.items() if levels[unit_id] == WHOLE_PROVINCE)
    agencies = [block for unit_id, block in blocks.items() if levels[unit_id] == DEPARTMENT_LEVEL]
    communes = [block for unit_id, block in blocks.items() if levels[unit_id] == COMMUNE_LEVEL]
    overview.update(totalUnitsCount=len(agencies) + len(communes), agencyCount=len(agencies), communeCount=len(communes))
    period = str(first["period"])
    time_type = {"year_to_date": "year", "quarter": "quarter", "month": "month"}[str(first["period_kind"])]
    number = None if time_type == "year" else int(period[5:].lstrip("Q"))
    return {
        "metadata": {"provinceCode": province_code, "runDateStr": pd.Timestamp(str(first["snapshot_date"])).strftime("%d%m%Y"),
                     "timeType": time_type, "year": int(period[:4]), "period": number, "synthetic": True},
        "overview": overview, "agencies": agencies, "communes": communes,
    }


def _plain(value: object) -> float | int | None:
    """A JSON-ready number: None for a missing value, int for whole counts."""
    if value is None:
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    return float(value)  # type: ignore[arg-type]
