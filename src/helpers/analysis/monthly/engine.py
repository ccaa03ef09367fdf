"""The indicator engine: per-unit rates, pooled aggregates, targets, gaps, changes and ranks.

Rates are recomputed from counts. A level's or the province's rate is pooled: Σ numerators ÷
Σ denominators over its units, never an average of rates. A denominator of 0 means nothing
arose ("không phát sinh"): no rate, no rank, never a fall. Where a table omits the denominator
(e-results), the unit's reported rate stands in and the pooled figure stays empty. A row whose
counts cannot be (a numerator above its denominator, a negative count) has no rate and is left
out of the pooled figures, which count how many units were left out (``impossible_units``).

The published figures (the source's ``total`` rows) stand beside the pooled ones: each scope
says whether its published rate differs beyond the rounding tolerance (``published_differs``)
and how the published rate compares with the targets (for scopes the tables cannot pool).

A unit's target is its assigned target ("chỉ tiêu được giao"). The provincial decision sets the
lowest target any unit may be given ("giao thấp nhất"), so an assigned target below that floor
(or outside 0–100%) is replaced by the floor; the data checks list every such case.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.periods import previous_period

UNIT_KEYS = ["province", "level", "unit_id", "indicator"]
SOURCE_COLUMNS = ["source_file", "source_sheet", "source_row", "numerator_cell", "denominator_cell", "rate_cell", "target_cell"]
SCOPE_KEYS = ["province", "level", "indicator"]
NATIONAL = "toan_quoc"  # the country, as a scope of helpers.engine.national
STATUSES = ("met", "below", "no_target", "not_arisen", "no_data")


@dataclass(frozen=True)
class IndicatorResults:
    units: pd.DataFrame
    aggregates: pd.DataFrame
    published: pd.DataFrame

    def month(self, period: str) -> "IndicatorResults":
        return IndicatorResults(
            self.units[self.units["period"] == period].reset_index(drop=True),
            self.aggregates[self.aggregates["period"] == period].reset_index(drop=True),
            self.published[self.published["period"] == period].reset_index(drop=True),
        )


def evaluate(tidy: pd.DataFrame, catalogue: Catalogue) -> IndicatorResults:
    """Everything the report needs, for every period and province in ``tidy``."""
    unit_rows = tidy[tidy["row_kind"] == "unit"]
    units = _unit_rates(unit_rows, catalogue)
    published = tidy.loc[tidy["row_kind"] == "total", ["period", "province", "level", "indicator", "reported_rate", "source_file", "source_sheet", "source_row", "rate_cell"]]
    published = published.rename(columns={"reported_rate": "published_rate"}).reset_index(drop=True)
    aggregates = _with_published(_aggregates(units, catalogue), published, catalogue)
    return IndicatorResults(
        _with_changes(units, UNIT_KEYS, carry=("rate", "rank", "numerator", "denominator")),
        _with_changes(aggregates, SCOPE_KEYS),
        published,
    )


def rate_tolerance_pp(reported: pd.Series, catalogue: Catalogue) -> pd.Series:
    """How far (in percentage points) a reported rate may be from the recomputed one: a rate
    written as a whole percent is held to rounding, one written with decimals to its decimals."""
    percent = reported.astype("float64") * 100
    whole = (percent - percent.round()).abs() <= 1e-6
    integer, decimal = catalogue.setting("rate_tolerance_integer_pp"), catalogue.setting("rate_tolerance_decimal_pp")
    return pd.Series(np.where(whole, integer, decimal), index=reported.index) + 1e-9


def _with_published(aggregates: pd.DataFrame, published: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Each scope's published rate (within 0–100%), whether the pooled one differs from it beyond
    the tolerance, and whether the published rate meets the targets."""
    keys = ["period", "province", "level", "indicator"]
    possible = published[published["published_rate"].astype("float64").between(0, 1)]
    frame = aggregates.merge(possible[[*keys, "published_rate"]].drop_duplicates(keys), on=keys, how="left")
    rate, shown = frame["rate"].astype("float64"), frame["published_rate"].astype("float64")
    difference = (rate - shown).abs() * 100
    frame["published_differs"] = (difference > rate_tolerance_pp(shown, catalogue)).to_numpy(dtype=bool)
    sign = _direction_sign(frame, catalogue)
    for tier in ("central", "provincial"):
        frame[f"published_met_{tier}"] = _met(shown, frame[f"{tier}_target"].astype("float64"), sign)
    return frame


