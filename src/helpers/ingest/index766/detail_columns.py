"""The per-unit detail read column by column: the common case, a file without a problem, fast.

``DetailReader`` reads a record at a time and checks every figure in Python, with a message
for each problem; over a year of daily captures (1.7 million rows) that was most of the
ingest. This reader takes each figure as the JSON gives it into one tuple per row, then checks
whole columns at once (their Python types, then their range in Arrow). At the first thing it
does not expect (a field, code or type the record-by-record reader would question, a count
that disagrees, a column that fails a check) it gives up, and the file is read record by
record, which writes the messages: a file read here is one the record-by-record reader finds
no problem in, and both give the same rows (tests/test_index766_detail_columns.py).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from helpers.ingest.index766.json_source import MAX_INTEGER_DIGITS, JsonReader
from helpers.ingest.index766.sources import MAX_COUNT, FileRows, SourceUnit
from helpers.tidy766 import Snapshot


class Irregular(Exception):
    """Something the record-by-record reader would question: read the file that way."""


class _Absent:
    """A text field the row does not have (null), where a metric's missing name is ''."""


_ABSENT = _Absent()
_NONE = type(None)
_NUMBER_TYPES = {float, int, _NONE}
_COUNT_TYPES = {int, _NONE}
_TEXT_TYPES = {str, _NONE, _Absent}
_BELOW = float(10**MAX_INTEGER_DIGITS)  # what JsonReader.number takes without a second look
# The row tuple, in this order (the names of assemble's row fields where they are the same).
_FIELDS = ("measure", "group", "indicator", "indicator_name", "numerator", "denominator", "ratio", "value", "points", "max_points",
           "rank", "group_rank", "group_rank_base", "source_note", "source_record", "source_field")
_NUMBERS = ("value", "points", "max_points")
_COUNTS = ("numerator", "denominator", "rank", "group_rank")


class DetailColumns:
    """One detail file's rows as tuples, checked as columns (``table``)."""

    def __init__(self, reader: JsonReader, pairs: dict[str, dict[str, tuple[str, str]]], values: dict[str, dict[str, str]],
                 count_values: set[str], readable: dict[str, set[str]]) -> None:
        self.reader, self.pairs, self.values, self.count_values, self.readable = reader, pairs, values, count_values, readable
        self.required = {group.code for group in reader.rules.groups.values()}
        self.rows: list[tuple[object, ...]] = []
        self.numbers: list[object] = []  # figures the reader checks as numbers but does not keep
        self.counts: list[object] = []  # and as counts
        self._portal_groups: dict[str, str | None] = {}
        self._indicator_groups: dict[str, str | None] = {}

    def portal_group(self, code: str) -> str:
        if code not in self._portal_groups:
            self._portal_groups[code] = self.reader.rules.group_of_portal_code(code)
        group = self._portal_groups[code]
        if group is None:
            raise Irregular(code)
        return group

    def unit(self, record: dict, path: str, listed: int) -> int:
        """The rows of one unit record (as DetailReader._unit makes them); how many."""
        start, append = len(self.rows), self.rows.append
        rank, group_rank = record.get("rank"), record.get("groupRank")
        if "totalScore" not in record or not _rank(rank, MAX_COUNT - 1) or not _rank(group_rank, listed):
            raise Irregular(path)
        append(("total", None, None, _ABSENT, None, None, None, None, record["totalScore"], record.get("totalMaxScore"),
                rank, group_rank, listed, None, path, "totalScore"))
        scores = record.get("groupScores")
        components = record.get("componentIndicators")
        if type(scores) is not dict or type(components) is not dict:
            raise Irregular(path)
        groups: dict[str, list[object]] = {}  # group → [points, max_points, source_record, source_field]
        for key, value in scores.items():
            group = self.portal_group(key)
            if group in groups:
                raise Irregular(path)
            score, maximum = (value.get("score"), value.get("maxScore")) if type(value) is dict else (value, None)
            groups[group] = [score, maximum, path, f"groupScores.{key}"]
        for key, block in components.items():
            place = f"{path}.componentIndicators.{key}"
            group = self.portal_group(str(key).split("_", 1)[0])
            if type(block) is not dict or not block.keys() <= self.readable[group]:
                raise Irregular(place)
            self.component(group, block, place, groups)
        if not self.required <= groups.keys():
            raise Irregular(path)
        for group, (points, maximum, where, field) in groups.items():
            append(("group", group, None, _ABSENT, None, None, None, None, points, maximum, None, None, None, None, where, field))
        return len(self.rows) - start

    def component(self, group: str, block: dict, path: str, groups: dict[str, list[object]]) -> None:
        append = self.rows.append
        points, maximum = block.get("score"), block.get("maxScore")
        self.numbers += (points, maximum)
        row = groups.get(group)
        if row is None:
            groups[group] = [points, maximum, path, "score"]
        else:
            if points is not None and row[0] is not None and points != row[0]:
                raise Irregular(path)
            if row[1] is None:
                row[1] = maximum
        metrics = block.get("metrics")
        if metrics is not None:
            if type(metrics) is not list:
                raise Irregular(path)
            known = self._indicator_groups
            for index, metric in enumerate(metrics):
                if type(metric) is not dict:
                    raise Irregular(path)
                code = metric.get("code")
                if type(code) is not str:
                    raise Irregular(path)
                if code not in known:
                    known[code] = self.reader.rules.group_of_indicator(code)
                if known[code] != group:
                    raise Irregular(path)
                ratio = metric.get("ratio")
                if metric.get("unit") in (None, "%"):
                    scaled = ratio
                else:
                    scaled = None
                    self.numbers.append(ratio)
                append(("indicator", group, code, metric.get("name"), metric.get("numerator"), metric.get("denominator"), scaled,
                        metric.get("value"), metric.get("score"), metric.get("maxScore"), None, None, None, metric.get("dataQualityStatus"),
                        f"{path}.metrics[{index}]", "ratio" if ratio is not None else "value"))
        for code, (numerator, denominator) in self.pairs.get(group, {}).items():
            if numerator not in block and denominator not in block:
                continue
            append(("indicator", group, code, _ABSENT, block.get(numerator), block.get(denominator), block.get("ratio") if code == "ON_TIME" else None,
                    None, None, None, None, None, None, None, path, f"{numerator}/{denominator}"))
        for field, code in self.values.get(group, {}).items():
            value = block.get(field)
            if value is None:
                continue
            if field in self.count_values:
                self.counts.append(value)
            append(("indicator", group, code, _ABSENT, None, None, None, value, None, None, None, None, None, None, path, field))

    def table(self, display: str) -> pa.Table:
        """The rows as assemble's row fields; Irregular when a column holds what the reader would question."""
        count = len(self.rows)
        columns = dict(zip(_FIELDS, zip(*self.rows))) if count else {field: () for field in _FIELDS}
        _numbers(self.numbers)
        _counts(self.counts)
        arrays: dict[str, pa.Array] = {field: _numbers(columns[field]) for field in _NUMBERS}
        arrays.update({field: _counts(columns[field]) for field in _COUNTS})
        arrays["ratio"] = pc.divide(_numbers(columns["ratio"]), pa.scalar(100.0))
        arrays["group_rank_base"] = pa.array(columns["group_rank_base"], pa.int64())
        arrays["indicator_name"] = _texts(columns["indicator_name"], {None: "", _ABSENT: None}, lambda text: text)
        arrays["source_note"] = _texts(columns["source_note"], {None: None}, lambda text: text or None)
        for field in ("measure", "group", "indicator", "source_record", "source_field"):
            arrays[field] = pa.array(columns[field], pa.string())
        arrays["points_decimals"] = pa.array(np.full(count, 2, dtype=np.int64))
        arrays["source_file"] = pa.array([display] * count, pa.string())
        return pa.table(arrays)


