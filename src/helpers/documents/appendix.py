"""The official appendix (Phụ lục 1, 2, 3) as a table model that the Word and Excel writers render.

One appendix per level, in the layout of the tables the office attaches today (seed 000): the
indicators in table blocks (``data/catalogue/appendix_layout.csv``), two header rows (the
indicator over "Chỉ tiêu được giao", its denominator where the table has one, "Kết quả", "Tỷ lệ"),
one row per unit in the source's order and a total row with the level's pooled figures. Values
stay numbers (counts, fractions); a cell knows whether it is below the unit's target, so both
writers mark exactly the same cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.analysis.monthly.engine import IndicatorResults
from helpers.catalogue import Catalogue
from helpers.datafiles import read_data_csv
from helpers.messages import Messages
from helpers.report.monthly.figures import unit_order

COUNT, PERCENT, TEXT = "count", "percent", "text"


@dataclass(frozen=True)
class Value:
    """One cell: a number (count or fraction) or a text, and whether it is below target."""

    value: float | int | str | None
    kind: str
    below: bool = False


@dataclass(frozen=True)
class Block:
    caption: str
    groups: tuple[tuple[str, int], ...]  # first header row: (text, columns spanned)
    header: tuple[str, ...]  # second header row
    kinds: tuple[str, ...]  # each column's kind
    rows: tuple[tuple[Value, ...], ...]
    total: tuple[Value, ...] = ()  # none for a table without a total row
    widths: tuple[float, ...] = ()  # relative column widths; none: the appendix's (TT, name, the rest even)


def frame_block(frame: pd.DataFrame, caption: str = "") -> Block:
    """A table of display strings (a report's DataFrame) as a block: one header row, widths by content."""
    columns = [str(column) for column in frame.columns]
    rows = tuple(tuple(Value("" if value is None else str(value), TEXT) for value in row) for row in frame.itertuples(index=False, name=None))
    longest = [max([len(column) / 2, *(len(row[index].value) for row in rows)], default=1) for index, column in enumerate(columns)]  # type: ignore[arg-type]
    return Block(caption, tuple((column, 1) for column in columns), ("",) * len(columns), (TEXT,) * len(columns), rows,
                 widths=tuple(min(max(length, 8.0), 28.0) for length in longest))


@dataclass(frozen=True)
class Appendix:
    number: int
    level: str
    level_name: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Layout:
    """Which indicators each table block holds, in order, and the denominator columns' headers."""

    blocks: tuple[tuple[str, ...], ...]
    denominator_headers: dict[str, str]

    @classmethod
    def load(cls, path: Path, catalogue: Catalogue, m: Messages) -> "Layout":
        frame = read_data_csv(path, ["indicator", "block", "position", "denominator_header_vi", "denominator_header_en"])
        unknown = sorted(set(frame["indicator"]) - set(catalogue.indicators))
        if unknown:
            raise ValueError(f"{path}: indicators not in indicators.csv: {', '.join(unknown)}")
        # An indicator the layout does not place goes into a block of its own, so none is dropped.
        placed = frame.assign(block=frame["block"].astype(int), position=frame["position"].astype(int))
        extra = [indicator for indicator in catalogue.indicators if indicator not in set(placed["indicator"])]
        blocks = [tuple(group.sort_values("position")["indicator"]) for _, group in placed.groupby("block", sort=True)]
        if extra:
            blocks.append(tuple(extra))
        column = f"denominator_header_{m.language}"
        headers = {row.indicator: str(getattr(row, column)) for row in placed.itertuples() if str(getattr(row, column)).strip()}
        return cls(tuple(blocks), headers)


def _rate(item: dict | None, m: Messages) -> Value:
    if item is None:
        return Value(None, PERCENT)
    if item["denominator"] == 0:  # nothing arose: said so, never 0%
        return Value(m("common.state.not_arisen"), TEXT)
    return Value(None if pd.isna(item["rate"]) else float(item["rate"]), PERCENT, item["status"] == "below")


def _count(value: object) -> Value:
    return Value(None if pd.isna(value) else int(value), COUNT)


def _target(value: object) -> Value:
    return Value(None if pd.isna(value) else float(value), PERCENT)


def appendices(month: IndicatorResults, catalogue: Catalogue, layout: Layout, m: Messages, period: str) -> list[Appendix]:
    """One appendix per level present in the month, numbered in the catalogue's level order."""
    units, aggregates = month.units, month.aggregates
    order = unit_order(units, catalogue)
    levels = [level for level in catalogue.levels if level in set(units["level"])]
    present = set(units["indicator"])
    result = []
    for number, level in enumerate(levels, start=1):
        part = units[units["level"] == level]
        by_unit = {(row["unit_id"], row["indicator"]): row for row in part.to_dict("records")}
        totals = {row["indicator"]: row for row in aggregates[aggregates["level"] == level].to_dict("records")}
        level_units = order[order["level"] == level]
        blocks = []
        for indicators in layout.blocks:
            indicators = tuple(indicator for indicator in indicators if indicator in present)
            if indicators:
                blocks.append(_block(len(blocks) + 1, indicators, level_units, by_unit, totals, catalogue, layout, m))
        level_name = catalogue.level_name(level, m.language)
        title = m("documents.appendix.title", level=level_name.upper(), number=f"{len(present):02d}",
                  month=m("documents.word.month", month=period[5:7], year=period[:4]))
        result.append(Appendix(number, level, level_name, title, tuple(blocks)))
    return result


def _block(
    ordinal: int, indicators: tuple[str, ...], level_units: pd.DataFrame, by_unit: dict, totals: dict, catalogue: Catalogue, layout: Layout, m: Messages,
) -> Block:
    groups: list[tuple[str, int]] = [(m("documents.appendix.col_seq"), 1), (m("documents.appendix.col_unit"), 1), (m("documents.appendix.col_received"), 1)]
    header = ["", "", ""]
    kinds = [COUNT, TEXT, COUNT]
    for indicator in indicators:
        columns = [m("documents.appendix.col_assigned")]
        if indicator in layout.denominator_headers:
            columns.append(layout.denominator_headers[indicator])
        columns += [m("documents.appendix.col_result"), m("documents.appendix.col_rate")]
        groups.append((catalogue.indicator(indicator).name(m.language), len(columns)))
        header += columns
        kinds += [PERCENT] + [COUNT] * (len(columns) - 2) + [PERCENT]
    received_indicator = next((i for i in catalogue.indicators if catalogue.indicator(i).appendix_denominator == "received" and i in indicators), indicators[0])
    rows = []
    for seq, unit in enumerate(level_units.itertuples(), start=1):
        lead = by_unit.get((unit.unit_id, received_indicator))
        row = [Value(seq, COUNT), Value(unit.unit_name, TEXT), _count(lead["denominator"] if lead else None)]
        for indicator in indicators:
            item = by_unit.get((unit.unit_id, indicator))
            row.append(_target(item["target"] if item else None))
            if indicator in layout.denominator_headers:
                row.append(_count(item["denominator"] if item else None))
            row += [_count(item["numerator"] if item else None), _rate(item, m)]
        rows.append(tuple(row))
    received_total = totals.get(received_indicator, {}).get("denominator")
    total = [Value("", TEXT), Value(m("documents.appendix.total"), TEXT), _count(received_total)]
    for indicator in indicators:
        pooled = totals.get(indicator, {})
        total.append(Value(None, PERCENT))
        if indicator in layout.denominator_headers:
            total.append(_count(pooled.get("denominator")))
        total += [_count(pooled.get("numerator")), Value(None if pd.isna(pooled.get("rate", float("nan"))) else float(pooled["rate"]), PERCENT)]
    caption = m("documents.appendix.block", number=ordinal, names=m.join(f"({_roman(i)}) {catalogue.indicator(ind).name(m.language)}" for i, ind in enumerate(indicators, 1)))
    return Block(caption, tuple(groups), tuple(header), tuple(kinds), tuple(rows), tuple(total))


def _roman(number: int) -> str:
    numerals = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text
