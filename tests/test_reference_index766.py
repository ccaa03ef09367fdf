"""The fast 766 scoring agrees with the plain specification (exact fractions) on random inputs."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.analysis.index766 import reference
from helpers.analysis.index766.scoring import score
from helpers.paths import DEFAULT_DATA_DIR
from helpers.rules766 import load_rules
from helpers.tidy766 import conform766

RULES = load_rules(DEFAULT_DATA_DIR / "catalogue")
SETTINGS = {"index766_points_tolerance": 0.01, "red_below_share_of_max": 0.5, "amber_below_share_of_max": 0.7}
SNAPSHOTS = [("gia_lai", "year_to_date", "2026", "2026-10-10"), ("gia_lai", "month", "2026-09", "2026-10-10"), ("ha_noi", "year_to_date", "2026", "2026-11-10")]
COUNTS = st.one_of(st.none(), st.just(0), st.integers(0, 5), st.integers(0, 2_000_000))
# A published ratio has two decimals of a percent: 0.7404 is 74,04%.
RATIOS = st.one_of(st.none(), st.integers(0, 10_000).map(lambda basis_points: basis_points / 10_000))


@st.composite
def unit_rows(draw: st.DrawFn, number: int) -> list[dict[str, object]]:
    province, period_kind, period, snapshot_date = draw(st.sampled_from(SNAPSHOTS))
    unit = {
        "province": province, "period_kind": period_kind, "period": period, "snapshot_date": snapshot_date,
        "level": draw(st.sampled_from(["cap_tinh", "cap_xa"])), "unit_id": f"unit_{number % 3}",
        "unit_name": draw(st.sampled_from(["Sở Tư pháp", "UBND xã An Hòa"])), "portal_code": draw(st.sampled_from([None, "G01"])),
    }
    left_out = draw(st.sets(st.sampled_from(list(RULES.rules)), max_size=3))
    rows = [
        {**unit, "measure": "indicator", "indicator": indicator, "numerator": draw(COUNTS), "denominator": draw(COUNTS), "ratio": draw(RATIOS)}
        for indicator in RULES.rules
        if indicator not in left_out
    ]
    published = st.one_of(st.none(), st.integers(0, 2000).map(lambda hundredths: hundredths / 100))
    rows += [{**unit, "measure": "group", "group": group, "points": draw(published)} for group in draw(st.sets(st.sampled_from(list(RULES.groups))))]
    if draw(st.booleans()):
        rows.append({**unit, "measure": "total", "points": draw(published)})
    return rows


@st.composite
def tidy_tables(draw: st.DrawFn) -> pd.DataFrame:
    rows = [row for number in range(draw(st.integers(1, 5))) for row in draw(unit_rows(number))]
    # The same unit drawn twice in one snapshot would be two sources for one figure: keep the first.
    frame = conform766(pd.DataFrame(rows)).drop_duplicates(subset=["province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "portal_code", "measure", "group", "indicator"])
    order = draw(st.permutations(range(len(frame))))  # the fast path must not rely on rows of a unit coming together
    return conform766(frame.iloc[list(order)].reset_index(drop=True))


def keyed(frame: pd.DataFrame, keys: list[str], column: str) -> dict[tuple[object, ...], float]:
    """{key: value} of the rows where ``column`` has a value; missing key parts as None."""
    present = frame[frame[column].notna()]
    return {
        tuple(None if pd.isna(part) else part for part in key): float(value)
        for key, value in zip(present[keys].itertuples(index=False, name=None), present[column])
    }


def assert_same(fast: dict[tuple[object, ...], float], expected: dict[tuple[object, ...], float]) -> None:
    assert fast.keys() == expected.keys()
    for key, value in expected.items():
        assert abs(fast[key] - value) < 1e-9, (key, fast[key], value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tidy_tables())
def test_points_groups_and_totals_agree_with_the_reference(tidy: pd.DataFrame) -> None:
    fast = score(tidy, RULES, SETTINGS)
    expected = reference.score(tidy, RULES)
    assert_same(keyed(fast.indicators, [*reference.IDENTITY, "indicator"], "points"), keyed(expected.indicators, [*reference.IDENTITY, "indicator"], "points"))
    assert_same(keyed(fast.groups, [*reference.IDENTITY, "group"], "recomputed"), keyed(expected.groups, [*reference.IDENTITY, "group"], "recomputed"))
    assert_same(keyed(fast.totals, reference.IDENTITY, "recomputed"), keyed(expected.totals, reference.IDENTITY, "recomputed"))


def test_the_reference_rounds_half_up_and_caps_at_the_maximum() -> None:
    rule = RULES.rules["CITIZEN_DATA_CONNECTED_DOSSIER"]  # 2 points at 100%
    assert reference.rule_points(2010, 4000, None, rule) == Fraction(101, 100)  # 1,005 → 1,01
    assert reference.rule_points(412784, 1065150, None, rule) == Fraction(78, 100)
    assert reference.rule_points(None, None, 0.7404, RULES.rules["ON_TIME"]) == Fraction(1481, 100)
    assert reference.rule_points(886491, 1065048, None, RULES.rules["ONLINE_DOSSIERS"]) == 6  # 83% against 50%: capped
    assert reference.rule_points(0, 0, None, RULES.rules["PETITION_PROCESSING_ON_TIME"]) == 6  # zero denominator: full
    assert reference.rule_points(0, 0, None, RULES.rules["DOSSIER_SYNC"]) == 0  # zero denominator: none
    assert reference.rule_points(None, 5, None, rule) is None
