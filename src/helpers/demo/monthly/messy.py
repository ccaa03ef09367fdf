"""The problems real tables have (``--messy``), each of a kind the ingest reads and the data checks report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.catalogue import Catalogue
from helpers.demo.monthly.indicators import DemoIndicators
from helpers.demo.monthly.provinces import Province
from helpers.paths import DEFAULT_DATA_DIR
from helpers.registry import UnitRegistry


def inject_problems(
    frame: pd.DataFrame, province: Province, registry: UnitRegistry, catalogue: Catalogue, models: DemoIndicators, rng: np.random.Generator
) -> pd.DataFrame:
    """Per month, one of each problem DOMAIN.md lists, at random places; all readable by the ingest.

    A reported rate that does not match its counts, a typo'd 1000%, an assigned target under the
    provincial floor, a ``%`` target, a blank count, a count written as text ("1.313"), a unit
    name spelled another way (an abbreviation or alias the registry knows), and "100" for 100%.
    """
    frame = frame.copy()
    denominator_kind = frame["indicator"].map(lambda indicator: catalogue.indicator(indicator).appendix_denominator)
    floors = frame["indicator"].map(province.floors)
    # Each month's problems land on distinct rows, so these masks stay true while a month is spoilt.
    counted = (denominator_kind.ne("absent") & frame["denominator"].gt(0) & frame["rate_format"].isin(["percent", "percent1"])).fillna(False)
    full = (counted & frame["reported_rate"].eq(1.0)).fillna(False)
    tenfold_impossible = (counted & frame["reported_rate"].ge(0.11)).fillna(False)
    with_target = (frame["assigned_target"].notna() & floors.gt(0.01)).fillna(False)
    with_numerator = frame["numerator"].notna()
    variants = _name_variants(province, registry)
    for _period, month in frame.groupby("period", sort=True):
        spoil = _RowPicker(month.index, rng)
        if (label := spoil.pick(counted)) is not None:
            true_rate = float(frame.at[label, "numerator"]) / float(frame.at[label, "denominator"])
            shift = rng.uniform(0.15, 0.45)
            wrong = true_rate - shift if true_rate >= 0.5 else true_rate + shift
            frame.loc[label, ["reported_rate", "rate_format"]] = [round(min(1.0, max(0.0, wrong)), 2), "percent"]
        if (label := spoil.pick(full if full.loc[month.index].any() else tenfold_impossible)) is not None:
            frame.loc[label, ["reported_rate", "rate_format"]] = [round(float(frame.at[label, "reported_rate"]) * 10, 2), "percent"]
        if (label := spoil.pick(with_target)) is not None:
            frame.at[label, "assigned_target"] = round(max(0.0, floors[label] - rng.integers(1, 11) / 100), 2)
        if (label := spoil.pick(with_target)) is not None:
            frame.loc[label, ["assigned_target", "target_format"]] = [pd.NA, "percent_sign"]
        if (label := spoil.pick(with_numerator)) is not None:
            frame.loc[label, ["numerator", "numerator_format"]] = [pd.NA, "blank"]
        if (label := spoil.largest(frame["numerator"], denominator_kind.eq("received") & with_numerator)) is not None:
            frame.at[label, "numerator_format"] = "text"
        spelled = [unit_id for unit_id in month["unit_id"].unique() if variants.get(unit_id)]
        if spelled:
            unit_id = spelled[rng.integers(len(spelled))]
            block = models.blocks[rng.integers(len(models.blocks))][1]
            rows = month.index[(month["unit_id"] == unit_id) & month["indicator"].isin(block)]
            frame.loc[rows, ["unit_name", "name_variant"]] = [variants[unit_id][rng.integers(len(variants[unit_id]))], True]
    # As in the real Phụ lục 1: the services target written 100 (meaning 100%) in a plain cell.
    written_plain = [indicator for indicator, model in models.models.items() if model.target_written_plain]
    plain = frame["level"].eq("cap_tinh") & frame["indicator"].isin(written_plain) & frame["assigned_target"].eq(1.0) & frame["target_format"].eq("percent")
    frame.loc[plain.fillna(False), "target_format"] = "plain"
    return frame


@dataclass
class _RowPicker:
    """Distinct rows of one month, picked at random among those a mask allows."""

    rows: pd.Index
    rng: np.random.Generator
    used: set[int] = field(default_factory=set)

    def _allowed(self, mask: pd.Series) -> pd.Index:
        allowed = self.rows[mask.loc[self.rows].fillna(False).to_numpy(dtype=bool)]
        return allowed[~allowed.isin(list(self.used))]

    def pick(self, mask: pd.Series) -> int | None:
        allowed = self._allowed(mask)
        if allowed.empty:
            return None
        label = int(allowed[self.rng.integers(len(allowed))])
        self.used.add(label)
        return label

    def largest(self, values: pd.Series, mask: pd.Series) -> int | None:
        allowed = self._allowed(mask)
        if allowed.empty:
            return None
        label = int(values.loc[allowed].astype("int64").idxmax())
        self.used.add(label)
        return label


def _name_variants(province: Province, registry: UnitRegistry) -> dict[str, list[str]]:
    """Other spellings of each unit's table name that the registry resolves to the same unit."""
    abbreviations = sorted(((long, short) for short, long in _abbreviations()), key=lambda pair: -len(pair[0]))
    period = "2000-01"  # synthetic units have no validity range: any month resolves alike
    variants = {}
    for unit in province.units.itertuples():
        name = str(unit.table_name)
        candidates = [" ".join(word[:1].upper() + word[1:] for word in name.split(" ")), name.replace(" ", "  ", 1)]
        for long, short in abbreviations:
            pattern = re.compile(rf"(?<!\w){re.escape(long)}(?!\w)", re.IGNORECASE)
            if pattern.search(name):
                candidates.append(pattern.sub(short, name, count=1))
        variants[str(unit.unit_id)] = [
            candidate
            for candidate in dict.fromkeys(candidates)
            if candidate != name and registry.resolve(candidate, province.province, str(unit.level), period) == unit.unit_id
        ]
    return variants


def _abbreviations() -> list[tuple[str, str]]:
    frame = pd.read_csv(DEFAULT_DATA_DIR / "units" / "abbreviations.csv", dtype=str, keep_default_na=False)
    return list(zip(frame["short"], frame["long"]))

