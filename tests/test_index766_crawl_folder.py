"""The whole real Gia Lai crawl folder as a new user copies it into raw/gia_lai/766/ (the 19 JSON
files of the shared data's crawler_gia_lai/ and its Gia Lai unit lists): one file that cannot be
read (the month-2 reply, whose name has no capture date) is left out and named, the command
exits 1 and says so again when run again; the 34-province table and the unit lists of 02/10,
which disagree on the province's total and five groups, are six warnings, each source's figure
kept; the report's data checks show them in Vietnamese and English."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers.analysis.index766.analysis import analyse_index766
from helpers.cli import main
from helpers.context import Context
from helpers.ingest.index766 import left_out_files, load_index766_sources
from helpers.paths import DEFAULT_DATA_DIR as DATA, PROJECT_ROOT
from helpers.report.batch import render
from helpers.report.checks_view import describe_checks
from helpers.report.index766.tables import subtitle
from helpers.report.kinds import INDEX766, Selection

TESTS = PROJECT_ROOT / "tests" / "data"
SOURCES = (DATA / "raw" / "gia_lai" / "766", TESTS / "index766", TESTS / "index766_history", TESTS / "index766_crawl")
CRAWL_FILES = {
    *(f"{kind}_GiaLai_{day}.json" for kind in ("agencies", "communes") for day in ("23092026", "24092026", "02102026", "03102026", "04102026", "05102026", "10102026")),
    "agencies_detail_GiaLai_24092026.json", "agencies_detail_GiaLai_10102026.json",
    "raw_Provinces_year_2026_02102026.json", "raw_Provinces_year_2026_10102026.json", "service_results_month_2026_2.json",
}
FAILED = "service_results_month_2026_2.json"
# 02/10/2026: the province's figures in raw_Provinces_year_2026_02102026.json (data.evaluation[5])
# and in the unit lists' overview (kept): (field, national table, overview).
DISAGREEING = [
    ("totalScore", 65.22, 65.47), ("groupScores.TDGQ", 17.02, 17.12), ("groupScores.CLGQ", 9.11, 9.13),
    ("groupScores.TTTT", 7.01, 7.09), ("groupScores.MDHL", 10.92, 10.91), ("groupScores.MDSH", 9.37, 9.43),
]


def crawl_folder(root: Path) -> Path:
    """A data directory whose raw/gia_lai/766/ is the whole crawl folder, nothing renamed."""
    shutil.copytree(DATA / "units", root / "units")
    folder = root / "raw" / "gia_lai" / "766"
    folder.mkdir(parents=True)
    for source in SOURCES:
        for path in source.glob("*.json"):
            shutil.copy(path, folder / path.name)
    assert {path.name for path in folder.iterdir()} == CRAWL_FILES
    return root


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """The folder after ``python -m helpers ingest``: the exit code, its output and its errors."""
    root = crawl_folder(tmp_path_factory.mktemp("crawl") / "data")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ingest", "--data-dir", str(root)])
    return root, code, out.getvalue(), err.getvalue()


def test_the_crawl_folder_is_ingested_but_for_the_one_file_that_cannot_be_read(ingested: tuple[Path, int, str, str]) -> None:
    root, code, out, err = ingested
    assert code == 1
    assert "gia_lai 766: 7 snapshot(s), 149 units, 7938 rows → " in out
    assert "gia_lai 766: FAILED: 1 file(s) left out, the others ingested (1 problem(s)):" in out
    assert (f"/raw/gia_lai/766/{FAILED}, record (file name): expected a file name ending in "
            "<year|quarter|month>_<YYYY>[_<N>]_<DDMMYYYY> (period and date taken)") in out
    assert out.count("expected a file name ending in") == 1
    assert f"Failed (1): gia_lai 766 {FAILED}. Ingested all the same: 0 month(s), 1 province(s) of the 766 index." in err
    assert "gia_lai 766: 6 warning(s): sources of one snapshot disagree" in out
    for field, national, overview in DISAGREEING:
        assert (f"/raw/gia_lai/766/raw_Provinces_year_2026_02102026.json, record data.evaluation[5], field {field}: points {national}, "
                f"where file data/raw/gia_lai/766/agencies_GiaLai_02102026.json, record overview, field {field} gives {overview} (kept)") in out
    assert out.count(" (kept)") == 6
    tidy, disagreeing = load_index766_sources(Context.load(root).workspace, "gia_lai")
    snapshots = set(zip(tidy["period_kind"], tidy["period"], tidy["snapshot_date"]))
    assert snapshots == {("month", "2026-03", "2026-09-23"), *(("year_to_date", "2026", day) for day in ("2026-09-24", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-10"))}
    province = tidy[(tidy["level"] == "toan_tinh") & (tidy["measure"] == "total")].set_index("snapshot_date")
    # The province's own overview for its points, the table of every province for its rank.
    assert province.loc["2026-10-02", ["points", "rank", "rank_base"]].tolist() == [65.47, 6, 34]
    assert province.loc["2026-10-10", ["points", "rank", "rank_base"]].tolist() == [66.23, 4, 34]
    # Each source's own row of the figures they disagree on: two overviews and the national table.
    assert len(disagreeing) == 18 and set(disagreeing["snapshot_date"]) == {"2026-10-02"}
    assert sorted(disagreeing.loc[disagreeing["measure"] == "total", "points"]) == [65.22, 65.47, 65.47]


def test_run_again_with_nothing_changed_it_says_so_again(ingested: tuple[Path, int, str, str], capsys: pytest.CaptureFixture[str]) -> None:
    root = ingested[0]
    assert main(["ingest", "--data-dir", str(root)]) == 1
    out, err = capsys.readouterr()
    assert "unchanged (not read again)" not in out and "FAILED: 1 file(s) left out" in out and "6 warning(s)" in out
    assert f"Failed (1): gia_lai 766 {FAILED}." in err
    manifest = json.loads((root / "processed" / ".manifest.json").read_text(encoding="utf-8")) if (root / "processed" / ".manifest.json").is_file() else {}
    assert "gia_lai/766" not in manifest


def test_the_report_lists_the_disagreement_in_both_languages(ingested: tuple[Path, int, str, str]) -> None:
    context = Context.load(ingested[0])
    analysis = analyse_index766(context, "gia_lai")
    assert analysis.snapshot.snapshot_date == "2026-10-10"
    found = analysis.checks[analysis.checks["check"] == "sources_disagree"]
    assert len(found) == 6 and set(found["severity"]) == {"warning"}
    vi = describe_checks(found, context.catalogue, "vi", analysis.rules)
    en = describe_checks(found, context.catalogue, "en", analysis.rules)
    assert list(zip(vi["found"], vi["expected"])) == [(f"{national:.2f}".replace(".", ","), f"{overview:.2f}".replace(".", ",")) for _, national, overview in DISAGREEING]
    assert vi.iloc[0]["location"] == "tệp raw_Provinces_year_2026_02102026.json, bản ghi data.evaluation[5], trường totalScore"
    assert vi.iloc[0]["message"] == (
        "Ngày 02/10/2026, hai nguồn cho tổng điểm khác nhau: 65,22 trong raw_Provinces_year_2026_02102026.json, 65,47 trong "
        "agencies_GiaLai_02102026.json, communes_GiaLai_02102026.json (có thể do thu thập vào hai thời điểm khác nhau). "
        "Báo cáo dùng 65,47, không sửa số nào; cần đối chiếu"
    )
    assert en.iloc[1]["message"].startswith("On 02/10/2026, two sources give the points differently: 17.02 in raw_Provinces_year_2026_02102026.json, 17.12 in ")
    # The month-3 capture is analysed only with months; the 24/09 page has no 02/10 warning.
    month = analyse_index766(context, "gia_lai", period_kind="month")
    assert (month.snapshot.period, month.previous) == ("2026-03", None) and not (month.checks["check"] == "sources_disagree").any()
    assert not (analyse_index766(context, "gia_lai", "24/09/2026").checks["check"] == "sources_disagree").any()


def test_every_page_says_which_file_it_is_made_without(ingested: tuple[Path, int, str, str]) -> None:
    context = Context.load(ingested[0])
    assert left_out_files(context.workspace, "gia_lai") == [FAILED]
    for analysis in (analyse_index766(context, "gia_lai"), analyse_index766(context, "gia_lai", period_kind="month")):
        found = analysis.checks[analysis.checks["check"] == "file_left_out"]
        assert len(found) == 1 and found.iloc[0]["severity"] == "warning" and found.iloc[0]["source_file"] == FAILED
        vi = describe_checks(found, context.catalogue, "vi", analysis.rules).iloc[0]
        assert vi["message"].startswith(f"Tệp {FAILED} không đọc được nên không có trong trang này") and vi["location"] == f"tệp {FAILED}"
        assert describe_checks(found, context.catalogue, "en", analysis.rules).iloc[0]["message"].startswith(f"The file {FAILED} cannot be read")


@pytest.mark.slow
def test_the_report_of_the_crawl_folder_renders_with_its_history_rank_and_warning(ingested: tuple[Path, int, str, str], tmp_path: Path) -> None:
    context = Context.load(ingested[0])
    jobs = INDEX766.jobs(context, Selection(("gia_lai",), laggards=5), tmp_path / "reports")
    assert [job.output.name for job in jobs] == ["766-month-2026-03-2026-09-23.html", "766-2026-09-24.html", "766-2026-10-10.html"]
    result = render(jobs[-1], tmp_path / "failed")
    assert result.ok, result.message
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)\b.*?</\1>", "", jobs[-1].output.read_text(encoding="utf-8"), flags=re.S)))
    # Six captures of the year to date (the month-3 capture is not among them), the national rank where the table has it.
    assert "24/09/2026 62,74 – " in text and "02/10/2026 65,47 06/34 " in text and "10/10/2026 66,23 04/34 " in text
    assert "23/09/2026" not in text and "33,36" not in text
    assert "Hai nguồn cùng kỳ cho số liệu khác nhau — 6 trường hợp ở 1 đơn vị" in text
    # 05/10, the capture compared with, has no national table: the rank is compared with 02/10's, and says so.
    assert "04/34 xếp hạng của tỉnh (tăng 2 bậc so với 06/34 ngày 02/10/2026)" in text
    assert "Xếp hạng của tỉnh 04/34 tăng 2 bậc (06/34 ngày 02/10/2026)" in text
    assert "Xếp hạng 04/34 , tăng 2 bậc (từ vị trí 06/34 ngày 02/10/2026)." in text
    assert "Ngày 02/10/2026, hai nguồn cho tổng điểm khác nhau: 65,22 trong raw_Provinces_year_2026_02102026.json" in text
    assert "Tệp không đọc được, đã bỏ qua" in text and f"Tệp {FAILED} không đọc được nên không có trong trang này" in text


def test_the_month_2_reply_named_with_its_capture_date_is_a_page_of_its_own(tmp_path: Path) -> None:
    """Renamed as the adapter asks, the month-2 reply is month 2 captured on 23/09, beside month 3
    captured the same day: each its own page, month 3 compared with month 2 (by period), month 2
    with nothing, the year to date with neither."""
    root = crawl_folder(tmp_path / "data")
    folder = root / "raw" / "gia_lai" / "766"
    (folder / FAILED).rename(folder / "service_results_month_2026_2_23092026.json")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["ingest", "--data-dir", str(root)]) == 0
    context = Context.load(root)
    jobs = INDEX766.jobs(context, Selection(("gia_lai",)), tmp_path / "reports")
    assert [job.output.name for job in jobs] == [
        "766-month-2026-02-2026-09-23.html", "766-month-2026-03-2026-09-23.html", "766-2026-09-24.html", "766-2026-10-10.html",
    ]
    assert [job.parameters["period"] for job in jobs] == ["2026-02", "2026-03", "2026", "2026"]
    february = analyse_index766(context, "gia_lai", "23/09/2026", "month", "2026-02")
    march = analyse_index766(context, "gia_lai", "23/09/2026", "month", "2026-03")
    assert (february.snapshot.period, february.previous) == ("2026-02", None)
    assert march.previous is not None and march.previous.period == "2026-02"
    assert march.province_total["score"] == 33.36
    assert not (march.checks["check"] == "file_left_out").any() and left_out_files(context.workspace, "gia_lai") == []  # every file read
    assert subtitle(march) == "Tháng 03/2026, số liệu ngày 23/09/2026 (so sánh với tháng 02/2026, số liệu ngày 23/09/2026)."
    assert subtitle(march, "en") == "March 2026, data of 23/09/2026 (compared with February 2026, taken 23/09/2026)."
    year = analyse_index766(context, "gia_lai", "24/09/2026")
    assert year.previous is None and {snapshot.period_kind for snapshot in year.snapshots} == {"year_to_date"}
