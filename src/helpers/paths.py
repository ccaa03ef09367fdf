"""Where the project's data lives: a data directory holds units/, raw/, processed/ and catalogue/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"


def notebook_path(name: str) -> Path:
    """A report notebook by file name (``monthly_report.ipynb``)."""
    return NOTEBOOKS_DIR / name


def default_reports_dir() -> Path:
    """Where rendered reports go unless ``--output-dir`` says otherwise."""
    return PROJECT_ROOT / "reports"


@dataclass(frozen=True)
class Workspace:
    """One data directory. Its catalogue/ overrides the bundled one when present."""

    data_dir: Path = DEFAULT_DATA_DIR

    @classmethod
    def at(cls, data_dir: str | Path | None) -> "Workspace":
        return cls(Path(data_dir).resolve() if data_dir else DEFAULT_DATA_DIR)

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
            try:
                return str(path.resolve().relative_to(base))
            except ValueError:
                continue
        return str(path)
