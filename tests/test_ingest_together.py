"""A province's months are checked, sorted and written as one frame (helpers.ingest.monthly.together):
each month's file is byte for byte what the month read alone gives, and a month with a problem
fails with the same message as alone while the province's other months are written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.context import Context
from helpers.errors import InputError
from helpers.ingest.monthly import discover_months, ingest_all, read_month
from helpers.ingest.monthly.together import ingest_together
from helpers.paths import Workspace
from helpers.store import month_path, write_month

from .months import write_tidy_month

MONTH = Path("raw") / "binh_dinh" / "2024-02"


@pytest.fixture
def several_months(data_dir: Path, real_tidy: pd.DataFrame) -> Path:
    """The bundled month (workbook and published CSV) and three more, as tidy CSV, tidy Parquet and both."""
    later = real_tidy.copy()
    later["numerator"] = (later["numerator"] * 0.9).round().astype("Int64")
    write_tidy_month(later, data_dir / "raw" / "binh_dinh" / "2024-03" / "bang_2024-03.csv", "2024-03")
    april = later[later["row_kind"] == "unit"].assign(period="2024-04", unit_name=None)
    (data_dir / "raw" / "binh_dinh" / "2024-04").mkdir(parents=True)
    april[["period", "province", "level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]].to_parquet(
        data_dir / "raw" / "binh_dinh" / "2024-04" / "chi_tieu.parquet"
    )
    shutil.copytree(data_dir / MONTH, data_dir / "raw" / "binh_dinh" / "2024-05")
    for path in (data_dir / "raw" / "binh_dinh" / "2024-05").iterdir():
        path.rename(path.with_name(path.name.replace("2024-02", "2024-05")))
    _retitle(data_dir / "raw" / "binh_dinh" / "2024-05")
    return data_dir


def _retitle(month: Path) -> None:
    """The copied workbook's titles and the published CSV's rows say 05/2024."""
    from openpyxl import load_workbook

    workbook_path = next(month.glob("*.xlsx"))
    workbook = load_workbook(workbook_path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(max_row=4):
            for cell in row:
                if isinstance(cell.value, str) and "tháng 02 năm 2024" in cell.value:
                    cell.value = cell.value.replace("tháng 02 năm 2024", "tháng 05 năm 2024")
    workbook.save(workbook_path)
    published = next(month.glob("*.csv"))
    published.write_text(published.read_text(encoding="utf-8").replace("2024-02", "2024-05"), encoding="utf-8")


def _alone(data_dir: Path, target: Path, skipped: str | None = None) -> dict[str, bytes]:
    """Every month (but ``skipped``) read and written on its own, the month-by-month way, into ``target``."""
    context = Context.load(data_dir)
    workspace = Workspace.at(target)
    return {
        month.period: write_month(workspace, read_month(context.workspace, context.catalogue, context.registry, month), month.province, month.period).read_bytes()
        for month in discover_months(context.workspace)
        if month.period != skipped
    }


def test_months_written_together_are_those_written_alone(several_months: Path, tmp_path: Path) -> None:
    context = Context.load(several_months)
    months = discover_months(context.workspace)
    assert [month.period for month in months] == ["2024-02", "2024-03", "2024-04", "2024-05"]
    written = ingest_together(context.workspace, context.catalogue, context.registry, months)
    assert sorted(month.period for month in written) == ["2024-02", "2024-03", "2024-04", "2024-05"]
    alone = _alone(several_months, tmp_path / "alone")
    for month, ingested in written.items():
        assert ingested.output == month_path(context.workspace, "binh_dinh", month.period)
        assert ingested.output.read_bytes() == alone[month.period], f"{month.period} differs from the month read alone"
        assert ingested.units == ingested.frame.loc[ingested.frame["row_kind"] == "unit", "unit_id"].nunique()
        pd.testing.assert_frame_equal(ingested.frame, pd.read_parquet(ingested.output), check_dtype=False)


@pytest.mark.parametrize(
    ("what", "breakage", "expected"),
    [
        ("an unknown unit", lambda text: text.replace("Sở Tư pháp", "Sở Tu phap", 1), "did you mean 'Sở Tư pháp'"),
        ("a unit twice", lambda text: text + text.splitlines()[1] + "\n", "again (first at"),
        ("a row of another month", lambda text: text.replace("2024-03", "2024-09", 1), "a row of binh_dinh 2024-09"),
        ("an unknown indicator", lambda text: text.replace("online_dossiers", "ho_so_giay", 1), "'ho_so_giay'"),
    ],
)
def test_a_bad_month_fails_as_alone_and_the_others_are_written(
    several_months: Path, tmp_path: Path, what: str, breakage, expected: str
) -> None:
    bad = next((several_months / "raw" / "binh_dinh" / "2024-03").glob("*.csv"))
    bad.write_text(breakage(bad.read_text(encoding="utf-8")), encoding="utf-8")
    context = Context.load(several_months)
    (march,) = [month for month in discover_months(context.workspace) if month.period == "2024-03"]
    with pytest.raises(InputError) as alone:
        read_month(context.workspace, context.catalogue, context.registry, march)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert [label for label, _ in failed] == ["binh_dinh 2024-03"], what
    assert str(failed[0][1]) == str(alone.value) and expected in str(alone.value)
    assert [month.period for month in done] == ["2024-02", "2024-04", "2024-05"]
    assert not month_path(context.workspace, "binh_dinh", "2024-03").exists()
    written_alone = _alone(several_months, tmp_path / "alone", "2024-03")
    for month in done:
        assert month.output.read_bytes() == written_alone[month.period]


def test_a_month_without_a_level_is_left_to_the_month_by_month_path(data_dir: Path) -> None:
    """A level the registry lists but no file covers fails the month with the usual message."""
    month = data_dir / MONTH
    (month / "phu_luc_7_chi_tieu_2024-02.xlsx").unlink()
    context = Context.load(data_dir)
    months = discover_months(context.workspace)
    assert ingest_together(context.workspace, context.catalogue, context.registry, months) == {}
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert not done and "(the registry lists units of that level)" in str(failed[0][1])
