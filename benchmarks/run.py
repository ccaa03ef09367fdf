"""The benchmark suite: what a report costs, and what national scale costs. `make bench` runs it.

    .venv/bin/python benchmarks/run.py                  # everything: RESULTS.md, results.csv, results.json
    .venv/bin/python benchmarks/run.py --quick          # one run of each, smaller data: a smoke test, writes nothing
    .venv/bin/python benchmarks/run.py --only floor,batch --repeats 7   # re-measure two sections, keep the others
    .venv/bin/python benchmarks/run.py --only history766 --history766-province-only   # section 6 in minutes, not the country-year

Sections (README "Benchmarks"):
1. floor   — a trivial notebook (pandas, matplotlib, seaborn, one chart) against the monthly report
             on the bundled real month, both executed by papermill and exported to HTML by the
             batch runner's own ``render``, taking turns; target: report ≤ 1.2× the floor. Then the
             report kernel's work by stage (report_cost.py): where the cost above the floor goes.
2. batch   — 12 generated Bình Định-size months, `python -m helpers report` with --jobs 1 and
             --jobs 2, taking turns; targets: speed-up ≥ 1.7 on 2 cores, peak memory < 2 GiB.
3. scale   — national data (34 provinces, 544 departments, 3,332 communes, 24 months; and the 766
             index at that size): time and peak memory per stage; a province's report against the
             Bình Định-size report; the national summary report. Targets: engine < 5 s, 766 scoring
             < 5 s, province report ≤ 1.2× the Bình Định-size one, every report < 3 MB.
4. growth  — the same costs at 1×, 4×, 16× the units and at 1, 12, 48 months.
5. ingest  — `python -m helpers ingest` at scale: one 200,000-row tidy CSV (28,572 units, a third
             named without a unit_id) and the national 816 province-months (tidy Parquet).
             Targets (issue 13): the CSV < 5 s and < 500 MiB, the national months < 15 s.
6. history766 — a year of daily 766 per-unit detail captures (history766.py): a Gia Lai-size
             province and the whole country; target (issue 10): the province-year < 20 s, < 1 GiB.
             --history766-province-only leaves out the country-year (about 25 minutes) and keeps
             its earlier figures.
7. rerun   — `make report` on the bundled data, then again with nothing changed (benchmarks/rerun.py);
             target (issue 10): the second run < 5 s.

Timings are medians over the runs with the fastest and slowest beside them; the machine is
shared, so each section also records the load it ran under. Nothing here is asserted in tests.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import nbformat
import pandas as pd

from harness import (
    MIB, Figure, LoadWatch, Results, at_least, at_most, below, figure_cells, git_commit, machine_lines, markdown_table,
    measure_command, write_csv,
)
from history766 import PARTS as HISTORY766_PARTS, SECTION as HISTORY766, TITLE as HISTORY766_TITLE, history766_section
from rerun import rerun_section
from report_cost import CUT_DOWN, STAGES, cut_down_notebooks, kernel_stages
from stages import (
    copy_bundled_month, engine, tidy_csv_month, generate_demo, in_fresh_process, index766_analyse, index766_generate, index766_ingest, index766_score, ingest,
    render_reports, wait_quiet,
)

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH_DIR.parent
RESULTS_MD = BENCH_DIR / "RESULTS.md"
RESULTS_CSV = BENCH_DIR / "results.csv"
RESULTS_JSON = BENCH_DIR / "results.json"
OPTIMISATIONS = BENCH_DIR / "optimisations.md"
MONTHLY_NOTEBOOK = PROJECT_ROOT / "notebooks" / "monthly_report.ipynb"
NATIONAL_NOTEBOOK = PROJECT_ROOT / "notebooks" / "national_summary.ipynb"
SECTIONS = ("floor", "batch", "scale", "growth", "ingest", HISTORY766, "rerun")
TITLES = {
    "floor": "1. What a report costs: the floor and our report",
    "batch": "2. A batch of 12 months: serial and parallel",
    "scale": "3. National scale",
    "growth": "4. How each cost grows",
    "ingest": "5. Ingest at scale",
    HISTORY766: HISTORY766_TITLE,
    "rerun": "7. `make report` again with nothing changed",
}
MAX_REPORT_BYTES = 3 * 1024 * 1024
FLOOR_SOURCE = """import pandas as pd
import matplotlib.pyplot as plt
import seaborn as sns

