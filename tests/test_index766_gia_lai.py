"""The two real Gia Lai snapshots (24/09 and 10/10/2026): sums, over-maximum scores, changes, ranks.

Expected values below were computed by hand from the JSON files in data/raw/gia_lai/766/.
"""

from __future__ import annotations

import pytest

from helpers.context import Context
from helpers.analysis.index766.analysis import analyse_index766
from helpers.report.index766.phrases import points_change_text, rank_change_text
from helpers.report.index766.stakes import lever_note, national_sentences
from helpers.analysis.index766.stakes import group_stakes, province_levers
from helpers.report.checks_view import describe_checks

# unit_id: (total 24/09, total 10/10, delta, rank 24/09, rank 10/10, rank change, group rank 24/09, 10/10, change)
HAND_COMPUTED_TOTALS = {
    "gl.nong_nghiep_va_moi_truong": (48.41, 54.66, 6.25, 147, 146, 1, 12, 11, 1),
    "gl.xa_phu_my_bac": (72.42, 60.79, -11.63, 32, 131, -99, 30, 122, -92),
    "gl.bql_kkt": (69.94, 71.71, 1.77, 93, 57, 36, 3, 3, 0),
    "gl.ngoai_vu": (49.53, 48.37, -1.16, 146, 147, -1, 11, 12, -1),
    "gl.thanh_tra_tinh": (19.79, 19.79, 0.0, 149, 149, 0, 14, 14, 0),
    "gl.xa_an_nhon_tay": (72.82, 72.81, -0.01, 24, 30, -6, 23, 28, -5),
    "gl.xa_kong_bo_la": (73.02, 72.88, -0.14, 18, 29, -11, 17, 27, -10),
}
# unit_id: {group: delta 24/09 → 10/10}; ONLINE in the files is CLGQ here.
HAND_COMPUTED_GROUPS = {
    "gl.nong_nghiep_va_moi_truong": {"CKMB": 0.0, "TDGQ": 3.93, "CLGQ": 0.05, "TTTT": 0.22, "MDHL": 1.35, "MDSH": 0.70},
    "gl.xa_phu_my_bac": {"CKMB": 0.0, "TDGQ": 0.13, "CLGQ": 0.02, "TTTT": 0.04, "MDHL": -12.13, "MDSH": 0.31},
    "gl.bql_kkt": {"CKMB": 0.0, "TDGQ": 0.59, "CLGQ": 0.07, "TTTT": 0.0, "MDHL": 0.10, "MDSH": 1.01},
    "gl.ngoai_vu": {"CKMB": 0.0, "TDGQ": -0.77, "CLGQ": 0.0, "TTTT": 0.0, "MDHL": -0.30, "MDSH": -0.09},
    "gia_lai": {"CKMB": 0.0, "TDGQ": 1.37, "CLGQ": 0.67, "TTTT": 0.30, "MDHL": 0.87, "MDSH": 0.28},
}


@pytest.fixture(scope="module")
def october(ingested: Context):
    return analyse_index766(ingested, "gia_lai", "10/10/2026")


@pytest.fixture(scope="module")
def september(ingested: Context):
    return analyse_index766(ingested, "gia_lai", "2026-09-24")


def test_every_unit_keeps_its_identity_across_the_two_snapshots(october) -> None:
    totals = october.scores.totals
    by_date = {date: set(frame["unit_id"]) for date, frame in totals.groupby("snapshot_date")}
    assert by_date["2026-09-24"] == by_date["2026-10-10"]
    assert len(by_date["2026-10-10"]) == 150  # 14 departments, 135 communes, the province
    names = totals.drop_duplicates("unit_id").set_index("unit_id")["unit_name"]
    assert names["gl.xa_kong_bo_la"] == "UBND xã Kông Bơ La"  # the portal writes "… - Gia Lai"
    assert names["gl.xa_cho_long"] == "UBND xã Chơ Long"  # the portal writes "UBND Xã"
    assert names["gl.van_hoa_the_thao_va_du_lich"] == "Sở Văn hóa, Thể thao và Du lịch"  # "… - tỉnh Gia Lai"


