"""The 766 scoring engine: points recomputed from the rules, beside the published figures.

A sub-indicator scores ``max × min(1, ratio ÷ threshold)`` (helpers.index766.rules), from
numerator ÷ denominator where the source gives counts (never from its rounded ratio), from the
published ratio otherwise; a zero denominator scores what the rules table says. Each
sub-indicator's points are rounded half up to two decimals before they are summed; the
arithmetic is done in whole hundredths, so 0,775 is 0,78 and never 0,77.

Nothing published is replaced: ``score`` is the source's figure wherever it has one (the
recomputed one only where it has none), and ``difference`` / ``reproduced`` say where the rules
and the source disagree, for the data checks to list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..catalogue import WHOLE_PROVINCE
from ..engine import counts_to_target
from .rules import Index766Rules
from .schema import SNAPSHOT_KEYS, Snapshot

UNIT_KEYS = [*SNAPSHOT_KEYS, "level", "unit_id"]
IDENTITY = [*UNIT_KEYS, "unit_name", "portal_code"]
BANDS = ("red", "amber", "green")
RATIO_SCALE = 1_000_000  # a published ratio (two decimals of a percent) is exact in millionths
_INT64_HEADROOM = 2**62


@dataclass(frozen=True)
class Scores:
    """Per snapshot and unit: sub-indicators (``indicators``), ``groups`` and ``totals``."""

    indicators: pd.DataFrame
    groups: pd.DataFrame
    totals: pd.DataFrame

    def snapshot(self, snapshot: Snapshot) -> Scores:
        def pick(frame: pd.DataFrame) -> pd.DataFrame:
            chosen = (frame["period_kind"] == snapshot.period_kind) & (frame["period"] == snapshot.period) & (frame["snapshot_date"] == snapshot.snapshot_date)
            return frame[chosen].reset_index(drop=True)

        return Scores(pick(self.indicators), pick(self.groups), pick(self.totals))


def score(tidy: pd.DataFrame, rules: Index766Rules, settings: dict[str, float]) -> Scores:
    """Recompute every sub-indicator, group and total of ``tidy``; compare with what was published."""
    tolerance = settings["index766_points_tolerance"]
    indicators = _indicators(tidy, rules, tolerance)
    groups = _groups(tidy, indicators, rules, settings, tolerance)
    totals = _totals(tidy, groups, rules, settings, tolerance)
    return Scores(indicators, groups, totals)


def points_hundredths(numerator: np.ndarray, denominator: np.ndarray, max_hundredths: np.ndarray, threshold_basis_points: np.ndarray) -> np.ndarray:
    """round_half_up(100 × max × min(1, (n ÷ d) ÷ threshold)) in exact integers; d > 0.

    With M = 100 × max and T = threshold in basis points, the points in hundredths are
    min(M, ⌊(2·M·n·10⁴ + d·T) ÷ (2·d·T)⌋).
    """
    numerator, denominator = numerator.astype(np.int64), denominator.astype(np.int64)
    max_hundredths, threshold_basis_points = max_hundredths.astype(np.int64), threshold_basis_points.astype(np.int64)
    if len(numerator) and int(numerator.max()) * int(max_hundredths.max()) * 20_000 >= _INT64_HEADROOM:
        raise ValueError(f"a numerator of {int(numerator.max())} is too large to score exactly")
    scaled = 2 * max_hundredths * numerator * 10_000 + denominator * threshold_basis_points
    return np.minimum(max_hundredths, scaled // (2 * denominator * threshold_basis_points))


def _indicators(tidy: pd.DataFrame, rules: Index766Rules, tolerance: float) -> pd.DataFrame:
    rows = tidy[(tidy["measure"] == "indicator") & tidy["indicator"].isin(list(rules.rules))]
    frame = rows.drop(columns=["group", "measure", "value", "rank", "rank_base", "group_rank", "group_rank_base"]).merge(rules.frame(), on="indicator", how="left")
    frame = frame.rename(columns={"points": "published", "max_points": "published_max"})
    numerator = frame["numerator"].astype("Float64")
    denominator = frame["denominator"].astype("Float64")
    ratio = frame["ratio"].astype("Float64")
    counts = (numerator.notna() & denominator.gt(0)).fillna(False).to_numpy(bool)
    zero = denominator.eq(0).fillna(False).to_numpy(bool)
    from_ratio = ~counts & ~zero & ratio.notna().to_numpy(bool)
    max_hundredths = np.round(frame["rule_max_points"].to_numpy(float) * 100).astype(np.int64)
    threshold = np.round(frame["threshold_percent"].to_numpy(float) * 100).astype(np.int64)
    n = np.where(counts, numerator.fillna(0).to_numpy(float), np.round(ratio.fillna(0).to_numpy(float) * RATIO_SCALE)).astype(np.int64)
    d = np.where(counts, denominator.fillna(1).to_numpy(float), RATIO_SCALE).astype(np.int64)
    hundredths = points_hundredths(n, d, max_hundredths, threshold)
    hundredths = np.where(zero, np.where(frame["zero_denominator"].eq("full"), max_hundredths, 0), hundredths)
    known = counts | zero | from_ratio
    frame["basis"] = np.select([counts, zero, from_ratio], ["counts", "zero_denominator", "ratio"], default="none")
    frame["ratio_used"] = pd.Series(np.where(counts | from_ratio, n / d, np.nan), index=frame.index).where(~zero)
    frame["points"] = pd.Series(hundredths / 100, index=frame.index).where(known).astype("Float64")
    frame["lost_points"] = pd.Series((max_hundredths - hundredths) / 100, index=frame.index).where(known).astype("Float64")
    frame["difference"] = (frame["points"] - frame["published"].astype("Float64")).round(2)
    frame["reproduced"] = (frame["difference"].abs() <= tolerance + 1e-9).astype("boolean")
    gap = counts_to_target(frame["threshold"], numerator.astype("float64"), denominator.astype("float64"), pd.Series(1.0, index=frame.index))
    frame["gap_count"] = gap.where(counts & (frame["lost_points"] > 0).fillna(False).to_numpy(bool)).astype("Float64").round(0).astype("Int64")
    frame = frame.rename(columns={"rule_max_points": "max_points"})
    return frame.reset_index(drop=True)


def _groups(tidy: pd.DataFrame, indicators: pd.DataFrame, rules: Index766Rules, settings: dict[str, float], tolerance: float) -> pd.DataFrame:
    published = tidy.loc[tidy["measure"] == "group", [*IDENTITY, "group", "points", "max_points", "points_decimals", "source_file", "source_record", "source_field"]]
    published = published.rename(columns={"points": "published", "max_points": "published_max"})
    needed = {group: len(rules.rules_of(group)) for group in rules.groups}
    scored = indicators[indicators["points"].notna()]
    recomputed = scored.groupby([*IDENTITY, "group"], dropna=False, sort=False).agg(recomputed=("points", "sum"), scored_indicators=("points", "size")).reset_index()
    recomputed = recomputed[recomputed["scored_indicators"] == recomputed["group"].map(needed)].drop(columns="scored_indicators")
    frame = published.merge(recomputed, on=[*IDENTITY, "group"], how="outer")
    frame["max_points"] = frame["group"].map({code: group.max_points for code, group in rules.groups.items()}).astype("float64")
    frame["recomputed"] = frame["recomputed"].astype("Float64").round(2)
    frame["difference"] = (frame["recomputed"] - frame["published"].astype("Float64")).round(2)
    frame["reproduced"] = (frame["difference"].abs() <= tolerance + 1e-9).astype("boolean")
    _score_columns(frame, settings)
    order = {code: rank for rank, code in enumerate(rules.groups)}
    frame = frame.assign(_order=frame["group"].map(order)).sort_values([*UNIT_KEYS, "_order"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def _totals(tidy: pd.DataFrame, groups: pd.DataFrame, rules: Index766Rules, settings: dict[str, float], tolerance: float) -> pd.DataFrame:
    columns = [*IDENTITY, "points", "max_points", "points_decimals", "rank", "rank_base", "group_rank", "group_rank_base", "source_file", "source_record", "source_field"]
    published = tidy.loc[tidy["measure"] == "total", columns].rename(columns={"points": "published", "max_points": "published_max"})
    group_count = len(rules.groups)
    with_published = groups[groups["published"].notna()]
    with_published = with_published.assign(_allowance=with_published["points_decimals"].map(_allowance_of).astype(float))
    sums = with_published.groupby(IDENTITY, dropna=False, sort=False).agg(
        groups_sum=("published", "sum"), published_groups=("published", "size"), groups_allowance=("_allowance", "sum")
    ).reset_index()
    sums.loc[sums["published_groups"] < group_count, "groups_sum"] = np.nan
    with_recomputed = groups[groups["recomputed"].notna()]
    recomputed = with_recomputed.groupby(IDENTITY, dropna=False, sort=False).agg(recomputed=("recomputed", "sum"), recomputed_groups=("recomputed", "size")).reset_index()
    recomputed = recomputed[recomputed["recomputed_groups"] == group_count].drop(columns="recomputed_groups")
    frame = published.merge(sums, on=IDENTITY, how="outer").merge(recomputed, on=IDENTITY, how="outer")
    frame["groups_sum"] = frame["groups_sum"].astype("Float64").round(2)
    frame["groups_complete"] = frame["published_groups"].eq(group_count).fillna(False)
    frame["published_groups"] = frame["published_groups"].fillna(0).astype(int)
    # A figure copied with fewer than two decimals (a report's "11,1/18") may be off by half
    # its last digit; the portal's two-decimal figures are held to the tolerance alone.
    frame["sum_tolerance"] = tolerance + frame["groups_allowance"].fillna(0) + frame["points_decimals"].map(_allowance_of).fillna(0)
    frame["sum_difference"] = (frame["published"].astype("Float64") - frame["groups_sum"]).round(2)
    frame["recomputed"] = frame["recomputed"].astype("Float64").round(2)
    frame["difference"] = (frame["recomputed"] - frame["published"].astype("Float64")).round(2)
    frame["reproduced"] = (frame["difference"].abs() <= tolerance + 1e-9).astype("boolean")
    frame["max_points"] = rules.total_max
    published_total = frame["published"].astype("Float64")
    frame["published"] = published_total
    available = [published_total.notna(), frame["groups_sum"].notna(), frame["recomputed"].notna()]
    frame["score_source"] = np.select([column.to_numpy(bool) for column in available], ["published", "groups_sum", "recomputed"], default="")
    frame["score"] = published_total.fillna(frame["groups_sum"]).fillna(frame["recomputed"])
    frame = frame.drop(columns="groups_allowance")
    _score_columns(frame, settings, score_ready=True)
    frame = _computed_ranks(frame)
    return frame.sort_values([*SNAPSHOT_KEYS, "level", "unit_name"], kind="stable").reset_index(drop=True)


def _allowance_of(decimals: object) -> float:
    """Half the last written digit of a figure copied with fewer than two decimals, else 0."""
    if isinstance(decimals, (int, np.integer)) and decimals < 2:
        return 0.5 * 10.0 ** -int(decimals)
    return 0.0


def _score_columns(frame: pd.DataFrame, settings: dict[str, float], score_ready: bool = False) -> None:
    """score (published, else recomputed), score_source, share of the maximum, band, points lost."""
    if not score_ready:
        published = frame["published"].astype("Float64")
        frame["score"] = published.fillna(frame["recomputed"])
        frame["score_source"] = np.where(published.notna().to_numpy(bool), "published", np.where(frame["recomputed"].notna().to_numpy(bool), "recomputed", ""))
    score = frame["score"].astype("Float64")
    maximum = frame["max_points"].astype("float64")
    frame["share"] = (score / maximum).astype("Float64")
    share = frame["share"].astype("float64")
    frame["band"] = np.select(
        [share.isna().to_numpy(bool), (share < settings["red_below_share_of_max"]).to_numpy(bool), (share < settings["amber_below_share_of_max"]).to_numpy(bool)],
        ["", "red", "amber"], default="green",
    )
    frame["above_max"] = (score > maximum + 1e-9).astype("boolean")
    frame["lost_points"] = (maximum - score.clip(upper=maximum)).round(2)


def _computed_ranks(totals: pd.DataFrame) -> pd.DataFrame:
    """Ranks among the province's units (departments and communes together, as the portal ranks)
    and within each level; tied scores share the best rank, and tie partners are named."""
    frame = totals.copy()
    units = frame["level"] != WHOLE_PROVINCE
    rounded = frame["score"].astype("float64").round(2).where(units)
    snapshot = [frame[column] for column in SNAPSHOT_KEYS]
    frame["computed_rank"] = rounded.groupby(snapshot).rank(method="min", ascending=False).astype("Int64")
    frame["ranked_units"] = rounded.notna().groupby(snapshot).transform("sum").astype("Int64").where(units)
    frame["computed_level_rank"] = rounded.groupby([*snapshot, frame["level"]]).rank(method="min", ascending=False).astype("Int64")
    frame["level_ranked_units"] = rounded.notna().groupby([*snapshot, frame["level"]]).transform("sum").astype("Int64").where(units)
    keyed = frame.assign(_score=rounded)[units & rounded.notna()]
    sizes = keyed.groupby([*SNAPSHOT_KEYS, "_score"], sort=False)["unit_id"].transform("size")
    partners: dict[int, str] = {}
    for _, tied in keyed[sizes > 1].groupby([*SNAPSHOT_KEYS, "_score"], sort=False):
        for index in tied.index:
            partners[index] = "; ".join(str(name) for name in tied.loc[tied.index != index, "unit_name"])
    frame["tie_size"] = sizes.reindex(frame.index).astype("Int64")
    frame["tied_with"] = pd.Series(partners, dtype="string").reindex(frame.index).fillna("")
    return frame
