"""Time and peak memory of the demo-data generator (python -m helpers demo) at two sizes.

    .venv/bin/python benchmarks/demo_generation.py binh-dinh   # 12 months, one province, xlsx
    .venv/bin/python benchmarks/demo_generation.py national    # 24 months, 34 provinces, tidy Parquet

One scenario per process, so that the peak resident memory reported is that scenario's.
Measured on 2 cores (README "Demo data"): binh-dinh 2.3–3.5 s / 143 MB, national 13–16 s / 185 MB.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from helpers.demo import DemoSpec, generate_demo

SCENARIOS = {
    "binh-dinh": DemoSpec(),
    "national": DemoSpec.at_scale("national", months=24, output_format="tidy-parquet"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=list(SCENARIOS))
    spec = SCENARIOS[parser.parse_args().scenario]
    with tempfile.TemporaryDirectory() as directory:
        started = time.perf_counter()
        result = generate_demo(spec, Path(directory) / "data", progress=lambda _message: None)
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    units = sum(result.units_per_level.values())
    print(f"{len(result.provinces)} province(s) × {len(result.periods)} months, {units} units, {result.raw_files} files ({spec.output_format}): {elapsed:.1f} s generating, {peak_mb:.0f} MB peak")


if __name__ == "__main__":
    main()
