"""The report's charts: few figures, each one axes, sized to be read on a phone.

Every chart is a single matplotlib axes drawn with the object API (no pyplot: nothing global,
nothing shown twice). Small multiples are laid out inside that one axes: building an axes
with its ticks costs more than everything drawn in it, and a report has to render in seconds.

For the same reason the labels (unit names, figures, titles) are not matplotlib text: a
chart keeps them as ``ChartText`` in data coordinates, and ``figure_html`` writes them onto
the rendered image with Pillow, in the same DejaVu Sans font file matplotlib ships (it has
every Vietnamese letter). Matplotlib's text layout took two thirds of a report's chart
time; Pillow writes the same labels five times faster. The image is embedded
as a palette PNG in a data URI: the report is one file and stays small.
"""

from __future__ import annotations

import base64
import io
import math
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from PIL import Image, ImageDraw, ImageFont

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.numbers import format_number, format_percent, format_signed
from helpers.report.monthly import figures
from helpers.report.labels import label
from helpers.report.markup import escape

FONT = "DejaVu Sans"
WIDTH_INCHES = 6.4
DPI = 110
PALETTE_COLORS = 128
ROW_INCHES = 0.36
INK = "#222222"
MUTED = "#777777"
# Attainment (rate ÷ target) classes shared by the laggard bars and the heatmap.
ATTAINMENT_BOUNDS = (0.5, 0.9, 1.0)
ATTAINMENT_COLORS = ("#b2182b", "#ef8a62", "#f6d55c", "#4dac26")
NO_RATE_COLOR = "#d9d9d9"
GRID_COLOR = "#dddddd"
LEVEL_COLORS = ("#1f78b4", "#ff7f00", "#6a3d9a", "#33a02c", "#e31a1c")
CENTRAL_COLOR = "#555555"
PROVINCIAL_COLOR = "#c51b7d"
RISE_COLOR = "#1a9641"
FALL_COLOR = "#d7191c"
BAR_SCALE = 100.0  # bars are drawn in percent
# The heatmap: one row per unit; a longer list than HEATMAP_BLOCK_ROWS is set in two blocks.
HEATMAP_ROW_INCHES = 0.2
HEATMAP_BLOCK_ROWS = 45
HEATMAP_BLOCK_GAP = 10  # pixels between the two blocks
HEATMAP_FONT_SIZE = 7
HEATMAP_LABEL_ANGLES = (40.0, 60.0)  # the steeper one when cells are too narrow for the first
HEATMAP_LABEL_SPACING = 13  # pixels between neighbouring column labels, across them
HEATMAP_MAX_CELL = 34  # pixels


@dataclass(frozen=True)
class ChartText:
    """A label at (x, y) in the axes' data coordinates; ``anchor`` is Pillow's (``ls`` = left, baseline)."""

    x: float
    y: float
    text: str
    size: float = 8.0  # points
    bold: bool = False
    color: str = INK
    anchor: str = "ls"
    angle: float = 0.0  # degrees, counter-clockwise about the anchor


@dataclass
class Chart:
    """A matplotlib figure of one axes and the labels to write on it."""

    figure: Figure
    axes: Axes
    texts: list[ChartText] = field(default_factory=list)

    def write(self, x: float, y: float, value: object, **style: object) -> None:
        self.texts.append(ChartText(x, y, text(value), **style))


def text(value: object) -> str:
    """Composed (NFC) text: decomposed tone marks would be drawn as separate glyphs."""
    return unicodedata.normalize("NFC", str(value))


@cache
def font_path(bold: bool = False) -> str:
    """The DejaVu Sans file matplotlib ships (regular or bold): the one font of every chart."""
    properties = font_manager.FontProperties(family=FONT, weight="bold" if bold else "normal")
    return font_manager.findfont(properties, fallback_to_default=False)


