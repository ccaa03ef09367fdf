"""The batch runner: execute notebooks with papermill, several at once, into HTML reports.

It knows nothing of what a notebook computes, nor of any kind of report: a ``RenderJob``
names a notebook, its parameters, the HTML file to write and a label for progress lines
(helpers.report.kinds makes them for each kind of report); ``run_jobs`` renders jobs in
parallel processes. A job that fails leaves every other job, and the report it would have
replaced, alone: HTML is written only after a clean run, through a temporary file. Its
executed notebook is kept in ``<reports>/_failed/<label>.ipynb`` for debugging.

A re-run renders only what changed: the manifest (``<reports>/.manifest.json``) keeps, per
report, a hash of its notebook, parameters, input files (``RenderJob.inputs``) and the helpers
package itself; a job whose report is on disk with the same hash is skipped, so a daily run
costs only the new day.
"""

from __future__ import annotations

import hashlib
import json
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

from helpers.messages import DEFAULT_LANGUAGE
from helpers.numbers import format_number
from helpers.paths import default_reports_dir
from helpers.report.export import export_html, write_atomic
from helpers.report.headline import sidecar_path, sidecar_text

FAILED_DIR_NAME = "_failed"
MANIFEST_NAME = ".manifest.json"
SOURCE_SUFFIXES = (".py", ".toml", ".j2", ".css")
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


def _digest_files(digest: hashlib._Hash, paths: Sequence[Path], suffixes: tuple[str, ...] = ()) -> None:
    """Every file of ``paths`` (a folder: its files, in name order) into ``digest``, name and bytes."""
    for path in paths:
        files = sorted(item for item in path.rglob("*") if item.is_file()) if path.is_dir() else [path] if path.is_file() else []
        for item in files:
            if suffixes and item.suffix not in suffixes:
                continue
            digest.update(str(item).encode() + b"\0" + item.read_bytes() + b"\0")


def source_fingerprint() -> str:
    """A hash of the helpers package: new code renders every report again."""
    digest = hashlib.sha256()
    _digest_files(digest, [Path(__file__).resolve().parents[1]], SOURCE_SUFFIXES)
    return digest.hexdigest()


def job_fingerprint(job: RenderJob, source: str) -> str:
    """A hash of all a report depends on: notebook, parameters, language, input files, code."""
    digest = hashlib.sha256(source.encode())
    digest.update(json.dumps({"parameters": job.parameters, "language": job.language}, sort_keys=True, default=str).encode())
    _digest_files(digest, [job.notebook, *job.inputs])
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
    ``manifest``, a job whose report on disk was rendered from the same inputs is skipped."""
    start = time.perf_counter()
    debug_dir = debug_dir or default_reports_dir() / FAILED_DIR_NAME
    entries = _read_manifest(manifest) if manifest else {}
    source = source_fingerprint() if manifest else ""
    fingerprints = [job_fingerprint(job, source) if manifest else "" for job in jobs]
    results: dict[int, JobResult] = {
        index: JobResult(job, True, 0.0, size=job.output.stat().st_size, skipped=True)
        for index, job in enumerate(jobs)
        if manifest and job.output.is_file() and entries.get(str(job.output)) == fingerprints[index]
    }
    todo = [index for index in range(len(jobs)) if index not in results]
    workers = max(1, min(workers or os.cpu_count() or 1, len(todo) or 1))
    progress(f"Rendering {len(todo)} report(s), {workers} at a time…" + (f" ({len(results)} unchanged, skipped)" if results else ""))
    done = len(results)
    if workers == 1:
        for index in todo:
            results[index] = render(jobs[index], debug_dir)
            done += 1
            progress(_progress_line(done, len(jobs), results[index]))
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = {pool.submit(render, jobs[index], debug_dir): index for index in todo}
            for future in as_completed(futures):
                index = futures[future]
                try:
                    results[index] = future.result()
                except Exception as error:  # the worker process itself died
                    results[index] = JobResult(jobs[index], False, 0.0, f"the worker process stopped: {error}")
                done += 1
                progress(_progress_line(done, len(jobs), results[index]))
    if manifest:
        for index, result in results.items():
            key = str(jobs[index].output)
            if result.ok:
                entries[key] = fingerprints[index]
            else:
                entries.pop(key, None)
        write_atomic(manifest, json.dumps(entries, indent=1, sort_keys=True))
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
    skipped = sum(1 for result in summary.results if result.skipped)
    done = len(summary.results) - len(summary.failed) - skipped
    unchanged = f" {skipped} unchanged (skipped)," if skipped else ""
    lines = [f"{len(summary.results)} report(s) in {_seconds(summary.seconds)}: {done} rendered,{unchanged} {len(summary.failed)} failed."]
    for result in summary.failed:
        lines.append(f"  FAILED {result.job.label}: {result.message}")
    return lines
