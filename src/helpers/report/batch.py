"""The batch runner: execute notebooks with papermill, several at once, into HTML reports.

It knows nothing of what a notebook computes. A ``RenderJob`` names a notebook, its
parameters, the HTML file to write and a label for progress lines; ``run_jobs`` renders jobs
in parallel processes. A job that fails leaves every other job, and the report it would have
replaced, alone: HTML is written only after a clean run, through a temporary file. Its
executed notebook is kept in ``<reports>/_failed/<label>.ipynb`` for debugging.

``monthly_jobs`` builds the jobs of the monthly report after checking every parameter, so
that a wrong month or province stops the run with one sentence before any kernel starts.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

import nbformat

from helpers.context import Context
from helpers.analysis.monthly.engine import NATIONAL
from helpers.numbers import format_number
from helpers.paths import PROJECT_ROOT
from helpers.periods import check_period
from helpers.store import stored_months
from helpers.report.export import export_html, write_atomic
from helpers.report.headline import sidecar_path, sidecar_text
from helpers.report.params import (
    ReportParameterError,
    check_national_parameters,
    check_parameters,
    check_province,
    provinces_with_data,
)

MONTHLY_NOTEBOOK = PROJECT_ROOT / "notebooks" / "monthly_report.ipynb"
NATIONAL_NOTEBOOK = PROJECT_ROOT / "notebooks" / "national_summary.ipynb"
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "reports"
FAILED_DIR_NAME = "_failed"
CELL_TIMEOUT_SECONDS = 600
# The kernel's own log stays quiet: it would print, for every report, that it listens on
# localhost TCP without encryption (Jupyter's usual setup) and, now and then, "KeyboardInterrupt
# caught in kernel" (jupyter_client interrupts every kernel it shuts down). Neither says anything
# about the report; a failing cell reaches the runner through papermill, not this log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]


@dataclass(frozen=True)
class RenderJob:
    """One notebook to execute and export: any notebook with a ``parameters`` cell."""

    label: str  # for people: "binh_dinh 2024-02"
    notebook: Path
    parameters: dict[str, object]
    output: Path  # the HTML file
    language: str = "vi"  # of the page chrome (table of contents) when the notebook publishes no headline


@dataclass(frozen=True)
class JobResult:
    job: RenderJob
    ok: bool
    seconds: float
    message: str = ""  # one sentence when the job failed
    executed: Path | None = None  # the executed notebook, kept when the job failed
    size: int = 0  # bytes of HTML written


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if not result.ok]


def failed_notebook_path(debug_dir: Path, job: RenderJob) -> Path:
    return debug_dir / (re.sub(r"[^\w.-]+", "_", job.label).strip("_") + ".ipynb")


def render(job: RenderJob, debug_dir: Path) -> JobResult:
    """Execute, export and write one job; never raises for a problem of the job itself."""
    import papermill  # imported here: the parent process of a parallel run does not need it
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    kept = failed_notebook_path(debug_dir, job)
    with tempfile.TemporaryDirectory(prefix="report-") as scratch:
        executed = Path(scratch) / "executed.ipynb"
        try:
            papermill.execute_notebook(
                str(job.notebook), str(executed), parameters=dict(job.parameters), cwd=str(job.notebook.parent),
                progress_bar=False, log_output=False, execution_timeout=CELL_TIMEOUT_SECONDS, extra_arguments=KERNEL_ARGUMENTS,
            )
            html, headline = export_html(nbformat.read(executed, as_version=4), job.language)
            write_atomic(job.output, html)
            if headline is not None:
                write_atomic(sidecar_path(job.output), sidecar_text(headline, job.output, datetime.now().isoformat(timespec="seconds")))
        except Exception as error:  # any failure of this job is reported, the others go on
            message = _one_sentence(error, PapermillExecutionError)
            saved = None
            if executed.exists():
                debug_dir.mkdir(parents=True, exist_ok=True)
                saved = Path(shutil.copyfile(executed, kept))
            return JobResult(job, False, time.perf_counter() - start, message, saved)
    kept.unlink(missing_ok=True)  # an earlier failure of this job is fixed
    return JobResult(job, True, time.perf_counter() - start, size=job.output.stat().st_size)


def _one_sentence(error: Exception, execution_error: type) -> str:
    if isinstance(error, execution_error):
        if error.ename == "ReportParameterError":
            return str(error.evalue)
        return f"{error.ename}: {error.evalue} (cell {error.exec_count})"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def run_jobs(
    jobs: Sequence[RenderJob], workers: int | None = None, debug_dir: Path = DEFAULT_REPORTS_DIR / FAILED_DIR_NAME,
    progress: Callable[[str], None] = print,
) -> RunSummary:
    """Render ``jobs`` in ``workers`` parallel processes (default: one per core); results in job order."""
    start = time.perf_counter()
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    progress(f"Rendering {len(jobs)} report(s), {workers} at a time…")
    results: dict[int, JobResult] = {}
    if workers == 1:
        for index, job in enumerate(jobs):
            results[index] = render(job, debug_dir)
            progress(_progress_line(len(results), len(jobs), results[index]))
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(render, job, debug_dir): index for index, job in enumerate(jobs)}
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except Exception as error:  # the worker process itself died
                    results[index] = JobResult(jobs[index], False, 0.0, f"the worker process stopped: {error}")
                progress(_progress_line(len(results), len(jobs), results[index]))
    return RunSummary([results[index] for index in range(len(jobs))], time.perf_counter() - start)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _progress_line(done: int, total: int, result: JobResult) -> str:
    prefix = f"[{done}/{total}] {result.job.label}"
    if result.ok:
        return f"{prefix}: {_seconds(result.seconds)}, {format_number(result.size / 1024, language='en')} KB → {_display(result.job.output)}"
    kept = f" (executed notebook kept in {_display(result.executed)})" if result.executed else ""
    return f"{prefix}: FAILED — {result.message}{kept}"


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s"


def summary_lines(summary: RunSummary) -> list[str]:
    done = len(summary.results) - len(summary.failed)
    lines = [f"{len(summary.results)} report(s) in {_seconds(summary.seconds)}: {done} rendered, {len(summary.failed)} failed."]
    for result in summary.failed:
        lines.append(f"  FAILED {result.job.label}: {result.message}")
    return lines


def select_months(selection: str, available: list[str]) -> list[str]:
    """``2024-01..2024-06,2024-09`` → the chosen months: a range takes the months with data in it."""
    chosen: list[str] = []
    for part in (item.strip() for item in selection.split(",")):
        if not part:
            continue
        if ".." in part:
            first, _, last = part.partition("..")
            first, last = check_period(first), check_period(last)
            in_range = [month for month in available if first <= month <= last]
            if not in_range:
                raise ReportParameterError(f"there is no month with data from {first} to {last}; months with data: {', '.join(available) or 'none'}")
            chosen += in_range
        else:
            chosen.append(check_period(part))
    return list(dict.fromkeys(chosen))


def report_path(reports_dir: Path, province: str, period: str, language: str) -> Path:
    """``reports/<province>/<YYYY-MM>.html``; another language gets ``<YYYY-MM>.<lang>.html``."""
    return reports_dir / province / (f"{period}.html" if language == "vi" else f"{period}.{language}.html")


def monthly_jobs(
    context: Context, provinces: Sequence[str] | None, months: str | None, language: str = "vi", laggards: int = 5,
    reports_dir: Path = DEFAULT_REPORTS_DIR, notebook: Path = MONTHLY_NOTEBOOK,
) -> list[RenderJob]:
    """The monthly report's jobs: every month with data (or those chosen), per province; all checked."""
    chosen = list(provinces or provinces_with_data(context))
    if not chosen:
        processed = context.workspace.display(context.workspace.processed_dir)
        raise ReportParameterError(f"there is no ingested data in {processed}; run `python -m helpers ingest` first")
    jobs = []
    for province in chosen:
        available = check_province(context, province)
        try:
            periods = select_months(months, available) if months else available
        except ValueError as error:
            raise ReportParameterError(str(error)) from None
        for period in periods:
            period = check_parameters(context, province, period, language, laggards)
            jobs.append(RenderJob(
                label=f"{province} {period}" + ("" if language == "vi" else f" {language}"),
                notebook=notebook,
                parameters={"month": period, "province": province, "data_dir": str(context.workspace.data_dir), "laggards": laggards, "language": language},
                output=report_path(reports_dir, province, period, language),
                language=language,
            ))
    return jobs


def national_jobs(
    context: Context, months: str | None, language: str = "vi", laggards: int = 5,
    reports_dir: Path = DEFAULT_REPORTS_DIR, notebook: Path = NATIONAL_NOTEBOOK,
) -> list[RenderJob]:
    """The national summary's jobs (helpers.report.national): one per month any province has data
    for (or those chosen), ``reports/toan_quoc/<YYYY-MM>.html``; all checked."""
    available = sorted(stored_months(context.workspace)["period"].unique())
    if not available:
        processed = context.workspace.display(context.workspace.processed_dir)
        raise ReportParameterError(f"there is no ingested data in {processed}; run `python -m helpers ingest` first")
    try:
        periods = select_months(months, available) if months else available
    except ValueError as error:
        raise ReportParameterError(str(error)) from None
    jobs = []
    for period in periods:
        period = check_national_parameters(context, period, language, laggards)
        jobs.append(RenderJob(
            label=f"{NATIONAL} {period}" + ("" if language == "vi" else f" {language}"),
            notebook=notebook,
            parameters={"month": period, "data_dir": str(context.workspace.data_dir), "laggards": laggards, "language": language},
            output=report_path(reports_dir, NATIONAL, period, language),
            language=language,
        ))
    return jobs
