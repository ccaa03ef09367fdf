"""The analyst's exploration of one province's months: what notebooks/explore_trends.ipynb shows.

``open_exploration`` loads every processed month of a province and evaluates it with the
report's engine, for one indicator, one level and one unit (by default the unit furthest
behind in the latest month). It gives DataFrames with Vietnamese column labels (the whole
province's ``table``, the unit's ``history``, the level's ``ranking``) and seaborn charts that
return their matplotlib ``Axes``, so that the analyst restyles them in the next cell
(``ax.set_ylim(80, 100)``, ``ax.figure.set_size_inches(10, 4)``), in the reports' colours (helpers.report.charts.style).

When the data are not there, ``NoDataToExplore`` says in the analyst's language what to run;
IPython shows that sentence alone instead of a traceback (``_render_traceback_``).
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from helpers.analysis.monthly.engine import IndicatorResults, evaluate
from helpers.catalogue import Catalogue
from helpers.context import Context
from helpers.errors import InputError
from helpers.messages import Messages, check_language, messages
from helpers.paths import Workspace
from helpers.report.charts.style import palette
from helpers.store import load_tidy, stored_months

# The engine's columns an analyst reads, in order; each is labelled by explore.column.<name>.
COLUMNS = ("period", "level", "unit_id", "unit_name", "indicator", "numerator", "denominator", "rate", "target", "status", "gap_count", "rank", "ranked_units", "delta_pp")
HISTORY_COLUMNS = ("period", "rate", "target", "status", "rank", "ranked_units", "delta_pp", "numerator", "denominator")
RANKING_COLUMNS = ("rank", "unit_name", "rate", "target", "status", "gap_count", "numerator", "denominator")
PERCENT_COLUMNS = ("rate", "target")  # fractions in the engine, percentages (0–100) for the analyst
EXAMPLES = 5  # names listed when a choice is not found


class NoDataToExplore(Exception):
    """Why the exploration cannot open and what to run, in the analyst's language."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


@dataclass(frozen=True)
class Exploration:
    """One province's months for one indicator, level and unit."""

    language: str
    catalogue: Catalogue
    province: str
    indicator: str
    level: str
    unit_id: str
    results: IndicatorResults

    @property
    def m(self) -> Messages:
        return messages(self.language)

    @property
    def periods(self) -> list[str]:
        return sorted(self.results.units["period"].unique())

    @property
    def latest(self) -> str:
        return self.periods[-1]

    @property
    def units(self) -> pd.DataFrame:
        """The engine's rows of every unit, month and indicator (English column names, for code)."""
        return self.results.units

    def labelled(self, frame: pd.DataFrame, columns: tuple[str, ...] = COLUMNS) -> pd.DataFrame:
        """``frame``'s ``columns`` under Vietnamese labels, with names for ids and rates in percent."""
        shown = frame.loc[:, list(columns)].copy()
        for column in set(PERCENT_COLUMNS) & set(columns):
            shown[column] = shown[column].astype("Float64") * 100
        if "level" in columns:
            shown["level"] = shown["level"].map(lambda level: self.catalogue.level_name(level, self.language))
        if "indicator" in columns:
            shown["indicator"] = shown["indicator"].map(lambda indicator: self.catalogue.indicator(indicator).short(self.language))
        if "status" in columns:
            shown["status"] = shown["status"].map(lambda status: self.m(f"explore.status.{status}"))
        return shown.rename(columns={column: self.m(f"explore.column.{column}") for column in columns}).reset_index(drop=True)

    def label(self, column: str) -> str:
        return self.m(f"explore.column.{column}")

    def table(self) -> pd.DataFrame:
        """Every unit, month and indicator of the province, labelled: the tidy table to filter."""
        return self.labelled(self.units)

    def _level_rows(self) -> pd.DataFrame:
        rows = self.units[(self.units["indicator"] == self.indicator) & (self.units["level"] == self.level)]
        return rows.sort_values(["period", "unit_name"]).reset_index(drop=True)

    def _unit_rows(self) -> pd.DataFrame:
        rows = self._level_rows()
        return rows[rows["unit_id"] == self.unit_id].reset_index(drop=True)

    @property
    def unit_name(self) -> str:
        return str(self._unit_rows()["unit_name"].iloc[-1])

    def history(self) -> pd.DataFrame:
        """The unit's months for the indicator: rate, target, verdict, rank among its level."""
        return self.labelled(self._unit_rows(), HISTORY_COLUMNS)

    def ranking(self, period: str = "") -> pd.DataFrame:
        """The level's units in ``period`` (the latest by default), best first; unranked last."""
        rows = self._level_rows()
        rows = rows[rows["period"] == (period or self.latest)].sort_values(["rank", "unit_name"], na_position="last")
        return self.labelled(rows, RANKING_COLUMNS)

    def summary(self) -> str:
        """One line: the unit, the indicator, and where the unit stands in the latest month."""
        row = self._unit_rows().iloc[-1]
        rank = self.m("explore.summary.rank", rank=int(row["rank"]), ranked=int(row["ranked_units"])) if pd.notna(row["rank"]) else self.m("explore.summary.unranked")
        return self.m(
            "explore.summary.line",
            unit=row["unit_name"],
            level=self.catalogue.level_name(self.level, self.language),
            indicator=self.catalogue.indicator(self.indicator).short(self.language),
            month=self.m.month(row["period"]),
            rate=self.m.percent(row["rate"]),
            target=self.m.percent(row["target"]),
            status=self.m(f"explore.status.{row['status']}"),
            rank=rank,
        )

    def trend_chart(self, ax: Axes | None = None) -> Axes:
        """The unit's rate month by month (with markers: one month is a point), every other
        unit of its level in grey behind it, the level's pooled rate and the unit's target."""
        ax = ax if ax is not None else plt.subplots(figsize=(8, 4), layout="constrained")[1]
        rate, period, unit = self.label("rate"), self.label("period"), self.label("unit_name")
        level = self.labelled(self._level_rows())
        chosen = self.labelled(self._unit_rows())
        pooled = self.results.aggregates
        pooled = pooled[(pooled["indicator"] == self.indicator) & (pooled["level"] == self.level)].sort_values("period")
        pooled = pd.DataFrame({period: pooled["period"], rate: pooled["rate"].astype("Float64") * 100})
        colours = palette()
        sns.lineplot(data=level, x=period, y=rate, units=unit, estimator=None, color=colours.no_rate, linewidth=0.8, marker="o", markersize=3, ax=ax, sort=False)
        sns.lineplot(data=pooled, x=period, y=rate, color=colours.ink, linestyle="--", marker="s", label=self.m("explore.chart.level_rate", level=self.catalogue.level_name(self.level, self.language)), ax=ax, sort=False)
        sns.lineplot(data=chosen, x=period, y=self.label("target"), color=colours.attainment[0], drawstyle="steps-mid", linestyle=":", label=self.label("target"), ax=ax, sort=False)
        sns.lineplot(data=chosen, x=period, y=rate, color=colours.accent, linewidth=2.5, marker="o", label=self.unit_name, ax=ax, sort=False)
        ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        ax.set_title(self.m("explore.chart.trend_title", indicator=self.catalogue.indicator(self.indicator).short(self.language), unit=self.unit_name))
        ax.set_xlabel(period)
        ax.set_ylabel(rate)
        ax.tick_params(axis="x", labelrotation=45 if len(self.periods) > 6 else 0)
        return ax

    def ranking_chart(self, period: str = "", ax: Axes | None = None) -> Axes:
        """The level's units in ``period`` by rate, the chosen unit in colour, each unit's target as a tick."""
        rows = self._level_rows()
        rows = rows[(rows["period"] == (period or self.latest)) & rows["rate"].notna()].sort_values("rate", ascending=False)
        shown = self.labelled(rows)
        rate, unit, target = self.label("rate"), self.label("unit_name"), self.label("target")
        if ax is None:
            ax = plt.subplots(figsize=(8, max(2.5, 0.28 * len(shown) + 1)), layout="constrained")[1]
        colours = palette()
        bars = [colours.accent if unit_id == self.unit_id else colours.no_rate for unit_id in rows["unit_id"]]
        sns.barplot(data=shown, x=rate, y=unit, hue=unit, palette=bars, legend=False, ax=ax)
        sns.scatterplot(data=shown, x=target, y=unit, marker="|", s=200, color=colours.attainment[0], label=target, ax=ax)
        ax.xaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        ax.set_title(self.m("explore.chart.ranking_title", indicator=self.catalogue.indicator(self.indicator).short(self.language), month=self.m.month(period or self.latest)))
        ax.set_xlabel(rate)
        ax.set_ylabel("")
        return ax


