"""Benchmark of the 766 pipeline at national scale on synthetic data (helpers.index766.synthetic).

    .venv/bin/python benchmarks/bench_index766.py [--snapshots 12] [--seed 766]

Prints the wall time of each stage and the process's peak resident memory so far: generate 34 provinces,
~550 departments and ~3,300 communes with every sub-indicator; write them as portal JSON;
ingest them; score everything; analyse one province and draft its report. Measured, not
asserted: compare runs by eye or keep the output beside a change.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from helpers.context import Context
from helpers.index766 import analyse_index766, ingest_index766, load_rules, report, score
from helpers.index766.synthetic import generate, write_workspace
from helpers.paths import DEFAULT_DATA_DIR

T = TypeVar("T")


def measure(label: str, work: Callable[[], T]) -> T:
    # tracemalloc would slow the stages several-fold; the peak RSS (Linux: KiB) costs nothing.
    started = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<34} {elapsed:8.2f} s   peak RSS so far {peak:8.0f} MiB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--seed", type=int, default=766)
    arguments = parser.parse_args()
    rules = load_rules(DEFAULT_DATA_DIR / "catalogue")
    data = measure(f"generate ({arguments.snapshots} snapshots)", lambda: generate(rules, seed=arguments.seed, snapshots=arguments.snapshots))
    print(f"  {len(data.provinces)} provinces, {len(data.units)} units, {len(data.tidy):,} rows")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        measure("write portal JSON", lambda: write_workspace(data, root))
        shutil.copytree(DEFAULT_DATA_DIR / "catalogue", root / "catalogue")
        context = Context.load(root)
        done, failed = measure("ingest all provinces", lambda: ingest_index766(context.workspace, rules, context.registry, context.catalogue, progress=lambda _: None))
        assert not failed, failed
        measure("score the national table", lambda: score(data.tidy, rules, context.catalogue.settings))
        analysis = measure("analyse one province (latest)", lambda: analyse_index766(context, "syn_01", period_kind=None))
        measure("tables and draft text", lambda: (report.laggards_by_total(analysis), report.levers_table(analysis), report.draft_text(analysis)))


if __name__ == "__main__":
    main()
