"""The 766 notice and workbook, reopened: the figures are the analysis's, every unit is there."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
from docx import Document

from helpers.analysis.index766.analysis import analyse_index766
from helpers.context import Context
from helpers.documents.notice766 import write_notice
from helpers.documents.workbook766 import write_index766_workbook
from helpers.messages import messages


def test_the_notice_carries_the_province_groups_and_the_lowest_units(ingested: Context, tmp_path: Path) -> None:
    analysis = analyse_index766(ingested, "gia_lai")
    path = tmp_path / "766.docx"
    write_notice(path, analysis, ingested.workspace.documents_dir, 5)
    document = Document(str(path))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert unicodedata.is_normalized("NFC", text)
    assert "THÔNG BÁO" in text and "Căn cứ Quyết định số 766/QĐ-TTg" in text
    assert "UBND TỈNH GIA LAI" in document.tables[0].cell(0, 0).text
    total = analysis.province_total
    m = messages("vi")
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert f"{m.number(total['score'], 2)}/100" in cells  # the province's total, as the group table shows it
    lowest = analysis.current.totals[analysis.current.totals["level"] == "cap_tinh"].nsmallest(1, "score")["unit_name"].iloc[0]
    assert lowest in cells
    appendix = document.tables[-1]
    names = {row.cells[1].text for row in appendix.rows[2:]}
    assert names == set(analysis.current.totals["unit_name"])  # the province itself heads the list


def test_the_766_workbook_has_every_unit_with_numeric_scores(ingested: Context, tmp_path: Path) -> None:
    analysis = analyse_index766(ingested, "gia_lai")
    path = tmp_path / "766.xlsx"
    write_index766_workbook(path, analysis, messages("vi"))
    sheet = openpyxl.load_workbook(path)["Đơn vị"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(analysis.current.totals)
    assert all(isinstance(row[2], float | int) for row in rows if row[2] is not None)


def test_the_digest_gives_the_province_national_766_rank_where_it_has_766_data(ingested: Context) -> None:
    from types import SimpleNamespace

    from helpers.documents.digest import _index766_standing

    standing = _index766_standing(SimpleNamespace(province="gia_lai", context=ingested), messages("vi"))  # type: ignore[arg-type]
    assert standing == "Bộ chỉ số 766 (lũy kế năm 2026, số liệu ngày 10/10/2026): 66,23/100, xếp hạng 4/34 cả nước."
    assert _index766_standing(SimpleNamespace(province="binh_dinh", context=ingested), messages("vi")) == ""  # type: ignore[arg-type]


def test_no_figure_of_the_notice_is_broken_across_lines(ingested: Context, tmp_path: Path) -> None:
    """Each column is at least as wide as its longest figure or word (9,14/12 was set as 9,14/1 above 2)."""
    from helpers.documents.word import CELL_MARGINS, CHARACTER_WIDTH

    path = tmp_path / "766.docx"
    write_notice(path, analyse_index766(ingested, "gia_lai"), ingested.workspace.documents_dir, 5)
    for table in Document(str(path)).tables[1:]:  # the letterhead's table aside
        for row in table.rows:
            for cell in row.cells:
                longest = max((len(word) for word in cell.text.split()), default=0)
                assert cell.width >= CELL_MARGINS + CHARACTER_WIDTH * longest - 1, (cell.text, cell.width)
