"""A province's assembled 766 table in its one order, as a table or straight into Parquet.

The order: snapshot, level (province first), unit name, measure, group and sub-indicator in
the rules' order, then the code; a stable sort, done once. Each key is a small integer per row
(the place of its value among the distinct values, read from the dictionary of each chunk),
combined into one integer when they fit (one stable argsort instead of a lexsort over ten keys).

``parquet766`` writes the table in that order one row group at a time, each taken from the
unsorted table as it is written: a year of daily captures is never held twice, nor as one
sorted copy of plain texts. The file is the one ``pq.write_table`` writes of the sorted table.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.rules766 import Index766Rules
from helpers.tidy766 import MEASURES, SNAPSHOT_KEYS
from helpers.ingest.index766.assemble import STORED_SCHEMA

# pq.write_table's default row group (1,048,576 rows): the file stays what it was.
ROW_GROUP = 1024 * 1024


def order766(table: pa.Table, rules: Index766Rules, catalogue: Catalogue) -> np.ndarray | None:
    """The rows' places in the order, or None when they are in it already."""
    orders = {
        "level": [WHOLE_PROVINCE, *catalogue.levels], "measure": list(MEASURES), "group": list(rules.groups), "indicator": list(rules.rules),
    }
    keys = [(column, None) for column in SNAPSHOT_KEYS] + [("level", orders["level"]), ("unit_name", None)]
    keys += [(column, orders[column]) for column in ("measure", "group", "indicator")] + [("indicator", None)]
    places = [_places(table.column(column), order) for column, order in keys]
    rows = table.num_rows
    sizes = [int(place.max()) + 1 for place, _ in places]  # each key from 0 to size - 1
    if float(np.prod([float(size) for size in sizes])) < 2.0**62:
        # One integer per row, each key a digit of it: one stable argsort, and only that
        # integer held beside the table (ten keys of 8 bytes a row took 140 MB for a year).
        combined = np.zeros(rows, dtype=np.int64)
        for (place, chunks), size in zip(places, sizes):
            combined *= size
            _add_keys(combined, place, chunks)
        order = np.argsort(combined, kind="stable")
    else:
        keys_of = []
        for place, chunks in places:
            key = np.zeros(rows, dtype=np.int64)
            _add_keys(key, place, chunks)
            keys_of.append(key)
        order = np.lexsort(keys_of[::-1])
    return None if np.array_equal(order, np.arange(rows)) else order


def _places(values: pa.ChunkedArray, order: list[str] | None) -> tuple[np.ndarray, list[tuple[pa.Array, np.ndarray]]]:
    """A text column's key: ``place`` (each distinct value's key, the last for a missing one) and
    per chunk its indices with the map from its dictionary to ``place``. Without ``order`` the key is
    the value's place in sorted order, a missing value first; with it, its place in ``order``,
    values outside it (and missing ones) after it."""
    if not pa.types.is_dictionary(values.type):
        values = values.dictionary_encode()
    distinct = sorted({value for chunk in values.chunks for value in chunk.dictionary.to_pylist()})
    if order is None:
        keys, missing = {value: place + 1 for place, value in enumerate(distinct)}, 0
    else:
        ranks = {name: rank for rank, name in enumerate(order)}
        keys, missing = {value: ranks.get(value, len(order)) for value in distinct}, len(order)
    place = np.array([*keys.values(), missing], dtype=np.int64)
    position = {value: index for index, value in enumerate(keys)}
    chunks = [(chunk.indices, np.array([*(position[value] for value in chunk.dictionary.to_pylist()), len(keys)], dtype=np.int64)) for chunk in values.chunks]
    return place, chunks


def _add_keys(target: np.ndarray, place: np.ndarray, chunks: list[tuple[pa.Array, np.ndarray]]) -> None:
    offset = 0
    for indices, to_place in chunks:
        codes = indices.fill_null(-1).to_numpy()
        target[offset:offset + len(codes)] += place[to_place[codes]]
        offset += len(codes)


def sorted766(table: pa.Table, rules: Index766Rules, catalogue: Catalogue) -> pa.Table:
    """The table in the order (the caller passes its only reference: each column is let go as
    its reordered copy is made, so the table is never held twice)."""
    order = order766(table, rules, catalogue)
    if order is None:
        return table
    schema, columns, taken = table.schema, table.columns, pa.array(order)
    del table
    for index in range(len(columns)):
        columns[index] = columns[index].take(taken)
    return pa.Table.from_arrays(columns, schema=schema)


def parquet766(
    table: pa.Table, rules: Index766Rules, catalogue: Catalogue, flagged: tuple[str, pa.Table] | None = None, metadata: dict[bytes, bytes] | None = None,
) -> bytes:
    """The table in the order as Parquet (``STORED_SCHEMA``), one row group taken at a time;
    ``flagged`` (a column's name and rows of the same schema) adds those rows after the table's,
    in the order, with that column true on them and false on the table's; ``metadata`` is kept
    in the file's schema."""
    order = order766(table, rules, catalogue)
    schema = STORED_SCHEMA if flagged is None else STORED_SCHEMA.append(pa.field(flagged[0], pa.bool_()))
    if metadata:
        schema = schema.with_metadata(metadata)

    def stored(rows: pa.Table, flag: bool) -> pa.Table:
        rows = rows.cast(STORED_SCHEMA)
        return rows if flagged is None else rows.append_column(flagged[0], pa.array(np.full(len(rows), flag)))

    sink = pa.BufferOutputStream()
    with pq.ParquetWriter(sink, schema) as writer:
        if order is None:
            writer.write_table(stored(table, False), row_group_size=ROW_GROUP)
        for start in range(0, len(order) if order is not None else 0, ROW_GROUP):
            rows = stored(table.take(pa.array(order[start:start + ROW_GROUP])), False)
            writer.write_table(rows, row_group_size=ROW_GROUP)
            del rows
        if flagged is not None:
            writer.write_table(stored(sorted766(flagged[1], rules, catalogue), True), row_group_size=ROW_GROUP)
    return sink.getvalue().to_pybytes()
