"""The bundled Bình Định 02/2024 workbook is the permanent regression case for ingest."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.ingest.monthly import read_source
from helpers.numbers import format_number, format_percent
from helpers.paths import DEFAULT_DATA_DIR

REAL_WORKBOOK = DEFAULT_DATA_DIR / "raw" / "binh_dinh" / "2024-02" / "phu_luc_7_chi_tieu_2024-02.xlsx"


def _row(tidy: pd.DataFrame, unit_id: str, indicator: str) -> pd.Series:
    match = tidy[(tidy["unit_id"] == unit_id) & (tidy["indicator"] == indicator)]
    assert len(match) == 1
    return match.iloc[0]


def test_every_unit_and_indicator_is_read(real_tidy: pd.DataFrame) -> None:
    units = real_tidy[real_tidy["row_kind"] == "unit"]
    assert units.groupby("level")["unit_id"].nunique().to_dict() == {"cap_tinh": 18, "cap_huyen": 11, "cap_xa": 11}
    assert len(units) == 40 * 7
    assert units["unit_id"].notna().all()
    totals = real_tidy[real_tidy["row_kind"] == "total"]
    assert len(totals) == 4 * 7


def test_messy_cells_parse_as_the_source_means_them(real_tidy: pd.DataFrame) -> None:
    quy_nhon_payment = _row(real_tidy, "bd.tp_quy_nhon", "online_payment")
    assert quy_nhon_payment["denominator"] == 1313  # written "1.313", a text cell
    assert quy_nhon_payment["denominator_cell"] == "P16"
    education_payment = _row(real_tidy, "bd.giao_duc_va_dao_tao", "online_payment")
    assert education_payment["reported_rate"] == pytest.approx(1.0)  # written "100"
    finance_payment = _row(real_tidy, "bd.tai_chinh", "online_payment")
    assert pd.isna(finance_payment["assigned_target"])  # written "%"
    planning_digitised = _row(real_tidy, "bd.ke_hoach_va_dau_tu", "digitized")
    assert (planning_digitised["numerator"], planning_digitised["denominator"]) == (33, 602)
    assert planning_digitised["reported_rate"] == pytest.approx(0.92)
    e_result = _row(real_tidy, "bd.tai_nguyen_va_moi_truong", "e_result")
    assert e_result["numerator"] == 923 and pd.isna(e_result["denominator"])
    commune_payment = _row(real_tidy, "bd.xa_huyen_an_lao", "online_payment")
    assert commune_payment["reported_rate"] == pytest.approx(0.998)  # "99,8%"


def test_rows_keep_their_source(real_tidy: pd.DataFrame) -> None:
    row = _row(real_tidy, "bd.ke_hoach_va_dau_tu", "digitized")
    assert row["source_file"].endswith("phu_luc_7_chi_tieu_2024-02.xlsx")
    assert row["source_sheet"] == "PL1 - Cấp tỉnh"
    assert (row["source_row"], row["numerator_cell"], row["rate_cell"]) == (35, "E35", "F35")


def _display(cell) -> str:
    """A cell as Excel shows it in a Vietnamese locale, which is what a CSV export holds."""
    if cell.value is None:
        return ""
    if isinstance(cell.value, (int, float)) and "%" in cell.number_format:
        return format_percent(cell.value, decimals=1)
    if isinstance(cell.value, (int, float)):
        return format_number(cell.value)
    return str(cell.value)


@pytest.mark.parametrize(("suffix", "delimiter"), [(".csv", ","), (".csv", ";"), (".tsv", "\t")])
def test_the_same_table_as_csv_or_tsv_gives_the_same_rows(tmp_path: Path, context, real_tidy: pd.DataFrame, suffix: str, delimiter: str) -> None:
    workbook = load_workbook(REAL_WORKBOOK)
    frames = []
    for sheet in workbook.worksheets:
        path = tmp_path / f"{sheet.title}{suffix}"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            for row in sheet.iter_rows():
                writer.writerow([_display(cell) for cell in row])
        frame, _ = read_source(path, context.catalogue, context.registry, "binh_dinh", "2024-02")
        frames.append(frame)
    from_text = pd.concat(frames).query("row_kind == 'unit'")
    compared = ["level", "unit_id", "indicator", "numerator", "denominator", "reported_rate", "assigned_target", "source_row", "numerator_cell"]
    expected = real_tidy.query("row_kind == 'unit'")[compared].sort_values(["unit_id", "indicator"]).reset_index(drop=True)
    actual = from_text[compared].sort_values(["unit_id", "indicator"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(actual, expected, check_dtype=False, check_exact=False, rtol=1e-9)
