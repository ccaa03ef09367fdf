"""Ingest of the 766 index: raw files → one tidy table per province (helpers.index766.schema).

Raw files live in ``<data dir>/raw/<province>/766/`` (portal JSON of any published shape, see
helpers.ingest.index766.portal_json; hand-filled CSV; any other file, such as a README, is left
alone). A unit appears once per snapshot in each kind of file; the unit list and the unit
detail of one day are merged row by row (helpers.ingest.index766.assemble).

One bad file never stops the others: a file that cannot be read, or whose units the registry
does not know, is left out with its problems (``IngestedIndex766.left_out``), and the
province's other files are written to ``<data dir>/processed/<province>/766/snapshots.parquet``
(atomically: a failed write leaves the last good table in place). When no file can be read,
nothing is written. Sources of one snapshot that disagree on a figure are no error: the
assembly keeps each figure from the source it belongs to, and every source's own row of that
figure is written too, flagged ``disagreeing_source`` (``load_index766_sources``), for the
analysis to list as a data check; the ingest names each disagreement on its console.

Units keep their identity across snapshots through the registry (data/units/): the portal's
``departmentCode`` is matched with ``portal_code`` first, then the name (without the portal's
"- tỉnh Gia Lai" suffix) through UnitRegistry.resolve. An unknown unit is an error that names
the file and record, never a dropped row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.errors import InputError, Location, Problem, fail
from helpers.paths import Workspace
from helpers.registry import UnitRegistry
from helpers.atomic import write_atomic
from helpers.ingest.index766.hand_csv import read_hand_csv
from helpers.ingest.index766.portal_json import read_portal_json
from helpers.rules766 import Index766Rules
from helpers.tidy766 import conform766
from helpers.ingest.index766.assemble import Assembly, frame766
from helpers.ingest.index766.ordered import parquet766, sorted766
from helpers.ingest.index766.sources import SourceDisagreement

FOLDER = "766"
JSON_SUFFIXES = (".json",)
CSV_SUFFIXES = (".csv", ".tsv")
PROCESSED_NAME = "snapshots.parquet"
# A column of the processed file only when sources disagree: true on a source's own row of a
# figure its snapshot's sources give differently (the table's row for it is the one kept).
DISAGREEING = "disagreeing_source"
# The names of the files left out, in the processed file's metadata: the report says its page
# was made without them (the manifest does not record such a folder, so it is always current).
LEFT_OUT_KEY = b"left_out"


@dataclass(frozen=True)
class IngestedIndex766:
    """What one province's ingest wrote (not the table itself: a country's year of daily
    captures held for every province would not fit in memory; load_index766 reads it)."""

    province: str
    snapshots: int
    units: int
    rows: int
    output: Path
    left_out: tuple[Problem, ...] = ()  # the problems of the files that could not be read (and were left out)
    disagreements: tuple[SourceDisagreement, ...] = ()


@dataclass
class ProvinceRead:
    """A province's files as read: the table (not yet in order), the files left out, the
    sources that disagree."""

    table: pa.Table
    disagreeing: pa.Table  # every source's own row of a figure its snapshot's sources disagree on
    left_out: dict[str, list[Problem]] = field(default_factory=dict)  # file → its problems
    disagreements: list[SourceDisagreement] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [problem for found in self.left_out.values() for problem in found]


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


def read_province(workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, province: str) -> pd.DataFrame:
    """Every raw 766 file of a province as one tidy table; InputError listing every problem of
    every file when any file cannot be read (the ingest leaves such a file out instead)."""
    return frame766(read_province_table(workspace, rules, registry, catalogue, province))


def read_province_table(workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, province: str) -> pa.Table:
    """read_province's table in Arrow, its texts dictionary-encoded (assemble._TABLE_SCHEMA)."""
    read = _read_assembled(workspace, rules, registry, catalogue, province)
    if read.left_out:
        raise InputError(read.problems, _headline(province))
    table = read.table
    del read
    return sorted766(table, rules, catalogue)  # no other reference: the sort lets each column go


def _headline(province: str) -> str:
    return f"Could not ingest the 766 index of {province}"


