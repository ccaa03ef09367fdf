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


# -- every message is used ------------------------------------------------------------------------
from helpers.analysis.index766.checks import CHECKS766, FIGURE_KINDS, TOTAL_POINTS, VARIANTS766  # noqa: E402
from helpers.analysis.index766.deltas import CHANGE_UNITS, DELTA_PROBLEMS  # noqa: E402
from helpers.analysis.index766.history import MOVEMENTS  # noqa: E402
from helpers.analysis.monthly.checks import CHECKS, SEVERITIES  # noqa: E402
from helpers.explore import COLUMNS as EXPLORE_COLUMNS  # noqa: E402
from helpers.report.checks_view import DISPLAY_COLUMNS, LOCATION_PARTS, TABLE_COLUMNS  # noqa: E402
from helpers.report.index766.appendix import COLUMNS as APPENDIX766_COLUMNS  # noqa: E402

CHECK_TEXTS = ("found", "expected", "message")


def _check_keys(kind: str, checks: dict[str, str], variants: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """``monthly.unit_new.message``, ``index766.rank_tie.ranked.found``: a data check's texts, by kind, code and variant."""
    return tuple(
        f"{kind}.{code}{'.' + variant if variant else ''}.{text}"
        for code in checks for variant in variants.get(code, ("",)) for text in CHECK_TEXTS
    )


# The keys the code builds from a name (``m(f"common.severity.{severity}")``), declared here and
# nowhere else: each family is the f-string's text before its first ``{`` and where the name
# goes, with the names it is built from (the code's own constants where it has them).
BUILT_KEYS: dict[str, tuple[str, ...]] = {
    "common.severity.{}": SEVERITIES,
    "checks.counted.{}": SEVERITIES,
    "checks.column.{}": tuple(dict.fromkeys([*DISPLAY_COLUMNS, *TABLE_COLUMNS])),
    "checks.location.{}": tuple(part for part, _ in LOCATION_PARTS),
    "checks.{}": _check_keys("monthly", CHECKS, {}) + _check_keys("index766", CHECKS766, VARIANTS766)
    + ("count_kind.numerator", "count_kind.denominator", "tier.central", "tier.provincial", "reason.previous", "reason.registry",
       "field.assigned_target", "field.reported_rate") + tuple(f"field.{name}" for name in (*FIGURE_KINDS, TOTAL_POINTS)),
    "checks.title.{}": tuple(f"monthly.{code}" for code in CHECKS) + tuple(f"index766.{code}" for code in CHECKS766),
    "explore.column.{}": EXPLORE_COLUMNS,
    "explore.status.{}": ("met", "below", "not_arisen", "no_target", "no_data"),
    "index766.appendix.change_{}": CHANGE_UNITS,
    "index766.appendix.problem.{}": DELTA_PROBLEMS,
    "index766.appendix.column.{}": APPENDIX766_COLUMNS,
    "index766.band.{}": ("red", "amber", "green"),
    "index766.points_change.{}": ("no_previous_snapshot", "new_unit", "no_score", "unchanged", "up", "down"),
    "index766.rank_change.{}": ("up", "down", "same", "no_comparison"),
    "index766.ratio_change.{}": ("up", "down"),
    "index766.section.{}": tuple(
        f"{section}.{part}" for section in ("groups", "rank", "laggards", "by_group", "changes", "history", "stakes", "actions", "draft", "checks")
        for part in ("title", "lead")
    ),
    "index766.caption.{}": (
        "bands", "fallers", "fell_back", "group_laggards", "indicator_stakes", "levers", "movement", "overdue", "persistent_low",
        "province_history", "province_stakes", "risers", "stakes",
    ),
    "index766.column.{}": (
        "group", "score", "share", "band", "change", "total", "unit", "level", "rank", "group_rank", "rank_change", "weakest", "item",
        "value", "lost", "indicator", "ratio", "threshold", "needed", "previous", "streak", "since", "share_den", "gain", "number",
        "result", "ranked", "date", "week_change", "falls", "overdue", "received", "overdue_share", *MOVEMENTS,
    ),
    "index766.draft.{}": (
        "by_group", "fell", "group_score", "group_score_changed", "indicator_lost", "level_units", "low_of_level", "low_streak", "low_units",
        "low_units_by_level", "most_lost", "most_lost_indicators", "no_province_score", "none_fell", "province_score", "rank_first",
        "rank_moved", "rose", "groups_red", "groups_amber",
    ),
    "monthly.assessment.{}": ("met", "central_only", "below_central"),
    "monthly.column.{}": ("unit", "indicator", "previous", "rate", "delta", "rank"),
    "monthly.draft.change.{}": ("up", "down", "unchanged"),
    "runner.index.document{}": ("_docx", "_xlsx", "_digest_html", "_digest_txt"),
}
SCANNED = ("*.py", "*.j2")


def _source_text() -> str:
    """Every module and template of src/helpers, and the notebooks."""
    files = [path for pattern in SCANNED for path in SRC.rglob(pattern)]
    files += sorted((SRC.parents[1] / "notebooks").glob("*.py"))
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_message_is_used_by_the_code() -> None:
    """A key is used when the code names it whole, or when it is one of BUILT_KEYS; each family
    there is still built (its f-string is in the code), each name is still in the code, and each key exists."""
    source, catalogue = _source_text(), load_catalogue("vi")
    built = set()
    for family, names in BUILT_KEYS.items():
        start = family.split("{}")[0]
        assert re.search(r"""f["']""" + re.escape(start) + r"\{", source), f"no f-string builds {family}: remove it from BUILT_KEYS"
        for name in names:
            key = family.format(name)
            assert key in catalogue, f"{key} is declared as built but the catalogue has no such message"
            word = re.match(r"[._]*([a-z0-9]+)", name).group(1)  # "rank_tie.ranked" → rank, "_docx" → docx (the suffix .docx)
            assert re.search(rf"""["'.]{word}""", source), f"{key}: nothing in the code names {name!r}"
            built.add(key)
    unused = sorted(key for key in catalogue if key not in built and not re.search(rf"""["']{re.escape(key)}["']""", source))
    assert not unused, f"messages no code uses (remove them, or declare a built family in BUILT_KEYS): {unused}"
