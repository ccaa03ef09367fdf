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
    entries: dict[str, Entry] = {}
    for name in catalogue_files(language):
        entries.update(load_file(language, name))
    return entries


@cache
def catalogue_files(language: str) -> tuple[str, ...]:
    """The names of one language's files (``common``, ``monthly`` …), in order."""
    folder = resources.files(__package__).joinpath(check_language(language))
    return tuple(sorted(item.name.removesuffix(".toml") for item in folder.iterdir() if item.name.endswith(".toml")))


@cache
def load_file(language: str, name: str) -> dict[str, Entry]:
    """The messages of one file, as ``load_catalogue`` holds them: a page reads only the files its
    keys name (the monthly report never reads the 766 index's, half the catalogue)."""
    entries: dict[str, Entry] = {}
    with resources.files(__package__).joinpath(language, f"{name}.toml").open("rb") as handle:
        _flatten(tomllib.load(handle), name, entries)
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
    def locale(self) -> Locale:
        return _locale(self.language)

    def _entry(self, key: str) -> Entry | None:
        """The entry of ``key``, read from its file (the key's first part)."""
        name = key.partition(".")[0]
        return load_file(self.language, name).get(key) if name in catalogue_files(self.language) else None

    def __call__(self, key: str, /, count: int | None = None, **params: object) -> str:
        """The message ``key`` with its parameters filled; ``count`` chooses a plural form."""
        entry = self._entry(key)
        if entry is None:
            raise UnknownMessage(f"no message {key!r} in the {self.language} catalogue")
        if not isinstance(entry, str):
            if count is None:
                raise TypeError(f"message {key!r} counts something: give count=")
            form = self.locale.plural_form(abs(count))
            entry = entry.get(form, entry["other"])
        if count is not None:
            params.setdefault("count", self.number(count))
        return entry.format(**params) if params else entry

    def has(self, key: str) -> bool:
        return self._entry(key) is not None

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
def _locale(language: str) -> Locale:
    return Locale.parse(LOCALES[language])


@cache
def messages(language: str = DEFAULT_LANGUAGE) -> Messages:
    """The messages of ``language`` (ValueError for a language the catalogue lacks)."""
    return Messages(check_language(language))
