"""Points at stake: what each unit loses on each group and sub-indicator, how many more
dossiers would win it back, and which units' improvement would lift the province most.

The province's score is not the average of its units': it is scored on the province's own
counts. So a unit's weight in the province is its share of the province's denominators, and
the lift it can give is computed, not guessed (province_levers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot
from helpers.analysis.index766.scoring import IDENTITY, UNIT_KEYS, Scores, points_hundredths


def group_stakes(scores: Scores) -> pd.DataFrame:
    """Points lost per unit and group (maximum − score), with the unit's total lost."""
    frame = scores.groups[[*IDENTITY, "group", "score", "max_points", "share", "band", "lost_points"]].copy()
    frame["unit_lost_points"] = frame.groupby(UNIT_KEYS)["lost_points"].transform("sum").round(2)
    return frame.reset_index(drop=True)


def indicator_stakes(scores: Scores) -> pd.DataFrame:
    """Sub-indicators with points lost, biggest loss first; ``gap_count`` is the number of
    dossiers (or procedures, services, petitions: the rule's gap label) more that reach the threshold."""
    columns = [*IDENTITY, "group", "indicator", "numerator", "denominator", "ratio_used", "threshold", "points", "max_points", "lost_points", "gap_count"]
    frame = scores.indicators.loc[scores.indicators["lost_points"].fillna(0) > 0, columns].copy()
    return frame.sort_values(["lost_points", "unit_name"], ascending=[False, True], kind="stable").reset_index(drop=True)


def province_levers(scores: Scores, rules: Index766Rules) -> pd.DataFrame:
    """Per unit and sub-indicator, the province points gained if that unit alone reached the
    threshold (the report's message ``index766.levers.method`` says how). Every unit of the
    province is a candidate, departments and communes alike; it needs units' counts and is
    empty when the source has only group scores.

    The province's own numerator and denominator are used where the source gives them;
    otherwise every unit's counts are pooled (``province_counts`` says which) — only when every
    unit of the snapshot has counts for the sub-indicator: the departments' dossiers alone are
    not the province's, and a share of them would overstate each department's weight
    (``lever_coverage`` says how many units have counts).
    """
    indicators = scores.indicators
    counted = indicators[indicators["basis"] == "counts"]
    units = counted[(counted["level"] != WHOLE_PROVINCE) & counted["gap_count"].fillna(0).gt(0)]
    columns = [*IDENTITY, "group", "indicator", "numerator", "denominator", "gap_count", "share_of_province", "province_counts",
               "province_points", "province_points_if_met", "province_gain"]
    if units.empty:
        return pd.DataFrame(columns=columns)
    own = counted[counted["level"] == WHOLE_PROVINCE].set_index("indicator")[["numerator", "denominator"]].assign(province_counts="province")
    every_unit = set(scores.totals.loc[scores.totals["level"] != WHOLE_PROVINCE, "unit_id"])
    covered = _with_counts(indicators)
    unit_counts = covered[covered["level"] != WHOLE_PROVINCE].groupby("indicator")
    pooled = unit_counts[["numerator", "denominator"]].sum().assign(province_counts="pooled_units")
    complete = unit_counts["unit_id"].agg(lambda ids: every_unit <= set(ids))
    pooled = pooled[complete.reindex(pooled.index, fill_value=False).to_numpy(bool)]
    province = pd.concat([own, pooled[~pooled.index.isin(own.index)]]).rename(columns={"numerator": "province_numerator", "denominator": "province_denominator"})
    frame = units.merge(province, left_on="indicator", right_index=True, how="inner")
    frame = frame[frame["province_denominator"] > 0].copy()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    max_hundredths = np.round(frame["max_points"].to_numpy(float) * 100).astype(np.int64)
    threshold = np.round(frame["threshold_percent"].to_numpy(float) * 100).astype(np.int64)
    numerator = frame["province_numerator"].to_numpy(np.int64)
    denominator = frame["province_denominator"].to_numpy(np.int64)
    improved = np.minimum(numerator + frame["gap_count"].to_numpy(np.int64), denominator)
    now = points_hundredths(numerator, denominator, max_hundredths, threshold)
    then = points_hundredths(improved, denominator, max_hundredths, threshold)
    frame["share_of_province"] = frame["denominator"].astype("float64") / frame["province_denominator"].astype("float64")
    frame["province_points"] = now / 100
    frame["province_points_if_met"] = then / 100
    frame["province_gain"] = (then - now) / 100
    frame = frame[frame["province_gain"] > 0]
    return frame[columns].sort_values(["province_gain", "share_of_province"], ascending=False, kind="stable").reset_index(drop=True)


