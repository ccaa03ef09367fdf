"""Bad 766 input gets a clear error (file, record or row, field, what was expected) or a
data-check row; never a silent wrong figure, and nothing already ingested is overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers.catalogue import Catalogue
from helpers.context import Context
from helpers.errors import InputError, Location
from helpers.analysis.index766.analysis import analyse_index766
from helpers.ingest.index766 import failed_files, ingest_index766, load_index766, read_province
from helpers.rules766 import load_rules
from helpers.analysis.index766.scoring import score
from helpers.analysis.index766.checks import run_checks766
from helpers.report.checks_view import describe_checks
from helpers.ingest.index766 import processed_path
from helpers.tidy766 import snapshots_in

from helpers.paths import DEFAULT_DATA_DIR as DATA

AGENCIES = "agencies_GiaLai_24092026.json"
COMMUNES = "communes_GiaLai_24092026.json"
HAND_HEADER = "snapshot_date,period_kind,period,level,unit_name,item,value\n"


def _edit(root: Path, name: str, change) -> None:
    path = root / "raw" / "gia_lai" / "766" / name
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _read_error(root: Path, province: str = "gia_lai") -> str:
    context = Context.load(root)
    with pytest.raises(InputError) as raised:
        read_province(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, province)
    return str(raised.value)


def _hand_csv(root: Path, body: str) -> None:
    folder = root / "raw" / "gia_lai" / "766"
    for path in folder.glob("*.json"):
        path.unlink()
    (folder / "hand.csv").write_text(HAND_HEADER + body, encoding="utf-8")


def test_location_names_json_records_and_fields() -> None:
    where = Location("data/raw/gia_lai/766/x.json", record="communes[3]", field="groupScores.MDSH")
    assert str(where) == "file data/raw/gia_lai/766/x.json, record communes[3], field groupScores.MDSH"


def test_missing_group_is_an_error(gia_lai_dir: Path) -> None:
    _edit(gia_lai_dir, COMMUNES, lambda document: document["communes"][3]["groupScores"].pop("MDSH"))
    message = _read_error(gia_lai_dir)
    assert f"file data/raw/gia_lai/766/{COMMUNES}, record communes[3], field groupScores: expected a score for group MDSH (Số hóa hồ sơ; written MDSH); found none" in message


def test_score_above_its_maximum_is_a_data_check_row(gia_lai_dir: Path) -> None:
    # All six groups and the total: a group row left out is an error (test_index766_adapters).
    groups = "".join(f"24/09/2026,year_to_date,2026,toan_tinh,,{group},\"{score}\"\n" for group, score in (("TDGQ", "15,8/20"), ("CLGQ", "8,47/12"), ("TTTT", "6,91/10"), ("MDHL", "10,43/18"), ("MDSH", "9,34/22")))
    _hand_csv(gia_lai_dir, "24/09/2026,year_to_date,2026,toan_tinh,,CKMB,\"19,5/18\"\n" + groups + "24/09/2026,year_to_date,2026,toan_tinh,,TOTAL,\"70,45/100\"\n")
    context = Context.load(gia_lai_dir)
    rules = load_rules(context.workspace.catalogue_dir)
    scores = score(read_province(context.workspace, rules, context.registry, context.catalogue, "gia_lai"), rules, context.catalogue.settings)
    checks = run_checks766(scores, rules, context.catalogue, snapshots_in(scores.totals)[0], None)
    found = checks[checks["check"] == "group_above_max"]
    assert (found.iloc[0]["source_file"], found.iloc[0]["source_row"], found.iloc[0]["source_field"]) == ("hand.csv", 2, "value")
    row = describe_checks(found, context.catalogue, "vi", rules).iloc[0]
    assert (row["found"], row["expected"], row["location"]) == ("19,5", "≤ 18", "tệp hand.csv, dòng 2, trường value")
    assert "vượt điểm tối đa 18" in row["message"]
    assert describe_checks(found, context.catalogue, "en", rules).iloc[0]["location"] == "file hand.csv, row 2, field value"


def test_rank_larger_than_its_base_is_an_error(gia_lai_dir: Path) -> None:
    _edit(gia_lai_dir, AGENCIES, lambda document: document["agencies"][0].update(rank=150))
    message = _read_error(gia_lai_dir)
    assert f"file data/raw/gia_lai/766/{AGENCIES}, record agencies[0], field rank: expected a rank no larger than its base 149 (overview.totalUnitsCount); found 150/149" in message


def test_rank_larger_than_its_base_in_a_hand_filled_csv_is_an_error(gia_lai_dir: Path) -> None:
    _hand_csv(gia_lai_dir, "24/09/2026,year_to_date,2026,toan_tinh,,RANK,70/63\n")
    message = _read_error(gia_lai_dir)
    assert "file data/raw/gia_lai/766/hand.csv, row 2, column G (value): expected a rank no larger than its base 63 (the number after /); found 70/63" in message


def test_the_same_period_twice_is_an_error(gia_lai_dir: Path) -> None:
    folder = gia_lai_dir / "raw" / "gia_lai" / "766"
    shutil.copy(folder / AGENCIES, folder / "agencies_GiaLai_24092026 (copy).json")
    message = _read_error(gia_lai_dir)
    assert "record agencies[0]: expected each unit once per snapshot (year to date 2026, data of 24/09/2026); found 'Sở Văn hóa, Thể thao và Du lịch' again (first at file data/raw/gia_lai/766/agencies_GiaLai_24092026 (copy).json, record agencies[0])" in message
    assert "14 problem(s)" in message


def test_the_same_item_twice_in_a_hand_filled_csv_is_an_error(gia_lai_dir: Path) -> None:
    _hand_csv(gia_lai_dir, "24/09/2026,year_to_date,2026,toan_tinh,,TOTAL,\"62,74/100\"\n24/09/2026,year_to_date,2026,toan_tinh,,Tổng hợp,\"63,1/100\"\n")
    message = _read_error(gia_lai_dir)
    assert "row 3, column F (item): expected each item once per unit and snapshot (24/09/2026); found 'Tổng hợp' again (first in row 2)" in message


def test_conflicting_province_figures_for_one_snapshot_are_a_warning_with_both_figures(gia_lai_dir: Path) -> None:
    """Two sources of one snapshot that disagree: ingested, the first file's figure kept, each
    source's figure in the processed file, a data check naming both files and both figures."""
    _edit(gia_lai_dir, COMMUNES, lambda document: document["overview"].update(totalScore=63.0))
    context = Context.load(gia_lai_dir)
    rules = load_rules(context.workspace.catalogue_dir)
    lines: list[str] = []
    done, failed = ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lines.append)
    assert not failed and not done[0].left_out and len(done[0].disagreements) == 1
    console = "\n".join(lines)
    assert "gia_lai 766: 1 warning(s): sources of one snapshot disagree" in console
    assert (f"file data/raw/gia_lai/766/{COMMUNES}, record overview, field totalScore: points 63.0, "
            f"where file data/raw/gia_lai/766/{AGENCIES}, record overview, field totalScore gives 62.74 (kept)") in console
    analysis = analyse_index766(context, "gia_lai", "24/09/2026")
    assert analysis.province_total["score"] == 62.74
    found = analysis.checks[analysis.checks["check"] == "sources_disagree"]
    assert len(found) == 1 and found.iloc[0]["severity"] == "warning"
    vi, en = (describe_checks(found, context.catalogue, language, rules).iloc[0] for language in ("vi", "en"))
    assert (vi["found"], vi["expected"], vi["location"]) == ("63", "62,74", f"tệp {COMMUNES}, bản ghi overview, trường totalScore")
    assert vi["message"].startswith(f"Ngày 24/09/2026, hai nguồn cho tổng điểm khác nhau: 63 trong {COMMUNES}, 62,74 trong {AGENCIES}")
    assert en["message"].startswith(f"On 24/09/2026, two sources give the total differently: 63 in {COMMUNES}, 62.74 in {AGENCIES}")
    assert "language" not in vi["message"]
    # The later page still lists it: its history shows the 24/09 capture.
    assert (analyse_index766(context, "gia_lai").checks["check"] == "sources_disagree").sum() == 1


