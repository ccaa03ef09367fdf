"""The monthly report, section by section: what notebooks/monthly_report.ipynb shows.

``open_report`` checks the parameters and analyses the month once; each method returns one
section as HTML (or the headline) for one notebook cell. All figures are the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.analysis.monthly.checks import severity_label, summary_counts
from helpers.context import Context
from helpers.analysis.monthly.month import MonthAnalysis, analyse_month
from helpers.analysis.monthly.engine import IndicatorResults
from helpers.numbers import format_number
from helpers.periods import month_label, previous_period
from helpers.report import charts
from helpers.report.monthly import figures, tables
from helpers.report.monthly.drafted import DraftInputs, count_text, draft_html
from helpers.report.headline import Headline, HeadlineFigure
from helpers.report.labels import label
from helpers.report.markup import (
    Html,
    collapsed,
    escape,
    note,
    paragraph,
    report_header,
    scrollable,
    section,
    subheading,
)
from helpers.report.params import check_parameters

KIND = "monthly"


@dataclass
class MonthlyReport:
    context: Context
    analysis: MonthAnalysis
    language: str
    laggards_shown: int

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
        return label(
            "title", self.language, count=count_text(len(indicators), self.language),
            month=month_label(self.period, self.language), province=self.context.registry.province_name(self.province),
        )

    def _whole(self) -> pd.DataFrame:
        return figures.whole_province(self.month.aggregates)

    def _kpis(self) -> list[tuple[str, str, str]]:
        """(value, what it counts, CSS class) for the tiles under the title and the index."""
        whole = self._whole()
        judged = whole[whole["met_provincial"].notna()]
        met = int(judged["met_provincial"].astype(bool).sum())
        below = int((self.month.units["status"] == "below").sum())
        counts = summary_counts(self.analysis.month_checks)
        doubtful = counts["error"] + counts["warning"]
        return [
            (f"{met}/{len(judged)}", label("kpi_met", self.language), "good" if met == len(judged) else "partial" if met else "bad"),
            (format_number(below, language=self.language), label("kpi_below", self.language), "bad" if below else "good"),
            (format_number(doubtful, language=self.language), label("kpi_checks", self.language), "partial" if doubtful else "good"),
        ]

    # -- sections ----------------------------------------------------------------------------------
    def header(self) -> Html:
        months = self.analysis.results.aggregates["period"].nunique()
        return report_header(
            label("kind_label", self.language),
            self.title,
            label("prepared", self.language, month=month_label(self.period, self.language), months=months),
            self._kpis(),
            label("synthetic", self.language) if self.context.registry.is_synthetic(self.province) else "",
        )

    def summary(self) -> Html:
        legend = (
            '<p class="legend">'
            f'<span class="swatch good">&nbsp;</span>{escape(label("legend_met_provincial", self.language))} · '
            f'<span class="swatch partial">&nbsp;</span>{escape(label("legend_met_central", self.language))} · '
            f'<span class="swatch bad">&nbsp;</span>{escape(label("legend_below_central", self.language))}'
            + (f" · {escape(label('legend_change', self.language))}" if self.previous_period else "")
            + "</p>"
        )
        table = tables.summary_table(self.month.aggregates, self.context.catalogue, self.language)
        return section("summary", label("summary", self.language), label("summary_lead", self.language), legend, scrollable(table))

    def drafted_text(self) -> Html:
        inputs = DraftInputs(
            aggregates=self.month.aggregates,
            laggards=self.laggard_lists,
            catalogue=self.context.catalogue,
            period=self.period,
            previous_period=self.previous_period,
            low_threshold=self.context.catalogue.setting("low_rate_threshold_pct") / 100,
            names_shown=self.laggards_shown,
        )
        return section("draft", label("drafted", self.language), label("drafted_lead", self.language), draft_html(inputs, self.language))

    def laggards(self) -> Html:
        lists, catalogue, shown = self.laggard_lists, self.context.catalogue, self.laggards_shown
        figure = charts.laggard_chart(lists, catalogue, self.language, shown)
        if figure is None:
            return section("laggards", label("laggards", self.language), "", paragraph(label("none_below", self.language)))
        hidden = sum(max(0, len(below) - shown) for below in lists.values())
        reported = any(below.head(shown)["rate_source"].eq("reported").any() for below in lists.values())
        return section(
            "laggards", label("laggards", self.language), label("laggards_lead", self.language),
            charts.figure_html(figure, label("chart_laggards_alt", self.language)),
            collapsed(label("details", self.language), scrollable(tables.laggard_table(lists, catalogue, self.language, shown))),
            note(label("more_below", self.language, count=format_number(hidden, language=self.language))) if hidden else "",
            note(label("reported_rate_note", self.language)) if reported else "",
        )

    def attainment(self) -> Html:
        figure = charts.attainment_heatmap(self.month.units, self.context.catalogue, self.language)
        return section(
            "attainment", label("heatmap", self.language), label("heatmap_lead", self.language),
            charts.figure_html(figure, label("chart_heatmap_alt", self.language)),
        )

    def movers(self) -> Html:
        title = label("movers", self.language)
        if self.previous_period is None:
            return section("movers", title, "", paragraph(label("no_previous", self.language)))
        threshold = self.context.catalogue.setting("notable_change_pp")
        previous = month_label(self.previous_period, self.language)
        threshold_text = format_number(threshold, 1, self.language)
        rises, falls = figures.movers(self.month.units, threshold, self.laggards_shown)
        figure = charts.movers_chart(rises, falls, self.context.catalogue, self.language)
        if figure is None:
            return section("movers", title, "", paragraph(label("no_movers", self.language, threshold=threshold_text, previous=previous)))
        return section(
            "movers", title, label("movers_lead", self.language, threshold=threshold_text, previous=previous),
            charts.figure_html(figure, label("chart_movers_alt", self.language)),
            scrollable(tables.movers_table(rises, falls, self.context.catalogue, self.language)),
        )

    def trends(self) -> Html:
        title = label("trends", self.language)
        figure = charts.trend_chart(self.analysis.results.aggregates, self.context.catalogue, self.language)
        if figure is None:
            return section("trends", title, "", paragraph(label("single_month", self.language, month=month_label(self.period, self.language))))
        return section("trends", title, label("trends_lead", self.language), charts.figure_html(figure, label("chart_trends_alt", self.language)))

    def data_checks(self) -> Html:
        checks = self.analysis.month_checks
        title = label("checks", self.language)
        if checks.empty:
            return section("checks", title, "", paragraph(label("no_checks", self.language)))
        counts = ", ".join(
            f"{format_number(count, language=self.language)} {severity_label(severity, self.language).lower()}" for severity, count in summary_counts(checks).items()
        )
        return section(
            "checks", title, label("checks_lead", self.language), paragraph(counts, "meta"),
            scrollable(tables.checks_table(checks, self.context.catalogue, self.language), len(checks)),
        )

    def appendix(self) -> Html:
        units, catalogue = self.month.units, self.context.catalogue
        order = figures.unit_order(units, catalogue)
        parts = []
        for level in figures.levels_present(units, catalogue):
            table = tables.appendix_table(units, order, level, catalogue, self.language)
            parts += [subheading(catalogue.level_name(level, self.language)), scrollable(table, int((order["level"] == level).sum()))]
        if units["rate_source"].eq("reported").any():
            parts.append(note(label("reported_rate_note", self.language)))
        return section("appendix", label("appendix", self.language), label("appendix_lead", self.language), *parts)

    def headline(self) -> Headline:
        """Title and key figures for the index page (the HTML export keeps it out of the page)."""
        whole = self._whole()
        catalogue = self.context.catalogue
        indicator_figures = []
        for indicator in figures.indicators_present(self.month.aggregates, catalogue):
            row = whole.loc[indicator]
            state = figures.aggregate_state(row)
            indicator_figures.append(HeadlineFigure(catalogue.indicator(indicator).short(self.language), figures.rate_text(row["rate"], state, self.language), figures.target_class(row)))
        kpis = [HeadlineFigure(what[:1].upper() + what[1:], value, css) for value, what, css in self._kpis()]
        return Headline(
            kind=KIND,
            kind_label=label("kind_label", self.language),
            title=self.title,
            province=self.province,
            province_name=self.context.registry.province_name(self.province),
            period=self.period,
            language=self.language,
            synthetic=self.context.registry.is_synthetic(self.province),
            figures=(*indicator_figures, *kpis),
        )


def open_report(data_dir: str | Path | None, province: str, month: str, language: str = "vi", laggards: int = 5) -> MonthlyReport:
    """Check the parameters (ReportParameterError: one sentence) and analyse the month."""
    context = Context.load(data_dir or None)
    period = check_parameters(context, province, month, language, laggards)
    return MonthlyReport(context, analyse_month(context, province, period), language, laggards)
