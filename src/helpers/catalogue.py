"""The indicator catalogue, levels, targets, appendix header vocabulary and settings (data/catalogue/)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd

from helpers.datafiles import convert_column, read_data_csv
from helpers.errors import InputError, Location, Problem, fail
from helpers.frames import records
from helpers.messages import check_language, messages
from helpers.text import header_key

TIERS = ("central", "provincial")
DIRECTIONS = ("higher", "lower")
APPENDIX_DENOMINATORS = ("column", "received", "absent")
WHOLE_PROVINCE = "toan_tinh"


@dataclass(frozen=True)
class Indicator:
    id: str
    order: int
    name_vi: str
    short_vi: str
    name_en: str
    short_en: str
    numerator_vi: str
    denominator_vi: str
    numerator_en: str
    denominator_en: str
    direction: str
    appendix_denominator: str
    count_unit_vi: str
    count_unit_en: str

    def name(self, language: str = "vi") -> str:
        return in_language(self, "name", language)

    def short(self, language: str = "vi") -> str:
        return in_language(self, "short", language)

    def denominator(self, language: str = "vi") -> str:
        return in_language(self, "denominator", language)

    def count_unit(self, language: str = "vi") -> str:
        return in_language(self, "count_unit", language)

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


@dataclass(frozen=True)
class Level:
    id: str
    order: int
    name_vi: str
    name_en: str

    def name(self, language: str = "vi") -> str:
        return in_language(self, "name", language)


def in_language(record: object, field: str, language: str) -> str:
    """A catalogue text in ``language``: the column ``<field>_<language>`` of its CSV row."""
    return str(getattr(record, f"{field}_{check_language(language)}"))


@dataclass(frozen=True)
class HeaderVocabulary:
    """Normalised header text → what the column holds, for the appendix layout."""

    row_fields: dict[str, str]
    indicators: dict[str, str]
    fields: dict[str, str]
    known_texts: dict[str, list[str]]


def _percent_to_fraction(text: str) -> float:
    value = float(text.replace(",", "."))
    if not 0 <= value <= 1000:
        raise ValueError(text)
    return value / 100


class Catalogue:
    """Everything under catalogue/ that defines what is measured and against which targets."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.indicators = self._load_indicators(directory / "indicators.csv")
        self.levels = self._load_levels(directory / "levels.csv")
        self.targets = self._load_targets(directory / "targets.csv")
        self.headers = self._load_headers(directory / "appendix_headers.csv")
        self.settings = self._load_settings(directory / "settings.csv")

    # -- loading -----------------------------------------------------------------------------
    def _load_indicators(self, path: Path) -> dict[str, Indicator]:
        fields = list(Indicator.__dataclass_fields__)
        columns = ["indicator" if name == "id" else name for name in fields]
        frame = read_data_csv(path, columns)
        orders = convert_column(path, frame, "order", int, "a whole number")
        problems = []
        rows = records(frame)
        for line, row in zip(frame.index, rows):  # the index is each row's line in the file
            for column, allowed in (("direction", DIRECTIONS), ("appendix_denominator", APPENDIX_DENOMINATORS)):
                if row[column] not in allowed:
                    problems.append(
                        Problem(Location(str(path), row=int(line), column_header=column), " or ".join(allowed), repr(row[column]))
                    )
        if frame["indicator"].duplicated().any():
            duplicate = frame.loc[frame["indicator"].duplicated(), "indicator"].iloc[0]
            problems.append(Problem(Location(str(path), column_header="indicator"), "each indicator once", f"{duplicate!r} twice"))
        if problems:
            raise InputError(problems, f"{path.name} is not a valid indicator catalogue")
        indicators = [
            Indicator(**{name: row["indicator" if name == "id" else name] for name in fields if name != "order"}, order=order)
            for row, order in zip(rows, orders)
        ]
        return {indicator.id: indicator for indicator in sorted(indicators, key=lambda item: item.order)}

    def _load_levels(self, path: Path) -> dict[str, Level]:
        frame = read_data_csv(path, ["level", "order", "name_vi", "name_en"])
        orders = convert_column(path, frame, "order", int, "a whole number")
        levels = [Level(row["level"], order, row["name_vi"], row["name_en"]) for row, order in zip(records(frame), orders)]
        return {level.id: level for level in sorted(levels, key=lambda item: item.order)}

    def _load_targets(self, path: Path) -> pd.DataFrame:
        frame = read_data_csv(path, ["indicator", "year", "tier", "province", "level", "target_percent", "source_vi"])
        frame["year"] = convert_column(path, frame, "year", int, "a year such as 2024")
        frame["target"] = convert_column(path, frame, "target_percent", _percent_to_fraction, "a percentage such as 60 or 99,5")
        problems = []
        for line, row in zip(frame.index, records(frame)):
            location = Location(str(path), row=int(line))
            if row["indicator"] not in self.indicators:
                problems.append(Problem(location, "an indicator of indicators.csv", repr(row["indicator"])))
            if row["tier"] not in TIERS:
                problems.append(Problem(location, "tier central or provincial", repr(row["tier"])))
            if row["level"] and row["level"] not in self.levels:
                problems.append(Problem(location, "a level of levels.csv or blank", repr(row["level"])))
            if row["tier"] == "provincial" and not row["province"]:
                problems.append(Problem(location, "a province for a provincial target", "blank"))
        if problems:
            raise InputError(problems, f"{path.name} has targets that cannot be used")
        return frame.drop(columns="target_percent")

    def _load_headers(self, path: Path) -> HeaderVocabulary:
        frame = read_data_csv(path, ["kind", "header_vi", "maps_to"], optional=["note"])
        tables: dict[str, dict[str, str]] = {"row_field": {}, "indicator": {}, "field": {}}
        known: dict[str, list[str]] = {"row_field": [], "indicator": [], "field": []}
        for line, row in zip(frame.index, records(frame)):
            if row["kind"] not in tables:
                raise fail(Location(str(path), row=int(line), column_header="kind"), "row_field, indicator or field", repr(row["kind"]))
            if row["kind"] == "indicator" and row["maps_to"] not in self.indicators:
                raise fail(Location(str(path), row=int(line), column_header="maps_to"), "an indicator of indicators.csv", repr(row["maps_to"]))
            tables[row["kind"]][header_key(row["header_vi"])] = row["maps_to"]
            known[row["kind"]].append(row["header_vi"])
        return HeaderVocabulary(tables["row_field"], tables["indicator"], tables["field"], known)

    def _load_settings(self, path: Path) -> dict[str, float]:
        frame = read_data_csv(path, ["key", "value"], optional=["meaning"])
        values = convert_column(path, frame, "value", lambda text: float(text.replace(",", ".")), "a number")
        return dict(zip(frame["key"], values))

    # -- lookups -----------------------------------------------------------------------------
    def indicator(self, indicator_id: str) -> Indicator:
        return self.indicators[indicator_id]

    def setting(self, key: str) -> float:
        if key not in self.settings:
            raise KeyError(f"setting {key!r} is missing from {self.directory / 'settings.csv'}")
        return self.settings[key]

    @cached_property
    def level_names_vi(self) -> dict[str, str]:
        return {level.id: level.name_vi for level in self.levels.values()}

    def level_name(self, level_id: str, language: str = "vi") -> str:
        if level_id == WHOLE_PROVINCE:
            return messages(language)("monthly.scope.whole_province")
        level = self.levels.get(level_id)
        return level.name(language) if level else level_id

    def resolve_targets(self, keys: pd.DataFrame) -> pd.DataFrame:
        """Central and provincial targets for each (province, level, indicator, year) in ``keys``.

        A target holds from its year until a later row replaces it; a row for a specific level
        (or province) beats a blank one. Columns added: central_target, central_source,
        provincial_target, provincial_source (NaN/blank where no target is set).
        """
        combos = keys[["province", "level", "indicator", "year"]].drop_duplicates()
        # Plain Python over the (small) targets table: filtering it with pandas once per
        # combination and tier was most of the engine's time. Rows are grouped by tier,
        # indicator and province first: with 34 provinces' floors, scanning every row for each
        # of thousands of combinations took a second.
        candidates: dict[tuple[str, str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for position, target in enumerate(self.targets.to_dict("records")):
            candidates[(target["tier"], target["indicator"], target["province"])].append((position, target))
        records = []
        for province, level, indicator, year in combos.itertuples(index=False):
            record = {"province": province, "level": level, "indicator": indicator, "year": year}
            for tier in TIERS:
                best, best_key = None, None
                for position, target in chain(candidates.get((tier, indicator, ""), ()), candidates.get((tier, indicator, province), ())):
                    if target["year"] > year or target["level"] not in ("", level):
                        continue
                    key = (target["year"], (target["level"] != "") + (target["province"] != ""), position)
                    if best_key is None or key > best_key:
                        best, best_key = target, key
                if best is None:
                    record[f"{tier}_target"], record[f"{tier}_source"] = float("nan"), ""
                else:
                    record[f"{tier}_target"], record[f"{tier}_source"] = float(best["target"]), best["source_vi"]
            records.append(record)
        columns = ["province", "level", "indicator", "year", "central_target", "central_source", "provincial_target", "provincial_source"]
        return pd.DataFrame.from_records(records, columns=columns)


def load_catalogue(directory: Path) -> Catalogue:
    return Catalogue(directory)