def test_a_file_that_cannot_be_read_is_left_out_and_the_others_ingested(gia_lai_dir: Path) -> None:
    """One bad file never stops the others (it was all or nothing before); when no file can be
    read, nothing is written and the last good table stays."""
    context = Context.load(gia_lai_dir)
    rules = load_rules(context.workspace.catalogue_dir)
    done, failed = ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lambda _: None)
    assert done and not failed

    def rename(document: dict) -> None:
        document["communes"][0].update(departmentCode="H21.999", departmentName="UBND xã Vân Cảnh")

    _edit(gia_lai_dir, COMMUNES, rename)
    lines: list[str] = []
    done, failed = ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lines.append)
    assert not failed and [ingested.province for ingested in done] == ["gia_lai"]
    assert failed_files(done[0]) == [f"data/raw/gia_lai/766/{COMMUNES}"]
    message = "\n".join(lines)
    assert "gia_lai 766: FAILED: 1 file(s) left out, the others ingested (1 problem(s)):" in message
    assert f"file data/raw/gia_lai/766/{COMMUNES}, record communes[0]: expected a unit of gia_lai in data/units/units.csv (portal_code, name) or aliases.csv; did you mean 'UBND xã Vân Canh' or" in message
    assert "found 'UBND xã Vân Cảnh' (portal code H21.999)" in message
    tidy = load_index766(context.workspace, "gia_lai")
    september = tidy[tidy["snapshot_date"] == "2026-09-24"]
    assert set(september["level"]) == {"toan_tinh", "cap_tinh"}  # the other files of the day: the agencies, their detail
    assert set(tidy[tidy["snapshot_date"] == "2026-10-10"]["level"]) == {"toan_tinh", "cap_tinh", "cap_xa"}
    before = processed_path(context.workspace, "gia_lai").read_bytes()
    for path in (gia_lai_dir / "raw" / "gia_lai" / "766").glob("*.json"):
        path.write_text("{", encoding="utf-8")
    done, failed = ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lambda _: None)
    assert not done and [province for province, _ in failed] == ["gia_lai"]
    assert "nothing was written" in str(failed[0][1]) and "unreadable JSON" in str(failed[0][1])
    assert processed_path(context.workspace, "gia_lai").read_bytes() == before


