"""Reading and writing numbers the way Vietnamese tables write them.

``1.313`` is one thousand three hundred thirteen, ``99,8%`` is 99.8 percent, ``%`` alone or a
blank cell means nothing was entered. Rates are kept internally as fractions (0.998).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from pandas import NA

BLANK_TEXTS = frozenset({"", "%", "-", "--", "—", "–"})
_INVISIBLE = re.compile(r"[\s\u00a0\u2007\u202f\u200b]+")
_VI_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII)
_VI_PLAIN = re.compile(r"\d+(?:,\d+)?", re.ASCII)
_POINT_DECIMAL = re.compile(r"\d+\.\d+", re.ASCII)

LOCALES = {"vi": "vi", "en": "en"}


class NumberFormatError(ValueError):
    """A text that is not a number in any form the tables use."""

    def __init__(self, text: str, expected: str) -> None:
        super().__init__(f"expected {expected}, found {text!r}")
        self.text = text
        self.expected = expected


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    percent: bool


def parse_number(text: str) -> ParsedNumber | None:
    """Parse ``1.313``, ``99,8``, ``99,8%``, ``-3``, ``0.95``; ``None`` for a blank.

    Dots followed by groups of three digits are thousands separators (Vietnamese); a comma is
    the decimal mark. A single dot not followed by exactly three-digit groups is read as a
    decimal point, as English-locale exports write it.
    """
    compact = _INVISIBLE.sub("", text)
    if compact in BLANK_TEXTS:
        return None
    percent = compact.endswith("%")
    body = compact[:-1] if percent else compact
    sign = 1.0
    if body[:1] in {"-", "+", "\u2212"}:
        sign = -1.0 if body[0] != "+" else 1.0
        body = body[1:]
    if _VI_GROUPED.fullmatch(body):
        value = float(body.replace(".", "").replace(",", "."))
    elif _VI_PLAIN.fullmatch(body):
        value = float(body.replace(",", "."))
    elif _POINT_DECIMAL.fullmatch(body):
        value = float(body)
    else:
        raise NumberFormatError(text, "a number such as 1.313, 99,8 or 99,8%")
    if not math.isfinite(value):
        raise NumberFormatError(text, "a finite number")
    return ParsedNumber(sign * value, percent)


def parse_count(value: object) -> int | None:
    """A count of dossiers, services or procedures: a whole number, or ``None`` when blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise NumberFormatError(str(value), "a whole number")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            parsed = parse_number(str(value))
        except NumberFormatError as error:
            raise NumberFormatError(str(value), "a whole number such as 1.313") from error
        if parsed is None:
            return None
        if parsed.percent:
            raise NumberFormatError(str(value), "a whole number (a count), not a percentage")
        number = parsed.value
    if not math.isfinite(number) or number != int(number):
        raise NumberFormatError(str(value), "a whole number")
    return int(number)


def parse_rate(value: object, percent_formatted: bool = False) -> float | None:
    """A rate or target as a fraction (0.998), or ``None`` when blank or ``%`` alone.

    A cell formatted as a percentage in Excel holds the fraction itself. Anything else is read
    in percentage points, as the tables write it: ``98%``, ``99,8%``, and ``100`` mean 98%,
    99.8% and 100%.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise NumberFormatError(str(value), "a percentage")
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            raise NumberFormatError(str(value), "a finite percentage")
        return float(value) if percent_formatted else float(value) / 100
    parsed = parse_number(str(value))
    if parsed is None:
        return None
    return parsed.value / 100


def format_number(value: float | int | None, decimals: int = 0, language: str = "vi") -> str:
    """``1313`` → ``1.313`` (vi) or ``1,313`` (en); ``None``/NaN → ``–``."""
    if _missing(value):
        return "–"
    return _pattern(decimals).apply(value, _locale(language))


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA: a figure that is not there (shown as ``–``)."""
    if value is None or value is NA:
        return True
    return isinstance(value, float) and math.isnan(value)


# Parsing the pattern and the locale on every call was most of the cost of formatting a
# report's tables; both are the same for every number.
@cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "#" * decimals if decimals else ""))


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])


def format_percent(fraction: float | None, decimals: int = 1, language: str = "vi") -> str:
    """``0.712`` → ``71,2%``; trailing zeros dropped (``0.92`` → ``92%``)."""
    if _missing(fraction):
        return "–"
    return format_number(fraction * 100, decimals, language) + "%"


def format_signed(value: float | None, decimals: int = 1, language: str = "vi") -> str:
    """A change with its sign: ``+2,3``, ``−0,5``, ``0``."""
    if _missing(value):
        return "–"
    rounded = round(value, decimals)
    text = format_number(abs(rounded), decimals, language)
    if rounded > 0:
        return "+" + text
    if rounded < 0:
        return "\u2212" + text
    return text
