"""What a report's process does once, before its first report: tell the garbage collector that
what the imports made is there to stay.

A report kernel has imported IPython, pandas, matplotlib, seaborn and helpers before it opens its
report: about 140,000 objects that live as long as the process. Python's full collection walks
every one of them: once during the report's work (50 ms) and again as the kernel exits (0.3 s of
CPU after the last cell, 0.065 s once frozen; benchmarks/optimisations.md). ``gc.freeze`` moves
them to a generation no collection walks. It is done once a process: objects made afterwards
(each report's frames and figures) are collected as before, and reference counting frees frozen
objects as before; only a reference cycle made before the first report and dropped later stays
in memory.
"""

from __future__ import annotations

import gc
from functools import cache


@cache  # once a process: what later reports make stays collectable
def settle_imports() -> None:
    gc.freeze()
