"""Where the monthly report's cost above the floor goes: its kernel's work by stage, CPU time,
in a fresh process as the notebook's cells run it (benchmarks/run.py, section ``floor``)."""

from __future__ import annotations

import time

SECTIONS = ("header", "summary", "drafted_text", "laggards", "attainment", "movers", "trends", "data_checks", "appendix", "headline")
STAGES = {
    "page": "report kernel, CPU: importing helpers.report.monthly.page",
    "open_report": "report kernel, CPU: open_report (parameters checked; the month read, evaluated and checked)",
    "laggards": "report kernel, CPU: the laggards section (its chart and table)",
    "attainment": "report kernel, CPU: the attainment section (its heatmap)",
    "other_sections": "report kernel, CPU: the other eight sections",
}


def kernel_stages(data_dir: str, province: str, month: str) -> dict[str, float]:
    """CPU seconds of each stage of the report's cells after the imports the floor makes too
    (pandas, matplotlib, seaborn), in the order they run."""
    import matplotlib  # noqa: F401
    import pandas  # noqa: F401
    import seaborn  # noqa: F401

    clock = time.process_time
    imported = clock()
    from helpers.report.monthly.page import open_report

    page_imported = clock()
    report = open_report(data_dir, province, month)
    opened = clock()
    seconds = {}
    for name in SECTIONS:
        before = clock()
        getattr(report, name)()
        seconds[name] = clock() - before
    other = sum(value for name, value in seconds.items() if name not in ("laggards", "attainment"))
    return {
        "page": page_imported - imported, "open_report": opened - page_imported,
        "laggards": seconds["laggards"], "attainment": seconds["attainment"], "other_sections": other,
    }
