"""The message catalogue: both languages hold the same messages, and code never branches on the language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from helpers.messages import LANGUAGES, UnknownMessage, load_catalogue, messages

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"
LANGUAGE_BRANCH = re.compile(r"""language\s*[!=]=\s*["'](vi|en)["']|\bif\s+(not\s+)?vi\b|\bvi\s*=\s*language|["'](vi|en)["']\s*[!=]=\s*language""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_exists_in_every_language() -> None:
    keys = {language: set(load_catalogue(language)) for language in LANGUAGES}
    for language in LANGUAGES:
        for other in LANGUAGES:
            missing = sorted(keys[other] - keys[language])
            assert not missing, f"in {other} but not in {language}: {missing[:20]}"


def test_every_message_can_be_filled() -> None:
    """Format syntax is sound and no language asks for a parameter that no language's code passes."""
    catalogues = {language: load_catalogue(language) for language in LANGUAGES}
    for key in catalogues["vi"]:
        texts = [text for language in LANGUAGES for entry in [catalogues[language][key]] for text in (entry.values() if isinstance(entry, dict) else [entry])]
        names = set().union(*(_fields(text) for text in texts))
        for text in texts:
            text.format(**{name: "x" for name in names})


def test_no_module_outside_the_catalogue_branches_on_the_language() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.parent.name == "messages":
            continue
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LANGUAGE_BRANCH.search(text):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {text.strip()}")
    assert not offenders, "\n".join(offenders)


def test_a_message_is_filled_and_counts_by_the_language_rules() -> None:
    assert messages("vi").month("2024-02") == "tháng 02/2024"
    assert messages("en").month("2024-02") == "February 2024"
    assert messages("vi").join(["A", "B", "C"]) == "A, B và C"
    with pytest.raises(UnknownMessage):
        messages("en")("common.no_such_message")
    with pytest.raises(ValueError, match="vi, en"):
        messages("fr")
