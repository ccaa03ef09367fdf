"""The catalogue is data: one more indicator row, and the demo, ingest, engine and report carry it."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from helpers.analysis.monthly.engine import evaluate
from helpers.cli import main
from helpers.context import Context
from helpers.demo.monthly import generate_demo
from helpers.demo.monthly.spec import DemoSpec
from helpers.ingest.monthly import ingest_all
from helpers.paths import DEFAULT_DATA_DIR
from helpers.store import load_tidy

NEW = "petitions_on_time"
NAME_VI = "Phản ánh, kiến nghị xử lý đúng hạn"


def append_row(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row.get(column, "") for column in header])


def catalogue_with_new_indicator(directory: Path) -> Path:
    shutil.copytree(DEFAULT_DATA_DIR / "catalogue", directory)
    append_row(directory / "indicators.csv", {
        "indicator": NEW, "order": "8", "name_vi": NAME_VI, "short_vi": "PAKN đúng hạn", "name_en": "Petitions handled on time",
        "short_en": "Petitions on time", "numerator_vi": "Số PAKN xử lý đúng hạn", "denominator_vi": "Tổng số PAKN tiếp nhận",
        "numerator_en": "Petitions handled on time", "denominator_en": "Petitions received", "direction": "higher",
        "appendix_denominator": "column", "count_unit_vi": "PAKN", "count_unit_en": "petitions",
    })
    append_row(directory / "targets.csv", {"indicator": NEW, "year": "2024", "tier": "central", "target_percent": "90", "source_vi": "Văn bản giả định"})
    append_row(directory / "appendix_headers.csv", {"kind": "indicator", "header_vi": NAME_VI, "maps_to": NEW})
    return directory


@pytest.mark.slow
def test_a_new_indicator_row_runs_through_demo_ingest_engine_and_report(tmp_path: Path) -> None:
    catalogue = catalogue_with_new_indicator(tmp_path / "catalogue")
    out = tmp_path / "data"
    generate_demo(DemoSpec(departments=3, districts=2, communes=4, months=2, messy=True), out, progress=lambda _: None, catalogue_dir=catalogue)
    context = Context.load(out)
    assert list(context.catalogue.indicators)[-1] == NEW
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _: None)
    assert failed == [] and len(done) == 2
    results = evaluate(load_tidy(context.workspace), context.catalogue)
    whole = results.aggregates[(results.aggregates["level"] == "toan_tinh") & (results.aggregates["indicator"] == NEW)]
    assert len(whole) == 2 and whole["rate"].between(0, 1).all() and (whole["central_target"] == 0.9).all()
    assert set(results.units.loc[results.units["indicator"] == NEW, "target_tier"]) <= {"assigned", "floor"}

    reports = tmp_path / "reports"
    assert main(["report", "--data-dir", str(out), "--kind", "monthly", "--months", "2024-02", "--jobs", "1", "--output-dir", str(reports)]) == 0
    html = (reports / "mo_phong" / "2024-02.html").read_text(encoding="utf-8")
    assert NAME_VI in html and "PAKN đúng hạn" in html
