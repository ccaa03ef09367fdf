"""The 766 report: render jobs, the drafted text, and the notebook executed on the Gia Lai data."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import nbformat
import papermill
import pytest
from nbconvert import HTMLExporter

from helpers.context import Context
from helpers.index766 import analyse_index766, render_jobs, report
from helpers.index766.jobs import NOTEBOOK

PAIRED_SCRIPT = NOTEBOOK.with_suffix(".py")


def test_render_jobs_list_each_province_and_snapshot(ingested: Context, tmp_path: Path) -> None:
    jobs = render_jobs(ingested.workspace.data_dir, tmp_path / "reports", provinces=["gia_lai"])
    assert [job.output for job in jobs] == [tmp_path / "reports" / "gia_lai" / "766-2026-09-24.html", tmp_path / "reports" / "gia_lai" / "766-2026-10-10.html"]
    assert jobs[1].parameters == {
        "province": "gia_lai", "snapshot_date": "2026-10-10", "period_kind": "year_to_date",
        "data_dir": str(ingested.workspace.data_dir), "laggards": 10, "language": "vi",
    }
    assert {job.notebook for job in jobs} == {NOTEBOOK}


def test_the_notebook_is_stored_without_outputs_with_a_parameters_cell() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in notebook.cells if cell.cell_type == "code")
    parameters = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(parameters) == 1
    for name in ("province", "snapshot_date", "period_kind", "data_dir", "laggards", "language"):
        assert re.search(rf"^{name} = ", parameters[0].source, re.MULTILINE)
    assert 'language = "vi"' in parameters[0].source
    # The paired percent script holds the same code.
    script = PAIRED_SCRIPT.read_text(encoding="utf-8")
    for cell in notebook.cells:
        assert cell.source in script


def test_the_draft_text_reads_like_the_reports(ingested: Context) -> None:
    text = report.draft_text(analyse_index766(ingested, "gia_lai"), 5)
    assert "tỉnh Gia Lai đạt **66,23/100** điểm, tăng 3,49 điểm so với ngày 24/09/2026." in text
    assert "Nhóm đạt dưới 50% điểm tối đa: Số hóa hồ sơ (43,7%)." in text
    assert "có **03** đơn vị đạt dưới 50 điểm, gồm: cấp tỉnh có **03** đơn vị (Thanh tra tỉnh 19,79 điểm; Sở Tài chính 44,04 điểm; Sở Ngoại vụ 48,37 điểm)" in text
    assert "UBND xã Phù Mỹ Bắc (giảm 11,63 điểm; giảm 99 bậc); và 6 đơn vị khác." in text
    assert "(Ngày xuất dữ liệu 10/10/2026)" in text
    first = report.draft_text(analyse_index766(ingested, "gia_lai", "24/09/2026"), 3)
    assert "chưa có kỳ so sánh" in first and "+0" not in first and "tăng 0 " not in first
    hanoi = report.draft_text(analyse_index766(ingested, "ha_noi"), 3)
    assert "Xếp hạng **34/34**" in hanoi
    assert "Tỷ lệ TTHC công bố đúng hạn (mất 6 điểm, cần thêm **79** TTHC công bố đúng hạn)" in hanoi


def test_tables_for_leadership_use_vietnamese_formats(ingested: Context) -> None:
    analysis = analyse_index766(ingested, "gia_lai")
    groups = report.group_table(analysis).set_index("Nhóm chỉ số")
    assert groups.loc["Số hóa hồ sơ"].to_dict() == {"Điểm": "9,62/22", "Tỷ lệ so với điểm tối đa": "43,7%", "Mức": "Dưới 50% (đỏ)", "So với kỳ trước": "tăng 0,28 điểm"}
    assert groups.loc["Công khai, minh bạch", "Mức"] == "50% – dưới 70% (vàng)"
    assert groups.loc["Tổng điểm", "Điểm"] == "66,23/100"
    english = report.group_table(analysis, "en").set_index("Group")
    assert english.loc["Total", "Since previous snapshot"] == "up 3.49 points"


def _html_text(path: Path) -> str:
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.slow
def test_the_notebook_renders_the_gia_lai_report(ingested: Context, tmp_path: Path) -> None:
    executed = tmp_path / "766.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(executed), parameters={"province": "gia_lai", "data_dir": str(ingested.workspace.data_dir), "laggards": 5},
        progress_bar=False, kernel_name="python3", cwd=str(tmp_path),
    )
    notebook = nbformat.read(executed, as_version=4)
    outputs = [output for cell in notebook.cells for output in cell.get("outputs", [])]
    assert not [output for output in outputs if output.output_type == "error"]
    images = [output for output in outputs if "image/png" in output.get("data", {})]
    assert len(images) == 2  # groups against maxima, points at stake
    html_path = tmp_path / "766-2026-10-10.html"
    body, _ = HTMLExporter(exclude_input=True).from_notebook_node(notebook)
    html_path.write_text(body, encoding="utf-8")
    text = _html_text(html_path)
    # Groups against their maxima, with bands and changes.
    assert "1. Điểm của tỉnh theo nhóm chỉ số" in text
    assert "Số hóa hồ sơ 9,62/22 43,7% Dưới 50% (đỏ) tăng 0,28 điểm" in text
    assert "Tổng điểm 66,23/100 66,2% 50% – dưới 70% (vàng) tăng 3,49 điểm" in text
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
    assert "6. Điểm bị mất và đòn bẩy" in text
    assert "Thanh tra tỉnh Cấp tỉnh 80,21" in text
    assert "Số hóa hồ sơ 12,38" in text  # the province's biggest loss
    # Drafted text and data checks.
    assert "tỉnh Gia Lai đạt 66,23/100 điểm, tăng 3,49 điểm so với ngày 24/09/2026" in text
    assert "8. Kiểm tra số liệu" in text and "Đồng điểm 71,71 với UBND xã Gào" in text
    assert "Traceback" not in text
