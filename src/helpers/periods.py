"""Monthly periods, written ``YYYY-MM`` everywhere."""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from helpers.messages import messages

_PERIOD = re.compile(r"(\d{4})-(\d{2})")


def check_period(text: str) -> str:
    """``text`` if it is a month ``YYYY-MM``; otherwise a ValueError that says so."""
    match = _PERIOD.fullmatch(str(text).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"a month is written YYYY-MM, for example 2024-02; got {text!r}")
    return match.group(0)


def previous_period(period: str) -> str:
    return str(pd.Period(check_period(period), freq="M") - 1)


@cache  # asked for every unit row of every month ingested; Timestamps are immutable
def period_bounds(period: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    month = pd.Period(check_period(period), freq="M")
    return month.start_time.normalize(), month.end_time.normalize()


def month_label(period: str, language: str = "vi") -> str:
    """``2024-02`` → ``tháng 02/2024`` (vi) or ``February 2024`` (en)."""
    return messages(language).month(check_period(period))
