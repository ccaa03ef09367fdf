"""The unit registry (data/units/): provinces, units with level and parent, aliases, abbreviations.

A unit keeps its ``unit_id`` across renames: a new name is an alias, or a new validity range.
Names are matched ignoring case, Unicode form, spacing and listed abbreviations, only within
the same province and level; anything else is reported, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from helpers.datafiles import read_data_csv
from helpers.errors import InputError, Location, Problem, fail
from helpers.periods import period_bounds
from helpers.text import fold_diacritics, name_key, normalize_text

UNIT_COLUMNS = ["unit_id", "province", "level", "name_vi", "parent_id", "valid_from", "valid_to", "portal_code"]
PROVINCE_COLUMNS = ["province", "name_vi", "name_en", "synthetic", "valid_from", "valid_to", "successor", "portal_code"]


@dataclass(frozen=True)
class Unit:
    unit_id: str
    province: str
    level: str
    name_vi: str
    parent_id: str
    valid_from: str
    valid_to: str
    portal_code: str

    def active_in(self, period: str) -> bool:
        start, end = period_bounds(period)
        return (not self.valid_from or _day(self.valid_from) <= end) and (not self.valid_to or _day(self.valid_to) >= start)


@cache  # a few distinct validity dates, read for every unit row the ingest resolves
def _day(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


class UnitRegistry:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.provinces = read_data_csv(directory / "provinces.csv", ["province", "name_vi"], optional=PROVINCE_COLUMNS)
        units = read_data_csv(directory / "units.csv", ["unit_id", "province", "level", "name_vi"], optional=UNIT_COLUMNS)
        aliases_path = directory / "aliases.csv"
        aliases = read_data_csv(aliases_path, ["unit_id", "alias"]) if aliases_path.is_file() else pd.DataFrame(columns=["unit_id", "alias"])
        abbreviations_path = directory / "abbreviations.csv"
        abbreviations = (
            read_data_csv(abbreviations_path, ["short", "long"]) if abbreviations_path.is_file() else pd.DataFrame(columns=["short", "long"])
        )
        self.abbreviations = {normalize_text(short): normalize_text(long) for short, long in zip(abbreviations["short"], abbreviations["long"])}
        self._check_units(directory / "units.csv", units)
        # Plain column lists, not itertuples: a national registry has tens of thousands of units.
        self.units: dict[str, Unit] = {values[0]: Unit(*values) for values in zip(*(units[column].tolist() for column in UNIT_COLUMNS))}
        self._of_province: dict[str, list[Unit]] = defaultdict(list)
        for unit in self.units.values():
            self._of_province[unit.province].append(unit)
        self._keys: dict[str, str] = {}
        self._index: dict[tuple[str, str, str], set[str]] = defaultdict(set)
        self._names: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
        for unit in self.units.values():
            self._add_name(unit.unit_id, unit.name_vi)
        problems = []
        for line, unit_id, alias in zip(aliases.index, aliases["unit_id"], aliases["alias"]):
            if unit_id not in self.units:
                problems.append(Problem(Location(str(aliases_path), row=int(line), column="A"), "a unit_id of units.csv", repr(unit_id)))
            else:
                self._add_name(unit_id, alias)
        if problems:
            raise InputError(problems, "aliases.csv names units that do not exist")
        self._check_ambiguous_names()

    def _check_units(self, path: Path, units: pd.DataFrame) -> None:
        problems = []
        duplicated = units["unit_id"].duplicated(keep="first")
        for line in units.index[duplicated]:  # the index is each row's line in the file
            problems.append(Problem(Location(str(path), row=int(line), column="A"), "each unit_id once", repr(units.at[line, "unit_id"])))
        known_provinces = set(self.provinces["province"])
        known_units = set(units["unit_id"])
        # Plain lists, not iterrows: a national registry (3,900 units) is loaded by every report.
        columns = [units[column].tolist() for column in ("province", "parent_id", "valid_from", "valid_to")]
        for line, province, parent_id, valid_from, valid_to in zip(units.index, *columns):
            location = Location(str(path), row=int(line))
            if province not in known_provinces:
                problems.append(Problem(location, "a province of provinces.csv", repr(province)))
            if parent_id and parent_id not in known_units:
                problems.append(Problem(location, "a parent_id that is a unit_id of units.csv", repr(parent_id)))
            for column, value in (("valid_from", valid_from), ("valid_to", valid_to)):
                if value:
                    try:
                        _day(value)
                    except ValueError:
                        problems.append(Problem(location, f"{column} as YYYY-MM-DD or blank", repr(value)))
        if problems:
            raise InputError(problems, "units.csv cannot be used")

    def name_key(self, name: str) -> str:
        """``name``'s key (helpers.text.name_key with the registry's abbreviations), each name's
        worked out once: the names an ingest reads are mostly the registry's own, month after month."""
        key = self._keys.get(name)
        if key is None:
            key = self._keys[name] = name_key(name, self.abbreviations)
        return key

    def _add_name(self, unit_id: str, name: str) -> None:
        unit = self.units[unit_id]
        key = self.name_key(name)
        self._index[(unit.province, unit.level, key)].add(unit_id)
        self._names[(unit.province, unit.level)].setdefault(key, name)

    def _check_ambiguous_names(self) -> None:
        problems = []
        for (province, level, key), unit_ids in self._index.items():
            units = sorted(unit_ids)
            for index, first in enumerate(units):
                for second in units[index + 1 :]:
                    if _overlap(self.units[first], self.units[second]):
                        problems.append(
                            Problem(
                                Location(str(self.directory / "units.csv")),
                                f"names that tell units of {province}/{level} apart",
                                f"{first} and {second} both answer to {key!r}",
                            )
                        )
        if problems:
            raise InputError(problems, "the unit registry has ambiguous names")

    # -- queries -------------------------------------------------------------------------------
    def province_name(self, province: str) -> str:
        match = self.provinces.loc[self.provinces["province"] == province, "name_vi"]
        return match.iloc[0] if len(match) else province

    def is_synthetic(self, province: str) -> bool:
        match = self.provinces.loc[self.provinces["province"] == province, "synthetic"]
        return bool(len(match)) and match.iloc[0].lower() in {"true", "1", "yes", "có"}

    def has_province(self, province: str) -> bool:
        return province in set(self.provinces["province"])

    def resolve(self, name: str, province: str, level: str, period: str) -> str | None:
        """The unit_id that ``name`` denotes in that province, level and month, or None."""
        candidates = self._index.get((province, level, self.name_key(name)), set())
        active = [unit_id for unit_id in candidates if self.units[unit_id].active_in(period)]
        return active[0] if len(active) == 1 else None

    def suggestions(self, name: str, province: str, level: str, limit: int = 3) -> list[str]:
        """Registry names that look like ``name``, for "did you mean" in error messages."""
        from rapidfuzz import fuzz, process  # only the ingest's messages need it: every report loads the registry

        names = self._names.get((province, level), {})
        folded = {fold_diacritics(key): written for key, written in names.items()}
        matches = process.extract(
            fold_diacritics(self.name_key(name)), list(folded), scorer=fuzz.ratio, limit=limit, score_cutoff=75
        )
        return list(dict.fromkeys(folded[key] for key, _score, _index in matches))

    def units_of(self, province: str, period: str, level: str | None = None) -> list[Unit]:
        return [unit for unit in self._of_province.get(province, []) if (level is None or unit.level == level) and unit.active_in(period)]

    def levels_of(self, province: str, period: str) -> list[str]:
        return sorted({unit.level for unit in self.units_of(province, period)})

    def name_of(self, unit_id: str) -> str:
        return self.units[unit_id].name_vi

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([unit.__dict__ for unit in self.units.values()], columns=UNIT_COLUMNS)


def _overlap(first: Unit, second: Unit) -> bool:
    start = max(first.valid_from or "0000", second.valid_from or "0000")
    end = min(first.valid_to or "9999", second.valid_to or "9999")
    return start <= end


def load_registry(directory: Path) -> UnitRegistry:
    if not (directory / "units.csv").is_file():
        raise fail(Location(str(directory / "units.csv")), "the unit registry (units.csv, provinces.csv)", "no such file")
    return UnitRegistry(directory)
