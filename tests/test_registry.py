import unicodedata
from pathlib import Path

import pytest

from helpers.errors import InputError
from helpers.registry import UnitRegistry, load_registry
from helpers.text import normalize_text


@pytest.mark.parametrize(
    ("written", "level", "unit_id"),
    [
        ("Sở Tài nguyên và MT", "cap_tinh", "bd.tai_nguyen_va_moi_truong"),
        ("sở tài nguyên và môi trường", "cap_tinh", "bd.tai_nguyen_va_moi_truong"),
        (unicodedata.normalize("NFD", "Sở Tài nguyên và Môi trường"), "cap_tinh", "bd.tai_nguyen_va_moi_truong"),
        ("  Sở  Tài nguyên   và MT ", "cap_tinh", "bd.tai_nguyen_va_moi_truong"),
        ("Sở Lao động – TB&XH", "cap_tinh", "bd.lao_dong_thuong_binh_va_xa_hoi"),
        ("Ban Quản lý KKT tỉnh", "cap_tinh", "bd.bql_kkt"),
        ("Sở Văn hoá và Thể thao", "cap_tinh", "bd.van_hoa_va_the_thao"),  # old tone placement
        ("UBND Huyện An Lão", "cap_huyen", "bd.huyen_an_lao"),
        ("UBND TP. Quy Nhơn", "cap_huyen", "bd.tp_quy_nhon"),
        # the commune sheet names communes by their district: same words, other level
        ("UBND huyện An Lão", "cap_xa", "bd.xa_huyen_an_lao"),
        ("UBND Thành phố Quy Nhơn", "cap_xa", "bd.xa_tp_quy_nhon"),
    ],
)
def test_names_match_whatever_the_spelling(context, written: str, level: str, unit_id: str) -> None:
    assert context.registry.resolve(written, "binh_dinh", level, "2024-02") == unit_id


def test_unknown_names_are_not_guessed(context) -> None:
    registry = context.registry
    assert registry.resolve("Sở Tu phap", "binh_dinh", "cap_tinh", "2024-02") is None
    assert registry.suggestions("Sở Tu phap", "binh_dinh", "cap_tinh") == ["Sở Tư pháp"]
    assert registry.resolve("Sở Tư pháp", "binh_dinh", "cap_huyen", "2024-02") is None


def test_units_have_validity(context) -> None:
    assert context.registry.resolve("Sở Tư pháp", "binh_dinh", "cap_tinh", "2025-07") is None
    assert context.registry.levels_of("binh_dinh", "2024-02") == ["cap_huyen", "cap_tinh", "cap_xa"]


def test_tone_placement_is_normalised() -> None:
    assert normalize_text("Thuỷ Hoà") == normalize_text("Thủy Hòa")
    assert normalize_text("Hoàng") == "hoàng"


def _write_registry(directory: Path, units: str, aliases: str = "unit_id,alias\n") -> Path:
    directory.mkdir()
    (directory / "provinces.csv").write_text("province,name_vi\np,Tỉnh P\n", encoding="utf-8")
    (directory / "units.csv").write_text(units, encoding="utf-8")
    (directory / "aliases.csv").write_text(aliases, encoding="utf-8")
    return directory


def test_ambiguous_registry_is_refused(tmp_path: Path) -> None:
    directory = _write_registry(tmp_path / "units", "unit_id,province,level,name_vi\na,p,cap_tinh,Sở Y tế\nb,p,cap_tinh,SỞ Y TẾ\n")
    with pytest.raises(InputError, match="ambiguous"):
        UnitRegistry(directory)


def test_alias_to_a_missing_unit_names_the_row(tmp_path: Path) -> None:
    directory = _write_registry(tmp_path / "units", "unit_id,province,level,name_vi\na,p,cap_tinh,Sở Y tế\n", "unit_id,alias\nzz,Sở Ytế\n")
    with pytest.raises(InputError, match=r"aliases.csv, row 2, column A"):
        load_registry(directory)


def test_problems_name_the_line_past_blank_lines_and_cells_that_span_lines(tmp_path: Path) -> None:
    units = 'unit_id,province,level,name_vi\n\na,p,cap_tinh,"Sở Y tế\n(cũ)"\n\na,p,cap_tinh,Sở Tư pháp\n'  # the second 'a' on line 6
    directory = _write_registry(tmp_path / "units", units, "unit_id,alias\n\n\nzz,Sở Ytế\n")
    with pytest.raises(InputError, match=r"units.csv, row 6, column A"):
        UnitRegistry(directory)
    directory = _write_registry(tmp_path / "other", "unit_id,province,level,name_vi\na,p,cap_tinh,Sở Y tế\n", "unit_id,alias\n\n\nzz,Sở Ytế\n")
    with pytest.raises(InputError, match=r"aliases.csv, row 4, column A"):
        load_registry(directory)
