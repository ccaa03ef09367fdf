"""Small pieces of HTML for report cells; every text from data goes through ``escape``.

A notebook cell shows an ``Html`` (it has ``_repr_html_``). Headings made by ``section`` carry
an id, which the HTML export collects into the table of contents.
"""

from __future__ import annotations

import re
from html import escape as _escape

_BOLD = re.compile(r"\*\*(.+?)\*\*")


class Html:
    """Markup that Jupyter displays as HTML.

    Its plain-text form is one short line: a ``str`` would also be stored as its whole repr,
    doubling every output (charts included) in the executed notebook.
    """

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def __str__(self) -> str:
        return self.markup

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {"text/html": self.markup, "text/plain": f"<HTML, {len(self.markup):,} characters>"}


def escape(text: object) -> str:
    return _escape(str(text), quote=True)


def join(*parts: str) -> Html:
    return Html("\n".join(part for part in parts if part))


def section(section_id: str, title: str, lead: str, *parts: str) -> Html:
    """A report section: heading (with id, for the table of contents), what to see, content."""
    return join(
        '<section class="report-section">',
        f'<h2 id="{escape(section_id)}">{escape(title)}</h2>',
        paragraph(lead, "lead") if lead else "",
        *parts,
        "</section>",
    )


def report_header(kicker: str, title: str, meta: str, tiles: list[tuple[str, str, str]], banner: str = "") -> Html:
    """A report's top: its kind, title, a banner (synthetic data) if any, what the data are, and
    key-figure tiles given as (value, what it counts, CSS class)."""
    cards = "".join(f'<div class="kpi {escape(css)}"><span class="value">{escape(value)}</span><span class="what">{escape(what)}</span></div>' for value, what, css in tiles)
    return join(
        '<header class="report-header">',
        f'<p class="kicker">{escape(kicker)}</p>',
        f"<h1>{escape(title)}</h1>",
        f'<p class="banner-synthetic" role="alert">{escape(banner)}</p>' if banner else "",
        paragraph(meta, "meta"),
        f'<div class="kpis">{cards}</div>',
        "</header>",
    )


def paragraph(text: str, css_class: str = "") -> str:
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{attribute}>{escape(text)}</p>"


def subheading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


TALL_TABLE_ROWS = 25


def scrollable(table_html: str, rows: int = 0) -> str:
    """Wide tables scroll sideways on a phone instead of squeezing the page.

    A table of more than TALL_TABLE_ROWS ``rows`` (a hundred communes) scrolls inside a box
    of the screen's height, its header and unit names kept in view (report.css ``.tall``).
    """
    css = "table-scroll tall" if rows > TALL_TABLE_ROWS else "table-scroll"
    return f'<div class="{css}">{table_html}</div>'


def note(text: str) -> str:
    return paragraph(text, "note")


def collapsed(summary: str, content: str) -> str:
    """Content behind a one-line summary the reader opens (long tables on a phone)."""
    return f'<details class="more"><summary>{escape(summary)}</summary>{content}</details>'


def light_markdown(text: str) -> str:
    """Paragraphs and ``**bold**`` of a drafted text as HTML; everything else escaped.

    Drafted texts name units from data; escaping first means a unit called ``<script>``
    stays text, which rendering the text as Markdown would not guarantee.
    """
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    marked = (_BOLD.sub(r"<strong>\1</strong>", escape(part)).replace("\n", "<br>") for part in paragraphs)
    return "\n".join(f"<p>{part}</p>" for part in marked)
