"""One look for every chart: report.css's colours, seaborn's theme, one width, embedded PNGs.

The palette is read from the custom properties of report.css (``--ink``, ``--chart-met`` …), so
the page and its charts share one set of colours; seaborn gives the theme (font sizes, spines,
grid) and the categorical colours after the accent. Every chart function is wrapped in ``styled``: the theme
holds while its figure is built, as a ``matplotlib.rc_context``, and nothing global changes.
Figures are built without pyplot (a notebook shows each once), drawn by Agg and embedded as
palette PNGs in data URIs, so the report stays one small file.
"""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, wraps
from importlib import resources
from typing import ParamSpec, TypeVar

import matplotlib
import seaborn
from cycler import cycler
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import FixedLocator, FuncFormatter
from PIL import Image

from helpers.messages import Messages
from helpers.report.html import Html
from helpers.report.toolkit import figure as figure_fragment

FONT = "DejaVu Sans"  # matplotlib ships it; it has every Vietnamese letter
WIDTH_INCHES = 6.4
DPI = 110
PALETTE_COLORS = 128
FONT_SCALE = 0.92  # of seaborn's "paper" context: its "small" text is 7.4 pt, 11.2 px at DPI: readable on a phone at natural width
CSS_PROPERTY = re.compile(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b")

Params = ParamSpec("Params")
Result = TypeVar("Result")


@dataclass(frozen=True)
class Palette:
    """Every colour a chart uses, from report.css."""

    ink: str
    muted: str
    line: str
    paper: str
    accent: str
    attainment: tuple[str, str, str, str]  # far below (< 50% of target), below (< 90%), close (< 100%), met
    no_rate: str
    series: tuple[str, ...]  # categorical: levels, 766 groups

    @property
    def rise(self) -> str:
        return self.attainment[3]

    @property
    def fall(self) -> str:
        return self.attainment[0]


@cache
def css_colours() -> dict[str, str]:
    """The colour custom properties of report.css, by name without the ``--``."""
    css = resources.files("helpers.report").joinpath("report.css").read_text(encoding="utf-8")
    return dict(CSS_PROPERTY.findall(css))


@cache
def palette() -> Palette:
    css = css_colours()
    attainment = (css["chart-far-below"], css["chart-below"], css["chart-close"], css["chart-met"])
    series = (css["accent"], *seaborn.color_palette("colorblind").as_hex()[1:])  # the accent first: the first level's line
    return Palette(css["ink"], css["muted"], css["line"], css["paper"], css["accent"], attainment, css["chart-none"], series)


@cache
def theme() -> dict[str, object]:
    """seaborn's "ticks" style and "paper" context, in the report's font and colours."""
    colours = palette()
    return {
        **seaborn.axes_style("ticks"),
        **seaborn.plotting_context("paper", font_scale=FONT_SCALE),
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "figure.dpi": DPI,
        "figure.facecolor": colours.paper,
        "axes.facecolor": colours.paper,
        "text.color": colours.ink,
        "axes.labelcolor": colours.ink,
        "axes.edgecolor": colours.muted,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.titlesize": 8.5,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=colours.series),
        "grid.color": colours.line,
        "xtick.color": colours.muted,
        "ytick.color": colours.muted,
        "xtick.labelcolor": colours.ink,
        "ytick.labelcolor": colours.ink,
        "legend.frameon": False,
        "text.hinting": "no_hinting",  # a third less time per letter than the default autohinter, as legible
        "figure.constrained_layout.h_pad": 0.03,
        "figure.constrained_layout.w_pad": 0.03,
    }


def styled(build: Callable[Params, Result]) -> Callable[Params, Result]:
    """Build the chart under the report's theme (fonts and colours are fixed when artists are made)."""

    @wraps(build)
    def build_styled(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        with matplotlib.rc_context(theme()):
            return build(*args, **kwargs)

    return build_styled


def new_figure(height_inches: float, layout: str | None = "constrained", width_inches: float = WIDTH_INCHES) -> Figure:
    """A figure of the report's width; constrained layout places titles, tick labels and legends.

    A chart whose words are all inside its axes (bars labelled in place) needs no layout:
    ``layout=None`` gives it one axes over the whole figure (a layout measures every text first).
    """
    figure = Figure(figsize=(width_inches, height_inches), dpi=DPI, layout=layout)
    if layout is None:
        figure.add_axes((0.03, 0.0, 0.94, 1.0))  # room for the half of a label centred on an edge
    return figure


def composed(value: object) -> str:
    """Composed (NFC) text: decomposed tone marks in a source would be drawn as separate glyphs."""
    return unicodedata.normalize("NFC", str(value))


def percent_axis(axis: Axis, shares: tuple[float, ...], m: Messages) -> None:
    """Ticks at ``shares`` (fractions) labelled as percentages in the report's language."""
    axis.set_major_locator(FixedLocator(shares))
    axis.set_major_formatter(FuncFormatter(lambda value, _: m.percent(value, 0)))


def rendered(figure: Figure) -> Image.Image:
    """The figure drawn by Agg (its layout run once, with the renderer that draws), as RGB."""
    with matplotlib.rc_context(theme()):
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
    width, height = canvas.get_width_height()
    return Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")


def smallest_text_px(figure: Figure) -> float:
    """The smallest text drawn, in image pixels: the browser test checks it reads as ≥ 11 CSS px."""
    sizes = [text.get_fontsize() for text in figure.findobj(Text) if text.get_visible() and text.get_text()]
    return round(min(sizes, default=0.0) * figure.dpi / 72, 2)


def figure_html(figure: Figure, alt: str) -> Html:
    """The figure as a palette PNG in a data URI (the report needs no other file)."""
    image = rendered(figure)
    compact = io.BytesIO()
    image.quantize(colors=PALETTE_COLORS, method=Image.Quantize.FASTOCTREE).save(compact, format="PNG")
    uri = "data:image/png;base64," + base64.b64encode(compact.getvalue()).decode("ascii")
    return figure_fragment(uri, alt, image.width, image.height, smallest_text_px(figure))
