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

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.catalogue import WHOLE_PROVINCE
from helpers.analysis.monthly.engine import counts_to_target
from helpers.rules766 import Index766Rules
from helpers.tidy766 import SNAPSHOT_KEYS, Snapshot

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
    """Recompute every sub-indicator, group and total of ``tidy``; compare with what was published.
    helpers.analysis.index766.reference states the same rules plainly (the specification)."""
    scoring = _Scoring(tidy, _Units.of(tidy), rules, settings)
    is_indicator = scoring.rows_of("indicator") & tidy["indicator"].isin(list(rules.rules)).to_numpy(bool)
    indicators = _indicators(scoring, is_indicator)
    groups, group_units = _groups(scoring, indicators, scoring.units.codes[is_indicator])
    return Scores(indicators, groups, _totals(scoring, groups, group_units))


@dataclass(frozen=True)
class _Units:
    """Each row's unit (its IDENTITY) as a number, numbered in the sorted order of the
    identities, and the units themselves (``table``, one row per number).

    Grouping and joining two million rows on eight text columns took most of the scoring time;
    numbers make it cheap. Rows of one unit usually come together (the ingest sorts by unit), so
    the texts are compared row to row and hashed only once per run of equal rows.
    """

    codes: np.ndarray
    table: pd.DataFrame

    @classmethod
    def of(cls, tidy: pd.DataFrame) -> _Units:
        starts = np.ones(len(tidy), dtype=bool)
        if len(tidy) > 1:
            starts[1:] = ~np.logical_and.reduce([_same_as_previous(tidy[column]) for column in IDENTITY])
        firsts = tidy[IDENTITY].iloc[np.flatnonzero(starts)]
        rank = firsts.groupby(IDENTITY, dropna=False, sort=True).ngroup().to_numpy()
        codes = rank[np.cumsum(starts) - 1]
        return cls(codes, firsts.iloc[np.unique(rank, return_index=True)[1]].reset_index(drop=True))

    def identity(self, codes: np.ndarray) -> pd.DataFrame:
        """The IDENTITY columns of these unit numbers."""
        return self.table.take(codes).reset_index(drop=True)

    def key_ranks(self, keys: list[str]) -> np.ndarray:
        """Per unit, the rank of ``keys`` (a leading part of IDENTITY) in the same sorted order."""
        if len(self.table) < 2:
            return np.zeros(len(self.table), dtype=np.int64)
        same = np.logical_and.reduce([_same_as_previous(self.table[column]) for column in keys])
        return np.cumsum(np.concatenate([[True], ~same])) - 1


def _same_as_previous(values: pd.Series) -> np.ndarray:
    """Per row after the first: is it equal to the row before? Two missing values are equal.
    Compared by Arrow, without turning two million texts into Python objects."""
    arrow = pa.array(values.array)
    current, previous = arrow[1:], arrow[:-1]
    equal = pc.fill_null(pc.equal(current, previous), False)
    return pc.or_(equal, pc.and_(pc.is_null(current), pc.is_null(previous))).to_numpy(zero_copy_only=False)


@dataclass(frozen=True)
class _Scoring:
    """What every step reads: the rows, their units as numbers, the rules and the settings."""

    tidy: pd.DataFrame
    units: _Units
    rules: Index766Rules
    settings: dict[str, float]

    @property
    def tolerance(self) -> float:
        return self.settings["index766_points_tolerance"]

    def rows_of(self, measure: str) -> np.ndarray:
        return (self.tidy["measure"] == measure).to_numpy(bool)


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


def _indicators(scoring: _Scoring, chosen: np.ndarray) -> pd.DataFrame:
    tidy, rules, tolerance = scoring.tidy, scoring.rules, scoring.tolerance
    columns = [column for column in tidy.columns if column not in ("group", "measure", "value", "rank", "rank_base", "group_rank", "group_rank_base")]
    frame = _with_rules(_rows(tidy, chosen, columns), rules)
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


def _rows(frame: pd.DataFrame, chosen: np.ndarray, columns: list[str]) -> pd.DataFrame:
    """``frame.loc[chosen, columns]`` with a fresh index, column by column (half the time of the
    frame's own selection at two million rows)."""
    return pd.DataFrame({column: frame[column].array[chosen] for column in columns})


