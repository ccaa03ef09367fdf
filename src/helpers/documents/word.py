"""The monthly report as the .docx an office files: letterhead, drafted text, appendices.

The letterhead, fonts, fixed paragraphs and styles come from the province's template
(``data/documents/official_document.docx``, filled by docxtpl with autoescape on, so a unit named
``A & B`` stays text); the drafted lines are the same ``Draft`` lines the HTML report shows; the
appendices (Phụ lục 1–3) are appended with python-docx on landscape A4 pages, their header rows
repeated on every page and the below-target cells shaded.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docxtpl import DocxTemplate

from helpers.documents.appendix import COUNT, PERCENT, Appendix, Block, Value
from helpers.documents.profile import DocumentProfile
from helpers.messages import Messages
from helpers.atomic import write_atomic
from helpers.report.toolkit import DraftLine

PARAGRAPH_STYLES = {"heading": "BC Heading", "placeholder": "BC Placeholder", "sub": "BC Sub"}
PORTRAIT_WIDTH, PORTRAIT_MARGINS = Cm(21), Cm(4.5)
LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = Cm(29.7), Cm(21)
LANDSCAPE_MARGIN = Cm(1.5)
SEQ_WIDTH, NAME_WIDTH = Cm(1.0), Cm(4.5)
# No figure or word is broken across lines: a column is at least as wide as its longest word at the
# table styles' 9 pt (0.55 em a character, bold included) and the cell's margins, which are narrow
# (0.1 cm a side; Word's 0.19 cm left the appendix's twenty columns no room for "13.299").
CHARACTER_WIDTH, CELL_MARGIN = Pt(9 * 0.55), Cm(0.1)
CELL_MARGINS = 2 * CELL_MARGIN + Cm(0.05)
BELOW_FILL = "F4C7C3"
HEADER_FILL = "E7E6E6"


@dataclass(frozen=True)
class OfficialDocument:
    """What an official document says besides its layout (the province's template)."""

    profile: DocumentProfile
    kind: str  # the document's name as it heads the page: "BÁO CÁO", "THÔNG BÁO"
    number: str  # "Số: …/BC-VPUBND"
    title: str
    body: Sequence[DraftLine | Block]  # paragraphs and portrait tables, in order
    appendices: Sequence[Appendix]
    year: int


def write_official_docx(path: Path, document: OfficialDocument, m: Messages) -> None:
    """Write the document to ``path`` (through a temporary file: a failure leaves the old one)."""
    template = DocxTemplate(document.profile.template)
    body = template.new_subdoc()
    portrait = PORTRAIT_WIDTH - PORTRAIT_MARGINS
    for item in document.body:
        if isinstance(item, Block):
            _add_block_table(body, item, portrait, m)
            body.add_paragraph(style="BC Table")  # a line of space before the text goes on
        else:
            _add_line(body, item)
    profile = document.profile
    template.render(
        {
            "issuing_parent": profile.issuing_parent, "issuing_body": profile.issuing_body, "number": document.number,
            "place": profile.place, "year": document.year, "kind": document.kind, "title": document.title, "body": body,
            "closing": profile.closing, "recipients": list(profile.recipients), "signer_title": profile.signer_title,
            "signer_name": profile.signer_name,
        },
        autoescape=True,
    )
    word = template.docx
    for appendix in document.appendices:
        _add_appendix(word, appendix, document.number, document.year, m)
    buffer = io.BytesIO()
    word.save(buffer)
    write_atomic(path, buffer.getvalue())


def _add_line(container: object, line: DraftLine) -> None:
    paragraph = container.add_paragraph(style=PARAGRAPH_STYLES.get(line.kind, "BC Body"))  # type: ignore[attr-defined]
    for text, bold in line.runs:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if line.kind == "placeholder":
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _add_appendix(word: WordDocument, appendix: Appendix, number: str, year: int, m: Messages) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = LANDSCAPE_MARGIN
    for text, italic in ((m("documents.appendix.heading", number=appendix.number), False), (appendix.title, False),
                         (m("documents.appendix.attached", number=number.strip(), year=year), True)):
        paragraph = word.add_paragraph(style="BC Title")
        run = paragraph.add_run(text)
        run.italic = italic
        run.bold = not italic
    usable = LANDSCAPE_WIDTH - 2 * LANDSCAPE_MARGIN
    for block in appendix.blocks:
        _add_block_table(word, block, usable, m)


def _add_block_table(word: object, block: Block, usable: int, m: Messages) -> Table:
    """A table under its caption: two header rows (one where no column has a sub-header), rows, total."""
    if block.caption:
        word.add_paragraph(style="BC Heading").add_run(block.caption)  # type: ignore[attr-defined]
    columns = len(block.header)
    table = word.add_table(rows=2 + len(block.rows) + (1 if block.total else 0), cols=columns)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _narrow_cell_margins(table)
    widths = _column_widths(block, usable, m)
    # LibreOffice lays a table out by its grid, Word by its cells: both are set.
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        _keep_row_on_one_page(row)
        for cell, width in zip(row.cells, widths):
            cell.width = width
    start = 0
    for text, span in block.groups:
        top = table.cell(0, start)
        if span > 1:
            top = top.merge(table.cell(0, start + span - 1))
        elif not block.header[start]:
            top = top.merge(table.cell(1, start))
        _write(top, text, header=True)
        start += span
    for index, text in enumerate(block.header):
        if text:
            _write(table.cell(1, index), text, header=True)
    for row_cells in table.rows[:2]:
        _repeat_as_header(row_cells)
    # Body rows have no merged cells, so each row's own cells serve: ``table.cell`` walks the whole
    # table at every call, which made a 766 notice's appendix (about 2,000 cells) take a minute.
    body = list(table.rows)[2:]
    for row_number, (row, values) in enumerate(zip(body, [*block.rows, *([block.total] if block.total else [])])):
        bold = row_number == len(block.rows)
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _write(cell, _text(value, m), bold=bold, shade=BELOW_FILL if value.below else None,
                   align=WD_ALIGN_PARAGRAPH.LEFT if column == 1 else WD_ALIGN_PARAGRAPH.CENTER)
    return table


def _column_widths(block: Block, usable: int, m: Messages) -> list[int]:
    """Each column first given room for its longest word, the rest of the ``usable`` width shared
    by the block's widths (relative, by content) or, without them, as the appendix's: TT, the
    name, the other columns alike."""
    columns = len(block.header)
    shares = block.widths or (SEQ_WIDTH, NAME_WIDTH, *[(usable - SEQ_WIDTH - NAME_WIDTH) / (columns - 2)] * (columns - 2))
    texts: list[list[str]] = [[header] for header in block.header]
    start = 0
    for text, span in block.groups:
        if span == 1:
            texts[start].append(text)
        start += span
    for values in (*block.rows, block.total):
        for column, value in enumerate(values):
            texts[column].append(_text(value, m))
    floors = [CELL_MARGINS + CHARACTER_WIDTH * max((len(word) for text in column for word in text.split()), default=0) for column in texts]
    spare = usable - sum(floors)
    if spare <= 0:
        return [int(usable * floor / sum(floors)) for floor in floors]
    return [int(floor + spare * share / sum(shares)) for floor, share in zip(floors, shares)]


def _text(value: Value, m: Messages) -> str:
    if value.value is None:
        return ""
    if value.kind == COUNT:
        return m.number(value.value)  # type: ignore[arg-type]
    if value.kind == PERCENT:
        return m.percent(value.value)  # type: ignore[arg-type]
    return str(value.value)


def _write(cell: _Cell, text: str, header: bool = False, bold: bool = False, shade: str | None = None,
           align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = "BC Table Header" if header else "BC Table"
    paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold or header or shade is not None
    fill = HEADER_FILL if header else shade
    if fill:
        properties = cell._tc.get_or_add_tcPr()
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:color"), "auto")
        shading.set(qn("w:fill"), fill)
        properties.append(shading)


def _narrow_cell_margins(table: Table) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")  # the schema's order: Word refuses another


def _keep_row_on_one_page(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    keep = OxmlElement("w:cantSplit")
    keep.set(qn("w:val"), "true")
    properties.append(keep)


def _repeat_as_header(row: object) -> None:
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
