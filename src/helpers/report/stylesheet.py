"""The report's one stylesheet (report.css), for the exported page and for JupyterLab.

The exported page inlines report.css once (``page``). A notebook open in JupyterLab has no
page shell, so the report's header carries the same rules as a ``<style>`` scoped to the
notebook's output areas (``notebook_stylesheet``): without it the sections show no
red/amber/green, blank legend swatches and KPIs run together. Scoped, because report.css
styles ``body`` and ``h1``/``h2``, which would otherwise restyle JupyterLab itself. The export
removes that block again (``without_notebook_stylesheet``), so the page keeps one stylesheet.

The scoping reads report.css's rules by their braces, without a CSS parser: tokenising the
whole sheet with tinycss2 cost every report's kernel 10 ms. That holds for a sheet whose
strings and selectors hold no braces, semicolons or comment marks, as report.css's; a test
checks the result equals tinycss2's rule by rule (tests/report/test_stylesheet.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from helpers.report.html import Html, render

STYLESHEET = Path(__file__).resolve().parent / "report.css"
# Every output of JupyterLab (and Notebook 7) sits in an element of this class.
NOTEBOOK_SCOPE = ".jp-OutputArea-output"
# The page's custom properties (colours) hold inside each output area; the page's own box
# (background, margins, the card around the report) stays JupyterLab's.
VARIABLES_SELECTOR = ":root"
PAGE_SELECTORS = {"html", "body", "main.report"}
NOTEBOOK_STYLE_TEMPLATE = "fragments/notebook_style.html.j2"
SCOPED_AT_RULES = {"media", "supports"}
_NOTEBOOK_STYLE_BLOCK = re.compile(r"<style data-notebook-view>.*?</style>\n?", re.DOTALL)
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_AT_KEYWORD = re.compile(r"@([-\w]+)")
_CSS_SPACE = " \t\n\r\f"
_BRACE = re.compile("[{}]")
_SELECTOR_MARK = re.compile(r"[()\[\],]")


@cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")


def _rules(css: str) -> Iterator[tuple[str, str]]:
    """Each top-level rule of ``css`` (without comments) that has a block, as its prelude and the
    block's content; an at-rule ended by ``;`` (``@import …;``) is passed over, as scoping drops it."""
    position = 0
    while (start := _after_space(css, position)) < len(css):
        opening = css.find("{", start)
        statement = css.find(";", start, opening) if css[start] == "@" else -1
        if statement != -1:
            position = statement + 1
        elif opening == -1:
            return
        else:
            closing = _matching_brace(css, opening)
            yield css[start:opening], css[opening + 1:closing]
            position = closing + 1


def _after_space(css: str, position: int) -> int:
    while position < len(css) and css[position] in _CSS_SPACE:
        position += 1
    return position


def _matching_brace(css: str, opening: int) -> int:
    """Where the block opened at ``opening`` closes (the end of ``css`` when it never does)."""
    depth = 0
    for brace in _BRACE.finditer(css, opening):
        depth += 1 if brace.group() == "{" else -1
        if not depth:
            return brace.start()
    return len(css)


def _selectors(prelude: str) -> list[str]:
    """A rule's selectors: its prelude split at the commas outside brackets (``:is(a, b)`` is one)."""
    selectors, depth, start = [], 0, 0
    for mark in _SELECTOR_MARK.finditer(prelude):
        if mark.group() in "([":
            depth += 1
        elif mark.group() in ")]":
            depth -= 1
        elif not depth:
            selectors.append(prelude[start:mark.start()])
            start = mark.end()
    return [*selectors, prelude[start:]]


def _scoped_selectors(prelude: str, scope: str) -> str:
    """Each selector of a rule's list under ``scope``, without the page's; "" when none is left."""
    scoped = []
    for selector in (part.strip() for part in _selectors(prelude)):
        if selector == VARIABLES_SELECTOR:
            scoped.append(scope)
        elif selector not in PAGE_SELECTORS:
            scoped.append(f"{scope} {selector}")
    return ", ".join(scoped)


def scope_stylesheet(css: str, scope: str) -> str:
    """The rules of ``css`` applying only inside ``scope``; @media and @supports blocks are kept
    around their scoped rules, and @page (the printed page) is dropped: a notebook is not printed."""
    return _scope_rules(_COMMENT.sub("", css), scope)


def _scope_rules(css: str, scope: str) -> str:
    rules = []
    for prelude, content in _rules(css):
        at_rule = _AT_KEYWORD.match(prelude)
        if at_rule is None:
            selectors = _scoped_selectors(prelude, scope)
            if selectors:
                rules.append(f"{selectors} {{{content}}}")
        elif at_rule.group(1).lower() in SCOPED_AT_RULES:
            rules.append(f"@{at_rule.group(1)}{prelude[at_rule.end():]}{{\n{_scope_rules(content, scope)}\n}}")
    return "\n".join(rules)


@cache
def notebook_stylesheet() -> Html:
    """report.css scoped to JupyterLab's output areas, as one ``<style>`` element."""
    return render(NOTEBOOK_STYLE_TEMPLATE, css=Html(scope_stylesheet(stylesheet(), NOTEBOOK_SCOPE)))


def without_notebook_stylesheet(html: str) -> str:
    """An output's HTML without the notebook's copy of the stylesheet (the page has its own)."""
    return _NOTEBOOK_STYLE_BLOCK.sub("", html)
