"""Period-over-period: score deltas in points, rank changes, units that fell back or stay low.

Only like is compared with like, and each level on its own: a unit is compared with the latest
comparable snapshot that has its level (``previous_by_level``), so a day on which only the
departments' list was captured leaves the communes' comparison alone rather than making every
commune "missing" and then "new". Ranks are the source's: the portal ranks departments and
communes together (``rank``, so commune ranks skip numbers) and each group on its own
(``group_rank``). A positive rank change is a move up. A change no larger than the points
tolerance (0,01) is rounding, not news; "fell back" needs a fall of at least
``notable_change_points`` (data/catalogue/settings.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.tidy766 import Snapshot
from helpers.analysis.index766.scoring import IDENTITY, Scores

SCOPE_TOTAL = "total"
COMPARISONS = ("compared", "no_previous_snapshot", "new_unit", "no_score")
_RANK_COLUMNS = ["rank", "rank_base", "group_rank", "group_rank_base"]
PreviousByLevel = dict[str, Snapshot | None]


def scopes(scores: Scores) -> pd.DataFrame:
    """Totals and group scores in one long frame: one row per unit and scope (total or a group)."""
    totals = scores.totals.assign(scope=SCOPE_TOTAL)
    groups = scores.groups.rename(columns={"group": "scope"})
    columns = [*IDENTITY, "scope", "score", "max_points", "share", "band", "lost_points", *_RANK_COLUMNS, "tie_size", "tied_with"]
    frame = pd.concat([totals.reindex(columns=columns), groups.reindex(columns=columns)], ignore_index=True)
    for column in _RANK_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def preceding_period(snapshot: Snapshot) -> str:
    """The quarter or month just before the snapshot's (2026-Q3 → 2026-Q2, 2026-03 → 2026-02)."""
    if snapshot.period_kind == "quarter":
        return str(pd.Period(snapshot.period.replace("-Q", "Q"), freq="Q") - 1).replace("Q", "-Q")
    return str(pd.Period(snapshot.period, freq="M") - 1)


def comparable_earlier(snapshot: Snapshot, available: list[Snapshot]) -> list[Snapshot]:
    """The snapshots ``snapshot`` may be compared with, the one to prefer first.

    Year-to-date figures accumulate within a year: the earlier captures of the same year.
    A quarter or a month is compared by period, not by capture date: the captures of the
    period just before it, whenever they were taken (February back-filled on the day March was
    captured still precedes March); a missing period is never bridged.
    """
    same_kind = [other for other in available if other.period_kind == snapshot.period_kind and other != snapshot]
    if snapshot.period_kind == "year_to_date":
        chosen = [other for other in same_kind if other.period == snapshot.period and other.snapshot_date < snapshot.snapshot_date]
    else:
        wanted = preceding_period(snapshot)
        chosen = [other for other in same_kind if other.period == wanted]
    return sorted(chosen, key=lambda other: other.snapshot_date, reverse=True)


def levels_by_snapshot(scores: Scores) -> dict[Snapshot, frozenset[str]]:
    """The levels (province, departments, communes) each snapshot has scores for."""
    frame = pd.concat([scores.totals[["period_kind", "period", "snapshot_date", "level"]], scores.groups[["period_kind", "period", "snapshot_date", "level"]]])
    found: dict[Snapshot, set[str]] = {}
    for kind, period, date, level in frame.drop_duplicates().itertuples(index=False):
        found.setdefault(Snapshot(str(kind), str(period), str(date)), set()).add(str(level))
    return {snapshot: frozenset(levels) for snapshot, levels in found.items()}


def previous_by_level(snapshot: Snapshot, available: list[Snapshot], levels: dict[Snapshot, frozenset[str]]) -> PreviousByLevel:
    """For each level of ``snapshot``, the latest comparable snapshot that has that level (or None)."""
    candidates = comparable_earlier(snapshot, available)
    return {level: next((other for other in candidates if level in levels.get(other, frozenset())), None) for level in sorted(levels.get(snapshot, frozenset()))}


def compare(scores: Scores, snapshot: Snapshot, previous: PreviousByLevel, settings: dict[str, float]) -> pd.DataFrame:
    """Each unit's total and group scores in ``snapshot`` beside its level's previous snapshot; see COMPARISONS."""
    current = scopes(scores.snapshot(snapshot))
    parts = [_compare_level(scores, rows, previous.get(str(level)), settings) for level, rows in current.groupby("level", sort=False)]
    frame = pd.concat(parts).sort_index() if parts else _compare_level(scores, current, None, settings)
    return frame.reset_index(drop=True)


