"""The analyst's exploration (helpers.explore): labelled tables, a unit's history and rank,
charts to restyle, and Vietnamese sentences that say what to run when data are missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.axes import Axes

from helpers.explore import NoDataToExplore, open_exploration
from helpers.ingest.monthly import ingest_all
from helpers.context import Context
from helpers.paths import DEFAULT_DATA_DIR


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled month ingested into a copy of the data directory."""
    target = tmp_path_factory.mktemp("explore") / "data"
    for part in ("units", "raw", "catalogue"):
        shutil.copytree(DEFAULT_DATA_DIR / part, target / part)
    context = Context.load(target)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert not failed
    return target


@pytest.fixture(autouse=True)
def no_open_figures():
    yield
    plt.close("all")


def test_the_table_has_vietnamese_labels_names_and_percentages(bundled: Path) -> None:
    explore = open_exploration(str(bundled), "binh_dinh", "online_dossiers", "cap_huyen")
    table = explore.table()
    assert list(table.columns[:5]) == ["Kỳ", "Cấp", "Mã đơn vị", "Đơn vị", "Chỉ tiêu"]
    assert {"Tỷ lệ (%)", "Mức giao (%)", "Kết quả", "Hạng", "Thay đổi (điểm phần trăm)"} <= set(table.columns)
    assert set(table["Cấp"]) == {"Cấp tỉnh", "Cấp huyện", "Cấp xã"} and set(table["Kết quả"]) <= {"Đạt", "Chưa đạt", "Chưa có mức giao", "Không phát sinh", "Không có số liệu"}
    engine = explore.units
    assert len(table) == len(engine)
    assert table["Tỷ lệ (%)"].max() == pytest.approx(engine["rate"].max() * 100)


def test_the_default_unit_is_the_one_furthest_behind_and_its_rank_is_the_engines(bundled: Path) -> None:
    explore = open_exploration(str(bundled), "binh_dinh", "online_dossiers", "cap_huyen")
    rows = explore.units[(explore.units["indicator"] == "online_dossiers") & (explore.units["level"] == "cap_huyen")]
    behind = rows.sort_values("attainment").iloc[0]
    assert explore.unit_id == behind["unit_id"]
    history = explore.history()
    assert list(history["Kỳ"]) == ["2024-02"] and history["Hạng"].iloc[0] == behind["rank"]
    ranking = explore.ranking()
    assert len(ranking) == len(rows) and list(ranking["Hạng"].dropna()) == sorted(ranking["Hạng"].dropna())
    assert f"hạng {behind['rank']}/{behind['ranked_units']}" in explore.summary() and behind["unit_name"] in explore.summary()


def test_a_unit_chosen_by_name_brings_its_own_level(bundled: Path) -> None:
    explore = open_exploration(str(bundled), "binh_dinh", "online_payment", "cap_xa", unit="ban quản lý khu kinh tế tỉnh")
    assert explore.level == "cap_tinh" and explore.unit_name == "Ban Quản lý Khu kinh tế tỉnh"


def test_charts_return_axes_the_analyst_restyles(bundled: Path) -> None:
    explore = open_exploration(str(bundled), "binh_dinh", "online_dossiers", "cap_xa")
    trend = explore.trend_chart()
    assert isinstance(trend, Axes) and explore.unit_name in trend.get_title()
    assert trend.get_ylabel() == "Tỷ lệ (%)" and [text.get_text() for text in trend.get_xticklabels()] == ["2024-02"]
    assert explore.unit_name in [text.get_text() for text in trend.get_legend().get_texts()]
    ranking = explore.ranking_chart()
    assert len(ranking.patches) == explore.ranking()["Tỷ lệ (%)"].notna().sum()
    assert explore.unit_name in [text.get_text() for text in ranking.get_yticklabels()]
    ranking.set_xlim(50, 100)  # an Axes like any other
    figure, axes = plt.subplots(1, 2)
    assert explore.trend_chart(ax=axes[0]) is axes[0]


def test_missing_data_says_in_vietnamese_what_to_run(tmp_path: Path, bundled: Path) -> None:
    empty = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR / "units", empty / "units")
    with pytest.raises(NoDataToExplore) as raised:
        open_exploration(str(empty), "binh_dinh", "online_dossiers", "cap_huyen")
    said = raised.value._render_traceback_()
    assert len(said) == 1 and "Chưa có số liệu đã nạp" in said[0] and "make lab" in said[0] and "python -m helpers ingest" in said[0]
    with pytest.raises(NoDataToExplore, match="Không mở được thư mục dữ liệu"):
        open_exploration(str(tmp_path / "nowhere"), "binh_dinh", "online_dossiers", "cap_huyen")
    with pytest.raises(NoDataToExplore, match="Không có chỉ tiêu \"reuse_rate\""):
        open_exploration(str(bundled), "binh_dinh", "reuse_rate", "cap_huyen")
    with pytest.raises(NoDataToExplore, match="không có cấp \"cap_thon\""):
        open_exploration(str(bundled), "binh_dinh", "reuse", "cap_thon")
    with pytest.raises(NoDataToExplore, match="Không tìm thấy đơn vị"):
        open_exploration(str(bundled), "binh_dinh", "reuse", "cap_xa", unit="UBND huyện Không Có")


def test_english_labels_come_from_the_same_catalogue(bundled: Path) -> None:
    explore = open_exploration(str(bundled), "binh_dinh", "online_dossiers", "cap_huyen", language="en")
    assert list(explore.history().columns[:3]) == ["Period", "Rate (%)", "Target (%)"]
    with pytest.raises(NoDataToExplore, match="No ingested data"):
        open_exploration(str(bundled), "mo_phong", "online_dossiers", "cap_huyen", language="en")
