"""What an adapter reads from one source before its units are matched to the registry."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from helpers.errors import Location, Problem
from helpers.text import printable
from helpers.tidy766 import Snapshot

# The measure fields a row may carry; identity (snapshot, province, unit) is added on assembly.
ROW_FIELDS = (
    "measure", "group", "indicator", "indicator_name", "numerator", "denominator", "ratio", "value",
    "points", "max_points", "points_decimals", "rank", "rank_base", "group_rank", "group_rank_base",
    "published_delta", "published_delta_text", "source_note",
)
PROVENANCE_FIELDS = ("source_file", "source_record", "source_field")
# No count of dossiers, procedures or petitions comes near ten billion; a larger one is a typing
# slip or an attack, and the exact scoring (helpers.analysis.index766.scoring) has no room for it.
MAX_COUNT = 10**10


@dataclass
class SourceUnit:
    """One unit's block (or the province's own) in one source, with the measures it gives."""

    snapshot: Snapshot
    province: str
    is_province: bool
    written_name: str
    location: Location
    level: str | None = None
    unit_id: str | None = None
    portal_code: str | None = None
    rows: list[dict[str, object]] = field(default_factory=list)
    # A row of a table of every province (the national ranking): ingested only into its own
    # province's folder, and not an error in another province's.
    peer: bool = False
    # The kind of file it came from: a unit appears once per snapshot in each kind (a unit list
    # and a unit detail of the same day are merged; the same list twice is an error).
    shape: str = ""

    def row_key(self, row: dict[str, object]) -> tuple[object, object, object]:
        return row["measure"], row.get("group"), row.get("indicator")


@dataclass(frozen=True)
class FileRows:
    """The rows of a file's units read as columns (helpers.ingest.index766.detail_columns):
    ``counts[i]`` rows of ``table`` for the i-th unit, in the order of the units; their
    ``rows`` lists stay empty."""

    table: pa.Table
    counts: list[int]

    def only(self, kept: list[bool]) -> FileRows:
        """The rows of the units kept."""
        if all(kept):
            return self
        rows = np.repeat(np.asarray(kept, dtype=bool), self.counts)
        return FileRows(self.table.filter(pa.array(rows)), [count for count, keep in zip(self.counts, kept) if keep])


@dataclass(frozen=True)
class SourceDisagreement:
    """Two sources of one snapshot that give a row's figure differently: where the figure not
    used is, and the figure kept with where it is (helpers.ingest.index766.assemble says which)."""

    location: Location
    field: str
    value: object
    kept: object
    kept_location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.field} {printable(repr(self.value))}, where {self.kept_location} gives {printable(repr(self.kept))} (kept)"


def check_rank(rank: int | None, base: int | None, location: Location, base_name: str, problems: list[Problem]) -> None:
    """A rank is at least 1 and never larger than the number of units ranked."""
    if rank is None:
        return
    if rank < 1:
        problems.append(Problem(location, "a rank of at least 1", str(rank)))
    elif base is not None and rank > base:
        problems.append(Problem(location, f"a rank no larger than its base {base} ({base_name})", f"{rank}/{base}"))