def _read_assembled(workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, province: str) -> ProvinceRead:
    """Every raw 766 file of a province as one table, not yet in order, and the files left out;
    InputError when no file can be read."""
    folder = raw_folder(workspace, province)
    if not registry.has_province(province):
        raise fail(Location(workspace.display(folder)), "a province listed in data/units/provinces.csv", repr(province))
    files = raw_files(workspace, province)
    if not files:
        raise fail(Location(workspace.display(folder)), "at least one .json or .csv file of the 766 index", "none")
    provinces_by_code = {code: name for code, name in zip(registry.provinces["portal_code"], registry.provinces["province"]) if code}
    assembly = Assembly(registry, province)
    left_out: dict[str, list[Problem]] = {}
    for path in files:
        display = workspace.display(path)
        try:
            if path.suffix.lower() in JSON_SUFFIXES:
                found, problems, rows = read_portal_json(path, display, rules, provinces_by_code)
            else:
                (found, problems), rows = read_hand_csv(path, display, rules, province, set(catalogue.levels)), None
        except InputError as error:
            left_out[display] = error.problems
            continue
        # Another province's row of the national table: that province's folder reads it.
        kept = [not (unit.peer and unit.province != province) for unit in found]
        units = [unit for unit, keep in zip(found, kept) if keep]
        for unit in units:
            if unit.province != province:
                problems.append(Problem(unit.location, f"data of {province} (the folder this file is in)", f"data of {unit.province}"))
        problems = problems or assembly.add(units, rows.only(kept) if rows is not None else None)  # a file with a problem adds nothing
        if problems:
            left_out[display] = problems
    if len(left_out) == len(files):
        raise InputError([problem for found in left_out.values() for problem in found], _headline(province))  # nothing to write
    return ProvinceRead(assembly.table(), assembly.disagreeing, left_out, assembly.disagreements)


def ingest_province(workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, province: str) -> IngestedIndex766:
    read = _read_assembled(workspace, rules, registry, catalogue, province)
    table = read.table
    # Written from the Arrow table as it is (texts dictionary-encoded: load_index766 conforms
    # them), in order one row group at a time, never copied into a frame or sorted as a whole
    # first: with a year of daily captures the copies were what took the ingest past 1 GiB.
    # Sources' own rows of figures they disagree on follow, flagged DISAGREEING.
    output = processed_path(workspace, province)
    flagged = (DISAGREEING, read.disagreeing) if read.disagreeing.num_rows else None
    metadata = {LEFT_OUT_KEY: json.dumps([Path(name).name for name in read.left_out], ensure_ascii=False).encode()} if read.left_out else None
    write_atomic(output, parquet766(table, rules, catalogue, flagged, metadata))
    snapshots = table.group_by(["period_kind", "period", "snapshot_date"]).aggregate([]).num_rows
    units = pc.count_distinct(table.filter(pc.not_equal(table.column("level").cast(pa.string()), WHOLE_PROVINCE)).column("unit_id").cast(pa.string())).as_py()
    return IngestedIndex766(province, snapshots, int(units), table.num_rows, output, tuple(read.problems), tuple(read.disagreements))


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
        progress(f"[{index}/{len(chosen)}] {province} 766: {ingested.snapshots} snapshot(s), {ingested.units} units, {ingested.rows} rows → {workspace.display(ingested.output)}")
        for line in notes(ingested):
            progress(line)
    return done, failed


def notes(ingested: IngestedIndex766) -> list[str]:
    """What the console says of a province ingested with files left out or sources that disagree."""
    lines = []
    if ingested.left_out:
        files = failed_files(ingested)
        lines.append(f"{ingested.province} 766: FAILED: {len(files)} file(s) left out, the others ingested ({len(ingested.left_out)} problem(s)):")
        lines += _listed(ingested.left_out)
    if ingested.disagreements:
        lines.append(
            f"{ingested.province} 766: {len(ingested.disagreements)} warning(s): sources of one snapshot disagree; "
            "each source's figure is kept and the 766 report lists them under its data checks:"
        )
        lines += _listed(ingested.disagreements)
    return lines


def _listed(items: tuple[object, ...], shown: int = 25) -> list[str]:
    """One line per item, the first ``shown`` of them (as InputError lists problems)."""
    lines = [f"  - {item}" for item in items[:shown]]
    return lines + ([f"  ... and {len(items) - shown} more"] if len(items) > shown else [])


def failed_files(ingested: IngestedIndex766) -> list[str]:
    """The names of the files left out, in order."""
    return list(dict.fromkeys(problem.location.file for problem in ingested.left_out))


def load_index766(workspace: Workspace, province: str) -> pd.DataFrame:
    """The processed 766 table of a province; a ValueError in one sentence when there is none."""
    return load_index766_sources(workspace, province)[0]


def left_out_files(workspace: Workspace, province: str) -> list[str]:
    """The names of the raw files the last ingest of the province could not read and left out."""
    metadata = pq.read_schema(processed_path(workspace, province)).metadata or {}
    return list(json.loads(metadata[LEFT_OUT_KEY])) if LEFT_OUT_KEY in metadata else []


def load_index766_sources(workspace: Workspace, province: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The processed 766 table of a province, and every source's own row of a figure the sources
    of its snapshot disagree on (empty when they agree)."""
    path = processed_path(workspace, province)
    if not path.is_file():
        raise ValueError(f"no processed 766 data for province {province!r} in {workspace.display(path.parent)}; run `python -m helpers index766` first")
    frame = pd.read_parquet(path)
    if DISAGREEING not in frame.columns:
        return conform766(frame), conform766(frame.iloc[:0])
    disagreeing = frame[DISAGREEING].to_numpy(dtype=bool)
    return conform766(frame[~disagreeing]), conform766(frame[disagreeing])
