"""Everything a run needs, loaded once: the data directory, its catalogue and unit registry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from helpers.catalogue import Catalogue
from helpers.errors import Location, fail
from helpers.paths import Workspace
from helpers.registry import UnitRegistry, load_registry


@dataclass(frozen=True)
class Context:
    workspace: Workspace
    catalogue: Catalogue
    registry: UnitRegistry

    @classmethod
    def load(cls, data_dir: str | Path | None = None) -> "Context":
        workspace = Workspace.at(data_dir)
        if not workspace.data_dir.is_dir():
            raise fail(Location(str(workspace.data_dir)), "a data directory (with units/ and raw/)", "no such directory")
        return cls(workspace, Catalogue(workspace.catalogue_dir), load_registry(workspace.units_dir))
