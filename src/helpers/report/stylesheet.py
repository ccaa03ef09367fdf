"""The report's one stylesheet (report.css), for the exported page and for JupyterLab.

The exported page inlines report.css once (``page``). A notebook open in JupyterLab has no
page shell, so the report's header carries the same rules as a ``<style>`` scoped to the
notebook's output areas (``notebook_stylesheet``): without it the sections show no
red/amber/green, blank legend swatches and KPIs run together. Scoped, because report.css
styles ``body`` and ``h1``/``h2``, which would otherwise restyle JupyterLab itself. The export
removes that block again (``without_notebook_stylesheet``), so the page keeps one stylesheet.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import tinycss2

from helpers.report.html import Html, render

STYLESHEET = Path(__file__).resolve().parent / "report.css"
# Every output of JupyterLab (and Notebook 7) sits in an element of this class.
NOTEBOOK_SCOPE = ".jp-OutputArea-output"
# The page's custom properties (colours) hold inside each output area; the page's own box
# (background, margins, the card around the report) stays JupyterLab's.
VARIABLES_SELECTOR = ":root"
PAGE_SELECTORS = {"html", "body", "main.report"}
NOTEBOOK_STYLE_TEMPLATE = "fragments/notebook_style.html.j2"
_NOTEBOOK_STYLE_BLOCK = re.compile(r"<style data-notebook-view>.*?</style>\n?", re.DOTALL)


@cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def _scoped_selectors(prelude: list[tinycss2.ast.Node], scope: str) -> str:
    """Each selector of a rule's list under ``scope``, without the page's; "" when none is left."""
    selectors: list[list[tinycss2.ast.Node]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    scoped = []
    for tokens in selectors:
        selector = tinycss2.serialize(tokens).strip()
        if selector == VARIABLES_SELECTOR:
            scoped.append(scope)
        elif selector not in PAGE_SELECTORS:
            scoped.append(f"{scope} {selector}")
    return ", ".join(scoped)


def scope_stylesheet(css: str, scope: str) -> str:
    """The rules of ``css`` applying only inside ``scope``; @media and @supports blocks are kept
    around their scoped rules, and @page (the printed page) is dropped: a notebook is not printed."""
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = _scoped_selectors(rule.prelude, scope)
            if selectors:
                rules.append(f"{selectors} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"} and rule.content is not None:
            inner = scope_stylesheet(tinycss2.serialize(rule.content), scope)
            rules.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{\n{inner}\n}}")
    return "\n".join(rules)


@cache
def notebook_stylesheet() -> Html:
    """report.css scoped to JupyterLab's output areas, as one ``<style>`` element."""
    return render(NOTEBOOK_STYLE_TEMPLATE, css=Html(scope_stylesheet(stylesheet(), NOTEBOOK_SCOPE)))


def without_notebook_stylesheet(html: str) -> str:
    """An output's HTML without the notebook's copy of the stylesheet (the page has its own)."""
    return _NOTEBOOK_STYLE_BLOCK.sub("", html)
