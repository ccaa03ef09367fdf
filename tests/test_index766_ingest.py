"""Ingest: the hand-filled CSV layout (seeds/002), snapshots and periods, registry matching."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.context import Context
from helpers.analysis.index766.analysis import analyse_index766
from helpers.analysis.index766.changes import comparable_earlier
from helpers.ingest.index766 import load_index766
from helpers.report.index766.phrases import points_change_text, rank_change_text
from helpers.ingest.index766.assemble import strip_province_suffix
from helpers.tidy766 import (
    INDEX766_COLUMNS,
    Snapshot,
    check_period766,
    parse_snapshot_date,
)
from helpers.registry import UnitRegistry

from helpers.paths import DEFAULT_DATA_DIR as DATA


def test_the_hand_filled_csv_reads_the_report_of_seeds_002(ingested: Context) -> None:
    tidy = load_index766(ingested.workspace, "binh_phuoc")
    assert list(tidy.columns) == INDEX766_COLUMNS
    may = tidy[tidy["snapshot_date"] == "2024-05-31"]
    groups = may[may["measure"] == "group"].set_index("group")
    assert groups["points"].to_dict() == {"CKMB": 11.1, "TDGQ": 17.6, "CLGQ": 7.2, "TTTT": 9.1, "MDHL": 17.9, "MDSH": 15.7}
    assert set(groups["max_points"]) == {18, 20, 12, 10, 22}
    total = may[may["measure"] == "total"].iloc[0]
    assert (total["points"], total["rank"], total["rank_base"]) == (78.49, 11, 63)
    ratios = may[may["measure"] == "indicator"].set_index("indicator")["ratio"]
    assert ratios["DOSSIER_RECEIVING_SATISFACTION"] == pytest.approx(0.8815)
    assert ratios["ORIGINAL_RESULT_AVAILABLE"] == pytest.approx(0.6767)  # written 67,67, read as percent


def test_the_seed_report_rank_change_and_its_one_decimal_groups(ingested: Context) -> None:
    analysis = analyse_index766(ingested, "binh_phuoc")
    total = analysis.changes[analysis.changes["scope"] == "total"].iloc[0]
    assert rank_change_text(total["rank_change"], total["comparison"]) == "tăng 6 bậc"  # 17/63 → 11/63
    # The previous snapshot has a rank but no score: no "+0", no invented change.
    assert points_change_text(total["delta"], total["comparison"], 0.01) == "chưa đủ số liệu để so sánh"
    # Groups written with one decimal add up to 78,6 against 78,49: within half a digit each.
    row = analysis.current.totals.iloc[0]
    assert (row["groups_sum"], row["sum_difference"]) == (78.6, -0.11)
    # The rules table holds from 01/01/2026: a snapshot of 31/05/2024 is judged by no rule of it
    # (analyse_index766 scores with reproduce.score_in_force), and the checks say so once.
    assert analysis.current.indicators.empty and analysis.current.groups["recomputed"].isna().all()
    assert analysis.checks["check"].tolist() == ["not_recomputable"]
    assert analysis.checks["params"].iloc[0] == {"variant": "no_rules_in_force", "snapshot_date": "2024-05-31", "valid_from_date": "2026-01-01"}


def test_snapshot_dates_and_periods() -> None:
    assert parse_snapshot_date("31/5/2024") == parse_snapshot_date("2024-05-31") == parse_snapshot_date("31052024") == "2024-05-31"
    with pytest.raises(ValueError, match="a date such as"):
        parse_snapshot_date("31/02/2024")
    assert check_period766("quarter", "2026-Q3") == "2026-Q3"
    with pytest.raises(ValueError, match="a year_to_date period is written like 2026"):
        check_period766("year_to_date", "2026-09")


def test_only_like_is_compared_with_like() -> None:
    ytd = [Snapshot("year_to_date", "2025", "2025-12-31"), Snapshot("year_to_date", "2026", "2026-09-24"), Snapshot("year_to_date", "2026", "2026-10-10")]
    months = [Snapshot("month", "2026-07", "2026-08-01"), Snapshot("month", "2026-09", "2026-10-01"), Snapshot("month", "2026-10", "2026-11-01")]
    quarters = [Snapshot("quarter", "2026-Q2", "2026-07-02"), Snapshot("quarter", "2026-Q3", "2026-10-02")]
    available = ytd + months + quarters
    assert comparable_earlier(ytd[2], available)[0] == ytd[1]
    assert comparable_earlier(ytd[1], available) == []  # a new year starts again
    assert comparable_earlier(months[2], available)[0] == months[1]
    assert comparable_earlier(months[1], available) == []  # August is missing: no bridging the gap
    assert comparable_earlier(quarters[1], available)[0] == quarters[0]


def test_every_gia_lai_portal_unit_matches_the_registry_by_code_and_by_name() -> None:
    registry = UnitRegistry(DATA / "units")
    by_code = {unit.portal_code: unit.unit_id for unit in registry.units.values() if unit.province == "gia_lai" and unit.portal_code}
    assert len(by_code) == 149
    assert pd.Series([registry.units[unit_id].level for unit_id in by_code.values()]).value_counts().to_dict() == {"cap_xa": 135, "cap_tinh": 14}
    for name in ("agencies_GiaLai_24092026.json", "communes_GiaLai_10102026.json"):
        document = json.loads((DATA / "raw" / "gia_lai" / "766" / name).read_text(encoding="utf-8"))
        for record in document.get("agencies", []) + document.get("communes", []):
            level = "cap_tinh" if record["childGroup"] == "AGENCY" else "cap_xa"
            written = strip_province_suffix(record["departmentName"], registry.province_name("gia_lai"))
            assert registry.resolve(written, "gia_lai", level, "2026-10") == by_code[record["departmentCode"]], record["departmentName"]


def test_province_suffixes_are_stripped_only_when_they_name_the_province() -> None:
    assert strip_province_suffix("Sở Y tế - tỉnh Gia Lai", "tỉnh Gia Lai") == "Sở Y tế"
    assert strip_province_suffix("UBND xã Kông Bơ La - Gia Lai", "tỉnh Gia Lai") == "UBND xã Kông Bơ La"
    assert strip_province_suffix("Sở Lao động - Thương binh và Xã hội", "tỉnh Gia Lai") == "Sở Lao động - Thương binh và Xã hội"
