"""The documents the runner files beside each report, from the report's own parameters.

``reports/<province>/<YYYY-MM>.html`` gets ``.docx`` (the Word report with Phụ lục 1–3) and
``.xlsx`` (the appendices) in Vietnamese, the language the office files in, and in the report's
language the leadership digest ``.digest.html`` and ``.digest.txt`` (for Zalo or an e-mail).
A 766 report gets its workbook ``.xlsx`` and, in Vietnamese, the notice ``.docx``. Each file is written through a temporary file, so a
failure leaves the last good one; the runner reports it as the job's failure.
"""

from __future__ import annotations

from pathlib import Path

COMPANIONS = (".docx", ".xlsx", ".digest.html", ".digest.txt")


def companion_path(report: Path, suffix: str) -> Path:
    """``reports/binh_dinh/2024-02.html`` → ``reports/binh_dinh/2024-02<suffix>``."""
    return report.with_name(report.name.removesuffix(".html") + suffix)


def companions_of(report: Path) -> list[tuple[str, Path]]:
    """(suffix, path) of the documents present beside ``report``, in COMPANIONS order."""
    return [(suffix, path) for suffix in COMPANIONS if (path := companion_path(report, suffix)).is_file()]


def monthly_companions(parameters: dict[str, object], report: Path) -> list[Path]:
    # Imported here: the runner's parent process lists jobs without loading the report code.
    from helpers.documents.digest import leadership_digest
    from helpers.documents.monthly import DOCUMENT_LANGUAGE, write_monthly_documents
    from helpers.atomic import write_atomic
    from helpers.report.monthly.page import open_report

    opened = open_report(str(parameters["data_dir"]), str(parameters["province"]), str(parameters["month"]), str(parameters["language"]), int(parameters["laggards"]))  # type: ignore[call-overload]
    written = []
    if opened.language == DOCUMENT_LANGUAGE:
        docx, xlsx = companion_path(report, ".docx"), companion_path(report, ".xlsx")
        write_monthly_documents(opened, docx, xlsx)
        written += [docx, xlsx]
    digest = leadership_digest(opened)
    for suffix, text in ((".digest.html", digest.page()), (".digest.txt", digest.text())):
        write_atomic(companion_path(report, suffix), text)
        written.append(companion_path(report, suffix))
    return written


def index766_companions(parameters: dict[str, object], report: Path) -> list[Path]:
    from helpers.analysis.index766.analysis import analyse_index766
    from helpers.context import Context
    from helpers.documents.notice766 import DOCUMENT_LANGUAGE, write_notice
    from helpers.documents.workbook766 import write_index766_workbook
    from helpers.messages import messages

    context = Context.load(str(parameters["data_dir"]))
    analysis = analyse_index766(context, str(parameters["province"]), str(parameters["snapshot_date"]), str(parameters["period_kind"]), str(parameters["period"]))
    workbook = companion_path(report, ".xlsx")
    write_index766_workbook(workbook, analysis, messages(str(parameters["language"])))
    if parameters["language"] != DOCUMENT_LANGUAGE:
        return [workbook]
    notice = companion_path(report, ".docx")
    write_notice(notice, analysis, context.workspace.documents_dir, int(parameters["laggards"]))  # type: ignore[call-overload]
    return [workbook, notice]
