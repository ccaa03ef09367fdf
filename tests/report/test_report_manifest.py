"""The runner's manifest: a re-run skips every report whose notebook, parameters, inputs and
code are unchanged, and renders again the one whose data changed."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from helpers.report.batch import MANIFEST_NAME, RenderJob, job_fingerprint, run_jobs, source_fingerprint, summary_lines


def _notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    parameters = nbformat.v4.new_code_cell('word = "x"\ndata = ""')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, nbformat.v4.new_code_cell('print(word, open(data).read())')]
    nbformat.write(notebook, path)
    return path


def _job(tmp_path: Path, word: str = "một") -> RenderJob:
    data = tmp_path / "data" / "figures.txt"
    return RenderJob(f"note {word}", _notebook(tmp_path / "note.ipynb"), {"word": word, "data": str(data)}, tmp_path / "reports" / f"{word}.html", inputs=(data.parent,))


def test_the_fingerprint_follows_parameters_inputs_and_code(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "figures.txt").write_text("1", encoding="utf-8")
    job, source = _job(tmp_path), source_fingerprint()
    first = job_fingerprint(job, source)
    assert job_fingerprint(job, source) == first
    assert job_fingerprint(_job(tmp_path, "hai"), source) != first
    assert job_fingerprint(job, "other code") != first
    (tmp_path / "data" / "figures.txt").write_text("2", encoding="utf-8")
    assert job_fingerprint(job, source) != first


@pytest.mark.slow
def test_a_rerun_with_nothing_changed_renders_nothing(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "figures.txt").write_text("1", encoding="utf-8")
    manifest = tmp_path / "reports" / MANIFEST_NAME
    jobs = [_job(tmp_path, "một"), _job(tmp_path, "hai")]
    first = run_jobs(jobs, workers=1, progress=lambda _line: None, manifest=manifest)
    assert [result.ok and not result.skipped for result in first.results] == [True, True]
    assert set(json.loads(manifest.read_text(encoding="utf-8"))) == {str(job.output) for job in jobs}
    again = run_jobs(jobs, workers=1, progress=lambda _line: None, manifest=manifest)
    assert [result.skipped for result in again.results] == [True, True]
    assert "0 rendered, 2 unchanged (skipped), 0 failed." in summary_lines(again)[0]
    (tmp_path / "data" / "figures.txt").write_text("2", encoding="utf-8")
    jobs[1].output.unlink()
    changed = run_jobs(jobs, workers=1, progress=lambda _line: None, manifest=manifest)
    assert [result.skipped for result in changed.results] == [False, False] and "2" in jobs[0].output.read_text(encoding="utf-8")
    assert [result.skipped for result in run_jobs(jobs, workers=1, progress=lambda _line: None, manifest=manifest).results] == [True, True]
