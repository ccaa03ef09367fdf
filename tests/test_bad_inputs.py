"""Issue 13: every bad monthly input is refused with where and what was wrong, never read as a
wrong figure and never a traceback; the data ingested before stays byte for byte as it was, the
rest of the raw data is still ingested, and the command ends non-zero.

Each case breaks a copy of the bundled data (already ingested once), runs ``python -m helpers
ingest`` on all of it, and checks the exit code, the message (file, sheet, row, column where
they exist) and every processed file.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto.format.ooxml
import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.cli import main
from helpers.paths import DEFAULT_DATA_DIR

PROVINCE_DIR = Path("raw") / "binh_dinh"
MONTH_DIR = PROVINCE_DIR / "2024-02"
WORKBOOK = "phu_luc_7_chi_tieu_2024-02.xlsx"
PUBLISHED = "so_lieu_cong_bo_bao_cao_2024-02.csv"
SHOWN_WORKBOOK = f"file data/raw/binh_dinh/2024-02/{WORKBOOK}"
PROVINCIAL = "PL1 - Cấp tỉnh"
DISTRICT = "PL2 - Cấp huyện"
TIDY_INPUT = ["period", "province", "level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]


@dataclass(frozen=True)
class Case:
    name: str
    breakage: Callable[[Path], None]
    expected: tuple[str, ...]
    exit_code: int = 1


def _month(data: Path) -> Path:
    return data / MONTH_DIR


def _edit_workbook(edit: Callable) -> Callable[[Path], None]:
    def breakage(data: Path) -> None:
        path = _month(data) / WORKBOOK
        workbook = load_workbook(path)
        edit(workbook)
        workbook.save(path)

    return breakage


def _cell(sheet: str, row: int, column: int, value: object) -> Callable[[Path], None]:
    return _edit_workbook(lambda workbook: workbook[sheet].cell(row, column, value))


def _note_row_at(sheet: str, row: int, note: str) -> Callable:
    def edit(workbook) -> None:
        workbook[sheet].insert_rows(row)
        workbook[sheet].cell(row, 1, note)

    return edit


def _rewrite_member(data: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one part of the workbook's zip (for what openpyxl cannot write)."""
    path = _month(data) / WORKBOOK
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in parts:
            target.writestr(info, change(content) if info.filename == member else content)


def _huge_number_in_a_cell(digits: int) -> Callable[[Path], None]:
    def breakage(data: Path) -> None:
        _cell(PROVINCIAL, 9, 3, 987654321)(data)
        _rewrite_member(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"<v>987654321</v>", b"<v>" + b"7" * digits + b"</v>"))

    return breakage


def _corrupt_sheet(data: Path) -> None:
    """Deflated bytes of the second sheet damaged in place, as a bad disk or download leaves them."""
    path = _month(data) / WORKBOOK
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 20, start + info.compress_size - 20, 7):
        raw[offset] ^= 0x5A
    path.write_bytes(bytes(raw))


def _encrypt(data: Path) -> None:
    path = _month(data) / WORKBOOK
    encrypted = io.BytesIO()
    with path.open("rb") as plain:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("mật khẩu", encrypted)
    path.write_bytes(encrypted.getvalue())


def _write(relative: str, content: bytes | str) -> Callable[[Path], None]:
    def breakage(data: Path) -> None:
        path = data / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    return breakage


def _copy_month_to(folder: str) -> Callable[[Path], None]:
    return lambda data: shutil.copytree(_month(data), data / PROVINCE_DIR / folder)


def _remove(*names: str) -> Callable[[Path], None]:
    def breakage(data: Path) -> None:
        for name in names:
            (_month(data) / name).unlink()

    return breakage


def _both(*breakages: Callable[[Path], None]) -> Callable[[Path], None]:
    def breakage(data: Path) -> None:
        for each in breakages:
            each(data)

    return breakage


def _edit_published_csv(change: Callable[[str], str]) -> Callable[[Path], None]:
    def breakage(data: Path) -> None:
        path = _month(data) / PUBLISHED
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return breakage


def _first_total(column: str, value: str) -> Callable[[Path], None]:
    """The published CSV's first data row with ``value`` in ``column``."""

    def change(text: str) -> str:
        header, first, *rest = text.splitlines()
        fields = first.split(",")
        fields[header.split(",").index(column)] = f'"{value}"'
        return "\n".join([header, ",".join(fields), *rest]) + "\n"

    return _edit_published_csv(change)


