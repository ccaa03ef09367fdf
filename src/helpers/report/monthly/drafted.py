"""The drafted text of the official report, written from the engine's figures.

It follows the monthly reports the province writes today (shared/seeds/000, 001): per
indicator the central target with its legal source and the provincial floor, the province's
pooled rate and each level's, whether the targets are met, the change since last month, and
how many units lag. Causes and recommendations stay with the analyst: the draft leaves a
marked place for them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue, Indicator
from helpers.numbers import format_number, format_percent
from helpers.periods import month_label
from helpers.report.monthly import figures
from helpers.report.markup import escape

ITEM_LETTERS = {"vi": "a b c d đ e g h i k l m n o p q r s t u v x y".split(), "en": list("abcdefghijklmnopqrstuvwxyz")}


@dataclass(frozen=True)
class DraftInputs:
    """What the draft is written from: one month of engine results and its context."""

    aggregates: pd.DataFrame
    laggards: dict[str, pd.DataFrame]  # helpers.report.figures.laggards
    catalogue: Catalogue
    period: str
    previous_period: str | None
    low_threshold: float
    names_shown: int


def count_text(count: int, language: str) -> str:
    """Counts of units as official documents write them: ``03``, ``30``, ``1.313``."""
    return f"{count:02d}" if language == "vi" and 0 <= count < 10 else format_number(count, language=language)


def pct(value: float, language: str) -> str:
    return format_percent(value, language=language)


def month_in_words(period: str, language: str) -> str:
    """``tháng 02 năm 2024`` (vi) or ``February 2024`` (en)."""
    return f"tháng {period[5:7]} năm {period[:4]}" if language == "vi" else month_label(period, "en")


def draft_html(inputs: DraftInputs, language: str) -> str:
    """The draft as HTML paragraphs, ready to copy into the document; data text is escaped."""
    lines = draft_lines(inputs, language)
    parts = ['<div class="drafted" lang="' + language + '">']
    for kind, text in lines:
        if kind == "heading":
            parts.append(f"<p class=\"drafted-heading\"><strong>{escape(text)}</strong></p>")
        elif kind == "placeholder":
            parts.append(f'<p class="analyst-placeholder">{escape(text)}</p>')
        else:
            parts.append(f'<p class="drafted-{kind}">{escape(text)}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def draft_lines(inputs: DraftInputs, language: str) -> list[tuple[str, str]]:
    """(kind, text) lines: kind is heading, intro, item, sub (a "+" line) or placeholder."""
    catalogue = inputs.catalogue
    indicators = figures.indicators_present(inputs.aggregates, catalogue)
    vi = language == "vi"
    lines: list[tuple[str, str]] = [
        ("intro", (
            f"Kết quả thực hiện {count_text(len(indicators), language)} chỉ tiêu liên quan đến Bộ chỉ số phục vụ người dân, doanh nghiệp "
            f"trong {month_in_words(inputs.period, language)} trên địa bàn tỉnh, cụ thể như sau:"
        ) if vi else (
            f"Results of the {len(indicators)} indicators of the citizen and business service index in {month_in_words(inputs.period, language)}:"
        )),
        ("heading", "1. Kết quả thực hiện (theo Phụ lục đính kèm)" if vi else "1. Results (see the appendix)"),
    ]
    scopes = figures.scopes_of(inputs.aggregates)
    for letter, indicator_id in zip(ITEM_LETTERS[language], indicators):
        indicator = catalogue.indicator(indicator_id)
        lines.append(("heading", f"{letter}) {indicator.name(language)}"))
        lines += _indicator_lines(inputs, scopes, indicator, language)
    lines.append(("heading", "2. Nguyên nhân, đề xuất, kiến nghị" if vi else "2. Causes and recommendations"))
    lines.append(("placeholder", (
        "[Phần dành cho chuyên viên: nêu nguyên nhân các chỉ tiêu, đơn vị chưa đạt và đề xuất, kiến nghị giải pháp.]"
        if vi else "[For the analyst: causes of the indicators and units below target, and recommendations.]"
    )))
    return lines


def _indicator_lines(
    inputs: DraftInputs, scopes: dict[tuple[str, str], dict], indicator: Indicator, language: str
) -> list[tuple[str, str]]:
    whole = scopes[(indicator.id, WHOLE_PROVINCE)]
    lines = [("item", _target_sentence(whole, language))]
    state = figures.aggregate_state(whole)
    if state == figures.NOT_ARISEN:
        lines.append(("item", "- Trong tháng không phát sinh hồ sơ thuộc chỉ tiêu này." if language == "vi" else "- Nothing arose for this indicator this month."))
    elif state == figures.NO_DATA:
        lines.append(("item", (
            f"- Chưa tính được tỷ lệ bình quân chung của cả tỉnh: bảng số liệu không có mẫu số ({indicator.denominator_vi.lower()})."
            if language == "vi" else f"- The province's pooled rate cannot be computed: the tables have no denominator ({indicator.denominator_en.lower()})."
        )))
    else:
        lines.append(("item", _province_sentence(whole, inputs.previous_period, language)))
        levels = [level for level in figures.levels_present(inputs.aggregates, inputs.catalogue) if (indicator.id, level) in scopes]
        for position, level in enumerate(levels):
            end = "." if position == len(levels) - 1 else ";"
            lines.append(("sub", _level_sentence(scopes[(indicator.id, level)], inputs.catalogue.level_name(level, language), language) + end))
    lines.append(("item", _laggard_sentence(inputs, indicator, language)))
    return lines


def _target_sentence(whole: figures.Row, language: str) -> str:
    central, provincial = whole["central_target"], whole["provincial_target"]
    has_central, has_provincial = not pd.isna(central), not pd.isna(provincial)
    if language == "vi":
        if has_central:
            sentence = f"- Chỉ tiêu do Trung ương quy định tại {whole['central_source']} là {pct(central, language)}"
            if has_provincial and abs(provincial - central) > 1e-9:
                sentence += f", UBND tỉnh giao thấp nhất {pct(provincial, language)}"
            return sentence + "."
        if has_provincial:
            return f"- Chỉ tiêu UBND tỉnh giao thấp nhất {pct(provincial, language)} ({whole['provincial_source']})."
        return "- Chưa có chỉ tiêu Trung ương hoặc chỉ tiêu tỉnh giao cho chỉ tiêu này."
    if has_central:
        sentence = f"- The central target set by {whole['central_source']} is {pct(central, language)}"
        if has_provincial and abs(provincial - central) > 1e-9:
            sentence += f"; the province's floor is {pct(provincial, language)}"
        return sentence + "."
    if has_provincial:
        return f"- The province's floor is {pct(provincial, language)} ({whole['provincial_source']})."
    return "- No central or provincial target is set for this indicator."


def _province_sentence(whole: figures.Row, previous_period: str | None, language: str) -> str:
    rate = pct(whole["rate"], language)
    met_central, met_provincial = figures.flag(whole["met_central"]), figures.flag(whole["met_provincial"])
    central, provincial = whole["central_target"], whole["provincial_target"]
    if language == "vi":
        sentence = f"- Tỷ lệ bình quân chung của cả tỉnh đạt: {rate}"
        if met_central is False:
            sentence += f"; chưa đảm bảo chỉ tiêu Trung ương (phải đạt {pct(central, language)})"
        elif met_provincial is False:
            sentence += f"; đảm bảo chỉ tiêu Trung ương, chưa đạt chỉ tiêu tỉnh giao ({pct(provincial, language)})"
        elif met_central or met_provincial:
            sentence += "; đảm bảo chỉ tiêu được giao"
        change = _change_words(whole, previous_period, language)
        return sentence + (f", {change}" if change else "") + ". Trong đó:"
    sentence = f"- The province's pooled rate is {rate}"
    if met_central is False:
        sentence += f", below the central target ({pct(central, language)})"
    elif met_provincial is False:
        sentence += f", meeting the central target but not the provincial floor ({pct(provincial, language)})"
    elif met_central or met_provincial:
        sentence += ", meeting its targets"
    change = _change_words(whole, previous_period, language)
    return sentence + (f", {change}" if change else "") + ". By level:"


def _change_words(row: figures.Row, previous_period: str | None, language: str) -> str:
    """``tăng 2,1 điểm % so với tháng 01/2024``; empty without a previous month (never "+0")."""
    if previous_period is None or pd.isna(row["previous_rate"]):
        return ""
    delta = float(row["delta_pp"])
    amount = format_number(abs(delta), 1, language)
    since = month_label(previous_period, language)
    if round(delta, 1) == 0:
        return f"không đổi so với {since}" if language == "vi" else f"unchanged since {since}"
    if language == "vi":
        return f"{'tăng' if delta > 0 else 'giảm'} {amount} điểm % so với {since}"
    return f"{'up' if delta > 0 else 'down'} {amount} pp since {since}"


def _level_sentence(scope: figures.Row, level_name: str, language: str) -> str:
    state = figures.aggregate_state(scope)
    if state == figures.NOT_ARISEN:
        return f"+ {level_name}: {'không phát sinh' if language == 'vi' else 'nothing arose'}"
    if state == figures.NO_DATA:
        return f"+ {level_name}: –"
    below = figures.flag(scope["met_provincial"]) is False or figures.flag(scope["met_central"]) is False
    if language == "vi":
        return f"+ {level_name} {'chỉ đạt' if below else 'đạt'}: {pct(scope['rate'], language)}"
    return f"+ {level_name}: {pct(scope['rate'], language)}" + (" (below target)" if below else "")


def _laggard_sentence(inputs: DraftInputs, indicator: Indicator, language: str) -> str:
    below = inputs.laggards.get(indicator.id)
    vi = language == "vi"
    if below is None:
        return "- Tất cả các đơn vị đều đạt chỉ tiêu được giao." if vi else "- Every unit meets its assigned target."
    levels = [level for level in inputs.catalogue.levels if level in set(below["level"])]
    by_level = "; ".join(
        f"{inputs.catalogue.level_name(level, language).lower()} {'có' if vi else 'has'} {count_text(int((below['level'] == level).sum()), language)} {'đơn vị' if vi else 'units'}"
        for level in levels
    )
    low = figures.under(below, inputs.low_threshold)
    threshold = pct(inputs.low_threshold, language)
    shown = below.head(inputs.names_shown)
    names = ", ".join(
        f"{name} ({pct(rate, language)}; {'chỉ tiêu' if vi else 'target'} {pct(target, language)})"
        for name, rate, target in zip(shown["unit_name"], shown["rate"], shown["target"])
    )
    more = len(below) - len(shown)
    if vi:
        sentence = f"- Có {count_text(len(below), language)} đơn vị chưa đạt chỉ tiêu được giao, gồm: {by_level}"
        if not low.empty:
            sentence += f"; trong đó {count_text(len(low), language)} đơn vị đạt tỷ lệ dưới {threshold}"
        sentence += f". Cách xa chỉ tiêu nhất: {names}" + (f" và {count_text(more, language)} đơn vị khác" if more > 0 else "")
        return sentence + "."
    sentence = f"- {len(below)} units are below their assigned target ({by_level})"
    if not low.empty:
        sentence += f"; {len(low)} of them under {threshold}"
    sentence += f". Furthest below: {names}" + (f" and {more} more" if more > 0 else "")
    return sentence + "."
