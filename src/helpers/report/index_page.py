"""``reports/index.html``: every rendered report, grouped by kind and province, newest first.

Built from the headline files the runner writes beside each report, so it lists reports
rendered in earlier runs too. The kinds come in the registry's order, headed as the registry
says (helpers.report.kinds); a kind the registry does not know comes last, headed by its
headline's own label. Every province's table of one kind (and language) has the same columns:
one per figure key, headed by the newest report's label, so a figure is never lost to another
report's wording. A report whose latest render failed (the runner kept its executed notebook in
``_failed/``) is marked as not up to date. The page is the one shell every report has
(helpers.report.export.page).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat

from helpers.documents.companions import companions_of
from helpers.messages import DEFAULT_LANGUAGE, Messages, messages
from helpers.report.batch import FAILED_DIR_NAME
from helpers.atomic import write_atomic
from helpers.report.export import page
from helpers.report.headline import SIDECAR_SUFFIX, Headline, HeadlineFigure, read_sidecar
from helpers.report.html import Html, render
from helpers.report.kinds import KINDS
from helpers.report.toolkit import Cell, Table, paragraph

INDEX_NAME = "index.html"

Entry = tuple[Headline, Path]
# One table per kind of report, province and language.
GroupKey = tuple[str, str, bool, str]  # kind, province, in another language than the page, that language
# The notebook parameters that name a report's period (the headline's ``period``).
PERIOD_PARAMETERS = ("month", "snapshot_date")


@dataclass(frozen=True)
class FailedRender:
    """A render the runner kept in ``_failed/``: the notebook, its parameters, and when."""

    notebook: str  # file name: "monthly_report.ipynb"
    parameters: Mapping[str, object]
    when: datetime

    def is_of(self, headline: Headline, report: Path) -> bool:
        """Whether this failure re-rendered ``report`` (of ``headline``) after it was written."""
        kind = KINDS.get(headline.kind)
        period = next((self.parameters[name] for name in PERIOD_PARAMETERS if name in self.parameters), None)
        return (
            kind is not None and kind.notebook.name == self.notebook and period == headline.period
            and self.parameters.get("province", headline.province) == headline.province
            and self.parameters.get("language", DEFAULT_LANGUAGE) == headline.language
            and self.when.timestamp() > report.stat().st_mtime
        )


def failed_renders(reports_dir: Path) -> list[FailedRender]:
    """The executed notebooks the runner kept of failed jobs (papermill records what it ran)."""
    failed = []
    for path in sorted((reports_dir / FAILED_DIR_NAME).glob("*.ipynb")):
        try:
            ran = nbformat.read(path, as_version=4).metadata.get("papermill", {})
        except (OSError, ValueError):  # half-written or not a notebook: nothing to say about a report
            continue
        notebook = Path(str(ran.get("input_path", ""))).name
        failed.append(FailedRender(notebook, dict(ran.get("parameters") or {}), datetime.fromtimestamp(path.stat().st_mtime)))
    return failed


@dataclass(frozen=True)
class Group:
    heading: str
    tag: str  # "synthetic data" when any of its reports is
    table: Html


@dataclass(frozen=True)
class Columns:
    """The columns every province's table of one kind and language shares."""

    figures: dict[str, str]  # figure key → heading
    documents: bool  # a column of documents: some report of the kind has its documents
    stale: bool  # a column saying a report is not up to date: some report of the kind is not


def collect(reports_dir: Path) -> list[Entry]:
    """(headline, report path) for every report under ``reports_dir`` whose HTML exists."""
    found = []
    for sidecar in sorted(reports_dir.rglob(f"*{SIDECAR_SUFFIX}")):
        headline, report_name = read_sidecar(sidecar)
        report = sidecar.parent / report_name
        if report.is_file():
            found.append((headline, report))
    return found


def _group_order(key: GroupKey) -> tuple[int, GroupKey]:
    order = list(KINDS)
    return (order.index(key[0]) if key[0] in order else len(order), key)


def _kind_heading(headline: Headline) -> str:
    kind = KINDS.get(headline.kind)
    return messages(headline.language)(kind.heading) if kind else headline.kind_label


