"""Command line: ``python -m helpers <command>``; ``--help`` on each command says more."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from .checks import severity_label, summary_counts
from .context import Context, analyse_month
from .errors import InputError
from .index766 import analyse_index766, ingest_index766, load_rules
from .index766.report import group_table, title
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

    index766 = commands.add_parser("index766", help="read the 766 index files (data/raw/<province>/766/) into data/processed/ and print each province's latest snapshot")
    _data_dir_argument(index766)
    index766.add_argument("--province", action="append", help="only this province id (repeatable)")
    index766.add_argument("--language", choices=("vi", "en"), default="vi")
    return parser


def _print_index766(context: Context, province: str, language: str) -> None:
    analysis = analyse_index766(context, province, period_kind=None)
    print("\n" + title(analysis, language).replace("# ", "").replace("**", ""))
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(group_table(analysis, language).to_string(index=False))
    counts = summary_counts(analysis.checks)
    print("Kiểm tra số liệu: " if language == "vi" else "Data checks: ", end="")
    print(", ".join(f"{count} {severity_label(severity, language).lower()}" for severity, count in counts.items()))


def _print_summary(context: Context, province: str, period: str, language: str) -> None:
    analysis = analyse_month(context, province, period)
    print(f"\n{context.registry.province_name(province)} — {month_label(period, language)}")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 60):
        print(summary_table(analysis.month.aggregates, context.catalogue, language).to_string(index=False))
    counts = summary_counts(analysis.month_checks)
    print("Kiểm tra số liệu: " if language == "vi" else "Data checks: ", end="")
    print(", ".join(f"{count} {severity_label(severity, language).lower()}" for severity, count in counts.items()))


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
        if arguments.command == "index766":
            rules = load_rules(context.workspace.catalogue_dir)
            done766, failed766 = ingest_index766(context.workspace, rules, context.registry, context.catalogue, arguments.province)
            if not done766 and not failed766:
                print(f"No 766 files found under {context.workspace.display(context.workspace.raw_dir)}/<province>/766/", file=sys.stderr)
                return 1
            for ingested in done766:
                _print_index766(context, ingested.province, arguments.language)
            return 1 if failed766 else 0
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
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    return 2
