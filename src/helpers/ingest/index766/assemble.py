"""A province's units, read file by file, as one tidy 766 table.

Each file's units are matched to the registry and turned into columns as soon as the file is
read (``Assembly.add``; a unit detail read as columns comes as columns already), so a year of
daily captures never holds more than one file's rows as Python objects; every 32 files' tables
become one (helpers.ingest.index766.ordered puts the table in order and writes it).

A unit appears once per snapshot in each kind of file (a unit twice, or one the registry does
not know, is a problem of its file, and a file with a problem adds nothing); where the same row
comes from several sources (the province overview repeated in every list of a day, a unit's
figures in its list and its detail, an analyst's added national rank) the rows are merged: only
units given by more than one source of a snapshot are compared, row by row.

Sources of a snapshot that disagree on a figure (two crawl moments of one day: the 34-province
table gives Gia Lai 65.22 on 02/10/2026, the unit lists' overview 65.47) are no refusal. The
row kept takes each figure from the source it belongs to: the province's own page (its
overview, its reply, its block, a hand CSV) for its points and counts, since those are what
the province publishes of itself and what its units add up to; the table of every province
for its rank and rank base, since a rank among the 34 provinces exists only in that table
(a province page's rank is a copy of it). Units' sources keep the first file's figure in name
order. Every source's own row of a disagreeing figure is kept beside the table (``disagreeing``,
written flagged in the processed file) for the analysis to list as a data check, and each
disagreement is a ``SourceDisagreement`` for the ingest's console.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.catalogue import WHOLE_PROVINCE
from helpers.errors import Location, Problem
from helpers.registry import Unit, UnitRegistry
from helpers.text import normalize_text
from helpers.tidy766 import INDEX766_SCHEMA, conform766
from helpers.ingest.index766.sources import PROVENANCE_FIELDS, ROW_FIELDS, FileRows, SourceDisagreement, SourceUnit

_IDENTITY = ("province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "portal_code")
_FIELDS = (*ROW_FIELDS, *PROVENANCE_FIELDS)
_SOURCE = "_source"  # the number of the (snapshot, unit) a row belongs to, while assembling
_PEER = "_peer"  # whether a row is a province's row of the table of every province
# Figures of a province's row that the table of every province gives over its own page's.
RANKING_FIELDS = ("rank", "rank_base")
_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64()}
_ROW_SCHEMA = pa.schema([(field, _ARROW_TYPES[INDEX766_SCHEMA[field]]) for field in _FIELDS])
_PLAIN_SCHEMA = pa.schema([(column, _ARROW_TYPES[dtype]) for column, dtype in INDEX766_SCHEMA.items()])
# Texts are kept dictionary-encoded (a year of daily captures repeats a few hundred names and
# codes on millions of rows, and the places of records in the files of each day); written to
# Parquet so, but for the place of each record, plainly (STORED_SCHEMA).
_TABLE_SCHEMA = pa.schema([(field.name, pa.dictionary(pa.int32(), pa.string()) if field.type == pa.string() else field.type) for field in _PLAIN_SCHEMA])
_UNIQUE_TEXTS = ("source_record",)
STORED_SCHEMA = pa.schema([_PLAIN_SCHEMA.field(field.name) if field.name in _UNIQUE_TEXTS else field for field in _TABLE_SCHEMA])
COMPACT_EVERY = 32  # files
# Arrow types as the 766 frame's dtypes (texts stay in Arrow: pandas' string dtype).
NULLABLE = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.string(): pd.StringDtype()}


def strip_province_suffix(name: str, province_name: str) -> str:
    """``Sở Y tế - tỉnh Gia Lai`` / ``UBND xã Kông Bơ La - Gia Lai`` → the name without the province."""
    head, separator, tail = name.rpartition(" - ")
    short = normalize_text(province_name).removeprefix("tỉnh ").removeprefix("thành phố ")
    if separator and normalize_text(tail).endswith(short):
        return head.strip()
    return name.strip()


class Assembly:
    """The tidy rows of one province, added one file's units at a time."""

    def __init__(self, registry: UnitRegistry, province: str) -> None:
        self.registry, self.province = registry, province
        self.disagreements: list[SourceDisagreement] = []
        self.by_code = {unit.portal_code: unit for unit in registry.units.values() if unit.province == province and unit.portal_code}
        self.first_source: dict[tuple[object, ...], Location] = {}  # where each unit was first met (not the unit: its rows would stay in memory)
        self.sources: dict[tuple[object, str], int] = {}  # (snapshot, unit_id) → its number
        self.given: list[int] = []  # per number: how many sources give that unit in that snapshot
        self.chunks: list[pa.Table] = []
        self.numbers: list[np.ndarray] = []  # per chunk, each row's (snapshot, unit) number
        self.peers: list[np.ndarray] = []  # per chunk, whether each row is of the table of every province
        self.compacted = 0  # chunks before this one are blocks of COMPACT_EVERY files
        self.disagreeing = _encoded(_PLAIN_SCHEMA.empty_table())  # every source's row of a figure its sources disagree on

    def add(self, units: list[SourceUnit], read: FileRows | None = None) -> list[Problem]:
        """One file's units, matched to the registry; their rows (``read``, or each unit's
        ``rows``) kept as an Arrow table, compact, its texts dictionary-encoded. A unit the
        registry does not know or a unit twice is a problem of the file, and a file with a
        problem adds nothing (its problems are returned)."""
        counts = read.counts if read is not None else [len(source.rows) for source in units]
        problems: list[Problem] = []
        matched: list[tuple[str, str, str, str]] = []
        first_source: dict[tuple[object, ...], Location] = {}  # this file's
        for source in units:
            found = _identity(source, self.registry, self.by_code, problems)
            if found is None:
                continue
            if not source.is_province:
                key = (source.snapshot, found[0], source.shape)
                first = first_source.get(key) or self.first_source.get(key)
                if first is not None:
                    problems.append(Problem(
                        source.location, f"each unit once per snapshot ({source.snapshot.label('en')})", f"{found[2]!r} again (first at {first})",
                    ))
                    continue
                first_source[key] = source.location
            matched.append(found)
        if problems:
            return problems
        self.first_source.update(first_source)
        identities: list[tuple[object, ...]] = []  # per unit that has rows: _IDENTITY and its number
        peers: list[bool] = []
        for source, count, (unit_id, level, name, portal_code) in zip(units, counts, matched):
            number = self.sources.setdefault((source.snapshot, unit_id), len(self.sources))
            if number == len(self.given):
                self.given.append(0)
            self.given[number] += 1
            snapshot = source.snapshot
            if count:
                identities.append((self.province, snapshot.period_kind, snapshot.period, snapshot.snapshot_date, level, unit_id, name, portal_code, number, count))
                peers.append(source.peer)
        if not identities:
            return []
        if read is None:
            table = _row_table([row for source in units for row in source.rows])
        else:
            table = read.table
            table = pa.table({field.name: table.column(field.name) if field.name in table.column_names else pa.nulls(len(table), field.type)
                              for field in _ROW_SCHEMA}, schema=_ROW_SCHEMA)
        repeats = np.array([identity[-1] for identity in identities], dtype=np.int64)
        for place, column in enumerate(_IDENTITY):
            table = table.append_column(column, _repeated([identity[place] for identity in identities], repeats))
        self.chunks.append(_encoded(table.select(list(INDEX766_SCHEMA))))
        self.numbers.append(np.repeat(np.array([identity[-2] for identity in identities], dtype=np.int64), repeats))
        self.peers.append(np.repeat(np.array(peers, dtype=bool), repeats))
        if len(self.chunks) - self.compacted >= COMPACT_EVERY:
            # Many files' small tables as one: thousands of small buffers, each kept among the
            # reading's passing ones, held far more memory than their rows.
            start = self.compacted
            self.chunks[start:] = [pa.concat_tables(self.chunks[start:]).unify_dictionaries().combine_chunks()]
            self.numbers[start:] = [np.concatenate(self.numbers[start:])]
            self.peers[start:] = [np.concatenate(self.peers[start:])]
            self.compacted = len(self.chunks)
        return []

    def table(self) -> pa.Table:
        """Every row added (``_TABLE_SCHEMA``), those of a unit given by several sources of a
        snapshot merged; where they disagree, their own rows are left in ``disagreeing``."""
        if not self.chunks:
            return _encoded(_PLAIN_SCHEMA.empty_table())
        table = pa.concat_tables(self.chunks)
        numbers, peers = np.concatenate(self.numbers), np.concatenate(self.peers)
        self.chunks, self.numbers, self.peers = [], [], []
        # One dictionary per column for all the files (each file's own ones, unified): reordering
        # and writing the table then never decode a text.
        table = table.unify_dictionaries()
        several = (np.asarray(self.given) > 1)[numbers]
        if not several.any():
            return table
        rows = frame766(table.filter(pa.array(several))).assign(**{_SOURCE: numbers[several], _PEER: peers[several]})
        merged, disagreeing = _merged(rows, self.disagreements)
        self.disagreeing = _encoded(pa.Table.from_pandas(disagreeing, schema=_PLAIN_SCHEMA, preserve_index=False))
        merged = merged.drop(columns=_SOURCE)
        return pa.concat_tables([table.filter(pa.array(~several)), _encoded(pa.Table.from_pandas(merged, schema=_PLAIN_SCHEMA, preserve_index=False))]).unify_dictionaries()


