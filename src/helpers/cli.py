"""Command line: ``python -m helpers <command>``; ``--help`` on each command says more."""

from __future__ import annotations

import argparse
import gc
import signal
import sys
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

import pandas as pd

from helpers.analysis.index766.analysis import analyse_index766
from helpers.analysis.monthly.checks import SEVERITIES, summary_counts
from helpers.analysis.monthly.month import analyse_month
from helpers.context import Context
from helpers.demo.monthly import generate_demo
from helpers.demo.monthly.spec import OUTPUT_FORMATS, SCALES, DemoSpec
from helpers.errors import InputError
from helpers.ingest.index766 import IngestedIndex766, failed_files, ingest_index766
from helpers.ingest.manifest import IngestManifest, ingest_index766_changed
from helpers.ingest.monthly import ingest_all
from helpers.messages import DEFAULT_LANGUAGE, LANGUAGES, messages
from helpers.paths import default_reports_dir
from helpers.periods import check_period
from helpers.report.checks_view import describe_checks
from helpers.report.console import summary_table
from helpers.report.index766.tables import group_table, subtitle, title
from helpers.report.kinds import Selection, country_kinds, plan, province_kinds
from helpers.report.params import ReportParameterError
from helpers.rules766 import load_rules
from helpers.text import printable


def _data_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", default=None, help="data directory with units/, raw/ (default: $DVC_DATA_DIR, else the project's data/, else ./data)")


def _months(text: str) -> list[str]:
    try:
        return [check_period(part) for part in text.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _month(text: str) -> str:
    try:
        return check_period(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser(
        "ingest", help="read raw monthly tables and 766 index files into data/processed/ (all unless chosen; --months: monthly tables only)"
    )
    _data_dir_argument(ingest)
    ingest.add_argument("--province", action="append", help="only this province id (repeatable)")
    ingest.add_argument("--months", type=_months, help="only these months, comma-separated YYYY-MM")
    ingest.add_argument("--summary", action="store_true", help="print each ingested month's indicator summary")
    ingest.add_argument("--force", action="store_true",
                        help="read every raw folder again, even those whose files, catalogue, unit registry and code are unchanged since they were ingested")

    summary = commands.add_parser("summary", help="print a processed month's indicator summary and data-check counts")
    _data_dir_argument(summary)
    summary.add_argument("--province", required=True)
    summary.add_argument("--month", required=True, type=_month)
    summary.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE)

    checks = commands.add_parser("checks", help="print a processed month's data-check table")
    _data_dir_argument(checks)
    checks.add_argument("--province", required=True)
    checks.add_argument("--month", required=True, type=_month)
    checks.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE)

    demo = commands.add_parser(
        "demo",
        help="write a synthetic data directory (fictional provinces, labelled so) that the other commands read",
        description="Write a self-contained synthetic data directory: units/, catalogue/, raw/<province>/<YYYY-MM>/ "
        "and demo.json. Same seed and parameters, same data. Defaults: one 3-level province of Bình Định's size "
        "(18 departments, 11 districts, 159 communes summed per district), 12 months from 2024-01, xlsx.",
    )
    demo.add_argument("--out", required=True, help="the directory to create (must be new or empty; see --force)")
    demo.add_argument("--scale", choices=list(SCALES), default="binh-dinh",
                      help="starting point: binh-dinh (default) or national (34 provinces, 2 levels, 16 departments and 98 communes each)")
    demo.add_argument("--provinces", type=int, help="number of provinces, 1 to 34")
    demo.add_argument("--levels", type=int, choices=(2, 3), help="3 = tỉnh/huyện/xã (before 7/2025), 2 = tỉnh/xã (from 7/2025)")
    demo.add_argument("--departments", type=int, help="departments (sở, ban, ngành) per province")
    demo.add_argument("--districts", type=int, help="districts per province (3 levels only)")
    demo.add_argument("--communes", type=int, help="communes per province (3 levels: summed into one row per district)")
    demo.add_argument("--months", type=int, help="number of months (default 12)")
    demo.add_argument("--start", type=_month, help="first month YYYY-MM (default 2024-01 for 3 levels, 2025-07 for 2)")
    demo.add_argument("--seed", type=int, help="random seed (default 1)")
    demo.add_argument("--format", dest="output_format", choices=OUTPUT_FORMATS,
                      help="xlsx appendix workbooks (default), csv appendix files, or tidy-parquet (fastest, for national runs)")
    demo.add_argument("--messy", action="store_true", help="add the problems real tables have, for the data checks to find")
    demo.add_argument("--force", action="store_true", help="replace the output directory of an earlier demo run")
    demo.add_argument("--catalogue", help="catalogue directory whose indicators to simulate (default: the bundled one)")

    index766 = commands.add_parser("index766", help="read the 766 index files (data/raw/<province>/766/) into data/processed/ and print each province's latest snapshot")
    _data_dir_argument(index766)
    index766.add_argument("--province", action="append", help="only this province id (repeatable)")
    index766.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE)

    kinds = [kind.name for kind in province_kinds()]
    report = commands.add_parser(
        "report", help=f"render the HTML reports with papermill ({' and '.join(kinds)}; everything ingested unless chosen) and reports/index.html"
    )
    _data_dir_argument(report)
    report.add_argument("--kind", action="append", choices=kinds, help=f"{' or '.join(kinds)} (repeatable; default: all)")
    report.add_argument("--province", action="append", help="only this province id (repeatable; default: every province with data)")
    report.add_argument("--months", help="monthly reports to render: 2024-01,2024-03 or a range 2024-01..2024-06 (default: every month with data)")
    report.add_argument("--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE)
    report.add_argument("--laggards", type=_positive, default=5, help="units shown per indicator (766: per level or group) (default 5)")
    report.add_argument("--jobs", type=_positive, default=None, help="reports rendered in parallel (default: one per core)")
    report.add_argument("--output-dir", default=None, help="where reports and index.html go (default: reports/)")
    report.add_argument("--force", action="store_true", help="render every report, even those whose notebook, parameters, data and code are unchanged")
    report.add_argument("--national", action="store_true",
                        help="render the national summary instead: every province with data, one report per month (reports/toan_quoc/)")
    return parser


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {text!r}")
    return int(text)


DEMO_PARAMETERS = ("provinces", "levels", "departments", "districts", "communes", "months", "start", "seed", "output_format")


def _run_demo(arguments: argparse.Namespace) -> int:
    chosen = {name: getattr(arguments, name) for name in DEMO_PARAMETERS if getattr(arguments, name) is not None}
    spec = DemoSpec.at_scale(arguments.scale, messy=arguments.messy, **chosen)
    started = time.perf_counter()
    result = generate_demo(spec, arguments.out, force=arguments.force, catalogue_dir=Path(arguments.catalogue) if arguments.catalogue else None)
    levels = ", ".join(f"{level} {count}" for level, count in result.units_per_level.items())
    print(
        f"Wrote synthetic data (dữ liệu mô phỏng) to {result.out}: {len(result.provinces)} province(s), "
        f"{result.periods[0]} to {result.periods[-1]}, units {levels}, {result.raw_files} raw file(s), "
        f"{time.perf_counter() - started:.1f} s.\nNext: python -m helpers ingest --data-dir {result.out}"
    )
    return 0



def _print_index766(context: Context, province: str, language: str) -> None:
    analysis = analyse_index766(context, province, period_kind=None)
    print(f"\n{title(analysis, language)}\n{subtitle(analysis, language)}")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(group_table(analysis, language).to_string(index=False))
    print(_check_counts(summary_counts(analysis.checks), language))


def _print_summary(context: Context, province: str, period: str, language: str) -> None:
    analysis = analyse_month(context, province, period)
    print(f"\n{context.registry.province_name(province)} — {messages(language).month(period)}")
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.max_colwidth", 60):
        print(summary_table(analysis.month.aggregates, context.catalogue, language).to_string(index=False))
    print(_check_counts(summary_counts(analysis.month_checks), language))


def _print_checks(context: Context, province: str, period: str, language: str) -> None:
    shown = describe_checks(analyse_month(context, province, period).month_checks, context.catalogue, language)
    with pd.option_context("display.width", 250, "display.max_colwidth", 120, "display.max_rows", 500):
        print(shown[["severity", "unit", "indicator", "location", "message"]].to_string(index=False))


def _check_counts(counts: dict[str, int], language: str) -> str:
    """``Kiểm tra số liệu: 0 sai số liệu, 26 cần xem lại, 3 lưu ý``."""
    m = messages(language)
    return m("runner.cli.data_checks", counts=", ".join(f"{m.number(counts[severity])} {m(f'common.severity.{severity}').lower()}" for severity in SEVERITIES))


def _render_reports(context: Context, arguments: argparse.Namespace) -> int:
    # Imported here: ingest and summary need neither papermill nor nbconvert.
    from helpers.report.batch import FAILED_DIR_NAME, MANIFEST_NAME, run_jobs, summary_lines
    from helpers.report.index_page import write_index

    reports_dir = Path(arguments.output_dir).resolve() if arguments.output_dir else default_reports_dir()
    if arguments.national and (arguments.province or arguments.kind):
        raise ReportParameterError("--national covers every province with data and only the monthly indicators; leave out --province and --kind")
    if arguments.national:
        kinds = country_kinds()
    else:
        kinds = [kind for kind in province_kinds() if not arguments.kind or kind.name in arguments.kind]
    selection = Selection(tuple(arguments.province) if arguments.province else None, arguments.months, arguments.language, arguments.laggards)
    jobs = plan(kinds, context, selection, reports_dir)
    if not jobs:
        raise ReportParameterError(f"there is nothing to render in {context.workspace.display(context.workspace.processed_dir)}; run `python -m helpers ingest` first")
    manifest = None if arguments.force else reports_dir / MANIFEST_NAME
    summary = run_jobs(jobs, arguments.jobs, reports_dir / FAILED_DIR_NAME, progress=lambda line: print(line, flush=True), manifest=manifest)
    index = write_index(reports_dir, arguments.language)  # also after a stop: it lists the reports there are
    for line in summary_lines(summary):
        print(line)
    print(f"Index of every report: {context.workspace.display(index)}")
    if summary.stopped_by is not None:
        # Nothing is left to collect: the interpreter's last collection, through every object
        # imported, would take as long again as the whole stop on a busy machine (≈1 s).
        gc.freeze()
        return 128 + summary.stopped_by  # what a shell reports for a process ended by that signal
    return 1 if summary.failed else 0


def _ingest(context: Context, arguments: argparse.Namespace) -> int:
    """Monthly tables (raw/<province>/<YYYY-MM>/) and 766 index files (raw/<province>/766/); a
    folder unchanged since it was ingested is not read again (helpers.ingest.manifest)."""
    manifest = IngestManifest.load(context.workspace, force=arguments.force)
    done, failed = ingest_all(context.workspace, context.catalogue, context.registry, arguments.province, arguments.months, manifest=manifest)
    done766: list[object] = []  # provinces ingested or unchanged
    ingested766: list[IngestedIndex766] = []
    failed766: list[tuple[str, InputError]] = []
    if not arguments.months:
        rules = load_rules(context.workspace.catalogue_dir)
        ingested766, failed766, unchanged766 = ingest_index766_changed(context.workspace, rules, context.registry, context.catalogue, manifest, arguments.province)
        done766 = [*ingested766, *unchanged766]
    manifest.save()
    if not (done or failed or done766 or failed766):
        raw = context.workspace.display(context.workspace.raw_dir)
        print(f"No raw data found under {raw}/<province>/<YYYY-MM>/ or {raw}/<province>/766/", file=sys.stderr)
        return 1
    if arguments.summary:
        for month in done:
            _print_summary(context, month.province, month.period, DEFAULT_LANGUAGE)
    problems = [label for label, _ in failed] + [f"{province} 766" for province, _ in failed766]
    problems += [f"{ingested.province} 766 {PurePosixPath(name).name}" for ingested in ingested766 for name in failed_files(ingested)]
    if problems:
        print(f"\nFailed ({len(problems)}): {printable(', '.join(printable(label) for label in problems), 2000)}. "
              f"Ingested all the same: {len(done)} month(s), {len(done766)} province(s) of the 766 index.", file=sys.stderr)
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    if arguments.command == "demo":
        try:
            return _run_demo(arguments)
        except (ValueError, OSError) as error:
            print(f"Error: {error}", file=sys.stderr)
            return 1
    try:
        context = Context.load(arguments.data_dir)
        if arguments.command == "ingest":
            return _ingest(context, arguments)
        if arguments.command == "index766":
            rules = load_rules(context.workspace.catalogue_dir)
            done766, failed766 = ingest_index766(context.workspace, rules, context.registry, context.catalogue, arguments.province)
            if not done766 and not failed766:
                print(f"No 766 files found under {context.workspace.display(context.workspace.raw_dir)}/<province>/766/", file=sys.stderr)
                return 1
            for ingested in done766:
                _print_index766(context, ingested.province, arguments.language)
            return 1 if failed766 or any(ingested.left_out for ingested in done766) else 0
        if arguments.command == "summary":
            _print_summary(context, arguments.province, arguments.month, arguments.language)
            return 0
        if arguments.command == "checks":
            _print_checks(context, arguments.province, arguments.month, arguments.language)
            return 0
        if arguments.command == "report":
            return _render_reports(context, arguments)
    except InputError as error:
        print(error, file=sys.stderr)
        return 1
    except ValueError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C outside a batch of reports (a batch stops on its own and says so)
        print("Stopped by SIGINT.", file=sys.stderr)
        return 128 + signal.SIGINT
    return 2