@cache
def _font(size_pixels: float, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(font_path(bold), size_pixels, layout_engine=ImageFont.Layout.BASIC)


def attainment_class(attainment: float) -> int:
    """0 far below (< 50% of target), 1 below (< 90%), 2 close (< 100%), 3 met."""
    return int(sum(attainment >= bound - 1e-12 for bound in ATTAINMENT_BOUNDS))


def _chart(height_inches: float) -> Chart:
    figure = Figure(figsize=(WIDTH_INCHES, height_inches), dpi=DPI)
    axes = figure.add_axes((0.01, 0.005, 0.98, 0.99))
    axes.set_axis_off()
    return Chart(figure, axes)


def _scale(chart: Chart, top: float, bottom: float, language: str) -> None:
    """Light vertical lines at 0, 50 and 100% with their labels at the top."""
    chart.axes.vlines([0, 50, 100], top, bottom, color=GRID_COLOR, linewidth=0.6, zorder=0)
    for value in (0, 50, 100):
        chart.write(value, top - 0.05, f"{format_number(value, language=language)}%", size=7, color=MUTED, anchor="md")


def laggard_chart(
    laggards: dict[str, pd.DataFrame], catalogue: Catalogue, language: str, limit: int, panel_label: str = "chart_laggards_panel",
) -> Chart | None:
    """Per indicator, the ``limit`` units furthest below target: rate bar, target mark, gap, count needed.

    Each unit (or province: ``panel_label`` names them in the panel titles) is one line of text
    (name, rate, gap, dossiers needed) over a full-width bar.
    """
    rows: list[tuple[str, object]] = []
    for indicator in catalogue.indicators.values():
        if indicator.id not in laggards:
            continue
        below = laggards[indicator.id]
        rows.append(("title", label(panel_label, language, indicator=indicator.short(language), below=format_number(len(below), language=language))))
        rows += [("bar", (item, indicator.count_unit(language))) for item in below.head(limit).itertuples()]
    if not rows:
        return None
    chart = _chart(ROW_INCHES * (len(rows) + 1) + 0.3)
    axes = chart.axes
    bars = [(position, payload[0]) for position, (kind, payload) in enumerate(rows) if kind == "bar"]
    positions = [position for position, _ in bars]
    items = [item for _, item in bars]
    axes.barh(positions, [item.rate * BAR_SCALE for item in items], height=0.34, color=[ATTAINMENT_COLORS[attainment_class(item.attainment)] for item in items], zorder=2)
    axes.vlines([item.target * BAR_SCALE for item in items], [p - 0.3 for p in positions], [p + 0.3 for p in positions], color="black", linewidth=1.6, zorder=3)
    _scale(chart, -0.9, len(rows) - 0.5, language)
    for position, (kind, payload) in enumerate(rows):
        if kind == "title":
            chart.write(0, position + 0.25, payload, size=9.5, bold=True)
        else:
            item, count_unit = payload
            chart.write(0, position - 0.22, _bar_label(item, count_unit, language))
    axes.set_xlim(-1, BAR_SCALE + 2)
    axes.set_ylim(len(rows) - 0.5, -1.3)
    return chart


def _bar_label(item: object, count_unit: str, language: str) -> str:
    """``UBND thị xã An Nhơn · 36,7% · thiếu 42,3 điểm % · cần thêm 406 hồ sơ``: one text per unit."""
    parts = [str(item.unit_name), format_percent(item.rate, language=language), label("gap", language, gap=format_number(item.gap_pp, 1, language))]
    if not pd.isna(item.gap_count) and item.gap_count > 0:
        parts.append(label("needed", language, count=format_number(int(item.gap_count), language=language), unit=count_unit))
    return " · ".join(parts)


def attainment_heatmap(units: pd.DataFrame, catalogue: Catalogue, language: str) -> Chart:
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


def _fit(name: str, font: ImageFont.FreeTypeFont, width: float) -> str:
    """The name cut with "…" to ``width`` pixels (the tables beside the chart have it whole)."""
    if font.getlength(name) <= width:
        return name
    while name and font.getlength(name + "…") > width:
        name = name[:-1]
    return name.rstrip() + "…"


@dataclass(frozen=True)
class _HeatmapLayout:
    blocks: int
    per_block: int  # rows per block
    name_width: float  # pixels
    cell: float  # pixels
    angle: float  # of the column labels, degrees
    header_rows: float  # room above the cells for the labels, in rows


def _heatmap_layout(rows: int, columns: int, names: list[str], column_labels: list[str], font: ImageFont.FreeTypeFont) -> _HeatmapLayout:
    """Names take what they need up to a share of the width, cells share the rest; column labels
    turn steeper when cells are narrow, so that neighbours do not overlap."""
    blocks = 1 if rows <= HEATMAP_BLOCK_ROWS else 2
    width = WIDTH_INCHES * DPI
    longest_label = max((font.getlength(label) for label in column_labels), default=0)
    widest_name = max((font.getlength(name) for name in names), default=0) + 8
    for angle in HEATMAP_LABEL_ANGLES:
        reach = longest_label * math.cos(math.radians(angle)) + 8  # of the last column's label, to the right
        name_width = min(widest_name, (width - reach) * (0.47 if blocks == 1 else 0.27))
        cell = min(HEATMAP_MAX_CELL, (width - reach - blocks * name_width - (blocks - 1) * HEATMAP_BLOCK_GAP) / (blocks * columns))
        if cell * math.sin(math.radians(angle)) >= HEATMAP_LABEL_SPACING:
            break
    header_rows = (longest_label * math.sin(math.radians(angle)) + 8) / (HEATMAP_ROW_INCHES * DPI)
    return _HeatmapLayout(blocks, math.ceil(rows / blocks), name_width, cell, angle, header_rows)


def heatmap(names: list[str], groups: list[str], classes: np.ndarray, column_labels: list[str]) -> Chart:
    """Rows (units, provinces) × columns (indicators) coloured by attainment class.

    A line separates consecutive groups (levels). A list longer than HEATMAP_BLOCK_ROWS is set
    in two blocks side by side, like newspaper columns: a province of a hundred communes gives
    a chart half as tall, whose column labels stay within reach. x is in pixels, y in rows.
    """
    rows, columns = classes.shape
    font = _font(HEATMAP_FONT_SIZE * DPI / 72, False)
    names, column_labels = [text(name) for name in names], [text(label) for label in column_labels]
    layout = _heatmap_layout(rows, columns, names, column_labels, font)
    bottom_rows = 0.5
    figure = Figure(figsize=(WIDTH_INCHES, HEATMAP_ROW_INCHES * (layout.header_rows + layout.per_block + bottom_rows)), dpi=DPI)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_axis_off()
    chart = Chart(figure, axes)
    colormap = ListedColormap([NO_RATE_COLOR, *ATTAINMENT_COLORS])
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5, 4.5], colormap.N)
    for block in range(layout.blocks):
        first, last = block * layout.per_block, min(rows, (block + 1) * layout.per_block)
        left = block * (layout.name_width + columns * layout.cell + HEATMAP_BLOCK_GAP) + layout.name_width
        right, height = left + columns * layout.cell, last - first
        axes.imshow(classes[first:last], cmap=colormap, norm=norm, extent=(left, right, height, 0), aspect="auto", interpolation="nearest")
        axes.vlines(left + layout.cell * np.arange(columns + 1), 0, height, color="white", linewidth=0.8)
        axes.hlines(np.arange(height + 1), left, right, color="white", linewidth=0.5)
        boundaries = [row - first for row in range(first + 1, last) if groups[row] != groups[row - 1]]
        axes.hlines(boundaries, left - layout.name_width, right, color="#555555", linewidth=1.2)
        for row in range(first, last):
            chart.write(left - 4, row - first + 0.5, _fit(names[row], font, layout.name_width - 8), size=HEATMAP_FONT_SIZE, anchor="rm")
        for column, column_label in enumerate(column_labels):
            chart.write(left + (column + 0.5) * layout.cell, -0.2, column_label, size=HEATMAP_FONT_SIZE, angle=layout.angle)
    axes.set_xlim(0, WIDTH_INCHES * DPI)
    axes.set_ylim(layout.per_block + bottom_rows, -layout.header_rows)
    return chart


