import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.numbers import (
    NumberFormatError,
    format_number,
    format_percent,
    format_signed,
    parse_count,
    parse_number,
    parse_rate,
)


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("1.313", 1313, False),
        ("1.313.000", 1313000, False),
        ("99,8%", 99.8, True),
        ("99,8 %", 99.8, True),
        ("100", 100, False),
        ("0", 0, False),
        ("71,2", 71.2, False),
        ("1.234,5", 1234.5, False),
        ("0,95", 0.95, False),
        ("1 313", 1313, False),
        ("1.234,567", 1234.567, False),
        ("08", 8, False),
        ("-3", -3, False),
        ("1\u00a0313", 1313, False),
        ("1000%", 1000, True),
    ],
)
def test_parses_vietnamese_numbers(text: str, value: float, percent: bool) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)
    assert parsed.percent is percent


@pytest.mark.parametrize("text", ["", "   ", "%", "-", "—"])
def test_blank_forms_mean_nothing_entered(text: str) -> None:
    assert parse_number(text) is None
    assert parse_rate(text) is None
    assert parse_count(text) is None


@pytest.mark.parametrize("text", ["abc", "12a", "1e5", "12.5.3", "1,2,3", "٣", "++1", "%%"])
def test_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("4,000", "write 4.000 if the comma separates thousands"),
        ("100,000", "write 100.000 if the comma separates thousands"),
        ("0.125", "write 0,125 if the dot marks decimals"),
        ("0.95", "write 0,95 if the dot marks decimals"),
        ("0.003%", "write 0,003% if the dot marks decimals"),
        ("1 2", "without spaces between its digits"),
        ("1,234.5", "the Vietnamese way: 1.234,5"),
        ("1" * 400, "at most 15 digits"),
    ],
)
def test_ambiguous_separators_are_refused_with_the_way_to_write_them(text: str, suggestion: str) -> None:
    """English separators read the Vietnamese way would change a figure in silence (issue 13)."""
    with pytest.raises(NumberFormatError) as raised:
        parse_number(text)
    assert suggestion in raised.value.expected
    with pytest.raises(NumberFormatError):
        parse_count(text)


@pytest.mark.parametrize("value", [10**400, -(10**15), float("inf"), 1e300])
def test_huge_cells_are_refused_not_overflowed(value: object) -> None:
    with pytest.raises(NumberFormatError, match="at most 15 digits"):
        parse_count(value)
    if value != 1e300:
        with pytest.raises(NumberFormatError):
            parse_rate(value)


def test_rates_are_fractions_read_in_percentage_points() -> None:
    assert parse_rate("98%") == pytest.approx(0.98)
    assert parse_rate("99,8%") == pytest.approx(0.998)
    assert parse_rate("100") == pytest.approx(1.0)  # "100" means 100%
    assert parse_rate(100) == pytest.approx(1.0)
    assert parse_rate(0.98, percent_formatted=True) == pytest.approx(0.98)  # Excel percent cell
    assert parse_rate("1000%") == pytest.approx(10.0)  # impossible, kept for the checks to flag


@pytest.mark.parametrize("value", ["45%", "1,5", "abc", 12.5, True])
def test_counts_must_be_whole_numbers(value: object) -> None:
    with pytest.raises(NumberFormatError):
        parse_count(value)


def test_counts_from_cells_and_text() -> None:
    assert parse_count("1.313") == 1313
    assert parse_count(1313.0) == 1313
    assert parse_count(None) is None


def test_formats_like_the_reports() -> None:
    assert format_number(1313) == "1.313"
    assert format_percent(0.712) == "71,2%"
    assert format_percent(0.92) == "92%"
    assert format_percent(0.712, language="en") == "71.2%"
    assert format_signed(2.34) == "+2,3"
    assert format_signed(-0.5) == "\u22120,5"
    assert format_signed(0.01) == "0"
    assert format_percent(float("nan")) == "–"


@given(st.text())
def test_any_string_parses_or_fails_cleanly(text: str) -> None:
    try:
        parsed = parse_number(text)
    except NumberFormatError:
        return
    assert parsed is None or math.isfinite(parsed.value)


@given(st.integers(min_value=0, max_value=10**12))
def test_counts_round_trip_through_vietnamese_format(count: int) -> None:
    assert parse_count(format_number(count)) == count


@given(st.integers(min_value=0, max_value=100_000))
def test_percentages_round_trip(tenths_of_percent: int) -> None:
    fraction = tenths_of_percent / 1000
    assert parse_rate(format_percent(fraction)) == pytest.approx(fraction)


def test_missing_figures_of_any_kind_show_as_a_dash() -> None:
    import pandas as pd

    for missing in (None, float("nan"), pd.NA):
        assert format_number(missing) == format_percent(missing) == format_signed(missing) == "–"


@given(
    st.one_of(st.integers(-10**15, 10**15), st.floats(-1e15, 1e15, allow_nan=False), st.decimals(-10**9, 10**9, allow_nan=False, places=4)),
    st.integers(0, 2),
    st.sampled_from(["vi", "en"]),
)
def test_a_number_formatted_once_reads_as_babel_formats_it(value, decimals, language):
    """format_number keeps each formatted text (by the number's str, what Babel reads): the same as Babel's own."""
    from babel import Locale
    from babel.numbers import parse_pattern

    pattern = parse_pattern("#,##0" + ("." + "#" * decimals if decimals else ""))
    for number in (value, -value, type(value)(0) if not isinstance(value, float) else -0.0):
        assert format_number(number, decimals, language) == pattern.apply(number, Locale.parse(language))
