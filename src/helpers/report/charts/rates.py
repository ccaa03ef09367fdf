"""The charts of rates against targets: laggards, the attainment heatmap, movers, trends.

The monthly report and the national summary draw them; every word comes from the
``charts`` messages, every colour from the shared palette (``style``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import seaborn
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.messages import Messages, messages
from helpers.report.charts.style import WIDTH_INCHES, composed, new_figure, palette, percent_axis, styled
from helpers.report.monthly import figures

# Attainment (rate ÷ target) classes shared by the laggard bars and the heatmap.
ATTAINMENT_BOUNDS = (0.5, 0.9, 1.0)
ROW_INCHES = 0.3  # a laggard or mover: its line of text over its bar
HEATMAP_ROW_INCHES = 0.17
HEATMAP_BLOCK_ROWS = 45  # a longer list is set in two blocks side by side
HEATMAP_NAME_CHARACTERS = (30, 24)  # a name longer than this (one block, two) is cut with "…"
HEATMAP_NAME_INCHES, HEATMAP_CELL_INCHES = 1.75, 0.24  # one block as narrow as a phone's screen
HEATMAP_LABEL_ANGLE = 45.0
GRID_SHARES = (0.0, 0.5, 1.0)


def attainment_class(attainment: float) -> int:
    """0 far below (< 50% of target), 1 below (< 90%), 2 close (< 100%), 3 met."""
    return int(sum(attainment >= bound - 1e-12 for bound in ATTAINMENT_BOUNDS))


@styled
def laggard_chart(
    laggards: dict[str, pd.DataFrame], catalogue: Catalogue, language: str, limit: int, panel_label: str = "charts.laggards.units_below",
) -> Figure | None:
    """Per indicator, the ``limit`` units furthest below target: rate bar, target mark, gap, count needed.

    One group of bars per indicator under a bold heading, the message ``panel_label`` (units or
    provinces below target); each unit is one line of text (name, rate, gap, dossiers needed)
    over its bar. The groups share one axes: an axes per indicator would cost more than the chart.
    """
    m, colours = messages(language), palette()
    shown = [(indicator, laggards[indicator.id], laggards[indicator.id].head(limit)) for indicator in catalogue.indicators.values() if indicator.id in laggards]
    if not shown:
        return None
    starts = np.cumsum([0, *(len(rows) + 1 for _, _, rows in shown)])  # each group: its heading's row, then its units'
    figure = new_figure(ROW_INCHES * (starts[-1] + 1.3), layout=None)
    axes = figure.axes[0]
    positions = np.concatenate([start + 1 + np.arange(len(rows)) for start, (_, _, rows) in zip(starts, shown)])
    bars = pd.concat([rows for _, _, rows in shown])
    # One call each for every group's bars and target marks (a call per group cost more than its bars);
    # the marks go in before the texts, which are drawn over them.
    axes.barh(positions, bars["rate"], height=0.36, color=[colours.attainment[attainment_class(value)] for value in bars["attainment"]], zorder=2)
    axes.vlines(bars["target"], positions - 0.3, positions + 0.3, color=colours.ink, linewidth=1.6, zorder=3)
    for start, (indicator, below, rows) in zip(starts, shown):
        axes.text(0, start + 0.2, m(panel_label, count=len(below), indicator=indicator.short(language)), fontsize="large", fontweight="bold", va="baseline")
        items = zip(rows["unit_name"], rows["rate"], rows["gap_pp"], rows["gap_count"])  # itertuples costs more than the chart
        for position, (name, rate, gap_pp, gap_count) in zip(start + 1 + np.arange(len(rows)), items):
            axes.text(0, position - 0.24, _bar_label(name, rate, gap_pp, gap_count, indicator.count_unit(language), m), va="baseline")
    axes.set_ylim(starts[-1] - 0.3, -1.0)
    axes.set_xlim(0, 1.0)
    axes.xaxis.tick_top()
    axes.tick_params(axis="x", pad=-12)  # the percentages inside the axes, at its top
    percent_axis(axes.xaxis, GRID_SHARES, m)
    axes.grid(axis="x", zorder=0)
    axes.set_yticks([])
    axes.tick_params(axis="x", length=0)
    axes.spines[["left", "bottom", "right", "top"]].set_visible(False)
    return figure


def _bar_label(name: str, rate: float, gap_pp: float, gap_count: float, count_unit: str, m: Messages) -> str:
    """``UBND thị xã An Nhơn · 36,7% · thiếu 42,3 điểm % · cần thêm 406 hồ sơ``: one text per unit."""
    parts = [composed(name), m.percent(rate), m("charts.laggards.gap", gap=m.number(gap_pp, 1))]
    if not pd.isna(gap_count) and gap_count > 0:
        parts.append(m("charts.laggards.needed", count=int(gap_count), unit=count_unit))  # count= is formatted by m
    return m("charts.separator").join(parts)


def attainment_heatmap(units: pd.DataFrame, catalogue: Catalogue, language: str) -> Figure:
    """Units × indicators, coloured by how far each unit's rate is from its target."""
    order, attainment, statuses = figures.attainment_grid(units, catalogue)
    labels = [catalogue.indicator(indicator).short(language) for indicator in attainment.columns]
    return heatmap(list(order["unit_name"]), list(order["level"]), attainment_classes(attainment, statuses), labels)


