"""Issue 2 acceptance: the engine reproduces the 02/2024 report's figures that the tables allow."""

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from helpers.analysis.monthly.checks import run_checks
from helpers.report.checks_view import describe_checks

# Published in the report text (seed 000), by scope: whole province, cấp tỉnh, cấp huyện, cấp xã.
PUBLISHED = {
    "online_dossiers": {"toan_tinh": "92", "cap_tinh": "98", "cap_huyen": "96", "cap_xa": "88"},
    "services_with_dossiers": {"toan_tinh": "97", "cap_tinh": "96", "cap_huyen": "99", "cap_xa": "94"},
    "procedures_with_payment": {"toan_tinh": "85", "cap_tinh": "100", "cap_huyen": "100", "cap_xa": "77"},
    "digitized": {"toan_tinh": "96.7", "cap_tinh": "95.5", "cap_huyen": "99.8", "cap_xa": "96"},
}


def _as_published(rate: float, published: str) -> str:
    """The pooled rate rounded the way the report writes it (half up, as many decimals)."""
    decimals = Decimal(published).as_tuple().exponent
    rounded = Decimal(repr(float(rate) * 100)).quantize(Decimal(1).scaleb(decimals), rounding=ROUND_HALF_UP)
    return str(rounded)


@pytest.mark.parametrize(
    ("indicator", "scope"), [(indicator, scope) for indicator, scopes in PUBLISHED.items() for scope in scopes]
)
def test_pooled_rates_reproduce_the_report(real_results, indicator: str, scope: str) -> None:
    aggregates = real_results.aggregates.set_index(["indicator", "level"])
    rate = aggregates.loc[(indicator, scope), "rate"]
    assert _as_published(rate, PUBLISHED[indicator][scope]) == PUBLISHED[indicator][scope]


def test_pooling_is_not_averaging(real_results) -> None:
    districts = real_results.units.query("level == 'cap_huyen' and indicator == 'online_payment'")
    pooled = real_results.aggregates.query("level == 'cap_huyen' and indicator == 'online_payment'")["rate"].iloc[0]
    assert pooled == pytest.approx(3397 / 7028)
    assert pooled != pytest.approx(districts["rate"].mean())


@pytest.fixture(scope="module")
def checks(real_tidy, real_results, context) -> pd.DataFrame:
    return run_checks(real_tidy, real_results, context.catalogue, context.registry)


def test_unreproducible_published_figures_are_listed(checks: pd.DataFrame, context) -> None:
    published = checks[checks["check"].isin(["published_mismatch", "published_not_reproducible"])]
    listed = set(zip(published["check"], published["level"], published["indicator"]))
    assert ("published_mismatch", "toan_tinh", "online_payment") in listed  # 71,2% published, 78,8% pooled
    assert ("published_mismatch", "toan_tinh", "reuse") in listed  # 19,3% published, 38,8% pooled
    for scope in ("toan_tinh", "cap_tinh", "cap_huyen", "cap_xa"):
        assert ("published_not_reproducible", scope, "e_result") in listed
    reproduced = [(indicator, scope) for indicator, scopes in PUBLISHED.items() for scope in scopes]
    assert not any((level, indicator) in {(s, i) for i, s in reproduced} for _, level, indicator in listed)
    row = published[(published["level"] == "toan_tinh") & (published["indicator"] == "online_payment")]
    message = describe_checks(row, context.catalogue, "vi").iloc[0]["message"]
    assert "71,2%" in message and "78,8%" in message and "17.756/22.522" in message


def test_reported_rate_mismatch_is_flagged_with_its_cell(checks: pd.DataFrame, context) -> None:
    planning = checks[(checks["unit_id"] == "bd.ke_hoach_va_dau_tu") & (checks["indicator"] == "digitized")]
    assert list(planning["check"]) == ["rate_mismatch"]
    row = describe_checks(planning, context.catalogue, "vi").iloc[0]
    assert row["location"] == "tệp phu_luc_7_chi_tieu_2024-02.xlsx, trang PL1 - Cấp tỉnh, dòng 35, cột F"
    assert "92%" in row["message"] and "5,5%" in row["message"] and "33/602" in row["message"]


def test_rounding_is_not_a_mismatch(checks: pd.DataFrame) -> None:
    # Sở Tài nguyên và Môi trường: 279/466 = 59,87%, written 60%.
    environment = checks[(checks["unit_id"] == "bd.tai_nguyen_va_moi_truong") & (checks["indicator"] == "online_dossiers")]
    assert environment.empty


def test_e_result_has_no_pooled_rate_and_says_why(real_results, checks: pd.DataFrame) -> None:
    e_result = real_results.aggregates.query("indicator == 'e_result'")
    assert e_result["rate"].isna().all()
    assert set(checks.loc[checks["check"] == "no_denominator", "level"]) == {"cap_tinh", "cap_huyen", "cap_xa"}


def test_misplaced_commune_targets_are_flagged_and_the_floor_applies(real_results, checks: pd.DataFrame) -> None:
    an_lao = real_results.units.query("unit_id == 'bd.xa_huyen_an_lao' and indicator == 'e_result'").iloc[0]
    assert an_lao["assigned_target"] == pytest.approx(0.09)
    assert (an_lao["target"], an_lao["target_tier"], an_lao["status"]) == (1.0, "floor", "below")
    flagged = checks[(checks["check"] == "target_below_floor") & (checks["indicator"] == "e_result")]
    assert len(flagged) == 11