def _context(data_dir: str, m: Messages) -> Context:
    try:
        return Context.load(data_dir)
    except InputError:
        raise NoDataToExplore(m("explore.missing.folder", folder=str(Workspace.at(data_dir).data_dir))) from None


def _chosen_unit(units: pd.DataFrame, unit: str, m: Messages, province: str) -> str:
    """The unit named by id or by name (any case); "" is the level's unit furthest behind."""
    wanted = unit.strip().casefold()
    found = units[(units["unit_id"].str.casefold() == wanted) | (units["unit_name"].str.casefold() == wanted)]
    if found.empty:
        raise NoDataToExplore(m("explore.missing.unit", unit=unit, province=province, choices=m.join(sorted(units["unit_name"].unique())[:EXAMPLES])))
    return str(found["unit_id"].iloc[0])


def _furthest_behind(rows: pd.DataFrame) -> str:
    """The unit with the lowest attainment of its target in the latest month (ties: by name)."""
    latest = rows[rows["period"] == rows["period"].max()]
    ranked = latest.sort_values(["attainment", "unit_name"], na_position="last")
    return str(ranked["unit_id"].iloc[0])


def open_exploration(data_dir: str, province: str, indicator: str, level: str, unit: str = "", language: str = "vi") -> Exploration:
    """The province's processed months for ``indicator`` at ``level`` (a given unit's own level)."""
    m = messages(check_language(language))
    context = _context(data_dir, m)
    months = stored_months(context.workspace, province)
    if months.empty:
        provinces = sorted(stored_months(context.workspace)["province"].unique())
        raise NoDataToExplore(m("explore.missing.data", province=province, folder=str(context.workspace.processed_dir), provinces=m.join(provinces) or "–"))
    if indicator not in context.catalogue.indicators:
        raise NoDataToExplore(m("explore.missing.indicator", indicator=indicator, choices=m.join(list(context.catalogue.indicators))))
    results = evaluate(load_tidy(context.workspace, province), context.catalogue)
    rows = results.units[results.units["indicator"] == indicator]
    if unit:
        unit_id = _chosen_unit(rows, unit, m, province)
        level = str(rows.loc[rows["unit_id"] == unit_id, "level"].iloc[0])
    elif level not in set(rows["level"]):
        raise NoDataToExplore(m("explore.missing.level", level=level, province=province, choices=m.join(sorted(set(rows["level"]), key=list(context.catalogue.levels).index))))
    else:
        unit_id = _furthest_behind(rows[rows["level"] == level])
    return Exploration(language, context.catalogue, province, indicator, level, unit_id, results)
