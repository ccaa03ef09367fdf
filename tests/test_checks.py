"""Each data check on a small table built to trigger it (real unit ids, so the registry knows
them), and the checks written for a reader in either language (helpers.report.checks_view)."""

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers.analysis.index766.analysis import analyse_index766
from helpers.analysis.index766.checks import CHECKS766, VARIANTS766, run_checks766
from helpers.analysis.index766.scoring import score
from helpers.analysis.monthly.checks import CHECKS, SEVERITIES, run_checks, summary_counts
from helpers.analysis.monthly.engine import evaluate
from helpers.cli import main
from helpers.demo.index766 import generate
from helpers.messages import LANGUAGES, messages
from helpers.report.checks_view import checks_table, count_headers, counts_text, describe_checks, headed_checks
from helpers.tidy import conform
from helpers.tidy766 import snapshots_in

PERIOD = "2024-02"
TEXTS = ("message", "found", "expected")
VIETNAMESE_LOCATION_WORDS = ("tệp", "trang", "dòng", "cột", "bản ghi", "trường")


def row(unit_id: str, indicator: str = "online_dossiers", numerator=50, denominator=100, reported=None, target=None, period=PERIOD, **extra) -> dict:
    return {
        "period": period, "province": "binh_dinh", "level": "cap_tinh", "unit_id": unit_id, "unit_name": unit_id, "row_kind": "unit",
        "indicator": indicator, "numerator": numerator, "denominator": denominator, "reported_rate": reported, "assigned_target": target,
        "source_file": "data/raw/binh_dinh/2024-02/bang.xlsx", "source_sheet": "PL1", "source_row": 9, "numerator_cell": "E9",
        "denominator_cell": "C9", "rate_cell": "F9", "target_cell": "D9", **extra,
    }


def checks_for(context, *rows: dict) -> pd.DataFrame:
    tidy = conform(pd.DataFrame(list(rows)))
    results = evaluate(tidy, context.catalogue)
    return run_checks(tidy, results, context.catalogue, context.registry)


def only(checks: pd.DataFrame, code: str) -> pd.DataFrame:
    return checks[checks["check"] == code]


def described(context, checks: pd.DataFrame, language: str = "vi") -> pd.DataFrame:
    return describe_checks(checks, context.catalogue, language)


def every_kind_of_problem(context) -> pd.DataFrame:
    """One month that trips most monthly checks, with the month before it."""
    total = row("bd.y_te", numerator=90, denominator=300, reported=0.3) | {"row_kind": "total", "unit_id": None, "unit_name": "Tổng cộng"}
    return checks_for(
        context,
        row("bd.y_te", period="2024-01"), row("bd.tu_phap", period="2024-01"),
        row("bd.y_te", numerator=120, denominator=100, reported=0.5, target=None),
        row("bd.xay_dung", numerator=-3, reported=10.0, target=0.3),
        row("bd.cong_thuong", numerator=None, target=1.5, parse_notes="reported_rate@F9='9O%'"),
        row("bd.noi_vu", numerator=5987, denominator=10000, reported=0.61),
        total,
    )


def test_numerator_above_denominator(context) -> None:
    checks = only(checks_for(context, row("bd.y_te", numerator=120, denominator=100)), "numerator_exceeds_denominator")
    assert len(checks) == 1 and checks.iloc[0]["severity"] == "error"
    assert checks.iloc[0]["params"] == {"numerator": 120, "denominator": 100}
    assert (checks.iloc[0]["source_file"], checks.iloc[0]["source_sheet"], checks.iloc[0]["source_row"], checks.iloc[0]["source_column"]) == (
        "data/raw/binh_dinh/2024-02/bang.xlsx", "PL1", 9, "E")
    text = described(context, checks).iloc[0]
    assert text["location"] == "tệp bang.xlsx, trang PL1, dòng 9, cột E" and "120/100" in text["message"]
    assert described(context, checks, "en").iloc[0]["location"] == "file bang.xlsx, sheet PL1, row 9, column E"


def test_negative_count(context) -> None:
    checks = only(checks_for(context, row("bd.y_te", numerator=-3)), "negative_count")
    assert checks.iloc[0]["params"] == {"value": -3, "count_kind": "numerator"}
    text = described(context, checks).iloc[0]
    assert text["found"] == "-3" and text["location"].endswith("cột E")


