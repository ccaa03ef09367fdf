"""Data checks of the 766 index: every figure that is doubtful, and why.

Nothing is corrected: the report shows the source's figure, and the checks list where it
exceeds its maximum, where a total is not the sum of its groups, where the rules do not
reproduce a published figure, ties the portal ranks one after the other, units that
appear or disappear between snapshots, and figures two sources of one snapshot give
differently (``source_disagreements``: each source's own row is kept in the processed table,
helpers.ingest.index766.load_index766_sources; the report uses the row the ingest kept). Rows have the shape of the monthly checks
(``helpers.analysis.monthly.checks``): a code, raw ``params`` and the figure's location; a
check that reads differently for a group, a sub-indicator or the total names its ``variant``
in ``params``. The report writes them in its language (``helpers.report.checks_view``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.analysis.monthly.checks import LOCATION_COLUMNS, plain, sort_checks
from helpers.rules766 import Index766Rules
from helpers.tidy766 import ROW_KEYS, SNAPSHOT_KEYS, Snapshot
from helpers.analysis.index766.scoring import Scores

KIND = "index766"
CHECK766_COLUMNS = [
    "kind", *SNAPSHOT_KEYS, "severity", "check", "level", "unit_id", "unit_name", "group", "indicator", "params", *LOCATION_COLUMNS,
]
# Every check this module makes, its severity, and the variants a check reads differently in.
CHECKS766 = {
    "group_above_max": "warning", "total_above_max": "warning", "max_changed": "warning", "total_not_sum_of_groups": "warning",
    "points_not_reproduced": "warning", "numerator_exceeds_denominator": "warning", "rank_out_of_order": "warning",
    "unit_missing": "warning", "sources_disagree": "warning", "file_left_out": "warning", "not_recomputable": "info", "rank_tie": "info", "unit_new": "info",
}
VARIANTS766 = {
    "max_changed": ("group", "indicator"), "points_not_reproduced": ("indicator", "group", "total"),
    "not_recomputable": ("province", "level", "indicator", "no_rules_in_force"), "rank_tie": ("ranked", "ranked_without_base", "unranked"), "rank_out_of_order": ("overall", "level"),
    "sources_disagree": ("figure", "rate", "count", "text"),
}
# How a figure two sources disagree on is written (the variant of sources_disagree), by its field.
FIGURE_KINDS = {
    **dict.fromkeys(("points", "max_points", "value", "published_delta"), "figure"), "ratio": "rate",
    **dict.fromkeys(("numerator", "denominator", "points_decimals", "rank", "rank_base", "group_rank", "group_rank_base"), "count"),
    **dict.fromkeys(("indicator_name", "published_delta_text", "source_note"), "text"),
}
_FIGURE_SUFFIXES = {"figure": "points", "rate": "rate", "count": "count", "text": "text"}
# The points of a total row are named so ("tổng điểm"), a group's or a sub-indicator's plainly.
TOTAL_POINTS = "total_points"
# Hand-typed CSV sources name their records "row N" (ingest/index766/hand_csv.py): a row of a table.
_CSV_ROW = re.compile(r"row (\d+)")

Params = dict[str, object]


def run_checks766(
    scores: Scores, rules: Index766Rules, catalogue: Catalogue, snapshot: Snapshot, previous: Snapshot | None, disagreements: list[dict[str, object]] | None = None,
) -> pd.DataFrame:
    """All checks of one snapshot (and of its units against the previous snapshot), with the
    ``disagreements`` of its sources (``source_disagreements``, of whichever snapshots the page shows)."""
    current = scores.snapshot(snapshot)
    rows: list[dict[str, object]] = list(disagreements or [])
    rows += _above_max(current, rules)
    rows += _changed_max(current)
    rows += _sum_of_groups(current)
    rows += _not_reproduced(current)
    rows += _not_recomputable(current, rules, snapshot)
    rows += _counts(current)
    rows += _ranks(current)
    if previous is not None:
        rows += _presence(current, scores.snapshot(previous), snapshot, previous)
    frame = pd.DataFrame(rows, columns=CHECK766_COLUMNS)
    return sort_checks(frame, catalogue, ["_severity", "check", "_level", "unit_name"])


def record_location(source: Mapping | pd.Series) -> dict[str, object]:
    """Location fields of a scores row: its file, and its record and field (or a CSV's row)."""
    file, record, field = (source.get(column) for column in ("source_file", "source_record", "source_field"))
    location: dict[str, object] = {
        "source_file": PurePosixPath(file).name if isinstance(file, str) and file else None,
        "source_record": record if isinstance(record, str) and record else None,
        "source_field": field if isinstance(field, str) and field else None,
    }
    row = _CSV_ROW.fullmatch(location["source_record"] or "")
    if row:
        location["source_record"], location["source_row"] = None, int(row.group(1))
    return location


def _row(source: Mapping | pd.Series, check: str, params: Params, location: Mapping[str, object] | None = None, **names: object) -> dict[str, object]:
    """One check: identifying columns from ``source`` (``names`` overrides them), raw ``params``,
    and the location (``source``'s own unless given)."""
    variant = params.get("variant")
    if variant is not None and variant not in VARIANTS766[check]:
        raise ValueError(f"check {check} has no variant {variant!r}")
    row: dict[str, object] = {
        "kind": KIND, **{key: source[key] for key in SNAPSHOT_KEYS}, "severity": CHECKS766[check], "check": check,
        "level": source.get("level"), "unit_id": source.get("unit_id"), "unit_name": source.get("unit_name"),
        "group": source.get("group"), "indicator": source.get("indicator"),
        "params": {key: plain(value) for key, value in params.items()},
    }
    row.update(names)
    row.update({column: None for column in LOCATION_COLUMNS})
    row.update(record_location(source) if location is None else location)
    return row


def _above_max(scores: Scores, rules: Index766Rules) -> list[dict[str, object]]:
    rows = []
    for _, row in scores.groups[scores.groups["above_max"].fillna(False)].iterrows():
        rows.append(_row(row, "group_above_max", {"score_points": row["score"], "max_points": rules.groups[row["group"]].max_points}))
    for _, row in scores.totals[scores.totals["above_max"].fillna(False)].iterrows():
        rows.append(_row(row, "total_above_max", {"score_points": row["score"], "max_points": rules.total_max}))
    return rows


def _changed_max(scores: Scores) -> list[dict[str, object]]:
    """A maximum the source states that is not the rules table's: the rules may have changed."""
    rows = []
    groups = scores.groups[scores.groups["published_max"].notna()]
    indicators = scores.indicators[scores.indicators["published_max"].fillna(0) > 0]
    for variant, frame in (("group", groups), ("indicator", indicators)):
        for _, row in frame[(frame["published_max"].astype(float) - frame["max_points"]).abs() > 1e-9].iterrows():
            params = {"variant": variant, "published_max_points": row["published_max"], "max_points": row["max_points"]}
            rows.append(_row(row, "max_changed", params))
    return rows


def _sum_of_groups(scores: Scores) -> list[dict[str, object]]:
    rows = []
    totals = scores.totals[scores.totals["groups_complete"] & scores.totals["published"].notna()]
    for _, row in totals[totals["sum_difference"].astype(float).abs() > totals["sum_tolerance"] + 1e-9].iterrows():
        params = {"published_points": row["published"], "groups_sum_points": row["groups_sum"], "difference_points": row["sum_difference"]}
        rows.append(_row(row, "total_not_sum_of_groups", params))
    return rows


def _not_reproduced(scores: Scores) -> list[dict[str, object]]:
    """Every published figure the rules table does not reproduce, sub-indicator, group and total."""
    rows = []
    for _, row in scores.indicators[scores.indicators["reproduced"].eq(False).fillna(False)].iterrows():
        params = {"variant": "indicator", "published_points": row["published"], "computed_points": row["points"], "ratio_rate": row["ratio_used"]}
        rows.append(_row(row, "points_not_reproduced", params))
    for variant, frame in (("group", scores.groups), ("total", scores.totals)):
        for _, row in frame[frame["reproduced"].eq(False).fillna(False)].iterrows():
            params = {"variant": variant, "published_points": row["published"], "computed_points": row["recomputed"]}
            rows.append(_row(row, "points_not_reproduced", params))
    return rows


def _not_recomputable(scores: Scores, rules: Index766Rules, snapshot: Snapshot) -> list[dict[str, object]]:
    """One note per level when the source gives group scores but no sub-indicators; one note
    for the snapshot when no rule of the table is in force on its day (nothing is recomputed)."""
    if rules.rules and not rules.in_force(snapshot.snapshot_date).rules:
        if scores.totals.empty:
            return []
        starts = sorted(rule.valid_from for rule in rules.rules.values() if rule.valid_from)
        params = {"variant": "no_rules_in_force", "snapshot_date": snapshot.snapshot_date, "valid_from_date": starts[0] if starts else None}
        return [_row(scores.totals.iloc[0], "not_recomputable", params, {}, level=None, unit_id=None, unit_name=None)]
    rows = []
    with_indicators = set(scores.indicators["unit_id"])
    only_groups = scores.totals[~scores.totals["unit_id"].isin(with_indicators) & scores.totals["groups_complete"]]
    for level, group in only_groups.groupby("level", sort=False):
        files = ", ".join(sorted({PurePosixPath(str(name)).name for name in group["source_file"].dropna()}))
        params = {"variant": "province" if level == WHOLE_PROVINCE else "level", "unit_count": len(group)}
        rows.append(_row(group.iloc[0], "not_recomputable", params, {"source_file": files or None}, unit_id=None, unit_name=None))
    for _, row in scores.indicators[scores.indicators["basis"] == "none"].iterrows():
        rows.append(_row(row, "not_recomputable", {"variant": "indicator"}))
    return rows


def _counts(scores: Scores) -> list[dict[str, object]]:
    indicators = scores.indicators
    exceeds = (indicators["numerator"].astype("Float64") > indicators["denominator"].astype("Float64")).fillna(False)
    return [
        _row(row, "numerator_exceeds_denominator", {"numerator": row["numerator"], "denominator": row["denominator"]})
        for _, row in indicators[exceeds].iterrows()
    ]


def _ranks(scores: Scores) -> list[dict[str, object]]:
    """Ties the source ranks one after the other (noted), and source ranks the scores contradict."""
    rows = []
    totals = scores.totals[scores.totals["level"] != WHOLE_PROVINCE]
    for _, row in totals[totals["tie_size"].fillna(1) > 1].iterrows():
        # A rank published without its base ("142", not "142/149") is written alone, never "142/–".
        variant = "unranked" if pd.isna(row["rank"]) else "ranked" if pd.notna(row["rank_base"]) else "ranked_without_base"
        params = {
            "variant": variant, "score_points": row["score"], "tied_with": row["tied_with"],
            "rank": row["rank"], "rank_base": row["rank_base"], "computed_rank": row["computed_rank"],
        }
        rows.append(_row(row, "rank_tie", params))
    for rank, base, computed, counted, variant in (
        ("rank", "rank_base", "computed_rank", "ranked_units", "overall"),
        ("group_rank", "group_rank_base", "computed_level_rank", "level_ranked_units", "level"),
    ):
        # Only when every unit the portal ranked is in the data can its ranks be checked.
        complete = totals[totals[rank].notna() & (totals[counted] == totals[base])]
        lowest = complete[computed].astype("Int64")
        highest = lowest + complete["tie_size"].fillna(1).astype("Int64") - 1
        wrong = complete[(complete[rank] < lowest) | (complete[rank] > highest)]
        for _, row in wrong.iterrows():
            params = {"variant": variant, "rank": row[rank], "rank_base": row[base], "computed_rank": row[computed]}
            rows.append(_row(row, "rank_out_of_order", params))
    return rows


def _presence(current: Scores, previous: Scores, snapshot: Snapshot, before: Snapshot) -> list[dict[str, object]]:
    rows = []
    now = current.totals[current.totals["level"] != WHOLE_PROVINCE]
    then = previous.totals[previous.totals["level"] != WHOLE_PROVINCE]
    since = {"previous_date": before.snapshot_date}
    this_snapshot = {"period_kind": snapshot.period_kind, "period": snapshot.period, "snapshot_date": snapshot.snapshot_date}
    for _, row in then[~then["unit_id"].isin(set(now["unit_id"]))].iterrows():
        # Last snapshot's row names the unit; the check belongs to this snapshot, where the unit has no place.
        rows.append(_row(row, "unit_missing", since, {}, **this_snapshot))
    for _, row in now[~now["unit_id"].isin(set(then["unit_id"]))].iterrows():
        rows.append(_row(row, "unit_new", since))
    return rows


def source_disagreements(tidy: pd.DataFrame, disagreeing: pd.DataFrame) -> list[dict[str, object]]:
    """One check per figure a source of a snapshot gives differently from the figure kept (the
    tidy table's row): where the source's figure is, both figures, and the file(s) of the kept one."""
    if disagreeing.empty:
        return []
    keys = [*ROW_KEYS]
    kept = tidy.merge(disagreeing[keys].drop_duplicates(), on=keys, how="inner")
    kept_by_key = {_key(row, keys): row for row in kept.to_dict("records")}
    sources: dict[tuple[object, ...], list[dict[str, object]]] = {}
    for row in disagreeing.to_dict("records"):
        sources.setdefault(_key(row, keys), []).append(row)
    rows = []
    for key, found in sources.items():
        row = kept_by_key.get(key)
        if row is None:
            continue
        for field, kind in FIGURE_KINDS.items():
            value = row[field]
            if _missing(value):
                continue
            kept_files = sorted({PurePosixPath(str(other["source_file"])).name for other in found if not _missing(other[field]) and other[field] == value})
            for other in found:
                if _missing(other[field]) or other[field] == value:
                    continue
                suffix = _FIGURE_SUFFIXES[kind]
                params = {
                    "variant": kind, "field": TOTAL_POINTS if field == "points" and row["measure"] == "total" else field, "snapshot_date": row["snapshot_date"], f"other_{suffix}": other[field], f"kept_{suffix}": value,
                    "other_file": PurePosixPath(str(other["source_file"])).name, "kept_file": ", ".join(kept_files),
                }
                rows.append(_row(row, "sources_disagree", params, record_location(other)))
    return rows


def left_out_checks(files: list[str], province: str, province_name: str, snapshot: Snapshot) -> list[dict[str, object]]:
    """One check per raw file the ingest could not read and left out: the page is made without it."""
    source = {"province": province, "period_kind": snapshot.period_kind, "period": snapshot.period, "snapshot_date": snapshot.snapshot_date,
              "level": WHOLE_PROVINCE, "unit_name": province_name}
    return [_row(source, "file_left_out", {"file": name}, {"source_file": name}) for name in files]


def _key(row: Mapping, keys: list[str]) -> tuple[object, ...]:
    return tuple(None if _missing(row[key]) else row[key] for key in keys)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)