def movers_chart(rises: pd.DataFrame, falls: pd.DataFrame, catalogue: Catalogue, language: str) -> Chart | None:
    """The largest rises and falls since last month: one bar per unit and indicator."""
    items = [*rises.itertuples(), *falls.itertuples()]
    if not items:
        return None
    span = max(abs(float(item.delta_pp)) for item in items)
    chart = _chart(ROW_INCHES * (len(items) + 0.5) + 0.3)
    axes = chart.axes
    positions = np.arange(len(items))
    deltas = [float(item.delta_pp) for item in items]
    axes.barh(positions, deltas, height=0.34, color=[RISE_COLOR if value > 0 else FALL_COLOR for value in deltas], zorder=2)
    axes.vlines([0] * len(items), positions - 0.3, positions + 0.3, color="#666666", linewidth=0.8)  # zero line under the bars only
    for position, item in zip(positions, items):
        name = f"{item.unit_name} — {catalogue.indicator(item.indicator).short(language)}"
        change = (
            f"{format_signed(item.delta_pp, language=language)} {label('pp', language)}: "
            f"{format_percent(item.previous_rate, language=language)} → {format_percent(item.rate, language=language)}"
        )
        chart.write(-span, position - 0.22, name)
        chart.write(span * 1.08, position, change, size=7.5, anchor="lm")
    axes.set_xlim(-span * 1.02, span * 2.6)
    axes.set_ylim(len(items) - 0.5, -0.9)
    return chart