def attainment_classes(attainment: pd.DataFrame, statuses: pd.DataFrame) -> np.ndarray:
    """The heatmap's colour per cell: 4 met, 1–3 below (by attainment_class), 0 nothing to judge."""
    values = attainment.to_numpy(dtype=float, na_value=np.nan)
    status = statuses.to_numpy(dtype=object)
    below = (status == "below") & ~np.isnan(values)
    below_class = 1 + (values[..., None] >= np.asarray(ATTAINMENT_BOUNDS) - 1e-12).sum(axis=-1)
    return np.where(status == "met", 4, np.where(below, below_class, 0)).astype(float)


def _shortened(name: str, characters: int) -> str:
    """The name cut with "…" (the tables beside the chart have it whole)."""
    return name if len(name) <= characters else name[: characters - 1].rstrip() + "…"


@styled
def heatmap(names: list[str], groups: list[str], classes: np.ndarray, column_labels: list[str]) -> Figure:
    """Rows (units, provinces) × columns (indicators) coloured by attainment class, drawn by seaborn.

    A line separates consecutive groups (levels). A list longer than HEATMAP_BLOCK_ROWS is set
    in two blocks side by side, like newspaper columns: a province of a hundred communes gives
    a chart half as tall, whose column labels stay within reach.
    """
    colours = palette()
    rows = classes.shape[0]
    blocks = 1 if rows <= HEATMAP_BLOCK_ROWS else 2
    per_block = math.ceil(rows / blocks)
    longest_label = max((len(label) for label in column_labels), default=0)
    width = WIDTH_INCHES if blocks > 1 else min(WIDTH_INCHES, HEATMAP_NAME_INCHES + HEATMAP_CELL_INCHES * classes.shape[1] + 0.4)
    figure = new_figure(HEATMAP_ROW_INCHES * per_block + 0.055 * longest_label + 0.75, width_inches=width)
    colormap = ListedColormap([colours.no_rate, *colours.attainment])
    names = [_shortened(composed(name), HEATMAP_NAME_CHARACTERS[blocks - 1]) for name in names]
    for block, axes in enumerate(figure.subplots(1, blocks, squeeze=False)[0]):
        first, last = block * per_block, min(rows, (block + 1) * per_block)
        # Names and column labels are texts beside the cells, not tick labels: a tick costs ten texts.
        seaborn.heatmap(
            classes[first:last], ax=axes, cmap=colormap, vmin=-0.5, vmax=4.5, cbar=False, linewidths=0.6, linecolor=colours.paper,
            xticklabels=False, yticklabels=False,
        )
        for row, name in enumerate(names[first:last]):
            axes.text(-0.15, row + 0.5, name, ha="right", va="center", fontsize="small")
        for column, label in enumerate(column_labels):
            axes.text(column + 0.5, -0.25, composed(label), rotation=HEATMAP_LABEL_ANGLE, rotation_mode="anchor", fontsize="small")
        boundaries = [row - first for row in range(first + 1, last) if groups[row] != groups[row - 1]]
        axes.hlines(boundaries, 0, classes.shape[1], color=colours.ink, linewidth=1.2)
    return figure


@styled
def movers_chart(rises: pd.DataFrame, falls: pd.DataFrame, catalogue: Catalogue, language: str) -> Figure | None:
    """The largest rises and falls since last month: one bar per unit and indicator, labelled with the change."""
    items = [*rises.itertuples(), *falls.itertuples()]
    if not items:
        return None
    m, colours = messages(language), palette()
    deltas = np.array([float(item.delta_pp) for item in items])
    span = float(np.abs(deltas).max())
    figure = new_figure(ROW_INCHES * (len(items) + 0.5) + 0.3, layout=None)
    axes = figure.axes[0]
    positions = np.arange(len(items))
    bars = axes.barh(positions, deltas, height=0.36, color=[colours.rise if value > 0 else colours.fall for value in deltas], zorder=2)
    changes = [
        m("charts.movers.change", delta=m.signed(item.delta_pp), before=m.percent(item.previous_rate), after=m.percent(item.rate)) for item in items
    ]
    axes.bar_label(bars, changes, padding=4, fontsize="small")
    axes.axvline(0, color=colours.muted, linewidth=0.8)
    for position, item in zip(positions, items):
        name = m("charts.movers.name", unit=composed(item.unit_name), indicator=catalogue.indicator(item.indicator).short(language))
        axes.text(-span * 2.4, position - 0.24, name, fontsize="small", va="bottom")
    axes.set_xlim(-span * 2.4, span * 2.4)
    axes.set_ylim(len(items) - 0.5, -1.0)
    axes.set_axis_off()
    return figure


