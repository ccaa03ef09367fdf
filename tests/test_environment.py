"""environment.yml (conda users) stays equivalent to pyproject.toml (pip)."""

import re
import tomllib
from pathlib import Path

import yaml


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_what_pyproject_installs(project_root: Path) -> None:
    project = tomllib.loads((project_root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_names = {_name(requirement) for requirement in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        pip_names |= {_name(requirement) for requirement in extra}
    environment = yaml.safe_load((project_root / "environment.yml").read_text(encoding="utf-8"))
    conda_names = {_name(item) for item in environment["dependencies"] if isinstance(item, str)} - {"python", "pip"}
    assert conda_names == pip_names
