"""The leadership digest: what a chairman reads in a minute or two on a phone.

Three things to act on (the indicators furthest below the provincial target, by the dossiers
they lack), at most three departments and ten communes by name (the units lacking the most
dossiers against their assigned targets), where the province stands against each target, and
what changed since last month. The same ``Digest`` is written as a small self-contained HTML
page and as plain text that pastes into Zalo or an e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.messages import Messages, messages
from helpers.report.export import page
from helpers.report.html import render
from helpers.report.monthly.page import MonthlyReport

ACTIONS = 3
DEPARTMENTS = 3
COMMUNES = 10


@dataclass(frozen=True)
class Digest:
    language: str
    title: str
    standing: str  # "5/7 chỉ tiêu cả tỉnh đạt mức tỉnh giao"
    index766: str  # the province's latest 766 score and national rank, where 766 data exists
    actions: tuple[str, ...]
    departments: tuple[str, ...]
    communes: tuple[str, ...]
    changes: tuple[str, ...]
    synthetic: bool

    def text(self) -> str:
        m = messages(self.language)
        parts = [self.title, "", self.standing, *([self.index766] if self.index766 else [])]
        for heading, items in ((m("documents.digest.actions"), self.actions), (m("documents.digest.departments"), self.departments),
                               (m("documents.digest.communes"), self.communes), (m("documents.digest.changes"), self.changes)):
            if items:
                parts += ["", heading, *(f"- {item}" for item in items)]
        if self.synthetic:
            parts = [m("documents.digest.synthetic"), "", *parts]
        return "\n".join(parts) + "\n"

    def page(self) -> str:
        """The digest as a whole page in the reports' shell (self-contained, phone first)."""
        return page(self.title, self.language, render("fragments/digest.html.j2", digest=self, m=messages(self.language)))


def _whole(report: MonthlyReport) -> pd.DataFrame:
    aggregates = report.month.aggregates
    return aggregates[aggregates["level"] == WHOLE_PROVINCE].set_index("indicator")


def _actions(report: MonthlyReport, m: Messages) -> list[str]:
    catalogue = report.context.catalogue
    whole = _whole(report)
    below = whole[whole["met_provincial"].astype("boolean").eq(False).fillna(False)]
    below = below.sort_values(["gap_count_provincial", "gap_pp_provincial"], ascending=False)
    items = []
    for indicator, row in below.head(ACTIONS).iterrows():
        item = catalogue.indicator(str(indicator))
        items.append(m(
            "documents.digest.action", indicator=item.short(m.language), rate=m.percent(row["rate"]), target=m.percent(row["provincial_target"]),
            gap=m.number(row["gap_pp_provincial"], 1), needed=m.number(row["gap_count_provincial"]), unit=item.count_unit(m.language),
        ))
    return items


def _units(report: MonthlyReport, level: str, limit: int, m: Messages) -> list[str]:
    units = report.month.units
    below = units[(units["level"] == level) & (units["status"] == "below")]
    if below.empty:
        return []
    catalogue = report.context.catalogue
    # Counts of different indicators (dossiers, services, procedures) do not add up: units are
    # ordered by how many indicators they miss, then by how far below target they are in all.
    totals = below.groupby("unit_name", sort=False).agg(missed=("indicator", "size"), gap=("gap_pp", "sum"), indicators=("indicator", list))
    totals = totals.sort_values(["missed", "gap"], ascending=False, kind="stable").head(limit)
    return [
        m("documents.digest.unit", name=name, count=row["missed"],
          indicators=m.join(catalogue.indicator(indicator).short(m.language) for indicator in row["indicators"]))
        for name, row in totals.iterrows()
    ]


def _changes(report: MonthlyReport, m: Messages) -> list[str]:
    if report.previous_period is None:
        return [m.capitalised("common.state.no_comparison")]
    threshold = report.context.catalogue.setting("notable_change_pp")
    whole = _whole(report)
    moved = whole[whole["delta_pp"].abs() >= threshold - 1e-9].sort_values("delta_pp")
    if moved.empty:
        return [m("documents.digest.no_change", threshold=m.number(threshold, 1), previous=m.month(report.previous_period))]
    catalogue = report.context.catalogue
    return [
        m("documents.digest.change", indicator=catalogue.indicator(str(indicator)).short(m.language), rate=m.percent(row["rate"]),
          change=m.signed(row["delta_pp"]), previous=m.month(report.previous_period))
        for indicator, row in moved.iterrows()
    ]


def _index766_standing(report: MonthlyReport, m: Messages) -> str:
    """"Bộ chỉ số 766 (lũy kế năm 2026, ngày 10/10/2026): 66,23/100, xếp hạng 4/34" where the
    province has 766 data; the latest capture, whatever month the report is for, and said so."""
    from helpers.analysis.index766.analysis import analyse_index766
    from helpers.report.params import provinces_with_766

    if report.province not in provinces_with_766(report.context):
        return ""
    analysis = analyse_index766(report.context, report.province, period_kind=None)
    total = analysis.province_total
    if total is None or pd.isna(total["score"]):
        return ""
    rank = "" if pd.isna(total.get("rank")) else m("documents.digest.rank", rank=m.number(total["rank"]), base=m.number(total["rank_base"]))
    return m("documents.digest.index766", period=analysis.snapshot.period_label(m.language), date=analysis.snapshot.date_label(),
             score=m.number(total["score"], 2), rank=rank)


def leadership_digest(report: MonthlyReport) -> Digest:
    m = messages(report.language)
    catalogue = report.context.catalogue
    whole = _whole(report)
    judged = whole[whole["met_provincial"].notna()]
    met = int(judged["met_provincial"].astype(bool).sum())
    levels = [level for level in catalogue.levels if level in set(report.month.units["level"])]
    registry = report.context.registry
    return Digest(
        language=report.language,
        title=m.capitalised("documents.digest.title", province=registry.province_name(report.province), month=m.month(report.period)),
        standing=m("documents.digest.standing", met=met, judged=len(judged)),
        index766=_index766_standing(report, m),
        actions=tuple(_actions(report, m)),
        departments=tuple(_units(report, levels[0], DEPARTMENTS, m)) if levels else (),
        communes=tuple(_units(report, levels[-1], COMMUNES, m)) if len(levels) > 1 else (),
        changes=tuple(_changes(report, m)),
        synthetic=registry.is_synthetic(report.province),
    )
