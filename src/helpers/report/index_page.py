"""``reports/index.html``: every rendered report, grouped by kind and province, newest first.

Built from the headline files the runner writes beside each report, so it lists reports
rendered in earlier runs too, and any kind of report (monthly, 766) without knowing it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path

from helpers.periods import month_label
from helpers.report.export import stylesheet, write_atomic
from helpers.report.headline import SIDECAR_SUFFIX, Headline, read_sidecar
from helpers.report.labels import label
from helpers.report.markup import escape

INDEX_NAME = "index.html"


def collect(reports_dir: Path) -> list[tuple[Headline, Path]]:
    """(headline, report path) for every report under ``reports_dir`` whose HTML exists."""
    found = []
    for sidecar in sorted(reports_dir.rglob(f"*{SIDECAR_SUFFIX}")):
        headline, report_name = read_sidecar(sidecar)
        report = sidecar.parent / report_name
        if report.is_file():
            found.append((headline, report))
    return found


# The monthly indicators first (what leadership reads each month), then the country, then the
# 766 index; any other kind after them.
KIND_ORDER = ("monthly", "national", "index766")


def _group_order(group: tuple[tuple[str, str, bool, str], object]) -> tuple[int, tuple[str, str, bool, str]]:
    key = group[0]
    return (KIND_ORDER.index(key[0]) if key[0] in KIND_ORDER else len(KIND_ORDER), key)


def index_html(reports_dir: Path, entries: list[tuple[Headline, Path]], language: str = "vi", generated: datetime | None = None) -> str:
    # One table per kind of report, province and language: each has its own figure labels.
    groups: dict[tuple[str, str, bool, str], list[tuple[Headline, Path]]] = defaultdict(list)
    for headline, report in entries:
        groups[(headline.kind, headline.province, headline.language != language, headline.language)].append((headline, report))
    parts = [f"<h1>{escape(label('index_title', language))}</h1>", f'<p class="lead">{escape(label("index_lead", language))}</p>']
    if not groups:
        parts.append(f"<p>{escape(label('index_empty', language))}</p>")
    for (_kind, _province, other_language, report_language), items in sorted(groups.items(), key=_group_order):
        items.sort(key=lambda item: item[0].period, reverse=True)
        first = items[0][0]
        tag = f' <span class="tag">{escape(label("index_synthetic", language))}</span>' if any(headline.synthetic for headline, _ in items) else ""
        suffix = f" ({escape(report_language)})" if other_language else ""
        parts.append('<section class="index-group">')
        parts.append(f"<h2>{escape(first.kind_label)} — {escape(first.province_name)}{suffix}{tag}</h2>")
        parts.append(_group_table(reports_dir, items, language))
        parts.append("</section>")
    stamp = (generated or datetime.now()).strftime("%d/%m/%Y %H:%M")
    parts.append(f'<p class="meta">{escape(label("index_generated", language, time=stamp))}</p>')
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(label('index_title', language))}</title>\n<style>\n{stylesheet()}\n</style>\n</head>\n"
        '<body>\n<main class="report">\n' + "\n".join(parts) + "\n</main>\n</body>\n</html>\n"
    )


def _group_table(reports_dir: Path, items: list[tuple[Headline, Path]], language: str) -> str:
    columns: list[str] = []
    for headline, _ in items:
        for figure in headline.figures:
            if figure.label not in columns:
                columns.append(figure.label)
    period_header = label("index_snapshot" if any(headline.period_label for headline, _ in items) else "index_month", language)
    header = "".join(f"<th>{escape(name)}</th>" for name in [period_header, *columns])
    rows = []
    for headline, report in items:
        link = report.relative_to(reports_dir).as_posix()
        month = headline.period_label or month_label(headline.period, headline.language)
        cells = [f'<td><a href="{escape(link)}">{escape(month)}</a></td>']
        by_label = {figure.label: figure for figure in headline.figures}
        for name in columns:
            figure = by_label.get(name)
            css = f' class="{escape(figure.status)}"' if figure and figure.status else ""
            cells.append(f"<td{css}>{escape(figure.value) if figure else ''}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="table-scroll"><table class="report-table index-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'


def write_index(reports_dir: Path, language: str = "vi") -> Path:
    """Rebuild ``reports_dir/index.html`` from the headlines present (atomically)."""
    path = reports_dir / INDEX_NAME
    write_atomic(path, index_html(reports_dir, collect(reports_dir), language))
    return path