def _row_table(rows: list[dict[str, object]]) -> pa.Table:
    """Rows made in C, where a frame of Python lists took most of the ingest's time."""
    try:
        return pa.Table.from_pylist(rows, schema=_ROW_SCHEMA)
    except (pa.ArrowException, OverflowError, TypeError):
        # A value Arrow will not take as its column's type (a hand-typed figure): each
        # column through pandas, which says what it cannot convert.
        return pa.table({field: pd.array([row.get(field) for row in rows], dtype=INDEX766_SCHEMA[field]) for field in _FIELDS}, schema=_ROW_SCHEMA)


def _repeated(values: list[object], repeats: np.ndarray) -> pa.DictionaryArray:
    """``values[i]`` ``repeats[i]`` times, dictionary-encoded (the dictionary in order of first use)."""
    encoded = pa.array(values, pa.string()).dictionary_encode()
    codes = np.repeat(encoded.indices.fill_null(-1).to_numpy(), repeats).astype(np.int32)
    missing = codes < 0
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=missing if missing.any() else None), encoded.dictionary)


def _encoded(table: pa.Table) -> pa.Table:
    return pa.table({field.name: table.column(field.name).cast(field.type) for field in _TABLE_SCHEMA}, schema=_TABLE_SCHEMA)


def frame766(table: pa.Table) -> pd.DataFrame:
    """An assembled table as a 766 frame in helpers.tidy766's dtypes."""
    return conform766(table.cast(_PLAIN_SCHEMA).to_pandas(types_mapper=NULLABLE.get))


