"""The 766 report's charts: the province's groups against their maxima, the points units lose,
the province's total capture by capture."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.changes import SCOPE_TOTAL
from helpers.analysis.index766.history import province_history
from helpers.analysis.index766.stakes import group_stakes
from helpers.catalogue import WHOLE_PROVINCE
from helpers.messages import messages
from helpers.report.charts.style import composed, new_figure, palette, styled


def _band_colours() -> dict[str, str]:
    """A 766 band in the attainment colours: red far below, amber close, green met; grey unbanded."""
    colours = palette()
    return {"red": colours.attainment[0], "amber": colours.attainment[2], "green": colours.attainment[3], "": colours.no_rate}


@styled
def group_chart(analysis: Index766Analysis, language: str = "vi") -> Figure:
    """The province's groups against their maxima: the maximum in grey, the score coloured by band."""
    m, colours, bands = messages(language), palette(), _band_colours()
    groups = analysis.current.groups
    groups = groups[groups["level"] == WHOLE_PROVINCE].set_index("group").reindex(list(analysis.rules.groups)).dropna(subset=["score"])
    figure = new_figure(0.45 * max(len(groups), 1) + 1.0)
    axes = figure.subplots()
    names = [analysis.rules.groups[code].name(language) for code in groups.index]
    maxima = groups["max_points"].astype(float).tolist()
    scores = groups["score"].astype(float).tolist()
    outline = axes.barh(names, maxima, color=colours.line)
    axes.barh(names, scores, color=[bands[band] for band in groups["band"]])
    shares = [
        m("charts.groups766.score", score=m.number(score, 2), maximum=m.number(maximum, 2), share=m.percent(score / maximum))
        for score, maximum in zip(scores, maxima)
    ]
    axes.bar_label(outline, shares, padding=4, fontsize="small")
    axes.invert_yaxis()
    axes.set_xlim(0, max(maxima, default=1) * 1.45)
    axes.set_xlabel(m("charts.groups766.axis"))
    axes.legend([Patch(color=colours.line)], [m("charts.groups766.maximum")], loc="lower right")
    province = analysis.province_name[:1].upper() + analysis.province_name[1:]
    axes.set_title(m("charts.groups766.title", province=province, date=analysis.snapshot.date_label()))
    return figure


@styled
def stakes_chart(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> Figure:
    """The ``count`` units losing the most points, each bar split by group."""
    m, colours = messages(language), palette()
    stakes = group_stakes(analysis.current)
    stakes = stakes[stakes["level"] != WHOLE_PROVINCE]
    wide = stakes.pivot_table(index="unit_name", columns="group", values="lost_points", aggfunc="sum").reindex(columns=list(analysis.rules.groups)).fillna(0)
    wide = wide.assign(_total=wide.sum(axis=1)).sort_values("_total", ascending=False).head(count)
    figure = new_figure(0.3 * max(len(wide), 1) + 1.6)
    axes = figure.subplots()
    if wide.empty:
        axes.text(0.5, 0.5, m("charts.stakes766.no_units"), ha="center", va="center")
        axes.set_axis_off()
        return figure
    names = [composed(name) for name in wide.index]
    left = [0.0] * len(wide)
    for colour, code in zip(colours.series, analysis.rules.groups):
        values = wide[code].tolist()
        bars = axes.barh(names, values, left=left, color=colour, label=analysis.rules.groups[code].name(language))
        left = [start + value for start, value in zip(left, values)]
    axes.bar_label(bars, [m.number(total, 2) for total in wide["_total"]], padding=3, fontsize="small")
    axes.invert_yaxis()
    axes.set_xlabel(m("charts.stakes766.axis"))
    axes.set_title(m("charts.stakes766.title", count=len(wide), date=analysis.snapshot.date_label()))
    axes.legend(loc="lower right", fontsize="small")
    return figure


@styled
def history_chart(analysis: Index766Analysis, language: str = "vi") -> Figure | None:
    """The province's total capture by capture, up to the analysed one (None with fewer than two)."""
    m, colours = messages(language), palette()
    history = province_history(analysis.tidy)
    totals = history[(history["scope"] == SCOPE_TOTAL) & (history["snapshot_date"] <= analysis.snapshot.snapshot_date)].dropna(subset=["points"])
    if totals["snapshot_date"].nunique() < 2:
        return None
    totals = totals.drop_duplicates("snapshot_date", keep="last")
    dates = [pd.Timestamp(date) for date in totals["snapshot_date"]]
    scores = totals["points"].astype(float).tolist()
    figure = new_figure(2.6)
    axes = figure.subplots()
    axes.plot(dates, scores, marker="o", color=colours.accent)
    for date, score in zip(dates, scores):
        axes.annotate(m.number(score, 2), (date, score), textcoords="offset points", xytext=(0, 6), ha="center", fontsize="small")
    axes.set_xticks(dates, [date.strftime("%d/%m") for date in dates])
    axes.margins(y=0.3)
    axes.set_ylabel(m("index766.chart.history_axis"))
    province = analysis.province_name[:1].upper() + analysis.province_name[1:]
    axes.set_title(m("index766.chart.history_title", province=province))
    return figure
