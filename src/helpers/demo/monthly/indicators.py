"""How the demo simulates and lays out each indicator of the catalogue.

Everything is read from the catalogue directory: the indicators (indicators.csv), which header
texts the appendix uses (appendix_headers.csv), which table block holds each indicator and the
header over its denominator column (appendix_layout.csv, as the documents read it), and two
optional demo tables:

- ``demo_indicators.csv``: per indicator, where its units' rates start (``typical_rate``, their
  ``spread`` between units in log-odds), what its denominator counts (``denominator_counts``,
  one of DENOMINATOR_COUNTS), an indicator whose numerator bounds its own
  (``numerator_at_most``) and whether the provincial sheet writes its 100% target as a plain "100";
- ``demo_appendix_blocks.csv``: each block's caption.

An indicator these tables do not list gets the defaults below, in a block of its own after the
others: adding a row to indicators.csv (and its header to appendix_headers.csv) is enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.catalogue import Catalogue
from helpers.datafiles import read_data_csv
from helpers.errors import Location, fail
from helpers.text import header_key

INDICATORS_FILE = "demo_indicators.csv"
BLOCKS_FILE = "demo_appendix_blocks.csv"
LAYOUT_FILE = "appendix_layout.csv"
# What a denominator can count, per unit and month (helpers.demo.monthly.simulate draws them).
DENOMINATOR_COUNTS = ("received", "fee_dossiers", "results", "services", "payment_procedures")
# Without a demo row, the denominator follows the appendix: dossiers received, or results issued
# where the table has no denominator column (as e-results).
DEFAULT_COUNTS = {"received": "received", "column": "received", "absent": "results"}
DEFAULT_TYPICAL_RATE = 0.8
DEFAULT_SPREAD = 0.8


@dataclass(frozen=True)
class IndicatorModel:
    """One indicator as the demo simulates it and writes it into the appendix."""

    indicator: str
    typical: float
    spread: float
    counts: str
    at_most: str  # '' or the indicator whose numerator caps this one
    block: str
    denominator_header: str  # '' where the appendix has no denominator column
    target_written_plain: bool


@dataclass(frozen=True)
class DemoIndicators:
    """The models in catalogue order, and the appendix blocks (caption, indicators) in order."""

    models: dict[str, IndicatorModel]
    blocks: tuple[tuple[str, tuple[str, ...]], ...]

    def __getitem__(self, indicator: str) -> IndicatorModel:
        return self.models[indicator]


def demo_indicators(catalogue: Catalogue) -> DemoIndicators:
    directory = catalogue.directory
    rows = _rows(directory / INDICATORS_FILE, catalogue)
    layout = _layout(directory / LAYOUT_FILE, catalogue)
    captions = _captions(directory / BLOCKS_FILE)
    denominator_headers = [text for text in catalogue.headers.known_texts["field"] if _meaning(catalogue, text) == "denominator"] or [""]
    models = {}
    for indicator in catalogue.indicators.values():
        row = rows.get(indicator.id, {})
        block, _position, header = layout.get(indicator.id, (f"own:{indicator.id}", 0, ""))
        in_column = indicator.appendix_denominator == "column"
        models[indicator.id] = IndicatorModel(
            indicator.id,
            float(row.get("typical_rate") or DEFAULT_TYPICAL_RATE),
            float(row.get("spread") or DEFAULT_SPREAD),
            row.get("denominator_counts") or DEFAULT_COUNTS[indicator.appendix_denominator],
            row.get("numerator_at_most", ""),
            block,
            (header or denominator_headers[0]) if in_column else "",
            row.get("target_written_plain", "") == "yes",
        )
        if in_column and _meaning(catalogue, models[indicator.id].denominator_header) != "denominator":
            raise ValueError(f"{LAYOUT_FILE}: the header {models[indicator.id].denominator_header!r} of {indicator.id} must be a denominator header of appendix_headers.csv")
    # The layout's blocks in order, then one block per indicator it does not place.
    placed = sorted(layout, key=lambda indicator: (int(layout[indicator][0]), layout[indicator][1]))
    listed = [*placed, *(indicator for indicator in models if indicator not in layout)]
    blocks = []
    for number, block in enumerate(dict.fromkeys(models[indicator].block for indicator in listed), start=1):
        members = tuple(indicator for indicator in listed if models[indicator].block == block)
        caption = captions.get(block) or f"{number}. Chỉ tiêu: " + ", ".join(catalogue.indicator(indicator).name_vi for indicator in members)
        blocks.append((caption, members))
    return DemoIndicators(models, tuple(blocks))


def _meaning(catalogue: Catalogue, text: str) -> str | None:
    return catalogue.headers.fields.get(header_key(text))


def _rows(path: Path, catalogue: Catalogue) -> dict[str, dict[str, str]]:
    """The demo table's rows of the catalogue's indicators (rows of other indicators are ignored)."""
    if not path.is_file():
        return {}
    columns = ["indicator", "typical_rate", "spread", "denominator_counts", "numerator_at_most", "target_written_plain"]
    frame = read_data_csv(path, columns, optional=["note"])
    rows = {}
    for line, row in frame.iterrows():  # the index is each row's line in the file
        if row["indicator"] not in catalogue.indicators:
            continue
        location = Location(str(path), row=int(line))
        if row["denominator_counts"] not in ("", *DENOMINATOR_COUNTS):
            raise fail(location, " or ".join(DENOMINATOR_COUNTS), repr(row["denominator_counts"]))
        if row["numerator_at_most"] not in ("", *catalogue.indicators):
            raise fail(location, "an indicator of indicators.csv or blank", repr(row["numerator_at_most"]))
        rows[str(row["indicator"])] = {column: str(row[column]) for column in columns}
    return rows


def _layout(path: Path, catalogue: Catalogue) -> dict[str, tuple[str, int, str]]:
    """indicator → (block, position in it, denominator header) of the catalogue's indicators."""
    if not path.is_file():
        return {}
    frame = read_data_csv(path, ["indicator", "block", "position", "denominator_header_vi"])
    placed = frame[frame["indicator"].isin(list(catalogue.indicators))]
    return {
        str(indicator): (str(block), int(position), str(header))
        for indicator, block, position, header in zip(placed["indicator"], placed["block"], placed["position"], placed["denominator_header_vi"])
    }


def _captions(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    frame = read_data_csv(path, ["block", "caption_vi"])
    return dict(zip(frame["block"], frame["caption_vi"]))