frame = pd.DataFrame({"unit": ["a", "b", "c"], "rate": [0.5, 0.7, 0.9]})
figure, axes = plt.subplots(figsize=(4, 3))
sns.barplot(data=frame, x="unit", y="rate", ax=axes)
plt.show()
"""


@dataclass
class Settings:
    repeats: int
    quick: bool
    scratch: Path
    history766_parts: tuple[str, ...] = HISTORY766_PARTS


def floor_notebook(path: Path) -> Path:
    """What any user pays: a parameters cell, imports of pandas, matplotlib and seaborn, one chart."""
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('label = "floor"')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def _parameters_source(notebook: Path) -> str:
    """The source of a notebook's cell tagged ``parameters``."""
    return next("".join(cell.source) for cell in nbformat.read(notebook, as_version=4).cells if "parameters" in cell.metadata.get("tags", []))


def _job(label: str, notebook: Path, parameters: dict[str, object], output: Path) -> dict[str, object]:
    return {"label": label, "notebook": str(notebook), "parameters": parameters, "output": str(output)}


def _mib(peak_bytes: float) -> float:
    return peak_bytes / MIB


def _cli(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "helpers", *arguments]


# -- 1. floor ---------------------------------------------------------------------------------------
def floor_section(results: Results, settings: Settings) -> None:
    folder = settings.scratch / "floor"
    data_dir = folder / "data"
    copy_bundled_month(str(data_dir))
    in_fresh_process(ingest, data_dir=str(data_dir))
    floor = _job("floor", floor_notebook(folder / "floor.ipynb"), {"label": "floor"}, folder / "out" / "floor.html")
    parameters = {"province": "binh_dinh", "month": "2024-02", "data_dir": str(data_dir)}
    ours = _job("ours", MONTHLY_NOTEBOOK, parameters, folder / "out" / "report.html")
    cut_down = [_job(label, path, parameters, folder / "out" / f"{label}.html")
                for label, path in cut_down_notebooks(folder, _parameters_source(MONTHLY_NOTEBOOK)).items()]
    in_fresh_process(render_reports, jobs=[floor, ours], repeats=1)  # first kernel start and imports fill the disk cache
    with LoadWatch() as load:
        measured = in_fresh_process(render_reports, jobs=[floor, *cut_down, ours], repeats=settings.repeats)
    floor_times, our_times = measured["seconds"]["floor"], measured["seconds"]["ours"]
    results.add("floor", "floor notebook: papermill + HTML export", "s", floor_times)
    results.add("floor", "monthly report, bundled month: papermill + HTML export", "s", our_times)
    paired = [ours / floor for ours, floor in zip(our_times, floor_times)]
    ratio = sorted(our_times)[len(our_times) // 2] / sorted(floor_times)[len(floor_times) // 2]
    results.add("floor", "report ÷ floor (ratio of medians)", "×", ratio, at_most(1.2, "×"),
                note=f"per turn {min(paired):.2f}–{max(paired):.2f}")
    results.add("floor", "report ÷ floor (ratio of the fastest runs)", "×", min(our_times) / min(floor_times),
                note="what each costs when the neighbours are quiet")
    floor_cpu, our_cpu = measured["cpu_seconds"]["floor"], measured["cpu_seconds"]["ours"]
    results.add("floor", "floor notebook: CPU time (runner and kernel)", "s", floor_cpu)
    results.add("floor", "monthly report: CPU time (runner and kernel)", "s", our_cpu)
    results.add("floor", "report ÷ floor, CPU time (ratio of medians)", "×", statistics.median(our_cpu) / statistics.median(floor_cpu),
                note="what a busy neighbour changes least")
    results.add("floor", "monthly report size", "KB", measured["bytes"]["ours"] / 1024, below(MAX_REPORT_BYTES / 1024, " KB"))
    floor_median = statistics.median(floor_times)
    for label, (measure_name, _) in CUT_DOWN.items():
        times = measured["seconds"][label]
        results.add("floor", f"{measure_name}: papermill + HTML export", "s", times, note=f"{statistics.median(times) / floor_median:.2f} × the floor")
    stages = [in_fresh_process(kernel_stages, data_dir=str(data_dir), province="binh_dinh", month="2024-02") for _ in range(settings.repeats)]
    for stage, measure in STAGES.items():
        results.add("floor", measure, "s", [run[stage] for run in stages])
    results.note("floor", f"The floor, the report and the report cut down (benchmarks/report_cost.py) through the batch runner's `render` (papermill, HTML export, write), taking turns, {settings.repeats} turns; {load.load.text()}.")
    results.note("floor", "The report kernel's stages: the notebook's calls in a fresh process, once per turn after the renders (benchmarks/report_cost.py).")


# -- 2. batch ---------------------------------------------------------------------------------------
def binh_dinh_size_data(settings: Settings, results: Results | None = None) -> Path:
    """12 generated months of one Bình Định-size province (helpers.demo defaults, xlsx), ingested once."""
    data_dir = settings.scratch / "binh-dinh-size"
    if (data_dir / "processed").is_dir():
        return data_dir
    generated = in_fresh_process(generate_demo, out=str(data_dir))
    ingested = in_fresh_process(ingest, data_dir=str(data_dir))
    if results is not None:
        results.add("batch", f"generate 12 Bình Định-size months (xlsx, {generated['units']} units)", "s", generated["seconds"], note=f"peak {_mib(generated['peak_bytes']):.0f} MiB")
        results.add("batch", "ingest the 12 xlsx months", "s", ingested["seconds"], note=f"peak {_mib(ingested['peak_bytes']):.0f} MiB")
    return data_dir


SPIN = "total = 0\nfor number in range(25_000_000):\n    total += number * number"


def _wall_seconds(copies: int) -> float:
    """Wall time of ``copies`` CPU-bound Python processes started together."""
    started = time.perf_counter()
    processes = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(copies)]
    for process in processes:
        process.wait()
    return time.perf_counter() - started


