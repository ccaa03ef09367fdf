"""An executed notebook as the one HTML file leadership opens: no code, no scripts, no CDN.

nbconvert renders the outputs only, with our own template (templates/leadership): no MathJax
or require.js (the stock templates load them from CDNs), no code cells or prompts, charts
already embedded as data URIs. ``page`` wraps them in the one page shell (templates/page.html.j2,
one inline stylesheet), the same as the index page's. Before rendering, cells tagged
``analyst-only`` (notes for people exploring in JupyterLab), stderr output and the copy of
the stylesheet the report's header carries for JupyterLab (helpers.report.stylesheet) are dropped,
the headline output is taken out, and a table of contents built from the ``<h2 id>`` headings
of the report's sections (helpers.report.toolkit.Sections) is put before the first section.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat

from helpers.messages import DEFAULT_LANGUAGE, messages
from helpers.report.headline import HEADLINE_MIME, Headline
from helpers.report.html import Html, render
from helpers.report.stylesheet import stylesheet, without_notebook_stylesheet

if TYPE_CHECKING:
    from nbconvert import HTMLExporter

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_BASE = PACKAGE_DIR / "templates"
TEMPLATE_NAME = "leadership"
ANALYST_ONLY_TAG = "analyst-only"


@dataclass(frozen=True)
class LeadershipView:
    notebook: nbformat.NotebookNode
    headline: Headline | None
    contents: list[tuple[str, str]]


class _Headings(HTMLParser):
    """Collects ``<h2 id="...">text</h2>`` in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._current: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        identifier = dict(attrs).get("id")
        if tag == "h2" and identifier:
            self._current = (identifier, [])

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2" and self._current is not None:
            identifier, parts = self._current
            self.found.append((identifier, " ".join("".join(parts).split())))
            self._current = None


_H2 = re.compile(r"<h2\b.*?</h2>", re.DOTALL | re.IGNORECASE)


def _headings(html: str) -> list[tuple[str, str]]:
    # Only the headings are parsed: parsing the whole output (tables, embedded charts) cost
    # a third of the export.
    parser = _Headings()
    for heading in _H2.finditer(html):
        parser.feed(heading.group())
    return parser.found


def leadership_view(notebook: nbformat.NotebookNode, language: str = DEFAULT_LANGUAGE) -> LeadershipView:
    """What leadership sees of an executed notebook, its headline, and its table of contents.

    The table of contents becomes one more output, placed just before the first section.
    """
    view = copy.deepcopy(notebook)
    headline: Headline | None = None
    contents: list[tuple[str, str]] = []
    first_section: tuple[int, int] | None = None
    kept = []
    for cell in view.cells:
        if ANALYST_ONLY_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "code":
            outputs = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if HEADLINE_MIME in data:
                    headline = Headline.from_json(dict(data[HEADLINE_MIME]))
                    continue
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                if isinstance(data.get("text/html"), str):
                    data["text/html"] = without_notebook_stylesheet(data["text/html"])
                found = _headings(data["text/html"]) if isinstance(data.get("text/html"), str) else []
                if found and first_section is None:
                    first_section = (len(kept), len(outputs))
                contents += found
                outputs.append(output)
            cell.outputs = outputs
        kept.append(cell)
    if first_section is not None:
        cell_index, output_index = first_section
        language = headline.language if headline else language
        toc = nbformat.v4.new_output("display_data", data={"text/html": str(table_of_contents(contents, language))})
        kept[cell_index].outputs.insert(output_index, toc)
    view.cells = kept
    return LeadershipView(view, headline, contents)


def table_of_contents(contents: list[tuple[str, str]], language: str) -> Html:
    return render("fragments/contents.html.j2", contents=contents, label=messages(language)("common.page.contents"))


def page(title: str, language: str, content: Html) -> str:
    """A whole HTML page in the one shell every report and the index share."""
    return str(render("page.html.j2", title=title, language=language, css=Html(stylesheet()), content=content)) + "\n"


@cache
def exporter() -> HTMLExporter:
    """One exporter per process (a batch worker renders many reports): making one compiles its
    templates, a tenth of a second each time."""
    # Imported here: nbconvert takes 0.6 s to import, and every command line (ingest, listing
    # the jobs) reaches this module through the batch runner without exporting anything.
    from nbconvert import HTMLExporter
    from nbconvert.exporters import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class LeadershipExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass, which parses the whole page with
        BeautifulSoup and writes it again to give an image without alt text a stock one and
        JupyterLab's cells a tabindex: our templates give every image its alt text and write
        no JupyterLab cells, and the pass cost half the export of a report."""

        def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any) -> tuple[str, dict[str, Any]]:
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", self.filters.get("highlight_code", Highlight2HTML(parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return LeadershipExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATE_BASE)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def export_html(notebook: nbformat.NotebookNode, language: str = DEFAULT_LANGUAGE, title: str | None = None) -> tuple[str, Headline | None]:
    """The page's HTML and the notebook's headline (None if it published none)."""
    view = leadership_view(notebook, language)
    language = view.headline.language if view.headline else language
    page_title = title or (view.headline.title if view.headline else messages(language)("runner.index.title"))
    outputs, _ = exporter().from_notebook_node(view.notebook)
    return page(page_title, language, Html(outputs)), view.headline
