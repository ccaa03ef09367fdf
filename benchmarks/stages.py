"""The measured stages, each run in a fresh process so that its peak memory is its own.

``in_fresh_process(stage, **arguments)`` starts a new Python (spawn), runs ``stage`` there and
returns what it returns: a dict of measured figures. Each stage times only its own work
(imports and process start are outside the clock) and reports the peak memory of its process
tree while that work ran (harness.TreeMemory: kernels included).
"""

from __future__ import annotations

import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Callable

from harness import measure

Stage = Callable[..., dict[str, Any]]


def in_fresh_process(stage: Stage, **arguments: Any) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(stage, **arguments).result()


# -- data -----------------------------------------------------------------------------------------
def generate_demo(out: str, **spec: Any) -> dict[str, Any]:
    """helpers.demo at a given size; figures: seconds, peak_bytes, units, months, files."""
    from helpers.demo.monthly import DemoSpec, generate_demo as generate

    scale = spec.pop("scale", "binh-dinh")
    result, run = measure(lambda: generate(DemoSpec.at_scale(scale, **spec), out, progress=lambda _line: None))
    return {"seconds": run.seconds, "peak_bytes": run.peak_bytes, "units": sum(result.units_per_level.values()),
            "months": len(result.periods), "provinces": len(result.provinces), "files": result.raw_files}


def ingest(data_dir: str) -> dict[str, Any]:
    """python -m helpers ingest on every raw month of ``data_dir``."""
    from helpers.context import Context
    from helpers.ingest.monthly import ingest_all

    context = Context.load(data_dir)
    (done, failed), run = measure(lambda: ingest_all(context.workspace, context.catalogue, context.registry, progress=lambda _line: None))
    if failed:
        raise RuntimeError(f"ingest failed for {len(failed)} month(s): {failed[0][1]}")
    return {"seconds": run.seconds, "peak_bytes": run.peak_bytes, "months": len(done)}


