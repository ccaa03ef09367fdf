"""Target resolution in plain pandas: the specification of the engine's fast path.

``helpers.analysis.monthly.engine`` resolves targets once per combination of keys and takes them
by position (``Catalogue.resolve_targets``, ``_with_targets``); this module says the same rules
the slow, obvious way, and tests/test_reference_monthly.py checks on random inputs that both
agree. Nothing in the reports calls it.

The rules:

- A target row of targets.csv applies to a (province, level, indicator, year) when its indicator
  is that indicator, its year is that year or earlier, and its province and level are blank or
  those. Of the rows that apply, the latest year wins, then the more specific one (a level and a
  province given beat blanks), then the later row of the table. Central and provincial tiers are
  resolved separately.
- A unit's target is its assigned target when it is a fraction from 0 to 1 and does not fall
  below the floor (the provincial target, else the central one) in the indicator's direction;
  an assigned target outside 0–100% or below the floor gives way to the floor; without an
  assigned target the floor is the target.
"""

from __future__ import annotations

import math

import pandas as pd

from helpers.catalogue import TIERS

KEYS = ["province", "level", "indicator", "year"]
FLOOR_TOLERANCE = 1e-9  # an assigned target this close to the floor is not below it


def tier_targets(keys: pd.DataFrame, targets: pd.DataFrame, tier: str) -> pd.DataFrame:
    """``<tier>_target`` and ``<tier>_source`` for each row of ``keys`` (same index); NaN and ''
    where no target of the tier applies."""
    table = targets[targets["tier"] == tier].reset_index(drop=True).rename_axis("position").reset_index()
    candidates = keys[KEYS].rename_axis("row").reset_index().merge(table, on="indicator", suffixes=("", "_set"))
    applies = (
        (candidates["year_set"] <= candidates["year"])
        & ((candidates["province_set"] == "") | (candidates["province_set"] == candidates["province"]))
        & ((candidates["level_set"] == "") | (candidates["level_set"] == candidates["level"]))
    )
    chosen = candidates[applies].assign(specific=lambda frame: (frame["level_set"] != "").astype(int) + (frame["province_set"] != "").astype(int))
    best = chosen.sort_values(["row", "year_set", "specific", "position"]).groupby("row").tail(1).set_index("row")
    return pd.DataFrame(
        {
            f"{tier}_target": best["target"].reindex(keys.index).astype("float64").to_numpy(),
            f"{tier}_source": best["source_vi"].astype("string").reindex(keys.index).fillna("").to_numpy(dtype=object),
        },
        index=keys.index,
    )


def resolve_targets(keys: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Central and provincial targets and their sources for each row of ``keys``."""
    return pd.concat([tier_targets(keys, targets, tier) for tier in TIERS], axis=1)


def unit_target(assigned: float, provincial: float, central: float, higher_is_better: bool) -> tuple[float, str]:
    """(target, tier) of one unit: tier is assigned, floor, provincial, central or ''."""
    floor = central if math.isnan(provincial) else provincial
    if not math.isnan(assigned):
        valid = 0 <= assigned <= 1
        below = (floor - assigned if higher_is_better else assigned - floor) > FLOOR_TOLERANCE
        if not math.isnan(floor) and (not valid or below):
            return floor, "floor"
        if valid:
            return assigned, "assigned"
    if not math.isnan(provincial):
        return provincial, "provincial"
    if not math.isnan(central):
        return central, "central"
    return math.nan, ""


def unit_targets(units: pd.DataFrame, targets: pd.DataFrame, higher_is_better: dict[str, bool]) -> pd.DataFrame:
    """Per unit row (period, province, level, indicator, assigned_target): the tiers' targets
    and sources, the unit's ``target`` and its ``target_tier``."""
    keys = units.assign(year=units["period"].str.slice(0, 4).astype(int))
    frame = pd.concat([units, resolve_targets(keys, targets)], axis=1)
    chosen = [
        unit_target(float(assigned), provincial, central, higher_is_better[indicator])
        for assigned, provincial, central, indicator in zip(
            frame["assigned_target"].astype("float64"), frame["provincial_target"], frame["central_target"], frame["indicator"]
        )
    ]
    return frame.assign(target=[target for target, _ in chosen], target_tier=[tier for _, tier in chosen])
