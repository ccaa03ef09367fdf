"""The reports in a real browser: Debian's headless Chromium opens the index, follows a link,
and every image, console message and request is checked, at a phone's width (390 px) and a
laptop's (1280 px), and printed to A4. The monthly report on the bundled month, on three months
and on a year of demo data; the national summary of that year; the 766 page of Gia Lai.
Screenshots and PDFs go to test-artifacts/.

Chromium is required, not optional: `make test` installs it (scripts/setup-system.sh), and a missing browser fails here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageColor
from playwright.sync_api import Page, sync_playwright
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE, YEAR_DEMO, YEAR_PROVINCE

from helpers.analysis.monthly.engine import NATIONAL
from helpers.context import Context
from helpers.paths import PROJECT_ROOT
from helpers.report.batch import run_jobs
from helpers.report.charts.style import css_colours
from helpers.report.index_page import write_index
from helpers.report.kinds import INDEX766, Selection

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 1400}
A4_POINTS = (595.0, 842.0)
NARROW = 760  # report.css: below this width a phone's layout
MONTHLY_VERDICTS = "#T_summary td.assessment"


class PageWatch:
    """Console errors, page errors, failed requests and any request that leaves the file."""

    def __init__(self, page: Page) -> None:
        self.problems: list[str] = []
        page.on("console", lambda message: self.problems.append(f"console {message.type}: {message.text}") if message.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"failed request: {request.url}"))
        page.on("request", lambda request: None if request.url.startswith(("file://", "data:")) else self.problems.append(f"request to {request.url}"))


def _images_loaded(page: Page) -> list[dict[str, object]]:
    return page.evaluate("() => Array.from(document.images, image => ({alt: image.alt, complete: image.complete, width: image.naturalWidth}))")


def _open_from_index(
    index: Path, link: str, user_data: Path, name: str, verdicts: str | None = MONTHLY_VERDICTS,
) -> tuple[list[str], list[dict[str, object]], int, int, list[str]]:
    """Open ``link`` from the index; check it at both widths; print it to test-artifacts/<name>.pdf.

    Returns the problems seen, the images, the page's width on a phone, the phone's width, and
    texts from inside each closed ``<details>`` (which the printed page must carry)."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium, as scripts/setup-system.sh does)"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(user_data), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS, viewport=DESKTOP
        )
        try:
            page = browser.new_page()
            watch = PageWatch(page)
            page.goto(index.as_uri(), wait_until="load")
            page.screenshot(path=str(ARTIFACTS / f"{name}-index.png"), full_page=True)
            clipped = page.evaluate("""() => [...document.querySelectorAll('.index-group .table-scroll')]
                .filter(box => box.scrollWidth > box.clientWidth + 1).map(box => box.closest('.index-group').querySelector('h2').textContent)""")
            assert not clipped, f"at {DESKTOP['width']} px the index hides columns of {clipped}"
            page.click(f'a[href="{link}"]')
            page.wait_for_load_state("load")
            assert page.url == (index.parent / link).as_uri()
            images = _images_loaded(page)
            page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"))
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                _assert_readable(page, viewport["width"], verdicts)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
            hidden = _closed_details_texts(page)
            page.emulate_media(media="print")
            page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), format="A4", prefer_css_page_size=True)
            return watch.problems, images, width, PHONE["width"], hidden
        finally:
            browser.close()


SMALLEST_TEXT_PX = 11


