"""One adapter per published 766 shape, on the real crawls (data/raw/gia_lai/766/, tests/data/index766/):
unit detail, the portal's reply (provinces table, one province's month), departments[], the
hand CSV's codes and published changes; per-unit points recomputed with the rules in force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.analysis.index766.reproduce import reproduce, score_in_force
from helpers.context import Context
from helpers.errors import InputError
from helpers.ingest.index766 import read_province
from helpers.ingest.index766.api_envelope import national_table
from helpers.paths import DEFAULT_DATA_DIR as DATA, PROJECT_ROOT
from helpers.rules766 import Index766Rules, load_rules

GIA_LAI = DATA / "raw" / "gia_lai" / "766"
REPLIES = PROJECT_ROOT / "tests" / "data" / "index766"
DETAIL = "agencies_detail_GiaLai_10102026.json"


def _folder(root: Path, files: dict[str, Path | str], province: str = "gia_lai") -> Context:
    """A data directory whose province folder holds exactly ``files`` (name → source or text)."""
    shutil.copytree(DATA / "units", root / "units", dirs_exist_ok=True)
    folder = root / "raw" / province / "766"
    folder.mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        if isinstance(source, Path):
            shutil.copy(source, folder / name)
        else:
            (folder / name).write_text(source, encoding="utf-8")
    return Context.load(root)


def _read(context: Context, province: str = "gia_lai") -> pd.DataFrame:
    return read_province(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, province)


def _error(context: Context, province: str = "gia_lai") -> str:
    with pytest.raises(InputError) as raised:
        _read(context, province)
    return str(raised.value)


def _edited(name: str, change) -> str:
    document = json.loads((GIA_LAI / name).read_text(encoding="utf-8"))
    change(document)
    return json.dumps(document, ensure_ascii=False)


@pytest.fixture(scope="module")
def bundled(context: Context) -> pd.DataFrame:
    return _read(context)


def test_the_unit_detail_gives_every_department_its_sub_indicators(bundled: pd.DataFrame) -> None:
    october = bundled[(bundled["snapshot_date"] == "2026-10-10") & (bundled["unit_id"] == "gl.van_hoa_the_thao_va_du_lich")]
    rows = october.set_index(["measure", "group", "indicator"], drop=False)
    on_time = rows.loc[("indicator", "TDGQ", "ON_TIME")]
    assert (on_time["numerator"], on_time["denominator"], on_time["ratio"]) == (653, 654, pytest.approx(0.9985))
    assert rows.loc[("indicator", "TDGQ", "AVG_DAYS"), "value"] == 2.31
    assert rows.loc[("indicator", "TDGQ", "OVERDUE"), "value"] == 1
    paid = rows.loc[("indicator", "TTTT", "PAY_DOSSIERS")]
    assert (paid["numerator"], paid["denominator"]) == (145, 165)
    assert rows.loc[("indicator", "MDHL", "PETITION_CLASSIFICATION_STAFF"), "max_points"] == 0
    assert rows.loc[("indicator", "CKMB", "DOSSIER_SYNC"), "source_note"] == "TEMP_NATIONAL_REPORT_DENOMINATOR"
    groups = october[october["measure"] == "group"].set_index("group")
    assert groups["points"].to_dict() == {"CKMB": 11.79, "TDGQ": 19.97, "CLGQ": 6.72, "TTTT": 8.61, "MDHL": 18.0, "MDSH": 14.18}
    assert groups.loc["CLGQ", "max_points"] == 12  # ONLINE: a group score only, its maximum from the detail
    # The list and the detail of the day give the unit once: one total row, ranks from the list.
    total = october[october["measure"] == "total"]
    assert len(total) == 1 and (total.iloc[0]["rank"], total.iloc[0]["rank_base"], total.iloc[0]["group_rank"]) == (1, 149, 1)
    # 24/09: MDHL published without metrics, its group score kept.
    september = bundled[(bundled["snapshot_date"] == "2026-09-24") & (bundled["measure"] == "indicator")]
    assert not (september["group"] == "MDHL").any() and september["unit_id"].nunique() == 14


def test_the_rules_reproduce_every_departments_published_points(bundled: pd.DataFrame, context: Context, rules: Index766Rules) -> None:
    result = reproduce(bundled, rules, context.catalogue.settings)
    october = result.pairs[result.pairs["snapshot_date"] == "2026-10-10"]
    assert october.groupby("scope").size().to_dict() == {"group": 56, "indicator": 189}  # 14 × (4 + 7 + 3 scored MDHL); CKMB, TDGQ, MDHL, MDSH
    assert result.share_reproduced("indicator") >= 0.95
    assert result.not_reproduced.empty
    # A published figure changed by hand is listed with its difference and how it was recomputed.
    tampered = bundled.copy()
    chosen = (tampered["unit_id"] == "gl.van_hoa_the_thao_va_du_lich") & (tampered["indicator"] == "PUBLIC_UPDATE_ON_TIME") & (tampered["snapshot_date"] == "2026-10-10")
    tampered.loc[chosen, "points"] = 3.5
    missed = reproduce(tampered, rules, context.catalogue.settings).not_reproduced
    row = missed[missed["scope"] == "indicator"].iloc[0]
    assert (row["unit_name"], row["published"], row["recomputed"], row["difference"]) == ("Sở Văn hóa, Thể thao và Du lịch", 3.5, 3.66, 0.16)
    assert row["reason"] == "from the counts 43/47 at threshold 100%"


def test_rules_carry_a_validity_period(context: Context, rules: Index766Rules, tmp_path: Path) -> None:
    assert not rules.in_force("2024-05-31").rules and len(rules.in_force("2026-10-10").rules) == len(rules.rules)
    seed = pd.concat([read_province(context.workspace, rules, context.registry, context.catalogue, "binh_phuoc")])
    scored = score_in_force(seed, rules, context.catalogue.settings)
    assert scored.indicators.empty  # 2024: no rule calibrated on 2026 data judges it
    assert reproduce(seed, rules, context.catalogue.settings).pairs.empty
    catalogue = tmp_path / "catalogue"
    shutil.copytree(DATA / "catalogue", catalogue)
    table = (catalogue / "index766_rules.csv").read_text(encoding="utf-8")
    (catalogue / "index766_rules.csv").write_text(table.replace("2026-01-01,,", "2026-01-01,2025-12-31,", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2: expected valid_to on or after valid_from; found 2026-01-01 to 2025-12-31"):
        load_rules(catalogue)
    header, rest = table.split("\n", 1)  # a blank line after the header: the same rule is on line 3
    (catalogue / "index766_rules.csv").write_text(header + "\n\n" + rest.replace("2026-01-01,,", "2026-01-01,2025-12-31,", 1), encoding="utf-8")
    with pytest.raises(InputError, match=r"index766_rules.csv, row 3: expected valid_to on or after valid_from"):
        load_rules(catalogue)


def test_the_provinces_table_gives_every_province_and_the_national_rank(bundled: pd.DataFrame, context: Context, rules: Index766Rules) -> None:
    province = bundled[(bundled["level"] == "toan_tinh") & (bundled["measure"] == "total") & (bundled["snapshot_date"] == "2026-10-10")].iloc[0]
    assert (province["points"], province["rank"], province["rank_base"]) == (66.23, 4, 34)
    codes = dict(zip(context.registry.provinces["portal_code"], context.registry.provinces["province"]))
    table = national_table(GIA_LAI / "raw_Provinces_year_2026_10102026.json", "raw_Provinces_year_2026_10102026.json", rules, codes)
    assert len(table) == 34 and list(table["rank"]) == list(range(1, 35))
    assert table.set_index("portal_code").loc["H26", ["total", "rank", "province"]].tolist() == [55.23, 34, "ha_noi"]
    assert table.loc[0, ["name", "total", "group_CLGQ"]].tolist() == ["UBND tỉnh Đồng Tháp", 68.8, 8.84]
    earlier = national_table(REPLIES / "raw_Provinces_year_2026_02102026.json", "x.json", rules, codes).set_index("portal_code")
    assert earlier.loc["H21", ["total", "rank"]].tolist() == [65.22, 6]


def test_the_provinces_table_out_of_order_is_an_error(tmp_path: Path) -> None:
    name = "raw_Provinces_year_2026_10102026.json"
    text = _edited(name, lambda document: document["data"]["evaluation"][5].update(totalScore=99.0))
    message = _error(_folder(tmp_path, {name: text}))
    assert f"/raw/gia_lai/766/{name}, record data.evaluation[5], field totalScore: expected the provinces highest first" in message


def test_the_portal_reply_for_one_month(tmp_path: Path) -> None:
    reply = REPLIES / "service_results_month_2026_2.json"
    message = _error(_folder(tmp_path / "bare", {reply.name: reply}))
    assert "/raw/gia_lai/766/service_results_month_2026_2.json, record (file name): expected a file name ending in <year|quarter|month>_<YYYY>[_<N>]_<DDMMYYYY>" in message
    frame = _read(_folder(tmp_path / "named", {"service_results_month_2026_2_23092026.json": reply}))
    assert set(zip(frame["period_kind"], frame["period"], frame["snapshot_date"])) == {("month", "2026-02", "2026-09-23")}
    totals = frame[frame["measure"] == "total"]
    assert len(totals) == 150 and totals.groupby("level").size().to_dict() == {"cap_tinh": 14, "cap_xa": 135, "toan_tinh": 1}
    province = frame[frame["level"] == "toan_tinh"].set_index("measure")
    assert province.loc["total", "points"] == 34.19
    combined = province.loc["groups_combined"]
    assert (combined["group"], combined["points"], combined["max_points"]) == ("CLGQ+TTTT", 10.14, 22)
    assert set(frame.loc[frame["measure"] == "group", "group"]) == {"CKMB", "TDGQ", "MDHL", "MDSH"}
    # donuts.onlineDossier: 203 dossiers online, 6 directly or by post (97,13%) → ONLINE_DOSSIERS.
    online = province.loc["indicator"]
    assert (online["group"], online["indicator"], online["numerator"], online["denominator"]) == ("CLGQ", "ONLINE_DOSSIERS", 203, 209)
    assert online["ratio"] == pytest.approx(0.9713)
    assert (online["source_record"], online["source_field"]) == ("data.donuts.onlineDossier", "value")


def _departments_file(province_code: str, departments: list[dict]) -> str:
    block = json.loads((DATA / "raw" / "ha_noi" / "766" / "hanoi_province_2026-10-10.json").read_text(encoding="utf-8"))
    block["department"]["code"] = province_code
    block["departments"] = departments
    return json.dumps(block, ensure_ascii=False)


def _department(code: str, name: str, kind: str = "AGENCY") -> dict:
    """A department as the Hà Nội crawler writes it (history/quality/2026-10-10.json)."""
    scores = {"CKMB": 11.2, "TDGQ": 19.48, "CLGQ": 6.31, "TTTT": 5.14, "MDHL": 18, "MDSH": 9.3}
    maxima = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDHL": 18, "MDSH": 22}
    details = {group: {"code": group, "score": score, "maxScore": maxima[group], "metrics": []} for group, score in scores.items()}
    details["TDGQ"]["metrics"] = [{"code": "ON_TIME", "name": "Tỷ lệ hồ sơ đúng hạn, trong hạn", "ratio": 97.41, "numerator": 4358, "denominator": 4474,
                                   "score": 19.48, "maxScore": 20, "unit": "%"}]
    return {"code": code, "name": name, "score": 69.43, "type": kind, "id": "x",
            "groupScores": {group: {"score": score, "maxScore": maxima[group]} for group, score in scores.items()}, "groupDetails": details}


def test_a_province_file_with_departments_ingests_every_department(tmp_path: Path) -> None:
    text = _departments_file("H21", [_department("H21.17", "Sở Văn hóa, Thể thao và Du lịch"), _department("H21.106", "UBND phường Pleiku", "COMMUNE")])
    frame = _read(_folder(tmp_path, {"gia_lai_province_2026-10-10.json": text}))
    units = frame[frame["level"] != "toan_tinh"]
    assert sorted(units["unit_id"].unique()) == ["gl.phuong_pleiku", "gl.van_hoa_the_thao_va_du_lich"]
    assert units[units["measure"] == "group"].groupby("unit_id").size().tolist() == [6, 6]
    on_time = units[units["indicator"] == "ON_TIME"].iloc[0]
    assert (on_time["numerator"], on_time["points"], on_time["source_record"]) == (4358, 19.48, "departments[0].groupDetails.TDGQ.metrics[0]")


def test_departments_that_cannot_be_read_are_named_never_zero_units_in_silence(tmp_path: Path) -> None:
    broken = _department("H21.17", "Sở Văn hóa, Thể thao và Du lịch")
    del broken["groupScores"]["MDSH"], broken["groupDetails"]["MDSH"]
    text = _departments_file("H21", [broken, "not a unit"])
    message = _error(_folder(tmp_path / "broken", {"gia_lai_province_2026-10-10.json": text}))
    assert "record departments[0], field groupScores/groupDetails: expected a score for group MDSH" in message
    assert "record departments[1]: expected a unit record (code, name, score, groupDetails); found str" in message
    unknown = _departments_file("H21", [_department("H21.999", "UBND xã Không Có")])
    message = _error(_folder(tmp_path / "unknown", {"gia_lai_province_2026-10-10.json": unknown}))
    assert "record departments[0]: expected a unit of gia_lai in data/units/units.csv" in message


def test_the_hand_csv_accepts_every_code_the_json_adapters_accept(tmp_path: Path) -> None:
    header = "snapshot_date,period_kind,period,level,unit_name,item,value,numerator,denominator,published_delta\n"
    groups = [("CKMB", "11,79/18", "0"), ("TDGQ", "17,17/20", "+1,37"), ("CLGQ", "9,14/12", "+0,67"), ("TTTT", "7,21/10", "+0,30"),
              ("MDHL", "11,3/18", "+0,87"), ("MDSH", "9,62/22", "+0,28"), ("TOTAL", "66,23/100", "+3,49")]
    rows = "".join(f"10/10/2026,year_to_date,2026,toan_tinh,,{item},\"{value}\",,,\"{delta}\"\n" for item, value, delta in groups)
    rows += "10/10/2026,year_to_date,2026,toan_tinh,,ONLINE_ON_TIME,\"69,65%\",617448,886491,−525%\n"
    rows += "10/10/2026,year_to_date,2026,toan_tinh,,PETITION_CLASSIFICATION_TTHC,\"76,14%\",3431,4506,\n"
    rows += "10/10/2026,year_to_date,2026,toan_tinh,,Thời gian giải quyết trung bình,\"4,24\",,,\n"
    frame = _read(_folder(tmp_path, {"hand.csv": header + rows}))
    indicators = frame[frame["measure"] == "indicator"].set_index("indicator")
    assert indicators.loc["ONLINE_ON_TIME", ["group", "numerator", "published_delta", "published_delta_text"]].tolist() == ["CLGQ", 617448, -525.0, "−525%"]
    assert indicators.loc["PETITION_CLASSIFICATION_TTHC", "group"] == "MDHL"
    assert indicators.loc["AVG_DAYS", "value"] == 4.24 and pd.isna(indicators.loc["AVG_DAYS", "ratio"])
    total = frame[frame["measure"] == "total"].iloc[0]
    assert (total["points"], total["published_delta"]) == (66.23, 3.49)


def test_a_hand_csv_unit_with_a_group_row_removed_is_an_error(tmp_path: Path) -> None:
    header = "snapshot_date,period_kind,period,level,unit_name,item,value\n"
    body = "".join(f"31/05/2024,year_to_date,2024,toan_tinh,,{item},\"{value}\"\n" for item, value in (
        ("CKMB", "11,1/18"), ("TDGQ", "17,6/20"), ("CLGQ", "7,2/12"), ("TTTT", "9,1/10"), ("MDHL", "17,9/18"), ("TOTAL", "78,49/100")))
    message = _error(_folder(tmp_path, {"hand.csv": header + body}))
    assert "/raw/gia_lai/766/hand.csv, row 2, column F (item): expected all six groups and the total of this unit for 31/05/2024 (a row each); found no row for MDSH" in message


def test_a_snapshot_knows_its_period_kind_from_the_metadata(tmp_path: Path) -> None:
    def month_three(document: dict) -> None:
        document["metadata"].update(timeType="month", period=3, periodLabel="Month 3/2026")

    name = "agencies_GiaLai_24092026.json"
    frame = _read(_folder(tmp_path, {name: _edited(name, month_three)}))
    assert set(zip(frame["period_kind"], frame["period"], frame["snapshot_date"])) == {("month", "2026-03", "2026-09-24")}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda document: document["metadata"].update(year=float("inf")), "record metadata, field year: expected the year (and the year_to_date number) of a year_to_date period; found year Infinity, period None"),
    (lambda document: document["agenciesDetail"][2]["componentIndicators"]["TDGQ_TienDoGiaiQuyet"].update(surprise=1),
     "record agenciesDetail[2].componentIndicators.TDGQ_TienDoGiaiQuyet, field surprise: expected a field of a TDGQ block this adapter reads"),
    (lambda document: document["agenciesDetail"][0]["componentIndicators"]["CKMB_CongKhaiMinhBach"]["metrics"][0].update(code="PUBLISH_LATE"),
     "record agenciesDetail[0].componentIndicators.CKMB_CongKhaiMinhBach.metrics[0], field code: expected a sub-indicator of catalogue/index766_rules.csv or index766_unscored.csv; found 'PUBLISH_LATE'"),
    (lambda document: document["agenciesDetail"][0]["componentIndicators"]["MDSH_SoHoaHoSo"].update(score=1.0),
     "record agenciesDetail[0].componentIndicators.MDSH_SoHoaHoSo, field score: expected the score of group MDSH given in groupScores.MDSH (14.18); found 1.0"),
])
def test_a_detail_record_the_adapter_cannot_read_is_named(tmp_path: Path, change, expected: str) -> None:
    text = _edited(DETAIL, change).replace("Infinity", "Infinity")
    message = _error(_folder(tmp_path, {DETAIL: text}))
    assert f"/raw/gia_lai/766/{DETAIL}, {expected}" in message


@pytest.mark.parametrize(("text", "expected"), [
    ("[" * 200_000 + "]" * 200_000, "expected JSON nested to a reasonable depth; found lists or objects nested too deep to read"),
    ("{\"metadata\": {\"year\": Infinity", "expected a JSON file from the portal's reporting API; found unreadable JSON"),
    ("\"\\ud800\" \xff", "expected a JSON file from the portal's reporting API"),
])
def test_json_that_cannot_be_parsed_names_the_file(tmp_path: Path, text: str, expected: str) -> None:
    message = _error(_folder(tmp_path, {"bad.json": text}))
    assert f"/raw/gia_lai/766/bad.json: {expected}" in message


def test_a_count_beyond_any_real_one_is_an_error(tmp_path: Path) -> None:
    def inflate(document: dict) -> None:
        document["agenciesDetail"][1]["componentIndicators"]["TDGQ_TienDoGiaiQuyet"]["totalOnTime"] = 10**17

    message = _error(_folder(tmp_path, {DETAIL: _edited(DETAIL, inflate)}))
    assert "record agenciesDetail[1].componentIndicators.TDGQ_TienDoGiaiQuyet, field totalOnTime: expected a count (a whole number ≥ 0), below 10,000,000,000; found 100000000000000000" in message


@pytest.mark.parametrize("digits", [400, 5_000])
def test_an_integer_of_hundreds_or_thousands_of_digits_names_its_record(tmp_path: Path, digits: int) -> None:
    name = "agencies_GiaLai_24092026.json"
    text = _edited(name, lambda document: document["agencies"][4].update(rank=0)).replace('"rank": 0', '"rank": ' + "9" * digits, 1)
    message = _error(_folder(tmp_path, {name: text}))
    assert f"/raw/gia_lai/766/{name}, record agencies[4], field rank: expected a whole rank; found a {digits}-digit integer" in message
