"""The unit detail read column by column (helpers.ingest.index766.detail_columns) gives what the
record-by-record reader gives: the same rows for a clean file, and for a file with anything to
question the record-by-record reader's own messages (it reads the file again). Then the
assembled table's order and its Parquet file, written a row group at a time."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers.catalogue import WHOLE_PROVINCE
from helpers.context import Context
from helpers.ingest.index766 import assemble, ordered, unit_detail
from helpers.ingest.index766.assemble import Assembly
from helpers.ingest.index766.portal_json import read_portal_json
from helpers.paths import DEFAULT_DATA_DIR as DATA
from helpers.rules766 import Index766Rules

GIA_LAI = DATA / "raw" / "gia_lai" / "766"
DETAILS = ("agencies_detail_GiaLai_10102026.json", "agencies_detail_GiaLai_24092026.json")
DETAIL = DETAILS[0]
TDGQ, CKMB = "TDGQ_TienDoGiaiQuyet", "CKMB_CongKhaiMinhBach"


def _read(path: Path, context: Context, rules: Index766Rules, monkeypatch: pytest.MonkeyPatch, by_records: bool) -> tuple[list[str], pa.Table | None, bool]:
    """(problems, assembled rows, read as columns?) of one file, by columns first or by records only."""
    with monkeypatch.context() as patch:
        if by_records:
            patch.setattr(unit_detail, "read_detail_columns", lambda *arguments: None)
        provinces = {code: name for code, name in zip(context.registry.provinces["portal_code"], context.registry.provinces["province"]) if code}
        units, problems, rows = read_portal_json(path, path.name, rules, provinces)
    if problems:
        return [str(problem) for problem in problems], None, rows is not None
    assembly = Assembly(context.registry, "gia_lai")
    assert not assembly.add(units, rows)  # no problem: the file's units added
    return [], assembly.table(), rows is not None


def _both(path: Path, context: Context, rules: Index766Rules, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple]:
    return _read(path, context, rules, monkeypatch, False), _read(path, context, rules, monkeypatch, True)


def _edited(tmp_path: Path, change, name: str = DETAIL) -> Path:
    document = json.loads((GIA_LAI / name).read_text(encoding="utf-8"))
    change(document)
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", DETAILS)
def test_a_real_detail_file_read_as_columns_gives_the_rows_read_record_by_record(name: str, context: Context, rules: Index766Rules,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    (problems, table, as_columns), (expected_problems, expected, _) = _both(GIA_LAI / name, context, rules, monkeypatch)
    assert as_columns and problems == expected_problems == []
    assert table.schema == expected.schema and table.equals(expected)
    assert table.num_rows > 300  # 14 departments, each with its sub-indicators


def _unusual_but_readable(document: dict) -> None:
    """Values the reader takes, each read in the way it reads them (int for float, a padded name...)."""
    first, second = document["agenciesDetail"][0], document["agenciesDetail"][1]
    first["totalScore"] = 80
    first["rank"] = first["groupRank"] = None
    metric = first["componentIndicators"][CKMB]["metrics"][0]
    metric.update(name="  padded name  ", dataQualityStatus="   ", ratio=None, value=3, unit="điểm", numerator=None)
    second["componentIndicators"][CKMB]["metrics"][1].update(name=None, dataQualityStatus=" LOW ", ratio=0, denominator=0, numerator=0)
    second["componentIndicators"][TDGQ].update(totalOnTime=None, ratio=100)
    second["groupScores"] = {group: {"score": score, "maxScore": None} for group, score in second["groupScores"].items()}


def test_unusual_values_the_reader_takes_are_read_the_same_as_columns(tmp_path: Path, context: Context, rules: Index766Rules,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    (problems, table, as_columns), (expected_problems, expected, _) = _both(_edited(tmp_path, _unusual_but_readable), context, rules, monkeypatch)
    assert as_columns and problems == expected_problems == []
    assert table.equals(expected)
    names = table.column("indicator_name").to_pylist()
    assert "padded name" in names and "" in names  # stripped; a missing name is '' as record by record


def _set(path: tuple[object, ...], value: object):
    def change(document: dict) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


UNIT = ("agenciesDetail", 1)
METRIC = (*UNIT, "componentIndicators", CKMB, "metrics", 0)
QUESTIONED = {
    "a boolean count": _set((*METRIC, "numerator"), True),
    "a count with a fraction": _set((*METRIC, "denominator"), 2.5),
    "a whole count written as a decimal": _set((*METRIC, "denominator"), 20.0),  # read, but by records
    "a negative score": _set((*METRIC, "score"), -1),
    "a ratio in words": _set((*METRIC, "ratio"), "97%"),
    "a name that is a number": _set((*METRIC, "name"), 5),
    "a note that is a list": _set((*METRIC, "dataQualityStatus"), ["LOW"]),
    "a count beyond any real one": _set((*UNIT, "componentIndicators", TDGQ, "totalOnTime"), 10**12),
    "a figure beyond exact integers": _set((*METRIC, "value"), 10**18),
    "an unknown sub-indicator": _set((*METRIC, "code"), "PUBLISH_LATE"),
    "a sub-indicator of another group": _set((*METRIC, "code"), "ON_TIME"),
    "a metric that is text": _set(METRIC, "metric"),
    "metrics that are no list": _set((*UNIT, "componentIndicators", CKMB, "metrics"), {"code": "x"}),
    "an unknown field": _set((*UNIT, "componentIndicators", TDGQ, "surprise"), 1),
    "an unknown group": _set((*UNIT, "componentIndicators", "XYZ_Unknown"), {"score": 1}),
    "a group block that is a number": _set((*UNIT, "componentIndicators", TDGQ), 3),
    "a group score that disagrees": _set((*UNIT, "componentIndicators", CKMB, "score"), 0.5),
    "a group score in words": _set((*UNIT, "groupScores", "CKMB"), "high"),
    "a group maximum below zero": _set((*UNIT, "componentIndicators", TDGQ, "maxScore"), -20),
    "a group twice": lambda document: document["agenciesDetail"][1]["groupScores"].update(ONLINE=1.0, CLGQ=1.0),
    "a group missing": lambda document: (document["agenciesDetail"][1]["groupScores"].pop("MDSH"),
                                         document["agenciesDetail"][1]["componentIndicators"].pop("MDSH_SoHoaHoSo")),
    "no total": lambda document: document["agenciesDetail"][1].pop("totalScore"),
    "a rank of 0": _set((*UNIT, "rank"), 0),
    "a group rank beyond the units listed": _set((*UNIT, "groupRank"), 999),
    "a record that is text": _set(UNIT, "unit"),
    "a count of units that disagrees": _set(("count",), 3),
    "an unknown level": _set((*UNIT, "childGroup"), "VILLAGE"),
    "no groups' detail": _set((*UNIT, "componentIndicators"), None),
}


@pytest.mark.parametrize("change", list(QUESTIONED.values()), ids=list(QUESTIONED))
def test_a_file_with_anything_to_question_is_read_record_by_record(change, tmp_path: Path, context: Context, rules: Index766Rules,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (problems, table, as_columns), (expected_problems, expected, _) = _both(_edited(tmp_path, change), context, rules, monkeypatch)
    assert not as_columns
    assert problems == expected_problems
    assert (table is None and expected is None) or table.equals(expected)


# -- the order and the file ---------------------------------------------------------------------
def _table(rows: int, distinct: int, seed: int = 10, chunks: int = 3) -> pa.Table:
    """An assembled-like table: every text dictionary-encoded, some values missing, some outside
    the rules' orders, chunks with dictionaries of their own."""
    generator = random.Random(seed)
    names = {column: [f"{column}{index:03d}" for index in range(distinct)] for column in ("province", "period_kind", "period", "snapshot_date", "unit_name")}
    names.update(level=[WHOLE_PROVINCE, "cap_tinh", "cap_xa", "other"], measure=["total", "group", "indicator", "other"],
                 group=["CKMB", "TDGQ", "MDSH", "ZZZ"], indicator=["ON_TIME", "PUBLIC_CONTENT_FULL", "PAY_DOSSIERS", "UNKNOWN", "AAA"])
    values = {column: [generator.choice([*choices, None]) for _ in range(rows)] for column, choices in names.items()}
    values["points"] = list(range(rows))
    size = -(-rows // chunks)
    parts = [pa.table({column: pa.array(column_values[start:start + size], pa.string() if column != "points" else pa.int64())
                       for column, column_values in values.items()}) for start in range(0, rows, size)]
    parts = [pa.table({name: part.column(name).dictionary_encode() if name != "points" else part.column(name) for name in part.column_names}) for part in parts]
    return pa.concat_tables(parts)


def _expected_order(table: pa.Table, rules: Index766Rules, context: Context) -> list[int]:
    """The order as a Python sort by tuples: a missing text first, values outside an order last."""
    orders = {"level": [WHOLE_PROVINCE, *context.catalogue.levels], "measure": ["total", "group", "indicator", "groups_combined"],
              "group": list(rules.groups), "indicator": list(rules.rules)}
    columns = {name: table.column(name).cast(pa.string()).to_pylist() for name in table.column_names}

    def text(value: str | None) -> tuple[int, str]:
        return (0, "") if value is None else (1, value)

    def ranked(value: str | None, order: list[str]) -> int:
        return order.index(value) if value in order else len(order)

    def key(row: int) -> tuple[object, ...]:
        return (*(text(columns[name][row]) for name in ("province", "period_kind", "period", "snapshot_date")), ranked(columns["level"][row], orders["level"]),
                text(columns["unit_name"][row]), *(ranked(columns[name][row], orders[name]) for name in ("measure", "group", "indicator")),
                text(columns["indicator"][row]))
    return sorted(range(table.num_rows), key=key)


@pytest.mark.parametrize("distinct", [3, 120], ids=["keys combined into one integer", "too many values for one integer"])
def test_the_order_is_the_stable_sort_by_each_key(distinct: int, context: Context, rules: Index766Rules) -> None:
    table = _table(2_000, distinct)
    order = ordered.order766(table, rules, context.catalogue)
    assert order is not None and order.tolist() == _expected_order(table, rules, context)
    assert ordered.sorted766(table, rules, context.catalogue).column("points").to_pylist() == order.tolist()


def test_the_parquet_file_written_a_row_group_at_a_time_is_the_sorted_tables(tmp_path: Path, context: Context, rules: Index766Rules,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    table = _table(5_000, 10).unify_dictionaries()
    table = table.append_column("source_record", pa.array([f"row {row % 700}" for row in range(table.num_rows)]).dictionary_encode())
    stored = pa.schema([table.schema.field(name) for name in table.column_names if name != "source_record"] + [pa.field("source_record", pa.string())])
    monkeypatch.setattr(ordered, "STORED_SCHEMA", stored)
    monkeypatch.setattr(ordered, "ROW_GROUP", 1_024)
    expected = pa.BufferOutputStream()
    pq.write_table(ordered.sorted766(table, rules, context.catalogue).cast(stored), expected, row_group_size=1_024)
    written = ordered.parquet766(table, rules, context.catalogue)
    assert written == expected.getvalue().to_pybytes()
    assert pq.ParquetFile(pa.BufferReader(written)).metadata.num_row_groups == 5


def test_compacting_the_files_tables_changes_nothing(context: Context, rules: Index766Rules, monkeypatch: pytest.MonkeyPatch) -> None:
    def assembled(every: int) -> pa.Table:
        monkeypatch.setattr(assemble, "COMPACT_EVERY", every)
        provinces = {code: name for code, name in zip(context.registry.provinces["portal_code"], context.registry.provinces["province"]) if code}
        assembly = Assembly(context.registry, "gia_lai")
        for path in sorted(GIA_LAI.glob("*.json")):
            units, problems, rows = read_portal_json(path, path.name, rules, provinces)
            assert not problems
            assert not assembly.add([unit for unit in units if not unit.peer or unit.province == "gia_lai"],
                                    rows.only([not unit.peer or unit.province == "gia_lai" for unit in units]) if rows is not None else None)
        return assembly.table()

    compacted, whole = assembled(2), assembled(1_000)
    assert compacted.equals(whole)
    assert [column.chunk(0).dictionary.to_pylist() for column in compacted.columns if pa.types.is_dictionary(column.type)] == \
        [column.chunk(0).dictionary.to_pylist() for column in whole.columns if pa.types.is_dictionary(column.type)]
    assert compacted.column(0).num_chunks < whole.column(0).num_chunks
