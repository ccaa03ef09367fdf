"""The one internal table of the 766 index, and the snapshots it is made of.

One row per snapshot, unit and measure: a unit's ``total`` (with its ranks), each ``group``
score and each sub-indicator (``indicator``) with its counts, ratio and points, exactly as the
source publishes them. Recomputed figures live in helpers.index766.scoring, never here.

The portal reports year-to-date, quarter and month figures and each crawl is taken on a date:
a snapshot is (period kind, period, snapshot date), and only snapshots of the same kind are
ever compared (helpers.analysis.index766.changes.comparable_earlier).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from helpers.messages import messages
from helpers.periods import check_period
from helpers.tidy import conform_to_schema

PERIOD_KINDS = ("year_to_date", "quarter", "month")
# groups_combined: several groups published as one figure (the portal's radar writes online
# services and online payment together as ONLINE_SERVICE, group "CLGQ+TTTT", maximum 22).
MEASURES = ("total", "group", "indicator", "groups_combined")

INDEX766_SCHEMA: dict[str, str] = {
    "province": "string",
    "period_kind": "string",
    "period": "string",
    "snapshot_date": "string",
    "level": "string",
    "unit_id": "string",
    "unit_name": "string",
    "portal_code": "string",
    "measure": "string",
    "group": "string",
    "indicator": "string",
    "indicator_name": "string",
    "numerator": "Int64",
    "denominator": "Int64",
    "ratio": "Float64",
    "value": "Float64",
    "points": "Float64",
    "max_points": "Float64",
    "points_decimals": "Int64",
    "rank": "Int64",
    "rank_base": "Int64",
    "group_rank": "Int64",
    "group_rank_base": "Int64",
    # A change the source itself publishes beside the figure (a notice's "Tăng/Giảm" column):
    # the number as written (percent sign dropped) and the text, so that a later check can
    # compare it with the change between two snapshots.
    "published_delta": "Float64",
    "published_delta_text": "string",
    # The source's own remark on the figure (the portal's dataQualityStatus).
    "source_note": "string",
    "source_file": "string",
    "source_record": "string",
    "source_field": "string",
}
INDEX766_COLUMNS = list(INDEX766_SCHEMA)
SNAPSHOT_KEYS = ["province", "period_kind", "period", "snapshot_date"]
ROW_KEYS = [*SNAPSHOT_KEYS, "unit_id", "measure", "group", "indicator"]

_YEAR = re.compile(r"\d{4}")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_VI_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_COMPACT_DATE = re.compile(r"(\d{2})(\d{2})(\d{4})")


def conform766(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a 766 table: exactly the 766 columns, in order and with their dtypes."""
    return conform_to_schema(frame, INDEX766_SCHEMA)


def check_period766(kind: str, period: str) -> str:
    """``period`` if it is written as ``kind`` needs (2026, 2026-Q3, 2026-09); else a ValueError."""
    text = str(period).strip()
    if kind == "year_to_date" and _YEAR.fullmatch(text):
        return text
    if kind == "quarter" and _QUARTER.fullmatch(text):
        return text
    if kind == "month":
        return check_period(text)
    if kind not in PERIOD_KINDS:
        raise ValueError(f"a period kind is one of {', '.join(PERIOD_KINDS)}; got {kind!r}")
    example = {"year_to_date": "2026", "quarter": "2026-Q3"}[kind]
    raise ValueError(f"a {kind} period is written like {example}; got {period!r}")


def parse_snapshot_date(text: str) -> str:
    """``31/05/2024``, ``2024-05-31`` or the portal's ``31052024`` → ``2024-05-31``."""
    value = str(text).strip()
    for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_VI_DATE, (3, 2, 1)), (_COMPACT_DATE, (3, 2, 1))):
        match = pattern.fullmatch(value)
        if match:
            year, month, day = (int(match.group(index)) for index in order)
            try:
                return pd.Timestamp(year=year, month=month, day=day).strftime("%Y-%m-%d")
            except ValueError:
                break
    raise ValueError(f"a date such as 31/05/2024 or 2024-05-31; got {text!r}")


@dataclass(frozen=True, order=True)
class Snapshot:
    """What one crawl of the portal covers: a kind of period, the period, the date it was taken."""

    period_kind: str
    period: str
    snapshot_date: str

    @property
    def month(self) -> str:
        """The month the snapshot was taken in, for the unit registry's validity ranges."""
        return self.snapshot_date[:7]

    @property
    def file_stem(self) -> str:
        return f"{self.period_kind}_{self.period}_{self.snapshot_date}"

    def date_label(self) -> str:
        return pd.Timestamp(self.snapshot_date).strftime("%d/%m/%Y")

    def period_label(self, language: str = "vi") -> str:
        """``lũy kế năm 2026``, ``quý 3/2026``, ``tháng 09/2026`` (``year to date 2026`` …)."""
        text = messages(language)
        if self.period_kind == "month":
            return text.month(self.period)
        if self.period_kind == "quarter":
            year, quarter = self.period.split("-Q")
            return text("index766.period.quarter", quarter=quarter, year=year)
        return text("index766.period.year_to_date", year=self.period)

    def label(self, language: str = "vi") -> str:
        """``lũy kế năm 2026, số liệu ngày 10/10/2026``."""
        return messages(language)("index766.period.snapshot", period=self.period_label(language), date=self.date_label())


def snapshots_in(frame: pd.DataFrame) -> list[Snapshot]:
    """The distinct snapshots of a 766 table, oldest first within each period kind."""
    keys = frame[["period_kind", "period", "snapshot_date"]].drop_duplicates()
    return sorted(Snapshot(str(kind), str(period), str(date)) for kind, period, date in keys.itertuples(index=False))
