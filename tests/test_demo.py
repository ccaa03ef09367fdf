"""The demo-data generator: ingestible, deterministic, sized as asked, labelled synthetic, messy on request."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from helpers.analysis.monthly.checks import run_checks
from helpers.cli import main
from helpers.context import Context
from helpers.demo.monthly import MARKER_FILE, DemoSpec, generate_demo
from helpers.analysis.monthly.engine import IndicatorResults, evaluate
from helpers.ingest.monthly import ingest_all
from helpers.store import load_tidy

SMALL = DemoSpec(departments=4, districts=3, communes=9, months=3)
VALUE_COLUMNS = ["period", "province", "level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]


@dataclass(frozen=True)
class Ingested:
    context: Context
    tidy: pd.DataFrame
    results: IndicatorResults
    checks: pd.DataFrame


def quiet(_message: str) -> None:
    """Progress lines are not under test."""


def generate_and_ingest(spec: DemoSpec, out: Path) -> Ingested:
    generate_demo(spec, out, progress=quiet)
    context = Context.load(out)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=quiet)
    assert failed == [], "\n".join(str(error) for _, error in failed)
    assert len(done) == spec.provinces * spec.months
    tidy = load_tidy(context.workspace)
    results = evaluate(tidy, context.catalogue)
    return Ingested(context, tidy, results, run_checks(tidy, results, context.catalogue, context.registry))


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    return generate_and_ingest(SMALL, tmp_path_factory.mktemp("clean") / "data")


@pytest.fixture(scope="module")
def messy(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    return generate_and_ingest(DemoSpec(departments=6, districts=3, communes=9, months=2, messy=True), tmp_path_factory.mktemp("messy") / "data")


def test_clean_tables_ingest_evaluate_and_pass_every_check(clean: Ingested) -> None:
    assert sorted(clean.tidy["period"].unique()) == ["2024-01", "2024-02", "2024-03"]
    whole = clean.results.aggregates[clean.results.aggregates["level"] == "toan_tinh"]
    assert set(whole["indicator"]) == set(clean.context.catalogue.indicators)
    received_based = whole[whole["indicator"] != "e_result"]
    assert received_based["rate"].between(0, 1).all()
    # Only the note every appendix gets (e-results have no denominator column).
    assert set(clean.checks["check"]) == {"no_denominator"}


def test_counts_are_consistent_and_rates_are_the_counts_rounded(clean: Ingested) -> None:
    units = clean.tidy[clean.tidy["row_kind"] == "unit"]
    both = units.dropna(subset=["numerator", "denominator"])
    assert (both["numerator"] <= both["denominator"]).all()
    arisen = both[both["denominator"] > 0]
    recomputed = arisen["numerator"].astype(float) / arisen["denominator"].astype(float)
    assert (recomputed - arisen["reported_rate"].astype(float)).abs().max() <= 0.005 + 1e-9
    e_results = units[units["indicator"] == "e_result"]
    assert e_results["denominator"].isna().all() and e_results["numerator"].notna().all()
    assert e_results["reported_rate"].dropna().between(0, 1).all()


def test_month_over_month_changes_exist_from_the_second_month(clean: Ingested) -> None:
    units = clean.results.units
    assert units.loc[units["period"] == "2024-01", "delta_pp"].isna().all()
    for period in ("2024-02", "2024-03"):
        deltas = units.loc[units["period"] == period, "delta_pp"]
        assert deltas.notna().mean() > 0.8
        assert (deltas.abs() > 0).any()
        assert units.loc[units["period"] == period, "rank_change"].notna().any()


def test_units_per_level_are_as_asked_three_levels(clean: Ingested) -> None:
    registry = clean.context.registry
    counts = {level: len(registry.units_of("mo_phong", "2024-01", level)) for level in ("cap_tinh", "cap_huyen", "cap_xa")}
    # Three levels: the commune table has one row per district (its communes summed), as Phụ lục 3.
    assert counts == {"cap_tinh": 4, "cap_huyen": 3, "cap_xa": 3}
    per_month = clean.tidy[clean.tidy["row_kind"] == "unit"].groupby(["period", "level"])["unit_id"].nunique()
    assert set(per_month.xs("cap_tinh", level="level")) == {4}
    communes = [unit for unit in registry.units_of("mo_phong", "2024-01", "cap_xa")]
    assert all(registry.units[unit.parent_id].level == "cap_huyen" for unit in communes)


def test_two_levels_and_several_provinces(tmp_path: Path) -> None:
    spec = DemoSpec(provinces=3, levels=2, departments=5, communes=12, months=2, output_format="tidy-parquet")
    result = generate_and_ingest(spec, tmp_path / "data")
    registry = result.context.registry
    assert spec.periods == ["2025-07", "2025-08"]
    for province in ("mo_phong_01", "mo_phong_02", "mo_phong_03"):
        assert registry.levels_of(province, "2025-07") == ["cap_tinh", "cap_xa"]
        assert len(registry.units_of(province, "2025-07", "cap_tinh")) == 5
        communes = registry.units_of(province, "2025-07", "cap_xa")
        assert len(communes) == 12 and len({unit.name_vi for unit in communes}) == 12
    assert result.tidy.groupby("province")["unit_id"].nunique().to_dict() == dict.fromkeys(["mo_phong_01", "mo_phong_02", "mo_phong_03"], 17)


def test_province_is_labelled_synthetic_everywhere(clean: Ingested) -> None:
    registry = clean.context.registry
    assert registry.is_synthetic("mo_phong")
    assert "(dữ liệu mô phỏng)" in registry.province_name("mo_phong")
    data_dir = clean.context.workspace.data_dir
    assert json.loads((data_dir / MARKER_FILE).read_text(encoding="utf-8"))["synthetic"] is True
    workbook = load_workbook(data_dir / "raw" / "mo_phong" / "2024-01" / "phu_luc_7_chi_tieu_2024-01.xlsx")
    for sheet in workbook.worksheets:
        assert "Dữ liệu mô phỏng" in sheet["A3"].value
    floors = clean.context.catalogue.targets.query("province == 'mo_phong'")
    assert len(floors) == 7 and floors["source_vi"].str.contains("mô phỏng").all()


def test_workbook_has_the_appendix_layout(clean: Ingested) -> None:
    path = clean.context.workspace.raw_dir / "mo_phong" / "2024-02" / "phu_luc_7_chi_tieu_2024-02.xlsx"
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["PL1 - Cấp tỉnh", "PL2 - Cấp huyện", "PL3 - Cấp xã"]
    sheet = workbook["PL3 - Cấp xã"]
    assert sheet["A1"].value == "Phụ lục 3"
    assert sheet["A2"].value.startswith("CẤP XÃ: 07 chỉ tiêu") and sheet["A2"].value.endswith("trong tháng 02 năm 2024")
    assert {"A6:A7", "B6:B7", "C6:C7", "D6:G6", "H6:J6"} <= {str(cells) for cells in sheet.merged_cells.ranges}
    assert [sheet.cell(7, column).value for column in range(4, 8)] == ["Chỉ tiêu giao chung", "DVCTT có phát sinh HS", "Kết quả", "Tỷ lệ"]
    assert sheet["C8"].number_format == "#,##0" and sheet["D8"].number_format == "0%"


def test_same_seed_and_parameters_give_byte_identical_tidy_data(tmp_path: Path) -> None:
    spec = DemoSpec(departments=3, districts=2, communes=4, months=2, messy=True)
    outputs = []
    for run in ("first", "second"):
        generate_and_ingest(spec, tmp_path / run / "data")
        processed = sorted((tmp_path / run / "data" / "processed").rglob("*.parquet"))
        outputs.append({path.relative_to(tmp_path / run).as_posix(): path.read_bytes() for path in processed})
    assert outputs[0].keys() == outputs[1].keys() and len(outputs[0]) == 2
    assert outputs[0] == outputs[1]
    other = generate_and_ingest(DemoSpec(departments=3, districts=2, communes=4, months=2, messy=True, seed=2), tmp_path / "other" / "data")
    first = pd.read_parquet(tmp_path / "first" / "data" / "processed" / "mo_phong" / "2024-01.parquet")
    assert not first["numerator"].equals(other.tidy[other.tidy["period"] == "2024-01"]["numerator"].reset_index(drop=True))


def test_every_format_reads_back_to_the_same_figures(tmp_path: Path) -> None:
    frames = {}
    for output_format in ("xlsx", "csv", "tidy-parquet"):
        spec = DemoSpec(departments=5, districts=2, communes=6, months=2, messy=True, output_format=output_format)
        tidy = generate_and_ingest(spec, tmp_path / output_format / "data").tidy
        frames[output_format] = tidy[VALUE_COLUMNS].sort_values(["period", "level", "unit_id", "indicator"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(frames["xlsx"], frames["csv"], check_exact=False, atol=1e-9)
    pd.testing.assert_frame_equal(frames["xlsx"], frames["tidy-parquet"], check_exact=False, atol=1e-9)


def test_messy_tables_still_ingest_and_give_the_checks_their_findings(messy: Ingested) -> None:
    codes = set(messy.checks["check"])
    assert {"rate_mismatch", "impossible_rate", "target_below_floor", "blank_count"} <= codes
    assert "unit_missing" not in codes and "unit_new" not in codes
    per_month = messy.checks.groupby("period")["check"].apply(set)
    assert all({"rate_mismatch", "impossible_rate"} <= checks for checks in per_month)


def test_messy_tables_spell_names_and_write_counts_as_real_ones_do(messy: Ingested) -> None:
    registry = messy.context.registry
    written_names, text_counts, percent_targets = set(), 0, 0
    for path in sorted(messy.context.workspace.raw_dir.rglob("*.xlsx")):
        for sheet in load_workbook(path).worksheets:
            for row in sheet.iter_rows(min_row=8):
                if isinstance(row[0].value, int):
                    written_names.add(row[1].value)
                    text_counts += sum(isinstance(cell.value, str) and cell.value[:1].isdigit() for cell in row[2:])
                    percent_targets += sum(cell.value == "%" for cell in row[2:])
    registry_names = {unit.name_vi for unit in registry.units.values()} | set(pd.read_csv(registry.directory / "aliases.csv")["alias"])
    variants = written_names - registry_names
    assert variants, "no unit name written another way"
    assert text_counts >= 2 and percent_targets >= 2
    # Every spelling resolved: messiness changes how figures are written, never the units behind them.
    assert messy.tidy["unit_id"].notna().all()


def test_messy_keeps_the_clean_figures_underneath(tmp_path: Path) -> None:
    spec = DemoSpec(departments=4, districts=2, communes=4, months=2, output_format="tidy-parquet")
    clean = generate_and_ingest(spec, tmp_path / "clean" / "data").tidy
    messy = generate_and_ingest(replace(spec, messy=True), tmp_path / "messy" / "data").tidy
    merged = clean.merge(messy, on=["period", "level", "unit_id", "indicator"], suffixes=("_clean", "_messy"))
    assert len(merged) == len(clean) == len(messy)
    blanked = merged["numerator_messy"].isna()
    assert blanked.sum() == spec.months  # one blank count a month; every other count as it was
    assert merged.loc[~blanked, "numerator_clean"].eq(merged.loc[~blanked, "numerator_messy"]).all()
    assert merged["denominator_clean"].equals(merged["denominator_messy"])


def test_refuses_a_non_empty_directory_and_replaces_only_an_earlier_run(tmp_path: Path) -> None:
    precious = tmp_path / "data"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not empty"):
        generate_demo(SMALL, precious, progress=quiet)
    with pytest.raises(FileExistsError, match=MARKER_FILE):
        generate_demo(SMALL, precious, force=True, progress=quiet)
    assert [path.name for path in precious.iterdir()] == ["notes.txt"]

    earlier = tmp_path / "demo"
    generate_demo(DemoSpec(departments=2, districts=1, communes=1, months=1), earlier, progress=quiet)
    with pytest.raises(FileExistsError):
        generate_demo(SMALL, earlier, progress=quiet)
    generate_demo(DemoSpec(departments=2, districts=1, communes=1, months=2), earlier, force=True, progress=quiet)
    assert sorted(path.name for path in (earlier / "raw" / "mo_phong").iterdir()) == ["2024-01", "2024-02"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data", "demo"]


def test_a_failed_run_leaves_nothing_behind(tmp_path: Path) -> None:
    def fail_on_second_month(message: str) -> None:
        if message.startswith("[2/"):
            raise RuntimeError("interrupted")

    with pytest.raises(RuntimeError):
        generate_demo(SMALL, tmp_path / "data", progress=fail_on_second_month)
    assert list(tmp_path.iterdir()) == []


def test_nothing_arises_for_some_units(tmp_path: Path) -> None:
    result = generate_and_ingest(DemoSpec(output_format="tidy-parquet"), tmp_path / "data")
    statuses = result.results.units["status"]
    assert 0 < statuses.eq("not_arisen").sum() < 0.05 * len(statuses)
    counts = result.results.units.groupby("period")["denominator"].sum()
    assert counts["2024-02"] < counts["2024-01"]  # the Tết dip in volumes


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"provinces": 35}, "provinces must be 1 to 34"),
        ({"communes": 2}, "at least one per district"),
        ({"levels": 4}, "levels must be 3"),
        ({"departments": 40}, "departments must be 1 to"),
        ({"output_format": "docx"}, "format must be one of"),
        ({"start": "2024-13"}, "start"),
    ],
)
def test_impossible_parameters_are_refused_with_a_reason(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DemoSpec(**changes)  # type: ignore[arg-type]


def test_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    arguments = ["demo", "--out", str(out), "--departments", "2", "--districts", "2", "--communes", "3", "--months", "2", "--seed", "7"]
    assert main(arguments) == 0
    printed = capsys.readouterr().out
    assert "[2/2] mo_phong 2024-02" in printed and "python -m helpers ingest --data-dir" in printed
    assert json.loads((out / MARKER_FILE).read_text(encoding="utf-8"))["parameters"]["seed"] == 7
    assert main(arguments) == 1
    assert "not empty" in capsys.readouterr().err
    assert main(["ingest", "--data-dir", str(out)]) == 0


@pytest.mark.slow
def test_national_scale_counts_with_the_fast_format(tmp_path: Path) -> None:
    spec = DemoSpec.at_scale("national", months=2, output_format="tidy-parquet")
    result = generate_demo(spec, tmp_path / "data", progress=quiet)
    assert result.units_per_level == {"cap_tinh": 34 * 16, "cap_xa": 34 * 98}
    assert len(result.provinces) == 34 and result.raw_files == 34 * 2
    context = Context.load(tmp_path / "data")
    assert all(context.registry.is_synthetic(province) for province in result.provinces)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, provinces=["mo_phong_34"], progress=quiet)
    assert failed == [] and len(done) == 2
    assert done[0].frame["unit_id"].nunique() == 16 + 98
    assert (done[0].frame.groupby("indicator").size() == 16 + 98).all()
