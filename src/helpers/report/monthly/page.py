"""The monthly report, section by section: what notebooks/monthly_report.ipynb shows.

``open_report`` checks the parameters and analyses the month once; each method returns one
section as HTML (or the headline) for one notebook cell, built from the report toolkit; the
sections are numbered in the order the notebook asks for them. All figures are the engine's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from helpers.analysis.monthly.engine import IndicatorResults
from helpers.analysis.monthly.month import MonthAnalysis, analyse_month
from helpers.catalogue import WHOLE_PROVINCE
from helpers.context import Context
from helpers.messages import Messages
from helpers.periods import previous_period
from helpers.report import charts, checks_view
from helpers.report.headline import Headline, HeadlineFigure
from helpers.report.html import Html
from helpers.report.kernel import settle_imports
from helpers.report.monthly import figures, tables
from helpers.report.monthly.drafted import DraftInputs, count_text, draft
from helpers.report.params import MonthlyParameters
from helpers.report.toolkit import ReportPage, Sections, Tile, chart_or_list, collapsed, legend, note, paragraph, subheading
from helpers.report.toolkit import header as report_header

KIND = "monthly"


def share_tile(met: int, judged: int, what: str, key: str) -> Tile:
    """``5/7`` targets met: good when all are, partial when some are, bad when none is."""
    return Tile(f"{met}/{judged}", what, "good" if met == judged else "partial" if met else "bad", key)


def count_tile(count: int, what: str, m: Messages, key: str, css: str = "bad", detail: str = "") -> Tile:
    """A count that should be zero: ``css`` when it is not, good when it is; ``detail`` puts it in proportion."""
    return Tile(m.number(count), what, css if count else "good", key, detail)


def headline_figures(tiles: Sequence[Tile]) -> list[HeadlineFigure]:
    """The header's tiles as figures of the index page ("Số liệu cần xem lại: 3")."""
    return [HeadlineFigure.of_tile(tile) for tile in tiles]


def chart(figure: Figure, alt: str) -> Html:
    """A chart of helpers.report.charts, embedded (the figure template escapes the alt text)."""
    return charts.figure_html(figure, alt)


