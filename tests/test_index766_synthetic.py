"""The synthetic national generator: deterministic, labelled, national scale, readable by the pipeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

from helpers.context import Context
from helpers.analysis.index766.analysis import analyse_index766
from helpers.ingest.index766 import ingest_index766
from helpers.report.index766.stakes import lever_note, levers_table, unit_indicator_stakes_table
from helpers.analysis.index766.scoring import score
from helpers.rules766 import Index766Rules
from helpers.demo.index766 import generate, write_workspace

from helpers.paths import DEFAULT_DATA_DIR as DATA

SETTINGS = {"index766_points_tolerance": 0.01, "red_below_share_of_max": 0.5, "amber_below_share_of_max": 0.7}


def test_national_scale_and_labelled_synthetic(rules: Index766Rules) -> None:
    data = generate(rules, seed=7, snapshots=1)
    assert len(data.provinces) == 34 and set(data.provinces["synthetic"]) == {"true"}
    assert data.units["level"].value_counts().to_dict() == {"cap_xa": 3300, "cap_tinh": 550}
    assert data.units["unit_id"].is_unique and data.units["portal_code"].is_unique
    assert set(data.tidy["source_file"]) == {"synthetic (seed 7)"}
    assert data.tidy["unit_name"].str.contains("Giả lập").all()


def test_same_seed_same_data_other_seed_other_data(rules: Index766Rules) -> None:
    small = {"provinces": 2, "departments": 30, "communes": 60, "snapshots": 2}
    first, again, other = generate(rules, seed=1, **small), generate(rules, seed=1, **small), generate(rules, seed=2, **small)
    pd.testing.assert_frame_equal(first.tidy, again.tidy)
    assert not first.tidy["numerator"].equals(other.tidy["numerator"])


def test_the_rules_reproduce_every_synthetic_figure(rules: Index766Rules) -> None:
    data = generate(rules, seed=3, provinces=2, departments=30, communes=60, snapshots=2)
    scores = score(data.tidy, rules, SETTINGS)
    assert scores.indicators["reproduced"].all()
    assert scores.groups["reproduced"].all() and scores.totals["reproduced"].all()
    assert (scores.totals["sum_difference"].abs() <= 0.01).all()


def test_the_pipeline_reads_the_synthetic_portal_files(rules: Index766Rules, tmp_path: Path) -> None:
    data = generate(rules, seed=5, provinces=2, departments=30, communes=60, snapshots=2)
    write_workspace(data, tmp_path)
    shutil.copytree(DATA / "catalogue", tmp_path / "catalogue")
    context = Context.load(tmp_path)
    done, failed = ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lambda _: None)
    assert not failed and [ingested.province for ingested in done] == ["syn_01", "syn_02"]
    analysis = analyse_index766(context, "syn_01", period_kind="month")
    assert analysis.previous is not None and analysis.checks["check"].isin(["rank_tie"]).all()
    units = analysis.current.totals[analysis.current.totals["level"] != "toan_tinh"]
    assert len(units) == len(data.units[data.units["province"] == "syn_01"])
    # With units' counts the report shows each unit's sub-indicators at stake and the levers.
    assert not unit_indicator_stakes_table(analysis).empty
    assert not levers_table(analysis).empty
    assert lever_note(analysis).startswith("Điểm của tỉnh không phải là trung bình điểm các đơn vị")
