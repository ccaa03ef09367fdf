"""The national summary, section by section: what notebooks/national_summary.ipynb shows.

For one month, every province with data side by side and the country as a whole. Every figure
is the engine's: each province's whole-province (toan_tinh) aggregate from
``helpers.engine.evaluate``, and the national pooled rate from ``helpers.engine.national``
(Σ numerators ÷ Σ denominators over the provinces, never an average of their rates). Provinces
are judged against the central target, the one target they share.

``open_national`` checks the parameters and analyses the month once; each method returns one
section as HTML (or the headline) for one notebook cell. The batch runner's
``helpers.report.batch.national_jobs`` lists its render jobs (``python -m helpers report --national``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.analysis.monthly.checks import SEVERITIES, run_checks, summary_counts
from helpers.context import Context
from helpers.analysis.monthly.engine import NATIONAL, IndicatorResults, evaluate, national
from helpers.numbers import format_number, format_percent
from helpers.periods import month_label, previous_period
from helpers.store import load_tidy, stored_months
from helpers.text import fold_diacritics
from helpers.report import charts
from helpers.report.monthly import figures
from helpers.report.monthly.drafted import count_text
from helpers.report.headline import Headline, HeadlineFigure
from helpers.report.labels import label
from helpers.report.markup import Html, collapsed, note, paragraph, report_header, scrollable, section
from helpers.report.params import check_national_parameters
from helpers.report.monthly.tables import html_table

KIND = "national"


@dataclass(frozen=True)
class NationalAnalysis:
    """The provinces with data for ``period``, every earlier month of theirs (for trends), the
    national pooled figures, and the month's data checks of every province."""

    period: str
    provinces: list[str]  # ordered by name
    results: IndicatorResults
    nation: pd.DataFrame  # helpers.engine.national, every month
    checks: pd.DataFrame  # the month's checks

    @cached_property
    def whole(self) -> pd.DataFrame:
        """The month's whole-province aggregates, one row per province and indicator."""
        aggregates = self.results.aggregates
        return aggregates[(aggregates["period"] == self.period) & (aggregates["level"] == WHOLE_PROVINCE)].reset_index(drop=True)

    @cached_property
    def nation_month(self) -> pd.DataFrame:
        return self.nation[self.nation["period"] == self.period].set_index("indicator")


def analyse_nation(context: Context, period: str) -> NationalAnalysis:
    """Evaluate every province with data for ``period`` (and their earlier months)."""
    months = stored_months(context.workspace)
    present = months.loc[months["period"] == period, "province"]
    provinces = sorted(present, key=lambda province: (fold_diacritics(context.registry.province_name(province)).casefold(), province))
    periods = sorted(period_ for period_ in months["period"].unique() if period_ <= period)
    tidy = load_tidy(context.workspace, None, periods)
    tidy = tidy[tidy["province"].isin(provinces)].reset_index(drop=True)
    results = evaluate(tidy, context.catalogue)
    # As for a province's report: checks of the month and the month before (units that disappeared).
    checked = [month for month in (previous_period(period), period) if month in periods]
    in_checked = (frame[frame["period"].isin(checked)] for frame in (results.units, results.aggregates, results.published))
    checks = run_checks(tidy[tidy["period"].isin(checked)], IndicatorResults(*in_checked), context.catalogue, context.registry)
    month_checks = checks[checks["period"] == period].reset_index(drop=True)
    return NationalAnalysis(period, provinces, results, national(results.aggregates, context.catalogue), month_checks)


def _state(row: figures.Row) -> str:
    """The national row's state: a pooled rate, nothing arose (denominators sum to 0), or no rate."""
    if not pd.isna(row["rate"]):
        return figures.RATE
    if row["counted_provinces"] > 0 and row["denominator"] == 0:
        return figures.NOT_ARISEN
    return figures.NO_DATA


def central_class(met_central: object) -> str:
    """CSS class of a rate against the central target: good, bad, or no-rate (not judged)."""
    met = figures.flag(met_central)
    return "no-rate" if met is None else "good" if met else "bad"


