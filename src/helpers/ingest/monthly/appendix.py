"""The appendix layout of the monthly report ("Phụ lục 1, 2, 3"), from a sheet or a CSV/TSV.

A sheet holds one level ("CẤP TỈNH: 07 chỉ tiêu … tháng 02 năm 2024") and one or more table
blocks. A block has two header rows: row fields (TT, unit, dossiers received) spanning both
rows, then one group header per indicator over its sub-headers (assigned target, denominator,
result, rate). Which header text means what is data: catalogue/appendix_headers.csv.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from helpers.catalogue import Catalogue, HeaderVocabulary
from helpers.errors import Problem
from helpers.numbers import NumberFormatError, parse_count, parse_rate
from helpers.text import fold_diacritics, header_key
from helpers.ingest.grid import Cell, Grid

REQUIRED_FIELDS = ("assigned_target", "numerator", "reported_rate")
TOTAL_NAMES = frozenset({"tổng cộng", "tổng", "cộng", "tổng số", "toàn tỉnh", "cả tỉnh"})
UNCALCULATED_FOUND = "a formula saved without its result (the workbook was written by a program)"
UNCALCULATED_FIX = "a value calculated by Excel: open the workbook in Excel and save it, so that its formulas' results are stored"
_FIGURE = re.compile(r"[-+]?\d[\d.,\s]*%?")
_PERIOD_IN_TITLE = re.compile(r"tháng\s*(\d{1,2})\s*(?:năm|/)\s*(\d{4})")


@dataclass
class Block:
    header_row: int
    row_fields: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, dict[str, int]] = field(default_factory=dict)
    headers: dict[int, str] = field(default_factory=dict)


@dataclass
class AppendixResult:
    records: list[dict[str, object]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    levels: set[str] = field(default_factory=set)
    periods: set[str] = field(default_factory=set)


def parse_appendix(grid: Grid, catalogue: Catalogue, result: AppendixResult) -> None:
    """Add the grid's unit/total records (tidy fields, unit names as written) to ``result``."""
    vocabulary = catalogue.headers
    level: str | None = None
    blocks_found = 0
    # Figures below a table's end (a note row inside a table ends it) would be dropped unread:
    # the first row of each such run is reported, unless a broken header above was already.
    stray_reported = False
    row = 0
    while row < len(grid.rows):
        title = _title_text(grid.rows[row])[1]
        if title is not None:
            level = _level_in(title, catalogue) or level
            period = _period_in(title)
            if period:
                result.periods.add(period)
            row += 1
            continue
        if not _is_header_row(grid.rows[row], vocabulary.row_fields):
            if _looks_like_header(grid.rows[row], vocabulary):
                # A header whose unit-name column is misspelled: its table must not vanish unread.
                blocks_found += 1
                result.problems.append(_unit_name_header_missing(grid, row, catalogue))
                stray_reported = True
            elif not stray_reported and _has_figures(grid.rows[row]):
                result.problems.append(
                    Problem(
                        grid.location(row),
                        "figures inside a table, below its header row (a title or note row between a table's rows ends the table)",
                        "a row with figures outside any table",
                    )
                )
                stray_reported = True
            row += 1
            continue
        if row + 1 >= len(grid.rows):
            break
        blocks_found += 1
        block_level = level or _level_in(grid.sheet or "", catalogue) or _level_in(grid.file.rsplit("/", 1)[-1], catalogue)
        block = _read_header(grid, row, catalogue, result.problems)
        if block_level is None:
            result.problems.append(
                Problem(
                    grid.location(row),
                    "a title above the table naming the level (such as 'CẤP TỈNH: 07 chỉ tiêu …'), "
                    "or a sheet name containing one of: " + ", ".join(level.name_vi for level in catalogue.levels.values()),
                    "no level named",
                )
            )
        else:
            result.levels.add(block_level)
        row += 2
        stray_reported = False
        while row < len(grid.rows) and not _ends_block(grid.rows[row], block, vocabulary):
            if block_level is not None:
                _read_data_row(grid, row, block, block_level, catalogue, result)
            row += 1
    if blocks_found == 0:
        result.problems.append(
            Problem(
                grid.location(0),
                "a table in the appendix layout: a header row with '"
                + "', '".join(vocabulary.known_texts["row_field"][:3])
                + "' and the indicator headers",
                "no such header row",
            )
        )


def _title_text(cells: list[Cell]) -> tuple[int | None, str | None]:
    """(column, text) of a row holding a single text cell, such as a title or a note."""
    filled = [(column, cell) for column, cell in enumerate(cells) if cell.text]
    if len(filled) == 1 and isinstance(filled[0][1].value, str):
        return filled[0][0], filled[0][1].text
    return None, None


