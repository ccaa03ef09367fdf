"""The fictional provinces: their units, unit parameters and floor targets, and the units/,
catalogue/ and demo.json files that describe them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.catalogue import Catalogue
from helpers.demo.monthly.spec import (
    ASSUMED_TARGET_SOURCE, CITY_FACTOR, COMMUNE_VOLUME, DISTRICT_VOLUME, PLACE_NAMES, SYNTHETIC_SUFFIX, TRAJECTORIES,
    TRAJECTORY_SHARES, UNIT_KINDS, DemoSpec, slug,
)
from helpers.paths import DEFAULT_DATA_DIR
from helpers.text import fold_diacritics


@dataclass(frozen=True)
class Province:
    """One fictional province: its registry rows and what drives its figures."""

    province: str
    name_vi: str
    name_en: str
    units: pd.DataFrame  # registry columns, table_name, unit kind parameters; in table order
    aliases: list[tuple[str, str]]
    floors: dict[str, float]  # indicator -> provincial floor target (fraction)


def _place_names(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct names of PLACE_NAMES, in random order."""
    return [PLACE_NAMES[index] for index in rng.choice(len(PLACE_NAMES), size=count, replace=False)]


def _central_targets(catalogue: Catalogue, year: int) -> dict[str, float]:
    """Each indicator's central target in force in ``year`` (the earliest one if none yet)."""
    central = catalogue.targets[catalogue.targets["tier"] == "central"].sort_values("year")
    targets = {}
    for indicator, rows in central.groupby("indicator"):
        in_force = rows[rows["year"] <= year]
        targets[str(indicator)] = float((in_force if len(in_force) else rows).iloc[-1]["target"])
    return targets


def plan_province(spec: DemoSpec, province: str, number: int, catalogue: Catalogue, rng: np.random.Generator) -> Province:
    label = "" if spec.provinces == 1 else f" {number:02d}"
    name_vi = f"tỉnh Mô Phỏng{label} {SYNTHETIC_SUFFIX}"
    name_en = f"Simulated province{label} (synthetic data)"
    central = _central_targets(catalogue, int(spec.first_period[:4]))
    bumps = {indicator: float(rng.choice([0.05, 0.10])) for indicator in catalogue.indicators}
    # An indicator without a central target gets no floor (and its units no assigned target).
    floors = {indicator: min(1.0, round(central[indicator] + bump, 2)) for indicator, bump in bumps.items() if indicator in central}
    scale = float(rng.lognormal(0, 0.3)) if spec.provinces > 1 else 1.0
    rows: list[dict[str, object]] = []
    aliases: list[tuple[str, str]] = []
    era = "before_2025" if spec.levels == 3 else "from_2025"
    for name, typical in spec.known_departments[: spec.departments]:
        short = name.removeprefix("Sở ")
        rows.append({"unit_id": f"{province}.{slug(short)}", "level": "cap_tinh", "name_vi": name, "table_name": name, "parent_id": "", "kind": f"department_{era}", "typical": typical})
    if spec.levels == 3:
        rows += _districts_and_their_communes(spec, province, aliases, rng)
    else:
        places = _place_names(rng, spec.communes)
        kinds = ["phường" if draw < 0.25 else "xã" for draw in rng.random(spec.communes)]
        for kind, place in sorted(zip(kinds, places), key=lambda pair: (pair[0] != "phường", fold_diacritics(pair[1]))):
            name = f"UBND {kind} {place}"
            rows.append({"unit_id": f"{province}.{slug(kind)}_{slug(place)}", "level": "cap_xa", "name_vi": name, "table_name": name, "parent_id": "", "kind": "commune_from_2025", "typical": COMMUNE_VOLUME["commune_from_2025"]})
    units = pd.DataFrame(rows)
    if "volume_factor" not in units.columns:
        units["volume_factor"] = np.nan
    level_order = {level: rank for rank, level in enumerate(spec.level_ids)}
    units = units.sort_values("level", key=lambda levels: levels.map(level_order), kind="stable").reset_index(drop=True)
    units = _with_unit_parameters(units, scale, rng)
    return Province(province, name_vi, name_en, units, aliases, floors)


