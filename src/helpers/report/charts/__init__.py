"""Every report's charts, in one style: what the report pages call.

- ``rates``: laggards, the attainment heatmap, movers, trends (monthly report, national summary);
- ``index766``: the 766 report's groups against their maxima and the points units lose;
- ``style``: the palette (report.css), seaborn's theme, and ``figure_html``, which embeds a figure.

Each chart function returns a matplotlib ``Figure`` (or None when there is nothing to draw),
built with seaborn and matplotlib's own text, legend and constrained layout.

The 766 charts are imported when first asked for (``charts.group_chart``): they need the 766
analysis, which imports its readers (openpyxl among them), a fifth of a second the monthly
report's kernel would pay for nothing.
"""

from importlib import import_module

from helpers.report.charts.rates import attainment_class, attainment_classes, attainment_heatmap, heatmap, laggard_chart, movers_chart, trend_chart
from helpers.report.charts.style import figure_html

INDEX766_CHARTS = ("group_chart", "history_chart", "stakes_chart")

__all__ = [
    "attainment_class", "attainment_classes", "attainment_heatmap", "figure_html", "heatmap", "laggard_chart", "movers_chart", "trend_chart",
    *INDEX766_CHARTS,
]


def __getattr__(name: str) -> object:
    if name in INDEX766_CHARTS:
        return getattr(import_module("helpers.report.charts.index766"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
