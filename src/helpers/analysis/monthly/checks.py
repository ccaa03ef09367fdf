"""Data checks: a table a person can read of every figure that is doubtful, and why.

Each row names the unit (or level), the indicator, where in the source it is, what was found
and what was expected, in Vietnamese and English. Nothing is corrected: the engine shows the
recomputed figure, and this table shows where it and the source disagree.
"""

from __future__ import annotations

import math
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.analysis.monthly.engine import IndicatorResults
from helpers.numbers import format_number, format_percent
from helpers.periods import previous_period
from helpers.registry import UnitRegistry

CHECK_COLUMNS = [
    "period", "province", "severity", "check", "level", "unit_id", "unit_name", "indicator",
    "location", "found", "expected", "message_vi", "message_en",
]
SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {
    "vi": {"error": "Sai số liệu", "warning": "Cần xem lại", "info": "Lưu ý"},
    "en": {"error": "Error", "warning": "Warning", "info": "Note"},
}


def run_checks(tidy: pd.DataFrame, results: IndicatorResults, catalogue: Catalogue, registry: UnitRegistry) -> pd.DataFrame:
    """All checks for every month in ``tidy``; sorted by month, severity, level and unit."""
    rows: list[dict[str, object]] = []
    units = tidy[tidy["row_kind"] == "unit"]
    rows += _count_checks(units, catalogue)
    rows += _rate_checks(units, results.units, catalogue)
    rows += _target_checks(results.units, catalogue)
    rows += _unreadable_cells(tidy, catalogue)
    rows += _missing_denominator(results.aggregates, catalogue)
    rows += _published_checks(tidy, results, catalogue)
    rows += _unit_presence(units, registry, catalogue)
    frame = pd.DataFrame(rows, columns=CHECK_COLUMNS)
    severity_order = {severity: rank for rank, severity in enumerate(SEVERITIES)}
    level_order = {level: rank for rank, level in enumerate([WHOLE_PROVINCE, *catalogue.levels])}
    frame = frame.assign(
        _severity=frame["severity"].map(severity_order), _level=frame["level"].map(level_order).fillna(len(level_order))
    )
    frame = frame.sort_values(["period", "province", "_severity", "_level", "unit_name", "check"], kind="stable", na_position="first")
    return frame.drop(columns=["_severity", "_level"]).reset_index(drop=True)


def _where(row: pd.Series | dict, cell_column: str | None = None) -> str:
    parts = [PurePosixPath(str(row["source_file"])).name] if row.get("source_file") else []
    if isinstance(row.get("source_sheet"), str) and row["source_sheet"]:
        parts.append(row["source_sheet"])
    cell = row.get(cell_column) if cell_column else None
    if isinstance(cell, str) and cell:
        parts.append(cell)
    elif row.get("source_row") is not None and not pd.isna(row.get("source_row")):
        parts.append(f"dòng {int(row['source_row'])}")
    return " › ".join(parts)


def _row(source: pd.Series | dict, severity: str, check: str, location: str, found: str, expected: str, vi: str, en: str) -> dict[str, object]:
    return {
        "period": source["period"], "province": source["province"], "severity": severity, "check": check,
        "level": source.get("level"), "unit_id": source.get("unit_id"), "unit_name": source.get("unit_name"),
        "indicator": source.get("indicator"), "location": location, "found": found, "expected": expected,
        "message_vi": vi, "message_en": en,
    }


