"""Issue 13: no failed run lost or changed earlier output.

A good run (ingest, then every report with its documents and the index page) is followed, for
each of a handful of bad inputs, by a failed run as `make report` makes it: ingest, then the
reports of the month that failed. Its processed data and everything under reports/ (HTML,
.docx, .xlsx, digests, index.html) must be byte for byte what the good run left.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.paths import DEFAULT_DATA_DIR

GOOD_MONTH = Path("raw") / "binh_dinh" / "2024-02"
BAD_MONTH = Path("raw") / "binh_dinh" / "2024-03"
WORKBOOK = "phu_luc_7_chi_tieu_2024-02.xlsx"
PUBLISHED = "so_lieu_cong_bo_bao_cao_2024-02.csv"


def _truncate_workbook(month: Path) -> None:
    path = month / WORKBOOK
    path.write_bytes(path.read_bytes()[:4096])


def _misspell_a_column(month: Path) -> None:
    path = month / PUBLISHED
    path.write_text(path.read_text(encoding="utf-8").replace("numerator", "numerater", 1), encoding="utf-8")


def _only_an_xls(month: Path) -> None:
    for path in month.iterdir():
        path.unlink()
    (month / "phu_luc_2024-03.xls").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))


def _filed_under_another_month(month: Path) -> None:
    """The copy as it is: its titles and rows say 2024-02."""


BREAKAGES: dict[str, Callable[[Path], None]] = {
    "a damaged workbook": _truncate_workbook,
    "a misspelled tidy column": _misspell_a_column,
    "an .xls alone": _only_an_xls,
    "another month's files": _filed_under_another_month,
}


def _checksums(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled month ingested and rendered: reports, documents, digests and index page."""
    root = tmp_path_factory.mktemp("good-run")
    data = root / "data"
    for part in ("units", "catalogue", "documents"):
        shutil.copytree(DEFAULT_DATA_DIR / part, data / part)
    shutil.copytree(DEFAULT_DATA_DIR / GOOD_MONTH, data / GOOD_MONTH)
    assert main(["ingest", "--data-dir", str(data)]) == 0
    assert main(["report", "--data-dir", str(data), "--output-dir", str(root / "reports"), "--jobs", "1"]) == 0
    rendered = {path.relative_to(root / "reports").as_posix() for path in (root / "reports").rglob("*") if path.is_file()}
    assert "index.html" in rendered and any(name.endswith(".html") and name.startswith("binh_dinh/") for name in rendered)
    assert any(name.endswith((".docx", ".xlsx")) for name in rendered), f"no documents among {sorted(rendered)}"
    return root


@pytest.mark.parametrize("breakage", list(BREAKAGES.values()), ids=list(BREAKAGES))
def test_a_failed_run_changes_no_earlier_output(breakage: Callable[[Path], None], good_run: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "run"
    shutil.copytree(good_run, root)
    data, reports = root / "data", root / "reports"
    processed_before, reports_before = _checksums(data / "processed"), _checksums(reports)
    shutil.copytree(data / GOOD_MONTH, data / BAD_MONTH)
    breakage(data / BAD_MONTH)
    capsys.readouterr()
    assert main(["ingest", "--data-dir", str(data)]) == 1
    assert "Failed (1): binh_dinh 2024-03" in capsys.readouterr().err
    assert main(["report", "--data-dir", str(data), "--output-dir", str(reports), "--months", "2024-03", "--jobs", "1"]) == 1
    assert "Traceback" not in capsys.readouterr().err
    assert _checksums(data / "processed") == processed_before, "a failed run changed the processed data"
    assert _checksums(reports) == reports_before, "a failed run changed the reports or their documents"