@dataclass
class MonthlyReport(ReportPage):
    """One province's month: the sections of the monthly report, for one notebook cell each."""

    context: Context
    analysis: MonthAnalysis
    language: str
    laggards_shown: int
    sections: Sections = field(default_factory=Sections)

    # -- shared figures --------------------------------------------------------------------------
    @cached_property
    def month(self) -> IndicatorResults:
        return self.analysis.month

    @property
    def period(self) -> str:
        return self.analysis.period

    @property
    def province(self) -> str:
        return self.analysis.province

    @cached_property
    def previous_period(self) -> str | None:
        """The month compared with (the engine compares only with the month just before)."""
        return previous_period(self.period) if self.analysis.has_previous else None

    @cached_property
    def laggard_lists(self) -> dict[str, pd.DataFrame]:
        return figures.laggards(self.month.units)

    @cached_property
    def title(self) -> str:
        indicators = figures.indicators_present(self.month.aggregates, self.context.catalogue)
        return self.m(
            "monthly.report.title", indicators=count_text(len(indicators), self.language),
            month=self.m.month(self.period), province=self.context.registry.province_name(self.province),
        )

    @cached_property
    def scopes(self) -> dict[tuple[str, str], dict[str, Any]]:
        """The month's aggregate rows by (indicator, level)."""
        return figures.scopes_of(self.month.aggregates)

    @cached_property
    def tiles(self) -> list[Tile]:
        """The key figures under the title and on the index page."""
        provincial = [figures.verdict(row)[1] for (_, level), row in self.scopes.items() if level == WHOLE_PROVINCE]
        judged = [met for met in provincial if met is not None]
        units = self.month.units
        # Units, not unit-indicator pairs: "105" in a 40-unit province would read as 105 units.
        below = int(units.loc[units["status"] == "below", "unit_id"].nunique())
        total = int(units["unit_id"].nunique())
        return [
            share_tile(sum(judged), len(judged), self.m("monthly.tile.met"), "met"),
            count_tile(below, self.m("monthly.tile.below", count=below), self.m, "below", detail=self.m("monthly.tile.below_of", count=total)),
            checks_view.review_tile(self.analysis.month_checks, self.language),
        ]

    # -- sections ----------------------------------------------------------------------------------
    def header(self) -> Html:
        m = self.m
        months = int(self.analysis.results.aggregates["period"].nunique())
        return report_header(
            m("monthly.report.kind"), self.title, m("monthly.report.prepared", count=months, month=m.month(self.period)), self.tiles,
            m("monthly.report.synthetic") if self.context.registry.is_synthetic(self.province) else "",
        )

    def summary(self) -> Html:
        m = self.m
        swatches = [("good", m("monthly.legend.met_provincial")), ("partial", m("monthly.legend.met_central")), ("bad", m("monthly.legend.below_central"))]
        table = tables.summary_table(self.month.aggregates, self.context.catalogue, self.language)
        return self.section(
            "summary", "monthly.summary.title", m("monthly.summary.lead"),
            legend(swatches, m("monthly.legend.change") if self.previous_period else ""), table.html(),
        )

    @cached_property
    def draft_inputs(self) -> DraftInputs:
        """What the drafted text is written from (the HTML section and the Word report alike)."""
        return DraftInputs(
            aggregates=self.month.aggregates,
            laggards=self.laggard_lists,
            catalogue=self.context.catalogue,
            period=self.period,
            previous_period=self.previous_period,
            low_threshold=self.context.catalogue.setting("low_rate_threshold_pct") / 100,
            names_shown=self.laggards_shown,
        )

    def drafted_text(self) -> Html:
        return self.section("draft", "monthly.draft.title", self.m("monthly.draft.lead"), draft(self.draft_inputs, self.language).html())

    def laggards(self) -> Html:
        m, lists, catalogue, shown = self.m, self.laggard_lists, self.context.catalogue, self.laggards_shown
        figure = charts.laggard_chart(lists, catalogue, self.language, shown)
        if figure is None:
            return self.section("laggards", "monthly.laggards.title", "", paragraph(m("monthly.laggards.none")))
        hidden = sum(max(0, len(below) - shown) for below in lists.values())
        reported = any(below.head(shown)["rate_source"].eq("reported").any() for below in lists.values())
        return self.section(
            "laggards", "monthly.laggards.title", m("monthly.laggards.lead"),
            chart_or_list(chart(figure, m("monthly.laggards.chart_alt")), tables.laggard_list(lists, catalogue, self.language, shown)),
            collapsed(m("common.page.table_details"), tables.laggard_table(lists, catalogue, self.language, shown).html()),
            note(m("monthly.laggards.more", count=hidden)) if hidden else "",
            note(m("monthly.appendix.reported_rate_note")) if reported else "",
        )

    def attainment(self) -> Html:
        figure = charts.attainment_heatmap(self.month.units, self.context.catalogue, self.language)
        return self.section(
            "attainment", "monthly.attainment.title", self.m("monthly.attainment.lead"), chart(figure, self.m("monthly.attainment.chart_alt")),
        )

    def movers(self) -> Html:
        m = self.m
        if self.previous_period is None:
            return self.section("movers", "monthly.movers.title", "", paragraph(m("monthly.movers.no_previous")))
        threshold = self.context.catalogue.setting("notable_change_pp")
        minimum = self.context.catalogue.setting("movers_min_denominator")
        words = {"threshold": m.number(threshold, 1), "previous": m.month(self.previous_period), "minimum": m.number(minimum)}
        rises, falls = figures.movers(self.month.units, threshold, self.laggards_shown, min_denominator=minimum)
        figure = charts.movers_chart(rises, falls, self.context.catalogue, self.language)
        if figure is None:
            return self.section("movers", "monthly.movers.title", "", paragraph(m("monthly.movers.none", **words)))
        return self.section(
            "movers", "monthly.movers.title", m("monthly.movers.lead", **words),
            chart_or_list(chart(figure, m("monthly.movers.chart_alt")), tables.movers_list(rises, falls, self.context.catalogue, self.language)),
            collapsed(m("common.page.table_details"), tables.movers_table(rises, falls, self.context.catalogue, self.language).html()),
        )

    def trends(self) -> Html:
        m = self.m
        figure = charts.trend_chart(self.analysis.results.aggregates, self.context.catalogue, self.language)
        if figure is None:
            return self.section("trends", "monthly.trends.title", "", paragraph(m("monthly.trends.single_month", month=m.month(self.period))))
        return self.section("trends", "monthly.trends.title", m("monthly.trends.lead"), chart(figure, m("monthly.trends.chart_alt")))

    def data_checks(self) -> Html:
        m, checks = self.m, self.analysis.month_checks
        if checks.empty:
            return self.section("checks", "monthly.checks.title", "", paragraph(m("monthly.checks.none")))
        return self.section(
            "checks", "monthly.checks.title", m("monthly.checks.lead"), paragraph(checks_view.counts_text(checks, self.language), "meta"),
            checks_view.grouped_checks(checks, self.context.catalogue, self.language),
        )

    def appendix(self) -> Html:
        units, catalogue = self.month.units, self.context.catalogue
        order = figures.unit_order(units, catalogue)
        parts: list[object] = []
        for level in figures.levels_present(units, catalogue):
            parts += [subheading(catalogue.level_name(level, self.language)), tables.appendix_table(units, order, level, catalogue, self.language).html()]
        if units["rate_source"].eq("reported").any():
            parts.append(note(self.m("monthly.appendix.reported_rate_note")))
        return self.section("appendix", "monthly.appendix.title", self.m("monthly.appendix.lead"), *parts)

    def headline(self) -> Headline:
        """Title and key figures for the index page (the HTML export keeps it out of the page)."""
        catalogue = self.context.catalogue
        indicator_figures = []
        for indicator in figures.indicators_present(self.month.aggregates, catalogue):
            row = self.scopes[(indicator, WHOLE_PROVINCE)]
            rate = figures.figure_text(row, self.language)
            indicator_figures.append(HeadlineFigure(indicator, catalogue.indicator(indicator).short(self.language), rate, figures.target_class(row)))
        return Headline(
            kind=KIND,
            kind_label=self.m("monthly.report.kind"),
            title=self.title,
            province=self.province,
            province_name=self.context.registry.province_name(self.province),
            period=self.period,
            language=self.language,
            synthetic=self.context.registry.is_synthetic(self.province),
            figures=(*indicator_figures, *headline_figures(self.tiles)),
        )


def open_report(data_dir: str | Path | None, province: str, month: str, language: str = "vi", laggards: int = 5) -> MonthlyReport:
    """Check the parameters (ReportParameterError: one sentence) and analyse the month."""
    settle_imports()
    context = Context.load(data_dir or None)
    chosen = MonthlyParameters.check(context, province, month, language, laggards)
    return MonthlyReport(context, analyse_month(context, chosen.province, chosen.month), chosen.language, chosen.laggards)