def trend_chart(aggregates: pd.DataFrame, catalogue: Catalogue, language: str, whole_name: str | None = None) -> Chart | None:
    """Small multiples in one axes: per indicator, the province's and each level's rate by month.

    Each scope (and each target) is one line through every panel, broken between panels. The
    legend names the toan_tinh scope ``whole_name`` when given (the national summary's country)
    and lists only the targets drawn.
    """
    trend = figures.trend_frame(aggregates)
    periods = sorted(trend["period"].unique())
    if len(periods) < 2:
        return None
    indicators = figures.indicators_present(aggregates, catalogue)
    levels = figures.levels_present(aggregates, catalogue)
    columns, panel_width, panel_height, gap_x, gap_y = 2, 10.0, 10.0, 2.2, 4.0
    panel_rows = (len(indicators) + 1 + columns - 1) // columns
    step = panel_width / (len(periods) - 1)
    month = {period: index for index, period in enumerate(periods)}
    panel = {indicator: index for index, indicator in enumerate(indicators)}
    scopes = [(WHOLE_PROVINCE, "black", 2.0), *((level, LEVEL_COLORS[index % len(LEVEL_COLORS)], 1.1) for index, level in enumerate(levels))]
    targets = (("central_target", CENTRAL_COLOR, "chart_central"), ("provincial_target", PROVINCIAL_COLOR, "chart_provincial"))

    def origin(index: int) -> tuple[float, float]:
        """Left edge and 0% line of a panel."""
        return gap_x + (index % columns) * (panel_width + gap_x * 1.6), (index // columns) * (panel_height + gap_y) + panel_height + gap_y

    # (line, panel) → points; a line is a scope's rate or a target of the whole province.
    points: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for record in trend[trend["indicator"].isin(panel)].to_dict("records"):
        left, bottom = origin(panel[record["indicator"]])
        x = left + month[record["period"]] * step
        keys = [(record["level"], "rate")] + ([(WHOLE_PROVINCE, column) for column, _, _ in targets] if record["level"] == WHOLE_PROVINCE else [])
        for scope, column in keys:
            if not pd.isna(record[column]):
                points.setdefault((f"{scope}:{column}", panel[record["indicator"]]), []).append((x, bottom - float(record[column]) * panel_height))
    figure = Figure(figsize=(WIDTH_INCHES, 2.0 * panel_rows + 0.2), dpi=DPI)
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_axis_off()
    chart = Chart(figure, axes)
    for index, indicator in enumerate(indicators):
        left, bottom = origin(index)
        axes.hlines([bottom - panel_height * share for share in (0, 0.5, 1)], left, left + panel_width, color=GRID_COLOR, linewidth=0.6)
        for share in (0, 0.5, 1):
            chart.write(left - 0.3, bottom - panel_height * share, f"{format_number(share * 100, language=language)}%", size=6.5, color=MUTED, anchor="rm")
        chart.write(left, bottom - panel_height - 1.2, catalogue.indicator(indicator).short(language), bold=True)
        chart.write(left, bottom + 0.6, f"{periods[0][5:7]}/{periods[0][:4]}", size=6.5, color=MUTED, anchor="la")
        chart.write(left + panel_width, bottom + 0.6, f"{periods[-1][5:7]}/{periods[-1][:4]}", size=6.5, color=MUTED, anchor="ra")
    lines = [(f"{WHOLE_PROVINCE}:{column}", {"color": color, "linestyle": "--", "linewidth": 1}) for column, color, _ in targets]
    lines += [(f"{scope}:rate", {"color": color, "linewidth": width, "marker": "o", "markersize": 2.5}) for scope, color, width in scopes]
    for name, style in lines:
        x, y = _broken_line([points.get((name, index), []) for index in range(len(indicators))])
        if x.size:
            axes.plot(x, y, **style)
    drawn = tuple(target for target in targets if any((f"{WHOLE_PROVINCE}:{target[0]}", index) in points for index in range(len(indicators))))
    names = {scope: whole_name if scope == WHOLE_PROVINCE and whole_name else catalogue.level_name(scope, language) for scope, _, _ in scopes}
    _trend_legend(chart, len(indicators), columns, panel_width, panel_height, gap_x, gap_y, scopes, names, drawn, language)
    axes.set_xlim(0, columns * (panel_width + gap_x * 1.6))
    axes.set_ylim(panel_rows * (panel_height + gap_y) + 1.5, 0)
    return chart


def _broken_line(segments: list[list[tuple[float, float]]]) -> tuple[np.ndarray, np.ndarray]:
    """One polyline through several panels, broken (NaN) between them: one artist, not one per panel."""
    xs: list[float] = []
    ys: list[float] = []
    for segment in segments:
        if segment:
            xs += [x for x, _ in segment] + [np.nan]
            ys += [y for _, y in segment] + [np.nan]
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)


