"""The national summary, section by section: what notebooks/national_summary.ipynb shows.

For one month, every province with data side by side and the country as a whole. Every figure
is the engine's: each province's whole-province (toan_tinh) aggregate from
``helpers.engine.evaluate``, and the national pooled rate from ``helpers.engine.national``
(Σ numerators ÷ Σ denominators over the provinces, never an average of their rates). Provinces
are judged against the central target, the one target they share.

``open_national`` checks the parameters and analyses the month once; each method returns one
section as HTML (or the headline) for one notebook cell, from the same toolkit pieces, tables and
figures helpers as the monthly report.
The ``national`` kind of helpers.report.kinds lists its render jobs (``python -m helpers report --national``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.analysis.monthly.checks import SEVERITIES, run_checks, summary_counts
from helpers.context import Context
from helpers.analysis.monthly.engine import NATIONAL, IndicatorResults, evaluate, national
from helpers.periods import previous_period
from helpers.report import charts, checks_view
from helpers.report.headline import Headline, HeadlineFigure
from helpers.report.html import Html
from helpers.report.kernel import settle_imports
from helpers.report.monthly import figures, tables
from helpers.report.monthly.drafted import count_text
from helpers.report.monthly.page import chart, count_tile, headline_figures, share_tile
from helpers.report.params import NationalParameters
from helpers.report.toolkit import Cell, ReportPage, Sections, Table, Tile, chart_or_list, collapsed, note, paragraph
from helpers.report.toolkit import header as report_header
from helpers.store import load_tidy, stored_months
from helpers.text import fold_diacritics

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
    return figures.aggregate_state(row, counted="counted_provinces")


def central_class(met_central: object) -> str:
    """CSS class of a rate against the central target: good, bad, or no-rate (not judged)."""
    met = figures.flag(met_central)
    return "no-rate" if met is None else "good" if met else "bad"


@dataclass
class NationalReport(ReportPage):
    """Every province's month side by side and the country as a whole: the sections of the
    national summary. Provinces are judged against the central target only."""

    context: Context
    analysis: NationalAnalysis
    language: str
    laggards_shown: int
    sections: Sections = field(default_factory=Sections)

    # -- shared figures --------------------------------------------------------------------------
    @cached_property
    def indicators(self) -> list[str]:
        return figures.indicators_present(self.analysis.whole, self.context.catalogue)

    @property
    def period(self) -> str:
        return self.analysis.period

    def _province_name(self, province: str) -> str:
        return self.context.registry.province_name(province)

    def _short(self, indicator: str) -> str:
        return self.context.catalogue.indicator(indicator).short(self.language)

    @cached_property
    def by_province(self) -> dict[tuple[str, str], dict[str, object]]:
        """The month's whole-province rows by (province, indicator)."""
        return {(row["province"], row["indicator"]): row for row in self.analysis.whole.to_dict("records")}

    @cached_property
    def synthetic(self) -> list[str]:
        return [province for province in self.analysis.provinces if self.context.registry.is_synthetic(province)]

    @cached_property
    def title(self) -> str:
        return self.m(
            "national.report.title", indicators=count_text(len(self.indicators), self.language),
            month=self.m.month(self.period), provinces=count_text(len(self.analysis.provinces), self.language),
        )

    @cached_property
    def _whole_below(self) -> pd.DataFrame:
        """The whole-province rows of the month below the central target."""
        whole = self.analysis.whole
        return whole[whole["met_central"].astype("boolean").eq(False).fillna(False).to_numpy(bool)]

    @cached_property
    def province_laggards(self) -> dict[str, pd.DataFrame]:
        """Per indicator, the provinces below the central target, furthest first (the engine's gaps)."""
        below = self._whole_below
        return figures.worst_first(pd.DataFrame({
            "indicator": below["indicator"],
            "unit_name": [self._province_name(province) for province in below["province"]],
            "rate": below["rate"].astype(float),
            "rate_source": "recomputed",  # pooled from the provinces' counts
            "target": below["central_target"].astype(float),
            "attainment": (below["rate"] / below["central_target"]).astype(float),
            "gap_pp": below["gap_pp_central"].astype(float),
            "gap_count": below["gap_count_central"],
        }))

    def _tiles(self) -> list[Tile]:
        m, nation = self.m, self.analysis.nation_month
        judged = nation[nation["met_central"].notna()]
        return [
            share_tile(int(judged["met_central"].astype(bool).sum()), len(judged), m("national.tile.met"), "met"),
            Tile(m.number(len(self.analysis.provinces)), m("national.tile.provinces"), key="provinces"),
            count_tile(self._provinces_below(), m("national.tile.below", count=self._provinces_below()), m, "below",
                       detail=m("national.tile.below_of", count=len(self.analysis.provinces))),
            checks_view.review_tile(self.analysis.checks, self.language),
        ]

    def _provinces_below(self) -> int:
        """Provinces whose whole-province rate misses the central target in at least one indicator
        (a count of provinces, not of province × indicator pairs)."""
        return int(self._whole_below["province"].nunique())

    def _nation_rate(self, indicator: str) -> str:
        row = self.analysis.nation_month.loc[indicator]
        return figures.rate_text(row["rate"], _state(row), self.language)

    def _rate_cell(self, row: figures.Row | None) -> Cell:
        if row is None:
            return Cell(self.m("common.state.missing"), "no-rate")
        return Cell(figures.rate_text(row["rate"], figures.aggregate_state(row), self.language), central_class(row["met_central"]))

    def _by_province(self, name: str, css: str, province_cell: Callable[[figures.Row | None], Cell], nation_cell: Callable[[figures.Row], Cell]) -> Table:
        """Provinces × indicators, one cell per province's whole-province row, and the whole country last."""
        m, nation = self.m, self.analysis.nation_month
        header = [m("national.column.province"), *(self._short(indicator) for indicator in self.indicators)]
        rows = [
            [Cell(self._province_name(province), "unit"), *(province_cell(self.by_province.get((province, indicator))) for indicator in self.indicators)]
            for province in self.analysis.provinces
        ]
        rows.append([Cell(m("national.scope.nation"), "unit national"), *(nation_cell(nation.loc[indicator]) for indicator in self.indicators)])
        return Table(name, header, rows, css=css)

    # -- sections ----------------------------------------------------------------------------------
    def header(self) -> Html:
        m, provinces = self.m, len(self.analysis.provinces)
        return report_header(
            m("national.report.kind"), self.title, m("national.report.prepared", count=provinces, month=m.month(self.period)), self._tiles(),
            m("national.report.synthetic", count=len(self.synthetic)) if self.synthetic else "",
        )

    def summary(self) -> Html:
        m, nation = self.m, self.analysis.nation_month
        header = [m("monthly.column.indicator"), m("national.column.national"), m("monthly.column.change"),
                  m("monthly.column.central"), m("national.column.provinces_met"), m("national.column.lowest")]
        rows = []
        for indicator in self.indicators:
            row = nation.loc[indicator]
            change = m("national.summary.provinces_changed") if row["provinces_changed"] else figures.change_text(row, _state(row), self.language)
            judged = int(row["provinces_met_central"] + row["provinces_below_central"])
            met = m("national.summary.provinces_met", met=m.number(int(row["provinces_met_central"])), judged=m.number(judged)) if judged else m("common.state.missing")
            rows.append([
                Cell(self._short(indicator), "indicator"), Cell(self._nation_rate(indicator), central_class(row["met_central"])), Cell(change, "change"),
                Cell(m.percent(row["central_target"]), "target"), Cell(met), Cell(self._lowest(indicator), "unit"),
            ])
        summary = Table("national_summary", header, rows, css="report-table summary-table reflow")
        return self.section("summary", "monthly.summary.title", m("national.summary.lead"), summary.html())

    def _lowest(self, indicator: str) -> str:
        whole = self.analysis.whole
        rated = whole[(whole["indicator"] == indicator) & whole["rate"].notna()]
        if rated.empty:
            return self.m("common.state.missing")
        lowest = rated.sort_values(["rate", "province"], kind="stable").iloc[0]
        return self.m("national.summary.lowest", province=self._province_name(lowest["province"]), rate=self.m.percent(lowest["rate"]))

    def provinces(self) -> Html:
        def nation_cell(row: figures.Row) -> Cell:
            return Cell(figures.rate_text(row["rate"], _state(row), self.language), central_class(row["met_central"]))

        provinces = self._by_province("national_provinces", "report-table provinces-table", self._rate_cell, nation_cell)
        return self.section("provinces", "national.provinces.title", self.m("national.provinces.lead"), provinces.html())

    def laggards(self) -> Html:
        m, lists, catalogue, shown = self.m, self.province_laggards, self.context.catalogue, self.laggards_shown
        figure = charts.laggard_chart(lists, catalogue, self.language, shown, panel_label="charts.laggards.provinces_below")
        if figure is None:
            return self.section("laggards", "national.laggards.title", "", paragraph(m("national.laggards.none")))
        hidden = sum(max(0, len(below) - shown) for below in lists.values())
        details = tables.laggard_table(
            lists, catalogue, self.language, shown, name="national_laggards", unit_column="national.column.province", target_column="monthly.column.central", with_level=False,
        )
        return self.section(
            "laggards", "national.laggards.title", m("national.laggards.lead"),
            chart_or_list(chart(figure, m("national.laggards.chart_alt")), tables.laggard_list(lists, catalogue, self.language, shown, "charts.laggards.provinces_below")),
            collapsed(m("common.page.table_details"), details.html()),
            note(m("national.laggards.more", count=hidden)) if hidden else "",
        )

    def heatmap(self) -> Html:
        grid = pd.DataFrame(
            [[self.by_province.get((province, indicator)) for indicator in self.indicators] for province in self.analysis.provinces],
            index=self.analysis.provinces, columns=self.indicators,
        )
        attainment = grid.map(lambda row: float(row["rate"] / row["central_target"]) if row is not None and row["central_target"] else float("nan"))
        statuses = grid.map(lambda row: {True: "met", False: "below"}.get(figures.flag(row["met_central"]), "no_data") if row is not None else "no_data")
        figure = charts.heatmap(
            [self._province_name(province) for province in self.analysis.provinces], [""] * len(self.analysis.provinces),
            charts.attainment_classes(attainment, statuses), [self._short(indicator) for indicator in self.indicators],
        )
        return self.section("attainment", "national.attainment.title", self.m("national.attainment.lead"), chart(figure, self.m("national.attainment.chart_alt")))

    def trends(self) -> Html:
        m, nation = self.m, self.analysis.nation
        # The trend chart reads the engine's aggregate columns: the country is one scope without a provincial target.
        trend = nation.assign(provincial_target=float("nan"), counted_units=nation["counted_provinces"])
        figure = charts.trend_chart(trend, self.context.catalogue, self.language, whole_name=m("national.scope.nation"))
        if figure is None:
            return self.section("trends", "national.trends.title", "", paragraph(m("monthly.trends.single_month", month=m.month(self.period))))
        return self.section("trends", "national.trends.title", m("national.trends.lead"), chart(figure, m("national.trends.chart_alt")))

    def data_checks(self) -> Html:
        m, checks = self.m, self.analysis.checks
        counts = checks.groupby(["province", "severity"]).size() if not checks.empty else pd.Series(dtype=int)
        header = [m("national.column.province"), *checks_view.count_headers(self.language)]
        rows = []
        for province in self.analysis.provinces:
            found = [int(counts.get((province, severity), 0)) for severity in SEVERITIES]
            rows.append([Cell(self._province_name(province), "unit"), *(Cell(m.number(count), f"severity-{severity}" if count else "") for severity, count in zip(SEVERITIES, found))])
        totals = summary_counts(checks)
        rows.append([Cell(m("national.scope.nation"), "unit national"), *(Cell(m.number(totals[severity])) for severity in SEVERITIES)])
        by_kind = checks_view.grouped_checks(checks, self.context.catalogue, self.language, name="national_kind")
        return self.section("checks", "national.checks.title", m("national.checks.lead"), Table("national_checks", header, rows).html(), by_kind)

    def appendix(self) -> Html:
        def counts_cell(row: figures.Row | None) -> Cell:
            return Cell(figures.counts_text(row, self.language, numerator_alone=False))

        appendix = self._by_province("national_appendix", "report-table appendix-table", counts_cell, counts_cell)
        return self.section("appendix", "national.appendix.title", self.m("national.appendix.lead"), appendix.html())

    def headline(self) -> Headline:
        """Title and key figures for the index page (the HTML export keeps it out of the page)."""
        nation = self.analysis.nation_month
        indicator_figures = [
            HeadlineFigure(indicator, self._short(indicator), self._nation_rate(indicator), central_class(nation.loc[indicator, "met_central"]).replace("no-rate", ""))
            for indicator in self.indicators
        ]
        return Headline(
            kind=KIND, kind_label=self.m("national.report.kind"), title=self.title, province=NATIONAL,
            province_name=self.m("national.scope.nation"), period=self.period, language=self.language,
            synthetic=bool(self.synthetic), figures=(*indicator_figures, *headline_figures(self._tiles())),
        )


def open_national(data_dir: str | Path | None, month: str, language: str = "vi", laggards: int = 5) -> NationalReport:
    """Check the parameters (ReportParameterError: one sentence) and analyse the month nationally."""
    settle_imports()
    context = Context.load(data_dir or None)
    chosen = NationalParameters.check(context, month, language, laggards)
    return NationalReport(context, analyse_nation(context, chosen.month), chosen.language, chosen.laggards)
