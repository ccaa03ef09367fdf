"""Tables and drafted text of the 766 report, in Vietnamese (default) or English.

Every figure leadership sees goes through helpers.numbers (``66,23``, ``65,5%``, ``1.313``).
The drafted text follows the reports analysts write today (seeds/002): bold figures,
two-digit counts ("**03** đơn vị"), causes and recommendations left to the analyst.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.analysis.monthly.checks import severity_label
from helpers.numbers import format_number, format_percent
from helpers.analysis.index766.analysis import Index766Analysis
from helpers.analysis.index766.changes import SCOPE_TOTAL, points_change_text, rank_change_text
from helpers.analysis.index766.stakes import LEVER_METHOD, group_stakes, indicator_stakes, province_levers

LABELS = {
    "vi": {
        "group": "Nhóm chỉ số", "score": "Điểm", "share": "Tỷ lệ so với điểm tối đa", "band": "Mức", "change": "So với kỳ trước",
        "total": "Tổng điểm", "unit": "Đơn vị", "level": "Cấp", "rank": "Xếp hạng chung", "group_rank": "Xếp hạng trong khối",
        "rank_change": "Thứ hạng", "weakest": "Nhóm thấp nhất", "item": "Nội dung", "value": "Kết quả",
        "lost": "Điểm bị mất", "indicator": "Chỉ số thành phần", "ratio": "Tỷ lệ", "threshold": "Ngưỡng đạt điểm tối đa",
        "needed": "Cần thêm để đạt điểm tối đa", "previous": "Kỳ trước", "streak": "Số kỳ liên tiếp", "since": "Từ ngày",
        "red_units": "Số đơn vị mức đỏ", "amber_units": "Số đơn vị mức vàng", "share_den": "Tỷ trọng trong mẫu số của tỉnh",
        "gain": "Điểm tỉnh tăng thêm", "severity": "Mức độ", "location": "Vị trí", "message": "Nội dung",
        "province_rank": "Xếp hạng của tỉnh", "units_ranked": "Số đơn vị được xếp hạng", "no_rank": "nguồn chưa có xếp hạng của tỉnh",
        "tie": "đồng điểm", "snapshot": "Kỳ số liệu", "compared_with": "Kỳ so sánh", "none": "chưa có kỳ so sánh",
    },
    "en": {
        "group": "Group", "score": "Score", "share": "Share of maximum", "band": "Band", "change": "Since previous snapshot",
        "total": "Total", "unit": "Unit", "level": "Level", "rank": "Overall rank", "group_rank": "Rank within its group",
        "rank_change": "Rank", "weakest": "Weakest group", "item": "Item", "value": "Value",
        "lost": "Points lost", "indicator": "Sub-indicator", "ratio": "Ratio", "threshold": "Full points at",
        "needed": "Needed for full points", "previous": "Previous", "streak": "Snapshots running", "since": "Since",
        "red_units": "Units in red", "amber_units": "Units in amber", "share_den": "Share of the province's denominator",
        "gain": "Province points gained", "severity": "Severity", "location": "Where", "message": "Message",
        "province_rank": "Province's rank", "units_ranked": "Units ranked", "no_rank": "the source has no province rank",
        "tie": "tied", "snapshot": "Snapshot", "compared_with": "Compared with", "none": "no comparison yet",
    },
}
SECTIONS = {
    "vi": {
        "groups": ("1. Điểm của tỉnh theo nhóm chỉ số", "Nhóm nào dưới {red} điểm tối đa (đỏ) hay từ {red} đến dưới {amber} (vàng), và thay đổi so với kỳ trước."),
        "rank": ("2. Xếp hạng", "Vị trí của tỉnh và số đơn vị được Cổng DVCQG xếp hạng; sở, ngành và xã, phường được xếp chung một bảng."),
        "laggards": ("3. Đơn vị có tổng điểm thấp nhất", "Mỗi cấp {count} đơn vị thấp nhất, thứ hạng (chung và trong khối), thay đổi và nhóm chỉ số yếu nhất."),
        "by_group": ("4. Đơn vị thấp điểm theo từng nhóm chỉ số", "Số đơn vị ở mức đỏ, vàng trong mỗi nhóm, và các đơn vị thấp nhất của mỗi nhóm."),
        "changes": ("5. Biến động so với kỳ trước", "Đơn vị giảm từ {notable} điểm trở lên (thay đổi chỉ do làm tròn không tính), và đơn vị ở mức đỏ nhiều kỳ liên tiếp."),
        "stakes": ("6. Điểm bị mất và đòn bẩy", "Tỉnh mất điểm ở đâu, cần thêm bao nhiêu hồ sơ để lấy lại; đơn vị nào mất nhiều điểm nhất và cải thiện ở đâu nâng điểm tỉnh nhiều nhất."),
        "draft": ("7. Dự thảo nội dung báo cáo", "Các câu nêu số liệu; nguyên nhân và kiến nghị do chuyên viên bổ sung."),
        "checks": ("8. Kiểm tra số liệu", "Số liệu cần đối chiếu với Cổng DVCQG; báo cáo giữ nguyên số liệu của nguồn."),
    },
    "en": {
        "groups": ("1. The province's score by group", "Which groups are below {red} of their maximum (red) or {red} to below {amber} (amber), and how they moved."),
        "rank": ("2. Rank", "The province's rank and how many of its units the portal ranks; departments and communes share one ranking."),
        "laggards": ("3. Units with the lowest totals", "The {count} lowest units of each level, their ranks (overall and within their group), change and weakest group."),
        "by_group": ("4. Low scores by group", "How many units are red or amber in each group, and each group's lowest units."),
        "changes": ("5. Changes since the previous snapshot", "Units that fell by {notable} points or more (rounding alone does not count), and units red for several snapshots running."),
        "stakes": ("6. Points at stake and levers", "Where the province loses points and how many more dossiers would win them back; which units lose most and whose improvement lifts the province most."),
        "draft": ("7. Draft text", "The factual sentences; causes and recommendations are the analyst's."),
        "checks": ("8. Data checks", "Figures to check against the portal; the report keeps the source's figures."),
    },
}
BAND_WORDS = {"vi": {"red": "đỏ", "amber": "vàng", "green": "đạt"}, "en": {"red": "red", "amber": "amber", "green": "good"}}


def _points(value: float | None, language: str) -> str:
    return "–" if value is None or pd.isna(value) else format_number(float(value), 2, language)


def _count(value: int) -> str:
    """Counts the way the reports write them: two digits below ten (``03``)."""
    return f"{value:02d}" if 0 <= value < 10 else format_number(value)


def _score_of_max(row: pd.Series, language: str) -> str:
    """``11,1/18``: a score against its maximum."""
    return f"{_points(row['score'], language)}/{format_number(row['max_points'], 2, language)}"


def _standing(analysis: Index766Analysis, row: pd.Series, labels: dict[str, str], language: str) -> dict[str, str]:
    """The cells every score table shows: score of maximum, share, band, change."""
    return {
        labels["score"]: _score_of_max(row, language),
        labels["share"]: format_percent(row["share"], 1, language),
        labels["band"]: band_label(row["band"], analysis.settings, language),
        labels["change"]: _change(analysis, row, language),
    }


def band_label(band: str, settings: dict[str, float], language: str = "vi") -> str:
    """``Dưới 50% (đỏ)``, ``50% – dưới 70% (vàng)``, ``Từ 70% (đạt)``: thresholds from settings."""
    red = format_percent(settings["red_below_share_of_max"], 0, language)
    amber = format_percent(settings["amber_below_share_of_max"], 0, language)
    words = BAND_WORDS[language]
    if band == "red":
        return f"{'Dưới' if language == 'vi' else 'Below'} {red} ({words['red']})"
    if band == "amber":
        return f"{red} – {'dưới' if language == 'vi' else 'below'} {amber} ({words['amber']})"
    if band == "green":
        return f"{'Từ' if language == 'vi' else 'From'} {amber} ({words['green']})"
    return "–"


def _rank_text(rank: int | None, base: int | None, tied: bool, language: str) -> str:
    """``11/63``, ``08/23``: as the reports write ranks."""
    if rank is None or pd.isna(rank):
        return "–"
    text = f"{int(rank):02d}/{int(base):02d}" if base is not None and not pd.isna(base) else str(int(rank))
    return f"{text} ({LABELS[language]['tie']})" if tied else text


def _change(analysis: Index766Analysis, row: pd.Series, language: str) -> str:
    return points_change_text(row["delta"], row["comparison"], analysis.settings["index766_points_tolerance"], language)


def section(key: str, analysis: Index766Analysis, count: int = 10, language: str = "vi") -> tuple[str, str]:
    """A section's heading and the sentence saying what leadership should see there."""
    heading, what = SECTIONS[language][key]
    settings = analysis.settings
    what = what.format(
        red=format_percent(settings["red_below_share_of_max"], 0, language),
        amber=format_percent(settings["amber_below_share_of_max"], 0, language),
        notable=format_number(settings["notable_change_points"], 2, language),
        count=count,
    )
    return heading, what


