"""``reports/index.html``: every rendered report, grouped by kind and province, newest first.

Built from the headline files the runner writes beside each report, so it lists reports
rendered in earlier runs too. The kinds come in the registry's order, headed as the registry
says (helpers.report.kinds); a kind the registry does not know comes last, headed by its
headline's own label. The page is the one shell every report has (helpers.report.export.page).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from helpers.documents.companions import companions_of
from helpers.messages import DEFAULT_LANGUAGE, messages
from helpers.report.export import page, write_atomic
from helpers.report.headline import SIDECAR_SUFFIX, Headline, read_sidecar
from helpers.report.html import Html, render
from helpers.report.kinds import KINDS
from helpers.report.toolkit import Cell, Table, paragraph

INDEX_NAME = "index.html"

Entry = tuple[Headline, Path]
# One table per kind of report, province and language: each has its own figure labels.
GroupKey = tuple[str, str, bool, str]  # kind, province, in another language than the page, that language


@dataclass(frozen=True)
class Group:
    heading: str
    tag: str  # "synthetic data" when any of its reports is
    table: Html


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
    groups = []
    for key in sorted(grouped, key=_group_order):
        _kind, _province, other_language, report_language = key
        items = sorted(grouped[key], key=lambda item: item[0].period, reverse=True)
        first = items[0][0]
        heading = m("runner.index.group_in_language" if other_language else "runner.index.group",
                    kind=_kind_heading(first), province=first.province_name, language=report_language)
        tag = m("runner.index.synthetic") if any(headline.synthetic for headline, _ in items) else ""
        groups.append(Group(heading, tag, _group_table(reports_dir, items, len(groups), language).html()))
    stamp = (generated or datetime.now()).strftime("%d/%m/%Y %H:%M")
    content = render(
        "index_page.html.j2", title=m("runner.index.title"), lead=paragraph(m("runner.index.lead"), "lead"), groups=groups,
        empty=paragraph(m("runner.index.empty")), generated=paragraph(m("runner.index.generated", time=stamp), "meta"),
    )
    return page(m("runner.index.title"), language, content)


def _group_table(reports_dir: Path, items: list[Entry], position: int, language: str) -> Table:
    columns: list[str] = []
    for headline, _ in items:
        for figure in headline.figures:
            if figure.label not in columns:
                columns.append(figure.label)
    m = messages(language)
    period_header = m("runner.index.snapshot" if any(headline.period_label for headline, _ in items) else "runner.index.month")
    documents = {report: tuple((m(f"runner.index.document{suffix.replace('.', '_')}"), path.relative_to(reports_dir).as_posix())
                               for suffix, path in companions_of(report)) for _, report in items}
    with_documents = any(documents.values())  # a column only where some report has its documents
    rows = []
    for headline, report in items:
        period = headline.period_label or messages(headline.language).month(headline.period)
        by_label = {figure.label: figure for figure in headline.figures}
        figures = [Cell(by_label[name].value, by_label[name].status) if name in by_label else Cell("") for name in columns]
        filed = [Cell("", more_links=documents[report])] if with_documents else []
        rows.append([Cell(period, link=report.relative_to(reports_dir).as_posix()), *filed, *figures])
    header = [period_header, *([m("runner.index.documents")] if with_documents else []), *columns]
    return Table(f"index_{position + 1}", header, rows, css="report-table index-table")


def write_index(reports_dir: Path, language: str = DEFAULT_LANGUAGE) -> Path:
    """Rebuild ``reports_dir/index.html`` from the headlines present (atomically)."""
    path = reports_dir / INDEX_NAME
    write_atomic(path, index_html(reports_dir, collect(reports_dir), language))
    return path
