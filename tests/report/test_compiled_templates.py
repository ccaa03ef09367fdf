"""Compiled templates are kept between processes (helpers.report.html.compiled_templates_cache)."""

import os
import subprocess
import sys
from pathlib import Path

RENDER = (
    "from helpers.report.html import Html, environment, render\n"
    "print(type(environment().bytecode_cache).__name__)\n"
    "print(render('fragments/notebook_style.html.j2', css=Html('p { color: red }')))\n"
)


def _render_in_fresh_process(temp: Path) -> list[str]:
    done = subprocess.run([sys.executable, "-c", RENDER], env={"TMPDIR": str(temp), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_a_second_process_loads_the_compiled_template_and_renders_the_same(tmp_path: Path):
    first = _render_in_fresh_process(tmp_path)
    cached = list(tmp_path.glob("_jinja2-cache-*/__jinja2_*.cache"))
    assert first[0] == "FileSystemBytecodeCache" and len(cached) == 1
    written = cached[0].stat().st_mtime_ns
    assert _render_in_fresh_process(tmp_path) == first
    assert cached[0].stat().st_mtime_ns == written  # loaded, not compiled and written again


def test_a_cache_folder_that_cannot_be_used_only_costs_the_compiling(tmp_path: Path):
    (tmp_path / f"_jinja2-cache-{os.getuid()}").write_text("")  # a file where Jinja's folder would be
    lines = _render_in_fresh_process(tmp_path)
    assert lines[0] == "NoneType" and "p { color: red }" in "\n".join(lines)
