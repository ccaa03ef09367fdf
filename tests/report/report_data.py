"""Data for the report tests: the bundled Bình Định month, three months built from it, and the
specification of a year of demo data.

Tests never write under the project's data/ or reports/: each fixture (conftest.py) copies
what it needs into a temporary data directory and ingests it there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from helpers.context import Context
from helpers.demo.monthly import DemoSpec
from helpers.ingest.monthly import ingest_all
from helpers.paths import DEFAULT_DATA_DIR
from helpers.report.batch import FAILED_DIR_NAME, RenderJob, run_jobs
from helpers.report.index_page import write_index
from helpers.store import load_tidy

PROVINCE = "binh_dinh"
BUNDLED_MONTH = "2024-02"
LATER_MONTHS = ("2024-03", "2024-04")
# A unit whose registry name is markup: the report must show it as text.
MARKUP_UNIT = "bd.du_lich"
MARKUP_NAME = 'Sở Du lịch <script>alert("x")</script> & <b>Lữ hành</b>'
# A year of demo data: three provinces after 7/2025 (tỉnh/xã), 12 departments and 40 communes each.
YEAR_DEMO = DemoSpec(provinces=3, levels=2, departments=12, communes=40, months=12, output_format="tidy-parquet")
YEAR_PROVINCE = "mo_phong_01"


def ingest(data_dir: Path) -> Context:
    context = Context.load(data_dir)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _line: None)
    assert not failed, [str(error) for _, error in failed]
    return context


def render_all(jobs: list[RenderJob], reports: Path, workers: int) -> Path:
    """Render ``jobs`` with the batch runner (none may fail), then the index page."""
    summary = run_jobs(jobs, workers=workers, debug_dir=reports / FAILED_DIR_NAME)
    assert not summary.failed, [result.message for result in summary.failed]
    write_index(reports)
    return reports


def copy_bundled(data_dir: Path) -> None:
    shutil.copytree(DEFAULT_DATA_DIR / "units", data_dir / "units")
    shutil.copytree(DEFAULT_DATA_DIR / "raw" / PROVINCE / BUNDLED_MONTH, data_dir / "raw" / PROVINCE / BUNDLED_MONTH)


def _percent_text(fraction: object) -> str:
    """0.605 → ``60,5`` (the tidy CSV reads rates in percent, Vietnamese style)."""
    return "" if pd.isna(fraction) else f"{float(fraction) * 100:.4g}".replace(".", ",")


def _count_text(value: object) -> str:
    return "" if pd.isna(value) else str(int(value))


def later_month(base: pd.DataFrame, period: str, step: int) -> pd.DataFrame:
    """The bundled month's unit rows with counts changed, as a later month would have them.

    ``step`` (1, 2) scales the changes: district online payment rises; Sở Tư pháp's reuse and
    Sở Kế hoạch và Đầu tư's digitisation jump; Sở Tài nguyên và Môi trường's online dossiers
    fall; nothing arises for the provincial level's procedures with payment (a whole level
    with denominator 0), nor for the markup-named unit's online dossiers.
    """
    month = base[base["row_kind"] == "unit"].copy()
    month["period"] = period
    numerator = month["numerator"].astype("Float64")
    denominator = month["denominator"].astype("Float64")

    def where(indicator: str, unit: str | None = None, level: str | None = None) -> pd.Series:
        chosen = month["indicator"] == indicator
        if unit is not None:
            chosen &= month["unit_id"] == unit
        if level is not None:
            chosen &= month["level"] == level
        return chosen

    district_payment = where("online_payment", level="cap_huyen")
    numerator[district_payment] = (numerator + (denominator - numerator) * 0.3 * step).round()[district_payment]
    numerator[where("reuse", "bd.tu_phap")] = 500 * step
    numerator[where("digitized", "bd.ke_hoach_va_dau_tu")] = 590
    numerator[where("online_dossiers", "bd.tai_nguyen_va_moi_truong")] = 279 - 40 * step
    no_payments = where("procedures_with_payment", level="cap_tinh")
    numerator[no_payments], denominator[no_payments] = 0, 0
    nothing = where("online_dossiers", MARKUP_UNIT)
    numerator[nothing], denominator[nothing] = 0, 0
    month["numerator"], month["denominator"] = numerator, denominator
    return month


def write_tidy_csv(month: pd.DataFrame, path: Path) -> None:
    """The documented tidy CSV input of helpers.ingest, with Vietnamese number formats."""
    path.parent.mkdir(parents=True, exist_ok=True)
    reported = month["reported_rate"].where(month["denominator"].isna())  # only where there is no denominator
    pd.DataFrame({
        "period": month["period"],
        "province": month["province"],
        "level": month["level"],
        "unit_id": month["unit_id"],
        "indicator": month["indicator"],
        "numerator": month["numerator"].map(_count_text),
        "denominator": month["denominator"].map(_count_text),
        "reported_rate": reported.map(_percent_text),
        "assigned_target": month["assigned_target"].map(_percent_text),
    }).to_csv(path, index=False)


def build_multi_month(data_dir: Path) -> Path:
    """Three months of Bình Định (02–04/2024), a synthetic province, one unit named with markup."""
    copy_bundled(data_dir)
    units_dir = data_dir / "units"
    provinces = pd.read_csv(units_dir / "provinces.csv", dtype=str, keep_default_na=False)
    provinces.loc[provinces["province"] == PROVINCE, "synthetic"] = "true"
    provinces.to_csv(units_dir / "provinces.csv", index=False)
    units = pd.read_csv(units_dir / "units.csv", dtype=str, keep_default_na=False)
    original = units.loc[units["unit_id"] == MARKUP_UNIT, "name_vi"].iloc[0]
    units.loc[units["unit_id"] == MARKUP_UNIT, "name_vi"] = MARKUP_NAME
    units.to_csv(units_dir / "units.csv", index=False)
    with (units_dir / "aliases.csv").open("a", encoding="utf-8") as aliases:
        aliases.write(f"{MARKUP_UNIT},{original}\n")
    context = ingest(data_dir)
    base = load_tidy(context.workspace, PROVINCE, [BUNDLED_MONTH])
    for step, period in enumerate(LATER_MONTHS, start=1):
        write_tidy_csv(later_month(base, period, step), data_dir / "raw" / PROVINCE / period / f"so_lieu_{period}.csv")
    ingest(data_dir)
    return data_dir