def _rank(rank: object, largest: int) -> bool:
    """A rank JsonReader.ranks finds no problem in (None, or a whole number from 1 to ``largest``)."""
    return rank is None or (type(rank) is int and 1 <= rank <= largest)


def _numbers(values: tuple[object, ...] | list[object]) -> pa.Array:
    return _checked(values, _NUMBER_TYPES, pa.float64(), "a number", _BELOW)


def _counts(values: tuple[object, ...] | list[object]) -> pa.Array:
    return _checked(values, _COUNT_TYPES, pa.int64(), "a count", MAX_COUNT)


def _checked(values: tuple[object, ...] | list[object], types: set[type], arrow_type: pa.DataType, what: str, below: float) -> pa.Array:
    """The values as one Arrow column, if each is of ``types`` and from 0 to under ``below`` (no NaN)."""
    if not set(map(type, values)) <= types:
        raise Irregular(what)
    try:
        array = pa.array(values, arrow_type)
    except (pa.ArrowException, OverflowError):
        raise Irregular(what) from None
    if array.null_count < len(array):
        low, high = pc.min_max(array).values()
        if not (low.as_py() >= 0 and high.as_py() < below) or (pa.types.is_floating(arrow_type) and pc.any(pc.is_nan(array)).as_py()):
            raise Irregular(what)
    return array


def _texts(values: tuple[object, ...], fixed: dict[object, str | None], written: object) -> pa.Array:
    """JsonReader.text of each value (stripped), ``fixed`` for None and absent ones."""
    if not set(map(type, values)) <= _TEXT_TYPES:
        raise Irregular("a text")
    distinct = set(values)
    meaning = {value: written(value.strip()) for value in distinct if type(value) is str}  # type: ignore[operator]
    meaning.update((value, fixed.get(value)) for value in distinct if type(value) is not str)
    return pa.array(list(map(meaning.__getitem__, values)), pa.string())


def read_detail_columns(reader: JsonReader, document: dict, snapshot: Snapshot, province: str, lists: tuple[str, ...],
                        columns: DetailColumns) -> tuple[list[SourceUnit], FileRows] | None:
    """The units of a detail file and their rows, or None when the file needs the
    record-by-record reader (then neither the reader's units nor its problems are kept)."""
    units, counts, before = [], [], len(reader.problems)
    try:
        for list_name in lists:
            listed = reader.unit_records(document, list_name)
            for path, record in listed:
                units.append(reader.listed_unit(snapshot, province, record, path, "unit detail"))
                counts.append(columns.unit(record, path, len(listed)))
        if len(reader.problems) > before:
            raise Irregular("problems")
        return units, FileRows(columns.table(reader.display), counts)
    except Irregular:
        del reader.problems[before:]
        return None