def _with_targets(frame: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The frame (index reset) with central/provincial targets and their sources for its year.
    helpers.analysis.monthly.reference states the same rules plainly (the specification)."""
    keys = ["province", "level", "indicator", "year"]
    keyed = frame[keys[:3]].assign(year=frame["period"].str.slice(0, 4).astype(int))  # the keys only: the frame is wide
    # Targets are resolved once per combination and taken by position: merging them onto every
    # row (650,000 at national scale) cost a second.
    combination = keyed.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    first_rows = keyed[~pd.Series(combination).duplicated().to_numpy()]
    targets = catalogue.resolve_targets(first_rows).drop(columns=keys)
    taken = targets.take(combination).reset_index(drop=True)
    return pd.concat([frame.reset_index(drop=True), taken], axis=1)


def _direction_sign(frame: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    """+1 where a higher rate is better, -1 where lower is better."""
    higher = {indicator.id: 1.0 if indicator.higher_is_better else -1.0 for indicator in catalogue.indicators.values()}
    codes, indicators = pd.factorize(frame["indicator"])
    by_code = np.array([higher.get(indicator, np.nan) for indicator in indicators] + [np.nan])  # code -1 (missing) takes the last
    return pd.Series(by_code[codes], index=frame.index)


def counts_to_target(target: pd.Series, numerator: pd.Series, denominator: pd.Series, sign: pd.Series) -> pd.Series:
    """Counts needed to reach the target: more numerator (higher is better) or fewer (lower)."""
    # Rounding before ceil keeps 0.6 × 45 = 27.000000000000004 at 27.
    needed_numerator = np.round(target * denominator, 9)
    more = np.ceil(needed_numerator) - numerator
    fewer = numerator - np.floor(needed_numerator)
    return pd.Series(np.where(sign > 0, more, fewer), index=target.index).clip(lower=0)


def _unit_rates(rows: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    columns = ["period", "province", "level", "unit_id", "unit_name", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]
    frame = _with_targets(rows[columns + SOURCE_COLUMNS].reset_index(drop=True), catalogue)
    numerator = frame["numerator"].astype("float64")
    denominator = frame["denominator"].astype("float64")
    reported = frame["reported_rate"].astype("float64")
    # Counts that cannot be (4500 of 45, a negative count): the data checks list them.
    impossible = (numerator.lt(0) | denominator.lt(0) | numerator.gt(denominator)).fillna(False).to_numpy(dtype=bool)
    frame["impossible"] = impossible
    recomputable = denominator.gt(0) & numerator.notna() & ~impossible
    with np.errstate(divide="ignore", invalid="ignore"):
        recomputed = numerator / denominator
    not_arisen = denominator.eq(0) & ~impossible
    from_report = denominator.isna() & reported.between(0, 1) & ~impossible
    frame["rate"] = np.where(recomputable, recomputed, np.where(from_report, reported, np.nan))
    frame["rate_source"] = np.select([recomputable, from_report], ["recomputed", "reported"], default="")
    sign = _direction_sign(frame, catalogue)
    provincial = frame["provincial_target"].astype("float64")
    central = frame["central_target"].astype("float64")
    frame["target"], frame["target_tier"] = _unit_targets(frame["assigned_target"].astype("float64"), provincial, central, sign)
    rate = frame["rate"].astype("float64")
    target = frame["target"].astype("float64")
    shortfall = (target - rate) * sign
    has_rate = rate.notna()
    frame["status"] = np.select(
        [not_arisen, ~has_rate, target.isna(), shortfall > 1e-12],
        ["not_arisen", "no_data", "no_target", "below"],
        default="met",
    )
    frame["met_central"] = _met(rate, central, sign)
    frame["met_provincial"] = _met(rate, provincial, sign)
    frame["gap_pp"] = (shortfall.clip(lower=0) * 100).where(has_rate & target.notna())
    gap_count = counts_to_target(target, numerator, denominator, sign)
    frame["gap_count"] = gap_count.where(recomputable & target.notna()).astype("Float64").round(0).astype("Int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["attainment"] = np.where(target > 0, rate / target, np.nan)
    frame["rank"], frame["ranked_units"] = _ranks(frame, sign)
    return frame


def _unit_targets(given: pd.Series, provincial: pd.Series, central: pd.Series, sign: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Each unit's target and its tier: the assigned target unless it is not a fraction from 0
    to 1 or falls below the floor (provincial, else central), which then replaces it."""
    floor = provincial.fillna(central)
    assigned = given.where(given.between(0, 1))
    raised = given.notna() & floor.notna() & (assigned.isna() | ((assigned - floor) * sign < -1e-9))
    tier = np.select([raised, assigned.notna(), provincial.notna(), central.notna()], ["floor", "assigned", "provincial", "central"], default="")
    return assigned.where(~raised, floor).fillna(floor), tier


def _met(rate: pd.Series, target: pd.Series, sign: pd.Series) -> pd.Series:
    met = ((rate - target) * sign) >= -1e-12
    return met.astype("boolean").where(rate.notna() & target.notna())


def _ranks(frame: pd.DataFrame, sign: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Rank within province, level, indicator and month; ties share the best rank."""
    score = (frame["rate"].astype("float64") * sign).round(12)
    groups = frame.groupby(["period", "province", "level", "indicator"], sort=False).ngroup()  # one key, reused twice
    rank = score.groupby(groups).rank(method="min", ascending=False)
    ranked = score.notna().groupby(groups).transform("sum")
    return rank.astype("Int64"), ranked.astype("Int64")


def _aggregates(units: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """Pooled rates per level and for the whole province (level = toan_tinh)."""
    possible = ~units["impossible"]
    both = units["denominator"].notna() & units["numerator"].notna() & possible
    counted = units[["period", "province", "level", "indicator"]].assign(  # what is pooled only: the units' frame is wide
        _numerator=units["numerator"].astype("float64").where(both),
        _denominator=units["denominator"].astype("float64").where(both),
        _below=units["status"].eq("below"),
        _not_arisen=units["status"].eq("not_arisen"),
        _counted=both,
        _impossible=units["impossible"],
    )
    per_level = _pool(counted, ["period", "province", "level", "indicator"])
    whole = _pool(counted, ["period", "province", "indicator"]).assign(level=WHOLE_PROVINCE)
    frame = pd.concat([per_level, whole], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["rate"] = np.where(frame["denominator"] > 0, frame["numerator"] / frame["denominator"], np.nan)
    frame.loc[frame["counted_units"] == 0, ["numerator", "denominator"]] = np.nan
    frame = _with_targets(frame, catalogue)
    sign = _direction_sign(frame, catalogue)
    rate = frame["rate"].astype("float64")
    for tier in ("central", "provincial"):
        target = frame[f"{tier}_target"].astype("float64")
        frame[f"met_{tier}"] = _met(rate, target, sign)
        frame[f"gap_pp_{tier}"] = (((target - rate) * sign).clip(lower=0) * 100).where(rate.notna() & target.notna())
        gap = counts_to_target(target, frame["numerator"], frame["denominator"], sign)
        frame[f"gap_count_{tier}"] = gap.where(rate.notna() & target.notna()).astype("Float64").round(0).astype("Int64")
    level_order = {level: rank for rank, level in enumerate([*catalogue.levels, WHOLE_PROVINCE])}
    indicator_order = {indicator: rank for rank, indicator in enumerate(catalogue.indicators)}
    frame = frame.assign(_level=frame["level"].map(level_order), _indicator=frame["indicator"].map(indicator_order))
    frame = frame.sort_values(["period", "province", "_indicator", "_level"]).drop(columns=["_level", "_indicator"])
    return frame.reset_index(drop=True)


POOLED_SUMS = {
    "_numerator": "numerator", "_denominator": "denominator", "_counted": "counted_units", "_below": "units_below",
    "_not_arisen": "units_not_arisen", "_impossible": "impossible_units",
}


def _pool(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums per scope and its number of units (one ``sum`` over the columns: named aggregations cost twice as much)."""
    grouped = frame.groupby(keys, sort=False, observed=True)
    pooled = grouped[list(POOLED_SUMS)].sum().rename(columns=POOLED_SUMS)
    pooled.insert(2, "units", grouped.size().astype("Int64"))
    return pooled.reset_index()


def national(aggregates: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    """The country's pooled rate per month and indicator, over the provinces in ``aggregates``.

    Σ numerators ÷ Σ denominators of the provinces' whole-province figures (never an average of
    their rates), against the central target, with how many provinces meet it. The change since
    the month before is given only where the same provinces were counted in both months
    (``provinces_changed`` marks the others).
    """
    whole = aggregates[aggregates["level"] == WHOLE_PROVINCE]
    counted = whole["counted_units"].gt(0) & whole["denominator"].notna()
    met = whole["met_central"].astype("boolean")
    frame = whole.assign(
        _numerator=whole["numerator"].astype("float64").where(counted),
        _denominator=whole["denominator"].astype("float64").where(counted),
        _counted=counted,
        _met=met.eq(True).fillna(False),
        _below=met.eq(False).fillna(False),
    )
    keys = ["period", "indicator"]
    pooled = frame.groupby(keys, sort=False).agg(
        numerator=("_numerator", "sum"),
        denominator=("_denominator", "sum"),
        provinces=("province", "size"),
        counted_provinces=("_counted", "sum"),
        provinces_met_central=("_met", "sum"),
        provinces_below_central=("_below", "sum"),
    )
    pooled["counted_set"] = frame[counted].groupby(keys, sort=False)["province"].agg(lambda provinces: " ".join(sorted(provinces)))
    pooled = pooled.reset_index().assign(province=NATIONAL, level=WHOLE_PROVINCE)
    pooled["counted_set"] = pooled["counted_set"].fillna("")
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled["rate"] = np.where(pooled["denominator"] > 0, pooled["numerator"] / pooled["denominator"], np.nan)
    pooled.loc[pooled["counted_provinces"] == 0, ["numerator", "denominator"]] = np.nan
    pooled = _with_targets(pooled, catalogue).drop(columns=["provincial_target", "provincial_source"])
    sign = _direction_sign(pooled, catalogue)
    rate, target = pooled["rate"].astype("float64"), pooled["central_target"].astype("float64")
    pooled["met_central"] = _met(rate, target, sign)
    pooled["gap_pp_central"] = (((target - rate) * sign).clip(lower=0) * 100).where(rate.notna() & target.notna())
    gap = counts_to_target(target, pooled["numerator"], pooled["denominator"], sign)
    pooled["gap_count_central"] = gap.where(rate.notna() & target.notna()).astype("Float64").round(0).astype("Int64")
    pooled = _with_changes(pooled, SCOPE_KEYS, carry=("rate", "counted_set"))
    pooled["provinces_changed"] = (pooled["previous_rate"].notna() & pooled["previous_counted_set"].ne(pooled["counted_set"])).to_numpy(dtype=bool)
    pooled.loc[pooled["provinces_changed"], ["previous_rate", "delta_pp"]] = np.nan
    indicator_order = {indicator: rank for rank, indicator in enumerate(catalogue.indicators)}
    pooled = pooled.assign(_indicator=pooled["indicator"].map(indicator_order)).sort_values(["period", "_indicator"])
    return pooled.drop(columns=["_indicator", "counted_set", "previous_counted_set"]).reset_index(drop=True)


def _with_changes(frame: pd.DataFrame, keys: list[str], carry: tuple[str, ...] = ("rate", "rank")) -> pd.DataFrame:
    """Previous month's rate and rank (or the columns to ``carry``) beside this month's; empty
    where there is no previous month."""
    carry = [column for column in carry if column in frame.columns]
    previous = frame[[*keys, "period", *carry]].copy()
    periods = sorted(frame["period"].unique())
    # A row is the previous month of the next month when that month is present in the data
    # (so that a month after a gap compares with nothing).
    following = {previous_period(period): period for period in periods}
    previous["period"] = previous["period"].map(following).astype(frame["period"].dtype)
    previous = previous.dropna(subset=["period"]).rename(columns={column: f"previous_{column}" for column in carry})
    merged = frame.merge(previous, on=[*keys, "period"], how="left")
    merged["delta_pp"] = (merged["rate"].astype("float64") - merged["previous_rate"].astype("float64")) * 100
    if "rank" in carry:
        merged["rank_change"] = (merged["previous_rank"] - merged["rank"]).astype("Int64")
    return merged
