"""Data checks of the 766 index: every figure that is doubtful, and why, in a table people read.

Nothing is corrected: the report shows the source's figure, and this table lists where it
exceeds its maximum, where a total is not the sum of its groups, where the rules do not
reproduce a published figure, ties the portal ranks one after the other, and units that
appear or disappear between snapshots. Severities are helpers.checks's (error/warning/info).
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.analysis.monthly.checks import SEVERITIES
from helpers.numbers import format_number
from helpers.rules766 import Index766Rules
from helpers.tidy766 import SNAPSHOT_KEYS, Snapshot
from helpers.analysis.index766.scoring import Scores

CHECK766_COLUMNS = [
    *SNAPSHOT_KEYS, "severity", "check", "level", "unit_id", "unit_name", "group", "indicator",
    "location", "found", "expected", "message_vi", "message_en",
]


def run_checks766(scores: Scores, rules: Index766Rules, catalogue: Catalogue, snapshot: Snapshot, previous: Snapshot | None) -> pd.DataFrame:
    """All checks of one snapshot (and of its units against the previous snapshot)."""
    current = scores.snapshot(snapshot)
    rows: list[dict[str, object]] = []
    rows += _above_max(current, rules)
    rows += _changed_max(current, rules)
    rows += _sum_of_groups(current)
    rows += _not_reproduced(current, rules)
    rows += _not_recomputable(current, catalogue)
    rows += _counts(current, rules)
    rows += _ranks(current)
    if previous is not None:
        rows += _presence(current, scores.snapshot(previous), snapshot, previous)
    frame = pd.DataFrame(rows, columns=CHECK766_COLUMNS)
    severity = {name: rank for rank, name in enumerate(SEVERITIES)}
    level = {name: rank for rank, name in enumerate([WHOLE_PROVINCE, *catalogue.levels])}
    frame = frame.assign(_severity=frame["severity"].map(severity), _level=frame["level"].map(level).fillna(len(level)))
    frame = frame.sort_values(["_severity", "check", "_level", "unit_name"], kind="stable")
    return frame.drop(columns=["_severity", "_level"]).reset_index(drop=True)


def _where(row: pd.Series) -> str:
    parts = [PurePosixPath(str(row["source_file"])).name] if isinstance(row.get("source_file"), str) else []
    for column in ("source_record", "source_field"):
        if isinstance(row.get(column), str) and row[column]:
            parts.append(row[column])
    return " › ".join(parts)


def _points(value: float) -> str:
    return format_number(float(value), 2)


def _row(source: pd.Series, severity: str, check: str, found: str, expected: str, vi: str, en: str, location: str | None = None) -> dict[str, object]:
    return {
        **{key: source[key] for key in SNAPSHOT_KEYS}, "severity": severity, "check": check, "level": source.get("level"),
        "unit_id": source.get("unit_id"), "unit_name": source.get("unit_name"), "group": source.get("group"),
        "indicator": source.get("indicator"), "location": _where(source) if location is None else location,
        "found": found, "expected": expected, "message_vi": vi, "message_en": en,
    }


def _above_max(scores: Scores, rules: Index766Rules) -> list[dict[str, object]]:
    rows = []
    for _, row in scores.groups[scores.groups["above_max"].fillna(False)].iterrows():
        group = rules.groups[row["group"]]
        rows.append(_row(row, "warning", "group_above_max", _points(row["score"]), f"≤ {_points(group.max_points)}",
                         f"Điểm nhóm “{group.name_vi}” {_points(row['score'])} vượt điểm tối đa {_points(group.max_points)}: báo cáo giữ số liệu của Cổng, cần đối chiếu",
                         f"Group “{group.name_en}” scores {row['score']:.2f}, above its maximum {group.max_points:g}: the report keeps the portal's figure; to be checked"))
    for _, row in scores.totals[scores.totals["above_max"].fillna(False)].iterrows():
        rows.append(_row(row, "warning", "total_above_max", _points(row["score"]), f"≤ {_points(rules.total_max)}",
                         f"Tổng điểm {_points(row['score'])} vượt {_points(rules.total_max)}: báo cáo giữ số liệu của Cổng, cần đối chiếu",
                         f"Total {row['score']:.2f} is above {rules.total_max:g}: the report keeps the portal's figure; to be checked"))
    return rows


def _changed_max(scores: Scores, rules: Index766Rules) -> list[dict[str, object]]:
    """A maximum the source states that is not the rules table's: the rules may have changed."""
    rows = []
    groups = scores.groups[scores.groups["published_max"].notna()]
    for _, row in groups[(groups["published_max"].astype(float) - groups["max_points"]).abs() > 1e-9].iterrows():
        rows.append(_row(row, "warning", "max_changed", _points(row["published_max"]), _points(row["max_points"]),
                         f"Nguồn ghi điểm tối đa của nhóm là {_points(row['published_max'])}, bảng quy tắc ghi {_points(row['max_points'])}: kiểm tra lại bảng quy tắc (data/catalogue/index766_groups.csv)",
                         f"The source gives the group a maximum of {row['published_max']:g}, the rules table {row['max_points']:g}: check data/catalogue/index766_groups.csv"))
    indicators = scores.indicators[scores.indicators["published_max"].fillna(0) > 0]
    for _, row in indicators[(indicators["published_max"].astype(float) - indicators["max_points"]).abs() > 1e-9].iterrows():
        rows.append(_row(row, "warning", "max_changed", _points(row["published_max"]), _points(row["max_points"]),
                         f"Nguồn ghi điểm tối đa của chỉ số {row['indicator']} là {_points(row['published_max'])}, bảng quy tắc ghi {_points(row['max_points'])}",
                         f"The source gives {row['indicator']} a maximum of {row['published_max']:g}, the rules table {row['max_points']:g}"))
    return rows


