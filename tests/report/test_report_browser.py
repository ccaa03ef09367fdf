"""The reports in a real browser: Debian's headless Chromium opens the index, follows a link,
and every image, console message and request is checked. Screenshots go to test-artifacts/.

Chromium is required, not optional: `make test` installs it (scripts/setup-system.sh), and a missing browser fails here.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright
from report_data import BUNDLED_MONTH, LATER_MONTHS, PROVINCE

from helpers.paths import PROJECT_ROOT

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


def _open_from_index(index: Path, link: str, user_data: Path, name: str) -> tuple[list[str], list[dict[str, object]], int, int]:
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
            page.click(f'a[href="{link}"]')
            page.wait_for_load_state("load")
            assert page.url == (index.parent / link).as_uri()
            images = _images_loaded(page)
            page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"))
            for viewport in (DESKTOP, PHONE):
                page.set_viewport_size(viewport)
                _assert_readable(page, viewport["width"])
            width = page.evaluate("() => document.documentElement.scrollWidth")
            page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
            page.emulate_media(media="print")
            page.pdf(path=str(ARTIFACTS / f"{name}.pdf"), format="A4", prefer_css_page_size=True)
            return watch.problems, images, width, PHONE["width"]
        finally:
            browser.close()


SMALLEST_TEXT_PX = 11


def _assert_readable(page: Page, viewport: int) -> None:
    """No sideways page scroll; chart text ≥ 11 CSS px as displayed; the summary's verdict in view;
    a wide table's first (name) cell still in view after the table is scrolled sideways."""
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport
    charts = page.evaluate(
        "() => Array.from(document.querySelectorAll('figure.chart img'), image => "
        "({alt: image.alt, text: Number(image.dataset.textPx), shown: image.getBoundingClientRect().width, natural: image.naturalWidth}))"
    )
    for chart in charts:
        assert chart["text"] * chart["shown"] / chart["natural"] >= SMALLEST_TEXT_PX, (viewport, chart)
    verdicts = page.evaluate("() => Array.from(document.querySelectorAll('#T_summary td.assessment'), cell => cell.getBoundingClientRect().right)")
    assert verdicts and max(verdicts) <= viewport, (viewport, verdicts)
    names = page.evaluate(
        """() => Array.from(document.querySelectorAll('.table-scroll'), box => {
            if (box.scrollWidth <= box.clientWidth) return null;
            box.scrollLeft = box.scrollWidth;
            const cell = box.querySelector('tbody td'), left = box.getBoundingClientRect().left;
            const result = cell.getBoundingClientRect().left - left;
            box.scrollLeft = 0;
            return result;
        }).filter(offset => offset !== null)"""
    )
    assert all(abs(offset) <= 2 for offset in names), (viewport, names)


def _assert_printed_on_a4(pdf: Path) -> None:
    """Every word inside its page (pdftotext -bbox), and a table that runs on repeats its header row."""
    layout = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', layout, re.S)
    assert pages
    for number, (width, height, words) in enumerate(pages, 1):
        assert abs(min(float(width), float(height)) - A4_POINTS[0]) < 2 and abs(max(float(width), float(height)) - A4_POINTS[1]) < 2
        right = max((float(x) for x in re.findall(r'xMax="([\d.]+)"', words)), default=0.0)
        assert right <= float(width), (number, right, width)
    texts = [re.sub(r"<[^>]+>", " ", words) for _, _, words in pages]
    continued = [text for text in texts[1:] if "▼" in text and "Phụ lục" not in text]  # appendix pages after its first
    assert continued and all("Hồ sơ trực tuyến" in " ".join(text.split()[:40]) for text in continued), "the appendix header is repeated"


def test_index_and_real_report_open_cleanly_in_chromium(bundled_reports: Path, tmp_path: Path):
    problems, images, width, viewport = _open_from_index(
        bundled_reports / "index.html", f"{PROVINCE}/{BUNDLED_MONTH}.html", tmp_path / "profile", f"report-{PROVINCE}-{BUNDLED_MONTH}"
    )
    assert problems == []
    assert len(images) == 2 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport, "the page scrolls sideways on a phone: wide tables must scroll inside their box"
    _assert_printed_on_a4(ARTIFACTS / f"report-{PROVINCE}-{BUNDLED_MONTH}.pdf")


def test_report_with_trends_and_movers_loads_every_chart(multi_reports: Path, tmp_path: Path):
    problems, images, width, viewport = _open_from_index(
        multi_reports / "index.html", f"{PROVINCE}/{LATER_MONTHS[-1]}.html", tmp_path / "profile", f"report-{PROVINCE}-{LATER_MONTHS[-1]}"
    )
    assert problems == []
    assert len(images) == 4 and all(image["complete"] and image["width"] > 0 for image in images), images
    assert width <= viewport
