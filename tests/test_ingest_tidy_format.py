"""The documented tidy format (Parquet and CSV): the same rows as the appendix, and every bad row
named with its file, row and column."""

from pathlib import Path

import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.ingest.monthly import read_source

TIDY_COLUMNS = ["period", "province", "level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]
COMPARED = ["level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]


def _by_name(real_tidy: pd.DataFrame) -> pd.DataFrame:
    """The real month in the tidy format as another system would export it: units by name only."""
    return real_tidy[TIDY_COLUMNS].assign(unit_id=None)


def _read(path: Path, context) -> pd.DataFrame:
    frame, _ = read_source(path, context.catalogue, context.registry, "binh_dinh", "2024-02")
    return frame


def test_tidy_parquet_gives_the_same_rows_as_the_appendix(tmp_path: Path, context, real_tidy: pd.DataFrame) -> None:
    path = tmp_path / "chi_tieu.parquet"
    _by_name(real_tidy).to_parquet(path)
    frame = _read(path, context)
    pd.testing.assert_frame_equal(frame[COMPARED], real_tidy[COMPARED], check_dtype=False)
    assert frame["source_row"].tolist() == list(range(1, len(frame) + 1))
    assert set(frame["source_file"]) == {str(path)}


def _broken(real_tidy: pd.DataFrame) -> pd.DataFrame:
    frame = _by_name(real_tidy).reset_index(drop=True)
    units = frame.index[frame["row_kind"] == "unit"]
    frame.loc[units[0], "unit_name"] = "Sở Tu phap"  # misspelt
    frame.loc[units[1], "indicator"] = "ho_so_giay"  # not in the catalogue
    frame.loc[units[2], "province"] = "gia_lai"  # filed under the wrong province
    frame.loc[units[3], "level"] = "cap_thon"  # no such level
    return frame


def test_tidy_parquet_problems_name_each_row(tmp_path: Path, context, real_tidy: pd.DataFrame) -> None:
    path = tmp_path / "chi_tieu.parquet"
    frame = _broken(real_tidy)
    frame.to_parquet(path)
    with pytest.raises(InputError) as raised:
        _read(path, context)
    rows = [problem.location.row for problem in raised.value.problems]
    units = frame.index[frame["row_kind"] == "unit"]
    assert rows == [units[0] + 1, units[1] + 1, units[2] + 1, units[3] + 1]  # file order, 1-based
    message = str(raised.value)
    assert str(path) in message
    assert "did you mean 'Sở Tư pháp'" in message and "'Sở Tu phap'" in message
    assert "an indicator of catalogue/indicators.csv" in message and "'ho_so_giay'" in message
    assert "rows of binh_dinh 2024-02" in message and "a row of gia_lai 2024-02" in message
    assert "a level of catalogue/levels.csv" in message and "'cap_thon'" in message


def test_tidy_csv_problems_name_the_cell(tmp_path: Path, context, real_tidy: pd.DataFrame) -> None:
    path = tmp_path / "chi_tieu.csv"
    _broken(real_tidy).to_csv(path, index=False)
    with pytest.raises(InputError) as raised:
        _read(path, context)
    name_problem = next(problem for problem in raised.value.problems if "Sở Tu phap" in str(problem))
    assert name_problem.location.column == "E"  # unit_name is the fifth column
    assert name_problem.location.row == 2 + int(real_tidy.reset_index(drop=True).index[real_tidy["row_kind"].to_numpy() == "unit"][0])


def test_a_unit_twice_in_one_tidy_csv_names_the_second_row(tmp_path: Path, context, real_tidy: pd.DataFrame) -> None:
    frame = _by_name(real_tidy).reset_index(drop=True)
    unit = frame.index[frame["row_kind"] == "unit"][0]
    path = tmp_path / "chi_tieu.csv"
    pd.concat([frame, frame.loc[[unit]]], ignore_index=True).to_csv(path, index=False)
    with pytest.raises(InputError) as raised:
        _read(path, context)
    (problem,) = raised.value.problems
    assert problem.location.row == len(frame) + 2  # the header is row 1
    assert f"each unit once per level and indicator ({frame.loc[unit, 'indicator']})" in str(raised.value)


def test_a_total_in_two_files_of_a_month_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each file is checked for duplicates as it is read; the month as a whole, across its files."""
    import shutil

    from helpers.cli import main
    from helpers.paths import DEFAULT_DATA_DIR

    data = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "units", data / "units")
    month = data / "raw" / "binh_dinh" / "2024-02"
    shutil.copytree(DEFAULT_DATA_DIR / "raw" / "binh_dinh" / "2024-02", month)
    shutil.copy(month / "so_lieu_cong_bo_bao_cao_2024-02.csv", month / "so_lieu_cong_bo_ban_sao.csv")
    assert main(["ingest", "--data-dir", str(data)]) == 1
    shown = capsys.readouterr().out
    assert "so_lieu_cong_bo_ban_sao.csv" in shown and "again (first at " in shown


RAGGED = (
    "period,province,level,unit_id,unit_name,row_kind,indicator,numerator,denominator\n"
    "2024-02,binh_dinh,cap_tinh,,  Sở Tư pháp ,unit,online_dossiers, 1.313 ,1.400\n"
    "\n"
    " , ,,,,,,,\n"
    "2024-02,binh_dinh,cap_tinh,,Sở Y tế,unit,online_dossiers,5\n"
    "2024-02,binh_dinh,cap_tinh,,Sở Tài chính,unit,online_dossiers,7,8,a cell past the header\n"
)


def test_a_tidy_csv_with_blank_short_and_long_rows(tmp_path: Path, context) -> None:
    """Blank rows are skipped (row numbers stay the file's), a short row's missing cells are blank,
    a cell past the header is ignored, and every cell is read without its surrounding spaces."""
    path = tmp_path / "chi_tieu.csv"
    path.write_text(RAGGED, encoding="utf-8")
    frame = _read(path, context)
    assert frame["source_row"].tolist() == [2, 5, 6]
    assert frame["unit_name"].tolist() == ["Sở Tư pháp", "Sở Y tế", "Sở Tài chính"]
    assert frame["numerator"].tolist() == [1313, 5, 7]
    assert frame["denominator"].tolist()[0] == 1400 and pd.isna(frame["denominator"].iloc[1])
    assert frame["numerator_cell"].tolist() == ["H2", "H5", "H6"]


def test_a_row_with_only_a_cell_past_the_header_is_not_dropped(tmp_path: Path, context) -> None:
    path = tmp_path / "chi_tieu.csv"
    path.write_text(RAGGED + ",,,,,,,,,ghi chú\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        _read(path, context)
    assert {problem.location.row for problem in raised.value.problems} == {7}