def title(analysis: Index766Analysis, language: str = "vi") -> str:
    """``Bộ chỉ số 766 — tỉnh Gia Lai``."""
    return f"{'Bộ chỉ số 766' if language == 'vi' else '766 index'} — {analysis.province_name}"


def subtitle(analysis: Index766Analysis, language: str = "vi") -> str:
    """Which snapshot, and which one it is compared with."""
    if language == "vi":
        compared = f"so sánh với số liệu ngày {analysis.previous.date_label()}" if analysis.previous else "chưa có kỳ so sánh"
    else:
        compared = f"compared with {analysis.previous.date_label()}" if analysis.previous else "no comparison yet"
    return f"{analysis.snapshot.label(language).capitalize()} ({compared})."


def group_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """The province's six groups and total against their maxima, with band and change."""
    labels = LABELS[language]
    changes = analysis.changes[analysis.changes["level"] == WHOLE_PROVINCE].set_index("scope")
    rows = []
    for scope in [*analysis.rules.groups, SCOPE_TOTAL]:
        if scope not in changes.index:
            continue
        row = changes.loc[scope]
        name = labels["total"] if scope == SCOPE_TOTAL else analysis.rules.groups[scope].name(language)
        rows.append({
            labels["group"]: name,
            **_standing(analysis, row, labels, language),
        })
    return pd.DataFrame(rows)


