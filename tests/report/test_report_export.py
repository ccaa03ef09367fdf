"""The HTML export, the index page and atomic writes, on notebooks built here (no kernel)."""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from helpers.report import export
from helpers.report.batch import FAILED_DIR_NAME
from helpers.atomic import write_atomic
from helpers.report.export import ANALYST_ONLY_TAG, export_html
from helpers.report.headline import Headline, HeadlineFigure, sidecar_path, sidecar_text
from helpers.report.html import Html
from helpers.report.index_page import figure_columns, write_index
from helpers.report.stylesheet import NOTEBOOK_SCOPE, STYLESHEET, scope_stylesheet, stylesheet
from helpers.report.toolkit import Sections, Tile, header


def _headline(province: str = "binh_dinh", period: str = "2024-02", kind: str = "monthly", **values: object) -> Headline:
    fields = {
        "kind": kind, "kind_label": f"Báo cáo {kind}", "title": f"Báo cáo {period} <b>{province}</b>", "province": province,
        "province_name": f"tỉnh {province}", "period": period, "language": "vi",
        "figures": (HeadlineFigure("online_dossiers", "Hồ sơ trực tuyến", "91,9%", "good"), HeadlineFigure("checks", "Cần xem lại", "26", "partial")),
    }
    fields.update(values)
    return Headline(**fields)


def _executed_notebook() -> nbformat.NotebookNode:
    """What papermill leaves: the header (with its stylesheet for JupyterLab), outputs of
    sections, an analyst note, stderr, the headline."""
    notebook = nbformat.v4.new_notebook()
    sections = Sections()
    top = str(header("Báo cáo tháng", "Tiêu đề", "Số liệu tháng 02/2024", [Tile("5/7", "chỉ tiêu đạt", "partial")]))
    header_output = nbformat.v4.new_output("execute_result", data={"text/html": top}, execution_count=1)
    first = nbformat.v4.new_output("display_data", data={"text/html": str(sections.section("summary", "Tóm tắt", "Điều cần thấy", Html("<p>bảng</p>")))})
    second = nbformat.v4.new_output("display_data", data={"text/html": str(sections.section("checks", "Kiểm tra số liệu", ""))})
    warning = nbformat.v4.new_output("stream", name="stderr", text="UserWarning: something internal\n")
    headline = nbformat.v4.new_output("display_data", data=_headline()._repr_mimebundle_())
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Ghi chú cho chuyên viên", metadata={"tags": [ANALYST_ONLY_TAG]}),
        nbformat.v4.new_code_cell("report = open_report(...)\nreport.header()", outputs=[header_output, first]),
        nbformat.v4.new_code_cell("display(report.data_checks())", outputs=[warning, second]),
        nbformat.v4.new_code_cell("report.headline()", outputs=[headline]),
    ]
    return notebook


@pytest.fixture(scope="module")
def exported() -> tuple[str, Headline | None]:
    return export_html(_executed_notebook())


def test_export_shows_outputs_only(exported):
    html, _ = exported
    assert "open_report" not in html and "report.headline" not in html  # no code
    assert "Ghi chú cho chuyên viên" not in html  # analyst-only cells
    assert "UserWarning" not in html  # stderr
    assert "In&nbsp;[" not in html and "Out[" not in html  # no prompts
    assert "<h1>Tiêu đề</h1>" in html


def test_export_is_self_contained(exported):
    html, _ = exported
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert not soup.find_all("link")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert not re.search(r"mathjax|require\.js|cdn", html, re.IGNORECASE)
    assert soup.find("meta", attrs={"name": "viewport"}) is not None and soup.find("style") is not None


def test_export_takes_out_the_headline_and_titles_the_page(exported):
    html, headline = exported
    assert headline == _headline()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text() == headline.title and "91,9%" not in html
    assert soup.html["lang"] == "vi"


def test_table_of_contents_lists_the_sections_before_the_first(exported):
    html, _ = exported
    soup = BeautifulSoup(html, "html.parser")
    links = [(link["href"], link.get_text()) for link in soup.select("nav.toc a")]
    assert links == [("#summary", "1. Tóm tắt"), ("#checks", "2. Kiểm tra số liệu")]
    assert soup.select_one("nav.toc summary").get_text() == "Mục lục"
    assert html.index("<h1>Tiêu đề</h1>") < html.index('class="toc"') < html.index('id="summary"')