def _has_figures(cells: list[Cell]) -> bool:
    """A name and at least two numbers: a unit's or a total's row."""
    numbers = sum(isinstance(cell.value, (int, float)) or bool(_FIGURE.fullmatch(cell.text)) for cell in cells if cell.text)
    names = sum(isinstance(cell.value, str) and not _FIGURE.fullmatch(cell.text) for cell in cells if cell.text)
    return numbers >= 2 and names >= 1


def _ends_block(cells: list[Cell], block: Block, vocabulary: HeaderVocabulary) -> bool:
    """A new header, or a title or note outside the unit-name column (a lone name is a unit row)."""
    column, text = _title_text(cells)
    if text is not None and column != block.row_fields.get("unit_name"):
        return True
    return _is_header_row(cells, vocabulary.row_fields) or _looks_like_header(cells, vocabulary)


def _looks_like_header(cells: list[Cell], vocabulary: HeaderVocabulary) -> bool:
    """A row naming an indicator (or two row fields, such as TT and the dossiers received) among other texts."""
    keys = [header_key(cell.text) for cell in cells if cell.text]
    if len(keys) < 2:
        return False
    return any(key in vocabulary.indicators for key in keys) or sum(key in vocabulary.row_fields for key in keys) >= 2


def _unit_name_header_missing(grid: Grid, row: int, catalogue: Catalogue) -> Problem:
    """Which cell should have named the unit column, and what it may have meant."""
    vocabulary = catalogue.headers
    known = vocabulary.row_fields.keys() | vocabulary.indicators.keys() | vocabulary.fields.keys()
    unknown = [(column, cell.text) for column, cell in enumerate(grid.rows[row]) if cell.text and header_key(cell.text) not in known]
    column, text = unknown[0] if unknown else (None, None)
    names = [name for name in vocabulary.known_texts["row_field"] if vocabulary.row_fields[header_key(name)] == "unit_name"]
    meant = [name for name in names if text is not None and fold_diacritics(header_key(name)) == fold_diacritics(header_key(text))]
    hint = f"; did you mean {meant[0]!r}?" if meant else ""
    return Problem(
        grid.location(row, column),
        "a unit-name column header such as '" + "', '".join(names) + "' in this table's header row "
        f"(accepted headers: catalogue/appendix_headers.csv){hint}; the table below it was not read",
        repr(text) if text is not None else "no unit-name header",
    )


def _level_in(text: str, catalogue: Catalogue) -> str | None:
    key = f" {header_key(text)} "
    for level in catalogue.levels.values():
        if f" {header_key(level.name_vi)} " in key:
            return level.id
    return None


def _period_in(text: str) -> str | None:
    match = _PERIOD_IN_TITLE.search(header_key(text).replace(" / ", "/"))
    if not match or not 1 <= int(match.group(1)) <= 12:
        return None
    return f"{match.group(2)}-{int(match.group(1)):02d}"


def _is_header_row(cells: list[Cell], row_fields: dict[str, str]) -> bool:
    return any(row_fields.get(header_key(cell.text)) == "unit_name" for cell in cells if cell.text)


def _read_header(grid: Grid, row: int, catalogue: Catalogue, problems: list[Problem]) -> Block:
    vocabulary = catalogue.headers
    block = Block(header_row=row)
    width = max(len(grid.rows[row]), len(grid.rows[row + 1]))
    group_text: str | None = None
    for column in range(width):
        top, sub = grid.cell(row, column).text, grid.cell(row + 1, column).text
        if top:
            group_text = top
        if group_text is None:
            continue
        group_key = header_key(group_text)
        if group_key in vocabulary.row_fields and not sub:
            block.row_fields[vocabulary.row_fields[group_key]] = column
            block.headers[column] = group_text
            group_text = None
            continue
        indicator = vocabulary.indicators.get(group_key)
        if indicator is None:
            if top:
                problems.append(
                    Problem(
                        grid.location(row, column),
                        "an indicator header such as '" + "', '".join(vocabulary.known_texts["indicator"][:4]) + "' "
                        "(all accepted headers: catalogue/appendix_headers.csv)",
                        repr(top),
                    )
                )
            continue
        if not sub:
            continue
        target_field = vocabulary.fields.get(header_key(sub))
        label = f"{group_text} › {sub}"
        block.headers[column] = label
        if target_field is None:
            problems.append(
                Problem(
                    grid.location(row + 1, column),
                    f"a sub-header under '{group_text}' such as '" + "', '".join(vocabulary.known_texts["field"][:5]) + "'",
                    repr(sub),
                )
            )
        elif target_field in block.indicators.setdefault(indicator, {}):
            problems.append(Problem(grid.location(row + 1, column), f"one '{sub}' column under '{group_text}'", "a second one"))
        else:
            block.indicators[indicator][target_field] = column
    _check_block(grid, block, catalogue, problems)
    return block


