"""The 766 report, section by section: what notebooks/index_766_report.ipynb shows.

The tables come from ``tables``, ``stakes`` and ``drafted`` of this package and the charts from
``charts``; this module puts them into the leadership page every report shares
(helpers.report.toolkit): sections numbered in the order the notebook shows them, escaped
tables, embedded charts, and a headline for ``reports/index.html``. ``open_page`` checks every
parameter first, so that a wrong one ends with one sentence (ReportParameterError) rather than
a traceback inside the notebook.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from helpers.catalogue import WHOLE_PROVINCE
from helpers.context import Context
from helpers.messages import Messages, messages
from helpers.report import checks_view
from helpers.report.headline import Headline, HeadlineFigure
from helpers.report.html import Html, join
from helpers.report.kernel import settle_imports
from helpers.report.params import Index766Parameters, ReportParameterError
from helpers.report.toolkit import Sections, Tile, collapsed, frame_table, header, note, paragraph, subheading
from helpers.report import charts
from helpers.report.index766 import appendix, drafted, history, stakes, tables
from helpers.report.index766.phrases import Columns, date_label, rank_change_text, rank_text, thresholds
from helpers.analysis.index766.analysis import Index766Analysis, analyse_index766
from helpers.analysis.index766.changes import SCOPE_TOTAL

KIND = "index766"
BAND_CLASSES = {"green": "good", "amber": "partial", "red": "bad"}
# Columns of names and words, aligned left and wrapped; figures stay aligned right.
TEXT_COLUMNS = ("unit", "group", "level", "indicator", "item", "weakest")
# What names a row, the first of these a table has: it stays in view when the table scrolls sideways.
NAME_COLUMNS = ("unit", "group", "indicator", "item")


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lowered(text: str) -> str:
    """A heading's words as a tile's, which go on from its value: ``Xếp hạng của tỉnh`` → ``xếp hạng của tỉnh``."""
    return text[:1].lower() + text[1:]


@dataclass
class Index766Page:
    context: Context
    analysis: Index766Analysis
    language: str
    laggards_shown: int
    sections: Sections = field(default_factory=Sections)

    @property
    def text(self) -> Messages:
        return messages(self.language)

    def _heading(self, key: str) -> str:
        return self.text(f"index766.section.{key}.title")

    def _section(self, key: str, *parts: object) -> Html:
        """Section ``key`` numbered in the order the page shows it, with what leadership should see there."""
        settings = self.analysis.settings
        lead = self.text(
            f"index766.section.{key}.lead", count=self.laggards_shown,
            notable=self.text.number(settings["notable_change_points"], 2), **thresholds(settings, self.language),
        )
        return self.sections.section(f"s766-{key}", self._heading(key), lead, *parts)

    def _table(self, frame: pd.DataFrame, name: str, caption: str = "", cards: bool = False, sub_rows: Sequence[bool] = ()) -> Html:
        """A table of display strings (its words and names aligned left), under its caption; with
        ``cards``, a phone shows each row as a card under the row's name (report.css, ``reflow``);
        the name of each of ``sub_rows`` is set in, under the row above it."""
        heading = subheading(self.text(f"index766.caption.{caption}")) if caption else ""
        if frame.empty:
            return join(heading, note(self.text("index766.report.none")))
        labels = Columns(self.language)
        text_headers = {labels[key] for key in TEXT_COLUMNS}
        named = next((column for column in frame.columns if column in {labels[key] for key in NAME_COLUMNS}), None)
        classes = [
            ["unit name sub" if column == named and sub else "unit name" if column == named else "unit" if column in text_headers else "" for column in frame.columns]
            for sub in (sub_rows or [False] * len(frame))
        ]
        table = frame_table(frame, name, classes)
        return join(heading, (replace(table, css=f"{table.css} reflow") if cards else table).html())

    def _chart(self, figure: Figure, key: str) -> Html:
        return charts.figure_html(figure, self._heading(key))

    def _total(self) -> pd.Series | None:
        """The province's own total beside its previous one; None when the source has no province row."""
        changes = self.analysis.changes
        rows = changes[(changes["level"] == WHOLE_PROVINCE) & (changes["scope"] == SCOPE_TOTAL)]
        return rows.iloc[0] if len(rows) else None

    @property
    def has_units(self) -> bool:
        """Whether the source has figures of departments or communes, not only the province's."""
        return bool((self.analysis.current.totals["level"] != WHOLE_PROVINCE).any() or (self.analysis.current.groups["level"] != WHOLE_PROVINCE).any())

    def _tiles(self) -> list[Tile]:
        """The key figures under the title, and on the index page."""
        text, total = self.text, self._total()
        if total is None:
            tiles = [Tile(text("common.state.missing"), text("index766.tile.no_total"), key="total")]
        else:
            tiles = self._total_tiles(total)
        groups = self.analysis.changes
        groups = groups[(groups["level"] == WHOLE_PROVINCE) & (groups["scope"] != SCOPE_TOTAL)]
        if len(groups):
            red = int((groups["band"] == "red").sum())
            tiles.append(Tile(f"{red}/{len(groups)}", text("index766.tile.red_groups"), "bad" if red else "good", "red_groups"))
        units = self.analysis.current.totals
        if total is None and len(units):
            tiles.append(Tile(text.number(len(units)), text("index766.tile.units"), key="units"))
        tiles.append(checks_view.review_tile(self.analysis.checks, self.language))
        return tiles

    def _total_tiles(self, total: pd.Series) -> list[Tile]:
        """The province's total, its change and its national rank."""
        text = self.text
        tiles = [Tile(f"{text.number(total['score'], 2)}/{text.number(float(total['max_points']))}", text("index766.tile.total"), BAND_CLASSES.get(str(total["band"]), ""), "total")]
        if total["comparison"] == "compared" and pd.notna(total["delta"]):
            delta = float(total["delta"])
            tiles.append(Tile(text.signed(delta, 2), text("index766.tile.delta"), "good" if delta > 0 else "bad" if delta < 0 else "", "delta"))
        if pd.notna(total["rank"]):
            rank = f"{int(total['rank']):02d}/{int(total['rank_base']):02d}" if pd.notna(total["rank_base"]) else str(int(total["rank"]))
            moved = rank_change_text(total["rank_change"], "compared" if pd.notna(total["previous_rank"]) else "no_previous_snapshot", self.language)
            if pd.notna(total["previous_rank"]) and total["previous_rank_date"] != total["previous_snapshot_date"]:
                # Compared with an earlier capture than the previous one (which has no national rank): say which.
                previous = rank_text(total["previous_rank"], total["previous_rank_base"], False, self.language)
                moved = text("index766.tile.rank_since", change=moved, rank=previous, date=date_label(total["previous_rank_date"]))
            change = total["rank_change"]
            css = "" if pd.isna(change) or change == 0 else "good" if change > 0 else "bad"
            # The change goes in the detail: the index heads its column by the plain name.
            tiles.append(Tile(rank, _lowered(text("index766.rank_table.province_rank")), css, "rank", moved))
        return tiles

    def header(self) -> Html:
        synthetic = self.context.registry.is_synthetic(self.analysis.province)
        return header(
            self.text("index766.report.kind"),
            tables.title(self.analysis, self.language),
            tables.subtitle(self.analysis, self.language),
            self._tiles(),
            self.text("index766.report.synthetic") if synthetic else "",
        )

    def groups(self) -> Html:
        """The province's groups in seed 002's layout, or why the source has none, and the chart."""
        if self.analysis.changes[self.analysis.changes["level"] == WHOLE_PROVINCE].empty:
            return self._section("groups", note(self.text("index766.report.no_province_row")))
        scope = "" if self.has_units else note(self.text("index766.report.province_only"))
        province_groups = self.analysis.current.groups["level"] == WHOLE_PROVINCE
        chart = self._chart(charts.group_chart(self.analysis, self.language), "groups") if province_groups.any() else ""
        why = tables.province_indicators_note(self.analysis, self.language)
        groups = tables.group_table(self.analysis, self.language)
        sub_indicators = groups[Columns(self.language)["number"]].str.contains(".", regex=False).tolist() if not groups.empty else []  # 1.1, 1.2 … under group 1
        return self._section("groups", self._table(groups, "groups766", cards=True, sub_rows=sub_indicators), note(why) if why else "", chart, scope)

    def rank(self) -> Html:
        return self._section("rank", self._table(tables.rank_table(self.analysis, self.language), "rank766"))

    def laggards(self) -> Html:
        """Sections about units are left out when the source has the province's figures only."""
        if not self.has_units:
            return Html("")
        return self._section("laggards", self._table(tables.laggards_by_total(self.analysis, self.laggards_shown, self.language), "laggards766"))

    def by_group(self) -> Html:
        if not self.has_units:
            return Html("")
        return self._section(
            "by_group",
            self._table(tables.group_band_counts(self.analysis, self.language), "bands766", "bands"),
            self._table(tables.laggards_by_group(self.analysis, self.laggards_shown, self.language), "group_laggards766", "group_laggards"),
        )

    def changes(self) -> Html:
        if not self.has_units:
            return Html("")
        return self._section(
            "changes",
            self._table(tables.fell_back_table(self.analysis, self.language), "fell_back766", "fell_back"),
            self._table(tables.persistent_low_table(self.analysis, self.laggards_shown, self.language), "persistent_low766", "persistent_low"),
        )

    def history(self) -> Html:
        """The province capture by capture and how its units moved; left out with a single capture."""
        analysis, language, count = self.analysis, self.language, self.laggards_shown
        if len(analysis.snapshots) < 2:
            return Html("")
        parts: list[object] = []
        if history.has_history(analysis):
            chart = charts.history_chart(analysis, language)
            parts.append(self._table(history.province_history_table(analysis, language), "province_history766", "province_history"))
            parts.append(self._chart(chart, "history") if chart is not None else "")
        else:
            parts.append(note(self.text("index766.history.no_province")))
        moved = history.movement(analysis)
        if moved.empty:
            parts.append(note(self.text("index766.history.no_units")))
        else:
            parts += [
                self._table(history.movement_table(analysis, moved, language), "movement766", "movement"),
                self._table(history.movers_table(analysis, moved, "up", count, language), "risers766", "risers"),
                self._table(history.movers_table(analysis, moved, "down", count, language), "fallers766", "fallers"),
            ]
        return self._section("history", *parts)

    def stakes(self) -> Html:
        analysis, count, language = self.analysis, self.laggards_shown, self.language
        parts: list[object] = [paragraph(sentence) for sentence in stakes.national_sentences(analysis, language)]
        parts.append(self._table(stakes.province_stakes_table(analysis, language), "province_stakes766", "province_stakes"))
        if self.has_units:
            parts += [
                self._table(stakes.stakes_table(analysis, count, language), "stakes766", "stakes"),
                self._chart(charts.stakes_chart(analysis, count, language), "stakes"),
                self._table(stakes.unit_indicator_stakes_table(analysis, count, language), "indicator_stakes766", "indicator_stakes"),
                self._table(stakes.levers_table(analysis, count, language), "levers766", "levers"),
            ]
        return self._section("stakes", *parts, note(stakes.lever_note(analysis, language)))

    def actions(self) -> Html:
        """Per unit: overdue dossiers as the notice reports them, and every sub-indicator losing points."""
        if not self.has_units:
            return Html("")
        analysis, language = self.analysis, self.language
        every = stakes.unit_indicator_stakes_table(analysis, None, language)
        parts: list[object] = [paragraph(stakes.overdue_sentence(analysis, language))]
        overdue = stakes.overdue_table(analysis, self.laggards_shown, language)
        if not overdue.empty:
            parts.append(self._table(overdue, "overdue766", "overdue"))
        if not every.empty:
            parts.append(collapsed(self.text("index766.caption.all_indicator_stakes", count=self.text.number(len(every))), self._table(every, "all_indicator_stakes766")))
        return self._section("actions", *parts)

    def unit_comparison(self, unit: str, first_date: str = "") -> Html:
        """For the analyst: one unit's figures in the layout of its monthly notice (Phụ lục I),
        the analysed capture against ``first_date`` (default: the capture it is compared with)."""
        try:
            return appendix.unit_comparison(self.analysis, unit, first_date, self.language).html()
        except ValueError as error:
            raise ReportParameterError(str(error)) from None

    def draft(self) -> Html:
        return self._section("draft", drafted.draft(self.analysis, self.laggards_shown, self.language).html())

    def data_checks(self) -> Html:
        analysis = self.analysis
        if analysis.checks.empty:
            return self._section("checks", note(self.text("index766.report.none")))
        return self._section("checks", checks_view.grouped_checks(analysis.checks, analysis.catalogue, self.language, analysis.rules))

    def headline(self) -> Headline:
        """Title and key figures for the index page (the HTML export keeps it out of the page)."""
        analysis, text = self.analysis, self.text
        return Headline(
            kind=KIND,
            kind_label=text("index766.report.kind"),
            title=text("index766.report.headline_title", title=tables.title(analysis, self.language), date=analysis.snapshot.date_label()),
            province=analysis.province,
            province_name=analysis.province_name,
            period=analysis.snapshot.snapshot_date,
            period_label=_capitalised(analysis.snapshot.label(self.language)),
            language=self.language,
            synthetic=self.context.registry.is_synthetic(analysis.province),
            figures=tuple(HeadlineFigure.of_tile(tile) for tile in self._tiles()),
        )


def open_page(
    data_dir: str | Path | None, province: str, snapshot_date: str | None = None, period_kind: str | None = "year_to_date",
    language: str = "vi", laggards: int = 10, period: str | None = None,
) -> Index766Page:
    """Check the parameters (ReportParameterError: one sentence) and analyse the snapshot."""
    settle_imports()
    context = Context.load(data_dir or None)
    chosen = Index766Parameters.check(context, province, snapshot_date, period_kind, language, laggards, period)
    analysis = analyse_index766(context, chosen.province, chosen.snapshot_date, chosen.period_kind, chosen.period)
    return Index766Page(context, analysis, chosen.language, chosen.laggards)
