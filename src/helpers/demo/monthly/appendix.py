"""The appendix workbook ("Phụ lục 1, 2, 3") of a simulated month, as xlsx or CSV, or the tidy Parquet."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from helpers.catalogue import Catalogue
from helpers.demo.monthly.indicators import DemoIndicators
from helpers.demo.monthly.provinces import Province
from helpers.demo.monthly.spec import DemoSpec
from helpers.numbers import format_number, format_percent
from helpers.text import header_key

# Communes get one target for all ("giao chung"); other levels a target per unit.
TARGET_HEADER = {"cap_xa": "Chỉ tiêu giao chung"}
DEFAULT_TARGET_HEADER = "Chỉ tiêu được giao"
_Record = dict[str, Any]  # one row of the simulated month, as DataFrame.to_dict("records") gives it


@dataclass(frozen=True)
class _Cell:
    """A cell as the appendix writes it; ``kind`` decides its Excel format and its CSV text."""

    value: Any  # text, a count or a fraction
    kind: str  # title, note, header, seq, name, text, count, percent, percent1, plain


@dataclass
class _Sheet:
    title: str
    rows: list[list[_Cell | None]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    width: int = 0


class AppendixLayout:
    """The sheet, block and header texts of the appendix, checked against the catalogue's vocabulary."""

    def __init__(self, catalogue: Catalogue, models: DemoIndicators, spec: DemoSpec) -> None:
        self.catalogue = catalogue
        self.models = models
        self.spec = spec
        self.row_fields = [self._first_text("row_field", field_name) for field_name in ("seq", "unit_name", "received")]
        self.group_headers = {indicator: self._first_text("indicator", indicator) for indicator in catalogue.indicators}
        self.numerator_header = self._first_text("field", "numerator")
        self.rate_header = self._first_text("field", "reported_rate")
        for text in [*TARGET_HEADER.values(), DEFAULT_TARGET_HEADER]:
            if catalogue.headers.fields.get(header_key(text)) != "assigned_target":
                raise ValueError(f"catalogue/appendix_headers.csv must map the header {text!r} to assigned_target for the demo appendix")

    def _first_text(self, kind: str, meaning: str) -> str:
        table = {"row_field": self.catalogue.headers.row_fields, "indicator": self.catalogue.headers.indicators, "field": self.catalogue.headers.fields}[kind]
        for text in self.catalogue.headers.known_texts[kind]:
            if table[header_key(text)] == meaning:
                return text
        raise ValueError(f"catalogue/appendix_headers.csv has no {kind} header for {meaning}")

    def sub_columns(self, indicator: str, level: str) -> list[tuple[str, str]]:
        """(field, header) under an indicator's group header, in the real tables' order."""
        columns = [("assigned_target", TARGET_HEADER.get(level, DEFAULT_TARGET_HEADER))]
        if self.catalogue.indicator(indicator).appendix_denominator == "column":
            columns.append(("denominator", self.models[indicator].denominator_header))
        return [*columns, ("numerator", self.numerator_header), ("reported_rate", self.rate_header)]

    def sheets(self, month: pd.DataFrame, province: Province, period: str) -> list[_Sheet]:
        sheets = []
        year, month_number = period.split("-")
        for number, level in enumerate(self.spec.level_ids, start=1):
            name = self.catalogue.levels[level].name_vi
            sheet = _Sheet(f"PL{number} - {name}")
            title = f"{name.upper()}: {len(self.catalogue.indicators):02d} chỉ tiêu liên quan đến Bộ chỉ số phục vụ người dân, doanh nghiệp trong tháng {month_number} năm {year}"
            sheet.rows += [
                [_Cell(f"Phụ lục {number}", "title")],
                [_Cell(title, "title")],
                [_Cell(f"(Dữ liệu mô phỏng, không phải số liệu thật: {province.name_vi}; tạo bằng lệnh python -m helpers demo, seed {self.spec.seed})", "note")],
                [],
            ]
            by_unit: dict[str, dict[str, _Record]] = {}
            for record in month[month["level"] == level].to_dict("records"):
                by_unit.setdefault(str(record["unit_id"]), {})[str(record["indicator"])] = record
            for block_number, (caption, indicators) in enumerate(self.models.blocks):
                if block_number:
                    sheet.rows.append([])
                sheet.rows.append([_Cell(caption, "title")])
                self._block(sheet, level, indicators, by_unit)
            sheets.append(sheet)
        return sheets

    def _block(self, sheet: _Sheet, level: str, indicators: tuple[str, ...], by_unit: dict[str, dict[str, _Record]]) -> None:
        top = len(sheet.rows) + 1  # 1-based row of the group headers
        groups: list[_Cell | None] = [_Cell(text, "header") for text in self.row_fields]
        subs: list[_Cell | None] = [None] * len(self.row_fields)
        sheet.merges += [f"{get_column_letter(column)}{top}:{get_column_letter(column)}{top + 1}" for column in range(1, len(self.row_fields) + 1)]
        for indicator in indicators:
            columns = self.sub_columns(indicator, level)
            first = len(groups) + 1
            groups += [_Cell(self.group_headers[indicator], "header")] + [None] * (len(columns) - 1)
            subs += [_Cell(header, "header") for _field, header in columns]
            sheet.merges.append(f"{get_column_letter(first)}{top}:{get_column_letter(first + len(columns) - 1)}{top}")
        sheet.rows += [groups, subs]
        sheet.width = max(sheet.width, len(groups))
        for seq, (_unit_id, unit) in enumerate(by_unit.items(), start=1):
            # The unit's name and dossiers received, as its block's first indicator row has them.
            lead = unit[indicators[0]]
            row: list[_Cell | None] = [_Cell(seq, "seq"), _Cell(lead["unit_name"], "name"), _Cell(int(lead["received"]), "count")]
            for indicator in indicators:
                record = unit[indicator]
                for field_name, _header in self.sub_columns(indicator, level):
                    row.append(_value_cell(record, field_name))
            sheet.rows.append(row)


