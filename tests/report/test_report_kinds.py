"""The registry of report kinds drives the runner, the command line and the index page: a kind
registered here, which helpers.report.batch has never heard of, is listed, rendered and indexed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nbformat
import pytest
from bs4 import BeautifulSoup

from helpers.cli import main
from helpers.context import Context
from helpers.report import batch, kinds
from helpers.report.batch import FAILED_DIR_NAME, run_jobs
from helpers.report.headline import read_sidecar, sidecar_path
from helpers.report.index_page import write_index
from helpers.report.kinds import INDEX766, MONTHLY, ReportKind, Selection, plan
from helpers.report.params import ReportParameterError, notebook_parameters


@dataclass(frozen=True)
class LetterParameters:
    """The parameter model of a kind of report made up for these tests: a letter to a province."""

    province: str
    greeting: str = "Kính gửi"
    language: str = "vi"
    laggards: int = 5

    @classmethod
    def check(cls, context: Context, province: str, greeting: str = "Kính gửi", language: str = "vi", laggards: int = 5) -> LetterParameters:
        if not context.registry.has_province(province):
            raise ReportParameterError(f"unknown province {province!r}")
        return cls(province, greeting, language, laggards)


LETTER_CELLS = [
    'from helpers.report.headline import Headline\nfrom helpers.report.html import render\nfrom helpers.report.toolkit import Sections',
    'sections = Sections()\ndisplay(sections.section("letter", f"{greeting} {province}", "", render("fragments/paragraph.html.j2", text="<thư>", css="")))',
    'Headline(kind="letter", kind_label="Thư", title=f"Thư gửi {province}", province=province, province_name=province, period="2024-02", language=language)',
]


def _letter_notebook(path: Path) -> Path:
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    parameters = 'province = ""\ngreeting = ""\ndata_dir = ""\nlanguage = "vi"\nlaggards = 5'
    notebook.cells = [nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]})] + [nbformat.v4.new_code_cell(source) for source in LETTER_CELLS]
    nbformat.write(notebook, path)
    return path


def _letters(context: Context, selection: Selection) -> list[LetterParameters]:
    return [LetterParameters.check(context, province, language=selection.language) for province in selection.provinces or ("binh_dinh",)]


def _letter_kind(notebook: Path) -> ReportKind[LetterParameters]:
    return ReportKind(
        name="letter", notebook=notebook, parameters=LetterParameters, reports=_letters,
        output=lambda chosen: PurePosixPath(chosen.province, "letter.html"), label=lambda chosen: f"{chosen.province} letter",
        heading="runner.index.snapshot",  # any message: the index heads the kind's reports with it
        provinces=lambda context: ["binh_dinh"],
    )


@pytest.fixture
def letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ReportKind[LetterParameters]:
    kind = _letter_kind(_letter_notebook(tmp_path / "letter.ipynb"))
    monkeypatch.setitem(kinds.KINDS, kind.name, kind)
    return kind


def test_the_runner_knows_no_kind_of_report():
    source = Path(batch.__file__).read_text(encoding="utf-8")
    assert not re.search(r"monthly|national|766|province|month\b", source, re.IGNORECASE)


def test_registry_order_is_the_index_order_and_kinds_are_named_once():
    assert list(kinds.KINDS) == ["monthly", "national", "index766"]
    assert [kind.name for kind in kinds.province_kinds()] == ["monthly", "index766"]
    assert [kind.name for kind in kinds.country_kinds()] == ["national"]


def test_a_job_carries_the_notebook_parameters_of_its_model(bundled_data: Path, tmp_path: Path, letter: ReportKind[LetterParameters]):
    (job,) = letter.jobs(Context.load(bundled_data), Selection(("binh_dinh",), language="en"), tmp_path)
    assert (job.label, job.notebook, job.output, job.language) == ("binh_dinh letter", letter.notebook, tmp_path / "binh_dinh" / "letter.html", "en")
    assert job.parameters == {"province": "binh_dinh", "greeting": "Kính gửi", "language": "en", "laggards": 5, "data_dir": str(bundled_data)}
    assert notebook_parameters(LetterParameters("x")) == {"province": "x", "greeting": "Kính gửi", "language": "vi", "laggards": 5}


@pytest.mark.slow
def test_a_registered_kind_renders_through_the_runner_and_onto_the_index(bundled_data: Path, tmp_path: Path, letter: ReportKind[LetterParameters]):
    reports = tmp_path / "reports"
    jobs = plan([letter], Context.load(bundled_data), Selection(), reports)
    summary = run_jobs(jobs, workers=1, debug_dir=reports / FAILED_DIR_NAME, progress=lambda _line: None)
    assert not summary.failed, [result.message for result in summary.failed]
    page = BeautifulSoup((reports / "binh_dinh" / "letter.html").read_text(encoding="utf-8"), "html.parser")
    assert page.find("h2", id="letter").get_text() == "1. Kính gửi binh_dinh" and "<thư>" in page.get_text()
    assert page.select_one("nav.toc a")["href"] == "#letter" and page.title.get_text() == "Thư gửi binh_dinh"
    headline, name = read_sidecar(sidecar_path(reports / "binh_dinh" / "letter.html"))
    assert (headline.kind, name) == ("letter", "letter.html")
    index = BeautifulSoup(write_index(reports).read_text(encoding="utf-8"), "html.parser")
    assert [heading.get_text(" ", strip=True) for heading in index.find_all("h2")] == ["Kỳ số liệu — binh_dinh"]


@pytest.mark.slow
def test_the_report_command_offers_every_registered_kind(bundled_data: Path, tmp_path: Path, letter: ReportKind[LetterParameters], capsys: pytest.CaptureFixture[str]):
    reports = tmp_path / "reports"
    code = main(["report", "--data-dir", str(bundled_data), "--output-dir", str(reports), "--kind", "letter", "--language", "en"])
    assert code == 0, capsys.readouterr().err
    assert "binh_dinh letter" in capsys.readouterr().out
    assert (reports / "binh_dinh" / "letter.html").is_file() and (reports / "index.html").is_file()


def test_several_kinds_share_the_chosen_provinces_by_their_data(bundled_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Each kind renders the chosen provinces it has data for; one no kind has goes to the first kind."""
    asked: dict[str, tuple[str, ...] | None] = {}

    def kind(name: str, provinces: list[str]) -> ReportKind[LetterParameters]:
        def reports(context: Context, selection: Selection) -> list[LetterParameters]:
            asked[name] = selection.provinces
            return []

        return ReportKind(name, tmp_path / f"{name}.ipynb", LetterParameters, reports, lambda chosen: PurePosixPath("x.html"),
                          lambda chosen: name, "runner.index.title", provinces=lambda context: provinces)

    first, second = kind("first", ["a", "b"]), kind("second", ["b", "c"])
    context = Context.load(bundled_data)
    plan([first, second], context, Selection(("c", "nowhere", "a")), tmp_path)
    assert asked == {"first": ("nowhere", "a"), "second": ("c",)}
    asked.clear()
    plan([first, second], context, Selection(), tmp_path)
    assert asked == {"first": ("a", "b"), "second": ("b", "c")}
    with pytest.raises(ReportParameterError, match="whole country"):
        plan([MONTHLY, kinds.NATIONAL_SUMMARY], context, Selection(), tmp_path)
    assert plan([MONTHLY, INDEX766], context, Selection(), tmp_path)  # the bundled month has no 766 data: no error