def _assert_readable(page: Page, viewport: int, verdicts: str | None) -> None:
    """No sideways page scroll; chart text ≥ 11 CSS px as displayed; a phone shows a chart's list
    instead of the chart, a laptop the chart; the verdicts (``verdicts``, a selector) in view; a wide
    table's name cell (its ``td.name``, else its first) still in view after it is scrolled sideways."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport
    charts = page.evaluate(
        "() => Array.from(document.querySelectorAll('figure.chart img'), image => "
        "({alt: image.alt, text: Number(image.dataset.textPx), shown: image.getBoundingClientRect().width, natural: image.naturalWidth}))"
    )
    shown = [chart for chart in charts if chart["shown"] > 0]  # a chart a phone shows as a list is not displayed
    assert shown, (viewport, charts)
    for chart in shown:
        assert chart["text"] * chart["shown"] / chart["natural"] >= SMALLEST_TEXT_PX, (viewport, chart)
    choices = page.evaluate(
        """() => Array.from(document.querySelectorAll('.chart-or-list'), box => ({
            chart: box.querySelector('figure.chart').getBoundingClientRect().height,
            list: box.querySelector('.chart-list').getBoundingClientRect().height,
            items: box.querySelectorAll('.chart-list li').length}))"""
    )
    for choice in choices:
        assert choice["items"] > 0 and ((choice["list"] > 0, choice["chart"] > 0) == ((True, False) if viewport < NARROW else (False, True))), (viewport, choice)
    if verdicts:
        right = page.evaluate(f"() => Array.from(document.querySelectorAll({verdicts!r}), cell => cell.getBoundingClientRect().right)")
        assert right and max(right) <= viewport, (viewport, right)
    names = page.evaluate(
        """() => Array.from(document.querySelectorAll('.table-scroll'), box => {
            if (box.scrollWidth <= box.clientWidth) return null;
            box.scrollLeft = box.scrollWidth;
            const cell = box.querySelector('tbody td.name') || box.querySelector('tbody td'), left = box.getBoundingClientRect().left;
            const result = [box.querySelector('table').id, cell.getBoundingClientRect().left - left];
            box.scrollLeft = 0;
            return result;
        }).filter(offset => offset !== null)"""
    )
    assert all(abs(offset) <= 2 for _, offset in names), (viewport, names)
    if viewport < NARROW:  # on a phone a summary, a data check, the 766 groups are cards: nothing of them out of view
        cards = page.evaluate("() => Array.from(document.querySelectorAll('table.reflow'), table => [table.id, table.closest('.table-scroll')])"
                              ".map(([id, box]) => [id, box.scrollWidth > box.clientWidth + 1])")
        assert cards and not [name for name, wide in cards if wide], f"at {viewport} px these tables of cards scroll sideways: {cards}"
    if viewport >= NARROW:  # on a laptop only the appendix (a column per figure) may scroll sideways
        clipped = page.evaluate(
            """() => Array.from(document.querySelectorAll('section.report-section'), section => [section.querySelector('h2')?.id,
                Array.from(section.querySelectorAll('.table-scroll')).filter(box => box.scrollWidth > box.clientWidth + 1).length])
                .filter(([id, wide]) => wide && id !== 'appendix')"""
        )
        assert not clipped, f"at {viewport} px these sections' tables hide columns: {clipped}"


def _closed_details_texts(page: Page) -> list[str]:
    """From each closed ``<details>``: the first table cell inside it (or its first words)."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('details:not([open])'), details => {
            const cell = Array.from(details.querySelectorAll('td')).find(td => td.textContent.trim());
            const rest = Array.from(details.childNodes).filter(node => node.nodeName !== 'SUMMARY').map(node => node.textContent).join(' ');
            return (cell ? cell.textContent : rest).trim().split(/\\s+/).slice(0, 3).join(' ');
        }).filter(text => text)"""
    )


def _pdf_words(pdf: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout.split())


def _assert_details_printed(pdf: Path, hidden: list[str]) -> None:
    """What a closed ``<details>`` holds is on paper too (paper cannot be tapped open)."""
    assert hidden
    words = _pdf_words(pdf)
    missing = [text for text in hidden if text not in words]
    assert not missing, missing


def _assert_inside_a4(pdf: Path) -> list[str]:
    """Every word inside its A4 page (pdftotext -bbox); the pages' texts."""
    layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout, re.S)
    assert pages
    for number, (width, height, words) in enumerate(pages, 1):
        assert abs(min(float(width), float(height)) - A4_POINTS[0]) < 2 and abs(max(float(width), float(height)) - A4_POINTS[1]) < 2
        right = max((float(x) for x in re.findall(r'xMax="([\d.]+)"', words)), default=0.0)
        assert right <= float(width), (number, right, width)
    return [re.sub(r"<[^>]+>", " ", words) for _, _, words in pages]


def _assert_colours_printed(pdf: Path, tmp: Path) -> None:
    """The summary's red and green cells are on paper (browsers leave out backgrounds unless told)."""
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp / "page")], check=True)
    colours = set().union(*(Image.open(page).convert("RGB").get_flattened_data() for page in sorted(tmp.glob("page*.png"))))
    for name in ("good", "bad"):
        wanted = ImageColor.getrgb(css_colours()[name])
        assert any(max(abs(a - b) for a, b in zip(colour, wanted)) <= 3 for colour in colours), name


