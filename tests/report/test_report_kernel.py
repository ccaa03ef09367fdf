"""A report's process freezes what its imports made, once: objects made by each report stay
collectable (helpers.report.kernel)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from report_data import BUNDLED_MONTH, PROVINCE

OPEN_TWICE = """
import gc, sys
from helpers.report.monthly.page import open_report
data_dir, province, month = sys.argv[1:4]
assert gc.get_freeze_count() == 0
report = open_report(data_dir, province, month)
first = gc.get_freeze_count()
report.laggards()  # a report's frames and figures, made after the freeze, still alive in report
open_report(data_dir, province, month)
print(first, gc.get_freeze_count())
"""


def test_the_first_report_of_a_process_freezes_the_imports_and_the_next_freezes_nothing(bundled_data: Path) -> None:
    done = subprocess.run([sys.executable, "-c", OPEN_TWICE, str(bundled_data), PROVINCE, BUNDLED_MONTH], capture_output=True, text=True, check=True)
    first, second = map(int, done.stdout.split())
    assert first > 50_000  # pandas, matplotlib, seaborn and helpers: tens of thousands of objects
    assert second <= first  # nothing frozen again (frozen objects freed by reference counting leave the count)
