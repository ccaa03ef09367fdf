"""Comparing captures honestly, the Phụ lục I deltas, the history of daily captures and what
leadership acts on, on small tidy 766 tables written by hand (any adapter produces these rows)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.analysis.index766.changes import compare, comparable_earlier, levels_by_snapshot, low_streaks, previous_by_level
from helpers.analysis.index766.deltas import unit_deltas
from helpers.analysis.index766.history import movement_counts, page_snapshots, province_history, top_movers, unit_movement
from helpers.analysis.index766.scoring import score
from helpers.analysis.index766.stakes import gap_to_next_province, overdue_by_unit, overdue_summary
from helpers.report.index766.appendix import appendix_frame, appendix_table
from helpers.rules766 import Index766Rules
from helpers.tidy766 import Snapshot, conform766, snapshots_in

SETTINGS = {"index766_points_tolerance": 0.01, "red_below_share_of_max": 0.5, "amber_below_share_of_max": 0.7,
            "notable_change_points": 0.5, "index766_low_streak": 2}
GROUP_MAX = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDHL": 18, "MDSH": 22}


def ytd(date: str) -> Snapshot:
    return Snapshot("year_to_date", "2026", date)


def unit_rows(snapshot: Snapshot, unit_id: str, level: str, groups: dict[str, float], name: str = "") -> list[dict[str, object]]:
    """A unit's total and group rows as an adapter writes them."""
    base = {"province": "gia_lai", "period_kind": snapshot.period_kind, "period": snapshot.period, "snapshot_date": snapshot.snapshot_date,
            "level": level, "unit_id": unit_id, "unit_name": name or unit_id, "source_file": "hand"}
    rows = [{**base, "measure": "total", "points": round(sum(groups.values()), 2), "max_points": 100.0}]
    rows += [{**base, "measure": "group", "group": code, "points": points, "max_points": float(GROUP_MAX[code])} for code, points in groups.items()]
    return rows


def groups_scoring(total: float) -> dict[str, float]:
    """Six group scores that add up to ``total`` (all of it on the first group's share)."""
    rest = {"TDGQ": 15.0, "CLGQ": 9.0, "TTTT": 7.0, "MDHL": 15.0, "MDSH": 16.0}
    return {"CKMB": round(total - sum(rest.values()), 2), **rest}


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return conform766(pd.DataFrame(rows))


@pytest.fixture
def three_captures(rules: Index766Rules) -> pd.DataFrame:
    """01/10 and 03/10 have departments and communes; 02/10 only the departments' list."""
    rows = []
    for date, department, commune in (("2026-10-01", 70.0, 60.0), ("2026-10-02", 71.0, None), ("2026-10-03", 72.0, 59.0)):
        rows += unit_rows(ytd(date), "so_y_te", "cap_tinh", groups_scoring(department))
        if commune is not None:
            rows += unit_rows(ytd(date), "xa_a", "cap_xa", groups_scoring(commune))
    return frame(rows)


def test_a_departments_only_day_leaves_the_communes_comparison_alone(three_captures: pd.DataFrame, rules: Index766Rules) -> None:
    scores = score(three_captures, rules, SETTINGS)
    available = snapshots_in(three_captures)
    by_level = previous_by_level(ytd("2026-10-03"), available, levels_by_snapshot(scores))
    assert by_level == {"cap_tinh": ytd("2026-10-02"), "cap_xa": ytd("2026-10-01")}
    changes = compare(scores, ytd("2026-10-03"), by_level, SETTINGS).set_index(["unit_id", "scope"])
    assert changes.loc[("xa_a", "total"), "comparison"] == "compared"
    assert changes.loc[("xa_a", "total"), "delta"] == -1.0
    assert changes.loc[("so_y_te", "total"), "delta"] == 1.0
    assert changes.loc[("xa_a", "total"), "previous_snapshot_date"] == "2026-10-01"
    assert not changes["comparison"].isin(["new_unit", "no_previous_snapshot"]).any()
    # On 02/10 itself the commune is simply not there: nothing is "missing".
    assert set(compare(scores, ytd("2026-10-02"), previous_by_level(ytd("2026-10-02"), available, levels_by_snapshot(scores)), SETTINGS)["unit_id"]) == {"so_y_te"}