def _compare_level(scores: Scores, current: pd.DataFrame, previous: Snapshot | None, settings: dict[str, float]) -> pd.DataFrame:
    tolerance, notable = settings["index766_points_tolerance"], settings["notable_change_points"]
    renamed = {column: f"previous_{column}" for column in ["score", *_RANK_COLUMNS]}
    if previous is None:
        before = pd.DataFrame(columns=["unit_id", "scope", *renamed.values()])
    else:
        before = scopes(scores.snapshot(previous))[["unit_id", "scope", "score", *_RANK_COLUMNS]].rename(columns=renamed)
    units_before = set(before["unit_id"])
    frame = current.reset_index().merge(before, on=["unit_id", "scope"], how="left").set_index("index")
    present = frame["unit_id"].isin(units_before).to_numpy(bool)
    scored = (frame["score"].notna() & frame["previous_score"].notna()).to_numpy(bool)
    frame["comparison"] = "no_previous_snapshot" if previous is None else np.select([~present, ~scored], ["new_unit", "no_score"], default="compared")
    frame["previous_snapshot_date"] = previous.snapshot_date if previous else None
    frame["delta"] = (frame["score"].astype("Float64") - frame["previous_score"].astype("Float64")).round(2)
    delta = frame["delta"].astype("float64")
    frame["rounding_only"] = delta.abs() <= tolerance + 1e-9
    frame["fell_back"] = delta <= -notable + 1e-9
    frame["improved"] = delta >= notable - 1e-9
    for column in ("rank", "group_rank"):
        frame[f"{column}_change"] = (frame[f"previous_{column}"].astype("Int64") - frame[column].astype("Int64")).astype("Int64")
    return frame


def national_rank_since(changes: pd.DataFrame, scores: Scores, snapshot: Snapshot, available: list[Snapshot]) -> pd.DataFrame:
    """``changes`` with ``previous_rank_date``, the capture a rank is compared with. The table of
    every province is not crawled every day: where the province's previous capture has no
    national rank, its rank is compared with the latest comparable capture that has one (10/10's
    4th with 02/10's 6th, when 05/10 has none), and that capture's date says so."""
    frame = changes.assign(previous_rank_date=changes["previous_snapshot_date"].where(changes["previous_rank"].notna()))
    province = ((frame["level"] == WHOLE_PROVINCE) & (frame["scope"] == SCOPE_TOTAL) & frame["rank"].notna() & frame["previous_rank"].isna()).to_numpy(bool)
    if not province.any():
        return frame
    for other in comparable_earlier(snapshot, available):
        totals = scores.snapshot(other).totals
        ranked = totals[(totals["level"] == WHOLE_PROVINCE) & totals["rank"].notna()]
        if len(ranked):
            found = ranked.iloc[0]
            frame.loc[province, "previous_rank"] = int(found["rank"])
            frame.loc[province, "previous_rank_base"] = found["rank_base"]
            frame.loc[province, "previous_rank_date"] = other.snapshot_date
            frame.loc[province, "rank_change"] = int(found["rank"]) - frame.loc[province, "rank"].astype("Int64")
            break
    return frame


def points_change_kind(delta: float | None, comparison: str, tolerance: float) -> str:
    """What a change of points is, for the report to phrase: a COMPARISONS code other than
    ``compared``, or ``unchanged`` (within the rounding tolerance), ``up`` or ``down``."""
    if comparison in ("no_previous_snapshot", "new_unit"):
        return comparison
    if comparison == "no_score" or delta is None or pd.isna(delta):
        return "no_score"
    if abs(delta) <= tolerance + 1e-9:
        return "unchanged"
    return "up" if delta > 0 else "down"


def rank_change_kind(change: int | None, comparison: str) -> str:
    """What a change of rank is: ``no_comparison``, ``same``, ``up`` or ``down`` (a positive change is a move up)."""
    if comparison in ("no_previous_snapshot", "new_unit") or change is None or pd.isna(change):
        return "no_comparison"
    if change == 0:
        return "same"
    return "up" if change > 0 else "down"


def level_chain(snapshot: Snapshot, available: list[Snapshot], levels: dict[Snapshot, frozenset[str]], level: str) -> list[Snapshot]:
    """``snapshot`` and the snapshots of ``level`` before it that it is compared with, newest first."""
    chain = [snapshot]
    while (previous := previous_by_level(chain[-1], available, levels).get(level)) is not None:
        chain.append(previous)
    return chain


def low_streaks(scores: Scores, snapshot: Snapshot, available: list[Snapshot], settings: dict[str, float]) -> pd.DataFrame:
    """Units whose total or a group score has been red (below the red share of its maximum) in at
    least ``index766_low_streak`` snapshots of its level running, up to ``snapshot``; longest streak first."""
    needed = int(settings["index766_low_streak"])
    levels = levels_by_snapshot(scores)
    found = []
    for level in sorted(levels.get(snapshot, frozenset())):
        chain = level_chain(snapshot, available, levels, level)
        frames = [scopes(scores.snapshot(other)).pipe(lambda frame: frame[frame["level"] == level]).assign(_position=position) for position, other in enumerate(chain)]
        stacked = pd.concat(frames, ignore_index=True)
        red = stacked.assign(_red=stacked["band"].eq("red")).pivot_table(index=["unit_id", "scope"], columns="_position", values="_red", aggfunc="any")
        red = red.reindex(columns=range(len(chain))).fillna(False).astype(bool)
        streak = pd.Series(red.to_numpy().cumprod(axis=1).sum(axis=1), index=red.index, name="streak")
        current = frames[0].merge(streak.reset_index(), on=["unit_id", "scope"], how="left")
        current = current[current["streak"] >= needed].copy()
        current["since"] = current["streak"].map(lambda length, chain=chain: chain[int(length) - 1].snapshot_date)
        found.append(current)
    if not found:
        return scopes(scores.snapshot(snapshot)).iloc[0:0].assign(streak=pd.Series(dtype="int64"), since=pd.Series(dtype="string"))
    frame = pd.concat(found, ignore_index=True)
    return frame.sort_values(["streak", "share"], ascending=[False, True], kind="stable").reset_index(drop=True)
