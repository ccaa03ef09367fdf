"""A province's document profile: letterhead, fixed paragraphs, recipients and the Word template.

``data/documents/default.toml`` holds every key; ``data/documents/<province>.toml`` overrides
some. The Word layout (letterhead table, fonts, margins) is ``official_document.docx`` beside them,
or ``<province>/official_document.docx`` for a province with its own.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from helpers.errors import Location, fail

TEMPLATE_NAME = "official_document.docx"


@dataclass(frozen=True)
class DocumentProfile:
    issuing_parent: str
    issuing_body: str
    number: str
    place: str
    preamble: str
    source_line: str
    recommendation: str
    recommendation_all_met: str
    closing: str
    recipients: tuple[str, ...]
    signer_title: str
    signer_name: str
    notice_number: str
    notice_preamble: str
    notice_source_line: str
    template: Path


def _read(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise fail(Location(str(path)), "a TOML file (key = \"text\")", str(error)) from error


def load_profile(documents_dir: Path, province: str) -> DocumentProfile:
    """The profile of ``province``: the defaults with the province's own file laid over them."""
    values = _read(documents_dir / "default.toml")
    own = documents_dir / f"{province}.toml"
    if own.is_file():
        values |= _read(own)
    names = {field.name for field in fields(DocumentProfile)} - {"template"}
    unknown = sorted(set(values) - names)
    if unknown:
        raise fail(Location(str(own if own.is_file() else documents_dir / "default.toml")), f"keys among {', '.join(sorted(names))}", f"unknown keys {', '.join(unknown)}")
    missing = sorted(names - set(values))
    if missing:
        raise fail(Location(str(documents_dir / "default.toml")), f"every key ({', '.join(missing)} missing)", "an incomplete profile")
    template = documents_dir / province / TEMPLATE_NAME
    values["recipients"] = tuple(str(item) for item in values["recipients"])  # type: ignore[union-attr]
    return DocumentProfile(**values, template=template if template.is_file() else documents_dir / TEMPLATE_NAME)  # type: ignore[arg-type]
