"""A province's months read, checked, sorted and written as one frame, then split by month.

Checking, sorting and converting a frame has a fixed cost in pandas that does not depend on its
size; a national ingest (34 provinces × 24 months of about 800 rows) paid it for every month and
every file. Here each file is still read on its own, but a province's rows are checked against
the catalogue and the registry, checked for duplicates, sorted and converted to Arrow once, and
each month is written as its own file (helpers.store.write_months).

Only months without any problem are written here. A month with a problem of any kind (a file
that cannot be read, a bad row, a duplicate, a level without units) is left to the month-by-month
path (``helpers.ingest.monthly.read_month``), which names every problem with its file, sheet, row
and column exactly as before; a month written here is byte for byte what that path writes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.catalogue import Catalogue
from helpers.errors import InputError
from helpers.ingest.monthly.files import IngestedMonth, RawMonth, read_rows
from helpers.ingest.monthly.rows import check_rows, duplicated_rows
from helpers.paths import Workspace
from helpers.registry import UnitRegistry
from helpers.store import write_months
from helpers.tidy import KEY_COLUMNS, conform, sort_tidy


def ingest_together(workspace: Workspace, catalogue: Catalogue, registry: UnitRegistry, months: list[RawMonth]) -> dict[RawMonth, IngestedMonth]:
    """Ingest ``months`` (all of one province) together: those written. The others are left for
    the month-by-month path, because something about them is wrong (a file without rows among them)."""
    if not months or not registry.has_province(months[0].province):
        return {}
    province = months[0].province
    frames: list[pd.DataFrame] = []
    month_of_row: list[np.ndarray] = []
    wrong = set()
    for month in months:
        read = _month_rows(workspace, catalogue, month)
        if not read:
            wrong.add(month.period)
        frames += read
        month_of_row += [np.full(len(frame), month.period, dtype=object) for frame in read]
    if not frames:
        return {}
    periods = np.concatenate(month_of_row)
    checked = check_rows(pd.concat(frames, ignore_index=True), catalogue, registry, province, periods)
    del frames
    rows = checked.frame
    wrong |= set(periods[checked.bad])
    wrong |= set(duplicated_rows(rows.assign(_month=periods), ["_month", *KEY_COLUMNS])["_month"])
    units = (rows["row_kind"] == "unit").to_numpy(dtype=bool, na_value=False)
    covered = pd.Series(rows["level"].to_numpy()[units]).groupby(periods[units]).unique() if units.any() else pd.Series(dtype=object)
    for month in months:
        levels = set(covered.get(month.period, []))
        if any(level not in levels for level in registry.levels_of(province, month.period)):
            wrong.add(month.period)
    kept = ~np.isin(periods, list(wrong)) if wrong else np.ones(len(periods), dtype=bool)
    if not kept.any():
        return {}
    tidy = sort_tidy(conform(rows[kept]), list(catalogue.indicators), list(catalogue.levels))
    del checked, rows
    outputs = write_months(workspace, tidy, province)
    units = tidy.loc[tidy["row_kind"] == "unit", ["period", "unit_id"]].groupby("period")["unit_id"].nunique()
    by_period = {month.period: month for month in months}
    return {
        by_period[period]: IngestedMonth(province, period, output, int(units.get(period, 0)), stop - start, tidy.iloc[start:stop].reset_index(drop=True))
        for period, (start, stop, output) in outputs.items()
    }


def _month_rows(workspace: Workspace, catalogue: Catalogue, month: RawMonth) -> list[pd.DataFrame]:
    """The rows of each file of ``month``, or nothing at all if anything about the month or one of
    its files is wrong (a file without rows among them: the month-by-month path names it)."""
    files = month.files
    if not files or month.unreadable_files:
        return []
    frames = []
    for path in files:
        try:
            frame, result = read_rows(path, catalogue, month.province, month.period, workspace.display(path))
        except InputError:
            return []
        if result.problems or frame.empty:
            return []
        frames.append(frame)
    return frames
