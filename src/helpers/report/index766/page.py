"""The 766 report, section by section: what notebooks/index_766_report.ipynb shows.

The tables, text and charts come from ``report`` and ``charts`` of this package; this module
puts them into the leadership page the monthly report uses (helpers.report): escaped HTML
sections whose headings make the table of contents, embedded charts, and a headline for
``reports/index.html``. ``open_page`` checks every parameter first, so that a wrong one ends
with one sentence (ReportParameterError) rather than a traceback inside the notebook.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE
from helpers.analysis.monthly.checks import summary_counts
from helpers.context import Context
from helpers.numbers import format_number, format_signed
from helpers.report.charts import matplotlib_html
from helpers.report.headline import Headline, HeadlineFigure
from helpers.report.labels import check_language, label
from helpers.report.markup import Html, light_markdown, note, report_header, scrollable, section, subheading
from helpers.report.params import ReportParameterError
from helpers.report.monthly.tables import frame_table
from helpers.report.index766 import charts, tables as report
from helpers.analysis.index766.analysis import Index766Analysis, analyse_index766
from helpers.analysis.index766.changes import SCOPE_TOTAL, rank_change_text
from helpers.ingest.index766 import processed_path

KIND = "index766"
KIND_LABELS = {"vi": "Bộ chỉ số 766", "en": "766 index"}
BAND_CLASSES = {"green": "good", "amber": "partial", "red": "bad"}
# Columns of names and words, aligned left and wrapped; figures stay aligned right.
TEXT_COLUMNS = ("unit", "group", "level", "indicator", "item", "weakest", "severity", "location", "message")
CAPTIONS = {
    "vi": {
        "bands766": "Số đơn vị ở mức đỏ, vàng theo nhóm chỉ số",
        "group_laggards766": "Các đơn vị thấp điểm nhất của mỗi nhóm",
        "fell_back766": "Đơn vị giảm điểm",
        "persistent_low766": "Đơn vị ở mức đỏ nhiều kỳ liên tiếp",
        "province_stakes766": "Điểm tỉnh bị mất theo nhóm và chỉ số thành phần",
        "stakes766": "Đơn vị bị mất nhiều điểm nhất",
        "indicator_stakes766": "Điểm bị mất theo chỉ số thành phần của từng đơn vị",
        "levers766": "Cải thiện ở đơn vị nào nâng điểm tỉnh nhiều nhất",
    },
    "en": {
        "bands766": "Units in red and amber, by group",
        "group_laggards766": "Each group's lowest units",
        "fell_back766": "Units that fell back",
        "persistent_low766": "Units in red for several snapshots running",
        "province_stakes766": "The province's points lost, by group and sub-indicator",
        "stakes766": "Units losing most points",
        "indicator_stakes766": "Points lost by sub-indicator, per unit",
        "levers766": "Whose improvement lifts the province most",
    },
}


@dataclass
class Index766Page:
    context: Context
    analysis: Index766Analysis
    language: str
    laggards_shown: int

    def _section(self, key: str, *parts: str) -> Html:
        heading, lead = report.section(key, self.analysis, self.laggards_shown, self.language)
        return section(f"s766-{key}", heading, lead, *parts)

    def _table(self, frame: pd.DataFrame, name: str) -> str:
        caption = CAPTIONS[self.language].get(name)
        heading = subheading(caption) if caption else ""
        if frame.empty:
            return heading + note("Không có." if self.language == "vi" else "None.")
        text_headers = {report.LABELS[self.language][key] for key in TEXT_COLUMNS}
        classes = [["unit" if column in text_headers else "" for column in frame.columns]] * len(frame)
        return heading + scrollable(frame_table(frame, name, classes))

    def _total(self) -> pd.Series:
        changes = self.analysis.changes
        return changes[(changes["level"] == WHOLE_PROVINCE) & (changes["scope"] == SCOPE_TOTAL)].iloc[0]

    def _kpis(self) -> list[tuple[str, str, str]]:
        """(value, what it is, CSS class) for the tiles under the title and the index page."""
        vi = self.language == "vi"
        total = self._total()
        score = "–" if pd.isna(total["score"]) else format_number(float(total["score"]), 2, self.language)
        tiles = [(
            f"{score}/{format_number(float(total['max_points']), language=self.language)}",
            "tổng điểm của tỉnh" if vi else "the province's total",
            BAND_CLASSES.get(str(total["band"]), ""),
        )]
        if total["comparison"] == "compared" and pd.notna(total["delta"]):
            delta = float(total["delta"])
            tiles.append((format_signed(delta, 2, self.language), "điểm so với kỳ trước" if vi else "points since the previous snapshot",
                          "good" if delta > 0 else "bad" if delta < 0 else ""))
        if pd.notna(total["rank"]):
            rank = f"{int(total['rank']):02d}/{int(total['rank_base']):02d}" if pd.notna(total["rank_base"]) else str(int(total["rank"]))
            moved = rank_change_text(total["rank_change"], str(total["comparison"]), self.language)
            change = total["rank_change"]
            tiles.append((rank, f"{'xếp hạng của tỉnh' if vi else 'national rank'} ({moved})",
                          "" if pd.isna(change) or change == 0 else "good" if change > 0 else "bad"))
        groups = self.analysis.changes
        groups = groups[(groups["level"] == WHOLE_PROVINCE) & (groups["scope"] != SCOPE_TOTAL)]
        red = int((groups["band"] == "red").sum())
        tiles.append((f"{red}/{len(groups)}", "nhóm chỉ số ở mức đỏ" if vi else "groups in red", "bad" if red else "good"))
        counts = summary_counts(self.analysis.checks)
        doubtful = counts["error"] + counts["warning"]
        tiles.append((format_number(doubtful, language=self.language), "số liệu cần xem lại" if vi else "figures to review", "partial" if doubtful else "good"))
        return tiles

    def header(self) -> Html:
        return report_header(
            KIND_LABELS[self.language],
            report.title(self.analysis, self.language),
            report.subtitle(self.analysis, self.language),
            self._kpis(),
            label("synthetic", self.language) if self.context.registry.is_synthetic(self.analysis.province) else "",
        )

    def groups(self) -> Html:
        chart = matplotlib_html(charts.group_chart(self.analysis, self.language), report.section("groups", self.analysis, language=self.language)[0])
        return self._section("groups", self._table(report.group_table(self.analysis, self.language), "groups766"), chart)

    def rank(self) -> Html:
        return self._section("rank", self._table(report.rank_table(self.analysis, self.language), "rank766"))

    def laggards(self) -> Html:
        return self._section("laggards", self._table(report.laggards_by_total(self.analysis, self.laggards_shown, self.language), "laggards766"))

    def by_group(self) -> Html:
        return self._section(
            "by_group",
            self._table(report.group_band_counts(self.analysis, self.language), "bands766"),
            self._table(report.laggards_by_group(self.analysis, self.laggards_shown, self.language), "group_laggards766"),
        )

    def changes(self) -> Html:
        return self._section(
            "changes",
            self._table(report.fell_back_table(self.analysis, self.language), "fell_back766"),
            self._table(report.persistent_low_table(self.analysis, self.laggards_shown, self.language), "persistent_low766"),
        )

    def stakes(self) -> Html:
        chart = matplotlib_html(
            charts.stakes_chart(self.analysis, self.laggards_shown, self.language), report.section("stakes", self.analysis, language=self.language)[0]
        )
        return self._section(
            "stakes",
            self._table(report.province_stakes_table(self.analysis, self.language), "province_stakes766"),
            self._table(report.stakes_table(self.analysis, self.laggards_shown, self.language), "stakes766"),
            chart,
            self._table(report.unit_indicator_stakes_table(self.analysis, self.laggards_shown, self.language), "indicator_stakes766"),
            self._table(report.levers_table(self.analysis, self.laggards_shown, self.language), "levers766"),
            note(report.lever_note(self.analysis, self.language)),
        )

    def draft(self) -> Html:
        text = light_markdown(report.draft_text(self.analysis, self.laggards_shown, self.language))
        return self._section("draft", f'<div class="drafted">{text}</div>')

    def data_checks(self) -> Html:
        return self._section("checks", self._table(report.checks_table(self.analysis, self.language), "checks766"))

    def headline(self) -> Headline:
        """Title and key figures for the index page (the HTML export keeps it out of the page)."""
        analysis = self.analysis
        return Headline(
            kind=KIND,
            kind_label=KIND_LABELS[self.language],
            title=f"{report.title(analysis, self.language)} ({analysis.snapshot.date_label()})",
            province=analysis.province,
            province_name=analysis.province_name,
            period=analysis.snapshot.snapshot_date,
            period_label=analysis.snapshot.label(self.language).capitalize(),
            language=self.language,
            synthetic=self.context.registry.is_synthetic(analysis.province),
            figures=tuple(HeadlineFigure(what[:1].upper() + what[1:], value, css) for value, what, css in self._kpis()),
        )


def open_page(
    data_dir: str | Path | None, province: str, snapshot_date: str | None = None, period_kind: str | None = "year_to_date",
    language: str = "vi", laggards: int = 10,
) -> Index766Page:
    """Check the parameters (ReportParameterError: one sentence) and analyse the snapshot."""
    context = Context.load(data_dir or None)
    try:
        check_language(language)
    except ValueError as error:
        raise ReportParameterError(str(error)) from None
    if not isinstance(laggards, int) or isinstance(laggards, bool) or laggards < 1:
        raise ReportParameterError(f"the number of units to show is a whole number of at least 1; got {laggards!r}")
    if not context.registry.has_province(province):
        raise ReportParameterError(f"unknown province {province!r}: it is not in {context.workspace.display(context.registry.directory / 'provinces.csv')}")
    if not processed_path(context.workspace, province).is_file():
        raise ReportParameterError(f"there is no ingested 766 data for {province}; put its files in data/raw/{province}/766/ and run `python -m helpers ingest`")
    try:
        analysis = analyse_index766(context, province, snapshot_date or None, period_kind)
    except ValueError as error:
        raise ReportParameterError(str(error)) from None
    return Index766Page(context, analysis, language, laggards)
