"""report.css scoped to JupyterLab without a CSS parser (helpers.report.stylesheet) equals what
tinycss2, a CSS parser, makes of it: the scoping reads rules by their braces, which holds only
for a sheet like report.css (no braces, semicolons or comment marks in its strings or selectors)."""

from __future__ import annotations

import tinycss2

from helpers.report.stylesheet import NOTEBOOK_SCOPE, PAGE_SELECTORS, VARIABLES_SELECTOR, scope_stylesheet, stylesheet


def parsed_scope(css: str, scope: str) -> str:
    """The scoping done by parsing ``css`` with tinycss2 (what the report did before)."""
    rules = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = parsed_selectors(rule.prelude, scope)
            if selectors:
                rules.append(f"{selectors} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports"} and rule.content is not None:
            inner = parsed_scope(tinycss2.serialize(rule.content), scope)
            rules.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{\n{inner}\n}}")
    return "\n".join(rules)


def parsed_selectors(prelude: list[tinycss2.ast.Node], scope: str) -> str:
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


def test_report_css_scoped_equals_the_parsed_scoping():
    assert scope_stylesheet(stylesheet(), NOTEBOOK_SCOPE) == parsed_scope(stylesheet(), NOTEBOOK_SCOPE)


def test_comments_statements_and_nested_brackets_are_scoped_as_a_parser_reads_them():
    css = (
        "@charset \"utf-8\"; /* a { b: c } */ body{margin:0}\n:root { --a: 1; /* the colours */ }\n"
        "td:is(.a, .b) , th[data-x] > b::before{content: attr(data-label)}\n"
        "@supports (display: grid) { @page { size: A4 } main.report, .x { display: grid } }\n"
        "@MEDIA print{}\n@font-face { font-family: X }"
    )
    assert scope_stylesheet(css, ".out") == parsed_scope(css, ".out")