def test_a_unit_is_found_by_name_when_its_portal_code_is_unknown(gia_lai_dir: Path) -> None:
    _edit(gia_lai_dir, COMMUNES, lambda document: document["communes"][16].update(departmentCode="H21.9999"))
    context = Context.load(gia_lai_dir)
    frame = read_province(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, "gia_lai")
    row = frame[(frame["snapshot_date"] == "2026-09-24") & (frame["portal_code"] == "H21.9999")].iloc[0]
    assert (row["unit_id"], row["unit_name"]) == ("gl.xa_kong_bo_la", "UBND xã Kông Bơ La")  # "UBND xã Kông Bơ La - Gia Lai"


def test_a_hand_filled_csv_with_bad_cells_names_each_cell(gia_lai_dir: Path) -> None:
    _hand_csv(gia_lai_dir, (
        "31/02/2026,year_to_date,2026,toan_tinh,,TOTAL,\"62,74/100\"\n"
        "24/09/2026,yearly,2026,toan_tinh,,TOTAL,\"62,74/100\"\n"
        "24/09/2026,year_to_date,2026,cap_xa,UBND xã Vân Canh,CKMB,mười\n"
        "24/09/2026,year_to_date,2026,toan_tinh,,PAY_DOSSIERS,-5%\n"
    ))
    message = _read_error(gia_lai_dir)
    assert "row 2, column A (snapshot_date): expected a date such as 31/05/2024 or 2024-05-31" in message
    assert "row 3, column B (period_kind): expected year_to_date or quarter or month; found 'yearly'" in message
    assert "row 4, column G (value): expected points such as 11,1/18 or 11,1 (not negative); found 'mười'" in message
    assert "row 5, column G (value): expected a ratio such as 88,15% (or 88,15, read as percent); found '-5%'" in message


def test_a_data_folder_without_the_766_settings_is_told_which_is_missing(ingested: Context, tmp_path: Path) -> None:
    shutil.copytree(DATA / "catalogue", tmp_path / "catalogue")
    settings = tmp_path / "catalogue" / "settings.csv"
    settings.write_text("".join(line for line in settings.read_text(encoding="utf-8").splitlines(keepends=True) if not line.startswith("index766_low_streak")), encoding="utf-8")
    context = Context(ingested.workspace, Catalogue(tmp_path / "catalogue"), ingested.registry)
    with pytest.raises(ValueError, match="setting 'index766_low_streak' is missing from .*settings.csv"):
        analyse_index766(context, "gia_lai")


def test_many_disagreements_are_listed_in_part_on_the_console(gia_lai_dir: Path) -> None:
    """Every department's total and groups changed in the 24/09 list, against its detail: 98
    warnings, 25 printed and the count of the others (the report's data checks list them all)."""

    def raise_all(document: dict) -> None:
        for unit in document["agencies"]:
            unit["totalScore"] += 1
            unit["groupScores"] = {group: score + 0.5 for group, score in unit["groupScores"].items()}

    _edit(gia_lai_dir, AGENCIES, raise_all)
    context = Context.load(gia_lai_dir)
    lines: list[str] = []
    done, failed = ingest_index766(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, progress=lines.append)
    assert not failed and len(done[0].disagreements) == 14 * 7
    assert "gia_lai 766: 98 warning(s): sources of one snapshot disagree" in "\n".join(lines)
    assert sum(line.startswith("  - ") for line in lines) == 25 and lines[-1] == "  ... and 73 more"
    checks = analyse_index766(context, "gia_lai", "24/09/2026").checks
    assert (checks["check"] == "sources_disagree").sum() == 98