def _count_checks(units: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    numerator, denominator = units["numerator"], units["denominator"]
    for _, row in units[(numerator < 0).fillna(False) | (denominator < 0).fillna(False)].iterrows():
        column, value = ("numerator", row["numerator"]) if pd.notna(row["numerator"]) and row["numerator"] < 0 else ("denominator", row["denominator"])
        rows.append(_row(row, "error", "negative_count", _where(row, f"{column}_cell"), str(value), "≥ 0",
                         f"Số đếm âm ({value}) cho chỉ tiêu {_ind(catalogue, row, 'vi')}",
                         f"Negative count ({value}) for {_ind(catalogue, row, 'en')}"))
    exceeds = (numerator > denominator).fillna(False)
    for _, row in units[exceeds].iterrows():
        found = f"{row['numerator']}/{row['denominator']}"
        rows.append(_row(row, "error", "numerator_exceeds_denominator", _where(row, "numerator_cell"), found, "tử số ≤ mẫu số",
                         f"Tử số lớn hơn mẫu số ({_counts(row, 'vi')}) ở chỉ tiêu {_ind(catalogue, row, 'vi')}",
                         f"Numerator larger than denominator ({_counts(row, 'en')}) for {_ind(catalogue, row, 'en')}"))
    absent = {indicator.id for indicator in catalogue.indicators.values() if indicator.appendix_denominator == "absent"}
    blank = units["numerator"].isna() | (units["denominator"].isna() & ~units["indicator"].isin(absent))
    for _, row in units[blank].iterrows():
        column = "numerator_cell" if pd.isna(row["numerator"]) else "denominator_cell"
        rows.append(_row(row, "warning", "blank_count", _where(row, column), "trống", "một số đếm",
                         f"Ô số liệu để trống: đơn vị không được tính vào tỷ lệ chung của chỉ tiêu {_ind(catalogue, row, 'vi')}",
                         f"Blank count: the unit is left out of the pooled rate of {_ind(catalogue, row, 'en')}"))
    return rows


def _tolerance_pp(reported: float, catalogue: Catalogue) -> float:
    """A rate written with decimals is held to those decimals; a whole percent to rounding."""
    whole = math.isclose(reported * 100, round(reported * 100), abs_tol=1e-6)
    key = "rate_tolerance_integer_pp" if whole else "rate_tolerance_decimal_pp"
    return catalogue.setting(key) + 1e-9


def _mismatched(comparable: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    """Rows whose reported rate (within 0–100%) differs from the recomputed one beyond
    ``_tolerance_pp``, computed for every row at once (a Python loop over every unit was most
    of the checks' time)."""
    reported = comparable["reported_rate"].astype("float64").to_numpy()
    recomputed = comparable["rate"].astype("float64").to_numpy()
    percent = reported * 100
    # math.isclose(percent, round(percent), abs_tol=1e-6), element-wise (numpy rounds halves to even, as round does)
    nearest = np.round(percent)
    whole = np.abs(percent - nearest) <= np.maximum(1e-9 * np.maximum(np.abs(percent), np.abs(nearest)), 1e-6)
    tolerance = np.where(whole, catalogue.setting("rate_tolerance_integer_pp"), catalogue.setting("rate_tolerance_decimal_pp")) + 1e-9
    mismatched = (reported >= 0) & (reported <= 1) & ~(np.abs(reported - recomputed) * 100 <= tolerance)
    return pd.Series(mismatched, index=comparable.index)


def _rate_checks(units: pd.DataFrame, evaluated: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    for _, row in units[(units["reported_rate"] > 1.0).fillna(False) | (units["reported_rate"] < 0).fillna(False)].iterrows():
        rows.append(_row(row, "error", "impossible_rate", _where(row, "rate_cell"), format_percent(row["reported_rate"]), "0–100%",
                         f"Tỷ lệ báo cáo {format_percent(row['reported_rate'])} không thể có (ngoài 0–100%)",
                         f"Reported rate {format_percent(row['reported_rate'], language='en')} is impossible (outside 0–100%)"))
    comparable = evaluated[(evaluated["rate_source"] == "recomputed") & evaluated["reported_rate"].notna()]
    for _, row in comparable[_mismatched(comparable, catalogue)].iterrows():
        reported, recomputed = float(row["reported_rate"]), float(row["rate"])
        rows.append(_row(row, "warning", "rate_mismatch", _where(row, "rate_cell"), format_percent(reported), format_percent(recomputed, 2),
                         f"Tỷ lệ báo cáo {format_percent(reported)} khác tỷ lệ tính lại từ số liệu {format_percent(recomputed)} ({_counts(row, 'vi')})",
                         f"Reported {format_percent(reported, language='en')} but the counts give {format_percent(recomputed, language='en')} ({_counts(row, 'en')})"))
    return rows


def _target_checks(evaluated: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    """Assigned targets the engine could not use as given (see helpers.engine): the floor applies."""
    rows = []
    blank = evaluated["assigned_target"].isna() & evaluated["target_cell"].notna() & evaluated["target"].notna()
    for _, row in evaluated[blank].iterrows():
        tier_vi = {"provincial": "mức tỉnh giao thấp nhất", "central": "chỉ tiêu Trung ương"}[row["target_tier"]]
        tier_en = {"provincial": "provincial floor", "central": "central target"}[row["target_tier"]]
        target = float(row["target"])
        rows.append(_row(row, "info", "target_missing", _where(row, "target_cell"), "trống", "chỉ tiêu được giao",
                         f"Ô chỉ tiêu được giao để trống; báo cáo dùng {tier_vi} {format_percent(target)}",
                         f"Assigned target left blank; the report uses the {tier_en} {format_percent(target, language='en')}"))
    for _, row in evaluated[evaluated["target_tier"] == "floor"].iterrows():
        assigned, floor = float(row["assigned_target"]), float(row["target"])
        from_province = pd.notna(row["provincial_target"])
        tier_vi = "mức tỉnh giao thấp nhất" if from_province else "chỉ tiêu Trung ương"
        tier_en = "provincial floor" if from_province else "central target"
        where = _where(row, "target_cell")
        if not 0 <= assigned <= 1:
            rows.append(_row(row, "error", "impossible_target", where, format_percent(assigned), "0–100%",
                             f"Chỉ tiêu được giao {format_percent(assigned)} không thể có; báo cáo dùng {tier_vi} {format_percent(floor)}",
                             f"Assigned target {format_percent(assigned, language='en')} is impossible; the report uses the {tier_en} {format_percent(floor, language='en')}"))
        else:
            rows.append(_row(row, "warning", "target_below_floor", where, format_percent(assigned), f"≥ {format_percent(floor)}",
                             f"Chỉ tiêu được giao {format_percent(assigned)} thấp hơn {tier_vi} {format_percent(floor)}; báo cáo dùng {format_percent(floor)}",
                             f"Assigned target {format_percent(assigned, language='en')} is below the {tier_en} {format_percent(floor, language='en')}; the report uses {format_percent(floor, language='en')}"))
    return rows


def _unreadable_cells(tidy: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    for _, row in tidy[tidy["parse_notes"].notna()].iterrows():
        for note in str(row["parse_notes"]).split("; "):
            field_and_cell, _, text = note.partition("=")
            field, _, cell = field_and_cell.partition("@")
            label_vi, label_en = ("tỷ lệ báo cáo", "reported rate") if field == "reported_rate" else ("chỉ tiêu được giao", "assigned target")
            location = " › ".join(part for part in (_where(row), cell) if part)
            rows.append(_row(row, "warning", "unreadable_value", location, text, "một tỷ lệ như 98% hoặc 99,8%",
                             f"Không đọc được {label_vi} {text}; ô được bỏ qua",
                             f"Unreadable {label_en} {text}; the cell was ignored"))
    return rows


def _missing_denominator(aggregates: pd.DataFrame, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    absent = [indicator for indicator in catalogue.indicators.values() if indicator.appendix_denominator == "absent"]
    for indicator in absent:
        for _, row in aggregates[(aggregates["indicator"] == indicator.id) & (aggregates["level"] != WHOLE_PROVINCE) & aggregates["rate"].isna()].iterrows():
            row = row.copy()
            row["unit_name"] = catalogue.level_name(row["level"])
            rows.append(_row(row, "info", "no_denominator", "", "", indicator.denominator_vi,
                             f"Bảng không có mẫu số ({indicator.denominator_vi.lower()}): không tính lại được tỷ lệ; dùng tỷ lệ đơn vị tự báo cáo, không có tỷ lệ chung của {catalogue.level_name(row['level'])}",
                             f"The table has no denominator ({indicator.denominator_en.lower()}): rates cannot be recomputed; units' reported rates are shown and there is no pooled rate for the {catalogue.level_name(row['level'], 'en').lower()}"))
    return rows


def _published_checks(tidy: pd.DataFrame, results: IndicatorResults, catalogue: Catalogue) -> list[dict[str, object]]:
    rows = []
    totals = tidy[tidy["row_kind"] == "total"]
    if totals.empty:
        return rows
    merged = totals.merge(
        results.aggregates[["period", "province", "level", "indicator", "numerator", "denominator", "rate"]],
        on=["period", "province", "level", "indicator"],
        how="left",
        suffixes=("", "_pooled"),
    )
    for _, row in merged.iterrows():
        scope_vi, scope_en = catalogue.level_name(row["level"]), catalogue.level_name(row["level"], "en")
        row = row.copy()
        row["unit_name"] = scope_vi
        for column in ("numerator", "denominator"):
            published, pooled = row[column], row[f"{column}_pooled"]
            if pd.notna(published) and pd.notna(pooled) and int(published) != int(pooled):
                rows.append(_row(row, "warning", "total_mismatch", _where(row, f"{column}_cell"), format_number(published), format_number(pooled),
                                 f"Dòng tổng của {scope_vi} ghi {format_number(published)}, cộng các đơn vị được {format_number(pooled)}",
                                 f"The {scope_en.lower()} total says {format_number(published, language='en')}; its units add up to {format_number(pooled, language='en')}"))
        published_rate, pooled_rate = row["reported_rate"], row["rate"]
        if pd.isna(published_rate):
            continue
        if pd.isna(pooled_rate):
            rows.append(_row(row, "warning", "published_not_reproducible", _where(row, "rate_cell"), format_percent(published_rate), "",
                             f"Số liệu công bố {format_percent(published_rate)} ({scope_vi}) không tính lại được từ các bảng phụ lục",
                             f"The published {format_percent(published_rate, language='en')} ({scope_en.lower()}) cannot be recomputed from the appendix tables"))
        elif abs(float(published_rate) - float(pooled_rate)) * 100 > _tolerance_pp(float(published_rate), catalogue):
            counts_vi = f"{format_number(row['numerator_pooled'])}/{format_number(row['denominator_pooled'])}"
            counts_en = f"{format_number(row['numerator_pooled'], language='en')}/{format_number(row['denominator_pooled'], language='en')}"
            rows.append(_row(row, "warning", "published_mismatch", _where(row, "rate_cell"), format_percent(published_rate), format_percent(pooled_rate, 2),
                             f"Số liệu công bố {format_percent(published_rate)} ({scope_vi}) khác tỷ lệ tính gộp từ bảng {format_percent(pooled_rate)} ({counts_vi})",
                             f"Published {format_percent(published_rate, language='en')} ({scope_en.lower()}) differs from the pooled {format_percent(pooled_rate, language='en')} ({counts_en})"))
    return rows


def _unit_presence(units: pd.DataFrame, registry: UnitRegistry, catalogue: Catalogue) -> list[dict[str, object]]:
    """Units expected (registry, or present last month) but absent, and units new since last month."""
    rows = []
    present = units[["period", "province", "level", "unit_id"]].drop_duplicates()
    by_month = {key: set(group["unit_id"]) for key, group in present.groupby(["province", "period"])}
    for (province, period), unit_ids in by_month.items():
        previous = by_month.get((province, previous_period(period)))
        expected = {unit.unit_id: "registry" for unit in registry.units_of(province, period)}
        for unit_id in previous or set():
            expected[unit_id] = "previous"
        for unit_id, reason in sorted(expected.items()):
            if unit_id in unit_ids:
                continue
            unit = registry.units[unit_id]
            source = {"period": period, "province": province, "level": unit.level, "unit_id": unit_id, "unit_name": unit.name_vi}
            since_vi = "có trong số liệu tháng trước" if reason == "previous" else "có trong danh mục đơn vị"
            since_en = "present last month" if reason == "previous" else "listed in the unit registry"
            rows.append(_row(source, "warning", "unit_missing", "", "không có", since_vi,
                             f"Đơn vị {since_vi} nhưng không có trong số liệu tháng này",
                             f"Unit {since_en} but absent this month"))
        for unit_id in sorted(unit_ids - previous) if previous is not None else []:
            unit = registry.units[unit_id]
            source = {"period": period, "province": province, "level": unit.level, "unit_id": unit_id, "unit_name": unit.name_vi}
            rows.append(_row(source, "info", "unit_new", "", "mới", "", "Đơn vị mới so với tháng trước", "Unit new since last month"))
    return rows


def _ind(catalogue: Catalogue, row: pd.Series | dict, language: str) -> str:
    return f"“{catalogue.indicator(str(row['indicator'])).short(language)}”"


def _counts(row: pd.Series | dict, language: str) -> str:
    return f"{format_number(row['numerator'], language=language)}/{format_number(row['denominator'], language=language)}"


def severity_label(severity: str, language: str = "vi") -> str:
    return SEVERITY_LABELS[language][severity]


def summary_counts(checks: pd.DataFrame) -> dict[str, int]:
    counts = checks["severity"].value_counts()
    return {severity: int(counts.get(severity, 0)) for severity in SEVERITIES}
