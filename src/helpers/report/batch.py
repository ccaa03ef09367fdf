"""The batch runner: execute notebooks with papermill, several at once, into HTML reports.

It knows nothing of what a notebook computes, nor of any kind of report: a ``RenderJob``
names a notebook, its parameters, the HTML file to write and a label for progress lines
(helpers.report.kinds makes them for each kind of report); ``run_jobs`` renders jobs in
parallel processes. A job that fails leaves every other job, and the report it would have
replaced, alone: HTML is written only after a clean run, through a temporary file. Its
executed notebook is kept in ``<reports>/_failed/<label>.ipynb`` for debugging. SIGINT or
SIGTERM stops a run at once (helpers.report.stopping): no job starts, running ones are killed
with their kernels, and the summary names the jobs that did not finish.

A re-run renders only what changed: the manifest (``<reports>/.manifest.json``) keeps, per
report, a hash of its notebook, parameters, input files (``RenderJob.inputs``) and the helpers
package itself; a job whose report is on disk with the same hash is skipped, so a daily run
costs only the new day.
"""

from __future__ import annotations

import compileall
import hashlib
import json
import glob
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import active_children, get_context, resource_tracker
from pathlib import Path

from helpers.fingerprint import digest_files, source_fingerprint
from helpers.messages import DEFAULT_LANGUAGE
from helpers.numbers import format_number
from helpers.paths import PACKAGE_DIR, default_reports_dir
from helpers.atomic import write_atomic
from helpers.report.export import export_html
from helpers.report.headline import sidecar_path, sidecar_text
from helpers.report.stopping import RunStopped, StopSignals, kill_process_trees, prepare_worker
from helpers.text import printable

FAILED_DIR_NAME = "_failed"
MANIFEST_NAME = ".manifest.json"
CELL_TIMEOUT_SECONDS = 600
# The kernel's own log stays quiet: it would print, for every report, that it listens on
# localhost TCP without encryption (Jupyter's usual setup) and, now and then, "KeyboardInterrupt
# caught in kernel" (jupyter_client interrupts every kernel it shuts down). Neither says anything
# about the report; a failing cell reaches the runner through papermill, not this log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
SIGNAL_CHECK_SECONDS = 0.2
PRINTED_LABELS_LENGTH = 2000


@dataclass(frozen=True)
class RenderJob:
    """One notebook to execute and export: any notebook with a ``parameters`` cell."""

    label: str  # for people: "binh_dinh 2024-02"
    notebook: Path
    parameters: dict[str, object]
    output: Path  # the HTML file
    language: str = DEFAULT_LANGUAGE  # of the page chrome (table of contents) when the notebook publishes no headline
    # Writes the documents filed beside the report (Word, Excel, digest) from the same
    # parameters, after the HTML; a module-level function, so that it crosses to the workers.
    companions: Callable[[dict[str, object], Path], list[Path]] | None = None
    inputs: tuple[Path, ...] = ()  # files and folders the report reads: a change to any renders it again


@dataclass(frozen=True)
class JobResult:
    job: RenderJob
    ok: bool
    seconds: float
    message: str = ""  # one sentence when the job failed
    executed: Path | None = None  # the executed notebook, kept when the job failed
    size: int = 0  # bytes of HTML written
    skipped: bool = False  # nothing it depends on changed since the report on disk was rendered
    stopped: bool = False  # a signal stopped the run before this job finished


@dataclass
class RunSummary:
    results: list[JobResult] = field(default_factory=list)
    seconds: float = 0.0
    stopped_by: signal.Signals | None = None  # SIGINT or SIGTERM asked the run to stop

    @property
    def failed(self) -> list[JobResult]:
        return [result for result in self.results if not result.ok and not result.stopped]

    @property
    def unfinished(self) -> list[JobResult]:
        return [result for result in self.results if result.stopped]


def failed_notebook_path(debug_dir: Path, job: RenderJob) -> Path:
    return debug_dir / (re.sub(r"[^\w.-]+", "_", job.label).strip("_") + ".ipynb")


def compile_package(package: Path = PACKAGE_DIR) -> None:
    """Write the bytecode of the helpers package (where it is missing or stale) before kernels start.

    Every kernel imports helpers; where Python is told not to write bytecode (PYTHONDONTWRITEBYTECODE)
    each kernel would compile it from source again, about 0.03 s of CPU a report. A folder that
    cannot be written (an installed package: pip wrote its bytecode) is left as it is.
    """
    compileall.compile_dir(package, quiet=2)


