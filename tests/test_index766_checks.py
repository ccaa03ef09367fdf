"""The 766 data checks as a reader sees them: no missing value ever written as <NA>, nan or "/–"."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis.index766.checks import run_checks766
from helpers.analysis.index766.scoring import score
from helpers.context import Context
from helpers.report.checks_view import describe_checks
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, conform766

SNAPSHOT = Snapshot("year_to_date", "2026", "2026-10-10")


def _tied_totals(ranks: list[int | None], bases: list[int | None]) -> pd.DataFrame:
    base = {"province": "gia_lai", "period_kind": SNAPSHOT.period_kind, "period": SNAPSHOT.period, "snapshot_date": SNAPSHOT.snapshot_date,
            "level": "cap_xa", "measure": "total", "points": 58.74, "max_points": 100.0}
    return conform766(pd.DataFrame([
        {**base, "unit_id": f"x{index}", "unit_name": f"UBND xã {name}", "rank": rank, "rank_base": rank_base}
        for index, (name, rank, rank_base) in enumerate(zip(["A", "B"], ranks, bases))
    ]))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_tie_ranked_without_its_base_is_written_as_the_rank_alone(context: Context, rules: Index766Rules, language: str) -> None:
    # The portal's list gives ranks 142 and 143 but no count of ranked units.
    tidy = _tied_totals([142, 143], [None, None])
    checks = run_checks766(score(tidy, rules, context.catalogue.settings), rules, context.catalogue, SNAPSHOT, None)
    described = describe_checks(checks, context.catalogue, language, rules)
    assert len(described) == 2
    assert described["found"].tolist() == ["142", "143"]
    first = described["message"].iloc[0]
    assert ("(hạng 142)" if language == "vi" else "(142)") in first
    for text in described.to_numpy().ravel():
        assert "<NA>" not in text and "nan" not in text.lower().split() and "/–" not in text


def test_a_tie_with_its_base_keeps_rank_of_base(context: Context, rules: Index766Rules) -> None:
    tidy = _tied_totals([142, 143], [149, 149])
    checks = run_checks766(score(tidy, rules, context.catalogue.settings), rules, context.catalogue, SNAPSHOT, None)
    assert describe_checks(checks, context.catalogue, "vi", rules)["found"].tolist() == ["142/149", "143/149"]