def _sum_of_groups(scores: Scores) -> list[dict[str, object]]:
    rows = []
    totals = scores.totals[scores.totals["groups_complete"] & scores.totals["published"].notna()]
    for _, row in totals[totals["sum_difference"].astype(float).abs() > totals["sum_tolerance"] + 1e-9].iterrows():
        rows.append(_row(row, "warning", "total_not_sum_of_groups", _points(row["published"]), _points(row["groups_sum"]),
                         f"Tổng điểm {_points(row['published'])} khác tổng sáu nhóm {_points(row['groups_sum'])} (chênh {_points(row['sum_difference'])}): báo cáo giữ tổng điểm của nguồn",
                         f"Total {row['published']:.2f} differs from the sum of its six groups {row['groups_sum']:.2f}: the report keeps the source's total"))
    return rows


def _not_reproduced(scores: Scores, rules: Index766Rules) -> list[dict[str, object]]:
    """Every published figure the rules table does not reproduce, sub-indicator, group and total."""
    rows = []
    for _, row in scores.indicators[scores.indicators["reproduced"].eq(False).fillna(False)].iterrows():
        rule = rules.rules[row["indicator"]]
        rows.append(_row(row, "warning", "points_not_reproduced", _points(row["published"]), _points(row["points"]),
                         f"Điểm công bố của “{rule.name_vi}” {_points(row['published'])} khác điểm tính theo bảng quy tắc {_points(row['points'])} (tỷ lệ {format_number(float(row['ratio_used']) * 100, 2)}%)",
                         f"Published points for “{rule.name_en}” {row['published']:.2f} differ from the rules' {row['points']:.2f}"))
    for frame, what_vi, what_en in ((scores.groups, "nhóm", "group"), (scores.totals, "tổng điểm", "total")):
        for _, row in frame[frame["reproduced"].eq(False).fillna(False)].iterrows():
            label = rules.groups[row["group"]].name_vi if what_en == "group" else what_vi
            rows.append(_row(row, "warning", "points_not_reproduced", _points(row["published"]), _points(row["recomputed"]),
                             f"Điểm công bố ({label}) {_points(row['published'])} khác điểm tính lại từ các chỉ số thành phần {_points(row['recomputed'])}",
                             f"Published {what_en} {row['published']:.2f} differs from the {row['recomputed']:.2f} recomputed from its sub-indicators"))
    return rows


def _not_recomputable(scores: Scores, catalogue: Catalogue) -> list[dict[str, object]]:
    """One note per level when the source gives group scores but no sub-indicators."""
    rows = []
    with_indicators = set(scores.indicators["unit_id"])
    only_groups = scores.totals[~scores.totals["unit_id"].isin(with_indicators) & scores.totals["groups_complete"]]
    for level, group in only_groups.groupby("level", sort=False):
        first = group.iloc[0].copy()
        first["unit_id"], first["unit_name"] = None, None
        files = ", ".join(sorted({PurePosixPath(str(name)).name for name in group["source_file"].dropna()}))
        scope_vi, scope_en = catalogue.level_name(str(level)), catalogue.level_name(str(level), "en")
        count_vi = "" if level == WHOLE_PROVINCE else f" ({format_number(len(group))} đơn vị)"
        count_en = "" if level == WHOLE_PROVINCE else f" ({len(group)} units)"
        rows.append(_row(first, "info", "not_recomputable", "điểm nhóm", "chỉ số thành phần",
                         f"{scope_vi}{count_vi}: nguồn chỉ có điểm nhóm, không có chỉ số thành phần, nên không tính lại được điểm theo bảng quy tắc; báo cáo dùng điểm của Cổng",
                         f"{scope_en}{count_en}: the source has group scores but no sub-indicators, so points cannot be recomputed; the report uses the portal's scores",
                         location=files))
    for _, row in scores.indicators[scores.indicators["basis"] == "none"].iterrows():
        rows.append(_row(row, "info", "not_recomputable", "không có tỷ lệ, tử số, mẫu số", "tỷ lệ hoặc tử số/mẫu số",
                         f"Chỉ số {row['indicator']} không có tỷ lệ hay tử số, mẫu số: không tính được điểm",
                         f"{row['indicator']} has neither a ratio nor counts: no points can be computed"))
    return rows


