"""766 scoring in plain Python and pandas: the specification of helpers.analysis.index766.scoring.

The fast path scores two million rows in whole hundredths with integer-coded units; this
module says the same rules the obvious way, with exact fractions, and
tests/test_reference_index766.py checks on random inputs that both agree. Nothing in the
reports calls it.

The rules (data/catalogue/index766_rules.csv):

- A sub-indicator's share is numerator ÷ denominator where the source gives both and the
  denominator is above 0; else, where the denominator is 0, it scores what the rule's
  ``zero_denominator`` says (``full``: its maximum, ``none``: 0); else it is the published
  ratio (exact in millionths); else it is not scored.
- Its points are max × min(1, share ÷ threshold), rounded half up to two decimals.
- A group's points are the sum of its sub-indicators' points when every sub-indicator of the
  group is scored; a unit's total is the sum of its groups' points when every group has them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from helpers.rules766 import Index766Rules, Rule
from helpers.tidy766 import SNAPSHOT_KEYS

IDENTITY = [*SNAPSHOT_KEYS, "level", "unit_id", "unit_name", "portal_code"]
RATIO_SCALE = 1_000_000  # a published ratio (two decimals of a percent) is exact in millionths


@dataclass(frozen=True)
class ReferenceScores:
    """Recomputed points: per sub-indicator row, per (unit, group) and per unit."""

    indicators: pd.DataFrame  # the tidy's scored rows with ``points``
    groups: pd.DataFrame  # IDENTITY, group, recomputed
    totals: pd.DataFrame  # IDENTITY, recomputed


def half_up_hundredths(value: Fraction) -> Fraction:
    return Fraction(math.floor(value * 100 + Fraction(1, 2)), 100)


def rule_points(numerator: object, denominator: object, ratio: object, rule: Rule) -> Fraction | None:
    """The points of one sub-indicator row, or None where nothing can be scored."""
    maximum = Fraction(str(rule.max_points))
    if not pd.isna(numerator) and not pd.isna(denominator) and denominator > 0:
        share = Fraction(int(numerator), int(denominator))
    elif not pd.isna(denominator) and denominator == 0:
        return maximum if rule.zero_denominator == "full" else Fraction(0)
    elif not pd.isna(ratio):
        share = Fraction(round(float(ratio) * RATIO_SCALE), RATIO_SCALE)
    else:
        return None
    threshold = Fraction(str(rule.threshold_percent)) / 100
    return half_up_hundredths(maximum * min(Fraction(1), share / threshold))


def score(tidy: pd.DataFrame, rules: Index766Rules) -> ReferenceScores:
    rows = tidy[(tidy["measure"] == "indicator") & tidy["indicator"].isin(list(rules.rules))]
    points = [
        rule_points(numerator, denominator, ratio, rules.rules[indicator])
        for numerator, denominator, ratio, indicator in zip(rows["numerator"], rows["denominator"], rows["ratio"], rows["indicator"])
    ]
    indicators = rows.assign(points=points, group=[rules.rules[indicator].group for indicator in rows["indicator"]])
    scored = indicators[indicators["points"].notna()]
    per_group = scored.groupby([*IDENTITY, "group"], dropna=False)["points"].agg(["sum", "size"]).reset_index()
    complete = per_group["size"] == per_group["group"].map(lambda group: len(rules.rules_of(group)))
    groups = per_group[complete].rename(columns={"sum": "recomputed"}).drop(columns="size")
    per_unit = groups.groupby(IDENTITY, dropna=False)["recomputed"].agg(["sum", "size"]).reset_index()
    totals = per_unit[per_unit["size"] == len(rules.groups)].rename(columns={"sum": "recomputed"}).drop(columns="size")
    return ReferenceScores(indicators.reset_index(drop=True), groups.reset_index(drop=True), totals.reset_index(drop=True))