def machine_speed_up(repeats: int) -> list[float]:
    """What two cores give here: 2 × (one loop alone) ÷ (two loops at once), per turn; 2.0 is ideal."""
    ratios = []
    for _ in range(repeats):
        alone = _wall_seconds(1)
        together = _wall_seconds(2)
        ratios.append(2 * alone / together)
    return ratios


def batch_section(results: Results, settings: Settings) -> None:
    data_dir = binh_dinh_size_data(settings, results)
    serial, parallel = [], []
    reports = settings.scratch / "batch-reports"
    with LoadWatch() as load:
        for turn in range(settings.repeats):
            order = [1, 2] if turn % 2 == 0 else [2, 1]
            for jobs in order:
                shutil.rmtree(reports, ignore_errors=True)
                wait_quiet()
                run = measure_command(_cli("report", "--data-dir", str(data_dir), "--output-dir", str(reports), "--jobs", str(jobs)))
                (serial if jobs == 1 else parallel).append(run)
    serial_seconds = [run.seconds for run in serial]
    parallel_seconds = [run.seconds for run in parallel]
    results.add("batch", "12 reports, serial (--jobs 1)", "s", serial_seconds)
    results.add("batch", "12 reports, parallel (--jobs 2)", "s", parallel_seconds)
    median_serial, median_parallel = Figure("", "", "", serial_seconds).value, Figure("", "", "", parallel_seconds).value
    results.add("batch", "speed-up (median serial ÷ median parallel)", "×", median_serial / median_parallel, at_least(1.7, "×"),
                note=f"per turn {min(s / p for s, p in zip(serial_seconds, parallel_seconds)):.2f}–{max(s / p for s, p in zip(serial_seconds, parallel_seconds)):.2f}")
    results.add("batch", "this machine's own 2-core speed-up (2 CPU-bound Python loops vs 1)", "×", machine_speed_up(settings.repeats),
                note="the ceiling for any 2-process speed-up here")
    results.add("batch", "peak memory, parallel run (whole process tree)", "MiB", [_mib(run.peak_bytes) for run in parallel], below(2048, " MiB"))
    results.add("batch", "peak memory, serial run (whole process tree)", "MiB", [_mib(run.peak_bytes) for run in serial])
    sizes = [path.stat().st_size / 1024 for path in reports.rglob("*.html") if path.name != "index.html"]
    results.add("batch", "largest of the 12 reports", "KB", max(sizes), below(MAX_REPORT_BYTES / 1024, " KB"), note=f"{len(sizes)} reports")
    results.note("batch", f"`python -m helpers report --jobs N` as a subprocess (index page included), {settings.repeats} turns alternating which goes first; {load.load.text()}.")


