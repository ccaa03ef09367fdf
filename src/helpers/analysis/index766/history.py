"""A folder of daily captures as a time series: the province's total, groups and national rank
over time, and per unit how it moved — since its previous capture, over seven days, how many
captures in a row it fell — with counts of units up, down and unchanged, and the top movers.

Captures are compared as helpers.analysis.index766.changes compares them: like with like, each
level along its own chain of captures, a change within the points tolerance being rounding.
``page_snapshots`` says which captures get a page of their own (the setting
``index766_pages_per_month``): the latest and each month's last, not one page per day.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.tidy766 import Snapshot
from helpers.analysis.index766.changes import SCOPE_TOTAL, level_chain, levels_by_snapshot
from helpers.analysis.index766.scoring import Scores

WEEK_DAYS = 7
MOVEMENTS = ("up", "down", "unchanged", "not_compared")


def province_history(tidy: pd.DataFrame) -> pd.DataFrame:
    """Per capture of the province's own figures, oldest first: ``scope`` (total or a group
    code), ``points``, ``max_points``, ``rank`` and ``rank_base`` (the national rank, on the total)."""
    rows = tidy[(tidy["level"] == WHOLE_PROVINCE) & tidy["measure"].isin(["total", "group"])]
    frame = rows.assign(scope=rows["group"].where(rows["measure"] == "group", SCOPE_TOTAL))
    columns = ["period_kind", "period", "snapshot_date", "scope", "points", "max_points", "rank", "rank_base"]
    return frame[columns].sort_values(["period_kind", "snapshot_date", "period", "scope"], kind="stable").reset_index(drop=True)


def unit_movement(scores: Scores, snapshot: Snapshot, available: list[Snapshot], tolerance: float) -> pd.DataFrame:
    """Per unit of ``snapshot`` (the province itself left out): its total ``score``, ``change``
    since its level's previous capture, ``week_change`` since the latest capture at least seven
    days older (``week_date``), ``falls_in_a_row`` (captures running in which it fell by more than
    ``tolerance``) and ``movement`` (MOVEMENTS)."""
    levels = levels_by_snapshot(scores)
    parts = [_level_movement(scores, snapshot, available, levels, level, tolerance) for level in sorted(levels.get(snapshot, frozenset())) if level != WHOLE_PROVINCE]
    columns = ["unit_id", "unit_name", "level", "score", "change", "previous_date", "week_change", "week_date", "falls_in_a_row", "movement"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _level_movement(scores: Scores, snapshot: Snapshot, available: list[Snapshot], levels: dict[Snapshot, frozenset[str]], level: str, tolerance: float) -> pd.DataFrame:
    chain = level_chain(snapshot, available, levels, level)
    wanted = {(other.period_kind, other.period, other.snapshot_date): position for position, other in enumerate(chain)}
    totals = scores.totals[scores.totals["level"] == level]
    keys = list(zip(totals["period_kind"], totals["period"], totals["snapshot_date"]))
    position = pd.Series([wanted.get(key, -1) for key in keys], index=totals.index)
    totals = totals.assign(_position=position)[position >= 0]
    wide = totals.pivot_table(index="unit_id", columns="_position", values="score", aggfunc="first").reindex(columns=range(len(chain)))
    current = totals[totals["_position"] == 0].set_index("unit_id")
    wide = wide.reindex(current.index)
    values = wide.to_numpy(float)
    steps = values[:, :-1] - values[:, 1:] if len(chain) > 1 else np.empty((len(wide), 0))
    fell = np.nan_to_num(steps, nan=0.0) < -tolerance - 1e-9
    frame = pd.DataFrame({"unit_id": current.index, "unit_name": current["unit_name"].to_numpy(), "level": level, "score": current["score"].to_numpy(float)})
    frame["change"] = np.round(steps[:, 0], 2) if steps.shape[1] else np.nan
    frame["previous_date"] = chain[1].snapshot_date if len(chain) > 1 else None
    frame["falls_in_a_row"] = fell.cumprod(axis=1).sum(axis=1) if steps.shape[1] else 0
    week = _week_position(chain)
    frame["week_change"] = np.round(values[:, 0] - values[:, week], 2) if week is not None else np.nan
    frame["week_date"] = chain[week].snapshot_date if week is not None else None
    change = frame["change"].astype(float)
    frame["movement"] = np.select([change.isna(), change > tolerance + 1e-9, change < -tolerance - 1e-9], ["not_compared", "up", "down"], default="unchanged")
    return frame


def _week_position(chain: list[Snapshot]) -> int | None:
    """The position in ``chain`` of the newest capture at least WEEK_DAYS older than its first."""
    limit = pd.Timestamp(chain[0].snapshot_date) - pd.Timedelta(days=WEEK_DAYS)
    return next((position for position, other in enumerate(chain) if pd.Timestamp(other.snapshot_date) <= limit), None)


def movement_counts(movement: pd.DataFrame) -> pd.DataFrame:
    """Per level: how many units went up, down, stayed unchanged or could not be compared."""
    counts = movement.groupby(["level", "movement"]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(MOVEMENTS), fill_value=0).reset_index()


def top_movers(movement: pd.DataFrame, count: int, direction: str) -> pd.DataFrame:
    """The ``count`` units that rose (``direction="up"``) or fell (``"down"``) most since their previous capture."""
    moved = movement[movement["movement"] == direction]
    return moved.sort_values(["change", "unit_name"], ascending=[direction == "down", True], kind="stable").head(count).reset_index(drop=True)


def page_snapshots(available: list[Snapshot], per_month: int) -> list[Snapshot]:
    """The captures with a page of their own: the latest of each period kind and, in each
    calendar month of capture, the last ``per_month`` captures of each period (0: the latest only)."""
    chosen: set[Snapshot] = set()
    by_kind: dict[str, list[Snapshot]] = {}
    for snapshot in available:
        by_kind.setdefault(snapshot.period_kind, []).append(snapshot)
    for snapshots in by_kind.values():
        chosen.add(max(snapshots, key=lambda snapshot: (snapshot.snapshot_date, snapshot.period)))
        months: dict[tuple[str, str], list[Snapshot]] = {}
        for snapshot in snapshots:
            months.setdefault((snapshot.period, snapshot.month), []).append(snapshot)
        for month in months.values():
            chosen.update(sorted(month, key=lambda snapshot: snapshot.snapshot_date)[-per_month:] if per_month > 0 else [])
    return sorted(chosen)
