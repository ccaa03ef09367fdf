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

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.errors import Location, Problem
from helpers.registry import Unit, UnitRegistry
from helpers.rules766 import Index766Rules
from helpers.text import normalize_text
from helpers.tidy766 import INDEX766_SCHEMA, MEASURES, SNAPSHOT_KEYS, conform766
from helpers.ingest.index766.sources import PROVENANCE_FIELDS, ROW_FIELDS, SourceUnit

_IDENTITY = ("province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "portal_code")
_FIELDS = (*ROW_FIELDS, *PROVENANCE_FIELDS)
# Texts repeated on many rows, shared rather than kept once per row.
_SHARED_TEXTS = ("indicator_name", "source_field", "source_note", "group", "indicator", "measure")
_SOURCE = "_source"  # the number of the (snapshot, unit) a row belongs to, while assembling


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
        self.first_source: dict[tuple[object, ...], SourceUnit] = {}
        self.sources: dict[tuple[object, str], int] = {}  # (snapshot, unit_id) → its number
        self.given: list[int] = []  # per number: how many sources give that unit in that snapshot
        self.chunks: list[pd.DataFrame] = []
        self.texts: dict[str, str] = {}

    def add(self, units: list[SourceUnit]) -> None:
        columns: dict[str, list[object]] = {column: [] for column in (*_IDENTITY, *_FIELDS, _SOURCE)}
        for source in units:
            identity = _identity(source, self.registry, self.by_code, self.problems)
            if identity is None:
                continue
            unit_id, level, name, portal_code = identity
            if not source.is_province:
                key = (source.snapshot, unit_id, source.shape)
                if key in self.first_source:
                    first = self.first_source[key]
                    self.problems.append(Problem(
                        source.location, f"each unit once per snapshot ({source.snapshot.label('en')})", f"{name!r} again (first at {first.location})",
                    ))
                    continue
                self.first_source[key] = source
            number = self.sources.setdefault((source.snapshot, unit_id), len(self.sources))
            if number == len(self.given):
                self.given.append(0)
            self.given[number] += 1
            rows, count = source.rows, len(source.rows)
            snapshot = source.snapshot
            for column, value in zip(
                (*_IDENTITY, _SOURCE),
                (self.province, snapshot.period_kind, snapshot.period, snapshot.snapshot_date, level, unit_id, name, portal_code, number),
            ):
                columns[column].extend([value] * count)
            for field in _FIELDS:
                values = [row.get(field) for row in rows]
                if field in _SHARED_TEXTS:
                    values = [self.texts.setdefault(value, value) if isinstance(value, str) else value for value in values]
                columns[field].extend(values)
        if columns[_SOURCE]:
            # Each column made in its dtype at once: a frame of Python lists, then conformed, took
            # two passes and most of the assembly's time.
            typed = {column: pd.array(columns[column], dtype=dtype) for column, dtype in INDEX766_SCHEMA.items()}
            self.chunks.append(pd.DataFrame({**typed, _SOURCE: np.asarray(columns[_SOURCE], dtype=np.int64)}))

    def frame(self) -> pd.DataFrame:
        """Every row added, those of a unit given by several sources of a snapshot merged."""
        if not self.chunks:
            return conform766(pd.DataFrame(columns=list(INDEX766_SCHEMA)))
        frame = pd.concat(self.chunks, ignore_index=True)
        self.chunks = []
        several = (np.asarray(self.given) > 1)[frame[_SOURCE].to_numpy()]
        if several.any():
            merged = _merged(frame[several], self.problems)
            frame = pd.concat([frame[~several], merged], ignore_index=True)
        return frame.drop(columns=_SOURCE)


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


def sorted766(frame: pd.DataFrame, rules: Index766Rules, catalogue: Catalogue) -> pd.DataFrame:
    """Snapshot, level (province first), unit name, measure, group and sub-indicator in the rules'
    order; a stable sort, one reordering of the table (no sorted copy of every column per key)."""
    frame = conform766(frame)
    orders = {
        "level": [WHOLE_PROVINCE, *catalogue.levels], "measure": list(MEASURES), "group": list(rules.groups), "indicator": list(rules.rules),
    }
    keys = [_codes(frame[column]) for column in SNAPSHOT_KEYS]
    keys.append(_ranked(frame["level"], orders["level"]))
    keys.append(_codes(frame["unit_name"]))
    keys += [_ranked(frame[column], orders[column]) for column in ("measure", "group", "indicator")]
    keys.append(_codes(frame["indicator"]))
    order = np.lexsort(keys[::-1])
    if np.array_equal(order, np.arange(len(order))):
        return frame
    return frame.take(order).reset_index(drop=True)


def _codes(values: pd.Series) -> np.ndarray:
    """Each value's place in sorted order; a missing value first."""
    codes, _ = pd.factorize(values, sort=True)
    return codes


def _ranked(values: pd.Series, order: list[str]) -> np.ndarray:
    """Each value's place in ``order``; values outside it (and missing ones) after it."""
    codes, distinct = pd.factorize(values)
    place = {name: rank for rank, name in enumerate(order)}
    return np.array([place.get(str(name), len(order)) for name in distinct] + [len(order)], dtype=np.int64)[codes]
