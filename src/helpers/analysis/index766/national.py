"""The province among all provinces: the portal's provinces table of the analysed capture, the
province one place up and the points between them, and the units' improvements that would
close the gap.

The ingest keeps only the folder's own province of that table (its national rank); the other
provinces are read here from the same raw reply, so the figures are the portal's own.
"""

from __future__ import annotations

import pandas as pd

from helpers.analysis.index766.stakes import gap_to_next_province
from helpers.context import Context
from helpers.errors import InputError
from helpers.ingest.index766 import raw_files
from helpers.ingest.index766.api_envelope import FILE_PERIOD, national_table
from helpers.ingest.index766.json_source import TIME_TYPES
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, parse_snapshot_date


def provinces_table(context: Context, province: str, rules: Index766Rules, snapshot: Snapshot) -> pd.DataFrame | None:
    """Every province's total and rank in the provinces reply taken with ``snapshot`` (same day and
    period kind), from the province's raw folder; None when there is none."""
    registry = context.registry
    by_code = {code: name for code, name in zip(registry.provinces["portal_code"], registry.provinces["province"]) if isinstance(code, str) and code}
    for path in raw_files(context.workspace, province):
        match = FILE_PERIOD.search(path.stem)
        if path.suffix.lower() != ".json" or match is None or match["date"] is None:
            continue
        if TIME_TYPES[match["kind"]] != snapshot.period_kind or parse_snapshot_date(match["date"]) != snapshot.snapshot_date:
            continue
        try:
            table = national_table(path, context.workspace.display(path), rules, by_code)
        except InputError:
            continue  # a file the ingest could not read either: it left the file out and said so
        if not table.empty:
            return table
    return None


def national_gap(context: Context, province: str, rules: Index766Rules, snapshot: Snapshot) -> pd.Series | None:
    """The province one place up the national table and the points to it (gap_to_next_province)."""
    table = provinces_table(context, province, rules, snapshot)
    codes = context.registry.provinces.set_index("province")["portal_code"]
    if table is None or province not in codes.index:
        return None
    known = table["province"].map(lambda other: context.registry.province_name(other) if isinstance(other, str) and context.registry.has_province(other) else None)
    return gap_to_next_province(table.assign(name=known.fillna(table["name"])), str(codes[province]))


def levers_to_close(levers: pd.DataFrame, gap: float) -> pd.DataFrame:
    """The fewest of the biggest levers (helpers.analysis.index766.stakes.province_levers, one per
    unit and sub-indicator) whose gains add up to ``gap``; all of them when they fall short.
    An estimate: gains on one sub-indicator do not quite add up (points are capped)."""
    ordered = levers.sort_values("province_gain", ascending=False, kind="stable").reset_index(drop=True)
    reached = ordered["province_gain"].cumsum() >= gap - 1e-9
    return ordered if not reached.any() else ordered.iloc[: int(reached.to_numpy().argmax()) + 1]
