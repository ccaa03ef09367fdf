"""The one message catalogue: every word a report, a document or a data check shows that is not data.

Each language is a folder of TOML files (``vi/``, ``en/``), one per domain (``common``,
``monthly``, ``index766``, ``checks``, …). A message is addressed as ``<file>.<table>.<key>``:
``monthly.summary.title`` is ``title`` under ``[summary]`` in ``vi/monthly.toml``. Parameters
are filled with ``str.format`` (``{count}``); a message that counts is a table with ``one`` and
``other`` and is chosen by Babel's plural rules for the language. Both languages must hold the
same keys (``tests/test_messages.py``), and code never branches on the language: it asks the
catalogue, and numbers, dates and lists are formatted through ``Messages`` too.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd
from babel import Locale
from babel.lists import format_list

from helpers.numbers import format_number, format_percent, format_signed

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALES = {"vi": "vi_VN", "en": "en_GB"}
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")

Entry = str | Mapping[str, str]


class UnknownMessage(KeyError):
    """A key the catalogue does not hold (a typo, or a message added to one language only)."""


def check_language(language: object) -> str:
    """The language when the catalogue has it; otherwise a ValueError that says which exist."""
    if language not in LANGUAGES:
        raise ValueError(f"the language is one of {', '.join(LANGUAGES)}; got {language!r}")
    return str(language)


@cache
def load_catalogue(language: str) -> dict[str, Entry]:
    """Every message of one language, flattened to ``file.table.key`` (plural tables kept whole)."""
    folder = resources.files(__package__).joinpath(check_language(language))
    entries: dict[str, Entry] = {}
    for item in sorted(folder.iterdir(), key=lambda item: item.name):
        if item.name.endswith(".toml"):
            with item.open("rb") as handle:
                _flatten(tomllib.load(handle), item.name.removesuffix(".toml"), entries)
    return entries


def _flatten(table: Mapping[str, object], prefix: str, into: dict[str, Entry]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, str):
            into[name] = value
        elif isinstance(value, Mapping) and value and set(value) <= set(PLURAL_FORMS):
            into[name] = {form: str(text) for form, text in value.items()}
        elif isinstance(value, Mapping):
            _flatten(value, name, into)
        else:
            raise TypeError(f"message {name} is {type(value).__name__}; messages are text")


@dataclass(frozen=True)
class Messages:
    """One language's messages and the number formats that go with them."""

    language: str

    @property
    def entries(self) -> dict[str, Entry]:
        return load_catalogue(self.language)

    @property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.language])

    def __call__(self, key: str, /, count: int | None = None, **params: object) -> str:
        """The message ``key`` with its parameters filled; ``count`` chooses a plural form."""
        try:
            entry = self.entries[key]
        except KeyError:
            raise UnknownMessage(f"no message {key!r} in the {self.language} catalogue") from None
        if not isinstance(entry, str):
            if count is None:
                raise TypeError(f"message {key!r} counts something: give count=")
            form = self.locale.plural_form(abs(count))
            entry = entry.get(form, entry["other"])
        if count is not None:
            params.setdefault("count", self.number(count))
        return entry.format(**params) if params else entry

    def has(self, key: str) -> bool:
        return key in self.entries

    def number(self, value: float | int | None, decimals: int = 0) -> str:
        """``1313`` → ``1.313`` (vi) or ``1,313`` (en); a missing figure is ``–``."""
        return format_number(value, decimals, self.language)

    def percent(self, fraction: float | None, decimals: int = 1) -> str:
        """``0.712`` → ``71,2%``."""
        return format_percent(fraction, decimals, self.language)

    def signed(self, value: float | None, decimals: int = 1) -> str:
        """``+2,3`` / ``−0,5``."""
        return format_signed(value, decimals, self.language)

    def join(self, items: Iterable[str]) -> str:
        """``A, B và C`` / ``A, B and C``."""
        items = [str(item) for item in items]
        return format_list(items, locale=self.locale) if items else ""

    def month(self, period: str) -> str:
        """``2024-02`` → ``tháng 02/2024`` / ``February 2024``."""
        month = pd.Period(period, freq="M")
        name = self.locale.months["format"]["wide"][month.month]
        return self("common.period.month", month=f"{month.month:02d}", year=month.year, name=name)

    def capitalised(self, key: str, /, **params: object) -> str:
        text = self(key, **params)
        return text[:1].upper() + text[1:]


@cache
def messages(language: str = DEFAULT_LANGUAGE) -> Messages:
    """The messages of ``language`` (ValueError for a language the catalogue lacks)."""
    return Messages(check_language(language))