def test_a_back_filled_month_compares_by_period_and_never_across_kinds() -> None:
    february, march = Snapshot("month", "2026-02", "2026-09-23"), Snapshot("month", "2026-03", "2026-09-23")
    available = [february, march, ytd("2026-09-22"), Snapshot("month", "2026-01", "2026-09-24")]
    assert comparable_earlier(march, available) == [february]
    assert comparable_earlier(february, available) == [Snapshot("month", "2026-01", "2026-09-24")]
    assert comparable_earlier(ytd("2026-09-23"), available) == [ytd("2026-09-22")]
    assert comparable_earlier(Snapshot("month", "2026-05", "2026-09-23"), available) == []  # April missing: no bridging


def test_red_streaks_follow_each_level_s_own_captures(rules: Index766Rules) -> None:
    rows = []
    for date, commune in (("2026-10-01", 30.0), ("2026-10-02", None), ("2026-10-03", 31.0)):
        rows += unit_rows(ytd(date), "so_y_te", "cap_tinh", groups_scoring(80.0))
        if commune is not None:
            low = {code: round(maximum * 0.3, 2) for code, maximum in GROUP_MAX.items()}
            rows += unit_rows(ytd(date), "xa_a", "cap_xa", low)
    tidy = frame(rows)
    streaks = low_streaks(score(tidy, rules, SETTINGS), ytd("2026-10-03"), snapshots_in(tidy), SETTINGS)
    total = streaks[(streaks["unit_id"] == "xa_a") & (streaks["scope"] == "total")].iloc[0]
    assert total["streak"] == 2 and total["since"] == "2026-10-01"


def notice_rows(snapshot: Snapshot, ckmb: float, publish: tuple[int, int, float, float], update: tuple[int, int, float, float],
                total: float, deltas: dict[str, tuple[float, str]] | None = None) -> list[dict[str, object]]:
    """A commune's figures as an analyst copies them from its notice, published changes included."""
    groups = {"CKMB": ckmb, "TDGQ": 18.0, "CLGQ": 10.0, "TTTT": 8.0, "MDHL": 17.0, "MDSH": 20.0}
    rows = unit_rows(snapshot, "xa_b", "cap_xa", groups, "UBND xã B")
    rows[0]["points"] = total
    base = {key: rows[0][key] for key in ("province", "period_kind", "period", "snapshot_date", "level", "unit_id", "unit_name", "source_file")}
    for code, (numerator, denominator, ratio, points) in (("PUBLISH_ON_TIME", publish), ("PUBLIC_UPDATE_ON_TIME", update)):
        rows.append({**base, "measure": "indicator", "group": "CKMB", "indicator": code, "numerator": numerator, "denominator": denominator,
                     "ratio": ratio, "points": points, "max_points": 6.0 if code == "PUBLISH_ON_TIME" else 4.0})
    for row in rows:
        key = row.get("indicator") if isinstance(row.get("indicator"), str) else row.get("group") if isinstance(row.get("group"), str) else "total"
        published = (deltas or {}).get(str(key))
        row["published_delta"], row["published_delta_text"] = published if published else (None, None)
    return rows


@pytest.fixture
def notice() -> pd.DataFrame:
    first = notice_rows(ytd("2026-09-24"), 12.0, (70, 80, 0.875, 5.25), (40, 50, 0.8, 3.2), 85.0)
    second = notice_rows(
        ytd("2026-10-10"), 11.0, (66, 80, 0.825, 4.95), (50, 50, 10.0, 4.0), 85.0,
        {"PUBLISH_ON_TIME": (-500.0, "−500%"), "PUBLIC_UPDATE_ON_TIME": (20.0, "+20"), "CKMB": (1.0, "+1"), "TDGQ": (0.0, "0")},
    )
    rows = pd.DataFrame(first + second)
    tidy = conform766(rows)
    for column in ("published_delta", "published_delta_text"):  # until the schema carries them everywhere
        if column not in tidy:
            tidy[column] = rows[column].astype("Float64" if column == "published_delta" else "string")
    return tidy


