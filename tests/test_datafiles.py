"""The analyst-editable CSV files under data/ (helpers.datafiles.read_data_csv)."""

from pathlib import Path

import pandas as pd
import pytest

from helpers.datafiles import convert_column, read_data_csv
from helpers.errors import InputError

DATA = Path(__file__).resolve().parent.parent / "data"


def _csv(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "levels.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def _problem(path: Path) -> str:
    with pytest.raises(InputError) as raised:
        read_data_csv(path, ["level"])
    [problem] = raised.value.problems
    return str(problem)


@pytest.mark.parametrize("name", sorted(path.relative_to(DATA).as_posix() for path in DATA.glob("*/*.csv")))
def test_every_bundled_file_reads_as_pandas_reads_it(name: str):
    path = DATA / name
    by_pandas = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_pandas = by_pandas.rename(columns=str.strip).apply(lambda column: column.str.strip())
    pd.testing.assert_frame_equal(read_data_csv(path, []).reset_index(drop=True), by_pandas, check_exact=True)


def test_values_are_stripped_blank_lines_skipped_and_short_rows_filled(tmp_path: Path):
    path = _csv(tmp_path, "\ufefflevel , name_vi,order\n cap_tinh ,Cấp tỉnh , 1\n\n,,\ncap_xa\n")
    frame = read_data_csv(path, ["level"], optional=["note"])
    assert frame.to_dict("list") == {"level": ["cap_tinh", "cap_xa"], "name_vi": ["Cấp tỉnh", ""], "order": ["1", ""], "note": ["", ""]}


def test_a_spreadsheets_empty_columns_after_the_last_are_not_columns(tmp_path: Path):
    frame = read_data_csv(_csv(tmp_path, "level,order,,\ncap_tinh,1,,\n"), ["level"])
    assert list(frame.columns) == ["level", "order"]


def test_a_value_beyond_the_headers_columns_names_its_line(tmp_path: Path):
    # line 4: the quoted cell of line 2 spans two lines
    message = _problem(_csv(tmp_path, 'level,name_vi\ncap_tinh,"Cấp\ntỉnh"\ncap_xa,Cấp xã,3\n'))
    assert "levels.csv" in message and "row 4" in message and "at most 2 values" in message and "3 values" in message


def test_a_column_named_twice_is_an_error_not_a_renamed_column(tmp_path: Path):
    message = _problem(_csv(tmp_path, "level,order,order\ncap_tinh,1,2\n"))
    assert "each column named once" in message and "'order'" in message


def test_an_empty_file_says_so(tmp_path: Path):
    assert "an empty file" in _problem(_csv(tmp_path, "\n\n"))


def test_a_file_that_is_not_utf8_says_so(tmp_path: Path):
    assert "a UTF-8 CSV file" in _problem(_csv(tmp_path, "level\nC\xe1p t\xe1nh\n".encode("latin-1")))


def test_a_missing_required_column_lists_the_columns_found(tmp_path: Path):
    message = _problem(_csv(tmp_path, "levle,order\ncap_tinh,1\n"))
    assert "columns 'level'" in message and "'levle', 'order'" in message


def test_each_rows_index_is_the_line_it_starts_on_and_a_bad_value_is_named_there(tmp_path: Path):
    # line 1 the header, 2 blank, 3–4 one row (a quoted cell spans them), 5 blank, 6 the next row
    path = _csv(tmp_path, 'level,name_vi,order\n\ncap_tinh,"Cấp\ntỉnh",1\n\ncap_xa,Cấp xã,một\n')
    frame = read_data_csv(path, ["level"])
    assert list(frame.index) == [3, 6] and list(frame["level"]) == ["cap_tinh", "cap_xa"]
    with pytest.raises(InputError) as raised:
        convert_column(path, frame, "order", int, "a whole number")
    [problem] = raised.value.problems
    assert "levels.csv, row 6, column C (order)" in str(problem) and "'một'" in str(problem)
