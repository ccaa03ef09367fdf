"""The processed store: one Parquet file per province and month, written atomically."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from helpers.atomic import atomically
from helpers.paths import Workspace
from helpers.tidy import conform, empty_tidy


def month_path(workspace: Workspace, province: str, period: str) -> Path:
    return workspace.processed_dir / province / f"{period}.parquet"


def write_month(workspace: Workspace, frame: pd.DataFrame, province: str, period: str) -> Path:
    return write_parquet_atomic(conform(frame), month_path(workspace, province, period))


def write_months(workspace: Workspace, frame: pd.DataFrame, province: str) -> dict[str, tuple[int, int, Path]]:
    """Each month of a conformed tidy frame sorted by period (one province's) as its own file; per
    month its rows' positions (start, stop) and its file. The frame is converted to Arrow once and
    each month written from a slice of it: the same bytes as ``write_month`` of that month alone."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    periods = frame["period"].to_numpy(dtype=object)
    starts = [0, *(np.flatnonzero(periods[1:] != periods[:-1]) + 1).tolist()] if len(periods) else []
    written = {}
    for start, stop in zip(starts, [*starts[1:], len(periods)]):
        period = str(periods[start])
        path = atomically(month_path(workspace, province, period), lambda temporary, start=start, stop=stop: pq.write_table(table.slice(start, stop - start), temporary))
        written[period] = (start, stop, path)
    return written


def write_parquet_atomic(frame: pd.DataFrame, path: Path) -> Path:
    """Write through a temporary file in the same folder, then rename: readers never see half a file."""
    return atomically(path, lambda temporary: frame.to_parquet(temporary, index=False))


def stored_months(workspace: Workspace, province: str | None = None) -> pd.DataFrame:
    """(province, period) of every processed month, sorted."""
    rows = []
    if workspace.processed_dir.is_dir():
        for path in sorted(workspace.processed_dir.glob("*/*.parquet")):
            if province is None or path.parent.name == province:
                rows.append({"province": path.parent.name, "period": path.stem})
    return pd.DataFrame(rows, columns=["province", "period"])


def load_tidy(workspace: Workspace, province: str | None = None, periods: list[str] | None = None) -> pd.DataFrame:
    """The processed tidy table for a province (or all), optionally only some months."""
    months = stored_months(workspace, province)
    if periods is not None:
        months = months[months["period"].isin(periods)]
    paths = [month_path(workspace, row.province, row.period) for row in months.itertuples()]
    if not paths:
        return empty_tidy()
    # One Arrow table converted to pandas once: pd.read_parquet per month cost 20–50 ms a file
    # (plus importing pyarrow.dataset), most of the time a report spends loading its months.
    table = pa.concat_tables([pq.ParquetFile(path).read() for path in paths], promote_options="default")
    return conform(table.to_pandas())