# -- 3. scale ---------------------------------------------------------------------------------------
def scale_section(results: Results, settings: Settings) -> None:
    months = 6 if settings.quick else 24
    data_dir = settings.scratch / "national"
    with LoadWatch() as load:
        generated = in_fresh_process(generate_demo, out=str(data_dir), scale="national", months=months, output_format="tidy-parquet")
        results.add("scale", f"generate national data ({generated['provinces']} provinces, {generated['units']:,} units, {months} months, tidy Parquet)", "s",
                    generated["seconds"], note=f"peak {_mib(generated['peak_bytes']):.0f} MiB")
        ingested = in_fresh_process(ingest, data_dir=str(data_dir))
        results.add("scale", f"ingest {ingested['months']} province-months", "s", ingested["seconds"], note=f"peak {_mib(ingested['peak_bytes']):.0f} MiB")
        evaluated = in_fresh_process(engine, data_dir=str(data_dir), repeats=settings.repeats)
        results.add("scale", f"load {evaluated['rows']:,} tidy rows (store.load_tidy)", "s", evaluated["load_seconds"], note=f"peak {_mib(evaluated['load_peak_bytes']):.0f} MiB")
        results.add("scale", f"engine: evaluate {months} national months", "s", evaluated["seconds"], below(5, " s"), note=f"peak {_mib(evaluated['peak_bytes']):.0f} MiB")
        folder = str(settings.scratch / "national-766")
        generated766 = in_fresh_process(index766_generate, folder=folder, snapshots=months)
        results.add("scale", f"766: generate {months} national snapshots ({generated766['units']:,} units, {generated766['rows']:,} rows)", "s",
                    generated766["generate"][0], note=f"peak {_mib(generated766['generate'][1]):.0f} MiB")
        results.add("scale", "766: write them as portal JSON", "s", generated766["write_json"][0], note=f"peak {_mib(generated766['write_json'][1]):.0f} MiB")
        ingested766 = in_fresh_process(index766_ingest, folder=folder)
        results.add("scale", f"766: ingest the portal JSON ({ingested766['provinces']} provinces)", "s", ingested766["seconds"], note=f"peak {_mib(ingested766['peak_bytes']):.0f} MiB")
        scored = in_fresh_process(index766_score, folder=folder, repeats=settings.repeats)
        results.add("scale", f"766: load the processed tables ({scored['rows']:,} rows)", "s", scored["load"][0], note=f"peak {_mib(scored['load'][1]):.0f} MiB")
        results.add("scale", f"766: score {months} national snapshots", "s", scored["seconds"], below(5, " s"), note=f"peak {_mib(scored['peak_bytes']):.0f} MiB")
        analysed = in_fresh_process(index766_analyse, folder=folder)
        results.add("scale", "766: analyse one province, all its snapshots (laggards, levers, text)", "s", analysed["seconds"], note=f"peak {_mib(analysed['peak_bytes']):.0f} MiB")
    results.note("scale", f"Data generation, ingest, engine and 766 stages each in a fresh process; {load.load.text()}.")
    _province_reports(results, settings, data_dir, binh_dinh_size_data(settings))


def _last_month(data_dir: Path, province: str) -> str:
    return sorted(path.stem for path in (data_dir / "processed" / province).glob("*.parquet"))[-1]


def _size(data_dir: Path, province: str) -> str:
    """"114 units, 24 months": what a province's report covers."""
    months = sorted((data_dir / "processed" / province).glob("*.parquet"))
    last = pd.read_parquet(months[-1], columns=["row_kind", "unit_id"])
    return f"{last.loc[last['row_kind'] == 'unit', 'unit_id'].nunique()} units, {len(months)} months"


def _province_reports(results: Results, settings: Settings, national: Path, binh_dinh_size: Path) -> None:
    out = settings.scratch / "scale-reports"
    province = "mo_phong_01"
    reference = _job("binh-dinh-size", MONTHLY_NOTEBOOK, {"province": "mo_phong", "month": _last_month(binh_dinh_size, "mo_phong"), "data_dir": str(binh_dinh_size)}, out / "binh-dinh-size.html")
    month = _last_month(national, province)
    national_province = _job("province", MONTHLY_NOTEBOOK, {"province": province, "month": month, "data_dir": str(national)}, out / "province.html")
    summary = _job("national", NATIONAL_NOTEBOOK, {"month": month, "data_dir": str(national)}, out / "national.html")
    with LoadWatch() as load:
        measured = in_fresh_process(render_reports, jobs=[reference, national_province, summary], repeats=settings.repeats)
    ours, theirs = measured["seconds"]["province"], measured["seconds"]["binh-dinh-size"]
    results.add("scale", f"Bình Định-size report ({_size(binh_dinh_size, 'mo_phong')})", "s", theirs, note=f"{measured['bytes']['binh-dinh-size'] / 1024:.0f} KB")
    results.add("scale", f"national province's report ({_size(national, province)})", "s", ours, note=f"peak {_mib(measured['peak_bytes']['province']):.0f} MiB")
    results.add("scale", "province report ÷ Bình Định-size report (ratio of medians)", "×", Figure("", "", "", ours).value / Figure("", "", "", theirs).value, at_most(1.2, "×"))
    results.add("scale", "national province's report size", "KB", measured["bytes"]["province"] / 1024, below(MAX_REPORT_BYTES / 1024, " KB"))
    provinces = len([path for path in (national / "processed").iterdir() if path.is_dir()])
    results.add("scale", f"national summary report ({provinces} provinces, {_size(national, province).split(', ')[1]})", "s", measured["seconds"]["national"],
                note=f"peak {_mib(measured['peak_bytes']['national']):.0f} MiB")
    results.add("scale", "national summary report size", "KB", measured["bytes"]["national"] / 1024, below(MAX_REPORT_BYTES / 1024, " KB"))
    results.note("scale", f"Reports through the runner's `render`, taking turns, {settings.repeats} turns; {load.load.text()}.")


