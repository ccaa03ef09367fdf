"""The rules table against the portal: Hà Nội's province block, 10/10/2026, and the arithmetic."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.context import Context
from helpers.errors import InputError
from helpers.analysis.index766.analysis import analyse_index766
from helpers.rules766 import load_rules
from helpers.ingest.index766 import read_province
from helpers.analysis.index766.scoring import score
from helpers.analysis.index766.checks import run_checks766
from helpers.report.checks_view import describe_checks
from helpers.rules766 import Index766Rules
from helpers.tidy766 import conform766, snapshots_in
from helpers.analysis.index766.scoring import points_hundredths

from helpers.paths import DEFAULT_DATA_DIR as DATA

from .conftest import data_dir_with_766

SETTINGS = {"index766_points_tolerance": 0.01, "red_below_share_of_max": 0.5, "amber_below_share_of_max": 0.7}


def test_rules_table_adds_up_to_each_group_and_100(rules: Index766Rules) -> None:
    assert rules.total_max == 100
    for code, group in rules.groups.items():
        assert sum(rule.max_points for rule in rules.rules_of(code)) == group.max_points
    assert rules.group_of_portal_code("ONLINE") == rules.group_of_portal_code("CLGQ") == "CLGQ"


def test_a_rules_table_that_does_not_add_up_is_refused(tmp_path: Path) -> None:
    shutil.copytree(DATA / "catalogue", tmp_path / "catalogue")
    path = tmp_path / "catalogue" / "index766_rules.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("ON_TIME,TDGQ,1,\"Tỷ lệ hồ sơ đúng hạn, trong hạn\",Dossiers handled on time,20,", "ON_TIME,TDGQ,1,\"Tỷ lệ hồ sơ đúng hạn, trong hạn\",Dossiers handled on time,19,"), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_rules(tmp_path / "catalogue")
    assert "index766_rules.csv" in str(raised.value)
    assert "the sub-indicators of TDGQ to add up to its maximum 20; found 19" in str(raised.value)


def test_points_round_half_up_in_exact_hundredths() -> None:
    # 2 × 2010/4000 = 1,005 exactly: half up gives 1,01 where float rounding gives 1,0.
    assert round(2 * 2010 / 4000, 2) == 1.0
    assert points_hundredths(np.array([2010]), np.array([4000]), np.array([200]), np.array([10000]))[0] == 101
    # Capped at the maximum above the threshold: 6 points at 50%, reached by 83%.
    assert points_hundredths(np.array([886491]), np.array([1065048]), np.array([600]), np.array([5000]))[0] == 600


def test_rules_reproduce_hanoi_published_points_groups_and_total(ingested: Context) -> None:
    analysis = analyse_index766(ingested, "ha_noi")
    scores = analysis.current
    published = scores.indicators[scores.indicators["published"].notna()]
    assert len(published) == 14  # CLGQ/TTTT metrics and ON_TIME carry no points in the file
    assert (published["points"] == published["published"]).all()
    groups = scores.groups.set_index("group")
    assert groups["recomputed"].to_dict() == {"CKMB": 11.2, "TDGQ": 14.81, "CLGQ": 9.23, "TTTT": 4.69, "MDHL": 7.29, "MDSH": 8.01}
    assert groups["reproduced"].all()
    total = scores.totals.iloc[0]
    assert total["recomputed"] == total["published"] == 55.23
    assert bool(total["reproduced"])
    assert analysis.checks.empty
    # Scored from numerator ÷ denominator, not the rounded ratio: 412784/1065150 × 2 = 0,775 08 → 0,78.
    citizen = scores.indicators.set_index("indicator").loc["CITIZEN_DATA_CONNECTED_DOSSIER"]
    assert (citizen["basis"], citizen["points"]) == ("counts", 0.78)
    on_time = scores.indicators.set_index("indicator").loc["ON_TIME"]
    assert (on_time["basis"], on_time["points"]) == ("ratio", 14.81)


def test_a_figure_the_rules_do_not_reproduce_is_listed(tmp_path: Path) -> None:
    root = data_dir_with_766(tmp_path / "data", ("ha_noi",))
    path = root / "raw" / "ha_noi" / "766" / "hanoi_province_2026-10-10.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    metric = document["groups"][0]["metrics"][1]
    assert metric["code"] == "PUBLIC_UPDATE_ON_TIME"
    metric["score"] = 3.5  # the counts 65/80 give 3,25
    document["groups"][0]["score"] = 11.45
    document["totalScore"] = 55.48
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    context = Context.load(root)
    rules = load_rules(context.workspace.catalogue_dir)
    scores = score(read_province(context.workspace, rules, context.registry, context.catalogue, "ha_noi"), rules, SETTINGS)
    checks = run_checks766(scores, rules, context.catalogue, snapshots_in(scores.totals)[0], None)
    listed = checks[checks["check"] == "points_not_reproduced"]
    texts = describe_checks(listed, context.catalogue, "vi", rules)
    assert sorted(zip(listed["indicator"].fillna(""), listed["group"].fillna(""), texts["found"], texts["expected"])) == [
        ("", "", "55,48", "55,23"),
        ("", "CKMB", "11,45", "11,2"),
        ("PUBLIC_UPDATE_ON_TIME", "CKMB", "3,5", "3,25"),
    ]
    # The report keeps the published figures.
    assert scores.totals.iloc[0]["score"] == 55.48


def test_a_zero_denominator_scores_what_the_rules_table_says(rules: Index766Rules) -> None:
    rows = pd.DataFrame({
        "province": "ha_noi", "period_kind": "year_to_date", "period": "2026", "snapshot_date": "2026-10-10", "level": "toan_tinh",
        "unit_id": "ha_noi", "unit_name": "thành phố Hà Nội", "portal_code": "H26", "measure": "indicator",
        "indicator": ["PETITION_PROCESSING_ON_TIME", "DOSSIER_SYNC"], "numerator": [0, 0], "denominator": [0, 0],
    })
    indicators = score(conform766(rows), rules, SETTINGS).indicators.set_index("indicator")
    assert indicators.loc["PETITION_PROCESSING_ON_TIME", "points"] == 6  # full: no petitions, none late
    assert indicators.loc["DOSSIER_SYNC", "points"] == 0  # none: Thanh tra tỉnh Gia Lai's CKMB 5,79
    assert set(indicators["basis"]) == {"zero_denominator"}
