"""Small pieces of HTML for report cells; every text from data goes through ``escape``.

A notebook cell shows an ``Html`` (it has ``_repr_html_``). Headings made by ``section`` carry
an id, which the HTML export collects into the table of contents.
"""

from __future__ import annotations

from html import escape as _escape


class Html(str):
    """Markup that Jupyter displays as HTML."""

    def _repr_html_(self) -> str:
        return str(self)


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


def paragraph(text: str, css_class: str = "") -> str:
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f"<p{attribute}>{escape(text)}</p>"


def subheading(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def scrollable(table_html: str) -> str:
    """Wide tables scroll sideways on a phone instead of squeezing the page."""
    return f'<div class="table-scroll">{table_html}</div>'


def note(text: str) -> str:
    return paragraph(text, "note")


def collapsed(summary: str, content: str) -> str:
    """Content behind a one-line summary the reader opens (long tables on a phone)."""
    return f'<details class="more"><summary>{escape(summary)}</summary>{content}</details>'