@dataclass
class NationalReport:
    context: Context
    analysis: NationalAnalysis
    language: str
    laggards_shown: int

    # -- shared figures --------------------------------------------------------------------------
    @property
    def period(self) -> str:
        return self.analysis.period

    @cached_property
    def indicators(self) -> list[str]:
        return figures.indicators_present(self.analysis.whole, self.context.catalogue)

    def _province_name(self, province: str) -> str:
        return self.context.registry.province_name(province)

    @cached_property
    def by_province(self) -> dict[tuple[str, str], dict[str, object]]:
        """The month's whole-province rows by (province, indicator)."""
        return {(row["province"], row["indicator"]): row for row in self.analysis.whole.to_dict("records")}

    @cached_property
    def synthetic(self) -> list[str]:
        return [province for province in self.analysis.provinces if self.context.registry.is_synthetic(province)]

    @cached_property
    def title(self) -> str:
        return label(
            "national_title", self.language, count=count_text(len(self.indicators), self.language),
            month=month_label(self.period, self.language), provinces=count_text(len(self.analysis.provinces), self.language),
        )

    @cached_property
    def province_laggards(self) -> dict[str, pd.DataFrame]:
        """Per indicator, the provinces below the central target, furthest first (the engine's gaps)."""
        whole = self.analysis.whole
        below = whole[whole["met_central"].astype("boolean").eq(False).fillna(False).to_numpy(bool)]
        frame = pd.DataFrame({
            "indicator": below["indicator"],
            "unit_name": [self._province_name(province) for province in below["province"]],
            "rate": below["rate"].astype(float),
            "target": below["central_target"].astype(float),
            "attainment": (below["rate"] / below["central_target"]).astype(float),
            "gap_pp": below["gap_pp_central"].astype(float),
            "gap_count": below["gap_count_central"],
        })
        ordered = frame.sort_values(["gap_pp", "gap_count", "unit_name"], ascending=[False, False, True], na_position="last", kind="stable")
        return {str(indicator): group.reset_index(drop=True) for indicator, group in ordered.groupby("indicator", sort=False)}

    def _kpis(self) -> list[tuple[str, str, str]]:
        nation = self.analysis.nation_month
        judged = nation[nation["met_central"].notna()]
        met = int(judged["met_central"].astype(bool).sum())
        below = int(nation["provinces_below_central"].sum())
        counts = summary_counts(self.analysis.checks)
        doubtful = counts["error"] + counts["warning"]
        return [
            (f"{met}/{len(judged)}", label("national_kpi_met", self.language), "good" if met == len(judged) else "partial" if met else "bad"),
            (format_number(len(self.analysis.provinces), language=self.language), label("national_kpi_provinces", self.language), ""),
            (format_number(below, language=self.language), label("national_kpi_below", self.language), "bad" if below else "good"),
            (format_number(doubtful, language=self.language), label("kpi_checks", self.language), "partial" if doubtful else "good"),
        ]

    def _rate_cell(self, row: dict[str, object] | None) -> tuple[str, str]:
        if row is None:
            return "–", "no-rate"
        return figures.rate_text(row["rate"], figures.aggregate_state(row), self.language), central_class(row["met_central"])

    # -- sections ----------------------------------------------------------------------------------
    def header(self) -> Html:
        return report_header(
            label("national_kind_label", self.language),
            self.title,
            label("national_prepared", self.language, month=month_label(self.period, self.language), provinces=len(self.analysis.provinces)),
            self._kpis(),
            label("national_synthetic", self.language, count=len(self.synthetic)) if self.synthetic else "",
        )

    def summary(self) -> Html:
        nation, catalogue, language = self.analysis.nation_month, self.context.catalogue, self.language
        header = [label("col_indicator", language), label("col_national", language), label("col_change", language),
                  label("col_central", language), label("col_provinces_met", language), label("col_lowest", language)]
        rows, classes = [], []
        for indicator in self.indicators:
            row = nation.loc[indicator]
            state = _state(row)
            change = label("national_provinces_changed", language) if row["provinces_changed"] else figures.change_text(row, state, language)
            judged = int(row["provinces_met_central"] + row["provinces_below_central"])
            rows.append([
                catalogue.indicator(indicator).short(language), figures.rate_text(row["rate"], state, language), change,
                format_percent(row["central_target"], language=language), f"{int(row['provinces_met_central'])}/{judged}" if judged else "–",
                self._lowest(indicator),
            ])
            classes.append(["indicator", central_class(row["met_central"]), "change", "target", "", "unit"])
        table = html_table("national_summary", header, rows, classes, "report-table summary-table")
        return section("summary", label("summary", language), label("national_summary_lead", language), scrollable(table))

    def _lowest(self, indicator: str) -> str:
        whole = self.analysis.whole
        rated = whole[(whole["indicator"] == indicator) & whole["rate"].notna()]
        if rated.empty:
            return "–"
        lowest = rated.sort_values(["rate", "province"], kind="stable").iloc[0]
        return f"{self._province_name(lowest['province'])}: {format_percent(lowest['rate'], language=self.language)}"

    def provinces(self) -> Html:
        catalogue, language = self.context.catalogue, self.language
        header = [label("col_province", language), *(catalogue.indicator(indicator).short(language) for indicator in self.indicators)]
        rows, classes = [], []
        for province in self.analysis.provinces:
            cells = [self._rate_cell(self.by_province.get((province, indicator))) for indicator in self.indicators]
            rows.append([self._province_name(province), *(text for text, _ in cells)])
            classes.append(["unit", *(css for _, css in cells)])
        nation = self.analysis.nation_month
        rows.append([label("national_name", language), *(figures.rate_text(nation.loc[indicator, "rate"], _state(nation.loc[indicator]), language) for indicator in self.indicators)])
        classes.append(["unit national", *(central_class(nation.loc[indicator, "met_central"]) for indicator in self.indicators)])
        table = html_table("national_provinces", header, rows, classes, "report-table provinces-table")
        return section("provinces", label("national_provinces", language), label("national_provinces_lead", language), scrollable(table, len(rows)))

    def laggards(self) -> Html:
        lists, catalogue, language, shown = self.province_laggards, self.context.catalogue, self.language, self.laggards_shown
        title = label("national_laggards", language)
        figure = charts.laggard_chart(lists, catalogue, language, shown, panel_label="chart_national_panel")
        if figure is None:
            return section("laggards", title, "", paragraph(label("national_none_below", language)))
        hidden = sum(max(0, len(below) - shown) for below in lists.values())
        return section(
            "laggards", title, label("national_laggards_lead", language),
            charts.figure_html(figure, label("chart_national_laggards_alt", language)),
            collapsed(label("details", language), scrollable(self._laggard_table())),
            note(label("national_more_below", language, count=format_number(hidden, language=language))) if hidden else "",
        )

    def _laggard_table(self) -> str:
        catalogue, language = self.context.catalogue, self.language
        header = [label("col_indicator", language), label("col_no", language), label("col_province", language), label("col_rate", language),
                  label("col_central", language), label("col_gap", language), label("col_needed", language)]
        rows = []
        for indicator in catalogue.indicators.values():
            for order, item in enumerate(self.province_laggards.get(indicator.id, pd.DataFrame()).head(self.laggards_shown).itertuples(), start=1):
                needed = f"{format_number(int(item.gap_count), language=language)} {indicator.count_unit(language)}" if not pd.isna(item.gap_count) else "–"
                rows.append([indicator.short(language), order, item.unit_name, format_percent(item.rate, language=language),
                             format_percent(item.target, language=language), format_number(item.gap_pp, 1, language), needed])
        return html_table("national_laggards", header, rows)

    def heatmap(self) -> Html:
        catalogue, language = self.context.catalogue, self.language
        grid = pd.DataFrame(
            [[self.by_province.get((province, indicator)) for indicator in self.indicators] for province in self.analysis.provinces],
            index=self.analysis.provinces, columns=self.indicators,
        )
        attainment = grid.map(lambda row: float(row["rate"] / row["central_target"]) if row is not None and row["central_target"] else float("nan"))
        statuses = grid.map(lambda row: {True: "met", False: "below"}.get(figures.flag(row["met_central"]), "no_data") if row is not None else "no_data")
        chart = charts.heatmap(
            [self._province_name(province) for province in self.analysis.provinces], [""] * len(self.analysis.provinces),
            charts.attainment_classes(attainment, statuses), [catalogue.indicator(indicator).short(language) for indicator in self.indicators],
        )
        return section("attainment", label("national_heatmap", language), label("national_heatmap_lead", language),
                       charts.figure_html(chart, label("chart_national_heatmap_alt", language)))

    def trends(self) -> Html:
        language = self.language
        title = label("national_trends", language)
        nation = self.analysis.nation
        # The trend chart reads the engine's aggregate columns: the country is one scope without a provincial target.
        trend = nation.assign(provincial_target=float("nan"), counted_units=nation["counted_provinces"])
        chart = charts.trend_chart(trend, self.context.catalogue, language, whole_name=label("national_name", language))
        if chart is None:
            return section("trends", title, "", paragraph(label("single_month", language, month=month_label(self.period, language))))
        return section("trends", title, label("national_trends_lead", language), charts.figure_html(chart, label("chart_national_trends_alt", language)))

    def data_checks(self) -> Html:
        language = self.language
        checks = self.analysis.checks
        counts = checks.groupby(["province", "severity"]).size() if not checks.empty else pd.Series(dtype=int)
        header = [label("col_province", language), label("col_errors", language), label("col_warnings", language), label("col_notes", language)]
        rows, classes = [], []
        for province in self.analysis.provinces:
            found = [int(counts.get((province, severity), 0)) for severity in SEVERITIES]
            rows.append([self._province_name(province), *(format_number(count, language=language) for count in found)])
            classes.append(["unit", *(f"severity-{severity}" if count else "" for severity, count in zip(SEVERITIES, found))])
        totals = summary_counts(checks)
        rows.append([label("national_name", language), *(format_number(totals[severity], language=language) for severity in SEVERITIES)])
        classes.append(["unit national", "", "", ""])
        table = html_table("national_checks", header, rows, classes)
        return section("checks", label("national_checks", language), label("national_checks_lead", language), scrollable(table, len(rows)))

    def appendix(self) -> Html:
        catalogue, language = self.context.catalogue, self.language
        header = [label("col_province", language), *(catalogue.indicator(indicator).short(language) for indicator in self.indicators)]
        rows = [
            [self._province_name(province), *(self._counts(self.by_province.get((province, indicator))) for indicator in self.indicators)]
            for province in self.analysis.provinces
        ]
        nation = self.analysis.nation_month
        rows.append([label("national_name", language), *(self._counts(nation.loc[indicator]) for indicator in self.indicators)])
        classes = [["unit", *([""] * len(self.indicators))] for _ in self.analysis.provinces] + [["unit national", *([""] * len(self.indicators))]]
        table = html_table("national_appendix", header, rows, classes, "report-table appendix-table")
        return section("appendix", label("national_appendix", language), label("national_appendix_lead", language), scrollable(table, len(rows)))

    def _counts(self, row: figures.Row | None) -> str:
        if row is None or pd.isna(row["numerator"]) or pd.isna(row["denominator"]):
            return "–"
        return f"{format_number(int(row['numerator']), language=self.language)}/{format_number(int(row['denominator']), language=self.language)}"

    def headline(self) -> Headline:
        """Title and key figures for the index page (the HTML export keeps it out of the page)."""
        nation, catalogue = self.analysis.nation_month, self.context.catalogue
        indicator_figures = [
            HeadlineFigure(catalogue.indicator(indicator).short(self.language),
                           figures.rate_text(nation.loc[indicator, "rate"], _state(nation.loc[indicator]), self.language),
                           central_class(nation.loc[indicator, "met_central"]).replace("no-rate", ""))
            for indicator in self.indicators
        ]
        kpis = [HeadlineFigure(what[:1].upper() + what[1:], value, css) for value, what, css in self._kpis()]
        return Headline(
            kind=KIND, kind_label=label("national_kind_label", self.language), title=self.title, province=NATIONAL,
            province_name=label("national_name", self.language), period=self.period, language=self.language,
            synthetic=bool(self.synthetic), figures=(*indicator_figures, *kpis),
        )


def open_national(data_dir: str | Path | None, month: str, language: str = "vi", laggards: int = 5) -> NationalReport:
    """Check the parameters (ReportParameterError: one sentence) and analyse the month nationally."""
    context = Context.load(data_dir or None)
    period = check_national_parameters(context, month, language, laggards)
    return NationalReport(context, analyse_nation(context, period), language, laggards)