def render(job: RenderJob, debug_dir: Path) -> JobResult:
    """Execute, export and write one job; never raises for a problem of the job itself."""
    import papermill  # imported here: the parent process of a parallel run does not need it
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    kept = failed_notebook_path(debug_dir, job)
    with tempfile.TemporaryDirectory(prefix="report-") as scratch:
        executed = Path(scratch) / "executed.ipynb"
        try:
            # Written once at the end (and when a cell fails), not after every cell: nobody watches it run.
            notebook = papermill.execute_notebook(
                str(job.notebook), str(executed), parameters=dict(job.parameters), cwd=str(job.notebook.parent),
                progress_bar=False, log_output=False, execution_timeout=CELL_TIMEOUT_SECONDS, extra_arguments=KERNEL_ARGUMENTS,
                request_save_on_cell_execute=False,
            )
            html, headline = export_html(notebook, job.language)
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
    size = job.output.stat().st_size
    if job.companions is not None:
        try:
            job.companions(dict(job.parameters), job.output)
        except Exception as error:  # each document is written atomically: a failed one leaves the last good one
            return JobResult(job, False, time.perf_counter() - start, f"the report was written, its documents were not: {_one_sentence(error, type(None))}", size=size)
    return JobResult(job, True, time.perf_counter() - start, size=size)


def _one_sentence(error: Exception, execution_error: type) -> str:
    if isinstance(error, execution_error):
        if error.ename == "ReportParameterError":
            return str(error.evalue)
        return f"{error.ename}: {error.evalue} (cell {error.exec_count})"
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def job_fingerprint(job: RenderJob, source: str) -> str:
    """A hash of all a report depends on: notebook, parameters, language, input files, code."""
    digest = hashlib.sha256(source.encode())
    digest.update(json.dumps({"parameters": job.parameters, "language": job.language}, sort_keys=True, default=str).encode())
    digest_files(digest, [job.notebook, *job.inputs])
    return digest.hexdigest()


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # no manifest yet, or a damaged one: render everything
    return entries if isinstance(entries, dict) else {}


def run_jobs(
    jobs: Sequence[RenderJob], workers: int | None = None, debug_dir: Path | None = None, progress: Callable[[str], None] = print,
    manifest: Path | None = None,
) -> RunSummary:
    """Render ``jobs`` in ``workers`` parallel processes (default: one per core); results in job order.

    A failed job's executed notebook goes to ``debug_dir`` (default: reports/_failed/). With a
    ``manifest``, a job whose report on disk was rendered from the same inputs is skipped.
    SIGINT or SIGTERM stops the run within a second or two: jobs not started are dropped, running
    ones are killed with their kernels (``_render_in_workers``), and their results say so."""
    start = time.perf_counter()
    debug_dir = debug_dir or default_reports_dir() / FAILED_DIR_NAME
    results: dict[int, JobResult] = {}
    entries: dict[str, str] = {}
    fingerprints: list[str] = []  # stays empty if a signal comes first: the manifest is left as it was
    with StopSignals() as signals:
        try:
            signals.arm()
            entries = _read_manifest(manifest) if manifest else {}
            source = source_fingerprint() if manifest else ""
            fingerprints = [job_fingerprint(job, source) if manifest else "" for job in jobs]
            results.update({
                index: JobResult(job, True, 0.0, size=job.output.stat().st_size, skipped=True)
                for index, job in enumerate(jobs)
                if manifest and job.output.is_file() and entries.get(str(job.output)) == fingerprints[index]
            })
            todo = [index for index in range(len(jobs)) if index not in results]
            workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
            progress(f"Rendering {len(todo)} report(s), {workers} at a time…" + (f" ({len(results)} unchanged, skipped)" if results else ""))
            if todo:
                compile_package()
                _render_in_workers(signals, jobs, todo, workers, debug_dir, progress, results)
        except RunStopped as stop:
            for index, job in enumerate(jobs):
                results.setdefault(index, JobResult(job, False, 0.0, f"stopped by {stop.signal.name} before it finished", stopped=True))
        finally:
            signals.disarm()
    if manifest and fingerprints:
        for index, result in results.items():
            key = str(jobs[index].output)
            if result.ok:
                entries[key] = fingerprints[index]
            else:
                entries.pop(key, None)
        write_atomic(manifest, json.dumps(entries, indent=1, sort_keys=True))
    return RunSummary([results[index] for index in range(len(jobs))], time.perf_counter() - start, signals.received)