def _districts_and_their_communes(spec: DemoSpec, province: str, aliases: list[tuple[str, str]], rng: np.random.Generator) -> list[dict[str, object]]:
    """Districts (one city, some towns) and, per district, the row summing its communes (Phụ lục 3)."""
    kinds = ["thành phố"] + ["thị xã" if draw < 0.15 else "huyện" for draw in rng.random(spec.districts - 1)]
    districts = sorted(zip(kinds, _place_names(rng, spec.districts)), key=lambda pair: (["huyện", "thành phố", "thị xã"].index(pair[0]), fold_diacritics(pair[1])))
    weights = rng.lognormal(0, 0.4, spec.districts) * np.array([2.0 if kind == "thành phố" else 1.0 for kind, _ in districts])
    communes_per_district = 1 + rng.multinomial(spec.communes - spec.districts, weights / weights.sum())
    commune_factors = rng.lognormal(0, UNIT_KINDS["commune_before_2025"].volume_spread, spec.communes)
    summed_factors = np.add.reduceat(commune_factors, np.concatenate([[0], np.cumsum(communes_per_district)[:-1]]))
    id_prefix = {"thành phố": "tp", "thị xã": "tx", "huyện": "huyen"}
    rows: list[dict[str, object]] = []
    for (kind, place), summed in zip(districts, summed_factors):
        district_id = f"{province}.{id_prefix[kind]}_{slug(place)}"
        table_name = f"UBND {kind} {place}"
        typical = DISTRICT_VOLUME * (CITY_FACTOR if kind == "thành phố" else 1.0)
        rows.append({"unit_id": district_id, "level": "cap_huyen", "name_vi": table_name, "table_name": table_name, "parent_id": "", "kind": "district", "typical": typical})
        # The commune row is named like the district in the table; the registry knows it by alias.
        communes_id = f"{province}.xa_{id_prefix[kind]}_{slug(place)}"
        rows.append({
            "unit_id": communes_id, "level": "cap_xa", "name_vi": f"Cấp xã {kind} {place}", "table_name": table_name,
            "parent_id": district_id, "kind": "commune_before_2025", "typical": COMMUNE_VOLUME["commune_before_2025"], "volume_factor": float(summed),
        })
        aliases.append((communes_id, table_name))
    return rows


def _with_unit_parameters(units: pd.DataFrame, scale: float, rng: np.random.Generator) -> pd.DataFrame:
    """Each unit's monthly volume and portfolio (services, fee-paying procedures) by its kind."""
    columns: dict[str, list[float]] = {name: [] for name in ("volume", "services", "payment_procedures", "fee_share")}
    for kind_name, typical, volume_factor in zip(units["kind"], units["typical"], units["volume_factor"]):
        kind = UNIT_KINDS[kind_name]
        # A commune row of 3 levels sums its district's communes: their volume factors were summed.
        factor = volume_factor if not pd.isna(volume_factor) else rng.lognormal(0, kind.volume_spread)
        columns["volume"].append(float(typical) * float(factor) * scale)
        columns["services"].append(kind.services[0] + rng.poisson(kind.services[1]))
        columns["payment_procedures"].append(kind.payment_procedures[0] + rng.poisson(kind.payment_procedures[1]))
        columns["fee_share"].append(rng.beta(*kind.fee_share))
    frame = units.assign(**columns)
    frame["result_ratio"] = rng.uniform(0.85, 1.2, len(frame))
    frame["service_activity"] = rng.beta(8, 2, len(frame))
    frame["payment_activity"] = rng.beta(6, 3, len(frame))
    frame["strength"] = rng.normal(0, 0.5, len(frame))
    frame["trajectory"] = rng.choice(len(TRAJECTORIES), size=len(frame), p=TRAJECTORY_SHARES)
    return frame


def write_units(directory: Path, provinces: list[Province]) -> None:
    directory.mkdir(parents=True)
    _write_csv(
        directory / "provinces.csv",
        ["province", "name_vi", "name_en", "synthetic", "valid_from", "valid_to", "successor", "portal_code"],
        [[province.province, province.name_vi, province.name_en, "true", "", "", "", ""] for province in provinces],
    )
    _write_csv(
        directory / "units.csv",
        ["unit_id", "province", "level", "name_vi", "parent_id", "valid_from", "valid_to", "portal_code"],
        [
            [unit.unit_id, province.province, unit.level, unit.name_vi, unit.parent_id, "", "", ""]
            for province in provinces
            for unit in province.units.itertuples()
        ],
    )
    _write_csv(directory / "aliases.csv", ["unit_id", "alias"], [list(alias) for province in provinces for alias in province.aliases])
    shutil.copyfile(DEFAULT_DATA_DIR / "units" / "abbreviations.csv", directory / "abbreviations.csv")


def write_catalogue(source: Path, directory: Path, provinces: list[Province], spec: DemoSpec) -> None:
    shutil.copytree(source, directory)
    year = spec.first_period[:4]
    rows = [
        [indicator, year, "provincial", province.province, "", f"{round(floor * 100):d}", ASSUMED_TARGET_SOURCE]
        for province in provinces
        for indicator, floor in province.floors.items()
    ]
    targets = directory / "targets.csv"
    text = targets.read_text(encoding="utf-8")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    targets.write_text(text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(), encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_marker(path: Path, spec: DemoSpec, provinces: list[Province], units_per_level: dict[str, int]) -> None:
    description = {
        "synthetic": True,
        "note": "Dữ liệu mô phỏng, không phải số liệu thật / Synthetic data, not real figures",
        "command": "python -m helpers demo",
        "parameters": {**asdict(spec), "start": spec.first_period},
        "periods": spec.periods,
        "provinces": {province.province: province.name_vi for province in provinces},
        "units_per_level": units_per_level,
    }
    path.write_text(json.dumps(description, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