def test_deltas_of_one_commune_between_two_captures(notice: pd.DataFrame, rules: Index766Rules) -> None:
    deltas = unit_deltas(notice, rules, ytd("2026-09-24"), ytd("2026-10-10"), "xa_b").set_index("number")
    assert list(deltas.index[:4]) == ["1", "1.1", "1.2", "2"] and deltas.index[-1] == ""
    publish = deltas.loc["1.1"]
    assert (publish["delta_numerator"], publish["delta_denominator"], publish["delta_points"]) == (-4, 0, pytest.approx(-0.30))
    assert publish["change"] == pytest.approx(-5.0) and publish["change_unit"] == "percentage_points"
    assert publish["problems"] == ("percent_of_a_percent",)
    assert deltas.loc["1.2", "problems"] == ("ratio_above_100",)
    assert deltas.loc["1", "change"] == pytest.approx(-1.0) and deltas.loc["1", "problems"] == ("sign_disagrees",)
    assert deltas.loc["2", "problems"] == ()  # "0" against no change is right
    # The total was written 85 both times, but its groups add up to 84 on 10/10.
    assert deltas.loc["", "problems"] == ("total_disagrees_with_groups",)


def test_the_delta_table_has_the_notice_s_layout(notice: pd.DataFrame, rules: Index766Rules) -> None:
    deltas = unit_deltas(notice, rules, ytd("2026-09-24"), ytd("2026-10-10"), "xa_b")
    shown = appendix_frame(deltas, rules, "vi").set_index("number")
    assert shown.loc["1.1"].to_dict() == {
        "content": "Tỷ lệ TTHC công bố đúng hạn", "first_figures": "70/80", "first_ratio": "87,5", "second_figures": "66/80",
        "second_ratio": "82,5", "change": "−5 điểm phần trăm", "published": "−500%",
        "remark": "thay đổi của một tỷ lệ viết thành phần trăm của phần trăm (−5,25 điểm phần trăm viết thành −525%)",
    }
    assert shown.loc["1", "first_figures"] == "12/18" and shown.loc["1", "change"] == "−1 điểm"
    table = appendix_table(deltas, rules, ytd("2026-09-24"), ytd("2026-10-10"), "appendix766", "vi")
    assert list(table.header) == ["Số TT", "Nội dung", "Số liệu", "Tỷ lệ (%)", "Số liệu", "Tỷ lệ (%)", "Tăng (+)/Giảm (−)", "Số liệu công bố", "Ghi chú"]
    assert [text for text, _ in table.groups] == ["", "Ngày 24/09/2026", "Ngày 10/10/2026", ""]
    html = str(table.html())
    assert 'colspan="2"' in html and "−500%" in html


