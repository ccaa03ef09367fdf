"""Compiled templates are kept between processes, in the user's cache folder (helpers.report.html.compiled_templates_cache)."""

import subprocess
import sys
from pathlib import Path

import pytest

RENDER = (
    "from helpers.report.html import Html, environment, render\n"
    "print(type(environment().bytecode_cache).__name__)\n"
    "print(render('fragments/notebook_style.html.j2', css=Html('p { color: red }')))\n"
)


def _render_in_fresh_process(cache_home: Path) -> list[str]:
    environment = {"XDG_CACHE_HOME": str(cache_home), "HOME": str(cache_home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", RENDER], env=environment, capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_a_second_process_loads_the_compiled_template_and_renders_the_same(tmp_path: Path):
    first = _render_in_fresh_process(tmp_path)
    cached = list(tmp_path.glob("dvc-monthly-report/templates/__jinja2_*.cache"))
    assert first[0] == "FileSystemBytecodeCache" and len(cached) == 1
    written = cached[0].stat().st_mtime_ns
    assert _render_in_fresh_process(tmp_path) == first
    assert cached[0].stat().st_mtime_ns == written  # loaded, not compiled and written again


@pytest.mark.parametrize("spoil", ["a file in its place", "others may write to it"])
def test_a_cache_folder_that_cannot_be_used_only_costs_the_compiling(spoil: str, tmp_path: Path):
    folder = tmp_path / "dvc-monthly-report" / "templates"
    if spoil == "a file in its place":
        folder.parent.mkdir()
        folder.write_text("")
    else:
        folder.mkdir(parents=True)
        folder.chmod(0o777)
    lines = _render_in_fresh_process(tmp_path)
    assert lines[0] == "NoneType" and "p { color: red }" in "\n".join(lines)
    assert not list(tmp_path.glob("**/__jinja2_*"))