def _merged(rows: pd.DataFrame, disagreements: list[SourceDisagreement]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows of units given by several sources: one row per (unit, measure, group, indicator), the
    first source's figures completed by the others' (the province's own sources first, the table
    of every province last but for its ranking), and every source's row of a key whose sources
    disagree on a figure."""
    by_key: dict[tuple[object, ...], list[dict[str, object]]] = {}
    ordered = rows.sort_values(_PEER, kind="stable")  # the table of every province last
    for record in ordered.astype(object).where(ordered.notna(), None).to_dict("records"):
        by_key.setdefault((record[_SOURCE], record["measure"], record["group"], record["indicator"]), []).append(record)
    kept, disagreeing = [], []
    for records in by_key.values():
        row = dict(records[0])
        for record in records[1:]:
            for field in ROW_FIELDS:
                value = record.get(field)
                if not _blank(value) and (_blank(row.get(field)) or (record[_PEER] and field in RANKING_FIELDS)):
                    row[field] = value
        found = [
            SourceDisagreement(_location(record), field, record[field], row[field], _location(next(other for other in records if other.get(field) == row[field])))
            for record in records for field in ROW_FIELDS if not _blank(record.get(field)) and record.get(field) != row.get(field)
        ]
        if found:
            disagreements.extend(found)
            disagreeing.extend(records)
        kept.append(row)
    sources = [record[_SOURCE] for record in kept]
    return conform766(pd.DataFrame(kept)).assign(**{_SOURCE: sources}), conform766(pd.DataFrame(disagreeing))


def _location(record: dict[str, object]) -> Location:
    return Location(str(record["source_file"]), record=str(record["source_record"]), field=str(record["source_field"]))


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