def test_impossible_reported_rate(context) -> None:
    checks = only(checks_for(context, row("bd.y_te", reported=10.0)), "impossible_rate")
    assert checks.iloc[0]["params"] == {"reported_rate": 10}
    text = described(context, checks).iloc[0]
    assert text["found"] == "1.000%" and text["location"].endswith("cột F")
    assert described(context, checks, "en").iloc[0]["found"] == "1,000%"


def test_reported_rate_tolerance_follows_its_decimals(context) -> None:
    checks = checks_for(
        context,
        row("bd.y_te", numerator=5987, denominator=10000, reported=0.60),  # 59,87% written 60%: rounding
        row("bd.tu_phap", numerator=5987, denominator=10000, reported=0.597),  # written 59,7%: 0,17 point off
        row("bd.xay_dung", numerator=5987, denominator=10000, reported=0.61),
    )
    mismatches = only(checks, "rate_mismatch")
    assert set(mismatches["unit_id"]) == {"bd.tu_phap", "bd.xay_dung"}
    text = described(context, mismatches[mismatches["unit_id"] == "bd.tu_phap"]).iloc[0]
    assert (text["found"], text["expected"]) == ("59,7%", "59,87%")
    assert text["message"] == "Tỷ lệ báo cáo 59,7% khác tỷ lệ tính lại từ số liệu 59,9% (5.987/10.000)"


def test_blank_counts_are_flagged_as_left_out(context) -> None:
    checks = only(checks_for(context, row("bd.y_te", numerator=None)), "blank_count")
    assert "không được tính vào tỷ lệ chung" in described(context, checks).iloc[0]["message"]


def test_unreadable_rate_is_reported(context) -> None:
    checks = only(checks_for(context, row("bd.y_te", parse_notes="reported_rate@F9='9O%'")), "unreadable_value")
    text = described(context, checks).iloc[0]
    assert text["found"] == "'9O%'" and text["location"] == "tệp bang.xlsx, trang PL1, dòng 9, cột F"
    assert text["message"] == "Không đọc được tỷ lệ báo cáo '9O%'; ô được bỏ qua"


def test_units_missing_or_new_compared_with_last_month(context) -> None:
    checks = checks_for(
        context,
        row("bd.y_te", period="2024-01"), row("bd.tu_phap", period="2024-01"),
        row("bd.y_te"), row("bd.xay_dung"),
    )
    february = checks[checks["period"] == PERIOD]
    missing = only(february, "unit_missing")
    assert missing.loc[missing["unit_id"] == "bd.tu_phap", "params"].iloc[0] == {"reason": "previous"}
    assert "có trong số liệu tháng trước" in described(context, missing[missing["unit_id"] == "bd.tu_phap"]).iloc[0]["message"]
    assert list(only(february, "unit_new")["unit_id"]) == ["bd.xay_dung"]
    # units in the registry that never appear are listed too, once
    assert missing["unit_id"].is_unique and "bd.huyen_an_lao" in set(missing["unit_id"])


def test_level_total_that_disagrees_with_its_units(context) -> None:
    total = row("bd.y_te", numerator=90, denominator=300, reported=0.3) | {"row_kind": "total", "unit_id": None, "unit_name": "Tổng cộng"}
    checks = only(checks_for(context, row("bd.y_te"), row("bd.tu_phap"), total), "total_mismatch")
    assert [(params["published"], params["pooled"]) for params in checks["params"]] == [(90, 100), (300, 200)]
    text = described(context, checks)
    assert set(text["found"]) == {"90", "300"} and set(text["expected"]) == {"100", "200"}
    assert set(text["unit"]) == {"Cấp tỉnh"} and set(described(context, checks, "en")["unit"]) == {"Provincial level"}


def test_severity_counts(context) -> None:
    checks = checks_for(context, row("bd.y_te", numerator=120, denominator=100))
    counts = summary_counts(checks)
    assert counts["error"] == 1 and set(counts) == set(SEVERITIES)
    assert counts_text(checks, "vi").startswith("1 sai số liệu, ")
    assert counts_text(checks, "en").startswith("1 error, ")


