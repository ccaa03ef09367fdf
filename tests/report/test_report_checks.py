"""The data checks as a report shows them: one line per kind with its count, the rows behind a
<details>, the most serious kind first; the header's figure counts kinds and units, not rows."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from report_data import BUNDLED_MONTH, PROVINCE

from helpers.analysis.monthly.checks import CHECK_COLUMNS
from helpers.context import Context
from helpers.report import checks_view
from helpers.report.index766.page import open_page
from helpers.report.monthly.page import open_report


def _check(code: str, severity: str, unit: str | None, indicator: str = "online_payment", **params: object) -> dict[str, object]:
    row: dict[str, object] = dict.fromkeys(CHECK_COLUMNS)
    row.update(kind="monthly", period=BUNDLED_MONTH, province=PROVINCE, severity=severity, check=code, level="cap_xa" if unit else "toan_tinh",
               unit_id=unit, unit_name=f"Xã {unit}" if unit else None, indicator=indicator, params=params)
    return row


@pytest.fixture(scope="module")
def made_checks() -> pd.DataFrame:
    """Five units' targets below the floor (one of them twice), two rate mismatches, one negative count, three new units."""
    rows = [_check("target_below_floor", "warning", f"u{number % 5}", assigned_rate=0.5, floor_rate=0.8, tier="provincial") for number in range(6)]
    rows += [_check("rate_mismatch", "warning", None, reported_rate=0.5, recomputed_rate=0.6, numerator=6, denominator=10) for _ in range(2)]
    rows += [_check("negative_count", "error", "u9", value=-3)]
    rows += [_check("unit_new", "info", f"n{number}") for number in range(3)]
    return pd.DataFrame(rows, columns=CHECK_COLUMNS).sample(frac=1, random_state=1)  # order must not come from the frame's


def _kinds(html: object) -> list[tuple[str, str, str, int]]:
    """Per kind line: severity, title, count, and how many rows its table holds."""
    soup = BeautifulSoup(str(html), "html.parser")
    return [
        (kind.select_one(".check-severity").get_text(), kind.select_one(".check-title").get_text(), kind.select_one(".check-count").get_text(),
         len(kind.select("tbody tr")))
        for kind in soup.select("details.check-kind")
    ]


def test_one_line_per_kind_with_its_count_the_rows_behind_it_most_serious_first(made_checks, bundled_data):
    catalogue = Context.load(bundled_data).catalogue
    assert _kinds(checks_view.grouped_checks(made_checks, catalogue, "vi")) == [
        ("Sai số liệu", "Số đếm âm", "1 đơn vị", 1),
        ("Cần xem lại", "Chỉ tiêu được giao thấp hơn mức tối thiểu", "6 trường hợp ở 5 đơn vị", 6),  # more rows before fewer
        ("Cần xem lại", "Tỷ lệ báo cáo khác tỷ lệ tính lại", "2 trường hợp", 2),  # a whole level's checks name no unit
        ("Lưu ý", "Đơn vị mới so với tháng trước", "3 đơn vị", 3),
    ]
    english = _kinds(checks_view.grouped_checks(made_checks, catalogue, "en"))
    assert [(title, count) for _, title, count, _ in english][:2] == [("Negative counts", "1 unit"), ("Assigned targets below the minimum", "6 cases in 5 units")]
    soup = BeautifulSoup(str(checks_view.grouped_checks(made_checks, catalogue, "vi")), "html.parser")
    assert soup.find("script") is None and not soup.select("details[open]")  # every list closed, no script
    first = soup.select_one("details.check-kind")
    assert first.select_one("summary") is first.find(recursive=False) and first.select_one("td.message").get_text().startswith("Số đếm âm (-3)")


def test_the_header_counts_kinds_and_units_not_rows(made_checks):
    tile = checks_view.review_tile(made_checks, "vi")
    # errors and warnings: three kinds, in six units (u0..u4 and u9); the notes are not counted
    assert (tile.value, tile.what, tile.detail, tile.css, tile.key) == ("3", "loại số liệu cần xem lại", "6 đơn vị", "partial", "checks")
    calm = checks_view.review_tile(made_checks[made_checks["severity"] == "info"], "en")
    assert (calm.value, calm.detail, calm.css) == ("0", "", "good")


def test_the_monthly_report_shows_its_checks_by_kind(bundled_data):
    report = open_report(bundled_data, PROVINCE, BUNDLED_MONTH)
    checks = report.analysis.month_checks
    kinds = _kinds(report.data_checks())
    assert len(kinds) == checks["check"].nunique() < len(checks)
    assert sum(rows for *_, rows in kinds) == len(checks)
    assert kinds[0][1:3] == ("Chỉ tiêu được giao thấp hơn mức tối thiểu", "14 đơn vị")
    figure = {figure.key: figure for figure in report.headline().figures}["checks"]
    doubtful = checks[checks["severity"].isin(["error", "warning"])]
    assert figure.value == str(doubtful["check"].nunique()) and figure.detail == f"{doubtful['unit_id'].nunique()} đơn vị"
    header = BeautifulSoup(str(report.header()), "html.parser")
    assert f"{figure.value} loại số liệu cần xem lại ({figure.detail})" in header.select_one(".kpis").get_text(" ", strip=True)


def test_the_766_report_shows_its_checks_by_kind_and_its_rank_change_beside_the_figure(ingested):
    page = open_page(ingested.workspace.data_dir, "gia_lai")
    kinds = _kinds(page.data_checks())
    assert [title for _, title, _, _ in kinds] == ["Đồng điểm, Cổng xếp liên tiếp", "Không tính lại được điểm"]
    assert sum(rows for *_, rows in kinds) == len(page.analysis.checks)
    rank = {figure.key: figure for figure in page.headline().figures}["rank"]
    assert (rank.label, rank.value, rank.detail) == ("Xếp hạng của tỉnh", "04/34", "chưa có kỳ so sánh")