def _assert_printed_on_a4(pdf: Path) -> None:
    """A monthly report: every word inside its page, and the appendix repeats its header row on each page."""
    texts = _assert_inside_a4(pdf)
    continued = [text for text in texts[1:] if "▼" in text and "Phụ lục" not in text]  # appendix pages after its first
    assert continued and all("Hồ sơ trực tuyến" in " ".join(text.split()[:40]) for text in continued), "the appendix header is repeated"


def test_index_and_real_report_open_cleanly_in_chromium(bundled_reports: Path, tmp_path: Path):
    name = f"report-{PROVINCE}-{BUNDLED_MONTH}"
    problems, images, width, viewport, hidden = _open_from_index(bundled_reports / "index.html", f"{PROVINCE}/{BUNDLED_MONTH}.html", tmp_path / "profile", name)
    assert problems == []
    assert len(images) == 2 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport, "the page scrolls sideways on a phone: wide tables must scroll inside their box"
    _assert_printed_on_a4(ARTIFACTS / f"{name}.pdf")
    _assert_details_printed(ARTIFACTS / f"{name}.pdf", hidden)
    _assert_colours_printed(ARTIFACTS / f"{name}.pdf", tmp_path)


def test_report_with_trends_and_movers_loads_every_chart(multi_reports: Path, tmp_path: Path):
    problems, images, width, viewport, _ = _open_from_index(
        multi_reports / "index.html", f"{PROVINCE}/{LATER_MONTHS[-1]}.html", tmp_path / "profile", f"report-{PROVINCE}-{LATER_MONTHS[-1]}"
    )
    assert problems == []
    assert len(images) == 4 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport


def test_a_year_of_demo_data_reads_on_a_phone_and_on_paper(year_reports: Path, tmp_path: Path):
    """Twelve months: laggards, heatmap, movers and a year of trends; on a phone the laggards and movers as lists."""
    month = YEAR_DEMO.periods[-1]
    name = f"report-{YEAR_PROVINCE}-{month}"
    problems, images, width, viewport, hidden = _open_from_index(year_reports / "index.html", f"{YEAR_PROVINCE}/{month}.html", tmp_path / "profile", name)
    assert problems == []
    assert len(images) == 4 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport
    _assert_printed_on_a4(ARTIFACTS / f"{name}.pdf")
    _assert_details_printed(ARTIFACTS / f"{name}.pdf", hidden)


def test_the_national_summary_reads_on_a_phone_and_on_paper(year_reports: Path, tmp_path: Path):
    month = YEAR_DEMO.periods[-1]
    name = f"national-{month}"
    problems, images, width, viewport, hidden = _open_from_index(
        year_reports / "index.html", f"{NATIONAL}/{month}.html", tmp_path / "profile", name, verdicts="#T_national_summary td:last-child",
    )
    assert problems == []
    assert len(images) == 3 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport
    _assert_inside_a4(ARTIFACTS / f"{name}.pdf")
    _assert_details_printed(ARTIFACTS / f"{name}.pdf", hidden)


@pytest.fixture(scope="module")
def reports_766(ingested: Context, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Gia Lai's latest 766 page (the bundled captures), and the index."""
    reports = tmp_path_factory.mktemp("reports766") / "reports"
    jobs = [job for job in INDEX766.jobs(ingested, Selection(("gia_lai",)), reports) if job.output.name == GIA_LAI_766]
    summary = run_jobs(jobs, workers=1, debug_dir=reports / "_failed")
    assert not summary.failed, [result.message for result in summary.failed]
    write_index(reports)
    return reports


GIA_LAI_766 = "766-2026-10-10.html"


def test_the_766_page_reads_on_a_phone_and_on_paper(reports_766: Path, tmp_path: Path):
    name = "report-gia_lai-766"
    problems, images, width, viewport, hidden = _open_from_index(reports_766 / "index.html", f"gia_lai/{GIA_LAI_766}", tmp_path / "profile", name, verdicts=None)
    assert problems == []
    assert 'id="T_groups766" class="report-table reflow"' in (reports_766 / "gia_lai" / GIA_LAI_766).read_text(encoding="utf-8")  # cards on a phone
    assert len(images) == 3 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport
    _assert_inside_a4(ARTIFACTS / f"{name}.pdf")
    _assert_details_printed(ARTIFACTS / f"{name}.pdf", hidden)
