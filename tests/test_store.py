"""Re-ingesting a month is idempotent; a second month never alters the first."""

from pathlib import Path

import pandas as pd

from helpers.cli import main
from helpers.context import Context
from helpers.analysis.monthly.month import analyse_month
from helpers.ingest.monthly import ingest_all
from helpers.store import load_tidy, month_path, stored_months

from .months import write_tidy_month


def _ingest(data_dir: Path) -> Context:
    context = Context.load(data_dir)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert done and not failed
    return context


def test_reingesting_the_same_month_is_idempotent(data_dir: Path) -> None:
    context = _ingest(data_dir)
    first = month_path(context.workspace, "binh_dinh", "2024-02").read_bytes()
    _ingest(data_dir)
    assert month_path(context.workspace, "binh_dinh", "2024-02").read_bytes() == first


def test_a_second_month_leaves_the_first_alone(data_dir: Path, real_tidy: pd.DataFrame) -> None:
    context = _ingest(data_dir)
    first = month_path(context.workspace, "binh_dinh", "2024-02").read_bytes()
    later = real_tidy.copy()
    later["numerator"] = (later["numerator"] * 0.9).round().astype("Int64")
    write_tidy_month(later, data_dir / "raw" / "binh_dinh" / "2024-03" / "bang_tong_hop_2024-03.csv", "2024-03")
    _ingest(data_dir)
    assert month_path(context.workspace, "binh_dinh", "2024-02").read_bytes() == first
    assert list(stored_months(context.workspace)["period"]) == ["2024-02", "2024-03"]
    both = load_tidy(context.workspace, "binh_dinh")
    assert set(both["period"]) == {"2024-02", "2024-03"}
    analysis = analyse_month(context, "binh_dinh", "2024-03")
    assert analysis.has_previous
    march = analysis.month.aggregates.set_index(["indicator", "level"])
    assert march.loc[("online_dossiers", "toan_tinh"), "delta_pp"] < 0


def test_the_cli_ingests_and_summarises(data_dir: Path, capsys) -> None:
    assert main(["ingest", "--data-dir", str(data_dir), "--summary"]) == 0
    out = capsys.readouterr().out
    assert "binh_dinh 2024-02: 40 units" in out
    assert "gia_lai 766: 2 snapshot(s), 149 units" in out and (data_dir / "processed" / "gia_lai" / "766" / "snapshots.parquet").is_file()
    assert "tỉnh Bình Định — tháng 02/2024" in out and "91,9%" in out and "chưa có kỳ so sánh" in out
    assert main(["summary", "--data-dir", str(data_dir), "--province", "binh_dinh", "--month", "2024-02", "--language", "en"]) == 0
    assert "Whole province" in capsys.readouterr().out


def test_the_cli_says_what_is_wrong_with_a_month(data_dir: Path, capsys) -> None:
    assert main(["ingest", "--data-dir", str(data_dir)]) == 0
    assert main(["summary", "--data-dir", str(data_dir), "--province", "binh_dinh", "--month", "2024-05"]) == 1
    assert "no processed data for binh_dinh 2024-05; months with data: 2024-02" in capsys.readouterr().err
    assert main(["summary", "--data-dir", str(data_dir), "--province", "atlantis", "--month", "2024-02"]) == 1
    assert "no processed data for province 'atlantis'" in capsys.readouterr().err
