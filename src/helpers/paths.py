"""Where the project's data lives: a data directory holds units/, raw/, processed/ and catalogue/.

Run from a checkout (the package in src/helpers of the project folder), the defaults are the
project's data/, notebooks/ and reports/. Installed (``pip install .``), the report notebooks and
a copy of the bundled catalogue ship inside the package (setup.py copies them at build time),
and the data folder is ``--data-dir``, else the environment variable DVC_DATA_DIR, else ./data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR_VARIABLE = "DVC_DATA_DIR"
PACKAGE_DIR = Path(__file__).resolve().parent
# What setup.py ships inside an installed package: the notebooks, and the catalogue, documents
# and units/abbreviations.csv of data/ (no raw data).
SHIPPED_DIR = PACKAGE_DIR / "shipped"


def _checkout_root() -> Path | None:
    root = PACKAGE_DIR.parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir() else None


PROJECT_ROOT: Path | None = _checkout_root()
# The bundled data: the project's data/ in a checkout, the shipped copy when installed.
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" if PROJECT_ROOT else SHIPPED_DIR / "data"


def default_data_dir() -> Path:
    """The data folder when none is given: $DVC_DATA_DIR, else the project's data/ (checkout), else ./data."""
    chosen = os.environ.get(DATA_DIR_VARIABLE, "").strip()
    if chosen:
        return Path(chosen).resolve()
    return DEFAULT_DATA_DIR if PROJECT_ROOT else Path.cwd() / "data"


def notebook_path(name: str) -> Path:
    """A report notebook by file name (``monthly_report.ipynb``): the project's, else the shipped copy."""
    return (PROJECT_ROOT / "notebooks" if PROJECT_ROOT else SHIPPED_DIR / "notebooks") / name


def default_reports_dir() -> Path:
    """Where rendered reports go unless ``--output-dir`` says otherwise: the project's reports/, else ./reports."""
    return PROJECT_ROOT / "reports" if PROJECT_ROOT else Path.cwd() / "reports"


@dataclass(frozen=True)
class Workspace:
    """One data directory. Its catalogue/ overrides the bundled one when present."""

    data_dir: Path = field(default_factory=default_data_dir)

    @classmethod
    def at(cls, data_dir: str | Path | None) -> "Workspace":
        return cls(Path(data_dir).resolve() if data_dir else default_data_dir())

    @property
    def catalogue_dir(self) -> Path:
        own = self.data_dir / "catalogue"
        return own if own.is_dir() else DEFAULT_DATA_DIR / "catalogue"

    @property
    def documents_dir(self) -> Path:
        """Letterhead, fixed paragraphs and Word templates; the bundled ones unless the data directory has its own."""
        own = self.data_dir / "documents"
        return own if own.is_dir() else DEFAULT_DATA_DIR / "documents"

    @property
    def units_dir(self) -> Path:
        return self.data_dir / "units"

    @property
    def raw_dir(self) -> Path:
        return self.data_dir / "raw"

    @property
    def processed_dir(self) -> Path:
        return self.data_dir / "processed"

    def display(self, path: Path) -> str:
        """A path as people should read it in messages: relative to the project when inside it."""
        for base in (PROJECT_ROOT, self.data_dir.parent):
            if base is None:
                continue
            try:
                return str(path.resolve().relative_to(base))
            except ValueError:
                continue
        return str(path)