def rank_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """The province's national rank and its change, and how many of its units are ranked."""
    labels = LABELS[language]
    rows = []
    province = analysis.changes[(analysis.changes["level"] == WHOLE_PROVINCE) & (analysis.changes["scope"] == SCOPE_TOTAL)]
    if len(province) and pd.notna(province.iloc[0]["rank"]):
        row = province.iloc[0]
        change = rank_change_text(row["rank_change"], "compared" if pd.notna(row["previous_rank"]) else "no_previous_snapshot", language)
        if pd.notna(row["previous_rank"]):
            change += f" ({_rank_text(row['previous_rank'], row['previous_rank_base'], False, language)} {'ngày' if language == 'vi' else 'on'} {analysis.previous.date_label() if analysis.previous else ''})"
        rows.append({labels["item"]: labels["province_rank"], labels["value"]: _rank_text(row["rank"], row["rank_base"], False, language), labels["change"]: change})
    else:
        rows.append({labels["item"]: labels["province_rank"], labels["value"]: "–", labels["change"]: labels["no_rank"]})
    units = analysis.current.totals[analysis.current.totals["level"] != WHOLE_PROVINCE]
    for level, group in units.groupby("level", sort=False):
        rows.append({labels["item"]: f"{labels['units_ranked']} — {analysis.catalogue.level_name(str(level), language)}", labels["value"]: format_number(len(group), language=language), labels["change"]: ""})
    return pd.DataFrame(rows)


def _unit_changes(analysis: Index766Analysis) -> pd.DataFrame:
    return analysis.changes[analysis.changes["level"] != WHOLE_PROVINCE]


