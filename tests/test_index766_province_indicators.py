"""The province's own sub-indicators on the 766 page: where the source has them (the portal's
reply for the province alone: dossiers submitted online) their change between two captures of
the same kind of period; where it has none (the unit lists' overview: group scores only), why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers.analysis.index766.analysis import analyse_index766
from helpers.context import Context
from helpers.ingest.index766 import ingest_index766
from helpers.report.index766 import tables
from helpers.report.index766.page import open_page
from helpers.rules766 import load_rules
from tests.conftest import data_dir_with_766

REPLY = Path(__file__).parent / "data" / "index766" / "service_results_month_2026_2.json"


@pytest.fixture(scope="module")
def two_months(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """Gia Lai's bundled captures and the portal's reply for month 2/2026, and the same reply
    as month 3 with 250 dossiers online and 10 not (96,15%), both taken 23/09/2026."""
    target = data_dir_with_766(tmp_path_factory.mktemp("months766"), ("gia_lai",))
    folder = target / "raw" / "gia_lai" / "766"
    shutil.copy(REPLY, folder / "service_results_month_2026_2_23092026.json")
    document = json.loads(REPLY.read_text(encoding="utf-8"))
    document["data"]["donuts"]["onlineDossier"] = [
        {"code": "ONLINE", "name": "Trực tuyến", "value": 250, "percent": 96.15}, {"code": "OTHER", "name": "Trực tiếp, bưu chính", "value": 10, "percent": 3.85},
    ]
    (folder / "service_results_month_2026_3_23092026.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    context = Context.load(target)
    done, failed = ingest_index766(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, progress=lambda _: None)
    assert not failed, failed
    return context


def test_the_province_s_sub_indicator_change_between_two_months(two_months: Context) -> None:
    march = analyse_index766(two_months, "gia_lai", period_kind="month")
    assert (march.snapshot.period, march.previous_by_level["toan_tinh"].period) == ("2026-03", "2026-02")
    table = tables.group_table(march).set_index("Nhóm chỉ số")
    # By hand: 97,13% (203 of 209) in February, 96,15% (250 of 260) in March: −0,98 percentage points.
    row = table.loc["Tỷ lệ hồ sơ nộp trực tuyến"]
    assert (row["Stt"], row["Tỷ lệ/Điểm"], row["So với kỳ trước"]) == ("3.1", "96,15%", "giảm 0,98 điểm phần trăm")
    # Its group has no score of its own in the reply (ONLINE_SERVICE is online services and payment together).
    assert table.loc["Dịch vụ công trực tuyến", "Tỷ lệ/Điểm"] == ""
    assert tables.province_indicators_note(march) == ""


def test_without_the_province_s_sub_indicators_the_page_says_why(two_months: Context) -> None:
    page = open_page(two_months.workspace.data_dir, "gia_lai", language="vi", laggards=3)
    shown = str(page.groups())
    assert "không có chỉ số thành phần của cả tỉnh" in shown and "14 trong 149 đơn vị" in shown
    english = tables.province_indicators_note(analyse_index766(two_months, "gia_lai"), "en")
    assert english.startswith("This capture has no sub-indicator of the province") and "14 of the 149 units" in english


def test_a_comparison_capture_without_them_is_named(ingested: Context) -> None:
    # Bình Phước 31/05/2024 gives sub-indicator ratios, its comparison capture of 30/04 only the rank.
    assert tables.province_indicators_note(analyse_index766(ingested, "binh_phuoc")) == (
        "Kỳ so sánh (30/04/2024) không có chỉ số thành phần của tỉnh: chưa so sánh được từng chỉ số thành phần, chỉ so sánh điểm nhóm."
    )
