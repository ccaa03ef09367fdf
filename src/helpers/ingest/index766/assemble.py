"""A province's units, read file by file, as one tidy 766 table.

Each file's units are matched to the registry and turned into columns as soon as the file is
read (``Assembly.add``; a unit detail read as columns comes as columns already), so a year of
daily captures never holds more than one file's rows as Python objects; every 32 files' tables
become one (helpers.ingest.index766.ordered puts the table in order and writes it).

A unit appears once per snapshot in each kind of file; where the same row comes from several sources (the province overview repeated in every list of a day, a unit's
figures in its list and its detail, an analyst's added national rank) the rows are merged and
a figure they disagree on is an error, as before: only units given by more than one source of
a snapshot are compared, row by row.
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
from helpers.ingest.index766.sources import PROVENANCE_FIELDS, ROW_FIELDS, FileRows, SourceUnit

_IDENTITY = ("province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "portal_code")
_FIELDS = (*ROW_FIELDS, *PROVENANCE_FIELDS)
_SOURCE = "_source"  # the number of the (snapshot, unit) a row belongs to, while assembling
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
        self.problems: list[Problem] = []  # units the registry does not know, a unit twice, sources that disagree
        self.by_code = {unit.portal_code: unit for unit in registry.units.values() if unit.province == province and unit.portal_code}
        self.first_source: dict[tuple[object, ...], Location] = {}  # where each unit was first met (not the unit: its rows would stay in memory)
        self.sources: dict[tuple[object, str], int] = {}  # (snapshot, unit_id) → its number
        self.given: list[int] = []  # per number: how many sources give that unit in that snapshot
        self.chunks: list[pa.Table] = []
        self.numbers: list[np.ndarray] = []  # per chunk, each row's (snapshot, unit) number
        self.compacted = 0  # chunks before this one are blocks of COMPACT_EVERY files

    def add(self, units: list[SourceUnit], read: FileRows | None = None) -> None:
        """One file's units, matched to the registry; their rows (``read``, or each unit's
        ``rows``) kept as an Arrow table, compact, its texts dictionary-encoded."""
        counts = read.counts if read is not None else [len(source.rows) for source in units]
        kept: list[bool] = []
        identities: list[tuple[object, ...]] = []  # per unit kept that has rows: _IDENTITY and its number
        for source, count in zip(units, counts):
            matched = _identity(source, self.registry, self.by_code, self.problems)
            kept.append(matched is not None)
            if matched is None:
                continue
            unit_id, level, name, portal_code = matched
            if not source.is_province:
                key = (source.snapshot, unit_id, source.shape)
                if key in self.first_source:
                    self.problems.append(Problem(
                        source.location, f"each unit once per snapshot ({source.snapshot.label('en')})", f"{name!r} again (first at {self.first_source[key]})",
                    ))
                    kept[-1] = False
                    continue
                self.first_source[key] = source.location
            number = self.sources.setdefault((source.snapshot, unit_id), len(self.sources))
            if number == len(self.given):
                self.given.append(0)
            self.given[number] += 1
            snapshot = source.snapshot
            if count:
                identities.append((self.province, snapshot.period_kind, snapshot.period, snapshot.snapshot_date, level, unit_id, name, portal_code, number, count))
        if not identities:
            return
        if read is None:
            table = _row_table([row for source, keep in zip(units, kept) if keep for row in source.rows])
        else:
            table = read.only(kept).table
            table = pa.table({field.name: table.column(field.name) if field.name in table.column_names else pa.nulls(len(table), field.type)
                              for field in _ROW_SCHEMA}, schema=_ROW_SCHEMA)
        repeats = np.array([identity[-1] for identity in identities], dtype=np.int64)
        for place, column in enumerate(_IDENTITY):
            table = table.append_column(column, _repeated([identity[place] for identity in identities], repeats))
        self.chunks.append(_encoded(table.select(list(INDEX766_SCHEMA))))
        self.numbers.append(np.repeat(np.array([identity[-2] for identity in identities], dtype=np.int64), repeats))
        if len(self.chunks) - self.compacted >= COMPACT_EVERY:
            # Many files' small tables as one: thousands of small buffers, each kept among the
            # reading's passing ones, held far more memory than their rows.
            start = self.compacted
            self.chunks[start:] = [pa.concat_tables(self.chunks[start:]).unify_dictionaries().combine_chunks()]
            self.numbers[start:] = [np.concatenate(self.numbers[start:])]
            self.compacted = len(self.chunks)

    def table(self) -> pa.Table:
        """Every row added (``_TABLE_SCHEMA``), those of a unit given by several sources of a snapshot merged."""
        if not self.chunks:
            return _encoded(_PLAIN_SCHEMA.empty_table())
        table = pa.concat_tables(self.chunks)
        numbers = np.concatenate(self.numbers)
        self.chunks, self.numbers = [], []
        # One dictionary per column for all the files (each file's own ones, unified): reordering
        # and writing the table then never decode a text.
        table = table.unify_dictionaries()
        several = (np.asarray(self.given) > 1)[numbers]
        if not several.any():
            return table
        rows = frame766(table.filter(pa.array(several))).assign(**{_SOURCE: numbers[several]})
        merged = _merged(rows, self.problems).drop(columns=_SOURCE)
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


def _merged(rows: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Rows of units given by several sources: one row per (unit, measure, group, indicator), the
    first source's figures completed by the others', a figure two sources disagree on a problem."""
    kept: dict[tuple[object, ...], dict[str, object]] = {}
    for record in rows.astype(object).where(rows.notna(), None).to_dict("records"):
        key = (record[_SOURCE], record["measure"], record["group"], record["indicator"])
        if key in kept:
            _merge_row(kept[key], record, "the province" if record["level"] == WHOLE_PROVINCE else "the unit", problems)
        else:
            kept[key] = record
    return conform766(pd.DataFrame(list(kept.values()))).assign(**{_SOURCE: [record[_SOURCE] for record in kept.values()]})


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