def lever_coverage(scores: Scores) -> dict[str, int]:
    """How many of the snapshot's units (``units``) have sub-indicator counts (``counted``), and
    whether the province has counts of its own (``province``: 1 or 0)."""
    counted, totals = _with_counts(scores.indicators), scores.totals
    return {
        "units": int(totals.loc[totals["level"] != WHOLE_PROVINCE, "unit_id"].nunique()),
        "counted": int(counted.loc[counted["level"] != WHOLE_PROVINCE, "unit_id"].nunique()),
        "province": int((counted["level"] == WHOLE_PROVINCE).any()),
    }


def _with_counts(indicators: pd.DataFrame) -> pd.DataFrame:
    """Sub-indicator rows with a numerator and a denominator (0 of 0 included: nothing arose)."""
    return indicators[(indicators["numerator"].notna() & indicators["denominator"].notna()).to_numpy(bool)]


# The dossier counts of the processing group (helpers.ingest.index766.unit_detail): overdue
# and received are published as values; the on-time sub-indicator's denominator is the same
# received count, used where the value is missing.
OVERDUE, RECEIVED, ON_TIME = "OVERDUE", "RECEIVED", "ON_TIME"


def overdue_by_unit(tidy: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """Per unit with published dossier counts (the province itself left out): ``overdue``,
    ``received`` and ``share`` (overdue of received), most overdue first; empty when the
    source has no overdue counts (unit lists, a hand-filled notice)."""
    rows = tidy[
        (tidy["period_kind"] == snapshot.period_kind) & (tidy["period"] == snapshot.period) & (tidy["snapshot_date"] == snapshot.snapshot_date)
        & (tidy["measure"] == "indicator") & (tidy["level"] != WHOLE_PROVINCE)
    ]
    columns = ["unit_id", "unit_name", "level", "overdue", "received", "share"]
    overdue = rows[rows["indicator"] == OVERDUE].set_index("unit_id")
    if overdue.empty:
        return pd.DataFrame(columns=columns)
    received = rows[rows["indicator"] == RECEIVED].set_index("unit_id")["value"]
    on_time = rows[rows["indicator"] == ON_TIME].set_index("unit_id")["denominator"].astype("Float64")
    frame = overdue[["unit_name", "level"]].assign(overdue=overdue["value"].astype("Float64"))
    frame["received"] = received.astype("Float64").reindex(frame.index).fillna(on_time.reindex(frame.index))
    frame["share"] = (frame["overdue"] / frame["received"].where(frame["received"] > 0)).astype("Float64")
    frame = frame.reset_index().sort_values(["overdue", "unit_name"], ascending=[False, True], kind="stable")
    return frame[columns].reset_index(drop=True)


def overdue_summary(overdue: pd.DataFrame, many: int = 2) -> dict[str, float]:
    """As the province's notice reports it: units with overdue dossiers, of them those with more
    than ``many``, the overdue dossiers in all and their share of all dossiers received."""
    received = float(overdue["received"].fillna(0).sum())
    total = float(overdue["overdue"].fillna(0).sum())
    return {
        "units": int((overdue["overdue"].fillna(0) > 0).sum()),
        "units_over": int((overdue["overdue"].fillna(0) > many).sum()),
        "many": many,
        "overdue": total,
        "share": total / received if received else float("nan"),
    }


def gap_to_next_province(national: pd.DataFrame, portal_code: str) -> pd.Series | None:
    """The province one place up the national table (columns ``portal_code``, ``name``,
    ``total``, ``rank``) and the points between them (``gap``); None at the top or when the
    province is not in the table."""
    table = national.sort_values("rank", kind="stable").reset_index(drop=True)
    found = table.index[table["portal_code"] == portal_code]
    if not len(found) or found[0] == 0:
        return None
    own, above = table.loc[found[0]], table.loc[found[0] - 1]
    return pd.Series({
        "name": above["name"], "rank": int(above["rank"]), "total": float(above["total"]),
        "own_rank": int(own["rank"]), "own_total": float(own["total"]), "gap": round(float(above["total"]) - float(own["total"]), 2),
        "rank_base": int(own["rank_base"]) if "rank_base" in own and pd.notna(own["rank_base"]) else None,
    })
