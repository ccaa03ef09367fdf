"""Period-over-period: score deltas in points, rank changes, units that fell back or stay low.

Only like is compared with like (helpers.index766.schema.previous_snapshot). Ranks are the
source's: the portal ranks departments and communes together (``rank``, so commune ranks skip
numbers) and each group on its own (``group_rank``). A positive rank change is a move up.
A change no larger than the points tolerance (0,01) is rounding, not news; "fell back" needs a
fall of at least ``notable_change_points`` (data/catalogue/settings.csv).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.tidy766 import Snapshot, previous_snapshot
from helpers.analysis.index766.scoring import IDENTITY, Scores

SCOPE_TOTAL = "total"
COMPARISONS = ("compared", "no_previous_snapshot", "new_unit", "no_score")
_RANK_COLUMNS = ["rank", "rank_base", "group_rank", "group_rank_base"]


def scopes(scores: Scores) -> pd.DataFrame:
    """Totals and group scores in one long frame: one row per unit and scope (total or a group)."""
    totals = scores.totals.assign(scope=SCOPE_TOTAL)
    groups = scores.groups.rename(columns={"group": "scope"})
    columns = [*IDENTITY, "scope", "score", "max_points", "share", "band", "lost_points", *_RANK_COLUMNS, "tie_size", "tied_with"]
    frame = pd.concat([totals.reindex(columns=columns), groups.reindex(columns=columns)], ignore_index=True)
    for column in _RANK_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def compare(scores: Scores, snapshot: Snapshot, previous: Snapshot | None, settings: dict[str, float]) -> pd.DataFrame:
    """Each unit's total and group scores in ``snapshot`` beside ``previous``; see COMPARISONS."""
    current = scopes(scores.snapshot(snapshot))
    tolerance, notable = settings["index766_points_tolerance"], settings["notable_change_points"]
    if previous is None:
        before = pd.DataFrame(columns=["unit_id", "scope", "previous_score", *[f"previous_{column}" for column in _RANK_COLUMNS]])
        units_before: set[str] = set()
    else:
        before = scopes(scores.snapshot(previous))[["unit_id", "scope", "score", *_RANK_COLUMNS]]
        before = before.rename(columns={column: f"previous_{column}" for column in ["score", *_RANK_COLUMNS]})
        units_before = set(before["unit_id"])
    frame = current.merge(before, on=["unit_id", "scope"], how="left")
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


def comparison_chain(snapshot: Snapshot, available: list[Snapshot]) -> list[Snapshot]:
    """``snapshot`` and the snapshots before it that it is compared with, newest first."""
    chain = [snapshot]
    while (previous := previous_snapshot(chain[-1], available)) is not None:
        chain.append(previous)
    return chain


def low_streaks(scores: Scores, snapshot: Snapshot, available: list[Snapshot], settings: dict[str, float]) -> pd.DataFrame:
    """Units whose total or a group score has been red (below the red share of its maximum) in at
    least ``index766_low_streak`` snapshots running, up to ``snapshot``; longest streak first."""
    chain = comparison_chain(snapshot, available)
    needed = int(settings["index766_low_streak"])
    frames = [scopes(scores.snapshot(other)).assign(_position=position) for position, other in enumerate(chain)]
    stacked = pd.concat(frames, ignore_index=True)
    red = stacked.assign(_red=stacked["band"].eq("red")).pivot_table(index=["unit_id", "scope"], columns="_position", values="_red", aggfunc="any")
    red = red.reindex(columns=range(len(chain))).fillna(False).astype(bool)
    streak = pd.Series(red.to_numpy().cumprod(axis=1).sum(axis=1), index=red.index, name="streak")
    current = frames[0].merge(streak.reset_index(), on=["unit_id", "scope"], how="left")
    current = current[current["streak"] >= needed].copy()
    current["since"] = current["streak"].map(lambda length: chain[int(length) - 1].snapshot_date)
    return current.sort_values(["streak", "share"], ascending=[False, True], kind="stable").reset_index(drop=True)