def test_a_blank_assigned_target_says_which_target_is_used(context) -> None:
    checks = only(checks_for(context, row("bd.y_te", target=None)), "target_missing")
    assert checks.iloc[0]["severity"] == "info" and checks.iloc[0]["params"]["tier"] == "provincial"
    text = described(context, checks).iloc[0]
    assert text["location"].endswith("cột D") and "mức tỉnh giao thấp nhất 60%" in text["message"]
    assert "provincial floor 60%" in described(context, checks, "en").iloc[0]["message"]


def test_params_hold_raw_values_not_text(context) -> None:
    checks = every_kind_of_problem(context)
    for params in checks["params"]:
        for key, value in params.items():
            assert not isinstance(value, str) or key in ("variant", "count_kind", "tier", "reason", "field", "text"), (key, value)


def test_every_check_has_its_texts_in_both_languages() -> None:
    keys = [f"checks.monthly.{code}" for code in CHECKS]
    keys += [f"checks.index766.{code}.{variant}" for code in CHECKS766 for variant in VARIANTS766.get(code, [None]) if variant]
    keys += [f"checks.index766.{code}" for code in CHECKS766 if code not in VARIANTS766]
    for language in LANGUAGES:
        m = messages(language)
        missing = [f"{key}.{text}" for key in keys for text in TEXTS if not m.has(f"{key}.{text}")]
        assert not missing, f"{language}: {missing}"
        assert all(m.has(f"common.severity.{severity}") for severity in SEVERITIES)


def test_emitted_checks_are_all_declared(context) -> None:
    checks = every_kind_of_problem(context)
    assert set(checks["check"]) <= set(CHECKS)
    assert {"numerator_exceeds_denominator", "negative_count", "impossible_rate", "impossible_target", "blank_count", "rate_mismatch",
            "unreadable_value", "total_mismatch", "unit_missing", "unit_new", "target_missing"} <= set(checks["check"])
    assert (checks["severity"] == checks["check"].map(CHECKS)).all()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_emitted_check_is_written_in_both_languages(context, language: str) -> None:
    text = described(context, every_kind_of_problem(context), language)
    assert text["message"].str.len().gt(0).all() and text["severity"].str.len().gt(0).all()
    assert text["location"].str.len().gt(0).any()


def test_english_output_has_no_vietnamese_location_words(context) -> None:
    text = described(context, every_kind_of_problem(context), "en")
    for column in ("location", "message", "found", "expected"):
        for value in text[column]:
            assert not any(word in value for word in VIETNAMESE_LOCATION_WORDS), (column, value)


def test_checks_table_speaks_the_report_language(context) -> None:
    checks = every_kind_of_problem(context)
    for language in LANGUAGES:
        soup = BeautifulSoup(str(checks_table(checks, context.catalogue, language).html()), "html.parser")
        assert [cell.get_text() for cell in soup.select("td.message")] == list(described(context, checks, language)["message"])
        assert [cell["class"][0] for cell in soup.select("td:first-child")] == [f"severity-{severity}" for severity in checks["severity"]]
        assert [th.get_text() for th in soup.select("th")][0] == messages(language)("checks.column.severity")


def test_no_checks_are_described_as_no_rows(context) -> None:
    empty = checks_for(context, row("bd.y_te", period="2024-01"))
    empty = empty.iloc[0:0]
    assert describe_checks(empty, context.catalogue, "en").empty
    assert not checks_table(empty, context.catalogue, "en").rows