def _counts(scores: Scores, rules: Index766Rules) -> list[dict[str, object]]:
    rows = []
    indicators = scores.indicators
    exceeds = (indicators["numerator"].astype("Float64") > indicators["denominator"].astype("Float64")).fillna(False)
    for _, row in indicators[exceeds].iterrows():
        found = f"{format_number(row['numerator'])}/{format_number(row['denominator'])}"
        rows.append(_row(row, "warning", "numerator_exceeds_denominator", found, "tử số ≤ mẫu số",
                         f"Tử số lớn hơn mẫu số ({found}) ở “{rules.rules[row['indicator']].name_vi}”: điểm được tính ở mức tối đa",
                         f"Numerator above denominator ({found}) for “{rules.rules[row['indicator']].name_en}”: scored at its maximum"))
    return rows


def _ranks(scores: Scores) -> list[dict[str, object]]:
    """Ties the source ranks one after the other (noted), and source ranks the scores contradict."""
    rows = []
    totals = scores.totals[scores.totals["level"] != WHOLE_PROVINCE]
    for _, row in totals[totals["tie_size"].fillna(1) > 1].iterrows():
        shown = f"{row['rank']}/{row['rank_base']}" if pd.notna(row["rank"]) else "–"
        rows.append(_row(row, "info", "rank_tie", shown, f"đồng hạng {row['computed_rank']}",
                         f"Đồng điểm {_points(row['score'])} với {row['tied_with']}: Cổng xếp liên tiếp (hạng {shown}); khi tự xếp, các đơn vị đồng điểm cùng hạng {row['computed_rank']}",
                         f"Tied at {row['score']:.2f} with {row['tied_with']}: the portal ranks them one after the other ({shown}); ranked here they share rank {row['computed_rank']}"))
    for rank, base, computed, counted, label in (
        ("rank", "rank_base", "computed_rank", "ranked_units", "xếp hạng chung"),
        ("group_rank", "group_rank_base", "computed_level_rank", "level_ranked_units", "xếp hạng trong nhóm"),
    ):
        # Only when every unit the portal ranked is in the data can its ranks be checked.
        complete = totals[totals[rank].notna() & (totals[counted] == totals[base])]
        lowest = complete[computed].astype("Int64")
        highest = lowest + complete["tie_size"].fillna(1).astype("Int64") - 1
        wrong = complete[(complete[rank] < lowest) | (complete[rank] > highest)]
        for _, row in wrong.iterrows():
            rows.append(_row(row, "warning", "rank_out_of_order", str(row[rank]), str(row[computed]),
                             f"Cổng ghi {label} {row[rank]}/{row[base]} nhưng theo điểm số đơn vị đứng thứ {row[computed]}",
                             f"The portal ranks the unit {row[rank]}/{row[base]} but its score places it {row[computed]}"))
    return rows


def _presence(current: Scores, previous: Scores, snapshot: Snapshot, before: Snapshot) -> list[dict[str, object]]:
    rows = []
    now = current.totals[current.totals["level"] != WHOLE_PROVINCE]
    then = previous.totals[previous.totals["level"] != WHOLE_PROVINCE]
    for _, row in then[~then["unit_id"].isin(set(now["unit_id"]))].iterrows():
        source = row.copy()
        for key, value in zip(SNAPSHOT_KEYS, (row["province"], snapshot.period_kind, snapshot.period, snapshot.snapshot_date)):
            source[key] = value
        rows.append(_row(source, "warning", "unit_missing", "không có", f"có trong số liệu ngày {before.date_label()}",
                         f"Đơn vị có trong số liệu ngày {before.date_label()} nhưng không có trong kỳ này",
                         f"Unit present on {before.date_label()} but absent from this snapshot", location=""))
    for _, row in now[~now["unit_id"].isin(set(then["unit_id"]))].iterrows():
        rows.append(_row(row, "info", "unit_new", "mới", "", f"Đơn vị mới so với số liệu ngày {before.date_label()}: chưa có kỳ so sánh",
                         f"Unit new since {before.date_label()}: no comparison yet"))
    return rows
