"""HTML through one Jinja2 environment with autoescape on: every text from data is escaped.

Templates live in ``report/templates/`` (fragments in ``fragments/``, the page shell in
``page.html.j2``). ``render`` returns an ``Html``, which templates insert as it is (it has
``__html__``) and Jupyter displays as HTML; any other value is escaped, so a unit named
``<script>`` stays text without anyone remembering to escape it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup


class Html:
    """Markup that Jupyter displays as HTML and templates insert unescaped.

    Its plain-text form is one short line: a ``str`` would also be stored as its whole repr,
    doubling every output (charts included) in the executed notebook.
    """

    def __init__(self, markup: str) -> None:
        self.markup = str(markup)

    def __str__(self) -> str:
        return self.markup

    def __html__(self) -> str:
        return self.markup

    def __add__(self, other: "Html") -> "Html":
        return Html(self.markup + str(Markup.escape(other)))

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return {"text/html": self.markup, "text/plain": f"<HTML, {len(self.markup):,} characters>"}


def compiled_templates_cache() -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates, in this user's cache folder (``$XDG_CACHE_HOME``,
    else ``~/.cache``; each entry is checked against its template's source when loaded):
    compiling the fragments cost every report's kernel 20 ms. None where that folder cannot be
    made or others may write to it (its files are run as code): templates are then compiled."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "dvc-monthly-report" / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None
    if status.st_uid != os.getuid() or status.st_mode & 0o022:
        return None
    return FileSystemBytecodeCache(str(folder))


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("helpers.report", "templates"),
        bytecode_cache=compiled_templates_cache(),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(template: str, /, **context: object) -> Html:
    """The template ``template`` (a path under report/templates/) rendered with ``context``."""
    return Html(environment().get_template(template).render(**context))


def join(*parts: object) -> Html:
    """Parts one after the other; an ``Html`` stays markup, anything else is escaped, blanks drop."""
    return Html("\n".join(str(Markup.escape(part)) for part in parts if part))