def test_the_cli_prints_the_checks_in_the_language_asked(data_dir, capsys) -> None:
    assert main(["ingest", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    assert main(["checks", "--data-dir", str(data_dir), "--province", "binh_dinh", "--month", "2024-02", "--language", "en"]) == 0
    english = capsys.readouterr().out
    assert "file phu_luc_7_chi_tieu_2024-02.xlsx, sheet PL1 - Cấp tỉnh, row 35, column F" in english
    assert "Reported 92% but the counts give 5.5% (33/602)" in english
    assert not any(f" {word} " in english for word in ("dòng", "cột", "tệp"))
    assert main(["checks", "--data-dir", str(data_dir), "--province", "binh_dinh", "--month", "2024-02"]) == 0
    assert "tệp phu_luc_7_chi_tieu_2024-02.xlsx, trang PL1 - Cấp tỉnh, dòng 35, cột F" in capsys.readouterr().out


@pytest.fixture(scope="module")
def checks766(ingested) -> list:
    """The checks of every bundled 766 snapshot, with the analysis that made them."""
    analyses = [analyse_index766(ingested, "gia_lai", date) for date in ("2026-09-24", "2026-10-10")]
    analyses += [analyse_index766(ingested, province, period_kind=None) for province in ("ha_noi", "binh_phuoc")]
    return [(analysis, analysis.checks) for analysis in analyses]


def test_766_checks_are_declared_and_written_in_english_without_vietnamese_places(checks766) -> None:
    seen = set()
    for analysis, checks in checks766:
        assert set(checks["check"]) <= set(CHECKS766) and (checks["severity"] == checks["check"].map(CHECKS766)).all()
        for code, params in zip(checks["check"], checks["params"]):
            assert params.get("variant") in VARIANTS766.get(code, (None,))
        seen |= set(checks["check"])
        for language in LANGUAGES:
            text = describe_checks(checks, analysis.catalogue, language, analysis.rules)
            assert text["message"].str.len().gt(0).all()
        english = describe_checks(checks, analysis.catalogue, "en", analysis.rules)
        assert not any(word in place for place in english["location"] for word in VIETNAMESE_LOCATION_WORDS)
        assert not english["message"].str.contains("dòng|cột").any()
    assert {"group_above_max", "rank_tie", "not_recomputable"} <= seen


def test_766_units_that_come_and_go_and_doubtful_counts_are_written_in_both_languages(context, rules) -> None:
    data = generate(rules, seed=3, provinces=1, departments=10, communes=10, snapshots=2)
    tidy = data.tidy
    first, second = sorted(tidy["snapshot_date"].unique())
    gone, new = "syn_01.cap_tinh_0001", "syn_01.cap_tinh_0002"
    tidy = tidy[~(((tidy["unit_id"] == gone) & (tidy["snapshot_date"] == second)) | ((tidy["unit_id"] == new) & (tidy["snapshot_date"] == first)))]
    counted = tidy.index[(tidy["measure"] == "indicator") & tidy["denominator"].notna() & (tidy["snapshot_date"] == second)][0]
    tidy = tidy.copy()
    tidy.loc[counted, "numerator"] = tidy.loc[counted, "denominator"] + 1
    scores = score(tidy, rules, context.catalogue.settings)
    before, after = snapshots_in(scores.totals)
    checks = run_checks766(scores, rules, context.catalogue, after, before)
    assert set(checks["check"]) >= {"unit_missing", "unit_new", "numerator_exceeds_denominator"}
    missing = checks[checks["check"] == "unit_missing"].iloc[0]
    assert (missing["unit_id"], missing["snapshot_date"], missing["params"]) == (gone, second, {"previous_date": first})
    vi = describe_checks(checks, context.catalogue, "vi", rules).set_index(checks["check"])
    en = describe_checks(checks, context.catalogue, "en", rules).set_index(checks["check"])
    assert vi.loc["unit_missing", "message"] == "Đơn vị có trong số liệu ngày 01/02/2026 nhưng không có trong kỳ này"
    assert en.loc["unit_new", "message"] == "Unit new since 01/02/2026: no comparison yet"
    assert en.loc["numerator_exceeds_denominator", "message"].startswith("Numerator above denominator (")


def test_severity_count_headers_follow_the_severities() -> None:
    assert count_headers("vi") == ["Sai số liệu", "Cần xem lại", "Lưu ý"]
    assert count_headers("en") == ["Errors", "Warnings", "Notes"]


def test_a_sheet_of_checks_is_headed_in_its_language_and_holds_only_text(context, checks766) -> None:
    monthly = headed_checks(every_kind_of_problem(context), context.catalogue, "vi")
    assert list(monthly.columns)[:3] == ["Mức độ", "Đơn vị", "Chỉ tiêu"]
    analysis, checks = checks766[0]
    index766 = headed_checks(checks, analysis.catalogue, "en", analysis.rules)
    assert list(index766.columns)[0] == "Severity" and len(index766) == len(checks)
    for frame in (monthly, index766):
        assert all(isinstance(value, str) for column in frame.columns for value in frame[column])
