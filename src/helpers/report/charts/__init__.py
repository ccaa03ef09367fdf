"""Every report's charts, in one style: what the report pages call.

- ``rates``: laggards, the attainment heatmap, movers, trends (monthly report, national summary);
- ``index766``: the 766 report's groups against their maxima and the points units lose;
- ``style``: the palette (report.css), seaborn's theme, and ``figure_html``, which embeds a figure.

Each chart function returns a matplotlib ``Figure`` (or None when there is nothing to draw),
built with seaborn and matplotlib's own text, legend and constrained layout.
"""

from helpers.report.charts.index766 import group_chart, history_chart, stakes_chart
from helpers.report.charts.rates import attainment_class, attainment_classes, attainment_heatmap, heatmap, laggard_chart, movers_chart, trend_chart
from helpers.report.charts.style import figure_html

__all__ = [
    "attainment_class", "attainment_classes", "attainment_heatmap", "figure_html", "group_chart", "heatmap", "history_chart", "laggard_chart", "movers_chart",
    "stakes_chart", "trend_chart",
]
