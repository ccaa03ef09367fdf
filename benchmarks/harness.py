"""Measuring: wall time, peak memory of a whole process tree, machine load; and the results table.

Every figure of the suite is a ``Figure`` row: what was measured, its median over the runs, the
fastest and slowest run, the target it is held to and whether it met it. ``write_results``
turns the rows into benchmarks/results.csv and benchmarks/RESULTS.md.

Memory is the resident set size (RSS) summed over the process and all its descendants
(papermill's kernels, the runner's worker processes), sampled every 20 ms by a thread, plus the
exact high-water mark of this process itself (Linux ``VmHWM``, reset before each measurement).
Summed RSS counts pages shared between processes (libraries) once per process: it overstates
what the machine needs, never understates it.
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import psutil

T = TypeVar("T")
SAMPLE_SECONDS = 0.02
MIB = 1024 * 1024


def _reset_own_high_water_mark() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM, so the next reading is this measurement's peak."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _own_high_water_mark() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeMemory:
    """Peak summed RSS of a process and its descendants while the ``with`` block runs."""

    def __init__(self, pid: int | None = None) -> None:
        self.pid = pid or os.getpid()
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._own = self.pid == os.getpid()

    def _tree_rss(self) -> int:
        try:
            root = psutil.Process(self.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        return total

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._tree_rss())
            self._stop.wait(SAMPLE_SECONDS)

    def watch(self, pid: int) -> None:
        """Follow another process (a subprocess started after entering the block)."""
        self.pid, self._own = pid, False

    def __enter__(self) -> TreeMemory:
        if self._own:
            _reset_own_high_water_mark()
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self._own:
            self.peak = max(self.peak, _own_high_water_mark())


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    cpu_seconds: float = 0.0  # measure() only: CPU time, which a busy neighbour changes less than wall time


def cpu_seconds() -> float:
    """User and system CPU time of this process and of its children that have ended (a kernel)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(work: Callable[[], T]) -> tuple[T, Run]:
    """Run ``work`` in this process: its result, wall time and peak memory of this process tree,
    and the CPU time it took here and in the processes it started and ended."""
    with TreeMemory() as memory:
        started, cpu_started = time.perf_counter(), cpu_seconds()
        result = work()
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    return result, Run(seconds, memory.peak, cpu)


def measure_command(arguments: Sequence[str], cwd: Path | None = None) -> Run:
    """Run a command to completion: wall time and the peak memory of its whole process tree."""
    with TreeMemory() as memory:
        started = time.perf_counter()
        process = subprocess.Popen(list(arguments), cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        memory.watch(process.pid)
        output, _ = process.communicate()
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(arguments)} failed ({process.returncode}):\n{output[-3000:]}")
    return Run(seconds, memory.peak)


@dataclass
class Load:
    """The machine's load while something ran: 1-minute load average at its end, CPU busy share,
    and the share of CPU time the hypervisor gave to other machines ("steal": this machine is a
    virtual one on a shared host, and two busy vCPUs get less of it than one)."""

    load_average: float
    busy_percent: float
    steal_percent: float

    def text(self) -> str:
        return f"load {self.load_average:.1f}, CPU busy {self.busy_percent:.0f}%, stolen by the host {self.steal_percent:.0f}%"


class LoadWatch:
    """System-wide CPU use between start and stop: includes our own work and other sessions'."""

    def __enter__(self) -> LoadWatch:
        psutil.cpu_percent(None)
        self._times = psutil.cpu_times()
        return self

    def __exit__(self, *_exc: object) -> None:
        before, after = self._times, psutil.cpu_times()
        elapsed = sum(after) - sum(before)
        steal = getattr(after, "steal", 0.0) - getattr(before, "steal", 0.0)
        self.load = Load(os.getloadavg()[0], psutil.cpu_percent(None), 100 * steal / elapsed if elapsed > 0 else 0.0)


_COMPARISONS = {"≤": lambda value, limit: value <= limit, "<": lambda value, limit: value < limit, "≥": lambda value, limit: value >= limit}


@dataclass(frozen=True)
class Target:
    sign: str  # ≤, < or ≥
    limit: float
    unit: str = ""

    @property
    def text(self) -> str:  # "≤ 1.5×"
        return f"{self.sign} {self.limit:g}{self.unit}"

    def check(self, value: float) -> bool:
        return _COMPARISONS[self.sign](value, self.limit)


def at_most(limit: float, unit: str = "") -> Target:
    return Target("≤", limit, unit)


def below(limit: float, unit: str = "") -> Target:
    return Target("<", limit, unit)


def at_least(limit: float, unit: str = "") -> Target:
    return Target("≥", limit, unit)


