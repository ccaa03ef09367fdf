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
    threshold (the report's message ``index766.levers.method`` says how). Needs units' counts;
    empty when the source has only group scores.

    The province's own numerator and denominator are used where the source gives them;
    otherwise its units' counts are pooled (``province_counts`` says which).
    """
    indicators = scores.indicators
    counted = indicators[indicators["basis"] == "counts"]
    units = counted[(counted["level"] != WHOLE_PROVINCE) & counted["gap_count"].fillna(0).gt(0)]
    columns = [*IDENTITY, "group", "indicator", "numerator", "denominator", "gap_count", "share_of_province", "province_counts",
               "province_points", "province_points_if_met", "province_gain"]
    if units.empty:
        return pd.DataFrame(columns=columns)
    own = counted[counted["level"] == WHOLE_PROVINCE].set_index("indicator")[["numerator", "denominator"]].assign(province_counts="province")
    pooled = counted[counted["level"] != WHOLE_PROVINCE].groupby("indicator")[["numerator", "denominator"]].sum().assign(province_counts="pooled_units")
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
