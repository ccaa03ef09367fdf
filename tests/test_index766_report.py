"""The 766 report: render jobs, the drafted text, and the notebook executed on the Gia Lai data."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from helpers.catalogue import WHOLE_PROVINCE
from helpers.cli import main
from helpers.context import Context
from helpers.messages import messages
from helpers.analysis.index766.analysis import analyse_index766
from helpers.report.index766 import tables as report
from helpers.report.index766.drafted import draft
from helpers.analysis.index766.changes import SCOPE_TOTAL
from helpers.report.index766.page import open_page
from helpers.report.batch import render
from helpers.report.headline import read_sidecar, sidecar_path
from helpers.report.kinds import INDEX766, Selection
from helpers.report.params import ReportParameterError
from helpers.report.toolkit import Bold, Draft, joined_runs, line, message_runs


def test_render_jobs_list_each_province_and_snapshot(ingested: Context, tmp_path: Path) -> None:
    jobs = INDEX766.jobs(ingested, Selection(("gia_lai",), laggards=10), tmp_path / "reports")
    assert [job.output for job in jobs] == [tmp_path / "reports" / "gia_lai" / "766-2026-09-24.html", tmp_path / "reports" / "gia_lai" / "766-2026-10-10.html"]
    assert [job.label for job in jobs] == ["gia_lai 766 2026-09-24", "gia_lai 766 2026-10-10"]
    assert jobs[1].parameters == {
        "province": "gia_lai", "snapshot_date": "2026-10-10", "period_kind": "year_to_date", "period": "2026",
        "data_dir": str(ingested.workspace.data_dir), "laggards": 10, "language": "vi",
    }
    assert {job.notebook for job in jobs} == {INDEX766.notebook}
    assert {job.output.parent.name for job in INDEX766.jobs(ingested, Selection(), tmp_path)} == {"gia_lai", "ha_noi", "binh_phuoc"}


@pytest.mark.parametrize(
    ("province", "snapshot_date", "language", "says"),
    [
        ("atlantis", "", "vi", "unknown province 'atlantis'"),
        ("binh_dinh", "", "vi", "there is no ingested 766 data for binh_dinh"),
        ("gia_lai", "01/01/2026", "vi", "no year_to_date snapshot of gia_lai taken on 01/01/2026; snapshots: 24/09/2026, 10/10/2026"),
        ("gia_lai", "", "fr", "the report language is 'vi' or 'en'; got 'fr'"),
    ],
)
def test_bad_parameters_are_one_sentence(ingested: Context, province: str, snapshot_date: str, language: str, says: str) -> None:
    with pytest.raises(ReportParameterError) as raised:
        open_page(ingested.workspace.data_dir, province, snapshot_date, "year_to_date", language, 5)
    assert says in str(raised.value) and "\n" not in str(raised.value)


def test_unit_names_are_escaped(ingested: Context) -> None:
    page = open_page(ingested.workspace.data_dir, "gia_lai", language="vi", laggards=5)
    changes = page.analysis.changes
    totals = changes[(changes["scope"] == SCOPE_TOTAL) & (changes["level"] != WHOLE_PROVINCE)]
    worst = totals["score"].idxmin()
    page.analysis.changes.loc[worst, "unit_name"] = "<script>alert(1)</script>"
    for html in (str(page.laggards()), str(page.draft())):
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_sections_are_numbered_in_the_order_the_page_shows_them(ingested: Context) -> None:
    page = open_page(ingested.workspace.data_dir, "gia_lai", language="en", laggards=3)
    shown = [page.groups(), page.rank(), page.laggards(), page.by_group(), page.changes(), page.history(), page.stakes(), page.actions(), page.draft(), page.data_checks()]
    headings = [re.search(r'<h2 id="(s766-[a-z_]+)">(\d+)\. ', str(html)).groups() for html in shown]
    assert [int(number) for _, number in headings] == list(range(1, len(shown) + 1))
    assert [section_id for section_id, _ in headings] == [f"s766-{key}" for key in ("groups", "rank", "laggards", "by_group", "changes", "history", "stakes", "actions", "draft", "checks")]
    assert '<h2 id="s766-rank">2. Rank</h2>' in str(page.rank())  # a cell run again keeps its number


def _marked(drafted: Draft) -> str:
    """The drafted lines with their bold runs marked ``**`` as the analysts' reports write them."""
    return "\n\n".join("".join(f"**{text}**" if bold else text for text, bold in item.runs) for item in drafted.lines)


