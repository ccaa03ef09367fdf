"""The drafted text of the official report, written from the engine's figures.

It follows the monthly reports the province writes today (shared/seeds/000, 001): per
indicator the central target with its legal source and the provincial floor, the province's
pooled rate and each level's (the published figure, marked, where the tables cannot pool one;
beside it where they differ), whether the targets are met, the change since last month, and
how many units lag. Causes and recommendations stay with the analyst: the draft leaves a
marked place for them. The words are the catalogue's (``monthly.draft.*``); the result is a
toolkit ``Draft``, which the HTML page and a Word document render alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue, Indicator
from helpers.frames import records
from helpers.messages import Messages, messages
from helpers.report.monthly import figures
from helpers.report.toolkit import Draft, DraftLine, line


@dataclass(frozen=True)
class DraftInputs:
    """What the draft is written from: one month of engine results and its context."""

    aggregates: pd.DataFrame
    laggards: dict[str, pd.DataFrame]  # figures.laggards
    catalogue: Catalogue
    period: str
    previous_period: str | None
    low_threshold: float
    names_shown: int


def count_text(count: int, language: str) -> str:
    """Counts of units as official documents write them: ``03``, ``30``, ``1.313``."""
    m = messages(language)
    return m("monthly.count.single_digit", digit=count) if 0 <= count < 10 else m.number(count)


def month_in_words(period: str, language: str) -> str:
    """``tháng 02 năm 2024`` (vi) or ``February 2024`` (en)."""
    m = messages(language)
    month = pd.Period(period, freq="M")
    return m("monthly.draft.month", month=f"{month.month:02d}", year=month.year, name=m.locale.months["format"]["wide"][month.month])


def draft(inputs: DraftInputs, language: str) -> Draft:
    """The draft, line by line: heading, intro, item, sub (a "+" line) or placeholder."""
    m = messages(language)
    indicators = figures.indicators_present(inputs.aggregates, inputs.catalogue)
    intro = line("intro", m("monthly.draft.intro", indicators=count_text(len(indicators), language), month=month_in_words(inputs.period, language)))
    causes = [line("heading", m("monthly.draft.causes")), line("placeholder", m("monthly.draft.placeholder"))]
    return Draft(language, (intro, *results_lines(inputs, m), *causes))


def results_lines(inputs: DraftInputs, m: Messages) -> list[DraftLine]:
    """Section 1, "Kết quả thực hiện": per indicator its targets, the province's and each level's rate, laggards."""
    lines = [line("heading", m("monthly.draft.results"))]
    scopes = figures.scopes_of(inputs.aggregates)
    for letter, indicator_id in zip(m("monthly.draft.item_letters").split(), figures.indicators_present(inputs.aggregates, inputs.catalogue)):
        indicator = inputs.catalogue.indicator(indicator_id)
        lines.append(line("heading", m("monthly.draft.item", letter=letter, indicator=indicator.name(m.language))))
        lines += _indicator_lines(inputs, scopes, indicator, m)
    return lines


def _indicator_lines(inputs: DraftInputs, scopes: dict[tuple[str, str], dict], indicator: Indicator, m: Messages) -> list[DraftLine]:
    whole = scopes[(indicator.id, WHOLE_PROVINCE)]
    lines = [line("item", _target_sentence(whole, m))]
    state = figures.aggregate_state(whole)
    if state == figures.NOT_ARISEN:
        lines.append(line("item", m("monthly.draft.not_arisen")))
    elif state == figures.NO_DATA:
        lines.append(line("item", m("monthly.draft.no_denominator", denominator=indicator.denominator(m.language).lower())))
    else:
        lines.append(line("item", _province_sentence(whole, inputs.previous_period, m)))
        levels = [level for level in figures.levels_present(inputs.aggregates, inputs.catalogue) if (indicator.id, level) in scopes]
        for position, level in enumerate(levels):
            sentence = _level_sentence(scopes[(indicator.id, level)], inputs.catalogue.level_name(level, m.language), m)
            lines.append(line("sub", m("monthly.draft.level.last" if position == len(levels) - 1 else "monthly.draft.level.more", line=sentence)))
    lines.append(line("item", _laggard_sentence(inputs, indicator, m)))
    return lines


def _target_sentence(whole: figures.Row, m: Messages) -> str:
    central, provincial = whole["central_target"], whole["provincial_target"]
    has_central, has_provincial = not pd.isna(central), not pd.isna(provincial)
    if has_central:
        floor = m("monthly.draft.target.floor", provincial=m.percent(provincial)) if has_provincial and abs(provincial - central) > 1e-9 else ""
        return m("monthly.draft.target.central", source=whole["central_source"], central=m.percent(central), floor=floor)
    if has_provincial:
        return m("monthly.draft.target.provincial_only", provincial=m.percent(provincial), source=whole["provincial_source"])
    return m("monthly.draft.target.none")


def _province_sentence(whole: figures.Row, previous_period: str | None, m: Messages) -> str:
    met_central, met_provincial = figures.verdict(whole)
    if met_central is False:
        assessment = m("monthly.draft.province.below_central", central=m.percent(whole["central_target"]))
    elif met_provincial is False:
        assessment = m("monthly.draft.province.below_provincial", provincial=m.percent(whole["provincial_target"]))
    elif met_central or met_provincial:
        assessment = m("monthly.draft.province.met")
    else:
        assessment = ""
    change = _change_words(whole, previous_period, m)
    return m(
        "monthly.draft.province.rate", rate=_figure_words(whole, m), assessment=assessment,
        change=m("monthly.draft.province.change", change=change) if change else "",
    )


def _figure_words(scope: figures.Row, m: Messages) -> str:
    """A scope's figure as an official text writes it: ``95% (số liệu công bố)`` where only the
    published figure exists, the published one beside the pooled one where they differ, and
    how many units were left out for impossible counts."""
    if figures.aggregate_state(scope) == figures.PUBLISHED:
        return m("monthly.draft.figure.published_only", rate=m.percent(scope["published_rate"]))
    words = m.percent(scope["rate"])
    excluded = int(scope.get("impossible_units") or 0)
    if excluded:
        words = m("monthly.draft.figure.excluded", count=excluded, rate=words, units=count_text(excluded, m.language))
    if figures.flag(scope.get("published_differs")):
        words = m("monthly.draft.figure.differs", rate=words, published=m.percent(scope["published_rate"]))
    return words


def _change_words(row: figures.Row, previous_period: str | None, m: Messages) -> str:
    """``tăng 2,1 điểm phần trăm so với tháng 01/2024``; empty without a previous month (never "+0")."""
    if previous_period is None or pd.isna(row["previous_rate"]):
        return ""
    delta = float(row["delta_pp"])
    direction = "unchanged" if round(delta, 1) == 0 else "up" if delta > 0 else "down"
    return m(f"monthly.draft.change.{direction}", amount=m.number(abs(delta), 1), since=m.month(previous_period))


def _level_sentence(scope: figures.Row, level_name: str, m: Messages) -> str:
    state = figures.aggregate_state(scope)
    if state == figures.NOT_ARISEN:
        return m("monthly.draft.level.state", level=level_name, state=m("common.state.not_arisen"))
    if state == figures.NO_DATA:
        return m("monthly.draft.level.state", level=level_name, state=m("common.state.missing"))
    below = False in figures.verdict(scope)
    return m("monthly.draft.level.below" if below else "monthly.draft.level.met", level=level_name, rate=_figure_words(scope, m))


def _laggard_sentence(inputs: DraftInputs, indicator: Indicator, m: Messages) -> str:
    below = inputs.laggards.get(indicator.id)
    if below is None:
        return m("monthly.draft.laggards.none")
    language = m.language
    catalogue = inputs.catalogue
    rows = records(below, ["level", "unit_name", "rate", "target"])
    per_level = Counter(row["level"] for row in rows)
    by_level = "; ".join(
        m("monthly.draft.laggards.by_level", count=count, level=catalogue.level_name(level, language).lower(), units=count_text(count, language))
        for level in catalogue.levels
        for count in [per_level[level]]
        if count
    )
    low = sum(figures.is_under(row["rate"], inputs.low_threshold) for row in rows)
    shown = rows[:inputs.names_shown]
    names = ", ".join(
        m("monthly.draft.laggards.name", name=row["unit_name"], rate=m.percent(row["rate"]), target=m.percent(row["target"])) for row in shown
    )
    more = len(rows) - len(shown)
    return m(
        "monthly.draft.laggards.summary", count=len(rows), units=count_text(len(rows), language), by_level=by_level,
        low=m("monthly.draft.laggards.low", units=count_text(low, language), threshold=m.percent(inputs.low_threshold)) if low else "",
        names=names, more=m("monthly.draft.laggards.more", units=count_text(more, language)) if more > 0 else "",
    )