def _as_tidy_parquet(change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    """The month as one tidy Parquet file (from its own processed rows), changed."""

    def breakage(data: Path) -> None:
        processed = pd.read_parquet(data / "processed" / "binh_dinh" / "2024-02.parquet")
        frame = processed[TIDY_INPUT].assign(unit_name=None).astype({"numerator": "float64", "denominator": "float64"})
        change(frame).to_parquet(_month(data) / "chi_tieu.parquet")
        _remove(WORKBOOK, PUBLISHED)(data)

    return breakage


def _set_value(column: str, row: int, value: object) -> Callable[[pd.DataFrame], pd.DataFrame]:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame.loc[row, column] = value
        return frame

    return change


CASES = [
    # Accepted before with wrong figures.
    Case("misspelled unit-name header", _cell(PROVINCIAL, 6, 2, "Co quan don vi"),
         (SHOWN_WORKBOOK, f"sheet '{PROVINCIAL}', row 6, column B", "did you mean 'Cơ quan, đơn vị'?", "found 'Co quan don vi'")),
    Case("misspelled header of the second block", _cell(PROVINCIAL, 28, 2, "Co quan"),
         (f"sheet '{PROVINCIAL}', row 28, column B", "a unit-name column header", "found 'Co quan'")),
    Case("English thousands 4,000", _cell(PROVINCIAL, 9, 3, "4,000"),
         (f"sheet '{PROVINCIAL}', row 9, column C (Tổng số HS tiếp nhận)", "write 4.000 if the comma separates thousands", "found '4,000'")),
    Case("English thousands 100,000", _cell(PROVINCIAL, 10, 9, "100,000"), ("row 10, column I", "write 100.000 if", "found '100,000'")),
    Case("English decimal 0.125", _cell(PROVINCIAL, 9, 5, "0.125"), ("row 9, column E", "write 0,125 if the dot marks decimals")),
    Case("space inside a count", _cell(PROVINCIAL, 9, 6, "1 2"), ("row 9, column F", "without spaces between its digits", "found '1 2'")),
    Case("English thousands and decimals", _cell(PROVINCIAL, 9, 3, "1,234.5"), ("row 9, column C", "the Vietnamese way: 1.234,5")),
    Case("English thousands in a tidy CSV", _first_total("numerator", "4,000"),
         (f"file data/raw/binh_dinh/2024-02/{PUBLISHED}, row 2, column H (numerator)", "write 4.000 if")),
    Case("misspelled tidy CSV column", _edit_published_csv(lambda text: text.replace(",numerator,", ",numerater,", 1)),
         (f"{PUBLISHED}, row 1, column H (numerater)", "did you mean 'numerator'?")),
    Case("unknown tidy CSV column", _edit_published_csv(lambda text: text.replace(",assigned_target", ",ghi_chu", 1)),
         (f"{PUBLISHED}, row 1, column K (ghi_chu)", "a column of the tidy format")),
    # Crashed before.
    Case("corrupted sheet", _corrupt_sheet, (SHOWN_WORKBOOK, f"sheet '{DISTRICT}'", "a damaged part 'xl/worksheets/sheet2.xml'")),
    Case("400-digit integer in a cell", _huge_number_in_a_cell(400), (f"sheet '{PROVINCIAL}', row 9, column C", "at most 15 digits")),
    Case("5000-digit integer in a cell", _huge_number_in_a_cell(5000), (f"sheet '{PROVINCIAL}', row 9, column C", "a number of 5000 digits")),
    Case("400-digit count in a tidy CSV", _first_total("numerator", "9" * 400), (f"{PUBLISHED}, row 2, column H (numerator)", "at most 15 digits")),
    Case("Parquet count of 1.5", _as_tidy_parquet(_set_value("numerator", 4, 1.5)), ("chi_tieu.parquet, row 5, column numerator", "a whole number", "found 1.5")),
    Case("Parquet count of 1e20", _as_tidy_parquet(_set_value("denominator", 0, 1e20)), ("chi_tieu.parquet, row 1, column denominator", "at most 15 digits")),
    Case("Parquet count as text", _as_tidy_parquet(lambda frame: frame.astype({"numerator": "string"})), ("chi_tieu.parquet, column numerator", "expected numbers")),
    Case("Parquet unknown column", _as_tidy_parquet(lambda frame: frame.rename(columns={"denominator": "denominater"})),
         ("chi_tieu.parquet, column denominater", "did you mean 'denominator'?")),
    Case("Parquet file that is not one", _both(_write(f"{MONTH_DIR}/chi_tieu.parquet", b"PAR1 not really"), _remove(WORKBOOK)),
         ("chi_tieu.parquet", "an unreadable file")),
    # One bad folder or file must not block or pass in silence.
    Case("month folder 2024-13", _copy_month_to("2024-13"), ("file data/raw/binh_dinh/2024-13", "a month folder named YYYY-MM", "found a folder named '2024-13'")),
    Case("month folder 'Tháng 4'", _copy_month_to("Tháng 4"), ("file data/raw/binh_dinh/Tháng 4", "found a folder named 'Tháng 4'")),
    Case(".xls alone", _both(_remove(WORKBOOK, PUBLISHED), _write(f"{MONTH_DIR}/phu_luc.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))),
         ("phu_luc.xls", "save it as Excel Workbook (.xlsx)", "an Excel 97–2003 workbook (.xls)")),
    Case(".xls beside a good .xlsx", _write(f"{MONTH_DIR}/phu_luc_cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
         ("phu_luc_cu.xls", "save it as Excel Workbook (.xlsx)")),
    Case(".ods beside a good .xlsx", _write(f"{MONTH_DIR}/phu_luc.ods", b"PK\x03\x04"), ("phu_luc.ods", "an OpenDocument spreadsheet")),
    Case("encrypted workbook", _encrypt, (SHOWN_WORKBOOK, "a workbook that is encrypted (password-protected)", "remove the password")),
    Case("an .xls named .xlsx", _write(f"{MONTH_DIR}/{WORKBOOK}", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)),
         (SHOWN_WORKBOOK, "an Excel 97–2003 workbook (.xls) named .xlsx")),
    Case("formulas without cached values", _cell(PROVINCIAL, 9, 3, "=40+5"),
         (f"sheet '{PROVINCIAL}', row 9, column C (Tổng số HS tiếp nhận)", "open the workbook in Excel and save it", "a formula saved without its result")),
    Case("formula without cached value in a rate", _cell(PROVINCIAL, 9, 7, "=F9/E9"), (f"sheet '{PROVINCIAL}', row 9, column G", "open the workbook in Excel and save it")),
    Case("note row inside a table", _edit_workbook(_note_row_at(PROVINCIAL, 16, "Ghi chú: số liệu tạm tính")),
         (f"sheet '{PROVINCIAL}', row 17", "a row with figures outside any table")),
    # Handled before; kept so that they stay handled.
    Case("empty workbook", _write(f"{MONTH_DIR}/{WORKBOOK}", b""), (SHOWN_WORKBOOK, "an empty file (0 bytes)")),
    Case("text named .xlsx", _write(f"{MONTH_DIR}/{WORKBOOK}", "TT,Cơ quan, đơn vị\n1,Sở Y tế\n"), (SHOWN_WORKBOOK, "a file that is not an Excel workbook")),
    Case("truncated workbook", lambda data: (_month(data) / WORKBOOK).write_bytes((_month(data) / WORKBOOK).read_bytes()[:3000]),
         (SHOWN_WORKBOOK, "not an Excel workbook")),
    Case("missing sheet", _edit_workbook(lambda workbook: workbook.remove(workbook[DISTRICT])), (WORKBOOK, "'Cấp huyện'")),
    Case("renamed sub-header", _cell(PROVINCIAL, 7, 9, "KQ"), (f"sheet '{PROVINCIAL}', row 7, column I", "found 'KQ'")),
    Case("renamed indicator header", _cell(PROVINCIAL, 28, 4, "Số hoá"), (f"sheet '{PROVINCIAL}', row 28, column D", "found 'Số hoá'")),
    Case("words in a count", _cell(PROVINCIAL, 9, 3, "năm nghìn"), ("row 9, column C", "found 'năm nghìn'")),
    Case("percentage in a count", _cell(PROVINCIAL, 9, 3, "45%"), ("row 9, column C", "not a percentage")),
    Case("unknown unit", _cell(PROVINCIAL, 22, 2, "Sở Tu phap"), ("row 22, column B", "did you mean 'Sở Tư pháp'")),
    Case("unit twice", _cell(PROVINCIAL, 10, 2, "Ban Quản lý KKT tỉnh"), ("row 10", "again (first at")),
    Case("title of another month", _cell(DISTRICT, 2, 1, "CẤP HUYỆN: 07 chỉ tiêu trong tháng 03 năm 2024"), ("a title that says 2024-03",)),
    Case("binary CSV", _write(f"{MONTH_DIR}/{PUBLISHED}", bytes(range(256)) * 4), (PUBLISHED, "binary content")),
    Case("CSV cell over 128 KiB", _first_total("unit_name", "x" * 200_000), (f"{PUBLISHED}, row 2", "a cell too long to read")),
    Case("empty CSV", _write(f"{MONTH_DIR}/{PUBLISHED}", ""), (PUBLISHED, "an empty file")),
    # Ignored before: a file with nothing in it beside the month's good files.
    Case("a header-only tidy CSV beside the month's files", _write(f"{MONTH_DIR}/extra.csv", ",".join(TIDY_INPUT) + "\n"),
         ("file data/raw/binh_dinh/2024-02/extra.csv", "rows of the month's indicators", "found a file with no rows")),
    Case("tidy CSV without its province column", _edit_published_csv(lambda text: text.replace("province,", "tinh,", 1)), (PUBLISHED, "tidy columns province")),
    Case("empty month folder", lambda data: (data / PROVINCE_DIR / "2024-03").mkdir(), ("2024-03", "at least one .xlsx")),
    Case("province not in the registry", lambda data: shutil.copytree(_month(data), data / "raw" / "xu_la" / "2024-02"),
         ("data/raw/xu_la/2024-02", "a province listed in data/units/provinces.csv")),
]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data, ingested once; each case breaks a copy of it."""
    data = tmp_path_factory.mktemp("ingested") / "data"
    for part in ("units", "raw", "catalogue"):
        shutil.copytree(DEFAULT_DATA_DIR / part, data / part)
    assert main(["ingest", "--data-dir", str(data)]) == 0
    return data


def _processed(data: Path) -> dict[str, bytes]:
    return {str(path.relative_to(data)): path.read_bytes() for path in sorted((data / "processed").rglob("*")) if path.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_input_is_named_and_changes_nothing(case: Case, ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(ingested, data)
    before = _processed(data)
    case.breakage(data)
    capsys.readouterr()
    assert main(["ingest", "--data-dir", str(data)]) == case.exit_code
    output = capsys.readouterr()
    shown = output.out + output.err
    for expected in case.expected:
        assert expected in shown, f"{expected!r} not in:\n{shown}"
    assert "Traceback" not in shown
    assert "Failed (1): " in output.err and "Ingested all the same: " in output.err
    assert _processed(data) == before, "a failed run changed the processed data"


def test_a_bad_folder_blocks_nothing_else(ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every good month and every 766 province is still (re)ingested beside a bad folder."""
    data = tmp_path / "data"
    shutil.copytree(ingested, data)
    _copy_month_to("2024-13")(data)
    (data / "processed" / "binh_dinh" / "2024-02.parquet").unlink()
    assert main(["ingest", "--data-dir", str(data)]) == 1
    output = capsys.readouterr()
    assert (data / "processed" / "binh_dinh" / "2024-02.parquet").read_bytes() == (ingested / "processed" / "binh_dinh" / "2024-02.parquet").read_bytes()
    assert "binh_dinh 2024-02: 40 units" in output.out
    assert re.search(r"Failed \(1\): data/raw/binh_dinh/2024-13\. Ingested all the same: 1 month\(s\), 3 province\(s\) of the 766 index", output.err)


@pytest.mark.parametrize(
    ("name", "raw", "escaped"),
    [
        ("ANSI escape", "\x1b[31mĐỏ\x1b[0m.csv", "\\x1b[31mĐỏ\\x1b[0m.csv"),
        ("forged line", "a\n[2] ha_noi 2024-02: 40 units.csv", "a\\n[2] ha_noi 2024-02: 40 units.csv"),
    ],
)
def test_names_from_files_are_printed_escaped(name: str, raw: str, escaped: str, ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(ingested, data)
    (_month(data) / raw).write_text("không phải bảng\n", encoding="utf-8")
    assert main(["ingest", "--data-dir", str(data)]) == 1
    output = capsys.readouterr()
    shown = output.out + output.err
    assert escaped in shown
    assert "\x1b" not in shown and raw not in shown


def test_a_very_long_name_is_printed_shortened(ingested: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(ingested, data)
    _cell(PROVINCIAL, 22, 2, "Sở " + "Tư pháp " * 2500)(data)
    assert main(["ingest", "--data-dir", str(data)]) == 1
    output = capsys.readouterr()
    shown = output.out + output.err
    assert "row 22, column B" in shown and "more characters]" in shown
    assert len(shown) < 5000 and "Tư pháp " * 100 not in shown


def test_an_ambiguous_rate_is_a_data_check_not_a_wrong_figure(ingested: Path, tmp_path: Path) -> None:
    """Rates are recomputed from the counts, so an unreadable one is ignored and said so, never misread."""
    data = tmp_path / "data"
    shutil.copytree(ingested, data)
    _cell(PROVINCIAL, 9, 7, "0.003%")(data)
    assert main(["ingest", "--data-dir", str(data), "--province", "binh_dinh"]) == 0
    frame = pd.read_parquet(data / "processed" / "binh_dinh" / "2024-02.parquet")
    row = frame[(frame["source_sheet"] == PROVINCIAL) & (frame["source_row"] == 9) & (frame["rate_cell"] == "G9")]
    assert row["reported_rate"].isna().all() and row["parse_notes"].tolist() == ["reported_rate@G9='0.003%'"]
