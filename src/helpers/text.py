"""Normalising Vietnamese text so that names and headers written differently compare equal,
and making text from files safe to print."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_SPACES = re.compile(r"\s+")
# Old-style tone placement ("hoà", "thuỷ") and new-style ("hòa", "thủy") are both in use;
# at the end of a syllable we move the mark to the first vowel so both spellings meet.
_TONE_MOVES = {
    f"{first}{marked}": f"{unicodedata.normalize('NFC', first + mark)}{plain}"
    for first, plain, marks in (("o", "a", "àáảãạ"), ("o", "e", "èéẻẽẹ"), ("u", "y", "ỳýỷỹỵ"))
    for marked in marks
    for mark in [unicodedata.normalize("NFD", marked)[1:]]
}
_TONE_PATTERN = re.compile("(" + "|".join(_TONE_MOVES) + r")(?![\wà-ỹ])")
_PUNCTUATION = re.compile(r"[^\w\s]")
# Control characters (ANSI escapes, newlines that would forge output lines) and the invisible
# direction overrides that reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
PRINTED_LENGTH = 120


def normalize_text(value: object) -> str:
    """Case-, Unicode-form-, dash-, spacing- and tone-placement-insensitive form of a text."""
    text = unicodedata.normalize("NFC", str(value)).casefold().translate(_DASHES)
    text = _SPACES.sub(" ", text).strip()
    return _TONE_PATTERN.sub(lambda match: _TONE_MOVES[match.group(1)], text)


def header_key(value: object) -> str:
    """Key for a table header: normalised, punctuation and spacing around it ignored."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", normalize_text(value))).strip()


def name_key(value: object, abbreviations: Mapping[str, str]) -> str:
    """Key for a unit name: normalised, listed abbreviations expanded, punctuation ignored.

    ``abbreviations`` maps normalised short forms ("tp.", "mt") to normalised long forms.
    A token is looked up as written first ("tp."), then without surrounding punctuation.
    """
    words: list[str] = []
    for token in normalize_text(value).split(" "):
        expansion = abbreviations.get(token) or abbreviations.get(token.strip(".,;:()"))
        words.append(expansion if expansion is not None else token)
    return header_key(" ".join(words))


def fold_diacritics(text: str) -> str:
    """``Sở Tư pháp`` → ``So Tu phap``: only for ranking look-alike names, never for matching."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def printable(text: object, limit: int = PRINTED_LENGTH) -> str:
    """A name from a file, safe for a terminal: control characters escaped (``\\x1b``, ``\\n``) and
    a very long one shortened to ``limit`` characters, keeping its start and its end."""
    escaped = _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), str(text))
    if len(escaped) <= limit:
        return escaped
    keep = max(limit - len(f"…[{len(escaped)} more characters]…"), 2)
    head, tail = keep - keep // 3, keep // 3
    return f"{escaped[:head]}…[{len(escaped) - keep} more characters]…{escaped[len(escaped) - tail:]}"
