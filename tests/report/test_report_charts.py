"""Charts: one style on matplotlib and seaborn, every word from the catalogue, compact embedded PNGs."""

from __future__ import annotations

import base64
import io
import re
import subprocess
import sys

import pytest
import seaborn
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text
from PIL import Image
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE

from helpers.analysis.index766.analysis import analyse_index766
from helpers.analysis.monthly.month import analyse_month
from helpers.context import Context
from helpers.messages import load_catalogue, messages
from helpers.report import charts
from helpers.report.charts import rates, style
from helpers.report.monthly import figures

# Every Vietnamese letter with every tone, lower and upper case.
VIETNAMESE = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵđ"
# The letters only Vietnamese uses: an English chart shows them only inside names (data).
ONLY_VIETNAMESE = set(VIETNAMESE + VIETNAMESE.upper()) - set("aeiouyAEIOUY")


@pytest.fixture(scope="module")
def bundled(bundled_data):
    context = Context.load(bundled_data)
    return context, analyse_month(context, PROVINCE, BUNDLED_MONTH)


@pytest.fixture(scope="module")
def later(multi_month_data):
    context = Context.load(multi_month_data)
    return context, analyse_month(context, PROVINCE, LATER_MONTHS[1])


def _monthly_charts(context: Context, analysis, language: str) -> dict[str, Figure]:
    rises, falls = figures.movers(analysis.month.units, 2.0, 5)
    drawn = {
        "laggards": charts.laggard_chart(figures.laggards(analysis.month.units), context.catalogue, language, 5),
        "heatmap": charts.attainment_heatmap(analysis.month.units, context.catalogue, language),
        "movers": charts.movers_chart(rises, falls, context.catalogue, language),
        "trends": charts.trend_chart(analysis.results.aggregates, context.catalogue, language),
    }
    assert all(figure is not None for figure in drawn.values()), drawn
    return drawn


def _texts(figure: Figure) -> list[str]:
    return [text.get_text() for text in figure.findobj(Text) if text.get_text() and text.get_visible()]


def _chart_words(language: str) -> set[str]:
    """The fixed words of the charts' messages in one language (the parts between parameters)."""
    words = set()
    for key, entry in load_catalogue(language).items():
        if key.startswith("charts."):
            for text in [entry] if isinstance(entry, str) else entry.values():
                words.update(part.strip(" ·—:()/→") for part in re.split(r"\{[^}]*\}", text))
    return {word for word in words if len(word) > 2}


def test_the_chart_font_has_every_vietnamese_letter_and_every_name_drawn(bundled):
    context, _ = bundled
    drawn = VIETNAMESE + VIETNAMESE.upper() + "·—→−%"
    drawn += "".join(str(entry) for entry in load_catalogue("vi").values()) + "".join(unit.name_vi for unit in context.registry.units.values())
    drawn += "".join(indicator.short("vi") + indicator.name("vi") for indicator in context.catalogue.indicators.values())
    characters = {character for character in style.composed(drawn) if character.isprintable() and not character.isspace()}
    for weight in ("normal", "bold"):
        with style.matplotlib.rc_context(style.theme()):
            path = font_manager.findfont(FontProperties(family="sans-serif", weight=weight), fallback_to_default=False)
        assert "DejaVuSans" in path
        assert not characters - {chr(code) for code in FT2Font(path).get_charmap()}


def test_every_chart_word_comes_from_the_catalogue_in_its_language(bundled, later):
    """An English chart shows no Vietnamese word (names are data), a Vietnamese one no English word."""
    context, analysis = later
    whole = {style.composed(name) for name in analysis.month.units["unit_name"]}
    cut = {rates._shortened(name, characters) for name in whole for characters in rates.HEATMAP_NAME_CHARACTERS}  # the heatmap's
    names = sorted(whole | cut, key=len, reverse=True)
    english, vietnamese = _chart_words("en"), _chart_words("vi")
    for language, own, other in (("en", english, vietnamese), ("vi", vietnamese, english)):
        texts = [text for figure in _monthly_charts(context, analysis, language).values() for text in _texts(figure)]
        without_names = []
        for text in texts:
            for name in names:
                text = text.replace(name, "")
            without_names.append(text)
        shown = " ".join(without_names)
        assert any(word in shown for word in own), (language, shown[:300])
        assert not [word for word in other - own if word in shown], (language, [word for word in other - own if word in shown])
        if language == "en":
            assert not set(shown) & ONLY_VIETNAMESE, [text for text in without_names if set(text) & ONLY_VIETNAMESE]
    laggards = _texts(charts.laggard_chart(figures.laggards(bundled[1].month.units), bundled[0].catalogue, "en", 5))
    assert any(text.startswith("Sở Tư pháp · 99.3% · 0.7 pp short · 11 more dossiers needed") for text in laggards), laggards
    assert rates._bar_label("X", 0.5, 10.0, 1234.0, "dossiers", messages("en")) == "X · 50% · 10 pp short · 1,234 more dossiers needed"
    assert rates._bar_label("X", 0.5, 10.0, 1234.0, "hồ sơ", messages("vi")) == "X · 50% · thiếu 10 điểm % · cần thêm 1.234 hồ sơ"


def test_the_766_charts_speak_the_report_language(ingested):
    analysis = analyse_index766(ingested, "gia_lai")
    for figure in (charts.group_chart(analysis, "en"), charts.stakes_chart(analysis, 5, "en")):
        texts = " ".join(_texts(figure))
        assert "Points" in texts and "Điểm" not in texts, texts
    texts = " ".join(_texts(charts.group_chart(analysis, "vi")))
    assert "Điểm tối đa" in texts and "Maximum" not in texts, texts
    assert _png(str(charts.figure_html(charts.stakes_chart(analysis, 5, "vi"), "stakes"))).width == round(style.WIDTH_INCHES * style.DPI)


