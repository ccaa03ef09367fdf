"""Shared fixtures: tests never write into the repository's data/; they work on copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.context import Context
from helpers.engine import IndicatorResults, evaluate
from helpers.ingest import discover_months, read_month
from helpers.paths import DEFAULT_DATA_DIR, PROJECT_ROOT


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled data directory (units, raw, catalogue)."""
    target = tmp_path / "data"
    for part in ("units", "raw", "catalogue"):
        shutil.copytree(DEFAULT_DATA_DIR / part, target / part)
    return target


@pytest.fixture(scope="session")
def context() -> Context:
    return Context.load(DEFAULT_DATA_DIR)


@pytest.fixture(scope="session")
def real_tidy(context: Context) -> pd.DataFrame:
    """The bundled Bình Định 02/2024 month, read (not written) from data/raw."""
    (month,) = discover_months(context.workspace, ["binh_dinh"], ["2024-02"])
    return read_month(context.workspace, context.catalogue, context.registry, month)


@pytest.fixture(scope="session")
def real_results(real_tidy: pd.DataFrame, context: Context) -> IndicatorResults:
    return evaluate(real_tidy, context.catalogue)


@pytest.fixture(scope="session")
def project_root() -> Path:
    return PROJECT_ROOT
