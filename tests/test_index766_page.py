"""The 766 page on real crawls: daily captures with a departments-only day, a source without a
province row, a source with province figures only (Hà Nội, Bình Phước as seed 002 reports it)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.index766.analysis import analyse_index766
from helpers.analysis.index766.changes import SCOPE_TOTAL
from helpers.context import Context
from helpers.ingest.index766 import ingest_index766
from helpers.report.index766 import history, tables
from helpers.report.index766.appendix import unit_comparison
from helpers.report.index766.page import open_page
from helpers.report.kinds import INDEX766, Selection
from helpers.rules766 import load_rules
from tests.conftest import data_dir_with_766

DAILY = Path(__file__).parent / "data" / "index766_history"


def _ingest(data_dir: Path) -> Context:
    context = Context.load(data_dir)
    done, failed = ingest_index766(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, progress=lambda _: None)
    assert not failed, failed
    return context


@pytest.fixture(scope="module")
def daily(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """Gia Lai's captures of 24/09, 02/10 (departments only), 03/10, 04/10, 05/10 and 10/10."""
    target = data_dir_with_766(tmp_path_factory.mktemp("daily766"), ("gia_lai",))
    for path in DAILY.glob("*.json"):
        shutil.copy(path, target / "raw" / "gia_lai" / "766" / path.name)
    return _ingest(target)


def _unit(changes, name: str, scope: str = SCOPE_TOTAL):
    return changes[(changes["unit_name"] == name) & (changes["scope"] == scope)].iloc[0]


def test_a_departments_only_capture_marks_no_commune_missing_or_new(daily: Context) -> None:
    analysis = analyse_index766(daily, "gia_lai", "03/10/2026")
    assert {level: other.snapshot_date for level, other in analysis.previous_by_level.items() if other} == {
        "cap_tinh": "2026-10-02", "cap_xa": "2026-09-24", "toan_tinh": "2026-10-02",
    }
    communes = analysis.changes[analysis.changes["level"] == "cap_xa"]
    assert len(communes[communes["scope"] == SCOPE_TOTAL]) == 135
    assert not communes["comparison"].isin(["new_unit", "no_previous_snapshot"]).any()
    # By hand from the crawl files: 72,44 (03/10) − 72,42 (24/09); 69,60 − 69,84; Sở Y tế 58,11 − 58,11 (02/10).
    assert _unit(communes, "UBND xã Phù Mỹ Bắc")["delta"] == pytest.approx(0.02)
    assert _unit(communes, "UBND xã Đak Đoa")["delta"] == pytest.approx(-0.24)
    assert _unit(analysis.changes, "Sở Y tế")["delta"] == pytest.approx(0.0)
    on_the_day = analyse_index766(daily, "gia_lai", "02/10/2026")
    assert set(on_the_day.changes["level"]) == {"cap_tinh", "toan_tinh"}


def test_history_over_the_daily_captures(daily: Context) -> None:
    analysis = analyse_index766(daily, "gia_lai")
    moved = history.movement(analysis).set_index("unit_name")
    # By hand: Sở Y tế 70,90 (10/10) − 70,23 (05/10), and − 58,11 (03/10, the newest capture a week older).
    assert moved.loc["Sở Y tế", ["change", "week_change", "week_date"]].tolist() == [0.67, 12.79, "2026-10-03"]
    # Đak Đoa: 57,67 − 69,52 on 10/10; on 05/10 it lost 0,01 (rounding, not a fall).
    assert moved.loc["UBND xã Đak Đoa", ["change", "week_change", "falls_in_a_row"]].tolist() == [-11.85, -11.93, 1]
    on_4_october = history.movement(analyse_index766(daily, "gia_lai", "04/10/2026")).set_index("unit_name")
    assert on_4_october.loc["UBND xã Đak Đoa", "falls_in_a_row"] == 2  # −0,07 since 03/10, −0,24 before that
    table = history.province_history_table(analysis)
    assert table["Ngày lấy số liệu"].tolist() == ["24/09/2026", "02/10/2026", "03/10/2026", "04/10/2026", "05/10/2026", "10/10/2026"]
    assert table["Tổng điểm"].tolist() == ["62,74", "65,47", "65,47", "65,53", "65,57", "66,23"]
    counts = history.movement_table(analysis, history.movement(analysis)).set_index("Cấp")
    assert int(counts.loc["Cấp xã", ["Tăng", "Giảm", "Không đổi", "Chưa so sánh được"]].astype(int).sum()) == 135