def _render_in_workers(
    signals: StopSignals, jobs: Sequence[RenderJob], todo: list[int], workers: int, debug_dir: Path, progress: Callable[[str], None],
    results: dict[int, JobResult],
) -> None:
    """Render ``jobs[todo]`` into ``results``. On ``RunStopped`` the workers and their kernels
    are killed and the temporary files of the running jobs removed (a report or document is
    renamed into place whole, so each one is either its earlier version or the new one) before
    it goes on up. Workers run every job, even a single one: a process can be killed at once, a
    kernel run in this process could not (nbclient takes over SIGINT and SIGTERM while it runs)."""
    with tempfile.TemporaryDirectory(prefix="report-run-") as scratch:
        pool: ProcessPoolExecutor | None = None
        futures: dict[Future[JobResult], int] = {}
        worker_ids: list[int] = []
        try:
            resource_tracker.ensure_running()  # started before the signals are held: starting it lets them through
            started_before = {process.pid for process in active_children()}
            with signals.held():  # the workers start with both signals blocked and take them from there
                pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(scratch,))
                futures = {pool.submit(render, jobs[index], debug_dir): index for index in todo}
                worker_ids = [process.pid for process in active_children() if process.pid not in started_before and process.pid]
            pending = set(futures)
            while pending:  # a short wait, not a blocking one: a signal handler runs at least this often
                finished, pending = wait(pending, timeout=SIGNAL_CHECK_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    results[futures[future]] = _result(future, jobs[futures[future]])
                    progress(_progress_line(len(results), len(jobs), results[futures[future]]))
            signals.disarm()  # every job has ended: a signal from here on is only reported
        except RunStopped as stop:
            progress(f"Stopped by {stop.signal.name}: ending the workers and their kernels…")
            running = [jobs[index] for future, index in futures.items() if future.running()]
            kill_process_trees(worker_ids)
            _remove_temporary_files(running)
            for future, index in futures.items():
                if index not in results and future.done() and not future.cancelled() and future.exception() is None:
                    results[index] = future.result()  # finished just before the signal
            raise
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def _start_worker(scratch: str) -> None:
    """Each worker's first act: signals to the runner, and every scratch file (the executed
    notebooks, the kernels' connection files) in the run's folder, which the runner removes
    even after it has killed the worker."""
    prepare_worker()
    tempfile.tempdir = scratch
    os.environ["JUPYTER_RUNTIME_DIR"] = scratch


def _remove_temporary_files(jobs: Sequence[RenderJob]) -> None:
    """The temporary files a killed job may have been writing: ``.<name>.<random>.tmp`` beside
    its report, for the report and every document named after it (helpers.report.export)."""
    for job in jobs:
        stem = job.output.name.removesuffix(".html")
        for temporary in job.output.parent.glob(f".{glob.escape(stem)}.*.tmp"):
            temporary.unlink(missing_ok=True)


def _result(future: Future[JobResult], job: RenderJob) -> JobResult:
    try:
        return future.result()
    except Exception as error:  # the worker process itself died
        return JobResult(job, False, 0.0, f"the worker process stopped: {error}")


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
    failed, unfinished = summary.failed, summary.unfinished
    skipped = sum(1 for result in summary.results if result.skipped)
    done = len(summary.results) - len(failed) - len(unfinished) - skipped
    unchanged = f" {skipped} unchanged (skipped)," if skipped else ""
    counts = f"{len(summary.results)} report(s) in {_seconds(summary.seconds)}: {done} rendered,{unchanged} {len(failed)} failed"
    if summary.stopped_by is None:
        lines = [f"{counts}."]
    else:
        lines = [f"Stopped by {summary.stopped_by.name}. {counts}, {len(unfinished)} not finished (each file is whole: its earlier version or the new one)."]
    for result in failed:
        lines.append(f"  FAILED {result.job.label}: {result.message}")
    if unfinished:
        lines.append(f"  NOT FINISHED: {printable(', '.join(result.job.label for result in unfinished), PRINTED_LABELS_LENGTH)}")
    return lines
