"""Charts of the 766 report. Figures are built without pyplot, so a notebook shows each once."""

from __future__ import annotations

from io import BytesIO

from matplotlib.figure import Figure

from helpers.catalogue import WHOLE_PROVINCE
from helpers.numbers import format_number, format_percent
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.stakes import group_stakes

BAND_COLOURS = {"red": "#c0392b", "amber": "#e67e22", "green": "#27ae60", "": "#95a5a6"}
MAXIMUM_COLOUR = "#e5e7e9"
GROUP_COLOURS = ["#1f77b4", "#9467bd", "#17becf", "#8c564b", "#e377c2", "#7f7f7f"]


def png(figure: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes, to embed in a self-contained report whatever the plotting backend."""
    buffer = BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def group_chart(analysis: Index766Analysis, language: str = "vi") -> Figure:
    """The province's groups against their maxima: grey to the maximum, the score coloured by band."""
    groups = analysis.current.groups
    groups = groups[groups["level"] == WHOLE_PROVINCE].set_index("group").reindex(list(analysis.rules.groups)).dropna(subset=["score"])
    figure = Figure(figsize=(8, 0.55 * max(len(groups), 1) + 1.2), layout="constrained")
    axes = figure.add_subplot()
    names = [analysis.rules.groups[code].name(language) for code in groups.index][::-1]
    maxima = groups["max_points"].astype(float).tolist()[::-1]
    scores = groups["score"].astype(float).tolist()[::-1]
    colours = [BAND_COLOURS[band] for band in groups["band"].tolist()[::-1]]
    axes.barh(names, maxima, color=MAXIMUM_COLOUR, label="Điểm tối đa" if language == "vi" else "Maximum")
    axes.barh(names, scores, color=colours)
    for position, (score, maximum) in enumerate(zip(scores, maxima)):
        label = f"{format_number(score, 2, language)}/{format_number(maximum, 2, language)} ({format_percent(score / maximum, 1, language)})"
        axes.text(maximum, position, f"  {label}", va="center", fontsize=9)
    axes.set_xlim(0, max(maxima, default=1) * 1.45)
    axes.set_xlabel("Điểm" if language == "vi" else "Points")
    province = analysis.province_name[:1].upper() + analysis.province_name[1:]
    axes.set_title(
        f"{province}: điểm theo nhóm chỉ số ({analysis.snapshot.date_label()})" if language == "vi"
        else f"{province}: score by group ({analysis.snapshot.date_label()})",
        fontsize=11,
    )
    axes.spines[["top", "right"]].set_visible(False)
    return figure


def stakes_chart(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> Figure:
    """The ``count`` units losing the most points, each bar split by group."""
    stakes = group_stakes(analysis.current)
    stakes = stakes[stakes["level"] != WHOLE_PROVINCE]
    wide = stakes.pivot_table(index="unit_name", columns="group", values="lost_points", aggfunc="sum").reindex(columns=list(analysis.rules.groups)).fillna(0)
    wide = wide.assign(_total=wide.sum(axis=1)).sort_values("_total", ascending=False).head(count).iloc[::-1]
    figure = Figure(figsize=(9, 0.4 * max(len(wide), 1) + 1.6), layout="constrained")
    axes = figure.add_subplot()
    if wide.empty:
        axes.text(0.5, 0.5, "Nguồn không có số liệu từng đơn vị" if language == "vi" else "The source has no per-unit figures", ha="center", va="center")
        axes.set_axis_off()
        return figure
    left = [0.0] * len(wide)
    for colour, code in zip(GROUP_COLOURS, analysis.rules.groups):
        values = wide[code].tolist()
        axes.barh(wide.index.tolist(), values, left=left, color=colour, label=analysis.rules.groups[code].name(language))
        left = [start + value for start, value in zip(left, values)]
    for position, total in enumerate(wide["_total"].tolist()):
        axes.text(total, position, f" {format_number(total, 2, language)}", va="center", fontsize=8)
    axes.set_xlabel("Điểm bị mất so với điểm tối đa" if language == "vi" else "Points lost against the maximum")
    axes.set_title(
        f"{count} đơn vị bị mất nhiều điểm nhất ({analysis.snapshot.date_label()})" if language == "vi"
        else f"The {count} units losing most points ({analysis.snapshot.date_label()})",
        fontsize=11,
    )
    axes.legend(fontsize=8, loc="lower right", frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return figure