def test_every_total_equals_the_sum_of_its_groups(october) -> None:
    totals = october.scores.totals
    assert totals["groups_complete"].all()
    assert (totals["sum_difference"].abs() <= 0.01).all()
    assert not (october.checks["check"] == "total_not_sum_of_groups").any()
    province = totals[(totals["unit_id"] == "gia_lai") & (totals["snapshot_date"] == "2026-10-10")].iloc[0]
    assert (province["published"], province["groups_sum"]) == (66.23, 66.23)


def test_mdhl_scores_above_the_maximum_on_24_09_are_data_check_rows(september, october) -> None:
    above = september.checks[september.checks["check"] == "group_above_max"]
    assert len(above) == 78
    assert set(above["group"]) == {"MDHL"}
    row = describe_checks(above, september.catalogue, "vi", september.rules).set_index(above["unit_id"]).loc["gl.dan_toc_va_ton_giao"]
    assert (row["found"], row["expected"], row["severity"]) == ("18,28", "≤ 18", "Cần xem lại")
    assert row["location"] == "tệp agencies_GiaLai_24092026.json, bản ghi agencies[6], trường groupScores.MDHL"
    assert above.set_index("unit_id").loc["gl.dan_toc_va_ton_giao", "params"] == {"score_points": 18.28, "max_points": 18}
    # The source figure is kept, not capped: its total still includes 18,28.
    kept = september.current.groups.set_index(["unit_id", "group"]).loc[("gl.dan_toc_va_ton_giao", "MDHL")]
    assert kept["score"] == 18.28
    assert not (october.checks["check"] == "group_above_max").any()  # capped by the portal on 10/10


def test_totals_and_ranks_change_as_computed_by_hand(october) -> None:
    changes = october.changes[october.changes["scope"] == "total"].set_index("unit_id")
    for unit_id, (before, after, delta, rank_before, rank_after, rank_change, group_before, group_after, group_change) in HAND_COMPUTED_TOTALS.items():
        row = changes.loc[unit_id]
        assert (row["previous_score"], row["score"], row["delta"]) == (before, after, delta), unit_id
        assert (row["previous_rank"], row["rank"], row["rank_change"]) == (rank_before, rank_after, rank_change), unit_id
        assert (row["previous_group_rank"], row["group_rank"], row["group_rank_change"]) == (group_before, group_after, group_change), unit_id
        assert row["rank_base"] == 149 and row["comparison"] == "compared"


def test_group_scores_change_as_computed_by_hand(october) -> None:
    changes = october.changes.set_index(["unit_id", "scope"])
    for unit_id, deltas in HAND_COMPUTED_GROUPS.items():
        for group, delta in deltas.items():
            assert changes.loc[(unit_id, group), "delta"] == pytest.approx(delta, abs=1e-9), (unit_id, group)


def test_changes_are_phrased_as_the_reports_phrase_them(october) -> None:
    changes = october.changes[october.changes["scope"] == "total"].set_index("unit_id")
    tolerance = october.settings["index766_points_tolerance"]

    def phrase(unit_id: str) -> str:
        row = changes.loc[unit_id]
        return f"{points_change_text(row['delta'], row['comparison'], tolerance)}; {rank_change_text(row['rank_change'], row['comparison'])}"

    assert phrase("gl.bql_kkt") == "tăng 1,77 điểm; tăng 36 bậc"
    assert phrase("gl.xa_phu_my_bac") == "giảm 11,63 điểm; giảm 99 bậc"
    assert phrase("gl.thanh_tra_tinh") == "không đổi; giữ nguyên thứ hạng"
    # 0,01 is rounding, not news: no fall is reported, though the rank moved.
    assert phrase("gl.xa_an_nhon_tay") == "không đổi; giảm 6 bậc"
    assert not changes.loc["gl.xa_an_nhon_tay", "fell_back"]
    assert changes.loc["gl.ngoai_vu", "fell_back"]  # 1,16 ≥ notable_change_points (0,5)
    assert not changes.loc["gl.xa_kong_bo_la", "fell_back"]  # 0,14 < 0,5
    assert points_change_text(changes.loc["gia_lai", "delta"], "compared", tolerance) == "tăng 3,49 điểm"


