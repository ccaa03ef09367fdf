"""The monthly report's documents from one analysed month: the Word report and the Excel appendices."""

from __future__ import annotations

from pathlib import Path



from helpers.catalogue import WHOLE_PROVINCE
from helpers.documents.appendix import Layout, appendices
from helpers.documents.excel import write_appendix_workbook
from helpers.documents.profile import load_profile
from helpers.documents.word import OfficialDocument, write_official_docx
from helpers.messages import Messages, messages
from helpers.report.checks_view import headed_checks
from helpers.report.monthly.drafted import results_lines
from helpers.report.monthly.figures import indicators_present
from helpers.report.monthly.page import MonthlyReport
from helpers.report.toolkit import line

DOCUMENT_LANGUAGE = "vi"  # the office files its documents in Vietnamese


def low_indicators(report: MonthlyReport, m: Messages) -> list[str]:
    """The indicators whose whole-province rate is below the central target, by name."""
    whole = report.month.aggregates[report.month.aggregates["level"] == WHOLE_PROVINCE]
    catalogue = report.context.catalogue
    low = whole[whole["met_central"].astype("boolean").eq(False).fillna(False)]
    return [f"“{catalogue.indicator(indicator).name(m.language)}”" for indicator in catalogue.indicators if indicator in set(low["indicator"])]


def monthly_document(report: MonthlyReport) -> OfficialDocument:
    """The Word report: preamble and data source from the profile, section 1 as drafted, recommendations, Phụ lục."""
    m = messages(DOCUMENT_LANGUAGE)
    context = report.context
    profile = load_profile(context.workspace.documents_dir, report.province)
    count = f"{len(indicators_present(report.month.aggregates, context.catalogue)):02d}"
    year = int(report.period[:4])
    month_words = m("documents.word.month", month=report.period[5:7], year=year)
    sources = report.month.aggregates["provincial_source"].dropna()
    low = low_indicators(report, m)
    recommendation = (profile.recommendation if low else profile.recommendation_all_met).format(count=count, low_count=f"{len(low):02d}", names=m.join(low))
    layout = Layout.load(context.workspace.catalogue_dir / "appendix_layout.csv", context.catalogue, m)
    body = [
        line("text", profile.preamble.format(decision=str(sources.iloc[0]) if len(sources) else "", count=count, year=year)),
        line("text", profile.source_line.format(count=count, month=month_words)),
        *results_lines(report.draft_inputs, m),
        line("heading", m("documents.word.recommendations_heading")),
        line("text", recommendation),
        line("placeholder", m("documents.word.analyst_mark")),
    ]
    return OfficialDocument(
        profile=profile, kind=m("documents.word.report_kind"), number=profile.number,
        title=m("documents.word.title", number=count, month=month_words), body=body,
        appendices=appendices(report.month, context.catalogue, layout, m, report.period), year=year,
    )


def write_monthly_documents(report: MonthlyReport, docx_path: Path, xlsx_path: Path) -> None:
    """The Word report and the Excel appendices of the report's month."""
    m = messages(DOCUMENT_LANGUAGE)
    document = monthly_document(report)
    write_official_docx(docx_path, document, m)
    checks = headed_checks(report.analysis.month_checks, report.context.catalogue, m.language)
    write_appendix_workbook(xlsx_path, document.appendices, checks, m)