@styled
def trend_chart(aggregates: pd.DataFrame, catalogue: Catalogue, language: str, whole_name: str | None = None) -> Figure | None:
    """Small multiples: per indicator, the province's and each level's rate by month, and the targets.

    The legend, in the panel after the last, names the toan_tinh scope ``whole_name`` when given
    (the national summary's country) and lists only the targets drawn.
    """
    trend = figures.trend_frame(aggregates)
    periods = sorted(trend["period"].unique())
    if len(periods) < 2:
        return None
    m, colours = messages(language), palette()
    indicators = figures.indicators_present(aggregates, catalogue)
    levels = figures.levels_present(aggregates, catalogue)
    columns = 2
    panel_rows = (len(indicators) + columns) // columns  # one slot more, for the legend
    figure = new_figure(1.75 * panel_rows + 0.2)
    grid = figure.subplots(panel_rows, columns, sharex=True, squeeze=False).ravel()
    month = {period: index for index, period in enumerate(periods)}
    scopes = [(WHOLE_PROVINCE, colours.ink, 2.0), *((level, colours.series[index % len(colours.series)], 1.1) for index, level in enumerate(levels))]
    targets = (("central_target", colours.muted, "charts.trends.central"), ("provincial_target", colours.fall, "charts.trends.provincial"))
    drawn: set[str] = set()
    by_panel = dict(tuple(trend.groupby("indicator", sort=False)))
    for axes, indicator in zip(grid, indicators):
        rows = by_panel.get(indicator, trend.iloc[0:0])
        whole = rows[rows["level"] == WHOLE_PROVINCE].sort_values("period")
        for column, colour, _ in targets:
            line = whole.dropna(subset=[column])
            if not line.empty:
                axes.plot(line["period"].map(month), line[column], color=colour, linestyle="--", linewidth=1)
                drawn.add(column)
        for scope, colour, width in scopes[::-1]:  # the province's own line on top
            line = rows[rows["level"] == scope].dropna(subset=["rate"]).sort_values("period")
            axes.plot(line["period"].map(month), line["rate"], color=colour, linewidth=width, marker="o", markersize=2.5)
        axes.set_title(catalogue.indicator(indicator).short(language))
        _fit_rate_axis(axes, rows, [column for column, _, _ in targets], m)
    labelled = _labelled_months(len(periods))
    grid[0].set_xticks(range(len(periods)), minor=True)
    grid[0].set_xticks(labelled, [m("charts.trends.month", month=periods[index][5:7], year=periods[index][2:4]) for index in labelled])
    grid[0].set_xlim(-0.3, len(periods) - 0.7)
    for axes in grid[len(indicators):]:
        axes.set_axis_off()
    names = {scope: whole_name if scope == WHOLE_PROVINCE and whole_name else catalogue.level_name(scope, language) for scope, _, _ in scopes}
    handles = [Line2D([], [], color=colour, linewidth=max(width, 1.6)) for _, colour, width in scopes]
    handles += [Line2D([], [], color=colour, linestyle="--", linewidth=1.6) for column, colour, _ in targets if column in drawn]
    labels = [names[scope] for scope, _, _ in scopes] + [m(key) for column, _, key in targets if column in drawn]
    grid[len(indicators)].legend(handles, labels, loc="center left")
    for axes in grid[len(indicators) - columns:len(indicators)]:
        axes.xaxis.set_tick_params(labelbottom=True)
    return figure


TREND_MONTHS_LABELLED = 7  # up to this many months each is labelled; more are labelled by quarter


def _labelled_months(count: int) -> list[int]:
    """Every month, or every third counted back from the latest (which is always labelled)."""
    step = 1 if count <= TREND_MONTHS_LABELLED else 3
    return list(range(count - 1, -1, -step))[::-1]


def _fit_rate_axis(axes: Axes, rows: pd.DataFrame, target_columns: list[str], m: Messages) -> None:
    """The y-axis around the panel's rates and targets (an 85–91% series is not flattened), or why it is empty."""
    values = pd.concat([rows["rate"], *(rows[column] for column in target_columns)]).dropna()
    if rows["rate"].dropna().empty:
        for line in list(axes.lines):
            line.remove()  # targets alone would read as the indicator's figures
        axes.text(0.5, 0.5, m("charts.trends.no_data"), transform=axes.transAxes, ha="center", va="center", wrap=True, color=palette().muted)
        axes.set_yticks([])
        return
    low, high = float(values.min()), float(values.max())
    margin = max(0.02, 0.12 * (high - low))
    axes.set_ylim(max(0.0, low - margin), min(1.0, high + margin) + 0.01)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: m.percent(value, 0)))
    axes.grid(axis="y")
