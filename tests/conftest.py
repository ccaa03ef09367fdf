"""Shared fixtures: tests never write into the repository's data/; they work on copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.context import Context
from helpers.analysis.monthly.engine import IndicatorResults, evaluate
from helpers.ingest.index766 import ingest_index766
from helpers.rules766 import load_rules
from helpers.rules766 import Index766Rules
from helpers.ingest.monthly import discover_months, read_month
from helpers.paths import DEFAULT_DATA_DIR, PROJECT_ROOT

PROVINCES_766 = ("gia_lai", "ha_noi", "binh_phuoc")


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


def data_dir_with_766(target: Path, provinces: tuple[str, ...] = PROVINCES_766) -> Path:
    """A data directory with the bundled unit registry and the provinces' raw 766 files."""
    shutil.copytree(DEFAULT_DATA_DIR / "units", target / "units")
    for province in provinces:
        shutil.copytree(DEFAULT_DATA_DIR / "raw" / province / "766", target / "raw" / province / "766")
    return target


@pytest.fixture(scope="session")
def rules() -> Index766Rules:
    return load_rules(DEFAULT_DATA_DIR / "catalogue")


@pytest.fixture(scope="session")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Context:
    """The bundled 766 data ingested once into a temporary data directory."""
    context = Context.load(data_dir_with_766(tmp_path_factory.mktemp("data766")))
    done, failed = ingest_index766(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue, progress=lambda _: None)
    assert not failed, failed
    assert {ingested.province for ingested in done} == set(PROVINCES_766)
    return context


@pytest.fixture
def gia_lai_dir(tmp_path: Path) -> Path:
    """A fresh data directory with Gia Lai's raw 766 files, for tests that alter them."""
    return data_dir_with_766(tmp_path / "data", ("gia_lai",))
