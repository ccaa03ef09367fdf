"""Does the rules table reproduce what the portal published? Every unit, every sub-indicator.

``score_in_force`` scores each snapshot with the rules in force on the day it was taken (a 2024
snapshot is not judged by rules calibrated on 2026 data; a snapshot with no rules in force is
left unscored). ``reproduce`` lists every pair of a published figure and the one recomputed
from the unit's counts — sub-indicators, and groups and totals wherever every part could be
recomputed — with the difference and, for each one not reproduced, why it is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.analysis.index766.scoring import Scores, score
from helpers.rules766 import Index766Rules

REPRODUCTION_COLUMNS = [
    "province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "scope", "group", "indicator",
    "published", "recomputed", "difference", "reproduced", "basis", "reason", "source_file", "source_record",
]


def score_in_force(tidy: pd.DataFrame, rules: Index766Rules, settings: dict[str, float]) -> Scores:
    """helpers.analysis.index766.scoring.score, each snapshot date with the rules of its day."""
    parts = [score(frame, rules.in_force(str(date)), settings) for date, frame in tidy.groupby("snapshot_date", sort=True)]
    if not parts:
        return score(tidy, rules, settings)
    return Scores(*(pd.concat([getattr(part, name) for part in parts], ignore_index=True) for name in ("indicators", "groups", "totals")))


@dataclass(frozen=True)
class Reproduction:
    """One row per published figure that was also recomputed (``REPRODUCTION_COLUMNS``)."""

    pairs: pd.DataFrame

    @property
    def not_reproduced(self) -> pd.DataFrame:
        return self.pairs[~self.pairs["reproduced"]].reset_index(drop=True)

    def share_reproduced(self, scope: str = "indicator") -> float:
        """The share of pairs of ``scope`` (indicator, group, total) that the rules reproduce."""
        chosen = self.pairs[self.pairs["scope"] == scope]
        return float(chosen["reproduced"].mean()) if len(chosen) else float("nan")


def reproduce(tidy: pd.DataFrame, rules: Index766Rules, settings: dict[str, float]) -> Reproduction:
    scores = score_in_force(tidy, rules, settings)
    frames = []
    indicators = scores.indicators[scores.indicators["published"].notna() & scores.indicators["points"].notna()]
    frames.append(indicators.assign(scope="indicator", recomputed=indicators["points"], reason=[_indicator_reason(row) for _, row in indicators.iterrows()]))
    for scope, frame in (("group", scores.groups), ("total", scores.totals)):
        chosen = frame[frame["published"].notna() & frame["recomputed"].notna()]
        reason = "the sum of its recomputed sub-indicators" if scope == "group" else "the sum of its recomputed groups"
        extra = {"basis": "sub-indicators"} if scope == "group" else {"basis": "groups", "group": pd.NA}
        frames.append(chosen.assign(scope=scope, indicator=pd.NA, reason=reason, **extra))
    pairs = pd.concat([frame.reindex(columns=REPRODUCTION_COLUMNS) for frame in frames], ignore_index=True)
    pairs["reproduced"] = pairs["reproduced"].fillna(False).astype(bool)
    pairs.loc[pairs["reproduced"], "reason"] = ""
    return Reproduction(pairs)


def _indicator_reason(row: pd.Series) -> str:
    """How the recomputed points were had, for a reader to see why they differ."""
    if row["basis"] == "counts":
        return f"from the counts {row['numerator']}/{row['denominator']} at threshold {row['threshold_percent']:g}%"
    if row["basis"] == "zero_denominator":
        return f"a zero denominator scores {row['zero_denominator']} in the rules table"
    return f"from the published ratio {float(row['ratio_used']) * 100:.2f}% at threshold {row['threshold_percent']:g}%"