def tidy_csv_month(out: str, rows: int) -> dict[str, Any]:
    """One province-month as a single tidy CSV of ``rows`` rows, written the Vietnamese way
    (1.313, 86,0%), a third of its units named without a unit_id; the registry grows to match.

    Built from the largest demo province (every department, every place name as a commune),
    its communes copied under numbered names until the file has ``rows`` rows."""
    import pandas as pd

    from helpers.demo.monthly import DemoSpec, generate_demo as generate
    from helpers.demo.monthly.spec import MAX_PLACES

    target = Path(out)
    spec = DemoSpec(levels=2, departments=len(DemoSpec(levels=2).known_departments), communes=MAX_PLACES, months=1, output_format="tidy-parquet")
    generate(spec, target, progress=lambda _line: None)
    source = next(target.glob("raw/*/*/*.parquet"))
    month = pd.read_parquet(source)
    units = pd.read_csv(target / "units" / "units.csv", dtype=str, keep_default_na=False)
    communes, commune_rows = units[units["level"] == "cap_xa"], month[month["level"] == "cap_xa"]
    registry, frames = [units], [month]
    for copy in range(1, -(-rows // len(month))):
        registry.append(communes.assign(unit_id=communes["unit_id"] + f"_{copy}", name_vi=communes["name_vi"] + f" {copy}"))
        frames.append(commune_rows.assign(unit_id=commune_rows["unit_id"] + f"_{copy}", unit_name=commune_rows["unit_name"] + f" {copy}"))
    pd.concat(registry).to_csv(target / "units" / "units.csv", index=False)
    tidy = pd.concat(frames, ignore_index=True).head(rows)
    tidy["unit_id"] = tidy["unit_id"].astype(object).where(tidy.index % 3 != 0, None)

    def count(value: object) -> str:
        return "" if pd.isna(value) else f"{int(value):,}".replace(",", ".")

    def rate(value: object) -> str:
        return "" if pd.isna(value) else f"{value * 100:.1f}".replace(".", ",") + "%"

    written = tidy.assign(**{column: tidy[column].map(count) for column in ("numerator", "denominator")},
                          **{column: tidy[column].map(rate) for column in ("reported_rate", "assigned_target")})
    written.to_csv(source.with_name("chi_tieu.csv"), index=False)
    source.unlink()
    return {"rows": len(written), "units": int(tidy["unit_name"].nunique()), "bytes": source.with_name("chi_tieu.csv").stat().st_size}


def copy_bundled_month(data_dir: str) -> None:
    """The bundled real month (Bình Định 02/2024) in a scratch data directory: tests and benchmarks never write into data/."""
    from helpers.paths import DEFAULT_DATA_DIR

    target = Path(data_dir)
    shutil.copytree(DEFAULT_DATA_DIR / "units", target / "units")
    shutil.copytree(DEFAULT_DATA_DIR / "raw" / "binh_dinh" / "2024-02", target / "raw" / "binh_dinh" / "2024-02")


# -- the indicator engine ---------------------------------------------------------------------------
def engine(data_dir: str, repeats: int) -> dict[str, Any]:
    """Load every processed month, then evaluate them all ``repeats`` times (helpers.engine.evaluate)."""
    from helpers.context import Context
    from helpers.analysis.monthly.engine import evaluate
    from helpers.store import load_tidy

    context = Context.load(data_dir)
    tidy, load_run = measure(lambda: load_tidy(context.workspace))
    runs = []
    for _ in range(repeats):
        results, run = measure(lambda: evaluate(tidy, context.catalogue))
        runs.append(run)
    return {
        "load_seconds": load_run.seconds, "load_peak_bytes": load_run.peak_bytes,
        "seconds": [run.seconds for run in runs], "peak_bytes": max(run.peak_bytes for run in runs),
        "rows": len(tidy), "units": int(tidy["unit_id"].nunique()), "months": int(tidy["period"].nunique()),
        "provinces": int(tidy["province"].nunique()), "aggregate_rows": len(results.aggregates),
    }


# -- the 766 index: each stage in its own process, as a national run would do them ---------------
def index766_generate(folder: str, snapshots: int, seed: int = 766) -> dict[str, Any]:
    """National synthetic 766 data written as the portal's JSON (helpers.index766.synthetic)."""
    from helpers.rules766 import load_rules
    from helpers.demo.index766 import generate, write_workspace
    from helpers.paths import DEFAULT_DATA_DIR

    rules = load_rules(DEFAULT_DATA_DIR / "catalogue")
    data, generated = measure(lambda: generate(rules, seed=seed, snapshots=snapshots))
    _, written = measure(lambda: write_workspace(data, Path(folder)))
    return {"generate": (generated.seconds, generated.peak_bytes), "write_json": (written.seconds, written.peak_bytes),
            "rows": len(data.tidy), "units": len(data.units), "provinces": len(data.provinces)}


def index766_ingest(folder: str) -> dict[str, Any]:
    """python -m helpers index766: the portal JSON of every province into processed Parquet."""
    from helpers.context import Context
    from helpers.ingest.index766 import ingest_index766
    from helpers.rules766 import load_rules

    context = Context.load(folder)
    rules = load_rules(context.workspace.catalogue_dir)
    (done, failed), run = measure(lambda: ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lambda _line: None))
    if failed:
        raise RuntimeError(f"766 ingest failed: {failed[0][1]}")
    return {"seconds": run.seconds, "cpu_seconds": run.cpu_seconds, "peak_bytes": run.peak_bytes, "provinces": len(done),
            "rows": sum(ingested.rows for ingested in done)}


def index766_score(folder: str, repeats: int) -> dict[str, Any]:
    """Load every province's processed 766 table, then score them all together ``repeats`` times."""
    import pandas as pd

    from helpers.context import Context
    from helpers.ingest.index766 import load_index766
    from helpers.rules766 import load_rules
    from helpers.analysis.index766.scoring import score
    from helpers.ingest.index766 import discover_provinces

    context = Context.load(folder)
    rules = load_rules(context.workspace.catalogue_dir)
    tidy, loaded = measure(lambda: pd.concat([load_index766(context.workspace, province) for province in discover_provinces(context.workspace)], ignore_index=True))
    runs = [measure(lambda: score(tidy, rules, context.catalogue.settings))[1] for _ in range(repeats)]
    return {"load": (loaded.seconds, loaded.peak_bytes), "rows": len(tidy),
            "seconds": [run.seconds for run in runs], "peak_bytes": max(run.peak_bytes for run in runs)}


def index766_analyse(folder: str) -> dict[str, Any]:
    """What the 766 report of one province computes: analysis, laggards, levers, drafted text."""
    from helpers.context import Context
    from helpers.analysis.index766.analysis import analyse_index766
    from helpers.report.index766 import drafted, stakes, tables
    from helpers.ingest.index766 import discover_provinces

    context = Context.load(folder)
    province = discover_provinces(context.workspace)[0]
    analysis, run = measure(lambda: analyse_index766(context, province, period_kind=None))
    _, shown = measure(lambda: (tables.laggards_by_total(analysis), stakes.levers_table(analysis), drafted.draft(analysis)))
    return {"seconds": run.seconds + shown.seconds, "peak_bytes": max(run.peak_bytes, shown.peak_bytes), "province": province}


# -- reports -------------------------------------------------------------------------------------
def render_reports(jobs: list[dict[str, Any]], repeats: int) -> dict[str, Any]:
    """Render each job ``repeats`` times, the jobs taking turns (same load for each), through the
    batch runner's own ``render`` (papermill execute, HTML export, atomic write): wall and CPU time."""
    from helpers.report.batch import RenderJob, render

    times: dict[str, list[float]] = {job["label"]: [] for job in jobs}
    cpu: dict[str, list[float]] = {job["label"]: [] for job in jobs}
    peaks: dict[str, int] = {job["label"]: 0 for job in jobs}
    sizes: dict[str, int] = {}
    for _ in range(repeats):
        for spec in jobs:
            job = RenderJob(spec["label"], Path(spec["notebook"]), spec["parameters"], Path(spec["output"]))
            result, run = measure(lambda: render(job, Path(spec["output"]).parent / "_failed"))
            if not result.ok:
                raise RuntimeError(f"{job.label}: {result.message}")
            times[job.label].append(run.seconds)
            cpu[job.label].append(run.cpu_seconds)
            peaks[job.label] = max(peaks[job.label], run.peak_bytes)
            sizes[job.label] = result.size
    return {"seconds": times, "cpu_seconds": cpu, "peak_bytes": peaks, "bytes": sizes}


def wait_quiet(seconds: float = 1.0) -> None:
    """A short pause between measurements, so that one run's exiting processes do not slow the next."""
    time.sleep(seconds)
