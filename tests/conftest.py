"""Shared fixtures: throw-away data directories built from the bundled data/ folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.context import Context
from helpers.index766 import ingest_index766, load_rules
from helpers.index766.rules import Index766Rules

DATA = Path(__file__).resolve().parents[1] / "data"
PROVINCES_766 = ("gia_lai", "ha_noi", "binh_phuoc")


def data_dir_with_766(target: Path, provinces: tuple[str, ...] = PROVINCES_766) -> Path:
    """A data directory with the bundled unit registry and the provinces' raw 766 files."""
    shutil.copytree(DATA / "units", target / "units")
    for province in provinces:
        shutil.copytree(DATA / "raw" / province / "766", target / "raw" / province / "766")
    return target


@pytest.fixture(scope="session")
def rules() -> Index766Rules:
    return load_rules(DATA / "catalogue")


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