def test_the_heatmap_is_drawn_by_seaborn(bundled, monkeypatch):
    context, analysis = bundled
    calls = []
    heatmap = seaborn.heatmap
    monkeypatch.setattr(rates.seaborn, "heatmap", lambda *args, **kwargs: calls.append(kwargs) or heatmap(*args, **kwargs))
    figure = charts.attainment_heatmap(analysis.month.units, context.catalogue, "vi")
    assert len(calls) == 1 and calls[0]["ax"] is figure.axes[0]
    assert calls[0]["cmap"].colors[1:] == list(style.palette().attainment)


def test_the_palette_is_report_css(bundled):
    css = (style.resources.files("helpers.report") / "report.css").read_text(encoding="utf-8")
    colours = style.palette()
    for colour in (colours.ink, colours.accent, colours.no_rate, *colours.attainment):
        assert colour in css


def test_charts_keep_no_global_state(bundled):
    """The theme holds while a chart is built, and pyplot's rcParams are left as they were."""
    context, analysis = bundled
    before = dict(style.matplotlib.rcParams)
    figure = charts.attainment_heatmap(analysis.month.units, context.catalogue, "vi")
    assert dict(style.matplotlib.rcParams) == before
    assert figure.get_facecolor()[:3] == pytest.approx(tuple(int(style.palette().paper[i:i + 2], 16) / 255 for i in (1, 3, 5)))


def test_decomposed_names_are_drawn_composed():
    assert style.composed("Thu\u0309y") == "Thủy"


def _png(html: str) -> Image.Image:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert match, "the chart is an embedded PNG"
    return Image.open(io.BytesIO(base64.b64decode(match.group(1))))


def test_laggard_chart_is_a_compact_embedded_png(bundled):
    context, analysis = bundled
    figure = charts.laggard_chart(figures.laggards(analysis.month.units), context.catalogue, "vi", 5)
    html = str(charts.figure_html(figure, 'Đơn vị "chưa đạt" <b>'))
    image = _png(html)
    assert image.format == "PNG" and image.width == round(style.WIDTH_INCHES * style.DPI)
    assert f'width="{image.width}" height="{image.height}"' in html
    assert 'alt="Đơn vị &#34;chưa đạt&#34; &lt;b&gt;"' in html or 'alt="Đơn vị &quot;chưa đạt&quot; &lt;b&gt;"' in html
    assert len(html) < 300_000


def test_no_laggard_chart_when_every_unit_meets_its_target(bundled):
    context, _ = bundled
    assert charts.laggard_chart({}, context.catalogue, "vi", 5) is None


def test_trends_need_two_months_and_movers_need_changes(bundled, later):
    context, analysis = bundled
    assert charts.trend_chart(analysis.results.aggregates, context.catalogue, "vi") is None
    empty = analysis.month.units.iloc[0:0]
    assert charts.movers_chart(empty, empty, context.catalogue, "vi") is None
    context, analysis = later
    assert _png(str(charts.figure_html(charts.trend_chart(analysis.results.aggregates, context.catalogue, "en"), "trends"))).height > 0


def test_attainment_classes():
    assert [charts.attainment_class(value) for value in (0.2, 0.5, 0.89, 0.95, 1.0, 1.3)] == [0, 1, 1, 2, 3, 3]


def test_trends_label_every_month_fit_the_axis_and_say_why_a_panel_is_empty(later):
    context, analysis = later
    aggregates = analysis.results.aggregates.copy()
    empty = next(iter(figures.indicators_present(aggregates, context.catalogue)))
    aggregates.loc[aggregates["indicator"] == empty, "rate"] = float("nan")
    figure = charts.trend_chart(aggregates, context.catalogue, "vi")
    panels = [axes for axes in figure.axes if axes.axison]
    months = sorted(aggregates["period"].unique())
    assert [label.get_text() for label in panels[-1].get_xticklabels()] == [f"{month[5:7]}/{month[2:4]}" for month in months]
    assert messages("vi")("charts.trends.no_data") in _texts(figure)
    for axes in panels[1:]:
        low, high = axes.get_ylim()
        assert high - low < 1.0, "the y-axis is fitted to the panel's rates and targets, not fixed at 0–100%"
    assert rates._labelled_months(12) == [2, 5, 8, 11] and rates._labelled_months(5) == [0, 1, 2, 3, 4]


def test_every_chart_text_is_at_least_11_px_at_natural_width(bundled, later):
    for name, figure in _monthly_charts(*later, "vi").items():
        assert style.smallest_text_px(figure) >= 11, name
    context, analysis = bundled
    figure = charts.attainment_heatmap(analysis.month.units, context.catalogue, "vi")
    assert style.smallest_text_px(figure) >= 11 and figure.get_figwidth() < style.WIDTH_INCHES


def test_the_monthly_report_imports_neither_the_766_analysis_nor_its_readers():
    """Each report's kernel imports its page: the 766 charts and readers (openpyxl among them)
    are imported when a 766 report asks for them."""
    probe = "import sys; import helpers.report.monthly.page; print(sorted(m for m in sys.modules if m.split('.')[0] == 'openpyxl' or 'index766' in m))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    assert loaded == "[]"
    assert charts.group_chart.__module__ == "helpers.report.charts.index766"
