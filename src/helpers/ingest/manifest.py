"""What the processed data was made from, so that an unchanged ingest skips its work.

``<data dir>/processed/.manifest.json`` records, for each raw folder ingested (a month,
``<province>/<YYYY-MM>``, or a province's 766 folder, ``<province>/766``), a hash of what the
processed file was made from and a hash of that file. What it was made from is the folder's
files (names and bytes, every file but hidden ones) and everything else the ingest depends on:
the catalogue, the unit registry (data/units/), the helpers package's code and the versions of
Python and of the libraries that read and write the files.

A folder is skipped only when both hashes are what they were: a change to any of its files, to
the catalogue, the registry or the code ingests it again, and so does a processed file that was
removed or changed since. A folder that fails is never recorded, so it is read (and its problems
reported) again on every run, and the file it would have replaced stays as it was; nor is a 766
folder written with some of its files left out (they could not be read), so that those files'
problems are reported again on every run.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from helpers.catalogue import Catalogue
from helpers.errors import InputError
from helpers.fingerprint import digest_files, source_fingerprint
from helpers.ingest.index766 import FOLDER, IngestedIndex766, discover_provinces, ingest_index766, processed_path, raw_folder
from helpers.paths import Workspace
from helpers.registry import UnitRegistry
from helpers.rules766 import Index766Rules
from helpers.text import printable
from helpers.atomic import write_atomic

MANIFEST_NAME = ".manifest.json"
# The libraries whose version changes what an ingest reads or the bytes it writes.
LIBRARIES = ("pandas", "pyarrow", "numpy", "openpyxl")


def context_fingerprint(workspace: Workspace) -> str:
    """A hash of all an ingest depends on besides a folder's own files."""
    digest = hashlib.sha256(source_fingerprint().encode())
    digest.update(json.dumps([platform.python_version(), *map(_version, LIBRARIES)]).encode())
    for folder in (workspace.catalogue_dir, workspace.units_dir):  # one after the other, never mistaken for each other
        digest.update(folder.name.encode() + b"\0")
        digest_files(digest, [folder], relative=True)
    return digest.hexdigest()


def _version(library: str) -> str:
    try:
        return f"{library} {version(library)}"
    except PackageNotFoundError:
        return f"{library} absent"


def file_hash(path: Path) -> str | None:
    """The hash of a file's bytes; None when there is no such file."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


@dataclass
class IngestManifest:
    """The manifest of one data directory, read at the start of a run and saved at its end."""

    path: Path
    context: str
    entries: dict[str, dict[str, object]]
    force: bool = False  # skip nothing (and record what is ingested)
    changed: bool = False

    @classmethod
    def load(cls, workspace: Workspace, force: bool = False) -> "IngestManifest":
        path = workspace.processed_dir / MANIFEST_NAME
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = {}  # no manifest yet, or a damaged one: ingest everything
        if not isinstance(entries, dict):
            entries = {}
        return cls(path, context_fingerprint(workspace), {key: entry for key, entry in entries.items() if isinstance(entry, dict)}, force)

    def made_from(self, folder: Path) -> str:
        """A hash of what a folder's processed file is made from: the context and the folder's files."""
        digest = hashlib.sha256(self.context.encode())
        files = sorted(path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")) if folder.is_dir() else []
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        return digest.hexdigest()

    def unchanged(self, key: str, made_from: str, output: Path) -> dict[str, object] | None:
        """What was recorded of ``key``'s last ingest (the figures for its progress line), if its
        processed file was made from ``made_from`` and is still the file that was written."""
        entry = self.entries.get(key)
        if self.force or entry is None or entry.get("made_from") != made_from or entry.get("output") != file_hash(output):
            return None
        summary = entry.get("summary")
        return summary if isinstance(summary, dict) else {}

    def record(self, key: str, made_from: str, output: Path, summary: dict[str, object]) -> None:
        entry = {"made_from": made_from, "output": file_hash(output), "summary": summary}
        if self.entries.get(key) != entry:
            self.entries[key] = entry
            self.changed = True

    def save(self) -> None:
        """Written (atomically) only when something was recorded: an unchanged run writes nothing."""
        if self.changed:
            write_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True) + "\n")
            self.changed = False


def ingest_index766_changed(
    workspace: Workspace, rules: Index766Rules, registry: UnitRegistry, catalogue: Catalogue, manifest: IngestManifest | None,
    provinces: list[str] | None = None, progress: Callable[[str], None] = print,
) -> tuple[list[IngestedIndex766], list[tuple[str, InputError]], list[str]]:
    """helpers.ingest.index766.ingest_index766 for the provinces whose 766 folder (or what else the
    ingest depends on) changed since their processed table was written; also the provinces skipped."""
    chosen = [province for province in discover_provinces(workspace) if not provinces or province in provinces]
    made_from = {province: manifest.made_from(raw_folder(workspace, province)) for province in chosen} if manifest else {}
    unchanged = [
        province for province in chosen
        if manifest and manifest.unchanged(f"{province}/{FOLDER}", made_from[province], processed_path(workspace, province)) is not None
    ]
    for province in unchanged:
        progress(f"{printable(province)} 766: unchanged (not read again) → {printable(workspace.display(processed_path(workspace, province)))}")
    changed = [province for province in chosen if province not in unchanged]
    done, failed = ingest_index766(workspace, rules, registry, catalogue, changed, progress) if changed else ([], [])
    for ingested in done:
        if manifest and not ingested.left_out:  # files left out: read (and reported) again next time
            manifest.record(f"{ingested.province}/{FOLDER}", made_from[ingested.province], ingested.output, {})
    return done, failed, unchanged
