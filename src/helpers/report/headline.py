"""A report's headline: its title and a few figures, for the index page.

A notebook publishes its headline as one output of a custom MIME type (``publish`` returns a
displayable object). The HTML export leaves that output out of the page; the batch runner
writes it beside the report as ``<report>.headline.json``, and the index page lists every
headline it finds. Any notebook rendered by the runner gets onto the index this way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from helpers.report.toolkit import Tile

HEADLINE_MIME = "application/vnd.dvc-report.headline+json"
SIDECAR_SUFFIX = ".headline.json"


@dataclass(frozen=True)
class HeadlineFigure:
    """One figure of a headline. The index page makes one column per ``key`` for every report of
    a kind, so the key stays the same from report to report and from province to province;
    what changes (``tăng 6 bậc``, ``12 đơn vị``) goes in ``detail``, shown beside the value."""

    key: str  # an indicator id or a tile's key: "online_payment", "rank", "checks"
    label: str
    value: str
    status: str = ""  # CSS class: good, partial, bad, or blank
    detail: str = ""

    @classmethod
    def of_tile(cls, tile: Tile) -> "HeadlineFigure":
        """A header tile as a figure of the index page (``Số liệu cần xem lại: 3``)."""
        return cls(tile.key, tile.what[:1].upper() + tile.what[1:], tile.value, tile.css, tile.detail)


@dataclass(frozen=True)
class Headline:
    kind: str  # what kind of report: a name in helpers.report.kinds ("monthly", "index766", ...)
    kind_label: str  # how the index heads a kind the registry does not know, in the report's language
    title: str
    province: str
    province_name: str
    period: str  # sorts the index: YYYY-MM for a month, YYYY-MM-DD for a snapshot
    language: str
    synthetic: bool = False
    figures: tuple[HeadlineFigure, ...] = field(default_factory=tuple)
    period_label: str = ""  # how the index names the period; blank: the month's name

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Headline":
        values = dict(data)
        # A headline file written before figures had keys names its figures by their labels.
        values["figures"] = tuple(HeadlineFigure(**{"key": figure["label"], **figure}) for figure in values.get("figures", ()))
        return cls(**values)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, object]:
        plain = f"{self.title}: " + "; ".join(f"{figure.label} {figure.value}" for figure in self.figures)
        return {HEADLINE_MIME: self.to_json(), "text/plain": plain}


def sidecar_path(report: Path) -> Path:
    """``reports/binh_dinh/2024-02.html`` → ``reports/binh_dinh/2024-02.headline.json``."""
    return report.with_name(report.stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> tuple[Headline, str]:
    """The headline stored beside a report, and the report's file name."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Headline.from_json(data["headline"]), data["report"]


def sidecar_text(headline: Headline, report: Path, rendered_at: str) -> str:
    return json.dumps({"report": report.name, "rendered_at": rendered_at, "headline": headline.to_json()}, ensure_ascii=False, indent=1)
