"""Ingest of the 766 index: raw files → one tidy table per province (helpers.index766.schema).

Raw files live in ``<data dir>/raw/<province>/766/`` (portal JSON of any published shape, see
helpers.ingest.index766.portal_json; hand-filled CSV; any other file, such as a README, is left
alone). A unit appears once per snapshot in each kind of file; the unit list and the unit
detail of one day are merged row by row, and a figure they disagree on is an error. A province is ingested as a whole and written to
``<data dir>/processed/<province>/766/snapshots.parquet`` only when every file reads cleanly,
so a failed run leaves the last good table in place.

Units keep their identity across snapshots through the registry (data/units/): the portal's
``departmentCode`` is matched with ``portal_code`` first, then the name (without the portal's
"- tỉnh Gia Lai" suffix) through UnitRegistry.resolve. An unknown unit is an error that names
the file and record, never a dropped row.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.errors import InputError, Location, Problem, fail
from helpers.paths import Workspace
from helpers.registry import Unit, UnitRegistry
from helpers.store import write_parquet_atomic
from helpers.text import normalize_text
from helpers.ingest.index766.hand_csv import read_hand_csv
from helpers.ingest.index766.portal_json import read_portal_json
from helpers.rules766 import Index766Rules
from helpers.tidy766 import MEASURES, SNAPSHOT_KEYS, conform766
from helpers.ingest.index766.sources import PROVENANCE_FIELDS, ROW_FIELDS, SourceUnit

FOLDER = "766"
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv", ".tsv")
PROCESSED_NAME = "snapshots.parquet"


@dataclass(frozen=True)
class IngestedIndex766:
    province: str
    frame: pd.DataFrame
    output: Path


def raw_folder(workspace: Workspace, province: str) -> Path:
    return workspace.raw_dir / province / FOLDER


def processed_path(workspace: Workspace, province: str) -> Path:
    # One level deeper than the monthly files (processed/<province>/<YYYY-MM>.parquet), so
    # helpers.store never mistakes it for a month.
    return workspace.processed_dir / province / FOLDER / PROCESSED_NAME


def raw_files(workspace: Workspace, province: str) -> list[Path]:
    folder = raw_folder(workspace, province)
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in (*JSON_SUFFIXES, *CSV_SUFFIXES) and not path.name.startswith((".", "~$"))
    )


def discover_provinces(workspace: Workspace) -> list[str]:
    """Provinces with at least one raw 766 file, in name order."""
    if not workspace.raw_dir.is_dir():
        return []
    return [path.name for path in sorted(workspace.raw_dir.iterdir()) if path.is_dir() and raw_files(workspace, path.name)]


def strip_province_suffix(name: str, province_name: str) -> str:
    """``Sở Y tế - tỉnh Gia Lai`` / ``UBND xã Kông Bơ La - Gia Lai`` → the name without the province."""
    head, separator, tail = name.rpartition(" - ")
    short = normalize_text(province_name).removeprefix("tỉnh ").removeprefix("thành phố ")
    if separator and normalize_text(tail).endswith(short):
        return head.strip()
    return name.strip()


def read_province(workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, province: str) -> pd.DataFrame:
    """Every raw 766 file of a province as one tidy table; InputError listing every problem."""
    folder = raw_folder(workspace, province)
    if not registry.has_province(province):
        raise fail(Location(workspace.display(folder)), "a province listed in data/units/provinces.csv", repr(province))
    files = raw_files(workspace, province)
    if not files:
        raise fail(Location(workspace.display(folder)), "at least one .json or .csv file of the 766 index", "none")
    provinces_by_code = {code: name for code, name in zip(registry.provinces["portal_code"], registry.provinces["province"]) if code}
    units: list[SourceUnit] = []
    problems: list[Problem] = []
    for path in files:
        display = workspace.display(path)
        try:
            if path.suffix.lower() in JSON_SUFFIXES:
                found, file_problems = read_portal_json(path, display, rules, provinces_by_code)
            else:
                found, file_problems = read_hand_csv(path, display, rules, province, set(catalogue.levels))
        except InputError as error:
            problems.extend(error.problems)
            continue
        problems.extend(file_problems)
        for unit in found:
            if unit.peer and unit.province != province:
                continue  # another province's row of the national table: that province's folder reads it
            if unit.province != province:
                problems.append(Problem(unit.location, f"data of {province} (the folder this file is in)", f"data of {unit.province}"))
            units.append(unit)
    headline = f"Could not ingest the 766 index of {province}"
    if problems:
        raise InputError(problems, headline)
    frame = _assemble(units, registry, province, problems)
    if problems:
        raise InputError(problems, headline)
    return _sorted(frame, rules, catalogue)


def _assemble(units: list[SourceUnit], registry: UnitRegistry, province: str, problems: list[Problem]) -> pd.DataFrame:
    by_code = {unit.portal_code: unit for unit in registry.units.values() if unit.province == province and unit.portal_code}
    records: list[dict[str, object]] = []
    kept_rows: dict[tuple[object, ...], dict[str, object]] = {}
    first_source: dict[tuple[object, ...], SourceUnit] = {}
    for source in units:
        identity = _identity(source, registry, by_code, problems)
        if identity is None:
            continue
        unit_id, level, name, portal_code = identity
        if not source.is_province:
            # Once per snapshot in each kind of file; a unit list and a unit detail of the same
            # day describe the same unit and are merged below.
            key = (source.snapshot, unit_id, source.shape)
            if key in first_source:
                first = first_source[key]
                problems.append(Problem(
                    source.location,
                    f"each unit once per snapshot ({source.snapshot.label('en')})",
                    f"{name!r} again (first at {first.location})",
                ))
                continue
            first_source[key] = source
        for row in source.rows:
            record = {
                "province": province, "period_kind": source.snapshot.period_kind, "period": source.snapshot.period,
                "snapshot_date": source.snapshot.snapshot_date, "level": level, "unit_id": unit_id, "unit_name": name,
                "portal_code": portal_code, **{field: row.get(field) for field in (*ROW_FIELDS, *PROVENANCE_FIELDS)},
            }
            # The portal repeats the province overview in every list of a snapshot, a unit's
            # figures appear in its list and its detail, and an analyst may add what the lists
            # lack (the national rank): merge, refuse conflicts.
            row_key = (source.snapshot, unit_id, row["measure"], row.get("group"), row.get("indicator"))
            if row_key in kept_rows:
                _merge_row(kept_rows[row_key], record, "the province" if source.is_province else "the unit", problems)
                continue
            kept_rows[row_key] = record
            records.append(record)
    return pd.DataFrame.from_records(records)


def _merge_row(kept: dict[str, object], new: dict[str, object], what: str, problems: list[Problem]) -> None:
    for field in ROW_FIELDS:
        value, existing = new.get(field), kept.get(field)
        if _blank(value):
            continue
        if _blank(existing):
            kept[field] = value
        elif existing != value:
            problems.append(Problem(
                Location(str(new["source_file"]), record=str(new["source_record"]), field=str(new["source_field"])),
                f"the same {field} for {what} as {kept['source_file']} ({kept['source_record']}): {existing}",
                repr(value),
            ))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _identity(source: SourceUnit, registry: UnitRegistry, by_code: dict[str, Unit], problems: list[Problem]) -> tuple[str, str, str, str] | None:
    """(unit_id, level, registry name, portal code) of a source block, or None with a problem."""
    province, month = source.province, source.snapshot.month
    if source.is_province:
        code = registry.provinces.loc[registry.provinces["province"] == province, "portal_code"]
        return province, WHOLE_PROVINCE, registry.province_name(province), source.portal_code or (code.iloc[0] if len(code) else "")
    unit: Unit | None = None
    if source.unit_id:
        unit = registry.units.get(source.unit_id)
        if unit is None or unit.province != province:
            problems.append(Problem(source.location, f"a unit_id of {province} in data/units/units.csv", repr(source.unit_id)))
            return None
    elif source.portal_code and source.portal_code in by_code:
        unit = by_code[source.portal_code]
    else:
        name = strip_province_suffix(source.written_name, registry.province_name(province))
        levels = [source.level] if source.level else registry.levels_of(province, month)
        matches = {found for level in levels if (found := registry.resolve(name, province, level, month))}
        if len(matches) != 1:
            suggestions = [suggestion for level in levels for suggestion in registry.suggestions(name, province, level)]
            hint = f"; did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""
            code = f" (portal code {source.portal_code})" if source.portal_code else ""
            problems.append(Problem(
                source.location,
                f"a unit of {province} in data/units/units.csv (portal_code, name) or aliases.csv{hint}",
                f"{source.written_name!r}{code}",
            ))
            return None
        unit = registry.units[matches.pop()]
    if not unit.active_in(month):
        problems.append(Problem(source.location, f"a unit active in {month} (valid_from/valid_to in data/units/units.csv)", f"{unit.unit_id} ({unit.name_vi})"))
        return None
    if source.level and unit.level != source.level:
        problems.append(Problem(source.location, f"level {unit.level} (the level of {unit.name_vi} in data/units/units.csv)", repr(source.level)))
        return None
    return unit.unit_id, unit.level, unit.name_vi, source.portal_code or unit.portal_code


def _sorted(frame: pd.DataFrame, rules: Index766Rules, catalogue: Catalogue) -> pd.DataFrame:
    frame = conform766(frame)
    orders = {
        "level": {level: rank for rank, level in enumerate([WHOLE_PROVINCE, *catalogue.levels])},
        "measure": {measure: rank for rank, measure in enumerate(MEASURES)},
        "group": {group: rank for rank, group in enumerate(rules.groups)},
        "indicator": {indicator: rank for rank, indicator in enumerate(rules.rules)},
    }
    keyed = frame.assign(**{f"_{column}": frame[column].map(order).astype("float64").fillna(len(order)) for column, order in orders.items()})
    ordered = keyed.sort_values(
        [*SNAPSHOT_KEYS, "_level", "unit_name", "_measure", "_group", "_indicator", "indicator"], kind="stable", na_position="first"
    )
    return ordered.drop(columns=[f"_{column}" for column in orders]).reset_index(drop=True)


def ingest_province(workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, province: str) -> IngestedIndex766:
    frame = read_province(workspace, rules, registry, catalogue, province)
    output = write_parquet_atomic(frame, processed_path(workspace, province))
    return IngestedIndex766(province, frame, output)


def ingest_index766(
    workspace: Workspace,
    rules: Index766Rules,
    registry: UnitRegistry,
    catalogue: Catalogue,
    provinces: list[str] | None = None,
    progress: Callable[[str], None] = print,
) -> tuple[list[IngestedIndex766], list[tuple[str, InputError]]]:
    """Ingest every province with raw 766 files (or those chosen); a failed province leaves the others alone."""
    chosen = [province for province in discover_provinces(workspace) if not provinces or province in provinces]
    done, failed = [], []
    for index, province in enumerate(chosen, start=1):
        try:
            ingested = ingest_province(workspace, rules, registry, catalogue, province)
        except InputError as error:
            failed.append((province, error))
            progress(f"[{index}/{len(chosen)}] {province} 766: FAILED\n{error}")
            continue
        done.append(ingested)
        snapshots = ingested.frame[["period_kind", "period", "snapshot_date"]].drop_duplicates()
        units = ingested.frame.loc[ingested.frame["level"] != WHOLE_PROVINCE, "unit_id"].nunique()
        progress(f"[{index}/{len(chosen)}] {province} 766: {len(snapshots)} snapshot(s), {units} units, {len(ingested.frame)} rows → {workspace.display(ingested.output)}")
    return done, failed


def load_index766(workspace: Workspace, province: str) -> pd.DataFrame:
    """The processed 766 table of a province; a ValueError in one sentence when there is none."""
    path = processed_path(workspace, province)
    if not path.is_file():
        raise ValueError(f"no processed 766 data for province {province!r} in {workspace.display(path.parent)}; run `python -m helpers index766` first")
    return conform766(pd.read_parquet(path))
