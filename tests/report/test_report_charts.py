"""Charts: Vietnamese letters drawn from the font, compact embedded PNGs, nothing when nothing to show."""

from __future__ import annotations

import base64
import io
import re

import pytest
from matplotlib.ft2font import FT2Font
from PIL import Image
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE

from helpers.context import Context
from helpers.analysis.monthly.month import analyse_month
from helpers.report import charts
from helpers.report.monthly import figures
from helpers.report.labels import LABELS

# Every Vietnamese letter with every tone, lower and upper case.
VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"


@pytest.fixture(scope="module")
def bundled(bundled_data):
    context = Context.load(bundled_data)
    return context, analyse_month(context, PROVINCE, BUNDLED_MONTH)


def _font_characters(bold: bool) -> set[str]:
    return {chr(code) for code in FT2Font(charts.font_path(bold)).get_charmap()}


def test_the_chart_font_has_every_vietnamese_letter_and_every_name_drawn(bundled):
    context, _ = bundled
    drawn = VIETNAMESE + VIETNAMESE.upper() + "·—→−%"
    drawn += "".join(LABELS["vi"].values()) + "".join(unit.name_vi for unit in context.registry.units.values())
    drawn += "".join(indicator.short("vi") + indicator.name("vi") for indicator in context.catalogue.indicators.values())
    characters = {character for character in charts.text(drawn) if character.isprintable() and not character.isspace()}
    for bold in (False, True):
        assert not characters - _font_characters(bold)
    assert charts.font_path().endswith("DejaVuSans.ttf") and charts.font_path(True).endswith("DejaVuSans-Bold.ttf")


def test_labels_are_written_onto_the_chart(bundled):
    """Pillow writes the labels: the image differs from the same chart without them."""
    context, analysis = bundled
    chart = charts.laggard_chart(figures.laggards(analysis.month.units), context.catalogue, "vi", 5)
    assert any(item.text.startswith("Sở Tư pháp · 99,3%") for item in chart.texts)
    with_labels = charts.render(chart)
    chart.texts.clear()
    without = charts.render(chart)
    assert with_labels.size == without.size and with_labels.tobytes() != without.tobytes()


def test_charts_draw_no_matplotlib_text(bundled):
    """Every label goes through the Pillow layer, whose font is checked above."""
    context, analysis = bundled
    chart = charts.attainment_heatmap(analysis.month.units, context.catalogue, "vi")
    assert len(chart.axes.texts) == 0 and len(chart.figure.texts) == 0
    assert {item.angle for item in chart.texts} == {0.0, 40.0}


def test_decomposed_names_are_drawn_composed():
    assert charts.text("Thu\u0309y") == "Thủy"


def _png(html: str) -> Image.Image:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert match, "the chart is an embedded PNG"
    return Image.open(io.BytesIO(base64.b64decode(match.group(1))))


def test_laggard_chart_is_a_compact_embedded_png(bundled):
    context, analysis = bundled
    figure = charts.laggard_chart(figures.laggards(analysis.month.units), context.catalogue, "vi", 5)
    html = charts.figure_html(figure, 'Đơn vị "chưa đạt" <b>')
    image = _png(html)
    assert image.format == "PNG" and image.width == round(charts.WIDTH_INCHES * charts.DPI)
    assert f'width="{image.width}" height="{image.height}"' in html
    assert 'alt="Đơn vị &quot;chưa đạt&quot; &lt;b&gt;"' in html
    assert len(html) < 300_000


def test_no_laggard_chart_when_every_unit_meets_its_target(bundled):
    context, _ = bundled
    assert charts.laggard_chart({}, context.catalogue, "vi", 5) is None


def test_trends_need_two_months_and_movers_need_changes(bundled, multi_month_data):
    context, analysis = bundled
    assert charts.trend_chart(analysis.results.aggregates, context.catalogue, "vi") is None
    empty = analysis.month.units.iloc[0:0]
    assert charts.movers_chart(empty, empty, context.catalogue, "vi") is None
    context = Context.load(multi_month_data)
    later = analyse_month(context, PROVINCE, LATER_MONTHS[1])
    assert _png(charts.figure_html(charts.trend_chart(later.results.aggregates, context.catalogue, "en"), "trends")).height > 0
    rises, falls = figures.movers(later.month.units, 2.0, 5)
    assert charts.movers_chart(rises, falls, context.catalogue, "vi") is not None


def test_attainment_classes():
    assert [charts.attainment_class(value) for value in (0.2, 0.5, 0.89, 0.95, 1.0, 1.3)] == [0, 1, 1, 2, 3, 3]
