"""Issue 13: the number parser accepts a text only when its Vietnamese reading is certain.

Every string it accepts as a number, count or rate means the number a reader of Vietnamese
tables sees (a dot or a space separates groups of three digits, a comma marks decimals); every
ambiguous one (English separators, stray spaces, a leading "0.") is refused; and nothing but the
parser's own NumberFormatError ever comes out of it.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from helpers.numbers import NumberFormatError, parse_count, parse_number, parse_rate

# The Vietnamese reading, written independently of the parser: sign, whole part (plain, or
# grouped by dots or by spaces), decimals after a comma, percent sign.
_VIETNAMESE = re.compile(
    r"(?P<sign>[-+\u2212]?) *(?P<whole>\d+|[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?: \d{3})+)(?:,(?P<decimals>\d+))? *(?P<percent>%?)",
    re.ASCII,
)
NUMBER_LIKE = st.text(alphabet="0123456789.,% -+\u2212\u00a0", max_size=16)
DIGITS = st.integers(min_value=0, max_value=999)


def _vietnamese(text: str) -> tuple[Decimal, bool] | None:
    match = _VIETNAMESE.fullmatch(re.sub(r"\s+", " ", text).strip())
    if match is None:
        return None
    whole = match["whole"].replace(".", "").replace(" ", "")
    value = Decimal(f"{whole}.{match['decimals'] or 0}")
    return (-value if match["sign"] in ("-", "\u2212") else value), bool(match["percent"])


def _parsed_or_refused(parse, value):
    """What the parser gives, or None when it refuses: the only exception allowed is its own."""
    try:
        return parse(value), True
    except NumberFormatError:
        return None, False


@given(st.one_of(NUMBER_LIKE, st.text(max_size=30)))
@example("4,000")
@example("0.125")
@example("1 2")
@example("0.003%")
@example("1.313")
def test_every_accepted_number_means_its_vietnamese_reading(text: str) -> None:
    parsed, accepted = _parsed_or_refused(parse_number, text)
    if not accepted or parsed is None:
        return
    reading = _vietnamese(text)
    assert reading is not None, f"{text!r} accepted as {parsed} but has no Vietnamese reading"
    value, percent = reading
    assert parsed.value == float(value) and parsed.percent is percent


@given(st.one_of(NUMBER_LIKE, st.text(max_size=30), st.integers(), st.floats(), st.none(), st.booleans()))
def test_counts_and_rates_mean_their_vietnamese_reading_or_are_refused(value: object) -> None:
    count, counted = _parsed_or_refused(parse_count, value)
    rate, rated = _parsed_or_refused(parse_rate, value)
    if not isinstance(value, str):
        return
    reading = _vietnamese(value)
    if counted and count is not None:
        assert reading is not None and not reading[1] and Decimal(count) == reading[0]
    if rated and rate is not None:
        assert reading is not None and rate == pytest.approx(float(reading[0]) / 100)


@given(st.integers(min_value=1, max_value=999), st.lists(DIGITS, min_size=1, max_size=3), st.booleans())
def test_english_thousands_are_refused(first: int, groups: list[int], percent: bool) -> None:
    """4,000 is four thousand in English and four in Vietnamese: refused, not guessed."""
    text = f"{first}," + ",".join(f"{group:03d}" for group in groups) + ("%" if percent else "")
    with pytest.raises(NumberFormatError, match="separates thousands"):
        parse_number(text)


LEADING_ZERO_GROUP = st.integers(min_value=0, max_value=999).map(lambda fraction: f"0.{fraction:03d}")
NOT_A_GROUP = st.tuples(st.integers(min_value=0, max_value=10**6), st.text(alphabet="0123456789", min_size=1, max_size=6).filter(lambda digits: len(digits) != 3))


@given(st.one_of(LEADING_ZERO_GROUP, NOT_A_GROUP.map(lambda parts: f"{parts[0]}.{parts[1]}")))
def test_a_dot_that_cannot_separate_thousands_is_refused(text: str) -> None:
    """0.125 (or 12.5) is a decimal in English; a leading 0 cannot start a thousands group."""
    with pytest.raises(NumberFormatError, match="if the dot marks decimals"):
        parse_number(text)


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=99))
def test_spaces_that_do_not_group_three_digits_are_refused(first: int, second: int) -> None:
    with pytest.raises(NumberFormatError, match="without spaces"):
        parse_number(f"{first} {second}")


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_whole_numbers_written_the_vietnamese_way_are_read_exactly(number: int) -> None:
    grouped = f"{abs(number):,}".replace(",", ".")
    sign = "-" if number < 0 else ""
    assert parse_count(f"{sign}{grouped}") == number
    assert parse_count(f"{sign}{grouped.replace('.', chr(0xA0))}") == number
    assert parse_count(number) == number