def _trend_legend(
    chart: Chart, slot: int, columns: int, width: float, height: float, gap_x: float, gap_y: float,
    scopes: list[tuple[str, str, float]], names: dict[str, str], targets: tuple[tuple[str, str, str], ...], language: str,
) -> None:
    """The legend drawn by hand in the first free panel slot (a Legend artist costs an axes)."""
    left = gap_x + (slot % columns) * (width + gap_x * 1.6)
    top = (slot // columns) * (height + gap_y) + gap_y
    entries = [(names[scope], color, "-") for scope, color, _ in scopes]
    entries += [(label(name, language), color, "--") for _, color, name in targets]
    for index, (name, color, style) in enumerate(entries):
        y = top + index * 1.6
        chart.axes.plot([left, left + 1.6], [y, y], color=color, linestyle=style, linewidth=1.6)
        chart.write(left + 2.1, y, name, size=7.5, anchor="lm")


def render(chart: Chart) -> Image.Image:
    """The chart as an RGB image: matplotlib draws the graphics, Pillow writes the labels."""
    canvas = FigureCanvasAgg(chart.figure)
    canvas.draw()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    draw = ImageDraw.Draw(image)
    positions = chart.axes.transData.transform([(item.x, item.y) for item in chart.texts]) if chart.texts else []
    for item, (x, y) in zip(chart.texts, positions):
        font = _font(item.size * DPI / 72, item.bold)
        # matplotlib counts pixels from the bottom, Pillow from the top.
        if item.angle:
            _write_rotated(image, (x, height - y), item, font)
        else:
            draw.text((x, height - y), item.text, font=font, fill=item.color, anchor=item.anchor)
    return image


def _write_rotated(image: Image.Image, position: tuple[float, float], item: ChartText, font: ImageFont.FreeTypeFont) -> None:
    """Write the label on a tile, rotate the tile, and paste it so that its anchor lands on ``position``."""
    left, top, right, bottom = font.getbbox(item.text, anchor=item.anchor)
    pad = 2
    tile = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
    anchor = (pad - left, pad - top)
    ImageDraw.Draw(tile).text(anchor, item.text, font=font, fill=255, anchor=item.anchor)
    rotated = tile.rotate(item.angle, resample=Image.Resampling.BICUBIC, expand=True)
    # The anchor's offset from the tile's centre, turned counter-clockwise (y points down).
    theta = math.radians(item.angle)
    dx, dy = anchor[0] - tile.width / 2, anchor[1] - tile.height / 2
    moved = (rotated.width / 2 + dx * math.cos(theta) + dy * math.sin(theta), rotated.height / 2 - dx * math.sin(theta) + dy * math.cos(theta))
    image.paste(Image.new("RGB", rotated.size, item.color), (round(position[0] - moved[0]), round(position[1] - moved[1])), rotated)


def figure_html(chart: Chart, alt: str) -> str:
    """The chart as an embedded palette PNG in a data URI (the report needs no other file)."""
    return image_html(render(chart), alt)


def matplotlib_html(figure: Figure, alt: str) -> str:
    """A plain matplotlib figure (its own text included), embedded like the report's charts."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    width, height = canvas.get_width_height()
    return image_html(Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB"), alt)


def image_html(image: Image.Image, alt: str) -> str:
    compact = io.BytesIO()
    image.quantize(colors=PALETTE_COLORS, method=Image.Quantize.FASTOCTREE).save(compact, format="PNG")
    encoded = base64.b64encode(compact.getvalue()).decode("ascii")
    return f'<figure class="chart"><img src="data:image/png;base64,{encoded}" alt="{escape(alt)}" width="{image.width}" height="{image.height}"></figure>'