def test_shared_ranking_and_ties_are_handled_as_the_portal_does(october) -> None:
    totals = october.current.totals
    units = totals[totals["level"] != "toan_tinh"]
    communes, departments = units[units["level"] == "cap_xa"], units[units["level"] == "cap_tinh"]
    # One ranking for departments and communes: commune ranks skip the departments' numbers...
    assert sorted(units["rank"]) == list(range(1, 150))
    assert 1 not in set(communes["rank"]) and set(departments["rank"]) >= {1, 23}
    # ...while each group ranks on its own, without gaps.
    assert sorted(communes["group_rank"]) == list(range(1, 136))
    assert sorted(departments["group_rank"]) == list(range(1, 15))
    # Ban Quản lý Khu kinh tế and UBND xã Gào are tied at 71,71: the portal ranks them 57 and 58;
    # ranked here they share 57, and the source's ranks are kept and the tie is noted.
    tied = totals.set_index("unit_id").loc[["gl.bql_kkt", "gl.xa_gao"]]
    assert list(tied["score"]) == [71.71, 71.71]
    assert list(tied["rank"]) == [57, 58]
    assert list(tied["computed_rank"]) == [57, 57]
    assert list(tied["tied_with"]) == ["UBND xã Gào", "Ban Quản lý Khu kinh tế"]
    ties = october.checks[(october.checks["check"] == "rank_tie")]
    notes = describe_checks(ties, october.catalogue, "vi", october.rules).set_index(ties["unit_id"])
    assert notes.loc["gl.xa_gao", "found"] == "58/149" and notes.loc["gl.xa_gao", "expected"] == "đồng hạng 57"
    # The source's ranks agree with its scores everywhere (ties aside).
    assert not (october.checks["check"] == "rank_out_of_order").any()


def test_a_first_snapshot_has_no_comparison_never_plus_zero(september) -> None:
    assert september.previous is None
    assert set(september.changes["comparison"]) == {"no_previous_snapshot"}
    assert september.changes["delta"].isna().all()
    row = september.changes[(september.changes["unit_id"] == "gia_lai") & (september.changes["scope"] == "total")].iloc[0]
    assert points_change_text(row["delta"], row["comparison"], 0.01) == "chưa có kỳ so sánh"
    assert rank_change_text(row["rank_change"], row["comparison"]) == "chưa có kỳ so sánh"


def test_units_red_two_snapshots_running(october) -> None:
    streaks = october.low_streaks()
    totals = streaks[(streaks["scope"] == "total") & (streaks["level"] != "toan_tinh")]
    assert list(totals["unit_id"]) == ["gl.thanh_tra_tinh", "gl.tai_chinh", "gl.ngoai_vu"]  # 19,79 · 44,04 · 48,37
    assert set(totals["streak"]) == {2}
    # Sở Nông nghiệp và Môi trường was red on 24/09 (48,41) but not on 10/10 (54,66).
    assert "gl.nong_nghiep_va_moi_truong" not in set(totals["unit_id"])


def test_points_at_stake_and_the_national_rank_from_the_provinces_table(october) -> None:
    stakes = group_stakes(october.current).set_index(["unit_id", "group"])
    assert stakes.loc[("gia_lai", "MDSH"), "lost_points"] == 12.38  # 22 − 9,62
    assert stakes.loc[("gl.thanh_tra_tinh", "TDGQ"), "unit_lost_points"] == 80.21  # 100 − 19,79
    # The departments' detail (agencies_detail_GiaLai_10102026.json) has counts, the communes'
    # lists none and the province no sub-indicators: the 14 departments' dossiers are not the
    # province's, so no unit's lever is computed (and the page says why), never a department's
    # share of the departments' dossiers passed off as its share of the province's.
    assert province_levers(october.current, october.rules).empty
    assert lever_note(october).startswith("Chỉ 14 trong 149 đơn vị có tử số, mẫu số")
    assert national_sentences(october)[-1].startswith("Chưa ước tính được cải thiện ở đơn vị nào")
    # raw_Provinces_year_2026_10102026.json: Gia Lai is 4th of the 34 provinces.
    assert (october.province_total["rank"], october.province_total["rank_base"]) == (4, 34)