def test_the_draft_text_reads_like_the_reports(ingested: Context) -> None:
    drafted = draft(analyse_index766(ingested, "gia_lai"), 5)
    assert drafted.lines[0].kind == "heading" and drafted.text.splitlines()[0].startswith("Về kết quả thực hiện Bộ chỉ số")
    assert "tỉnh Gia Lai đạt 66,23/100 điểm, tăng 3,49 điểm so với ngày 24/09/2026." in drafted.text
    text = _marked(drafted)
    assert "tỉnh Gia Lai đạt **66,23/100** điểm, tăng 3,49 điểm so với ngày 24/09/2026." in text
    assert "Nhóm đạt dưới 50% điểm tối đa: Số hóa hồ sơ (43,7%)." in text
    assert "có **03** đơn vị đạt dưới 50 điểm, gồm: cấp tỉnh có **03** đơn vị (Thanh tra tỉnh 19,79 điểm; Sở Tài chính 44,04 điểm; Sở Ngoại vụ 48,37 điểm)" in text
    assert "UBND xã Phù Mỹ Bắc (giảm 11,63 điểm; giảm 99 bậc); và 6 đơn vị khác." in text
    assert "(Ngày xuất dữ liệu 10/10/2026)" in text
    first = draft(analyse_index766(ingested, "gia_lai", "24/09/2026"), 3).text
    assert "chưa có kỳ so sánh" in first and "+0" not in first and "tăng 0 " not in first
    hanoi = _marked(draft(analyse_index766(ingested, "ha_noi"), 3))
    assert "Xếp hạng **34/34**" in hanoi
    assert "Tỷ lệ TTHC công bố đúng hạn (mất 6 điểm, cần thêm **79** TTHC công bố đúng hạn)" in hanoi


def test_tables_for_leadership_use_vietnamese_formats(ingested: Context) -> None:
    analysis = analyse_index766(ingested, "gia_lai")
    groups = report.group_table(analysis).set_index("Stt")
    assert groups.loc["6"].to_dict() == {
        "Nhóm chỉ số": "Số hóa hồ sơ", "Tỷ lệ/Điểm": "9,62/22", "Tỷ lệ so với điểm tối đa": "43,7%", "Mức": "Dưới 50% (đỏ)", "Xếp hạng": "",
        "So với kỳ trước": "tăng 0,28 điểm",
    }
    assert groups.loc["1", "Mức"] == "50% – dưới 70% (vàng)"
    assert groups.loc["Tổng hợp", ["Tỷ lệ/Điểm", "Xếp hạng"]].tolist() == ["66,23/100", "04/34"]  # the rank from the provinces table
    english = report.group_table(analysis, "en").set_index("No.")
    assert english.loc["Overall", "Since previous snapshot"] == "up 3.49 points"


