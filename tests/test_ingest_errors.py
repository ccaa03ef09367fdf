"""Issue 2 acceptance: bad input gets a clear error naming where and what, and writes nothing."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers.cli import main
from helpers.context import Context
from helpers.errors import InputError
from helpers.ingest.monthly import discover_months, ingest_all, read_month
from helpers.store import month_path

WORKBOOK = "phu_luc_7_chi_tieu_2024-02.xlsx"


def _month_dir(data_dir: Path) -> Path:
    return data_dir / "raw" / "binh_dinh" / "2024-02"


def _edit_workbook(data_dir: Path, edit) -> None:
    path = _month_dir(data_dir) / WORKBOOK
    workbook = load_workbook(path)
    edit(workbook)
    workbook.save(path)


def _ingest_error(data_dir: Path) -> str:
    context = Context.load(data_dir)
    (month,) = discover_months(context.workspace)
    with pytest.raises(InputError) as raised:
        read_month(context.workspace, context.catalogue, context.registry, month)
    return str(raised.value)


@pytest.fixture
def ingested_before(data_dir: Path) -> bytes:
    """The month ingested once successfully; tests then break the input and re-run."""
    context = Context.load(data_dir)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert len(done) == 1 and not failed
    return month_path(context.workspace, "binh_dinh", "2024-02").read_bytes()


def test_missing_sheet(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook.remove(workbook["PL2 - Cấp huyện"]))
    message = _ingest_error(data_dir)
    assert WORKBOOK in message and "'Cấp huyện'" in message
    assert "PL1 - Cấp tỉnh" in message and "PL3 - Cấp xã" in message  # the sheets it did find


def test_renamed_column(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook["PL1 - Cấp tỉnh"].cell(7, 9, "KQ"))
    message = _ingest_error(data_dir)
    assert f"file data/raw/binh_dinh/2024-02/{WORKBOOK}" in message
    assert "sheet 'PL1 - Cấp tỉnh', row 7, column I" in message
    assert "a sub-header under 'Hồ sơ trực tuyến'" in message and "found 'KQ'" in message
    assert "'Kết quả' column under 'Hồ sơ dịch vụ công trực tuyến'" in message  # and the column it now lacks


def test_renamed_indicator_header(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook["PL1 - Cấp tỉnh"].cell(28, 4, "Số hoá"))
    message = _ingest_error(data_dir)
    assert "sheet 'PL1 - Cấp tỉnh', row 28, column D" in message and "an indicator header" in message and "found 'Số hoá'" in message


def test_text_in_a_count(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook["PL1 - Cấp tỉnh"].cell(9, 3, "năm nghìn"))
    message = _ingest_error(data_dir)
    assert "sheet 'PL1 - Cấp tỉnh', row 9, column C (Tổng số HS tiếp nhận)" in message
    assert "expected a whole number such as 1.313 (a count); found 'năm nghìn'" in message


def test_unknown_unit_is_reported_with_a_suggestion(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook["PL1 - Cấp tỉnh"].cell(22, 2, "Sở Tu phap"))
    message = _ingest_error(data_dir)
    assert "sheet 'PL1 - Cấp tỉnh', row 22, column B" in message
    assert "did you mean 'Sở Tư pháp'" in message and "found 'Sở Tu phap'" in message


def test_empty_file(data_dir: Path) -> None:
    (_month_dir(data_dir) / WORKBOOK).write_bytes(b"")
    assert "expected an Excel workbook; found an empty file (0 bytes)" in _ingest_error(data_dir)


def test_non_excel_file_with_an_xlsx_name(data_dir: Path) -> None:
    (_month_dir(data_dir) / WORKBOOK).write_text("TT,Cơ quan, đơn vị\n1,Sở Y tế\n", encoding="utf-8")
    message = _ingest_error(data_dir)
    assert WORKBOOK in message and "a file that is not an Excel workbook" in message


def test_a_title_for_another_month(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook["PL2 - Cấp huyện"].cell(2, 1, "CẤP HUYỆN: 07 chỉ tiêu trong tháng 03 năm 2024"))
    assert "a title that says 2024-03" in _ingest_error(data_dir)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda data_dir: _edit_workbook(data_dir, lambda workbook: workbook["PL1 - Cấp tỉnh"].cell(9, 3, "x")),
        lambda data_dir: (_month_dir(data_dir) / WORKBOOK).write_bytes(b""),
        lambda data_dir: _edit_workbook(data_dir, lambda workbook: workbook.remove(workbook["PL3 - Cấp xã"])),
    ],
)
def test_a_failed_run_leaves_the_earlier_output_untouched(data_dir: Path, ingested_before: bytes, breakage, capsys) -> None:
    breakage(data_dir)
    assert main(["ingest", "--data-dir", str(data_dir)]) == 1
    assert "Could not ingest binh_dinh 2024-02" in capsys.readouterr().out
    context = Context.load(data_dir)
    assert month_path(context.workspace, "binh_dinh", "2024-02").read_bytes() == ingested_before
    assert [path.name for path in month_path(context.workspace, "binh_dinh", "2024-02").parent.iterdir()] == ["2024-02.parquet"]


def test_nothing_is_written_for_a_month_that_never_ingested(data_dir: Path) -> None:
    _edit_workbook(data_dir, lambda workbook: workbook["PL1 - Cấp tỉnh"].cell(9, 3, "x"))
    assert main(["ingest", "--data-dir", str(data_dir)]) == 1
    assert not (data_dir / "processed" / "binh_dinh").exists() or not any((data_dir / "processed" / "binh_dinh").iterdir())