def test_the_page_holds_each_output_as_the_kernel_wrote_it(exported):
    """No pass parses the whole page again to write it anew (nbconvert's own last pass did, at
    half the cost of a report's export, reordering attributes and entities)."""
    html, _ = exported
    contents = str(export.table_of_contents([("summary", "1. Tóm tắt"), ("checks", "2. Kiểm tra số liệu")], "vi"))
    assert contents in html


def test_write_atomic_never_leaves_half_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    report = tmp_path / "binh_dinh" / "2024-02.html"
    write_atomic(report, "good report")
    assert report.read_text(encoding="utf-8") == "good report"

    def fail(*_arguments: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomic(report, "half")
    assert report.read_text(encoding="utf-8") == "good report"
    assert sorted(path.name for path in report.parent.iterdir()) == ["2024-02.html"]


def _publish(reports: Path, headline: Headline, name: str) -> Path:
    report = reports / headline.province / name
    write_atomic(report, "<html></html>")
    write_atomic(sidecar_path(report), sidecar_text(headline, report, "2024-03-05T10:00:00"))
    return report


def test_index_links_every_report_newest_first_grouped_by_kind_and_province(tmp_path: Path):
    reports = tmp_path / "reports"
    _publish(reports, _headline(period="2024-02"), "2024-02.html")
    _publish(reports, _headline(period="2024-03"), "2024-03.html")
    _publish(reports, _headline(kind="index766", figures=(HeadlineFigure("total", "Điểm 766", "78,49"),)), "2024-02-766.html")
    _publish(reports, _headline(province="gia_lai", synthetic=True), "2024-02.html")
    _publish(reports, _headline(language="en"), "2024-02.en.html")
    _publish(reports, _headline(kind="survey", kind_label="Khảo sát <mức độ hài lòng>"), "2024-02-survey.html")
    orphan = _publish(reports, _headline(period="2024-04"), "2024-04.html")
    orphan.unlink()  # a headline without its report is not listed
    soup = BeautifulSoup(write_index(reports).read_text(encoding="utf-8"), "html.parser")
    groups = [heading.get_text(" ", strip=True) for heading in soup.find_all("h2")]
    assert groups == [  # in the registry's order, headed as it says: the monthly indicators before the 766 index
        "Báo cáo chỉ tiêu hằng tháng — tỉnh binh_dinh", "Monthly indicator report — tỉnh binh_dinh (en)",
        "Báo cáo chỉ tiêu hằng tháng — tỉnh gia_lai dữ liệu mô phỏng", "Bộ chỉ số 766 — tỉnh binh_dinh",
        "Khảo sát <mức độ hài lòng> — tỉnh binh_dinh",  # a kind the registry does not know: last, by its own label
    ]
    monthly = soup.find_all("table")[0]
    assert [link["href"] for link in monthly.find_all("a")] == ["binh_dinh/2024-03.html", "binh_dinh/2024-02.html"]
    assert [cell.get_text() for cell in monthly.find_all("th")] == ["Tháng", "Hồ sơ trực tuyến", "Cần xem lại"]
    assert "good" in monthly.find("td", string="91,9%")["class"]
    assert soup.find("script") is None


def _rank_headline(province: str, period: str, rank: str, change: str, *figures: HeadlineFigure) -> Headline:
    """A 766 headline as the page makes it: the rank's change in the figure's detail."""
    return _headline(
        province=province, period=period, kind="index766", period_label=f"Ngày {period}",
        figures=(HeadlineFigure("total", "Tổng điểm của tỉnh", "66,23/100", "partial"), *figures,
                 HeadlineFigure("rank", "Xếp hạng của tỉnh", rank, "good", change), HeadlineFigure("checks", "Loại số liệu cần xem lại", "0", "good")),
    )


def _figures_of(table) -> list[dict[str, str]]:
    heads = [cell.get_text() for cell in table.find_all("th")]
    return [dict(zip(heads, (cell.get_text() for cell in row.find_all("td")))) for row in table.find("tbody").find_all("tr")]


def test_every_province_of_a_kind_has_the_same_columns_whatever_its_labels(tmp_path: Path):
    reports = tmp_path / "reports"
    _publish(reports, _rank_headline("gia_lai", "2026-10-10", "04/34", "tăng 6 bậc", HeadlineFigure("delta", "Điểm so với kỳ trước", "+3,49", "good")), "766-2026-10-10.html")
    _publish(reports, _rank_headline("gia_lai", "2026-09-24", "10/34", "chưa có kỳ so sánh"), "766-2026-09-24.html")
    # Hà Nội's source has no province total: its own figures, its own labels
    _publish(reports, _headline(province="ha_noi", period="2026-10-10", kind="index766", period_label="Ngày 10/10/2026", figures=(
        HeadlineFigure("total", "Nguồn chưa có tổng điểm của tỉnh", "–"), HeadlineFigure("units", "Đơn vị được đánh giá", "120"),
        HeadlineFigure("checks", "Loại số liệu cần xem lại", "2", "partial", "5 đơn vị"))), "766-2026-10-10.html")
    soup = BeautifulSoup(write_index(reports).read_text(encoding="utf-8"), "html.parser")
    tables = soup.find_all("table")
    heads = [[cell.get_text() for cell in table.find_all("th")] for table in tables]
    assert heads[0] == heads[1] == ["Kỳ số liệu", "Tổng điểm của tỉnh", "Điểm so với kỳ trước", "Xếp hạng của tỉnh", "Đơn vị được đánh giá", "Loại số liệu cần xem lại"]
    gia_lai, ha_noi = _figures_of(tables[0]), _figures_of(tables[1])
    # the rank's change is in its value, never in the column's name; each row keeps its own
    assert [row["Xếp hạng của tỉnh"] for row in gia_lai] == ["04/34 (tăng 6 bậc)", "10/34 (chưa có kỳ so sánh)"]
    assert [row["Điểm so với kỳ trước"] for row in gia_lai] == ["+3,49", ""]
    assert ha_noi[0]["Tổng điểm của tỉnh"] == "–" and ha_noi[0]["Đơn vị được đánh giá"] == "120" and ha_noi[0]["Xếp hạng của tỉnh"] == ""
    assert ha_noi[0]["Loại số liệu cần xem lại"] == "2 (5 đơn vị)"


def test_a_figure_whose_label_differs_keeps_its_value():
    older = _headline(figures=(HeadlineFigure("rank", "Xếp hạng của tỉnh (giảm 2 bậc)", "12/34"),))
    newer = _headline(figures=(HeadlineFigure("total", "Tổng điểm", "70,00"), HeadlineFigure("rank", "Xếp hạng của tỉnh (tăng 6 bậc)", "06/34")))
    assert figure_columns([newer, older]) == {"total": "Tổng điểm", "rank": "Xếp hạng của tỉnh (tăng 6 bậc)"}
    assert list(figure_columns([older, newer])) == ["total", "rank"]  # a key another report lacks goes where it comes in that report


def _failed_render(reports: Path, label: str, notebook: str, parameters: dict[str, object]) -> Path:
    """What the runner keeps of a failed job: the executed notebook, with papermill's record of it."""
    executed = nbformat.v4.new_notebook(metadata={"papermill": {"input_path": f"/somewhere/notebooks/{notebook}", "parameters": parameters}})
    path = reports / FAILED_DIR_NAME / f"{label}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, path)
    return path


def test_a_report_whose_latest_render_failed_is_marked_as_not_up_to_date(tmp_path: Path):
    reports = tmp_path / "reports"
    failed = _publish(reports, _headline(period="2024-02"), "2024-02.html")
    _publish(reports, _headline(period="2024-03"), "2024-03.html")
    _publish(reports, _headline(period="2024-02", language="en"), "2024-02.en.html")
    for report in reports.rglob("*.html"):
        os.utime(report, (1_700_000_000, 1_700_000_000))
    kept = _failed_render(reports, "binh_dinh_2024-02", "monthly_report.ipynb", {"province": "binh_dinh", "month": "2024-02", "language": "vi", "data_dir": "data"})
    _failed_render(reports, "broken", "monthly_report.ipynb", {"province": "gia_lai", "month": "2024-02"})  # no such report: marks nothing
    soup = BeautifulSoup(write_index(reports).read_text(encoding="utf-8"), "html.parser")
    vietnamese, english = soup.find_all("table")
    rows = _figures_of(vietnamese)
    day = datetime.fromtimestamp(kept.stat().st_mtime).strftime("%d/%m/%Y")
    assert [(row["Tháng"], row["Tình trạng"]) for row in rows] == [
        ("tháng 03/2024", ""), ("tháng 02/2024", f"chưa cập nhật: lần dựng gần nhất bị lỗi (ngày {day})"),
    ]
    assert "stale" in vietnamese.find("td", string=re.compile("chưa cập nhật"))["class"]
    assert "Tình trạng" not in [cell.get_text() for cell in english.find_all("th")]  # the English report rendered fine
    assert rows[1]["Hồ sơ trực tuyến"] == "91,9%"  # the last good report stays listed, with its figures
    os.utime(failed, None)  # a report written after the failure is up to date
    assert "chưa cập nhật" not in write_index(reports).read_text(encoding="utf-8")


def test_export_module_reads_its_template_from_the_package():
    assert (export.TEMPLATE_BASE / export.TEMPLATE_NAME / "index.html.j2").is_file()
    assert (export.TEMPLATE_BASE / "page.html.j2").is_file()
    assert STYLESHEET.is_file()


def _head(html: str) -> list[tuple[str, dict[str, object]]]:
    soup = BeautifulSoup(html, "html.parser")
    return [(tag.name, tag.attrs) for tag in soup.head.find_all(True)]


def test_the_index_page_and_a_report_share_one_page_shell(exported, tmp_path: Path):
    report, _ = exported
    reports = tmp_path / "reports"
    _publish(reports, _headline(), "2024-02.html")
    index = write_index(reports).read_text(encoding="utf-8")
    assert _head(index) == _head(report) == [("meta", {"charset": "utf-8"}), ("meta", {"name": "viewport", "content": "width=device-width, initial-scale=1"}), ("title", {}), ("style", {})]
    report_soup, index_soup = BeautifulSoup(report, "html.parser"), BeautifulSoup(index, "html.parser")
    assert report_soup.style.get_text() == index_soup.style.get_text() and report_soup.style.get_text().strip() == stylesheet().strip()
    for soup in (report_soup, index_soup):
        assert [child.name for child in soup.body.find_all(True, recursive=False)] == ["main"] and soup.main["class"] == ["report"]
        assert soup.html["lang"] == "vi"
    assert report.startswith("<!DOCTYPE html>\n") and index.startswith("<!DOCTYPE html>\n")
    assert report_soup.title.get_text() == "Báo cáo 2024-02 <b>binh_dinh</b>" and index_soup.title.get_text() == "Báo cáo chỉ tiêu dịch vụ công"

    def untitled(html: str) -> str:
        return re.sub(r"<title>.*?</title>", "<title></title>", html.split("<body>")[0])

    assert untitled(report) == untitled(index)  # the same head, character for character


def test_the_report_header_carries_the_stylesheet_for_jupyterlab_and_the_page_has_one(exported):
    """In JupyterLab there is no page shell: the header's output brings report.css, scoped to
    the output areas; the exported page drops that copy and keeps its own one stylesheet."""
    top = BeautifulSoup(str(header("Báo cáo tháng", "Tiêu đề", "", [Tile("5/7", "chỉ tiêu đạt", "bad")])), "html.parser")
    (style,) = top.find_all("style")
    rules = style.get_text()
    assert ".jp-OutputArea-output td.bad" in rules and ".jp-OutputArea-output .swatch.good" in rules and ".jp-OutputArea-output .kpis" in rules
    assert "--bad:" in rules  # the colours' custom properties hold inside the output area
    html, _ = exported
    page = BeautifulSoup(html, "html.parser")
    assert len(page.find_all("style")) == 1 and html.count("<style") == 1
    assert NOTEBOOK_SCOPE not in html and page.find("div", class_="kpis") is not None


def test_the_scoped_stylesheet_never_styles_jupyterlab_outside_an_output():
    css = "body { margin: 0 } :root { --a: 1 } h2, .kpi > b { color: red } @media print { main.report, td { x: y } } @page { size: A4 }"
    scoped = scope_stylesheet(css, ".out")
    assert scoped == ".out { --a: 1 }\n.out h2, .out .kpi > b { color: red }\n@media print {\n.out td { x: y }\n}"
    every_rule = scope_stylesheet(stylesheet(), ".out")
    selectors = re.findall(r"(?m)^([^@}\s][^{]*)\{", every_rule)
    assert selectors and all(part.strip().startswith(".out") for selector in selectors for part in selector.split(","))
