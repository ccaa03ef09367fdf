"""The pieces every report is made of: numbered sections, tables, charts, drafted text, header.

A report page (monthly, 766, national) builds each notebook cell from these and nothing else,
so the three reports look and behave alike and every text is escaped by the templates
(``helpers.report.html``). Words come from the message catalogue (``helpers.messages``).

- ``Sections`` numbers sections in the order the page makes them: "1. Tóm tắt", "2. …";
  a new section needs no renumbering anywhere.
- ``Table`` is cells (text, CSS class, a reason one click away) under one or two header rows,
  with a stable id ``T_<name>``; ``frame_table`` makes one from a DataFrame of display strings.
- ``ReportPage`` gives a report's page object its messages (``self.m``) and numbered sections.
- ``Draft`` is drafted text as lines of runs (plain or bold) of a kind (heading, text, item,
  sub, placeholder): the HTML page and the Word document render the same lines.
  ``message_runs`` fills a catalogue message as runs, its bold figures given as ``Bold``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from helpers.messages import Messages, messages
from helpers.report.html import Html, join, render
from helpers.report.stylesheet import notebook_stylesheet

TALL_TABLE_ROWS = 25
DRAFT_KINDS = ("heading", "intro", "text", "item", "sub", "placeholder")


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, a CSS class (``good``, ``bad``, ``num`` …), a note (why the text
    reads so, one click away: a ``<details>`` in the cell, and on hover), and the address it links
    to (the index page's links to each report); ``more_links`` follow it as (text, address), as
    the index links a report's Word and Excel files."""

    text: str
    css: str = ""
    note: str = ""
    link: str = ""
    more_links: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Table:
    """Rows of cells under a header row, and optionally a first row of column groups.

    ``groups`` is (label, columns spanned), as the official appendices group each indicator's
    columns. The first column names the row (a unit), or the column whose cells are classed
    ``name``: it stays in view when the table scrolls.
    """

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    groups: Sequence[tuple[str, int]] = ()
    css: str = "report-table"

    @property
    def name_column(self) -> int | None:
        """The column whose cells are classed ``name`` (when the row's name is not its first cell): it stays in view instead."""
        first = self.rows[0] if self.rows else ()
        return next((index for index, item in enumerate(first) if "name" in item.css.split()), None)

    def html(self, scroll: bool = True) -> Html:
        markup = render("fragments/table.html.j2", table=self)
        if not scroll:
            return markup
        return render("fragments/scroll.html.j2", content=markup, tall=len(self.rows) > TALL_TABLE_ROWS)

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return self.html()._repr_mimebundle_()


def cell(value: object, css: str = "", note: str = "") -> Cell:
    return value if isinstance(value, Cell) else Cell(str(value), css, note)


def table(name: str, header: Sequence[str], rows: Iterable[Sequence[object]], groups: Sequence[tuple[str, int]] = (), css: str = "report-table") -> Table:
    """A table of values (``Cell`` or anything shown as text)."""
    return Table(name, [str(text) for text in header], [[cell(value) for value in row] for row in rows], groups, css)


def frame_table(frame: pd.DataFrame, name: str, classes: Sequence[Sequence[str]] | pd.DataFrame | None = None) -> Table:
    """A table of a DataFrame of display strings, its columns as the header; ``classes`` per cell."""
    class_rows = classes.itertuples(index=False, name=None) if isinstance(classes, pd.DataFrame) else classes
    class_rows = list(class_rows) if class_rows is not None else [[""] * frame.shape[1]] * len(frame)
    rows = [[Cell(str(value), css) for value, css in zip(values, css_row)] for values, css_row in zip(frame.itertuples(index=False, name=None), class_rows)]
    return Table(name, [str(column) for column in frame.columns], rows)


@dataclass(frozen=True)
class Bold:
    text: str


