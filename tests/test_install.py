"""A non-editable install renders reports from any folder, on a data folder given by flag or setting."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from helpers.paths import DATA_DIR_VARIABLE, DEFAULT_DATA_DIR


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    finished = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert finished.returncode == 0, f"{' '.join(command)}\n{finished.stdout}\n{finished.stderr}"
    return finished.stdout


@pytest.mark.slow
def test_a_built_wheel_renders_reports_outside_the_project(tmp_path: Path, project_root: Path) -> None:
    # The build needs setuptools from the configured index (or its cache); the install needs no index:
    # the dependencies are the packages this interpreter already has.
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", DATA_DIR_VARIABLE)}
    # The dependencies' data files (nbconvert's base templates, the kernel spec) stay where they are installed.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    # Built from a copy: pip builds in the source tree, and a build/ left there would go into later wheels.
    source = tmp_path / "source"
    skipped = shutil.ignore_patterns("__pycache__", "*.egg-info", "processed")
    source.mkdir()
    for part in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(project_root / part, source / part)
    for part in ("src", "notebooks", "data/catalogue", "data/documents", "data/units"):
        shutil.copytree(project_root / part, source / part, ignore=skipped)
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(wheels)], tmp_path, env)
    (wheel,) = wheels.glob("*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    python = venv / "bin" / "python"
    site = Path(run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env).strip())
    # A plain path line: the dependencies become importable, the project's editable hook does not run.
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run([str(python), "-m", "pip", "install", "--no-index", "--no-deps", "--force-reinstall", "--find-links", str(wheels), str(wheel)], tmp_path, env)

    elsewhere = tmp_path / "elsewhere"
    data = elsewhere / "data-copy"
    shutil.copytree(DEFAULT_DATA_DIR / "units", data / "units")
    shutil.copytree(DEFAULT_DATA_DIR / "raw" / "binh_dinh" / "2024-02", data / "raw" / "binh_dinh" / "2024-02")  # no catalogue/: the shipped one
    located = run([str(python), "-c", "import helpers.paths as p; print(p.__file__); print(p.PROJECT_ROOT); print(p.notebook_path('monthly_report.ipynb'))"], elsewhere, env)
    assert str(site) in located.splitlines()[0] and located.splitlines()[1] == "None"
    assert Path(located.splitlines()[2]).is_file()

    run([str(python), "-m", "helpers", "ingest"], elsewhere, {**env, DATA_DIR_VARIABLE: str(data)})
    reports = tmp_path / "reports"
    printed = run([str(python), "-m", "helpers", "report", "--data-dir", str(data), "--kind", "monthly", "--jobs", "1", "--output-dir", str(reports)], elsewhere, env)
    assert "binh_dinh 2024-02" in printed
    html = (reports / "binh_dinh" / "2024-02.html").read_text(encoding="utf-8")
    assert "Bình Định" in html and (reports / "index.html").is_file()
