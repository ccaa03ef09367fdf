"""Synthetic demo data: fictional provinces' monthly tables, in the layouts the ingest reads.

``generate_demo(DemoSpec(...), out)`` writes a self-contained data directory:

- ``units/``: the made-up unit registry (provinces.csv, units.csv, aliases.csv) and a copy of
  the bundled abbreviations.csv;
- ``catalogue/``: a copy of the bundled catalogue (or of the one given), plus provincial floor
  targets for the made-up provinces (their source says they are assumed for synthetic data);
  every indicator of its indicators.csv is simulated (helpers.demo.monthly.indicators);
- ``raw/<province>/<YYYY-MM>/``: one appendix workbook per month ("Phụ lục 1, 2, 3", as the
  bundled Bình Định file), or the same appendix as CSV, or the documented tidy Parquet;
- ``demo.json``: the parameters that produced it.

Everything is fictional and says so: provinces.csv marks each province ``synthetic=true``, its
name ends "(dữ liệu mô phỏng)" and every appendix sheet carries a line saying it is simulated.
The same seed and parameters give the same figures (numpy.random.Generator); ``messy`` adds the
problems real tables have, each of a kind the ingest reads and the data checks report.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from helpers.catalogue import Catalogue
from helpers.demo.monthly.appendix import AppendixLayout, write_month
from helpers.demo.monthly.indicators import demo_indicators
from helpers.demo.monthly.messy import inject_problems
from helpers.demo.monthly.provinces import plan_province, write_catalogue, write_marker, write_units
from helpers.demo.monthly.simulate import simulate
from helpers.demo.monthly.spec import MARKER_FILE, DemoResult, DemoSpec
from helpers.paths import DEFAULT_DATA_DIR
from helpers.registry import UnitRegistry


def generate_demo(
    spec: DemoSpec, out: str | Path, force: bool = False, progress: Callable[[str], None] = print, catalogue_dir: Path | None = None
) -> DemoResult:
    """Write the synthetic data directory ``out`` for ``spec``, with the indicators of
    ``catalogue_dir`` (default: the bundled catalogue).

    A non-empty ``out`` is refused unless ``force`` is set and ``out`` holds an earlier demo
    run (its demo.json); everything is written to a temporary sibling directory first and
    renamed into place, so a failed run leaves ``out`` as it was.
    """
    target = Path(out).resolve()
    _check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        os.chmod(staging, 0o755)
        result = _write_all(spec, staging, target, progress, catalogue_dir or DEFAULT_DATA_DIR / "catalogue")
        _move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a directory")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not force:
        raise FileExistsError(f"{target} is not empty; choose an empty or new directory, or pass --force to replace an earlier demo run")
    if not (target / MARKER_FILE).is_file():
        raise FileExistsError(f"{target} is not empty and holds no {MARKER_FILE}: --force only replaces a directory an earlier demo run wrote")


def _move_into_place(staging: Path, target: Path) -> None:
    if not target.exists() or not any(target.iterdir()):
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.replace(target, retired / target.name)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _write_all(spec: DemoSpec, staging: Path, target: Path, progress: Callable[[str], None], catalogue_dir: Path) -> DemoResult:
    source = Catalogue(catalogue_dir)
    # Per province, independent streams for its units, its figures and its problems: --messy
    # changes nothing else, and one province's draws never shift another's.
    streams = [province_seed.spawn(3) for province_seed in np.random.SeedSequence(spec.seed).spawn(spec.provinces)]
    provinces = [
        plan_province(spec, province_id, number, source, np.random.default_rng(plan_seed))
        for number, (province_id, (plan_seed, _, _)) in enumerate(zip(spec.province_ids(), streams), start=1)
    ]
    write_units(staging / "units", provinces)
    write_catalogue(catalogue_dir, staging / "catalogue", provinces, spec)
    catalogue = Catalogue(staging / "catalogue")
    models = demo_indicators(catalogue)
    registry = UnitRegistry(staging / "units")
    layout = AppendixLayout(catalogue, models, spec)
    total = spec.provinces * spec.months
    written = 0
    for province, (_, draws_seed, messy_seed) in zip(provinces, streams):
        frame = simulate(province, spec, catalogue, models, np.random.default_rng(draws_seed))
        if spec.messy:
            frame = inject_problems(frame, province, registry, catalogue, models, np.random.default_rng(messy_seed))
        for period, month in frame.groupby("period", sort=True):
            month_dir = staging / "raw" / province.province / str(period)
            month_dir.mkdir(parents=True)
            files = write_month(month.reset_index(drop=True), month_dir, province, str(period), spec, layout)
            written += 1
            progress(f"[{written}/{total}] {province.province} {period}: {month['unit_id'].nunique()} units → {', '.join(path.name for path in files)}")
    in_registry = registry.frame()["level"].value_counts()
    units_per_level = {level: int(in_registry.get(level, 0)) for level in spec.level_ids}
    write_marker(staging / MARKER_FILE, spec, provinces, units_per_level)
    raw_files = sum(1 for path in (staging / "raw").rglob("*") if path.is_file())
    return DemoResult(target, spec, [province.province for province in provinces], spec.periods, raw_files, units_per_level)

