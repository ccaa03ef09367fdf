"""Reading and writing numbers the way Vietnamese tables write them.

``1.313`` is one thousand three hundred thirteen, ``99,8%`` is 99.8 percent, ``%`` alone or a
blank cell means nothing was entered. Rates are kept internally as fractions (0.998).

A text is read only when its Vietnamese reading is certain. Where another convention would read
it differently (``4,000`` and ``0.125`` in English, ``1 2`` with a stray space) it is refused with
the way to write it, rather than guessed: a wrong guess would change the figures in silence.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from pandas import NA

BLANK_TEXTS = frozenset({"", "%", "-", "--", "—", "–"})
# Counts and rates never have more digits; beyond 2**53 a float no longer holds every whole number.
MAX_DIGITS = 15
LARGEST = 10**MAX_DIGITS
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\ufeff]")
_SPACES = re.compile(r"\s+")
_SIGNS = {"-": -1.0, "\u2212": -1.0, "+": 1.0}
_PLAIN = re.compile(r"\d+", re.ASCII)
# Thousands grouped with dots (the Vietnamese way) or with spaces, as formatted exports do.
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+|[1-9]\d{0,2}(?: \d{3})+", re.ASCII)
_ENGLISH_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})+", re.ASCII)
_DIGITS_AND_MARKS = re.compile(r"[\d., ]+", re.ASCII)

NOT_A_NUMBER = "a number such as 1.313, 99,8 or 99,8%"

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
    """Parse ``1.313``, ``1 313``, ``99,8``, ``99,8%``, ``-3``, ``1.234,5``; ``None`` for a blank.

    A dot separates thousands (groups of three digits after a first group of one to three that
    does not start with 0); a comma is the decimal mark. Anything else is refused, with a
    suggestion when it is a number written another way.
    """
    cleaned = _SPACES.sub(" ", _ZERO_WIDTH.sub("", text)).strip()
    if cleaned.replace(" ", "") in BLANK_TEXTS:
        return None
    percent = cleaned.endswith("%")
    body = cleaned[:-1].rstrip() if percent else cleaned
    sign = _SIGNS.get(body[:1])
    if sign is not None:
        body = body[1:].lstrip()
    integer, comma, decimals = body.partition(",")
    if sum(character.isdigit() for character in body) > MAX_DIGITS:
        raise NumberFormatError(text, f"a number of at most {MAX_DIGITS} digits")
    whole = _PLAIN.fullmatch(integer) or _GROUPED.fullmatch(integer)
    if not whole or (comma and not _PLAIN.fullmatch(decimals)) or _ENGLISH_THOUSANDS.fullmatch(body):
        raise NumberFormatError(text, _how_to_write(body, "%" if percent else ""))
    value = float(integer.replace(".", "").replace(" ", "") + "." + (decimals or "0"))
    return ParsedNumber((sign or 1.0) * value, percent)


def _how_to_write(body: str, suffix: str) -> str:
    """What a refused number should look like, when it is a number written another way."""
    if not _DIGITS_AND_MARKS.fullmatch(body) or not body[:1].isdigit() or not body[-1:].isdigit():
        return NOT_A_NUMBER
    if _ENGLISH_THOUSANDS.fullmatch(body):
        return (
            f"a number whose comma is certain: write {body.replace(',', '.')}{suffix} if the comma separates thousands "
            "(in Vietnamese tables a dot separates thousands and a comma marks decimals)"
        )
    if " " in body:
        return "a number without spaces between its digits (a space may only separate groups of three, as in 1 313)"
    if "." in body and "," in body and body.rfind(".") > body.rfind(","):
        swapped = body.translate(str.maketrans(".,", ",."))
        return f"a number written the Vietnamese way: {swapped}{suffix} (a dot separates thousands, a comma marks decimals)"
    if body.count(".") == 1 and "," not in body:
        return (
            f"a number whose dot is certain: write {body.replace('.', ',')}{suffix} if the dot marks decimals "
            "(in Vietnamese tables a comma marks decimals and a dot separates groups of three digits)"
        )
    return NOT_A_NUMBER + " (a dot separates groups of three digits, a comma marks decimals)"


def parse_count(value: object) -> int | None:
    """A count of dossiers, services or procedures: a whole number, or ``None`` when blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, bool):
        raise NumberFormatError(str(value), "a whole number")
    if isinstance(value, int):
        if abs(value) >= LARGEST:
            raise NumberFormatError(_shortened(value), f"a count of at most {MAX_DIGITS} digits")
        return value
    if isinstance(value, float):
        number = value
    else:
        try:
            parsed = parse_number(str(value))
        except NumberFormatError as error:
            detail = "" if error.expected == NOT_A_NUMBER else f" ({error.expected})"
            raise NumberFormatError(str(value), f"a whole number such as 1.313{detail}") from error
        if parsed is None:
            return None
        if parsed.percent:
            raise NumberFormatError(str(value), "a whole number (a count), not a percentage")
        number = parsed.value
    if not math.isfinite(number) or abs(number) >= LARGEST:
        raise NumberFormatError(str(value), f"a count of at most {MAX_DIGITS} digits")
    if number != int(number):
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
        if isinstance(value, int) and abs(value) >= LARGEST or not math.isfinite(value):
            raise NumberFormatError(_shortened(value), f"a percentage of at most {MAX_DIGITS} digits")
        return float(value) if percent_formatted else float(value) / 100
    parsed = parse_number(str(value))
    if parsed is None:
        return None
    return parsed.value / 100


def _shortened(value: int | float) -> str:
    """A number as text, without converting thousands of digits (Python refuses past 4300)."""
    if isinstance(value, int) and abs(value) >= LARGEST:
        digits = int(abs(value).bit_length() * math.log10(2)) + 1  # within one of the exact count
        return f"a number of about {digits} digits"
    return str(value)


def format_number(value: float | int | None, decimals: int = 0, language: str = "vi") -> str:
    """``1313`` → ``1.313`` (vi) or ``1,313`` (en); ``None``/NaN → ``–``."""
    if _missing(value):
        return "–"
    return _formatted(str(value), decimals, language)


# A report formats the same figures many times (a target in every row, counts in a table and
# its list): a quarter of its numbers are new. Babel reads a number as Decimal(str(number))
# (a Decimal's str gives it back digit for digit), so the formatted text depends on that text
# alone, and each is formatted once.
@lru_cache(maxsize=4096)
def _formatted(number: str, decimals: int, language: str) -> str:
    return _pattern(decimals).apply(number, _locale(language))


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