def _value_cell(record: _Record, field_name: str) -> _Cell | None:
    """Plain cells hold percentage points ("100" for a 100% target, "0" where nothing arose), as the real tables do."""
    value = record[field_name]
    if field_name == "assigned_target":
        if record["target_format"] == "percent_sign":
            return _Cell("%", "text")
        if pd.isna(value):
            return None
        return _Cell(round(float(value) * 100), "plain") if record["target_format"] == "plain" else _Cell(float(value), "percent")
    if field_name == "reported_rate":
        if pd.isna(value):
            return None
        if record["rate_format"] == "plain":
            return _Cell(round(float(value) * 100), "plain")
        return _Cell(float(value), str(record["rate_format"]))
    if pd.isna(value):
        return None
    if field_name == "numerator" and record["numerator_format"] == "text":
        return _Cell(format_number(int(value)), "text")
    return _Cell(int(value), "count")


_BOLD = Font(bold=True)
_ITALIC = Font(italic=True)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_EXCEL_FORMATS = {"seq": "#,##0", "count": "#,##0", "percent": "0%", "percent1": "0.0%", "name": "@", "text": "@", "plain": "General"}


def _excel_cell(sheet: WriteOnlyWorksheet, cell: _Cell | None) -> WriteOnlyCell | None:
    if cell is None:
        return None
    written = WriteOnlyCell(sheet, value=cell.value)
    if cell.kind == "title":
        written.font = _BOLD
    elif cell.kind == "note":
        written.font = _ITALIC
    elif cell.kind == "header":
        written.font, written.alignment, written.border = _BOLD, _HEADER_ALIGNMENT, _BOX
    else:
        written.number_format = _EXCEL_FORMATS[cell.kind]
        written.border = _BOX
    return written


def _csv_text(cell: _Cell | None) -> str:
    """A cell as a Vietnamese CSV export writes it: ``1.313``, ``98%``, ``99,8%``."""
    if cell is None:
        return ""
    if cell.kind in ("count", "percent", "percent1"):
        return _vi_number(cell.kind, cell.value)
    return str(cell.value)


@cache
def _vi_number(kind: str, value: float) -> str:
    """Counts and rates repeat a lot; Babel formatting each anew would dominate a CSV run."""
    if kind == "count":
        return format_number(value)
    return format_percent(value, 1 if kind == "percent1" else 0)


def write_month(month: pd.DataFrame, directory: Path, province: Province, period: str, spec: DemoSpec, layout: AppendixLayout) -> list[Path]:
    if spec.output_format == "tidy-parquet":
        path = directory / f"chi_tieu_{period}.parquet"
        tidy = month.assign(row_kind="unit", unit_id=month["unit_id"].where(~month["name_variant"]).astype("string"))
        columns = ["period", "province", "level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]
        tidy[columns].to_parquet(path, index=False)
        return [path]
    sheets = layout.sheets(month, province, period)
    if spec.output_format == "csv":
        paths = []
        for number, (sheet, level) in enumerate(zip(sheets, spec.level_ids), start=1):
            path = directory / f"phu_luc_{number}_{level}_{period}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                for row in sheet.rows:
                    writer.writerow([_csv_text(cell) for cell in row] + [""] * (sheet.width - len(row)))
            paths.append(path)
        return paths
    path = directory / f"phu_luc_{len(layout.catalogue.indicators)}_chi_tieu_{period}.xlsx"
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        for column in range(1, sheet.width + 1):
            worksheet.column_dimensions[get_column_letter(column)].width = {1: 5, 2: 32}.get(column, 11)
        for row in sheet.rows:
            worksheet.append([_excel_cell(worksheet, cell) for cell in row])
        for reference in sheet.merges:
            worksheet.merged_cells.add(reference)
    workbook.save(path)
    return [path]