@dataclass
class Figure:
    section: str
    measure: str
    unit: str
    values: list[float]
    target: Target | None = None
    note: str = ""

    @property
    def value(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    @property
    def met(self) -> str:
        if self.target is None:
            return ""
        return "met" if self.target.check(self.value) else "MISSED"


@dataclass
class Results:
    figures: list[Figure] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # section -> lines for RESULTS.md
    measured: dict[str, str] = field(default_factory=dict)  # section -> when, at which commit

    def to_json(self) -> dict[str, object]:
        figures = [{**asdict(figure), "target": asdict(figure.target) if figure.target else None} for figure in self.figures]
        return {"figures": figures, "notes": self.notes, "measured": self.measured}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Results:
        figures = [Figure(**{**item, "target": Target(**item["target"]) if item["target"] else None}) for item in data["figures"]]
        return cls(figures, data["notes"], data["measured"])

    def keep(self, sections: Sequence[str], earlier: Results) -> None:
        """Take ``sections`` (those not run this time) from an earlier run, in the suite's order."""
        self.figures += [figure for figure in earlier.figures if figure.section in sections]
        for section in sections:
            if section in earlier.notes:
                self.notes[section] = earlier.notes[section]
            if section in earlier.measured:
                self.measured[section] = earlier.measured[section]

    def keep_part(self, section: str, prefix: str, earlier: Results) -> None:
        """Take the figures and notes of ``section`` whose text starts with ``prefix`` (a part of
        it not run this time) from an earlier run, saying when they were measured."""
        figures = [figure for figure in earlier.figures if figure.section == section and figure.measure.startswith(prefix)]
        if not figures:
            return
        self.figures += figures
        kept = f"{prefix}: figures kept from the run "
        lines = [line for line in earlier.notes.get(section, []) if line.startswith(prefix)]
        # Kept twice, they still say the run that measured them.
        when = next((line for line in lines if line.startswith(kept)), f"{kept}{earlier.measured.get(section, 'before')}.")
        self.notes.setdefault(section, []).extend([*(line for line in lines if not line.startswith(kept)), when])

    def add(self, section: str, measure: str, unit: str, values: float | Sequence[float], target: Target | None = None, note: str = "") -> Figure:
        figure = Figure(section, measure, unit, [float(values)] if isinstance(values, (int, float)) else [float(value) for value in values], target, note)
        self.figures.append(figure)
        print(f"  {measure}: {_number(figure.value, unit)} {unit}" + (f" (runs {_spread(figure)})" if len(figure.values) > 1 else "")
              + (f" target {target.text}: {figure.met}" if target else "") + (f" — {note}" if note else ""), flush=True)
        return figure

    def note(self, section: str, line: str) -> None:
        self.notes.setdefault(section, []).append(line)


def _number(value: float, unit: str) -> str:
    if unit in ("MiB", "KB", "rows", "units", "reports"):
        return f"{value:,.0f}"
    if unit in ("×",):
        return f"{value:.2f}"
    return f"{value:.2f}"


def _spread(figure: Figure) -> str:
    return f"{len(figure.values)}: {_number(figure.low, figure.unit)}–{_number(figure.high, figure.unit)}"


CSV_COLUMNS = ["section", "measure", "unit", "median", "min", "max", "runs", "target", "met", "note"]


def write_csv(results: Results, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for figure in results.figures:
            writer.writerow([
                figure.section, figure.measure, figure.unit, f"{figure.value:.4g}", f"{figure.low:.4g}", f"{figure.high:.4g}",
                len(figure.values), figure.target.text if figure.target else "", figure.met, figure.note,
            ])


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def figure_cells(figure: Figure) -> list[str]:
    if len(figure.values) > 1:
        spread = f"{_number(figure.low, figure.unit)}–{_number(figure.high, figure.unit)} ({len(figure.values)} runs)"
    else:  # a ratio of two measured medians, a file's size, or one timed run
        spread = {"×": "ratio", "KB": "size"}.get(figure.unit, "1 run")
    return [figure.measure, f"{_number(figure.value, figure.unit)} {figure.unit}", spread, figure.target.text if figure.target else "", figure.met, figure.note]


def machine_lines() -> list[str]:
    memory = psutil.virtual_memory().total / 1024**3
    model = ""
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import matplotlib
    import pandas

    return [
        f"- Machine: {os.cpu_count()} cores ({model or 'unknown CPU'}), {memory:.0f} GiB memory, shared with other sessions.",
        f"- Python {sys.version.split()[0]}, pandas {pandas.__version__}, matplotlib {matplotlib.__version__}.",
    ]


def git_commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
