"""The analysts' guide in Vietnamese (docs/huong-dan.md): linked first by the README, and the
files, commands and notebooks it names exist."""

from __future__ import annotations

import re
from pathlib import Path

GUIDE = "docs/huong-dan.md"


def test_the_readme_links_the_guide_first(project_root: Path) -> None:
    readme = (project_root / "README.md").read_text(encoding="utf-8")
    first_link = re.search(r"\]\(([^)]+)\)", readme)
    assert first_link is not None and first_link.group(1) == GUIDE
    assert readme.index(GUIDE) < readme.index("## The two commands")


def test_the_paths_the_guide_names_exist(project_root: Path) -> None:
    guide = (project_root / GUIDE).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:data|notebooks)/[^`<…*]+?)`", guide))
    assert {"data/units/units.csv", "data/units/provinces.csv", "data/catalogue/targets.csv", "data/documents/default.toml"} <= named
    for path in named:
        if "phu_yen" not in path and "/2024-03" not in path:  # the guide's examples of new files
            assert (project_root / path).exists(), path
    for notebook in re.findall(r"`(\w+\.ipynb)`", guide):
        assert (project_root / "notebooks" / notebook).is_file(), notebook


def test_the_guide_covers_what_an_analyst_does(project_root: Path) -> None:
    guide = (project_root / GUIDE).read_text(encoding="utf-8")
    for said in ("make report", "make test", "make lab", "python -m helpers ingest", "data/raw/<mã tỉnh>/<YYYY-MM>/", "data/documents/phu_yen.toml",
                 "reports/index.html", "reports/<tỉnh>/<YYYY-MM>.html", ".docx", ".xlsx", ".digest.html", ".digest.txt", "explore_trends.ipynb"):
        assert said in guide, said
    makefile = (project_root / "Makefile").read_text(encoding="utf-8")
    assert all(f"\n{target}:" in makefile for target in ("report", "test", "lab"))
