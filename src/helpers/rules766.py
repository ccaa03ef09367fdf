"""The 766 scoring rules as data: groups (catalogue/index766_groups.csv) and sub-indicators
(catalogue/index766_rules.csv).

A sub-indicator scores ``max × min(1, ratio ÷ threshold)``, rounded to two decimals; what it
scores when its denominator is 0 (nothing arose) is a column of the table, as is the evidence
for each rule (``basis``). The rules are reconstructed from public crawls, not from the
decision's text: helpers.index766.scoring lists every published figure they do not reproduce.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from helpers.datafiles import convert_column, read_data_csv
from helpers.errors import InputError, Location, Problem
from helpers.messages import check_language

ZERO_DENOMINATOR_SCORES = ("full", "none")
GROUPS_FILE = "index766_groups.csv"
RULES_FILE = "index766_rules.csv"


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

    def name(self, language: str = "vi") -> str:
        return str(getattr(self, f"name_{check_language(language)}"))

    def gap_label(self, language: str = "vi") -> str:
        """What ``gap_count`` counts: ``TTHC công bố đúng hạn``, ``DVC toàn trình`` …"""
        return str(getattr(self, f"gap_label_{check_language(language)}"))

    @property
    def threshold(self) -> float:
        return self.threshold_percent / 100


class Index766Rules:
    """Groups in report order, and the scored sub-indicators of each."""

    def __init__(self, groups: list[Group], rules: list[Rule]) -> None:
        self.groups = {group.code: group for group in sorted(groups, key=lambda group: group.order)}
        group_order = {code: rank for rank, code in enumerate(self.groups)}
        ordered = sorted(rules, key=lambda rule: (group_order[rule.group], rule.order))
        self.rules = {rule.indicator: rule for rule in ordered}
        self._portal_codes = {code: group.code for group in self.groups.values() for code in group.portal_codes}

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
        optional=["basis"],
    )
    orders = convert_column(rules_path, rules_frame, "order", int, "a whole number")
    maxima = convert_column(rules_path, rules_frame, "max_points", _decimal, "points above 0 with at most two decimals")
    thresholds = convert_column(rules_path, rules_frame, "threshold_percent", _decimal, "a percentage above 0 with at most two decimals, such as 80")
    rules = [
        Rule(
            row["indicator"], row["group"], order, row["name_vi"], row["name_en"], maximum, threshold,
            row["zero_denominator"], row["gap_label_vi"], row["gap_label_en"], row["basis"],
        )
        for (_, row), order, maximum, threshold in zip(rules_frame.iterrows(), orders, maxima, thresholds)
    ]
    _check(groups_path, groups, rules_path, rules)
    return Index766Rules(groups, rules)


def _check(groups_path: Path, groups: list[Group], rules_path: Path, rules: list[Rule]) -> None:
    problems: list[Problem] = []
    seen_codes: dict[str, str] = {}
    for offset, group in enumerate(groups):
        location = Location(str(groups_path), row=offset + 2)
        if [other.code for other in groups].count(group.code) > 1:
            problems.append(Problem(location, "each group once", repr(group.code)))
        if not group.portal_codes:
            problems.append(Problem(location, "the portal's code(s) for the group, separated by |", "none"))
        for code in group.portal_codes:
            if code in seen_codes and seen_codes[code] != group.code:
                problems.append(Problem(location, "each portal code in one group only", f"{code!r} also in {seen_codes[code]}"))
            seen_codes[code] = group.code
    known = {group.code: group for group in groups}
    for offset, rule in enumerate(rules):
        location = Location(str(rules_path), row=offset + 2)
        if rule.group not in known:
            problems.append(Problem(location, f"a group of {groups_path.name}", repr(rule.group)))
        if [other.indicator for other in rules].count(rule.indicator) > 1:
            problems.append(Problem(location, "each indicator once", repr(rule.indicator)))
        if rule.threshold_percent > 100:
            problems.append(Problem(location, "a threshold of at most 100%", f"{rule.threshold_percent}%"))
        if rule.zero_denominator not in ZERO_DENOMINATOR_SCORES:
            problems.append(Problem(location, "zero_denominator full or none", repr(rule.zero_denominator)))
    for group in groups:
        total = sum(Decimal(str(rule.max_points)) for rule in rules if rule.group == group.code)
        if total != Decimal(str(group.max_points)):
            problems.append(
                Problem(Location(str(rules_path)), f"the sub-indicators of {group.code} to add up to its maximum {group.max_points:g}", f"{total:g}")
            )
    if problems:
        raise InputError(problems, "The 766 rules cannot be used")
