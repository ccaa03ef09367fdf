"""A province's units, read file by file, as one tidy 766 table.

Each file's units are matched to the registry and turned into columns as soon as the file is
read (``Assembly.add``), so a year of daily captures never holds more than one file's rows as
Python dictionaries. A unit appears once per snapshot in each kind of file; where the same row
comes from several sources (the province overview repeated in every list of a day, a unit's
figures in its list and its detail, an analyst's added national rank) the rows are merged and
a figure they disagree on is an error, as before: only units given by more than one source of
a snapshot are compared, row by row.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.errors import Location, Problem
from helpers.registry import Unit, UnitRegistry
from helpers.rules766 import Index766Rules
from helpers.text import normalize_text
from helpers.tidy766 import INDEX766_SCHEMA, MEASURES, SNAPSHOT_KEYS, conform766
from helpers.ingest.index766.sources import PROVENANCE_FIELDS, ROW_FIELDS, SourceUnit

_IDENTITY = ("province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "portal_code")
_FIELDS = (*ROW_FIELDS, *PROVENANCE_FIELDS)
_SOURCE = "_source"  # the number of the (snapshot, unit) a row belongs to, while assembling
_ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64()}
_ROW_SCHEMA = pa.schema([(field, _ARROW_TYPES[INDEX766_SCHEMA[field]]) for field in _FIELDS])
_PLAIN_SCHEMA = pa.schema([(column, _ARROW_TYPES[dtype]) for column, dtype in INDEX766_SCHEMA.items()])
# Texts are kept dictionary-encoded (a year of daily captures repeats a few hundred names and
# codes on millions of rows); only where each row differs, plainly.
_UNIQUE_TEXTS = ("source_record",)
_TABLE_SCHEMA = pa.schema([
    (field.name, pa.dictionary(pa.int32(), pa.string()) if field.type == pa.string() and field.name not in _UNIQUE_TEXTS else field.type)
    for field in _PLAIN_SCHEMA
])
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

    def add(self, units: list[SourceUnit]) -> None:
        """One file's units: matched to the registry, their rows kept as an Arrow table (compact;
        made in C from the rows, where a frame of Python lists took most of the ingest's time)."""
        identity: dict[str, list[object]] = {column: [] for column in (*_IDENTITY, _SOURCE)}
        rows: list[dict[str, object]] = []
        for source in units:
            matched = _identity(source, self.registry, self.by_code, self.problems)
            if matched is None:
                continue
            unit_id, level, name, portal_code = matched
            if not source.is_province:
                key = (source.snapshot, unit_id, source.shape)
                if key in self.first_source:
                    self.problems.append(Problem(
                        source.location, f"each unit once per snapshot ({source.snapshot.label('en')})", f"{name!r} again (first at {self.first_source[key]})",
                    ))
                    continue
                self.first_source[key] = source.location
            number = self.sources.setdefault((source.snapshot, unit_id), len(self.sources))
            if number == len(self.given):
                self.given.append(0)
            self.given[number] += 1
            snapshot, count = source.snapshot, len(source.rows)
            for column, value in zip(
                (*_IDENTITY, _SOURCE),
                (self.province, snapshot.period_kind, snapshot.period, snapshot.snapshot_date, level, unit_id, name, portal_code, number),
            ):
                identity[column].extend([value] * count)
            rows.extend(source.rows)
        if not rows:
            return
        try:
            table = pa.Table.from_pylist(rows, schema=_ROW_SCHEMA)
        except (pa.ArrowException, OverflowError, TypeError):
            # A value Arrow will not take as its column's type (a hand-typed figure): each
            # column through pandas, which says what it cannot convert.
            table = pa.table({field: pd.array([row.get(field) for row in rows], dtype=INDEX766_SCHEMA[field]) for field in _FIELDS}, schema=_ROW_SCHEMA)
        for column in _IDENTITY:
            table = table.append_column(column, pa.array(identity[column], pa.string()))
        self.chunks.append(_encoded(table.select(list(INDEX766_SCHEMA))))
        self.numbers.append(np.asarray(identity[_SOURCE], dtype=np.int64))

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


def sorted766(table: pa.Table, rules: Index766Rules, catalogue: Catalogue) -> pa.Table:
    """Snapshot, level (province first), unit name, measure, group and sub-indicator in the rules'
    order, then the code; a stable sort of the assembled table, done once."""
    orders = {
        "level": [WHOLE_PROVINCE, *catalogue.levels], "measure": list(MEASURES), "group": list(rules.groups), "indicator": list(rules.rules),
    }
    keys = [_codes(table.column(column)) for column in SNAPSHOT_KEYS]
    keys.append(_ranked(table.column("level"), orders["level"]))
    keys.append(_codes(table.column("unit_name")))
    keys += [_ranked(table.column(column), orders[column]) for column in ("measure", "group", "indicator")]
    keys.append(_codes(table.column("indicator")))
    order = np.lexsort(keys[::-1])
    if np.array_equal(order, np.arange(len(order))):
        return table
    # Column by column, each original let go as its reordered copy is made (the caller passes
    # the only reference): the table is never held twice.
    schema, columns, taken = table.schema, table.columns, pa.array(order)
    del table
    for index in range(len(columns)):
        columns[index] = columns[index].take(taken)
    return pa.Table.from_arrays(columns, schema=schema)


def _categories(values: pa.ChunkedArray) -> tuple[np.ndarray, list[object]]:
    """A text column's codes (-1 where missing) and its distinct values."""
    categorical = pd.Categorical(values.to_pandas()) if not pa.types.is_dictionary(values.type) else values.to_pandas().array
    return np.asarray(categorical.codes, dtype=np.int64), list(categorical.categories)


def _codes(values: pa.ChunkedArray) -> np.ndarray:
    """Each value's place in sorted order; a missing value first."""
    codes, distinct = _categories(values)
    place = np.empty(len(distinct) + 1, dtype=np.int64)
    place[np.argsort(np.array(distinct, dtype=object), kind="stable")] = np.arange(len(distinct))
    place[-1] = -1
    return place[codes]


def _ranked(values: pa.ChunkedArray, order: list[str]) -> np.ndarray:
    """Each value's place in ``order``; values outside it (and missing ones) after it."""
    codes, distinct = _categories(values)
    place = {name: rank for rank, name in enumerate(order)}
    return np.array([place.get(str(name), len(order)) for name in distinct] + [len(order)], dtype=np.int64)[codes]
