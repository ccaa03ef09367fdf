"""The 766 notice (Thông báo) as the .docx an office files, in the layout of seed 002.

The province's groups with their sub-indicators (score/max, rank, change), the drafted
paragraphs of the 766 page, the units with the lowest totals, overdue dossiers where the source
has them, a recommendations heading left for the analyst, and an appendix following every
unit's groups. Optionally, one unit between two captures in its notice's Phụ lục I layout.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.analysis.index766.analysis import Index766Analysis
from helpers.documents.appendix import Appendix, Block, frame_block
from helpers.documents.profile import load_profile
from helpers.documents.word import OfficialDocument, write_official_docx
from helpers.documents.workbook766 import units_frame
from helpers.messages import Messages, messages
from helpers.report.index766 import appendix as comparison
from helpers.report.index766 import drafted, stakes, tables
from helpers.report.toolkit import DraftLine, line

DOCUMENT_LANGUAGE = "vi"


def _units_display(analysis: Index766Analysis, m: Messages) -> pd.DataFrame:
    """Every unit's total and groups, figures written the Vietnamese way."""
    frame = units_frame(analysis, m)
    numeric = frame.columns[2:]
    rank = m("documents.workbook766.col_rank")
    return frame.assign(**{str(column): frame[column].map(lambda value, column=column: m.number(value, 0 if column == rank else 2)) for column in numeric})


def notice_document(analysis: Index766Analysis, documents_dir: Path, laggards: int = 10, unit: str = "") -> OfficialDocument:
    m = messages(DOCUMENT_LANGUAGE)
    profile = load_profile(documents_dir, analysis.province)
    period = analysis.snapshot.period_label(m.language)
    draft = drafted.draft(analysis, laggards, m.language).lines
    body: list[DraftLine | Block] = [
        line("text", profile.notice_preamble),
        line("text", profile.notice_source_line.format(period=period)),
        line("heading", m("documents.notice.results")),
        *draft[:1],
        frame_block(tables.group_table(analysis, m.language)),
        *draft[1:],
    ]
    has_units = bool((analysis.current.totals["level"] != "toan_tinh").any())
    if has_units:
        body += [line("heading", m("documents.notice.laggards")), frame_block(tables.laggards_by_total(analysis, laggards, m.language))]
        body += [line("heading", m("documents.notice.overdue")), line("text", stakes.overdue_sentence(analysis, m.language))]
        overdue = stakes.overdue_table(analysis, laggards, m.language)
        if not overdue.empty:
            body.append(frame_block(overdue))
    body += [line("heading", m("documents.notice.recommendations")), line("placeholder", m("documents.word.analyst_mark"))]
    appendices = []
    if has_units:
        appendices.append(Appendix(1, "", "", m("documents.notice.units_appendix", period=period), (frame_block(_units_display(analysis, m)),)))
    if unit:
        table = comparison.unit_comparison(analysis, unit, "", m.language)
        rows = tuple(tuple(cell.text for cell in row) for row in table.rows)
        frame = pd.DataFrame(list(rows), columns=[str(text) for text in table.header])
        appendices.append(Appendix(len(appendices) + 1, "", "", m("documents.notice.unit_appendix", unit=unit), (frame_block(frame),)))
    return OfficialDocument(
        profile=profile, kind=m("documents.word.notice_kind"), number=profile.notice_number,
        title=m("documents.notice.title", period=period), body=body, appendices=appendices,
        year=int(str(analysis.snapshot.snapshot_date)[:4]),
    )


def write_notice(path: Path, analysis: Index766Analysis, documents_dir: Path, laggards: int = 10, unit: str = "") -> None:
    write_official_docx(path, notice_document(analysis, documents_dir, laggards, unit), messages(DOCUMENT_LANGUAGE))