def test_the_page_shows_the_history_and_the_captures_that_get_a_page(daily: Context, tmp_path: Path) -> None:
    page = open_page(daily.workspace.data_dir, "gia_lai", language="vi", laggards=3)
    shown = str(page.history())
    assert '<h2 id="s766-history">' in shown and "T_fallers766" in shown and "UBND xã Đak Đoa" in shown
    dates = [job.parameters["snapshot_date"] for job in INDEX766.jobs(daily, Selection(("gia_lai",)), tmp_path)]
    assert dates == ["2026-09-24", "2026-10-10"]  # September's last and the latest, not one page a day


@pytest.fixture(scope="module")
def without_province(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """Gia Lai's unit lists with the province ``overview`` taken out (and the provinces table,
    which has the province's row too)."""
    target = data_dir_with_766(tmp_path_factory.mktemp("noprovince766"), ("gia_lai",))
    for path in (target / "raw" / "gia_lai" / "766").glob("raw_Provinces_*.json"):
        path.unlink()
    for path in (target / "raw" / "gia_lai" / "766").glob("*.json"):
        document = json.loads(path.read_text(encoding="utf-8"))
        document.pop("overview", None)
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return _ingest(target)


def test_a_source_without_a_province_row_gives_a_clear_page(without_province: Context) -> None:
    page = open_page(without_province.workspace.data_dir, "gia_lai", language="vi", laggards=3)
    parts = [page.header(), page.groups(), page.rank(), page.laggards(), page.by_group(), page.changes(), page.history(), page.stakes(), page.actions(), page.draft(), page.data_checks()]
    html = " ".join(str(part) for part in parts)
    assert "không có số liệu của cả tỉnh" in html and "nguồn chưa có tổng điểm của tỉnh" in html
    assert [figure.value for figure in page.headline().figures][:2] == ["–", "149"]


@pytest.mark.parametrize("province", ["ha_noi", "binh_phuoc"])
def test_a_province_only_source_looks_intentional(ingested: Context, province: str) -> None:
    page = open_page(ingested.workspace.data_dir, province, language="vi", laggards=3)
    assert [str(part) for part in (page.laggards(), page.by_group(), page.changes(), page.actions())] == ["", "", "", ""]
    html = str(page.header()) + str(page.groups()) + str(page.stakes()) + str(page.history())
    assert "chỉ có số liệu của cả tỉnh" in html
    assert not re.search(r">0/0<", html) and "T_stakes766" not in html and "T_levers766" not in html
    assert len(re.findall(r"<img ", html)) == 1  # the groups against their maxima; no empty per-unit chart


def test_the_group_table_in_seed_002_s_layout(ingested: Context) -> None:
    """Bình Phước 05/2024 as the province's notice (seed 002) lays it out."""
    table = tables.group_table(analyse_index766(ingested, "binh_phuoc")).set_index("Stt")
    assert table.loc["1", ["Nhóm chỉ số", "Tỷ lệ/Điểm"]].tolist() == ["Công khai, minh bạch", "11,1/18"]
    assert table.loc["1.2", ["Nhóm chỉ số", "Tỷ lệ/Điểm"]].tolist() == ["Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG", "100%"]
    assert table.loc["5.1", "Tỷ lệ/Điểm"] == "88,15%" and table.loc["6.1", "Tỷ lệ/Điểm"] == "67,67%"
    assert table.loc["Tổng hợp", ["Tỷ lệ/Điểm", "Xếp hạng"]].tolist() == ["78,49/100", "11/63"]
    assert list(table.index[:4]) == ["1", "1.1", "1.2", "2"]


def test_one_unit_in_the_notice_s_layout_on_request(daily: Context) -> None:
    page = open_page(daily.workspace.data_dir, "gia_lai", "05/10/2026", language="vi", laggards=3)
    html = str(page.unit_comparison("UBND xã Đak Đoa"))
    assert "Ngày 04/10/2026" in html and "Ngày 05/10/2026" in html and ">69,53<" in html and ">69,52<" in html
    assert "−0,01 điểm" in html
    assert "24/09/2026" in str(page.unit_comparison("UBND xã Đak Đoa", "24/09/2026"))
    with pytest.raises(Exception, match="no unit 'UBND xã Atlantis'"):
        page.unit_comparison("UBND xã Atlantis")


# 10/10 − 24/09/2026, computed by hand from agencies_GiaLai_*.json and agencies_detail_GiaLai_*.json:
# total, TDGQ group, the on-time sub-indicator (numerator, denominator, ratio in points of percent;
# its points are published as the group's) and the first digitisation metric (ratio change, points change).
HAND_DELTAS = {
    "Sở Y tế": (1.35, 0.40, (422, 439, 2.02), (-0.05, 0.0)),
    "Sở Công Thương": (-0.28, 0.14, (52, 65, 0.71), (4.50, 0.27)),
    "Sở Xây dựng": (1.29, 0.13, (970, 1057, 0.62), (0.05, 0.0)),
    "Sở Tài chính": (0.82, 0.53, (64, 66, 2.66), (-0.17, -0.01)),
    "Thanh tra tỉnh": (0.0, 0.0, (0, 0, 0.0), (None, None)),  # no dossiers: the metric has no ratio nor points
}


@pytest.mark.parametrize("name", list(HAND_DELTAS))
def test_deltas_of_five_departments_between_the_two_detail_captures(ingested: Context, name: str) -> None:
    from helpers.analysis.index766.deltas import unit_deltas
    from helpers.tidy766 import Snapshot

    analysis = analyse_index766(ingested, "gia_lai")
    unit_id = analysis.current.totals.set_index("unit_name").loc[name, "unit_id"]
    deltas = unit_deltas(analysis.tidy, analysis.rules, Snapshot("year_to_date", "2026", "2026-09-24"), analysis.snapshot, unit_id)
    total, group, on_time, digitised = HAND_DELTAS[name]
    rows = deltas.set_index(deltas["indicator"].fillna(deltas["group"]).fillna("total"))
    assert rows.loc["total", "change"] == pytest.approx(total, abs=1e-9)
    assert rows.loc["TDGQ", "change"] == pytest.approx(group, abs=1e-9)
    assert rows.loc["ON_TIME", ["delta_numerator", "delta_denominator", "change"]].tolist() == pytest.approx(list(on_time), abs=1e-9)
    ratio, points = digitised
    metric = rows.loc["ORIGINAL_RESULT_AVAILABLE"]
    for column, expected in (("change", ratio), ("delta_points", points)):
        assert pd.isna(metric[column]) if expected is None else metric[column] == pytest.approx(expected, abs=1e-9)
    assert rows["problems"].map(len).sum() == 0  # the portal's figures agree with themselves


NOTICE_HEADER = "snapshot_date,period_kind,period,level,unit_name,item,value,numerator,denominator,published_delta\n"


def _notice_rows(date: str, rows: list[tuple[str, str, str, str, str]]) -> str:
    return "".join(f'{date},year_to_date,2026,cap_xa,UBND xã Đak Đoa,{item},"{value}",{numerator},{denominator},"{delta}"\n' for item, value, numerator, denominator, delta in rows)


def test_a_commune_s_notice_typed_by_hand_is_compared_and_its_mistakes_flagged(tmp_path: Path) -> None:
    """Two captures of one commune as an analyst copies them from its notices, published changes included."""
    september = [("CKMB", "11,79/18", "", "", ""), ("TDGQ", "17,17/20", "", "", ""), ("CLGQ", "9,14/12", "", "", ""), ("TTTT", "7,21/10", "", "", ""),
                 ("MDHL", "11,3/18", "", "", ""), ("MDSH", "9,62/22", "", "", ""), ("TOTAL", "66,23/100", "", "", ""),
                 ("ONLINE_ON_TIME", "75%", "750", "1000", ""), ("PUBLIC_UPDATE_ON_TIME", "90%", "45", "50", "")]
    october = [("CKMB", "12,79/18", "", "", "−1"), ("TDGQ", "17,17/20", "", "", "0"), ("CLGQ", "9,14/12", "", "", "0"), ("TTTT", "7,21/10", "", "", "0"),
               ("MDHL", "11,3/18", "", "", "0"), ("MDSH", "9,62/22", "", "", "0"), ("TOTAL", "70/100", "", "", "+3,77"),
               ("ONLINE_ON_TIME", "69,75%", "6975", "10000", "−525%"), ("PUBLIC_UPDATE_ON_TIME", "1000%", "50", "50", "+10")]
    target = data_dir_with_766(tmp_path / "data", ())
    folder = target / "raw" / "gia_lai" / "766"
    folder.mkdir(parents=True)
    (folder / "notice.csv").write_text(NOTICE_HEADER + _notice_rows("24/09/2026", september) + _notice_rows("10/10/2026", october), encoding="utf-8")
    context = _ingest(target)
    page = open_page(target, "gia_lai", language="vi", laggards=3)
    table = unit_comparison(page.analysis, "UBND xã Đak Đoa")
    assert "T_appendix766" in str(page.unit_comparison("UBND xã Đak Đoa"))
    rows = {row[0].text: row for row in table.rows}
    header = list(table.header)
    remark, published, change = header.index("Ghi chú"), header.index("Số liệu công bố"), header.index("Tăng (+)/Giảm (−)")
    online = rows["3.1"]
    assert online[1].text == page.analysis.rules.unscored["ONLINE_ON_TIME"].name_vi and online[4].text == "6.975/10.000"
    assert (online[change].text, online[published].text) == ("−5,25 điểm phần trăm", "−525%")
    assert "phần trăm của phần trăm" in online[remark].text and online[remark].css == "bad"
    update = rows["1.1"]
    assert update[1].text == "Tỷ lệ TTHC cập nhật, công khai đúng hạn" and update[5].text == "1.000"
    assert "tỷ lệ trên 100%" in update[remark].text and update[change].text == "+10 điểm phần trăm"  # 50/50 after 45/50
    assert "ngược dấu" in rows["1"][remark].text  # CKMB rose 1 point, the notice says −1
    total = table.rows[-1]
    assert total[1].text == "Tổng điểm" and "tổng điểm khác tổng điểm các nhóm" in total[remark].text  # 70 against groups adding up to 67,23
    assert context.registry.has_province("gia_lai")


def test_the_gap_to_the_next_province_up_and_what_would_close_it(ingested: Context) -> None:
    from helpers.analysis.index766.national import levers_to_close
    from helpers.report.index766.stakes import national_sentences

    analysis = analyse_index766(ingested, "gia_lai")
    gap = analysis.national_gap  # raw_Provinces_year_2026_10102026.json: Gia Lai 66,23 4th, Hải Phòng 67,18 3rd
    assert gap is not None and (gap["own_rank"], gap["rank"], gap["rank_base"], gap["total"], gap["gap"]) == (4, 3, 34, 67.18, 0.95)
    sentences = national_sentences(analysis)
    assert sentences[0].startswith("Tỉnh xếp hạng 04/34 toàn quốc (66,23 điểm); tỉnh xếp trên liền kề là ") and "hơn tỉnh 0,95 điểm" in sentences[0]
    # Only the 14 departments have counts, not the 135 communes nor the province: no lever is
    # estimated (tests/test_index766_stakes.py computes them where every unit has counts).
    assert sentences[1].startswith("Chưa ước tính được cải thiện ở đơn vị nào đủ thu hẹp khoảng cách này")
    levers = pd.DataFrame({"unit_name": ["a", "b", "c"], "province_gain": [0.2, 0.5, 0.4]})
    assert levers_to_close(levers, 0.8)["unit_name"].tolist() == ["b", "c"]
    assert levers_to_close(levers, 5.0)["unit_name"].tolist() == ["b", "c", "a"]  # all of them fall short
    assert analyse_index766(ingested, "gia_lai", "24/09/2026").national_gap is None  # no provinces table that day


def test_the_history_chart_draws_the_province_s_captures(daily: Context) -> None:
    from helpers.report.charts import history_chart

    figure = history_chart(analyse_index766(daily, "gia_lai"))
    assert figure is not None and len(figure.axes[0].lines[0].get_xdata()) == 6
    assert history_chart(analyse_index766(daily, "gia_lai", "24/09/2026")) is None  # one capture: nothing to draw
    assert str(open_page(daily.workspace.data_dir, "gia_lai", language="en", laggards=3).history()).count("<img ") == 1