# -- 4. growth ---------------------------------------------------------------------------------------
GROWTH_BASE = {"departments": 16, "communes": 98}  # one post-2025 province of national-average size: 114 units


def growth_section(results: Results, settings: Settings) -> None:
    factors = (1, 4) if settings.quick else (1, 4, 16)
    month_counts = (1, 12) if settings.quick else (1, 12, 48)
    configurations = [(factor, 12) for factor in factors] + [(1, months) for months in month_counts if months != 12]
    rows = []
    for factor, months in configurations:
        communes = GROWTH_BASE["departments"] * (factor - 1) + GROWTH_BASE["communes"] * factor
        label = f"{factor}× units, {months} months"
        data_dir = settings.scratch / f"growth-{factor}x-{months}m"
        generated = in_fresh_process(generate_demo, out=str(data_dir), levels=2, departments=GROWTH_BASE["departments"], communes=communes,
                                     months=months, output_format="tidy-parquet")
        in_fresh_process(ingest, data_dir=str(data_dir))
        with LoadWatch() as load:
            evaluated = in_fresh_process(engine, data_dir=str(data_dir), repeats=settings.repeats)
            job = _job(label, MONTHLY_NOTEBOOK, {"province": "mo_phong", "month": _last_month(data_dir, "mo_phong"), "data_dir": str(data_dir)}, data_dir / "report.html")
            rendered = in_fresh_process(render_reports, jobs=[job], repeats=max(1, settings.repeats // 2))
        engine_figure = results.add("growth", f"engine, {label}", "s", evaluated["seconds"], note=f"peak {_mib(evaluated['peak_bytes']):.0f} MiB")
        report_figure = results.add("growth", f"report, {label}", "s", rendered["seconds"][label], note=f"peak {_mib(rendered['peak_bytes'][label]):.0f} MiB")
        size = rendered["bytes"][label] / 1024
        results.add("growth", f"report size, {label}", "KB", size)
        rows.append([f"{factor}×", f"{generated['units']:,}", months, f"{engine_figure.value:.2f}", f"{_mib(evaluated['peak_bytes']):.0f}",
                     f"{report_figure.value:.2f}", f"{size:,.0f}", f"{_mib(rendered['peak_bytes'][label]):.0f}", load.load.text()])
    table = markdown_table(["units", "units (n)", "months", "engine s", "engine peak MiB", "report s", "HTML KB", "report peak MiB", "load"], rows)
    results.notes.setdefault("growth", []).extend(["One synthetic post-2025 province (2 levels; 1× = 16 departments + 98 communes), tidy Parquet. "
                                                   "Engine: evaluate every month of history; report: the last month through the runner's `render` "
                                                   "(peak = the process and its kernel).", "", *table])


# -- results ---------------------------------------------------------------------------------------
# -- 5. ingest --------------------------------------------------------------------------------------
TIDY_CSV_ROWS = 200_000


def ingest_section(results: Results, settings: Settings) -> None:
    rows = 20_000 if settings.quick else TIDY_CSV_ROWS
    csv_dir = settings.scratch / "tidy-csv"
    national_dir = settings.scratch / "national-ingest"
    months = 6 if settings.quick else 24
    with LoadWatch() as load:
        built = in_fresh_process(tidy_csv_month, out=str(csv_dir), rows=rows)
        runs = [in_fresh_process(ingest, data_dir=str(csv_dir)) for _ in range(settings.repeats)]
        results.add("ingest", f"ingest one tidy CSV of {built['rows']:,} rows ({built['units']:,} units, {built['bytes'] / MIB:.0f} MiB)", "s",
                    [run["seconds"] for run in runs], below(5, " s"))
        results.add("ingest", "peak memory, that ingest", "MiB", [_mib(run["peak_bytes"]) for run in runs], below(500, " MiB"))
        in_fresh_process(generate_demo, out=str(national_dir), scale="national", months=months, output_format="tidy-parquet")
        national = in_fresh_process(ingest, data_dir=str(national_dir))
        results.add("ingest", f"ingest the national {national['months']} province-months (tidy Parquet)", "s", national["seconds"], below(15, " s"),
                    note=f"peak {_mib(national['peak_bytes']):.0f} MiB")
    results.note("ingest", f"Each ingest in a fresh process (imports outside the clock); {load.load.text()}.")


def write_markdown(results: Results) -> None:
    sections = [section for section in SECTIONS if section in results.measured]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`benchmarks/run.py`); the same figures as [results.csv](results.csv) "
        "(and [results.json](results.json), which `--only` uses to keep the sections it does not run).",
        "",
        *machine_lines(),
        "- Times are medians over the runs (5 unless said); the range is the fastest and slowest run. The machine is shared: "
        "each section says the load it ran under.",
        "",
        "## Targets",
        "",
        *markdown_table(["measure", "median", "runs", "target", "", "note"], [figure_cells(figure) for figure in results.figures if figure.target]),
    ]
    for section in sections:
        lines += ["", f"## {TITLES[section]}", "", f"Measured {results.measured[section]}.", ""]
        lines += results.notes.get(section, [])
        lines += [""] + markdown_table(["measure", "median", "runs", "target", "", "note"], [figure_cells(figure) for figure in results.figures if figure.section == section])
    if OPTIMISATIONS.is_file():
        lines += ["", OPTIMISATIONS.read_text(encoding="utf-8").strip()]
    RESULTS_MD.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=None, help="runs of each timing (default 5; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="one run each, smaller national and growth data: a smoke test that writes no results")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated sections of {', '.join(SECTIONS)}; the others keep their earlier results")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and reports (their folder is printed)")
    parser.add_argument("--history766-province-only", action="store_true",
                        help="section 6 without the whole country's year (about 25 minutes); its earlier figures are kept")
    arguments = parser.parse_args()
    sections = [section.strip() for section in arguments.only.split(",") if section.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
    repeats = arguments.repeats or (1 if arguments.quick else 5)
    scratch = Path(tempfile.mkdtemp(prefix="helpers-bench-"))
    parts = HISTORY766_PARTS[:1] if arguments.history766_province_only else HISTORY766_PARTS
    settings = Settings(repeats, arguments.quick, scratch, parts)
    results = Results()
    print(f"Benchmarks in {scratch} ({repeats} runs each)", flush=True)
    runners = {"floor": floor_section, "batch": batch_section, "scale": scale_section, "growth": growth_section, "ingest": ingest_section,
               HISTORY766: history766_section, "rerun": rerun_section}
    try:
        for section in (section for section in SECTIONS if section in sections):
            print(f"\n{TITLES[section]}", flush=True)
            started, clock = datetime.now(), time.perf_counter()
            runners[section](results, settings)
            results.measured[section] = (f"on {started:%Y-%m-%d %H:%M}, commit {git_commit(PROJECT_ROOT)}, {repeats} runs, "
                                         f"in {(time.perf_counter() - clock) / 60:.0f} min")
    finally:
        if arguments.keep:
            print(f"Kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    if arguments.quick:
        print("\n--quick: a smoke test; benchmarks/RESULTS.md is left as it was.")
        return 0
    if RESULTS_JSON.is_file():
        earlier = Results.from_json(json.loads(RESULTS_JSON.read_text(encoding="utf-8")))
        results.keep([section for section in SECTIONS if section not in sections], earlier)
        if HISTORY766 in sections:
            for part in (part for part in HISTORY766_PARTS if part not in parts):
                results.keep_part(HISTORY766, f"{part}-year", earlier)
    results.figures.sort(key=lambda figure: SECTIONS.index(figure.section))  # stable: each section's own order
    RESULTS_JSON.write_text(json.dumps(results.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_csv(results, RESULTS_CSV)
    write_markdown(results)
    print(f"\nWrote {RESULTS_MD.relative_to(PROJECT_ROOT)}, {RESULTS_CSV.name} and {RESULTS_JSON.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