def _html_text(path: Path) -> str:
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.slow
def test_the_notebook_renders_the_gia_lai_report(ingested: Context, tmp_path: Path) -> None:
    (job,) = [job for job in INDEX766.jobs(ingested, Selection(("gia_lai",), laggards=5), tmp_path / "reports") if job.output.name == "766-2026-10-10.html"]
    result = render(job, tmp_path / "failed")
    assert result.ok, result.message
    html = job.output.read_text(encoding="utf-8")
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', html)) == 3  # groups against maxima, the total capture by capture, points at stake
    assert not re.search(r"<(script|link)\b[^>]*(src|href)=[\"']?(https?:)?//", html) and "<script" not in html
    assert re.search(r'<nav [^>]*class="toc"', html) and 'href="#s766-stakes"' in html
    headline, report_name = read_sidecar(sidecar_path(job.output))
    assert (headline.kind, headline.period, report_name) == ("index766", "2026-10-10", "766-2026-10-10.html")
    assert headline.figures[0].value == "66,23/100" and headline.figures[1].value == "+3,49"
    text = _html_text(job.output)
    # Groups against their maxima, with bands and changes.
    assert "1. Điểm của tỉnh theo nhóm chỉ số" in text
    assert "Số hóa hồ sơ 9,62/22 43,7% Dưới 50% (đỏ) tăng 0,28 điểm" in text
    assert "Tổng hợp 66,23/100 66,2% 50% – dưới 70% (vàng) 04/34 tăng 3,49 điểm" in text  # national rank: raw_Provinces_year_2026_10102026.json
    # Rank and change.
    assert "2. Xếp hạng" in text and "Số đơn vị được xếp hạng — Cấp xã 135" in text
    # Laggards by total (per level) and by group.
    assert "Cấp tỉnh Thanh tra tỉnh 19,79 149/149 14/14 không đổi giữ nguyên thứ hạng" in text
    assert "Cấp xã UBND xã Phù Mỹ 56,11 145/149 135/135 giảm 11,69 điểm giảm 24 bậc" in text
    assert "4. Đơn vị thấp điểm theo từng nhóm chỉ số" in text
    assert "Mức độ hài lòng Sở Nông nghiệp và Môi trường Cấp tỉnh 4,59/18 25,5% Dưới 50% (đỏ) tăng 1,35 điểm" in text
    # Changes: units that fell back.
    assert "UBND xã Đak Đoa Cấp xã Tổng điểm 57,67 69,84 giảm 12,17 điểm giảm 49 bậc" in text
    # Points at stake.
    # History over the captures, and what to act on in each unit.
    assert "6. Diễn biến qua các ngày lấy số liệu" in text and "24/09/2026 62,74" in text
    assert "7. Điểm bị mất và đòn bẩy" in text
    assert "8. Việc cần chỉ đạo ở từng đơn vị" in text
    assert "Thanh tra tỉnh Cấp tỉnh 80,21" in text
    assert "Số hóa hồ sơ 12,38" in text  # the province's biggest loss
    # Drafted text and data checks.
    assert "tỉnh Gia Lai đạt 66,23/100 điểm, tăng 3,49 điểm so với ngày 24/09/2026" in text
    assert "10. Kiểm tra số liệu" in text and "Đồng điểm 71,71 với UBND xã Gào" in text
    assert "Traceback" not in text


@pytest.mark.slow
def test_the_report_command_renders_766_reports_and_lists_them_on_the_index(ingested: Context, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reports = tmp_path / "reports"
    code = main(["report", "--data-dir", str(ingested.workspace.data_dir), "--output-dir", str(reports), "--kind", "index766", "--province", "ha_noi"])
    assert code == 0, capsys.readouterr().err
    assert (reports / "ha_noi" / "766-2026-10-10.html").is_file()
    index = _html_text(reports / "index.html")
    assert "Bộ chỉ số 766 — thành phố Hà Nội" in index and "Kỳ số liệu" in index
    assert "Lũy kế năm 2026, số liệu ngày 10/10/2026 Word · Excel 55,23/100" in index  # the row links the notice and the workbook
    assert (reports / "ha_noi" / "766-2026-10-10.xlsx").is_file() and (reports / "ha_noi" / "766-2026-10-10.docx").is_file()


def test_a_message_is_filled_as_runs_with_its_figures_bold() -> None:
    vi, en = messages("vi"), messages("en")
    groups = joined_runs([message_runs(vi, "index766.draft.group_score", group="A", score=Bold("1/2")), ("B",)], "; ")
    marked = _marked(Draft("vi", (line("text", *message_runs(vi, "index766.draft.by_group", groups=groups)),)))
    assert marked == "Kết quả theo nhóm chỉ số: A **1/2**; B."
    runs = message_runs(en, "index766.draft.fell", count=1, date="24/09/2026", units=Bold("1"), notable="0.5", names="<b>x</b>")
    assert _marked(Draft("en", (line("text", *runs),))) == "Since 24/09/2026, **1** unit fell by 0.5 points or more: <b>x</b>."
    html = str(Draft("en", (line("text", *runs),)).html())
    assert "<strong>1</strong>" in html and "&lt;b&gt;x&lt;/b&gt;" in html
