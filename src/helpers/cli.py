"""Command line: ``python -m helpers <command>``; ``--help`` on each command says more."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from .checks import severity_label, summary_counts
from .context import Context, analyse_month
from .errors import InputError
from .ingest import ingest_all
from .periods import check_period, month_label
from .tables import summary_table


def _data_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=None, help="data directory with units/, raw/ (default: the bundled data/)")


def _months(text: str) -> list[str]:
    try:
        return [check_period(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="read raw monthly tables into data/processed/ (all months unless chosen)")
    _data_dir_argument(ingest)
    ingest.add_argument("--province", action="append", help="only this province id (repeatable)")
    ingest.add_argument("--months", type=_months, help="only these months, comma-separated YYYY-MM")
    ingest.add_argument("--summary", action="store_true", help="print each ingested month's indicator summary")

    summary = commands.add_parser("summary", help="print a processed month's indicator summary and data-check counts")
    _data_dir_argument(summary)
    summary.add_argument("--province", required=True)
    summary.add_argument("--month", required=True, type=check_period)
    summary.add_argument("--language", choices=("vi", "en"), default="vi")

    checks = commands.add_parser("checks", help="print a processed month's data-check table")
    _data_dir_argument(checks)
    checks.add_argument("--province", required=True)
    checks.add_argument("--month", required=True, type=check_period)
    checks.add_argument("--language", choices=("vi", "en"), default="vi")

    report = commands.add_parser(
        "report", help="render the monthly HTML reports with papermill (every ingested month unless chosen) and reports/index.html"
    )
    _data_dir_argument(report)
    report.add_argument("--province", action="append", help="only this province id (repeatable; default: every province with data)")
    report.add_argument("--months", help="months to render: 2024-01,2024-03 or a range 2024-01..2024-06 (default: every month with data)")
    report.add_argument("--language", choices=("vi", "en"), default="vi")
    report.add_argument("--laggards", type=_positive, default=5, help="units below target shown per indicator (default 5)")
    report.add_argument("--jobs", type=_positive, default=None, help="reports rendered in parallel (default: one per core)")
    report.add_argument("--output-dir", default=None, help="where reports and index.html go (default: reports/)")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


def _print_summary(context: Context, province: str, period: str, language: str) -> None:
    analysis = analyse_month(context, province, period)
    print(f"\n{context.registry.province_name(province)} — {month_label(period, language)}")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 60):
        print(summary_table(analysis.month.aggregates, context.catalogue, language).to_string(index=False))
    counts = summary_counts(analysis.month_checks)
    print("Kiểm tra số liệu: " if language == "vi" else "Data checks: ", end="")
    print(", ".join(f"{count} {severity_label(severity, language).lower()}" for severity, count in counts.items()))


def _render_reports(context: Context, arguments: argparse.Namespace) -> int:
    # Imported here: ingest and summary need neither papermill nor nbconvert.
    from .report.batch import DEFAULT_REPORTS_DIR, FAILED_DIR_NAME, monthly_jobs, run_jobs, summary_lines
    from .report.index_page import write_index

    reports_dir = Path(arguments.output_dir).resolve() if arguments.output_dir else DEFAULT_REPORTS_DIR
    jobs = monthly_jobs(context, arguments.province, arguments.months, arguments.language, arguments.laggards, reports_dir)
    summary = run_jobs(jobs, arguments.jobs, reports_dir / FAILED_DIR_NAME, progress=lambda line: print(line, flush=True))
    index = write_index(reports_dir, arguments.language)
    for line in summary_lines(summary):
        print(line)
    print(f"Index of every report: {context.workspace.display(index)}")
    return 1 if summary.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        context = Context.load(arguments.data_dir)
        if arguments.command == "ingest":
            done, failed = ingest_all(context.workspace, context.catalogue, context.registry, arguments.province, arguments.months)
            if not done and not failed:
                print(f"No raw months found under {context.workspace.display(context.workspace.raw_dir)}/<province>/<YYYY-MM>/", file=sys.stderr)
                return 1
            if arguments.summary:
                for month in done:
                    _print_summary(context, month.province, month.period, "vi")
            if failed:
                print(f"\n{len(failed)} of {len(done) + len(failed)} month(s) failed: " + ", ".join(f"{month.province} {month.period}" for month, _ in failed), file=sys.stderr)
                return 1
            return 0
        if arguments.command == "summary":
            _print_summary(context, arguments.province, arguments.month, arguments.language)
            return 0
        if arguments.command == "checks":
            analysis = analyse_month(context, arguments.province, arguments.month)
            table = analysis.month_checks
            message = "message_vi" if arguments.language == "vi" else "message_en"
            shown = table.assign(severity=table["severity"].map(lambda value: severity_label(value, arguments.language)))
            with pd.option_context("display.width", 250, "display.max_colwidth", 120, "display.max_rows", 500):
                print(shown[["severity", "unit_name", "indicator", "location", message]].to_string(index=False))
            return 0
        if arguments.command == "report":
            return _render_reports(context, arguments)
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 2