def test_history_of_daily_captures(rules: Index766Rules) -> None:
    # A commune falls three captures running, a department rises then holds; 01/10 to 09/10.
    commune = {"2026-10-01": 62.0, "2026-10-02": 62.0, "2026-10-05": 61.0, "2026-10-08": 60.5, "2026-10-09": 60.0}
    department = {"2026-10-01": 70.0, "2026-10-02": 71.0, "2026-10-05": 72.0, "2026-10-08": 74.0, "2026-10-09": 74.0}
    rows = []
    for date in commune:
        rows += unit_rows(ytd(date), "xa_a", "cap_xa", groups_scoring(commune[date]))
        rows += unit_rows(ytd(date), "so_y_te", "cap_tinh", groups_scoring(department[date]))
        rows += [{**row, "rank": 20 - int(date[-1]) if row["measure"] == "total" else None, "rank_base": 34 if row["measure"] == "total" else None}
                 for row in unit_rows(ytd(date), "gia_lai", "toan_tinh", groups_scoring(65.0))]
    tidy = frame(rows)
    scores = score(tidy, rules, SETTINGS)
    movement = unit_movement(scores, ytd("2026-10-09"), snapshots_in(tidy), 0.01).set_index("unit_id")
    assert movement.loc["xa_a", ["change", "falls_in_a_row", "movement"]].tolist() == [-0.5, 3, "down"]
    assert movement.loc["xa_a", "week_change"] == -2.0 and movement.loc["xa_a", "week_date"] == "2026-10-02"
    assert movement.loc["so_y_te", ["change", "falls_in_a_row", "movement", "week_change"]].tolist() == [0.0, 0, "unchanged", 3.0]
    counts = movement_counts(movement.reset_index()).set_index("level")
    assert counts.loc["cap_xa", "down"] == 1 and counts.loc["cap_tinh", "unchanged"] == 1
    assert top_movers(movement.reset_index(), 5, "down")["unit_id"].tolist() == ["xa_a"]
    assert top_movers(movement.reset_index(), 5, "up").empty
    province = province_history(tidy)
    totals = province[province["scope"] == "total"]
    assert totals["snapshot_date"].tolist() == list(commune) and totals["rank"].tolist() == [19, 18, 15, 12, 11]
    assert set(province["scope"]) == {"total", *GROUP_MAX}


def test_which_captures_get_a_page() -> None:
    captures = [ytd(date) for date in ("2026-09-23", "2026-09-24", "2026-10-02", "2026-10-03", "2026-10-10")]
    captures += [Snapshot("month", "2026-02", "2026-09-23"), Snapshot("month", "2026-03", "2026-09-23")]
    assert page_snapshots(captures, 1) == sorted([ytd("2026-09-24"), ytd("2026-10-10"), *captures[-2:]])
    assert page_snapshots(captures, 0) == sorted([ytd("2026-10-10"), Snapshot("month", "2026-03", "2026-09-23")])
    assert page_snapshots(captures, 9) == sorted(captures)


def test_overdue_dossiers_per_unit_as_the_notice_reports_them() -> None:
    base = {"province": "gia_lai", "period_kind": "year_to_date", "period": "2026", "snapshot_date": "2026-10-10", "measure": "indicator", "group": "TDGQ"}
    rows = []
    for unit, level, overdue, received in (("so_a", "cap_tinh", 5, 1000), ("xa_b", "cap_xa", 1, 200), ("xa_c", "cap_xa", 0, 300), ("gia_lai", "toan_tinh", 6, 1500)):
        common = {**base, "unit_id": unit, "unit_name": unit, "level": level}
        rows += [{**common, "indicator": "OVERDUE", "value": overdue}, {**common, "indicator": "RECEIVED", "value": received}]
    overdue = overdue_by_unit(frame(rows), ytd("2026-10-10"))
    assert overdue["unit_id"].tolist() == ["so_a", "xa_b", "xa_c"]
    assert overdue["share"].tolist() == [pytest.approx(0.005), pytest.approx(0.005), 0.0]
    assert overdue_summary(overdue) == {"units": 2, "units_over": 1, "many": 2, "overdue": 6.0, "share": pytest.approx(6 / 1500)}
    assert overdue_by_unit(frame(rows[:0] + unit_rows(ytd("2026-10-10"), "xa_b", "cap_xa", groups_scoring(60.0))), ytd("2026-10-10")).empty


def test_gap_to_the_next_province_up() -> None:
    national = pd.DataFrame({"portal_code": ["H01", "H21", "H30"], "name": ["Hà Nội", "Gia Lai", "Khánh Hòa"], "total": [80.5, 65.22, 60.0], "rank": [1, 2, 3]})
    gap = gap_to_next_province(national, "H21")
    assert gap is not None and (gap["name"], gap["rank"], gap["gap"]) == ("Hà Nội", 1, 15.28)
    assert gap_to_next_province(national, "H01") is None and gap_to_next_province(national, "H99") is None
