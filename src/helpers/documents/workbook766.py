"""The 766 index as a workbook: every unit's groups, every sub-indicator, points lost and what wins them back.

Sheets: the units with their total, rank and each group's score (numbers, two decimals), the
sub-indicators with numerator, denominator, ratio, points, points lost and the dossiers more
that reach the threshold (where the source has unit detail), and the data checks.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from helpers.analysis.index766.analysis import Index766Analysis
from helpers.documents.excel import COUNT, MAX_SHEET_TITLE, PERCENT, POINTS, write_frame_sheet
from helpers.atomic import write_atomic
from helpers.messages import Messages
from helpers.report.checks_view import headed_checks


def units_frame(analysis: Index766Analysis, m: Messages) -> pd.DataFrame:
    """One row per unit: level, name, total, rank, points lost, then each group's score."""
    current = analysis.current
    totals = current.totals
    groups = current.groups.pivot_table(index="unit_id", columns="group", values="score", aggfunc="first")
    order = [group for group in analysis.rules.groups if group in groups.columns]
    frame = pd.DataFrame({
        m("documents.workbook766.col_level"): totals["level"].map(lambda level: analysis.catalogue.level_name(level, m.language)).to_numpy(),
        m("documents.workbook766.col_unit"): totals["unit_name"].to_numpy(),
        m("documents.workbook766.col_total"): totals["score"].to_numpy(),
        m("documents.workbook766.col_rank"): totals["computed_level_rank"].to_numpy(),
        m("documents.workbook766.col_lost"): totals["lost_points"].to_numpy(),
    })
    for group in order:
        frame[analysis.rules.groups[group].name(m.language)] = groups.reindex(totals["unit_id"])[group].to_numpy()
    return frame


def indicators_frame(analysis: Index766Analysis, m: Messages) -> pd.DataFrame:
    rows = analysis.current.indicators
    return pd.DataFrame({
        m("documents.workbook766.col_unit"): rows["unit_name"].to_numpy(),
        m("documents.workbook766.col_group"): rows["group"].to_numpy(),
        m("documents.workbook766.col_indicator"): rows["indicator"].map(lambda code: analysis.rules.rules[code].name(m.language) if code in analysis.rules.rules else code).to_numpy(),
        m("documents.workbook766.col_numerator"): rows["numerator"].to_numpy(),
        m("documents.workbook766.col_denominator"): rows["denominator"].to_numpy(),
        m("documents.workbook766.col_ratio"): rows["ratio_used"].to_numpy(),
        m("documents.workbook766.col_points"): rows["points"].to_numpy(),
        m("documents.workbook766.col_max"): rows["max_points"].to_numpy(),
        m("documents.workbook766.col_lost"): rows["lost_points"].to_numpy(),
        m("documents.workbook766.col_needed"): rows["gap_count"].to_numpy(),
    })


def write_index766_workbook(path: Path, analysis: Index766Analysis, m: Messages) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    points = {m(f"documents.workbook766.col_{key}"): POINTS for key in ("total", "lost", "points", "max")}
    units = units_frame(analysis, m)
    write_frame_sheet(workbook.create_sheet(m("documents.workbook766.units_sheet")[:MAX_SHEET_TITLE]), units,
                      {**points, **{column: POINTS for column in units.columns[5:]}, m("documents.workbook766.col_rank"): COUNT})
    write_frame_sheet(workbook.create_sheet(m("documents.workbook766.indicators_sheet")[:MAX_SHEET_TITLE]), indicators_frame(analysis, m),
                      {**points, m("documents.workbook766.col_ratio"): PERCENT, m("documents.workbook766.col_numerator"): COUNT,
                       m("documents.workbook766.col_denominator"): COUNT, m("documents.workbook766.col_needed"): COUNT})
    checks = headed_checks(analysis.checks, analysis.catalogue, m.language, analysis.rules)
    write_frame_sheet(workbook.create_sheet(m("documents.workbook.checks_sheet")[:MAX_SHEET_TITLE]), checks)
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_atomic(path, buffer.getvalue())
