"""The Word report and the Excel appendices, reopened as an office would: every figure is the
engine's, every unit and indicator is there, and exactly the below-target cells are marked."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from helpers.documents.monthly import write_monthly_documents
from helpers.messages import messages
from helpers.report.monthly.page import MonthlyReport, open_report

BELOW = "F4C7C3"


@pytest.fixture(scope="module")
def report(bundled_data: Path) -> MonthlyReport:
    return open_report(bundled_data, "binh_dinh", "2024-02")


@pytest.fixture(scope="module")
def documents(report: MonthlyReport, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("documents")
    docx, xlsx = folder / "2024-02.docx", folder / "2024-02.xlsx"
    write_monthly_documents(report, docx, xlsx)
    return docx, xlsx


def _cell_fill(cell: object) -> str | None:
    shading = cell._tc.tcPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd") if cell._tc.tcPr is not None else None
    return None if shading is None else shading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")


def test_the_word_report_carries_the_engine_figures_in_the_seed_layout(documents: tuple[Path, Path], report: MonthlyReport) -> None:
    document = Document(str(documents[0]))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert unicodedata.is_normalized("NFC", text)
    assert "BÁO CÁO" in text and "07 chỉ tiêu" in text
    assert "Thực hiện Quyết định số 235/QĐ-UBND" in text  # the decision that assigned the targets (targets.csv)
    assert "Trên cơ sở trích xuất dữ liệu từ" in text
    assert "Tỷ lệ bình quân chung của cả tỉnh đạt: 91,9%" in text  # the engine's pooled online-dossier rate
    assert "+ Cấp tỉnh đạt: 97,8%" in text
    assert "2. Đề xuất, kiến nghị" in text and "“Khai thác, sử dụng lại thông tin số hóa”" in text
    letterhead = document.tables[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in letterhead.cell(0, 1).text
    assert "UBND TỈNH BÌNH ĐỊNH" in letterhead.cell(0, 0).text
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert all(round(appendix.page_width.cm, 1) == 29.7 for appendix in document.sections[1:])  # landscape


def test_each_word_appendix_has_every_unit_and_marks_exactly_the_below_target_rates(documents: tuple[Path, Path], report: MonthlyReport) -> None:
    document = Document(str(documents[0]))
    units = report.month.units
    tables = document.tables[2:]  # letterhead and signature first
    levels = [level for level in report.context.catalogue.levels if level in set(units["level"])]
    assert len(tables) == 2 * len(levels)  # two blocks per level, as in seed 000
    m = messages("vi")
    for level_number, level in enumerate(levels):
        part = units[units["level"] == level]
        blocks = tables[2 * level_number: 2 * level_number + 2]
        names = {row.cells[1].text for row in blocks[0].rows[2:-1]}
        assert names == set(part["unit_name"])
        groups = {cell.text for block in blocks for cell in block.rows[0].cells}
        for indicator in set(part["indicator"]):
            assert report.context.catalogue.indicator(indicator).name("vi") in groups
        shaded = {(row.cells[1].text, cell.text) for block in blocks for row in block.rows[2:-1] for cell in row.cells if _cell_fill(cell) == BELOW}
        below = part[part["status"] == "below"]
        assert shaded == {(row.unit_name, m.percent(row.rate)) for row in below.itertuples()}
        totals = [block.rows[-1] for block in blocks]
        assert all(row.cells[1].text == "Tổng cộng" for row in totals)


def test_the_workbook_keeps_numbers_numeric_and_highlights_the_below_target_cells(documents: tuple[Path, Path], report: MonthlyReport) -> None:
    workbook = openpyxl.load_workbook(documents[1])
    units = report.month.units
    levels = [level for level in report.context.catalogue.levels if level in set(units["level"])]
    assert workbook.sheetnames[-1] == "Kiểm tra số liệu"
    for sheet, level in zip(workbook.worksheets, levels):
        assert sheet.freeze_panes == "C6" and sheet.auto_filter.ref.startswith("A5:")
        part = units[units["level"] == level]
        rows = list(sheet.iter_rows(min_row=6, values_only=False))
        unit_rows = rows[:-1]
        assert {row[1].value for row in unit_rows} == set(part["unit_name"])
        assert rows[-1][1].value == "Tổng cộng"
        rates = {(row[1].value, round(cell.value, 6)) for row in unit_rows for cell in row[3:] if cell.fill.fgColor.rgb.endswith(BELOW)}
        below = part[part["status"] == "below"]
        assert rates == {(row.unit_name, round(row.rate, 6)) for row in below.itertuples()}
        for row in unit_rows:
            assert isinstance(row[2].value, int)  # dossiers received: a number, not text
            assert all(cell.value is None or isinstance(cell.value, int | float) or cell.value == "không phát sinh" for cell in row[3:])
    checks = workbook["Kiểm tra số liệu"]
    assert checks.max_row == len(report.analysis.month_checks) + 1


@pytest.mark.slow
def test_the_word_report_prints_on_a4_without_a_table_past_the_margin(documents: tuple[Path, Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: make test installs it (scripts/setup-system.sh)"
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(documents[0])], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "2024-02.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 6 <= pages <= 14
    # Every word's right edge inside the page less its right margin (1,5 cm landscape, 1,5 cm portrait).
    layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    page_width = None
    for match in re.finditer(r'<page width="([\d.]+)"|<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', layout):
        if match.group(1):
            page_width = float(match.group(1))
        else:
            assert float(match.group(2)) <= page_width - 1.5 / 2.54 * 72 + 1, "a word runs past the right margin"


def test_the_digest_names_three_actions_and_at_most_three_departments_and_ten_communes(report: MonthlyReport) -> None:
    from helpers.documents.digest import leadership_digest

    digest = leadership_digest(report)
    text = digest.text()
    assert text.startswith("Tỉnh Bình Định, tháng 02/2024")
    assert len(digest.actions) == 3 and len(digest.departments) <= 3 and len(digest.communes) <= 10
    whole = report.month.aggregates[report.month.aggregates["level"] == "toan_tinh"].set_index("indicator")
    worst = whole[whole["met_provincial"] == False].sort_values("gap_count_provincial", ascending=False).index[0]  # noqa: E712
    assert digest.actions[0].startswith(report.context.catalogue.indicator(worst).short("vi"))
    assert "Chưa có kỳ so sánh" in text  # the first month with data
    html = digest.page()
    assert "<script" not in html and "<link" not in html and "Ba việc cần chỉ đạo" in html


def test_the_batch_files_the_documents_beside_each_report_and_the_index_links_them(bundled_reports: Path) -> None:
    folder = bundled_reports / "binh_dinh"
    for suffix in (".docx", ".xlsx", ".digest.html", ".digest.txt"):
        assert (folder / f"2024-02{suffix}").is_file(), suffix
    index = (bundled_reports / "index.html").read_text(encoding="utf-8")
    for target in ("binh_dinh/2024-02.docx", "binh_dinh/2024-02.xlsx", "binh_dinh/2024-02.digest.html"):
        assert f'href="{target}"' in index


def _failing_documents(parameters: dict[str, object], report: Path) -> list[Path]:
    raise OSError("disk full")


def test_a_failed_document_leaves_the_last_good_one_and_the_run_says_so(bundled_data: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from helpers.context import Context
    from helpers.report.batch import run_jobs
    from helpers.report.kinds import MONTHLY, Selection

    (job,) = MONTHLY.jobs(Context.load(bundled_data), Selection(months="2024-02"), tmp_path)
    previous = job.output.with_name("2024-02.docx")
    previous.parent.mkdir(parents=True)
    previous.write_bytes(b"last month's good document")
    summary = run_jobs([replace(job, companions=_failing_documents)], workers=1, debug_dir=tmp_path / "_failed", progress=lambda _: None)
    (result,) = summary.results
    assert not result.ok and "documents were not" in result.message and "disk full" in result.message
    assert previous.read_bytes() == b"last month's good document"
    assert job.output.is_file()  # the HTML report itself was written


def test_no_figure_or_word_of_the_word_tables_is_broken_across_lines(documents: tuple[Path, Path]) -> None:
    """Each column of every table (the appendices' twenty included) is as wide as its longest word:
    '13.299' was set as '13.2' over '99', 'không' as 'khôn' over 'g'."""
    from helpers.documents.word import CELL_MARGINS, CHARACTER_WIDTH

    tables = Document(str(documents[0])).tables[1:]  # the letterhead's table aside
    assert len(tables) >= 6
    for table in tables:
        for row in table.rows:
            for cell in row.cells:
                longest = max((len(word) for word in cell.text.split()), default=0)
                assert cell.width >= CELL_MARGINS + CHARACTER_WIDTH * longest - 1, (cell.text, cell.width)
