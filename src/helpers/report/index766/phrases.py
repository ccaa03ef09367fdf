"""How the 766 report writes its figures: points, ranks, changes and bands, in the report's language.

The analysis gives numbers and codes (helpers.analysis.index766.changes); the words are the
catalogue's (messages/<language>/index766.toml). Every figure goes through ``Messages``
(``66,23``, ``65,5%``, ``1.313``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.messages import messages
from helpers.rules766 import Rule
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.changes import points_change_kind, rank_change_kind


@dataclass(frozen=True)
class Columns:
    """The tables' column headings by key: ``Columns("vi")["unit"]`` is ``index766.column.unit``, ``Đơn vị``."""

    language: str

    def __getitem__(self, key: str) -> str:
        return messages(self.language)(f"index766.column.{key}")


def points(value: float | None, language: str) -> str:
    """``66,23``; a missing score is ``–``."""
    return messages(language).number(None if value is None or pd.isna(value) else float(value), 2)


def score_of_max(row: pd.Series, language: str) -> str:
    """``11,1/18``: a score against its maximum."""
    return f"{points(row['score'], language)}/{messages(language).number(row['max_points'], 2)}"


def date_label(date: str) -> str:
    """``2026-10-02`` → ``02/10/2026``, as a capture's date is written (Snapshot.date_label)."""
    return pd.Timestamp(date).strftime("%d/%m/%Y")


def rank_text(rank: int | None, base: int | None, tied: bool, language: str) -> str:
    """``11/63``, ``08/23``: as the reports write ranks; ``(đồng điểm)`` when tied."""
    if rank is None or pd.isna(rank):
        return messages(language)("common.state.missing")
    text = f"{int(rank):02d}/{int(base):02d}" if base is not None and not pd.isna(base) else str(int(rank))
    return messages(language)("index766.rank.tied", rank=text) if tied else text


def points_change_text(delta: float | None, comparison: str, tolerance: float, language: str = "vi") -> str:
    """``tăng 4,06 điểm``, ``giảm 0,5 điểm``, ``không đổi``, or ``chưa có kỳ so sánh``."""
    text = messages(language)
    amount = text.number(abs(delta), 2) if delta is not None and not pd.isna(delta) else ""
    return text(f"index766.points_change.{points_change_kind(delta, comparison, tolerance)}", amount=amount)


def rank_change_text(change: int | None, comparison: str, language: str = "vi") -> str:
    """``tăng 14 bậc``, ``giảm 3 bậc``, ``giữ nguyên thứ hạng`` or ``chưa có kỳ so sánh``."""
    kind = rank_change_kind(change, comparison)
    if kind in ("up", "down"):
        return messages(language)(f"index766.rank_change.{kind}", count=abs(int(change)))
    return messages(language)(f"index766.rank_change.{kind}")


def change_text(analysis: Index766Analysis, row: pd.Series, language: str) -> str:
    """A row's change of points since the previous snapshot, rounding not counted as change."""
    return points_change_text(row["delta"], row["comparison"], analysis.settings["index766_points_tolerance"], language)


def thresholds(settings: dict[str, float], language: str) -> dict[str, str]:
    """The band thresholds as the text writes them: ``red`` ``50%``, ``amber`` ``70%``."""
    text = messages(language)
    return {"red": text.percent(settings["red_below_share_of_max"], 0), "amber": text.percent(settings["amber_below_share_of_max"], 0)}


def band_label(band: str, settings: dict[str, float], language: str = "vi") -> str:
    """``Dưới 50% (đỏ)``, ``50% – dưới 70% (vàng)``, ``Từ 70% (đạt)``: thresholds from settings."""
    text = messages(language)
    if band not in ("red", "amber", "green"):
        return text("common.state.missing")
    return text(f"index766.band.{band}", **thresholds(settings, language))


def needed_text(gap_count: float | None, rule: Rule, language: str) -> str:
    """``79 TTHC công bố đúng hạn``: how many more dossiers (procedures…) reach the threshold; blank when none is known."""
    if gap_count is None or pd.isna(gap_count):
        return ""
    return messages(language)("index766.stakes.needed", count=int(gap_count), what=rule.gap_label(language))
