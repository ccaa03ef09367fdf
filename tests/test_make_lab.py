"""`make lab` ingests before it opens JupyterLab: Run All in a fresh clone finds its months."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lab_ingests_then_opens_jupyterlab(project_root: Path) -> None:
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=project_root, capture_output=True, text=True, check=True).stdout.splitlines()
    ingest = next(number for number, command in enumerate(dry_run) if "-m helpers ingest" in command)
    opens = next(number for number, command in enumerate(dry_run) if "jupyter lab notebooks/" in command)
    assert ingest < opens