@dataclass(frozen=True)
class DraftLine:
    kind: str
    runs: tuple[tuple[str, bool], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


Runs = tuple[str | Bold, ...]
_MARK = "\ue000"  # a private-use character: where a bold (or already split) parameter goes


def message_runs(text: Messages, key: str, /, count: int | None = None, **params: object) -> Runs:
    """The message ``key`` as runs: a ``Bold`` parameter stays bold, a parameter that is itself
    runs (a tuple) keeps its own; every other parameter is plain text, as ``text(key, ...)``.

    ``"đạt {score} điểm"`` with ``score=Bold("66,23/100")`` is ``("đạt ", Bold("66,23/100"), " điểm")``:
    the catalogue says where a figure goes, the code which figures stand out.
    """
    spliced = {name: value for name, value in params.items() if isinstance(value, (Bold, tuple))}
    marks = {name: f"{_MARK}{index}{_MARK}" for index, name in enumerate(spliced)}
    pieces = text(key, count=count, **{**params, **marks}).split(_MARK)
    values = list(spliced.values())
    runs: list[str | Bold] = []
    for position, piece in enumerate(pieces):
        if position % 2 == 0:
            runs.append(piece)
        else:
            value = values[int(piece)]
            runs.extend(value if isinstance(value, tuple) else (value,))
    return tuple(run for run in runs if run)


def joined_runs(parts: Iterable[Runs], separator: str) -> Runs:
    """Runs one after the other with ``separator`` between them (``"; "``)."""
    runs: list[str | Bold] = []
    for position, part in enumerate(parts):
        runs.extend(((separator,) if position else ()) + part)
    return tuple(runs)


def line(kind: str, *parts: str | Bold) -> DraftLine:
    """A drafted line of ``kind`` (one of DRAFT_KINDS) from plain and ``Bold`` parts."""
    if kind not in DRAFT_KINDS:
        raise ValueError(f"a drafted line is one of {DRAFT_KINDS}; got {kind!r}")
    return DraftLine(kind, tuple((part.text, True) if isinstance(part, Bold) else (str(part), False) for part in parts if part))


@dataclass(frozen=True)
class Draft:
    """Drafted text, line by line, in one language."""

    language: str
    lines: tuple[DraftLine, ...]

    def html(self) -> Html:
        return render("fragments/drafted.html.j2", draft=self)

    @property
    def text(self) -> str:
        """Plain text, one line per paragraph (for tests, the console and pasting)."""
        return "\n".join(item.text for item in self.lines)


@dataclass(frozen=True)
class Tile:
    """A key figure under the title: its value, what it counts, and a CSS class; ``key`` names
    it on the index page (the same in every report of a kind), ``detail`` is what differs from
    report to report (``tăng 6 bậc``), shown after ``what``."""

    value: str
    what: str
    css: str = ""
    key: str = ""
    detail: str = ""


@dataclass
class Sections:
    """Numbers a page's sections in the order the page makes them."""

    made: list[str] = field(default_factory=list)

    def section(self, section_id: str, title: str, lead: str = "", *parts: object) -> Html:
        """A numbered section: heading with an id (for the table of contents), what to see, content."""
        if section_id in self.made:
            number = self.made.index(section_id) + 1
        else:
            self.made.append(section_id)
            number = len(self.made)
        return render("fragments/section.html.j2", id=section_id, number=number, title=title, lead=lead, content=join(*parts))


class ReportPage:
    """What a report page (a dataclass with ``language`` and ``sections``) shares: its
    language's messages, and sections numbered in the order the notebook asks for them."""

    language: str
    sections: Sections

    @property
    def m(self) -> Messages:
        return messages(self.language)

    def section(self, section_id: str, title_key: str, lead: str = "", *parts: object) -> Html:
        """A numbered section titled by the message ``title_key``."""
        return self.sections.section(section_id, self.m(title_key), lead, *parts)


def header(kicker: str, title: str, meta: str, tiles: Sequence[Tile], banner: str = "") -> Html:
    """A report's top: its kind, title, a banner (synthetic data) if any, what the data are, tiles.

    It carries the report's stylesheet for a notebook open in JupyterLab (the export drops it)."""
    top = render("fragments/header.html.j2", kicker=kicker, title=title, meta=meta, tiles=tiles, banner=banner)
    return join(notebook_stylesheet(), top)


def paragraph(text: str, css: str = "") -> Html:
    return render("fragments/paragraph.html.j2", text=text, css=css)


def note(text: str) -> Html:
    return paragraph(text, "note")


def subheading(text: str) -> Html:
    return render("fragments/subheading.html.j2", text=text)


def collapsed(summary: str, *content: object) -> Html:
    """Content behind a one-line summary the reader opens (long tables on a phone)."""
    return render("fragments/details.html.j2", summary=summary, content=join(*content))


def bullet_list(items: Iterable[str], css: str = "") -> Html:
    return render("fragments/list.html.j2", items=list(items), css=css)


def legend(items: Iterable[tuple[str, str]], after: str = "") -> Html:
    """Colour swatches with what each means: (CSS class, text); ``after`` ends the line."""
    return render("fragments/legend.html.j2", items=list(items), after=after)


def chart_or_list(chart: Html, listed: Html) -> Html:
    """A chart and the same figures as a list (a phone shows the list, a wide screen and paper the chart)."""
    return render("fragments/chart_or_list.html.j2", chart=chart, list=listed)


def figure(data_uri: str, alt: str, width: int | None = None, height: int | None = None, text_px: float | None = None) -> Html:
    """An embedded chart image (a ``data:`` URI) with its alternative text; ``text_px``: its smallest text, in image pixels."""
    return render("fragments/figure.html.j2", src=data_uri, alt=alt, width=width, height=height, text_px=text_px)
