"""The 766 scoring rules as data: groups (catalogue/index766_groups.csv), scored
sub-indicators (catalogue/index766_rules.csv) and the codes the portal publishes without points
(catalogue/index766_unscored.csv: average days, petition classification, …).

A sub-indicator scores ``max × min(1, ratio ÷ threshold)``, rounded to two decimals; what it
scores when its denominator is 0 (nothing arose) is a column of the table, as is the evidence
for each rule (``basis``). The rules are reconstructed from public crawls, not from the
decision's text: helpers.index766.scoring lists every published figure they do not reproduce.
Each rule is in force from ``valid_from`` to ``valid_to`` (dates, blank = open): a snapshot is
judged only by the rules in force on the day it was taken (Index766Rules.in_force).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from helpers.datafiles import convert_column, read_data_csv
from helpers.errors import InputError, Location, Problem
from helpers.messages import check_language

ZERO_DENOMINATOR_SCORES = ("full", "none")
GROUPS_FILE = "index766_groups.csv"
RULES_FILE = "index766_rules.csv"
UNSCORED_FILE = "index766_unscored.csv"


@dataclass(frozen=True)
class Group:
    code: str
    order: int
    name_vi: str
    name_en: str
    max_points: float
    portal_codes: tuple[str, ...]

    # Names are data (a column per language in the rules tables), not catalogue messages.
    def name(self, language: str = "vi") -> str:
        return str(getattr(self, f"name_{check_language(language)}"))


@dataclass(frozen=True)
class Rule:
    indicator: str
    group: str
    order: int
    name_vi: str
    name_en: str
    max_points: float
    threshold_percent: float
    zero_denominator: str
    gap_label_vi: str
    gap_label_en: str
    basis: str
    valid_from: str = ""
    valid_to: str = ""

    def in_force_on(self, date: str) -> bool:
        """Is the rule in force on ``date`` (YYYY-MM-DD)? Blank bounds are open."""
        return (not self.valid_from or self.valid_from <= date) and (not self.valid_to or date <= self.valid_to)

    def name(self, language: str = "vi") -> str:
        return str(getattr(self, f"name_{check_language(language)}"))

    def gap_label(self, language: str = "vi") -> str:
        """What ``gap_count`` counts: ``TTHC công bố đúng hạn``, ``DVC toàn trình`` …"""
        return str(getattr(self, f"gap_label_{check_language(language)}"))

    @property
    def threshold(self) -> float:
        return self.threshold_percent / 100


@dataclass(frozen=True)
class UnscoredIndicator:
    """A code the portal publishes inside a group without points (a count, days, a share)."""

    indicator: str
    group: str
    name_vi: str
    name_en: str
    unit: str


class Index766Rules:
    """Groups in report order, the scored sub-indicators of each, and the unscored codes."""

    def __init__(self, groups: list[Group], rules: list[Rule], unscored: list[UnscoredIndicator] | None = None) -> None:
        self.groups = {group.code: group for group in sorted(groups, key=lambda group: group.order)}
        group_order = {code: rank for rank, code in enumerate(self.groups)}
        ordered = sorted(rules, key=lambda rule: (group_order[rule.group], rule.order))
        self.rules = {rule.indicator: rule for rule in ordered}
        self.unscored = {entry.indicator: entry for entry in unscored or []}
        self._portal_codes = {code: group.code for group in self.groups.values() for code in group.portal_codes}

    def in_force(self, date: str) -> Index766Rules:
        """The same groups with only the rules in force on ``date`` (YYYY-MM-DD)."""
        return Index766Rules(list(self.groups.values()), [rule for rule in self.rules.values() if rule.in_force_on(date)], list(self.unscored.values()))

    def group_of_indicator(self, code: str) -> str | None:
        """The group of a scored or unscored sub-indicator code, or None when the code is unknown."""
        known = self.rules.get(code) or self.unscored.get(code)
        return known.group if known else None

    @property
    def total_max(self) -> float:
        return sum(group.max_points for group in self.groups.values())

    def group_of_portal_code(self, code: str) -> str | None:
        """CLGQ or ONLINE → CLGQ: the group a portal code stands for, or None when unknown."""
        return self._portal_codes.get(str(code).strip().upper())

    def rules_of(self, group: str) -> list[Rule]:
        return [rule for rule in self.rules.values() if rule.group == group]

    def frame(self) -> pd.DataFrame:
        """One row per rule, for merging: indicator, group, max_points, threshold, zero_denominator."""
        return pd.DataFrame(
            [
                {
                    "indicator": rule.indicator,
                    "group": rule.group,
                    "rule_max_points": rule.max_points,
                    "threshold": rule.threshold,
                    "threshold_percent": rule.threshold_percent,
                    "zero_denominator": rule.zero_denominator,
                }
                for rule in self.rules.values()
            ],
            columns=["indicator", "group", "rule_max_points", "threshold", "threshold_percent", "zero_denominator"],
        )


def _decimal(text: str) -> float:
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not value.is_finite() or value <= 0 or value != value.quantize(Decimal("0.01")):
        raise ValueError(text)
    return float(value)


def load_rules(directory: Path) -> Index766Rules:
    """Read and check both tables; every problem is listed with file, row and column."""
    groups_path, rules_path = directory / GROUPS_FILE, directory / RULES_FILE
    groups_frame = read_data_csv(groups_path, ["group", "order", "name_vi", "name_en", "max_points", "portal_codes"], optional=["note"])
    group_orders = convert_column(groups_path, groups_frame, "order", int, "a whole number")
    group_max = convert_column(groups_path, groups_frame, "max_points", _decimal, "points above 0 with at most two decimals")
    groups = [
        Group(row["group"], order, row["name_vi"], row["name_en"], maximum, tuple(code.strip().upper() for code in row["portal_codes"].split("|") if code.strip()))
        for (_, row), order, maximum in zip(groups_frame.iterrows(), group_orders, group_max)
    ]
    rules_frame = read_data_csv(
        rules_path,
        ["indicator", "group", "order", "name_vi", "name_en", "max_points", "threshold_percent", "zero_denominator", "gap_label_vi", "gap_label_en"],
        optional=["basis", "valid_from", "valid_to"],
    )
    orders = convert_column(rules_path, rules_frame, "order", int, "a whole number")
    maxima = convert_column(rules_path, rules_frame, "max_points", _decimal, "points above 0 with at most two decimals")
    thresholds = convert_column(rules_path, rules_frame, "threshold_percent", _decimal, "a percentage above 0 with at most two decimals, such as 80")
    starts = convert_column(rules_path, rules_frame, "valid_from", _date_or_blank, "a date such as 2026-01-01, or blank")
    ends = convert_column(rules_path, rules_frame, "valid_to", _date_or_blank, "a date such as 2026-12-31, or blank")
    rules = [
        Rule(
            row["indicator"], row["group"], order, row["name_vi"], row["name_en"], maximum, threshold,
            row["zero_denominator"], row["gap_label_vi"], row["gap_label_en"], row["basis"], start, end,
        )
        for (_, row), order, maximum, threshold, start, end in zip(rules_frame.iterrows(), orders, maxima, thresholds, starts, ends)
    ]
    unscored_path = directory / UNSCORED_FILE
    unscored_frame = read_data_csv(unscored_path, ["indicator", "group", "name_vi", "name_en", "unit"], optional=["basis"])
    unscored = [UnscoredIndicator(row["indicator"], row["group"], row["name_vi"], row["name_en"], row["unit"]) for _, row in unscored_frame.iterrows()]
    # Each frame's index is its rows' lines in the file: the messages name them.
    _check(groups_path, groups, list(groups_frame.index), rules_path, rules, list(rules_frame.index))
    _check_unscored(unscored_path, unscored, list(unscored_frame.index), groups, rules)
    return Index766Rules(groups, rules, unscored)


def _date_or_blank(text: str) -> str:
    if not text:
        return ""
    return pd.Timestamp(date.fromisoformat(text)).strftime("%Y-%m-%d")


def _check_unscored(path: Path, unscored: list[UnscoredIndicator], lines: list[int], groups: list[Group], rules: list[Rule]) -> None:
    problems: list[Problem] = []
    known_groups = {group.code for group in groups}
    scored = {rule.indicator for rule in rules}
    seen: set[str] = set()
    for line, entry in zip(lines, unscored):
        location = Location(str(path), row=int(line))
        if entry.group not in known_groups:
            problems.append(Problem(location, f"a group of {GROUPS_FILE}", repr(entry.group)))
        if entry.indicator in scored:
            problems.append(Problem(location, f"a code that is not scored in {RULES_FILE}", repr(entry.indicator)))
        if entry.indicator in seen:
            problems.append(Problem(location, "each indicator once", repr(entry.indicator)))
        seen.add(entry.indicator)
    if problems:
        raise InputError(problems, "The 766 rules cannot be used")


def _check(groups_path: Path, groups: list[Group], group_lines: list[int], rules_path: Path, rules: list[Rule], rule_lines: list[int]) -> None:
    problems: list[Problem] = []
    seen_codes: dict[str, str] = {}
    for line, group in zip(group_lines, groups):
        location = Location(str(groups_path), row=int(line))
        if [other.code for other in groups].count(group.code) > 1:
            problems.append(Problem(location, "each group once", repr(group.code)))
        if not group.portal_codes:
            problems.append(Problem(location, "the portal's code(s) for the group, separated by |", "none"))
        for code in group.portal_codes:
            if code in seen_codes and seen_codes[code] != group.code:
                problems.append(Problem(location, "each portal code in one group only", f"{code!r} also in {seen_codes[code]}"))
            seen_codes[code] = group.code
    known = {group.code: group for group in groups}
    for line, rule in zip(rule_lines, rules):
        location = Location(str(rules_path), row=int(line))
        if rule.group not in known:
            problems.append(Problem(location, f"a group of {groups_path.name}", repr(rule.group)))
        if [other.indicator for other in rules].count(rule.indicator) > 1:
            problems.append(Problem(location, "each indicator once", repr(rule.indicator)))
        if rule.threshold_percent > 100:
            problems.append(Problem(location, "a threshold of at most 100%", f"{rule.threshold_percent}%"))
        if rule.zero_denominator not in ZERO_DENOMINATOR_SCORES:
            problems.append(Problem(location, "zero_denominator full or none", repr(rule.zero_denominator)))
        if rule.valid_from and rule.valid_to and rule.valid_to < rule.valid_from:
            problems.append(Problem(location, "valid_to on or after valid_from", f"{rule.valid_from} to {rule.valid_to}"))
    # Wherever a group has rules in force, they add up to its maximum: checked on each day a rule starts.
    start_days = sorted({rule.valid_from for rule in rules})
    for day in start_days:
        in_force = [rule for rule in rules if rule.in_force_on(day)]
        for group in groups:
            parts = [rule for rule in in_force if rule.group == group.code]
            total = sum(Decimal(str(rule.max_points)) for rule in parts)
            if parts and total != Decimal(str(group.max_points)):
                since = f" (the rules in force on {day})" if len(start_days) > 1 and day else ""
                problems.append(
                    Problem(Location(str(rules_path)), f"the sub-indicators of {group.code} to add up to its maximum {group.max_points:g}{since}", f"{total:g}")
                )
    if problems:
        raise InputError(problems, "The 766 rules cannot be used")
