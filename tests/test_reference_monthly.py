"""The engine's fast target resolution agrees with the plain-pandas specification on random inputs."""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers.analysis.monthly import reference
from helpers.analysis.monthly.engine import evaluate
from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.paths import DEFAULT_DATA_DIR
from helpers.tidy import conform

BUNDLED = Catalogue(DEFAULT_DATA_DIR / "catalogue")
# Two of the bundled indicators and one where a lower rate is better, to cover both directions.
LOWER = replace(BUNDLED.indicator("reuse"), id="late_dossiers", direction="lower")
INDICATORS = ["online_dossiers", "e_result", LOWER.id]
PROVINCES = ["binh_dinh", "mo_phong"]
LEVELS = ["cap_tinh", "cap_huyen", "cap_xa"]
PERIODS = ["2023-12", "2024-01", "2024-02", "2025-06", "2026-01"]

fractions = st.one_of(st.integers(0, 100).map(lambda percent: percent / 100), st.floats(0, 1))
target_rows = st.lists(
    st.fixed_dictionaries(
        {
            "indicator": st.sampled_from(INDICATORS),
            "year": st.integers(2023, 2026),
            "tier": st.sampled_from(["central", "provincial"]),
            "province": st.sampled_from(["", *PROVINCES]),
            "level": st.sampled_from(["", *LEVELS]),
            "target": fractions,
        }
    ),
    max_size=14,
)
unit_rows = st.lists(
    st.fixed_dictionaries(
        {
            "period": st.sampled_from(PERIODS),
            "province": st.sampled_from(PROVINCES),
            "level": st.sampled_from(LEVELS),
            "indicator": st.sampled_from(INDICATORS),
            "numerator": st.one_of(st.none(), st.integers(0, 50)),
            "denominator": st.one_of(st.none(), st.integers(0, 50)),
            "reported_rate": st.one_of(st.none(), fractions),
            # Outside 0–100% too: the floor replaces an assigned target that cannot be one.
            "assigned_target": st.one_of(st.none(), fractions, st.sampled_from([-0.1, 1.2, 9.8])),
        }
    ),
    min_size=1,
    max_size=25,
)


# A specific target earlier in the table than a blank one of the same year: the specific one wins.
SPECIFIC_FIRST = [
    {"indicator": "online_dossiers", "year": 2024, "tier": "central", "province": "binh_dinh", "level": "cap_xa", "target": 0.7},
    {"indicator": "online_dossiers", "year": 2024, "tier": "central", "province": "", "level": "", "target": 0.5},
]
SPECIFIC_UNIT = [{"period": "2024-01", "province": "binh_dinh", "level": "cap_xa", "indicator": "online_dossiers", "numerator": 1, "denominator": 2, "reported_rate": 0.5, "assigned_target": None}]


def catalogue_with(targets: list[dict[str, object]]) -> Catalogue:
    catalogue = copy.copy(BUNDLED)
    catalogue.indicators = {**BUNDLED.indicators, LOWER.id: LOWER}
    frame = pd.DataFrame(targets, columns=["indicator", "year", "tier", "province", "level", "target"])
    # A provincial target always names its province (the catalogue refuses one that does not).
    frame = frame[(frame["tier"] == "central") | (frame["province"] != "")].reset_index(drop=True)
    catalogue.targets = frame.assign(source_vi=[f"decision {number}" for number in range(len(frame))])
    return catalogue


def tidy_of(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).assign(row_kind="unit")
    frame["unit_id"] = [f"unit_{number}" for number in range(len(frame))]
    frame["unit_name"] = frame["unit_id"]
    return conform(frame)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target_rows, unit_rows)
@example(SPECIFIC_FIRST, SPECIFIC_UNIT)
def test_unit_targets_agree_with_the_reference(targets: list[dict[str, object]], rows: list[dict[str, object]]) -> None:
    catalogue = catalogue_with(targets)
    tidy = tidy_of(rows)
    units = evaluate(tidy, catalogue).units.sort_values("unit_id", key=lambda ids: ids.str.slice(5).astype(int)).reset_index(drop=True)
    direction = {indicator: catalogue.indicator(indicator).higher_is_better for indicator in INDICATORS}
    expected = reference.unit_targets(tidy[["period", "province", "level", "indicator", "assigned_target"]], catalogue.targets, direction)
    for column in ("central_target", "provincial_target", "target"):
        np.testing.assert_allclose(units[column].astype("float64"), expected[column].astype("float64"), err_msg=column)
    for column in ("central_source", "provincial_source", "target_tier"):
        assert units[column].tolist() == expected[column].tolist(), column


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(target_rows, unit_rows)
def test_pooled_targets_agree_with_the_reference(targets: list[dict[str, object]], rows: list[dict[str, object]]) -> None:
    catalogue = catalogue_with(targets)
    aggregates = evaluate(tidy_of(rows), catalogue).aggregates
    keys = aggregates.assign(year=aggregates["period"].str.slice(0, 4).astype(int))
    expected = reference.resolve_targets(keys, catalogue.targets)
    assert set(aggregates["level"]) - set(LEVELS) == {WHOLE_PROVINCE}
    for tier in ("central", "provincial"):
        np.testing.assert_allclose(aggregates[f"{tier}_target"].astype("float64"), expected[f"{tier}_target"], err_msg=tier)
        assert aggregates[f"{tier}_source"].tolist() == expected[f"{tier}_source"].tolist()


def test_the_reference_reads_the_bundled_targets_as_the_readme_says() -> None:
    keys = pd.DataFrame({"province": ["binh_dinh", "gia_lai"], "level": ["cap_xa", "cap_xa"], "indicator": ["online_dossiers"] * 2, "year": [2024, 2024]})
    resolved = reference.resolve_targets(keys, BUNDLED.targets)
    assert resolved["central_target"].tolist() == [0.5, 0.5]
    assert resolved["provincial_target"].iloc[0] == 0.6 and np.isnan(resolved["provincial_target"].iloc[1])
    assert reference.unit_target(0.55, 0.6, 0.5, higher_is_better=True) == (0.6, "floor")
    assert reference.unit_target(0.7, 0.6, 0.5, higher_is_better=True) == (0.7, "assigned")
    assert reference.unit_target(0.7, 0.6, 0.5, higher_is_better=False) == (0.6, "floor")
    assert reference.unit_target(float("nan"), float("nan"), 0.5, higher_is_better=True) == (0.5, "central")
