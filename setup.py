"""The build step pyproject.toml cannot say: ship the report notebooks and the bundled catalogue,
documents and abbreviations inside the package (helpers/shipped/), so that an installed copy
renders reports with no project folder (helpers.paths finds them there). An editable install
reads them from the project."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PROJECT = Path(__file__).resolve().parent
SHIPPED = {
    "notebooks": ["notebooks/*.ipynb"],
    "data/catalogue": ["data/catalogue/*.csv"],
    "data/documents": ["data/documents/*"],
    "data/units": ["data/units/abbreviations.csv"],
}


class BuildWithNotebooks(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for folder, patterns in SHIPPED.items():
            target = Path(self.build_lib) / "helpers" / "shipped" / folder
            target.mkdir(parents=True, exist_ok=True)
            for pattern in patterns:
                for path in sorted(PROJECT.glob(pattern)):
                    shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