def laggards_by_total(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The ``count`` lowest totals of each level, worst first, with ranks, changes, weakest group."""
    labels = LABELS[language]
    changes = _unit_changes(analysis)
    totals = changes[changes["scope"] == SCOPE_TOTAL]
    groups = changes[changes["scope"] != SCOPE_TOTAL]
    weakest = groups.sort_values("share", kind="stable").drop_duplicates("unit_id").set_index("unit_id")
    rows = []
    for level in analysis.catalogue.levels:
        worst = totals[totals["level"] == level].sort_values(["score", "unit_name"], kind="stable").head(count)
        for _, row in worst.iterrows():
            weak = weakest.loc[row["unit_id"]] if row["unit_id"] in weakest.index else None
            rows.append({
                labels["level"]: analysis.catalogue.level_name(level, language),
                labels["unit"]: row["unit_name"],
                labels["total"]: _points(row["score"], language),
                labels["rank"]: _rank_text(row["rank"], row["rank_base"], bool(row["tie_size"] > 1) if pd.notna(row["tie_size"]) else False, language),
                labels["group_rank"]: _rank_text(row["group_rank"], row["group_rank_base"], False, language),
                labels["change"]: _change(analysis, row, language),
                labels["rank_change"]: rank_change_text(row["rank_change"], row["comparison"], language),
                labels["weakest"]: "–" if weak is None else f"{analysis.rules.groups[weak['scope']].name(language)} {_points(weak['score'], language)}/{format_number(weak['max_points'], 2, language)}",
            })
    return pd.DataFrame(rows)


def group_band_counts(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """How many units of each level are red or amber in each group."""
    labels = LABELS[language]
    groups = _unit_changes(analysis)
    groups = groups[groups["scope"] != SCOPE_TOTAL]
    rows = []
    for code, group in analysis.rules.groups.items():
        row = {labels["group"]: group.name(language)}
        for level in analysis.catalogue.levels:
            of_level = groups[(groups["scope"] == code) & (groups["level"] == level)]
            if of_level.empty:
                continue
            name = analysis.catalogue.level_name(level, language)
            row[f"{labels['red_units']} ({name})"] = format_number(int(of_level["band"].eq("red").sum()), language=language)
            row[f"{labels['amber_units']} ({name})"] = format_number(int(of_level["band"].eq("amber").sum()), language=language)
        rows.append(row)
    return pd.DataFrame(rows)


def laggards_by_group(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """Per group, the ``count`` units furthest below its maximum among those not in the green band."""
    labels = LABELS[language]
    groups = _unit_changes(analysis)
    rows = []
    for code, group in analysis.rules.groups.items():
        lagging = groups[(groups["scope"] == code) & groups["band"].isin(["red", "amber"])]
        for _, row in lagging.sort_values(["share", "unit_name"], kind="stable").head(count).iterrows():
            rows.append({
                labels["group"]: group.name(language),
                labels["unit"]: row["unit_name"],
                labels["level"]: analysis.catalogue.level_name(row["level"], language),
                **_standing(analysis, row, labels, language),
            })
    return pd.DataFrame(rows)


def fell_back_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """Units whose total or a group fell by at least ``notable_change_points``, biggest fall first."""
    labels = LABELS[language]
    changes = _unit_changes(analysis)
    fallen = changes[changes["fell_back"].fillna(False) & changes["comparison"].eq("compared")]
    rows = []
    for _, row in fallen.sort_values(["delta", "unit_name"], kind="stable").iterrows():
        scope = labels["total"] if row["scope"] == SCOPE_TOTAL else analysis.rules.groups[row["scope"]].name(language)
        rows.append({
            labels["unit"]: row["unit_name"],
            labels["level"]: analysis.catalogue.level_name(row["level"], language),
            labels["group"]: scope,
            labels["score"]: _points(row["score"], language),
            labels["previous"]: _points(row["previous_score"], language),
            labels["change"]: _change(analysis, row, language),
            labels["rank_change"]: rank_change_text(row["rank_change"], row["comparison"], language) if row["scope"] == SCOPE_TOTAL else "",
        })
    return pd.DataFrame(rows)


def persistent_low_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """Units whose total or a group has been red for several snapshots running (worst first)."""
    labels = LABELS[language]
    streaks = analysis.low_streaks()
    streaks = streaks[streaks["level"] != WHOLE_PROVINCE]
    rows = []
    for _, row in streaks.head(count).iterrows():
        scope = labels["total"] if row["scope"] == SCOPE_TOTAL else analysis.rules.groups[row["scope"]].name(language)
        rows.append({
            labels["unit"]: row["unit_name"],
            labels["level"]: analysis.catalogue.level_name(row["level"], language),
            labels["group"]: scope,
            labels["score"]: _score_of_max(row, language),
            labels["streak"]: format_number(int(row["streak"]), language=language),
            labels["since"]: pd.Timestamp(row["since"]).strftime("%d/%m/%Y"),
        })
    return pd.DataFrame(rows)


def stakes_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The ``count`` units losing the most points, with the points lost in each group."""
    labels = LABELS[language]
    stakes = group_stakes(analysis.current)
    stakes = stakes[stakes["level"] != WHOLE_PROVINCE]
    wide = stakes.pivot_table(index=["unit_id", "unit_name", "level"], columns="group", values="lost_points", aggfunc="sum")
    wide = wide.reindex(columns=list(analysis.rules.groups)).assign(_total=lambda frame: frame.sum(axis=1))
    wide = wide.sort_values("_total", ascending=False, kind="stable").head(count).reset_index()
    rows = []
    for _, row in wide.iterrows():
        record = {labels["unit"]: row["unit_name"], labels["level"]: analysis.catalogue.level_name(row["level"], language), labels["lost"]: _points(row["_total"], language)}
        for code, group in analysis.rules.groups.items():
            record[group.name(language)] = _points(row[code], language)
        rows.append(record)
    return pd.DataFrame(rows)


def province_stakes_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    """Where the province itself loses points: each group, and each sub-indicator the source
    details, with how many more dossiers (procedures, services…) would win the points back."""
    labels = LABELS[language]
    stakes = group_stakes(analysis.current)
    stakes = stakes[stakes["level"] == WHOLE_PROVINCE]
    details = indicator_stakes(analysis.current, analysis.rules, language)
    details = details[details["level"] == WHOLE_PROVINCE]
    rows = []
    for _, group_row in stakes.sort_values("lost_points", ascending=False, kind="stable").iterrows():
        group = analysis.rules.groups[group_row["group"]]
        rows.append({labels["group"]: group.name(language), labels["indicator"]: "", labels["ratio"]: "", labels["threshold"]: "",
                     labels["lost"]: _points(group_row["lost_points"], language), labels["needed"]: ""})
        for _, row in details[details["group"] == group.code].iterrows():
            needed = "" if pd.isna(row["gap_count"]) else f"{format_number(int(row['gap_count']), language=language)} {row['gap_label']}"
            rows.append({
                labels["group"]: "", labels["indicator"]: row["indicator_name"],
                labels["ratio"]: format_percent(row["ratio_used"], 2, language), labels["threshold"]: format_percent(row["threshold"], 0, language),
                labels["lost"]: _points(row["lost_points"], language), labels["needed"]: needed,
            })
    return pd.DataFrame(rows)


def unit_indicator_stakes_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The units' sub-indicators losing the most points, with the dossiers (procedures, petitions…)
    each unit needs to win them back; empty when the source gives units' group scores only."""
    labels = LABELS[language]
    stakes = indicator_stakes(analysis.current, analysis.rules, language)
    stakes = stakes[stakes["level"] != WHOLE_PROVINCE]
    rows = []
    for _, row in stakes.head(count).iterrows():
        needed = "" if pd.isna(row["gap_count"]) else f"{format_number(int(row['gap_count']), language=language)} {row['gap_label']}"
        rows.append({
            labels["unit"]: row["unit_name"], labels["level"]: analysis.catalogue.level_name(row["level"], language),
            labels["indicator"]: row["indicator_name"], labels["ratio"]: format_percent(row["ratio_used"], 2, language),
            labels["threshold"]: format_percent(row["threshold"], 0, language), labels["lost"]: _points(row["lost_points"], language),
            labels["needed"]: needed,
        })
    return pd.DataFrame(rows)


def levers_table(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> pd.DataFrame:
    """The units whose reaching the threshold would raise the province's score most (empty when
    the source has no per-unit counts; see lever_note)."""
    labels = LABELS[language]
    levers = province_levers(analysis.current, analysis.rules)
    rows = []
    for _, row in levers.head(count).iterrows():
        rule = analysis.rules.rules[row["indicator"]]
        rows.append({
            labels["unit"]: row["unit_name"], labels["indicator"]: rule.name(language),
            labels["share_den"]: format_percent(row["share_of_province"], 1, language),
            labels["needed"]: f"{format_number(int(row['gap_count']), language=language)} {rule.gap_label(language)}",
            labels["gain"]: _points(row["province_gain"], language),
        })
    return pd.DataFrame(rows)


def lever_note(analysis: Index766Analysis, language: str = "vi") -> str:
    """How the levers are computed, or why they cannot be for this source."""
    if province_levers(analysis.current, analysis.rules).empty:
        if (analysis.current.totals["level"] == WHOLE_PROVINCE).all():
            return ("Nguồn số liệu kỳ này chỉ có số liệu của tỉnh, không có số liệu từng đơn vị." if language == "vi"
                    else "This snapshot's source has the province's figures only, none per unit.")
        if language == "vi":
            return ("Nguồn số liệu kỳ này chỉ có điểm nhóm của từng đơn vị, không có tử số, mẫu số: chưa tính được mỗi đơn vị "
                    "góp bao nhiêu vào điểm của tỉnh (điểm tỉnh không phải trung bình điểm các đơn vị). Bảng trên xếp theo số điểm "
                    "chính đơn vị bị mất.")
        return ("This snapshot's source has only each unit's group scores, no numerators or denominators: how much each unit "
                "weighs in the province's score cannot be computed (the province's score is not the average of its units'). "
                "The table above ranks units by their own points lost.")
    return LEVER_METHOD[language]


def checks_table(analysis: Index766Analysis, language: str = "vi") -> pd.DataFrame:
    labels = LABELS[language]
    checks = analysis.checks
    message = "message_vi" if language == "vi" else "message_en"
    return pd.DataFrame({
        labels["severity"]: checks["severity"].map(lambda value: severity_label(value, language)),
        labels["unit"]: checks["unit_name"].fillna(""),
        labels["location"]: checks["location"],
        labels["message"]: checks[message],
    })


def _names(rows: pd.DataFrame, describe: Callable[[pd.Series], str], count: int, language: str) -> str:
    shown = [describe(row) for _, row in rows.head(count).iterrows()]
    rest = len(rows) - len(shown)
    if rest > 0:
        shown.append(f"và {format_number(rest)} đơn vị khác" if language == "vi" else f"and {rest} more")
    return "; ".join(shown)


def draft_text(analysis: Index766Analysis, count: int = 10, language: str = "vi") -> str:
    """The factual paragraphs of the report in the style of seeds/002, as Markdown."""
    return _draft_vi(analysis, count) if language == "vi" else _draft_en(analysis, count)


def _province_lines(analysis: Index766Analysis, language: str) -> list[str]:
    changes = analysis.changes[analysis.changes["level"] == WHOLE_PROVINCE].set_index("scope")
    if SCOPE_TOTAL not in changes.index:
        return []
    total = changes.loc[SCOPE_TOTAL]
    groups = changes.drop(index=SCOPE_TOTAL, errors="ignore")
    vi = language == "vi"
    date = analysis.snapshot.date_label()
    lines = []
    if pd.notna(total["score"]):
        change = _change(analysis, total, language)
        if analysis.previous is not None and total["comparison"] == "compared":
            change += f" so với ngày {analysis.previous.date_label()}" if vi else f" since {analysis.previous.date_label()}"
        lead = (f"Tính đến ngày {date} ({analysis.snapshot.period_label(language)}), {analysis.province_name} đạt **{_points(total['score'], language)}/100** điểm, {change}."
                if vi else f"As of {date} ({analysis.snapshot.period_label(language)}), {analysis.province_name} scores **{_points(total['score'], language)}/100**, {change}.")
    else:
        lead = (f"Tính đến ngày {date}, nguồn số liệu chưa có tổng điểm của {analysis.province_name}."
                if vi else f"As of {date}, the source has no total score for {analysis.province_name}.")
    if pd.notna(total["rank"]):
        rank = _rank_text(total["rank"], total["rank_base"], False, language)
        if pd.notna(total["previous_rank"]):
            move = rank_change_text(total["rank_change"], "compared", language)
            previous = _rank_text(total["previous_rank"], total["previous_rank_base"], False, language)
            lead += (f" Xếp hạng **{rank}**, {move} (từ vị trí **{previous}** ngày {analysis.previous.date_label() if analysis.previous else ''})."
                     if vi else f" Ranked **{rank}**, {move} (from **{previous}** on {analysis.previous.date_label() if analysis.previous else ''}).")
        else:
            lead += f" Xếp hạng **{rank}** (chưa có kỳ so sánh)." if vi else f" Ranked **{rank}** (no comparison yet)."
    lines.append(lead)
    if not groups.empty:
        parts = []
        for code in analysis.rules.groups:
            if code not in groups.index or pd.isna(groups.loc[code, "score"]):
                continue
            row = groups.loc[code]
            text = f"{analysis.rules.groups[code].name(language)} **{_points(row['score'], language)}/{format_number(row['max_points'], 2, language)}**"
            if row["comparison"] == "compared" and not row["rounding_only"]:
                text += f" ({_change(analysis, row, language)})"
            parts.append(text)
        lines.append(("Kết quả theo nhóm chỉ số: " if vi else "By group: ") + "; ".join(parts) + ".")
        red = format_percent(analysis.settings["red_below_share_of_max"], 0, language)
        amber = format_percent(analysis.settings["amber_below_share_of_max"], 0, language)
        for band, label in (("red", f"dưới {red}" if vi else f"below {red}"), ("amber", f"từ {red} đến dưới {amber}" if vi else f"{red} to below {amber}")):
            chosen = groups[groups["band"] == band]
            if len(chosen):
                names = ", ".join(f"{analysis.rules.groups[code].name(language)} ({format_percent(row['share'], 1, language)})" for code, row in chosen.iterrows())
                lines.append(f"Nhóm đạt {label} điểm tối đa: {names}." if vi else f"Groups {label} of their maximum: {names}.")
        stakes = groups.sort_values("lost_points", ascending=False)
        worst_code = stakes.index[0]
        lost_line = (f"Điểm tỉnh bị mất nhiều nhất ở nhóm {analysis.rules.groups[worst_code].name(language)} (**{_points(stakes.iloc[0]['lost_points'], language)}** điểm)"
                     if vi else f"The province loses most in {analysis.rules.groups[worst_code].name(language)} (**{_points(stakes.iloc[0]['lost_points'], language)}** points)")
        details = indicator_stakes(analysis.current, analysis.rules, language)
        details = details[(details["level"] == WHOLE_PROVINCE) & details["gap_count"].notna()].head(3)
        if len(details):
            items = [f"{row['indicator_name']} (mất {_points(row['lost_points'], language)} điểm, cần thêm **{format_number(int(row['gap_count']))}** {row['gap_label']})"
                     if vi else f"{row['indicator_name']} ({_points(row['lost_points'], language)} points, **{format_number(int(row['gap_count']), language=language)}** more {row['gap_label']})"
                     for _, row in details.iterrows()]
            lost_line += (". Các chỉ số thành phần mất nhiều điểm nhất: " if vi else ". The sub-indicators losing most: ") + "; ".join(items)
        lines.append(lost_line + ".")
    return lines


def _unit_lines(analysis: Index766Analysis, count: int, language: str) -> list[str]:
    vi = language == "vi"
    changes = _unit_changes(analysis)
    totals = changes[changes["scope"] == SCOPE_TOTAL]
    if totals.empty:
        return []
    lines = []
    levels = [(level, totals[totals["level"] == level]) for level in analysis.catalogue.levels if (totals["level"] == level).any()]
    unit_word = "đơn vị " if vi else "units, "
    counts = "; ".join(f"**{_count(len(frame)) if vi else len(frame)}** {unit_word}{analysis.catalogue.level_name(level, language).lower()}" for level, frame in levels)
    low_points = analysis.settings["red_below_share_of_max"] * analysis.rules.total_max
    low = totals[totals["score"].astype(float) < low_points].sort_values("score", kind="stable")
    low_text = format_number(low_points, 2, language)
    if vi:
        line = f"Trong **{_count(len(totals))}** đơn vị được đánh giá ({counts}), có **{_count(len(low))}** đơn vị đạt dưới {low_text} điểm"
    else:
        line = f"Of the **{len(totals)}** units assessed ({counts}), **{len(low)}** score below {low_text} points"
    if len(low):
        per_level = []
        for level, _ in levels:
            of_level = low[low["level"] == level]
            if len(of_level):
                names = _names(of_level, lambda row: f"{row['unit_name']} {_points(row['score'], language)} điểm" if vi else f"{row['unit_name']} {_points(row['score'], language)}", count, language)
                per_level.append(f"{analysis.catalogue.level_name(level, language).lower()} có **{_count(len(of_level))}** đơn vị ({names})" if vi
                                 else f"{analysis.catalogue.level_name(level, language).lower()}: **{len(of_level)}** ({names})")
        line += (", gồm: " if vi else ": ") + "; ".join(per_level)
    lines.append(line + ".")
    if analysis.previous is None:
        lines.append("Đây là kỳ số liệu đầu tiên: chưa có kỳ so sánh." if vi else "This is the first snapshot: no comparison yet.")
        return lines
    fallen = totals[totals["fell_back"].fillna(False) & totals["comparison"].eq("compared")].sort_values("delta", kind="stable")
    notable = format_number(analysis.settings["notable_change_points"], 2, language)
    since = analysis.previous.date_label()
    if len(fallen):
        names = _names(fallen, lambda row: f"{row['unit_name']} ({_change(analysis, row, language)}; {rank_change_text(row['rank_change'], row['comparison'], language)})", count, language)
        lines.append(f"So với ngày {since}, có **{_count(len(fallen))}** đơn vị giảm từ {notable} điểm trở lên: {names}." if vi
                     else f"Since {since}, **{len(fallen)}** units fell by {notable} points or more: {names}.")
    else:
        lines.append(f"So với ngày {since}, không có đơn vị nào giảm từ {notable} điểm trở lên." if vi else f"Since {since}, no unit fell by {notable} points or more.")
    risen = totals[totals["improved"].fillna(False) & totals["comparison"].eq("compared")].sort_values("delta", ascending=False, kind="stable")
    if len(risen):
        names = _names(risen, lambda row: f"{row['unit_name']} ({_change(analysis, row, language)}; {rank_change_text(row['rank_change'], row['comparison'], language)})", count, language)
        lines.append(f"Có **{_count(len(risen))}** đơn vị tăng từ {notable} điểm trở lên: {names}." if vi else f"**{len(risen)}** units rose by {notable} points or more: {names}.")
    streaks = analysis.low_streaks()
    streaks = streaks[(streaks["level"] != WHOLE_PROVINCE) & (streaks["scope"] == SCOPE_TOTAL)]
    if len(streaks):
        names = _names(streaks, lambda row: f"{row['unit_name']} ({_points(row['score'], language)} điểm)" if vi else f"{row['unit_name']} ({_points(row['score'], language)})", count, language)
        lines.append(f"Có **{_count(len(streaks))}** đơn vị có tổng điểm dưới {low_text} điểm từ {int(analysis.settings['index766_low_streak'])} kỳ liên tiếp trở lên: {names}." if vi
                     else f"**{len(streaks)}** units have scored below {low_text} for {int(analysis.settings['index766_low_streak'])} snapshots running or more: {names}.")
    return lines


def _draft_vi(analysis: Index766Analysis, count: int) -> str:
    heading = "**Về kết quả thực hiện Bộ chỉ số theo Quyết định 766/QĐ-TTg của Thủ tướng Chính phủ (do Cổng DVCQG đánh giá)**"
    body = [*_province_lines(analysis, "vi"), *_unit_lines(analysis, count, "vi")]
    footer = f"(Ngày xuất dữ liệu {analysis.snapshot.date_label()})"
    return "\n\n".join([heading, *body, footer])


def _draft_en(analysis: Index766Analysis, count: int) -> str:
    heading = "**The 766 index (Decision 766/QĐ-TTg), as assessed by the national public-service portal**"
    body = [*_province_lines(analysis, "en"), *_unit_lines(analysis, count, "en")]
    footer = f"(Data of {analysis.snapshot.date_label()})"
    return "\n\n".join([heading, *body, footer])
