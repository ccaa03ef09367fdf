"""An unchanged ingest skips its work (helpers.ingest.manifest), and never skips wrongly: a change to
a raw file, the catalogue, the unit registry, the code, a library, or the processed file itself
ingests again; a failed folder is never recorded, so it fails (and says why) on every run."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.cli import main
from helpers.fingerprint import source_fingerprint
from helpers.ingest import manifest as manifest_module

MONTH = Path("raw") / "binh_dinh" / "2024-02"
PUBLISHED = MONTH / "so_lieu_cong_bo_bao_cao_2024-02.csv"
PROCESSED_MONTH = Path("processed") / "binh_dinh" / "2024-02.parquet"
LABELS = ("binh_dinh 2024-02", "binh_phuoc 766", "gia_lai 766", "ha_noi 766")


@pytest.fixture
def ingested(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["ingest", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    return data_dir


def _run(data: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, dict[str, bool]]:
    """The exit code, and for each month or 766 province whether it was skipped as unchanged."""
    code = main(["ingest", "--data-dir", str(data), *options])
    lines = capsys.readouterr().out.splitlines()
    skipped = {}
    for label in LABELS:
        (line,) = [line for line in lines if f"{label}:" in line]
        skipped[label] = "unchanged" in line
    return code, skipped


def _stamps(data: Path) -> dict[str, int]:
    return {str(path.relative_to(data)): path.stat().st_mtime_ns for path in sorted((data / "processed").rglob("*")) if path.is_file()}


def test_an_unchanged_ingest_reads_and_writes_nothing(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _stamps(ingested)
    code, skipped = _run(ingested, capsys)
    assert code == 0 and all(skipped.values()), skipped
    assert _stamps(ingested) == before


def _append(relative: Path | str, text: str = "\n") -> Callable[[Path], None]:
    def change(data: Path) -> None:
        path = data / relative
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")

    return change


def _code_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "source_fingerprint", lambda: "other code")


def _library_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "_version", lambda library: f"{library} 99.0")


EVERYTHING = set(LABELS)
CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "a raw file's bytes": (_append(PUBLISHED), {"binh_dinh 2024-02"}),
    "a file added to the month": (lambda data: (data / MONTH / "ghi_chu.md").write_text("ghi chú", encoding="utf-8"), {"binh_dinh 2024-02"}),
    "a file removed from the month": (lambda data: (data / PUBLISHED).unlink(), {"binh_dinh 2024-02"}),
    "a file renamed": (lambda data: (data / PUBLISHED).rename(data / MONTH / "so_lieu_2024-02.csv"), {"binh_dinh 2024-02"}),
    "a 766 file": (lambda data: _append(next((data / "raw" / "gia_lai" / "766").glob("*.json")), " ")(data), {"gia_lai 766"}),
    "the catalogue": (_append(Path("catalogue") / "levels.csv"), EVERYTHING),
    "the unit registry": (_append(Path("units") / "aliases.csv"), EVERYTHING),
    "the processed month removed": (lambda data: (data / PROCESSED_MONTH).unlink(), {"binh_dinh 2024-02"}),
    "the processed month changed": (lambda data: (data / PROCESSED_MONTH).write_bytes(b"not the file that was written"), {"binh_dinh 2024-02"}),
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_change_ingests_again_what_it_touches(change: str, ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    alter, touched = CHANGES[change]
    alter(ingested)
    code, skipped = _run(ingested, capsys)
    assert code == 0
    assert {label for label, was_skipped in skipped.items() if not was_skipped} == touched
    assert _run(ingested, capsys)[1] == dict.fromkeys(LABELS, True), "the new ingest was not recorded"


@pytest.mark.parametrize("alter", [_code_changed, _library_changed], ids=["the code", "a library's version"])
def test_new_code_or_libraries_ingest_everything(alter: Callable[[pytest.MonkeyPatch], None], ingested: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    alter(monkeypatch)
    code, skipped = _run(ingested, capsys)
    assert code == 0 and not any(skipped.values()), skipped


def test_force_ingests_everything(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, skipped = _run(ingested, capsys, "--force")
    assert code == 0 and not any(skipped.values())


def test_a_damaged_manifest_ingests_everything(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (ingested / "processed" / manifest_module.MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    code, skipped = _run(ingested, capsys)
    assert code == 0 and not any(skipped.values())


def test_a_failed_month_is_never_skipped(ingested: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = (ingested / PUBLISHED).read_text(encoding="utf-8")
    written = (ingested / PROCESSED_MONTH).read_bytes()
    manifest = (ingested / "processed" / manifest_module.MANIFEST_NAME).read_bytes()
    (ingested / PUBLISHED).write_text(good.replace("toan_tinh", "toan_quoc", 1), encoding="utf-8")
    messages = []
    for _ in range(2):
        assert main(["ingest", "--data-dir", str(ingested)]) == 1
        shown = capsys.readouterr()
        assert "binh_dinh 2024-02: FAILED" in shown.out and "'toan_quoc'" in shown.out
        messages.append(shown.out)
        assert (ingested / PROCESSED_MONTH).read_bytes() == written
        assert (ingested / "processed" / manifest_module.MANIFEST_NAME).read_bytes() == manifest
    assert messages[0] == messages[1]
    (ingested / PUBLISHED).write_text(good, encoding="utf-8")
    code, skipped = _run(ingested, capsys)
    assert code == 0 and skipped["binh_dinh 2024-02"], "the file on disk was made from exactly these inputs"
    assert (ingested / PROCESSED_MONTH).read_bytes() == written


def test_the_code_fingerprint_follows_every_source_file(tmp_path: Path) -> None:
    package = tmp_path / "helpers"
    shutil.copytree(Path(manifest_module.__file__).resolve().parents[1] / "ingest", package / "ingest")
    before = source_fingerprint(package)
    module = package / "ingest" / "manifest.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert source_fingerprint(package) != before
