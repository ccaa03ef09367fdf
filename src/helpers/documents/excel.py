"""The appendices as an Excel workbook: one sheet per level, numbers as numbers, a sheet of checks.

Each level's sheet holds every indicator side by side under the appendix's two header rows
(the Word appendix splits them into blocks only to fit an A4 page), frozen under the headers and
right of the unit names, with a filter over the unit rows; the level's total row follows them.
Counts and rates are numeric cells with display formats (rates as fractions shown as ``98,5%``
in a Vietnamese-locale Excel or LibreOffice); a rate below the unit's target is shaded.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from helpers.documents.appendix import COUNT, PERCENT, Appendix, Block, Value
from helpers.documents.word import BELOW_FILL, HEADER_FILL
from helpers.atomic import write_atomic
from helpers.messages import Messages

COUNT_FORMAT = "[$-42A]#,##0"
PERCENT_FORMAT = "[$-42A]0.0%"
POINTS_FORMAT = "[$-42A]0.00"
POINTS = "points"
THIN = Side(style="thin", color="999999")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER = Font(name="Times New Roman", bold=True, size=11)
BODY = Font(name="Times New Roman", size=11)
TITLE = Font(name="Times New Roman", bold=True, size=13)
MAX_SHEET_TITLE = 31  # Excel's limit


def merged_table(appendix: Appendix) -> Block:
    """The appendix's blocks side by side: the row columns once, then every block's indicators."""
    first = appendix.blocks[0]
    lead = 3  # TT, unit name, dossiers received
    groups = list(first.groups[:lead])
    header, kinds = list(first.header[:lead]), list(first.kinds[:lead])
    rows = [list(row[:lead]) for row in first.rows]
    total = list(first.total[:lead])
    for block in appendix.blocks:
        groups += block.groups[lead:]
        header += block.header[lead:]
        kinds += block.kinds[lead:]
        for merged, row in zip(rows, block.rows):
            merged += row[lead:]
        total += block.total[lead:]
    return Block("", tuple(groups), tuple(header), tuple(kinds), tuple(tuple(row) for row in rows), tuple(total))


def write_appendix_workbook(path: Path, appendices: Sequence[Appendix], checks: pd.DataFrame, m: Messages) -> None:
    """Write the workbook to ``path`` through a temporary file."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for appendix in appendices:
        name = m("documents.workbook.sheet", number=appendix.number, level=appendix.level_name)[:MAX_SHEET_TITLE]
        sheet = workbook.create_sheet(name)
        _write_level(sheet, appendix, merged_table(appendix), m)
    write_frame_sheet(workbook.create_sheet(m("documents.workbook.checks_sheet")[:MAX_SHEET_TITLE]), checks)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())


def _write_level(sheet: Worksheet, appendix: Appendix, table: Block, m: Messages) -> None:
    sheet.append([m("documents.appendix.heading", number=appendix.number)])
    sheet.append([appendix.title])
    for row in (1, 2):
        sheet.cell(row, 1).font = TITLE
    top = 4  # first header row
    column = 1
    for text, span in table.groups:
        cell = sheet.cell(top, column, text)
        if span > 1:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + span - 1)
        elif not table.header[column - 1]:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        column += span
    for index, text in enumerate(table.header, start=1):
        if text:
            sheet.cell(top + 1, index, text)
    for row in sheet.iter_rows(min_row=top, max_row=top + 1, max_col=len(table.header)):
        for cell in row:
            cell.font, cell.border = HEADER, GRID
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    first_data = top + 2
    for offset, values in enumerate([*table.rows, table.total]):
        _write_row(sheet, first_data + offset, values, bold=offset == len(table.rows))
    last_unit = first_data + len(table.rows) - 1
    sheet.freeze_panes = sheet.cell(first_data, 3)
    sheet.auto_filter.ref = f"A{top + 1}:{get_column_letter(len(table.header))}{max(last_unit, top + 1)}"
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 36
    for index in range(3, len(table.header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 11
    sheet.row_dimensions[top + 1].height = 48


def _write_row(sheet: Worksheet, row: int, values: Sequence[Value], bold: bool) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row, column, value.value)
        cell.border = GRID
        cell.font = Font(name="Times New Roman", size=11, bold=bold or value.below)
        if value.kind == COUNT:
            cell.number_format = COUNT_FORMAT
        elif value.kind == PERCENT:
            cell.number_format = PERCENT_FORMAT
        if value.below:
            cell.fill = PatternFill("solid", fgColor=BELOW_FILL)


def write_frame_sheet(sheet: Worksheet, frame: pd.DataFrame, kinds: dict[str, str] | None = None) -> None:
    """A table of ``frame`` on ``sheet``: bold header, frozen under it, filter; ``kinds`` formats columns."""
    kinds = kinds or {}
    sheet.append([str(column) for column in frame.columns])
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER, PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    formats = [{COUNT: COUNT_FORMAT, PERCENT: PERCENT_FORMAT, POINTS: POINTS_FORMAT}.get(kinds.get(str(column), ""), None) for column in frame.columns]
    for record in frame.itertuples(index=False, name=None):
        sheet.append([None if not isinstance(value, str) and pd.isna(value) else value for value in record])
        for cell, number_format in zip(sheet[sheet.max_row], formats):
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    for index, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(48, max(10, len(str(column)) + 2))