def _with_rules(rows: pd.DataFrame, rules: Index766Rules) -> pd.DataFrame:
    """``rows`` with their rule's columns (rows.merge(rules.frame(), on="indicator")), taken by
    position: a join of two million rows on a 26-row table cost a second."""
    table = rules.frame()
    codes, indicators = pd.factorize(rows["indicator"])
    position = pd.Index(table["indicator"]).get_indexer(indicators)
    if (position < 0).any() or (codes < 0).any():
        raise ValueError("every row scored needs a rule of its indicator")
    taken = table.drop(columns="indicator").take(position[codes]).reset_index(drop=True)
    return pd.concat([rows.reset_index(drop=True), taken], axis=1)


def _lookup(values: pd.Series, table: dict[str, float]) -> np.ndarray:
    """``values.map(table)`` as floats (NaN where absent), looking each distinct value up once."""
    codes, distinct = pd.factorize(values)
    found = np.array([table.get(value, np.nan) for value in distinct] + [np.nan], dtype=float)
    return found[codes]  # code -1 (a missing value) takes the final NaN


def _groups(scoring: _Scoring, indicators: pd.DataFrame, indicator_units: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """Group scores as published beside the sum of their sub-indicators' points (when every
    sub-indicator scored); also each row's unit number, for the totals. ``indicator_units``:
    the unit number of each row of ``indicators``."""
    tidy, units, rules, settings, tolerance = scoring.tidy, scoring.units, scoring.rules, scoring.settings, scoring.tolerance
    is_group = scoring.rows_of("group")
    columns = ["group", "points", "max_points", "points_decimals", "source_file", "source_record", "source_field"]
    published = _rows(tidy, is_group, columns).rename(columns={"points": "published", "max_points": "published_max"})
    # A (unit, group) is one number: unit × width + the group's place: the rules' groups in
    # their order, then any other group text, sorted.
    published_codes, published_names = pd.factorize(published["group"])
    indicator_codes, indicator_names = pd.factorize(indicators["group"])
    names = [*rules.groups, *sorted({str(name) for name in (*published_names, *indicator_names)} - set(rules.groups))]
    width = len(names) + 1  # the last place is a missing group

    def numbered(codes: np.ndarray, distinct: object) -> np.ndarray:
        place = {name: index for index, name in enumerate(names)}
        return np.array([place[str(name)] for name in distinct] + [len(names)], dtype=np.int64)[codes]

    published_key = units.codes[is_group] * width + numbered(published_codes, published_names)
    scored = indicators["points"].notna().to_numpy(bool)
    indicator_key = (indicator_units * width + numbered(indicator_codes, indicator_names))[scored]
    recomputed = pd.DataFrame({"points": indicators["points"].array[scored]}).groupby(indicator_key, sort=False).agg(
        recomputed=("points", "sum"), scored_indicators=("points", "size")
    )
    needed = np.array([len(rules.rules_of(name)) if name in rules.groups else np.nan for name in names] + [np.nan])
    complete = recomputed["scored_indicators"].to_numpy() == needed[recomputed.index.to_numpy() % width]
    recomputed = recomputed.loc[complete, ["recomputed"]].rename_axis("_key").reset_index()
    merged = published.assign(_key=published_key).merge(recomputed, on="_key", how="outer")  # sorted by unit, then group
    key = merged["_key"].to_numpy()
    group = pd.array(np.array([*names, None], dtype=object)[key % width], dtype="string")
    frame = pd.concat([units.identity(key // width), merged.drop(columns="_key").assign(group=group)], axis=1)
    frame["max_points"] = _lookup(frame["group"], {code: group.max_points for code, group in rules.groups.items()})
    frame["recomputed"] = frame["recomputed"].astype("Float64").round(2)
    frame["difference"] = (frame["recomputed"] - frame["published"].astype("Float64")).round(2)
    frame["reproduced"] = (frame["difference"].abs() <= tolerance + 1e-9).astype("boolean")
    _score_columns(frame, settings)
    # By unit (its leading identity columns), then the rules' order of groups; stable. The merge
    # gave that order already unless two units share those columns (then it is kept as sorted).
    order = _lookup(frame["group"], {code: rank for rank, code in enumerate(rules.groups)})
    ordered = np.lexsort((order, units.key_ranks(UNIT_KEYS)[key // width]))
    if np.array_equal(ordered, np.arange(len(ordered))):
        return frame, key // width
    return frame.take(ordered).reset_index(drop=True), (key // width)[ordered]


def _totals(scoring: _Scoring, groups: pd.DataFrame, group_units: np.ndarray) -> pd.DataFrame:
    """Totals as published beside the sum of the published groups and of the recomputed ones."""
    tidy, units, rules, settings, tolerance = scoring.tidy, scoring.units, scoring.rules, scoring.settings, scoring.tolerance
    is_total = scoring.rows_of("total")
    columns = ["points", "max_points", "points_decimals", "rank", "rank_base", "group_rank", "group_rank_base", "source_file", "source_record", "source_field"]
    published = _rows(tidy, is_total, columns).rename(columns={"points": "published", "max_points": "published_max"})
    published = published.assign(_unit=units.codes[is_total])
    group_count = len(rules.groups)
    with_published = groups["published"].notna().to_numpy(bool)
    parts = pd.DataFrame({
        "published": groups["published"].array[with_published],
        "_allowance": _allowance_of(groups["points_decimals"]).array[with_published],
    })
    sums = parts.groupby(group_units[with_published], sort=False).agg(
        groups_sum=("published", "sum"), published_groups=("published", "size"), groups_allowance=("_allowance", "sum")
    ).rename_axis("_unit").reset_index()
    sums.loc[sums["published_groups"] < group_count, "groups_sum"] = np.nan
    with_recomputed = groups["recomputed"].notna().to_numpy(bool)
    recomputed = pd.DataFrame({"recomputed": groups["recomputed"].array[with_recomputed]}).groupby(group_units[with_recomputed], sort=False).agg(
        recomputed=("recomputed", "sum"), recomputed_groups=("recomputed", "size")
    ).rename_axis("_unit").reset_index()
    recomputed = recomputed[recomputed["recomputed_groups"] == group_count].drop(columns="recomputed_groups")
    merged = published.merge(sums, on="_unit", how="outer").merge(recomputed, on="_unit", how="outer")  # sorted by unit
    frame = pd.concat([units.identity(merged["_unit"].to_numpy()), merged.drop(columns="_unit")], axis=1)
    frame["groups_sum"] = frame["groups_sum"].astype("Float64").round(2)
    frame["groups_complete"] = frame["published_groups"].eq(group_count).fillna(False)
    frame["published_groups"] = frame["published_groups"].fillna(0).astype(int)
    # A figure copied with fewer than two decimals (a report's "11,1/18") may be off by half
    # its last digit; the portal's two-decimal figures are held to the tolerance alone.
    frame["sum_tolerance"] = tolerance + frame["groups_allowance"].fillna(0) + _allowance_of(frame["points_decimals"])
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


def _allowance_of(decimals: pd.Series) -> pd.Series:
    """Half the last written digit of figures copied with fewer than two decimals, else 0."""
    written = decimals.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.Series(np.where(written < 2, 0.5 * 10.0 ** -written, 0.0), index=decimals.index, dtype="Float64")


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
    ties = keyed.groupby([*SNAPSHOT_KEYS, "_score"], sort=False)
    sizes = ties["unit_id"].transform("size")
    tied = sizes > 1
    # Each tied unit's partners, in table order: one pass over the tied rows (selecting them
    # with pandas per unit took seconds at national scale).
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for index, tie, name in zip(keyed.index[tied], ties.ngroup()[tied], keyed["unit_name"][tied]):
        members[tie].append((index, str(name)))
    partners = {
        index: "; ".join(other for other_index, other in group if other_index != index) for group in members.values() for index, _ in group
    }
    frame["tie_size"] = sizes.reindex(frame.index).astype("Int64")
    frame["tied_with"] = pd.Series(partners, dtype="string").reindex(frame.index).fillna("")
    return frame