def index_html(reports_dir: Path, entries: list[Entry], language: str = DEFAULT_LANGUAGE, generated: datetime | None = None) -> str:
    m = messages(language)
    grouped: dict[GroupKey, list[Entry]] = defaultdict(list)
    for headline, report in entries:
        grouped[(headline.kind, headline.province, headline.language != language, headline.language)].append((headline, report))
    failed = failed_renders(reports_dir)
    stale = {report: failure.when for headline, report in entries for failure in failed if failure.is_of(headline, report)}
    documents = {report: tuple((m(f"runner.index.document{suffix.replace('.', '_')}"), path.relative_to(reports_dir).as_posix())
                               for suffix, path in companions_of(report)) for _, report in entries}
    columns = _columns_by_kind(entries, documents, stale)
    groups = []
    for key in sorted(grouped, key=_group_order):
        kind, _province, other_language, report_language = key
        items = sorted(grouped[key], key=lambda item: item[0].period, reverse=True)
        first = items[0][0]
        heading = m("runner.index.group_in_language" if other_language else "runner.index.group",
                    kind=_kind_heading(first), province=first.province_name, language=report_language)
        tag = m("runner.index.synthetic") if any(headline.synthetic for headline, _ in items) else ""
        table = _group_table(reports_dir, items, columns[(kind, report_language)], documents, stale, len(groups), m)
        groups.append(Group(heading, tag, table.html()))
    stamp = (generated or datetime.now()).strftime("%d/%m/%Y %H:%M")
    content = render(
        "index_page.html.j2", title=m("runner.index.title"), lead=paragraph(m("runner.index.lead"), "lead"), groups=groups,
        empty=paragraph(m("runner.index.empty")), generated=paragraph(m("runner.index.generated", time=stamp), "meta"),
    )
    return page(m("runner.index.title"), language, content)


def _columns_by_kind(entries: list[Entry], documents: Mapping[Path, tuple[tuple[str, str], ...]], stale: Mapping[Path, datetime]) -> dict[tuple[str, str], Columns]:
    """The columns of each kind and language, from all its reports, the newest first."""
    by_kind: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for headline, report in sorted(entries, key=lambda entry: entry[0].period, reverse=True):
        by_kind[(headline.kind, headline.language)].append((headline, report))
    return {
        key: Columns(figure_columns(headline for headline, _ in items), any(documents[report] for _, report in items), any(report in stale for _, report in items))
        for key, items in by_kind.items()
    }


def figure_columns(headlines: Iterable[Headline]) -> dict[str, str]:
    """Figure key → heading, over ``headlines`` (newest first): a key one headline has and the
    others lack goes before the next of that headline's keys already placed (last if none is);
    its heading is the first label seen."""
    order: list[str] = []
    headings: dict[str, str] = {}
    for headline in headlines:
        keys = [figure.key for figure in headline.figures]
        for position, figure in enumerate(headline.figures):
            if figure.key in headings:
                continue
            headings[figure.key] = figure.label
            following = next((key for key in keys[position + 1:] if key in order), None)
            order.insert(order.index(following) if following is not None else len(order), figure.key)
    return {key: headings[key] for key in order}


def _group_table(
    reports_dir: Path, items: list[Entry], columns: Columns, documents: Mapping[Path, tuple[tuple[str, str], ...]],
    stale: Mapping[Path, datetime], position: int, m: Messages,
) -> Table:
    period_header = m("runner.index.snapshot" if any(headline.period_label for headline, _ in items) else "runner.index.month")
    rows = []
    for headline, report in items:
        period = headline.period_label or messages(headline.language).month(headline.period)
        by_key = {figure.key: figure for figure in headline.figures}
        figures = [_figure_cell(by_key[key], m) if key in by_key else Cell("") for key in columns.figures]
        filed = [Cell("", more_links=documents[report])] if columns.documents else []
        when = stale.get(report)
        state = [Cell(m("runner.index.stale", date=when.strftime("%d/%m/%Y")) if when else "", "stale" if when else "")] if columns.stale else []
        rows.append([Cell(period, link=report.relative_to(reports_dir).as_posix()), *state, *filed, *figures])
    header = [period_header, *([m("runner.index.state")] if columns.stale else []), *([m("runner.index.documents")] if columns.documents else []), *columns.figures.values()]
    return Table(f"index_{position + 1}", header, rows, css="report-table index-table")


def _figure_cell(figure: HeadlineFigure, m: Messages) -> Cell:
    """The value, and what changed beside it: ``05/34 (tăng 6 bậc)``."""
    return Cell(m("runner.index.with_detail", value=figure.value, detail=figure.detail) if figure.detail else figure.value, figure.status)


def write_index(reports_dir: Path, language: str = DEFAULT_LANGUAGE) -> Path:
    """Rebuild ``reports_dir/index.html`` from the headlines present (atomically)."""
    path = reports_dir / INDEX_NAME
    write_atomic(path, index_html(reports_dir, collect(reports_dir), language))
    return path