def _check_block(grid: Grid, block: Block, catalogue: Catalogue, problems: list[Problem]) -> None:
    if "unit_name" not in block.row_fields:
        return
    for indicator_id, columns in block.indicators.items():
        indicator = catalogue.indicator(indicator_id)
        needed = list(REQUIRED_FIELDS)
        if indicator.appendix_denominator == "column":
            needed.append("denominator")
        for missing in (name for name in needed if name not in columns):
            problems.append(
                Problem(
                    grid.location(block.header_row + 1),
                    f"a '{_field_label(catalogue, missing)}' column under '{indicator.name_vi}'",
                    "none (renamed or missing column)",
                )
            )
        if indicator.appendix_denominator == "received" and "received" not in block.row_fields:
            problems.append(
                Problem(
                    grid.location(block.header_row),
                    f"a '{_row_field_label(catalogue, 'received')}' column, the denominator of '{indicator.name_vi}'",
                    "none (renamed or missing column)",
                )
            )


def _field_label(catalogue: Catalogue, field_name: str) -> str:
    return next(
        (text for text in catalogue.headers.known_texts["field"] if catalogue.headers.fields[header_key(text)] == field_name),
        field_name,
    )


def _row_field_label(catalogue: Catalogue, field_name: str) -> str:
    return next(
        (text for text in catalogue.headers.known_texts["row_field"] if catalogue.headers.row_fields[header_key(text)] == field_name),
        field_name,
    )


def _read_data_row(grid: Grid, row: int, block: Block, level: str, catalogue: Catalogue, result: AppendixResult) -> None:
    name_column = block.row_fields.get("unit_name")
    if name_column is None:
        return
    name = grid.cell(row, name_column).text
    value_columns = [column for columns in block.indicators.values() for column in columns.values()]
    if not name:
        if any(grid.cell(row, column).text for column in value_columns):
            result.problems.append(Problem(grid.location(row, name_column, block.headers.get(name_column)), "a unit name", "an empty cell in a row with figures"))
        return
    name_key_text = header_key(name)
    row_kind = "total" if name_key_text in TOTAL_NAMES or name_key_text.startswith("tổng cộng") else "unit"
    received_column = block.row_fields.get("received")
    for indicator_id, columns in block.indicators.items():
        indicator = catalogue.indicator(indicator_id)
        notes: list[str] = []
        record: dict[str, object] = {
            "level": level,
            "unit_name": name,
            "row_kind": row_kind,
            "indicator": indicator_id,
            "source_file": grid.file,
            "source_sheet": grid.sheet,
            "source_row": row + 1,
            "_name_column": grid.location(row, name_column).column,
        }
        record["numerator"], record["numerator_cell"] = _count(grid, row, columns.get("numerator"), block, result)
        if indicator.appendix_denominator == "column":
            record["denominator"], record["denominator_cell"] = _count(grid, row, columns.get("denominator"), block, result)
        elif indicator.appendix_denominator == "received":
            record["denominator"], record["denominator_cell"] = _count(grid, row, received_column, block, result)
        record["reported_rate"], record["rate_cell"] = _rate(grid, row, columns.get("reported_rate"), "reported_rate", notes, result.problems)
        record["assigned_target"], record["target_cell"] = _rate(grid, row, columns.get("assigned_target"), "assigned_target", notes, result.problems)
        record["parse_notes"] = "; ".join(notes) or None
        result.records.append(record)


def _count(grid: Grid, row: int, column: int | None, block: Block, result: AppendixResult) -> tuple[int | None, str | None]:
    if column is None:
        return None, None
    cell = grid.cell(row, column)
    location = grid.location(row, column, block.headers.get(column))
    if cell.uncalculated:
        result.problems.append(Problem(location, UNCALCULATED_FIX, UNCALCULATED_FOUND))
        return None, location.cell
    try:
        return parse_count(cell.value), location.cell
    except NumberFormatError as error:
        result.problems.append(Problem(location, f"{error.expected} (a count)", repr(cell.text)))
        return None, location.cell


def _rate(grid: Grid, row: int, column: int | None, field_name: str, notes: list[str], problems: list[Problem]) -> tuple[float | None, str | None]:
    """Rates and targets are informative (rates are recomputed), so an unreadable one is noted, not
    fatal; a formula without its result is a problem, as in a count: the workbook needs saving in Excel."""
    if column is None:
        return None, None
    cell = grid.cell(row, column)
    reference = grid.location(row, column).cell
    if cell.uncalculated:
        problems.append(Problem(grid.location(row, column), UNCALCULATED_FIX, UNCALCULATED_FOUND))
        return None, reference
    try:
        return parse_rate(cell.value, cell.percent_formatted), reference
    except NumberFormatError:
        notes.append(f"{field_name}@{reference}={cell.text!r}")
        return None, reference
