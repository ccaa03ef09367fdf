"""Hashes of what an output was made from, for the manifests that let a re-run skip unchanged work
(the ingest's, helpers.ingest.manifest, and the report runner's, helpers.report.batch)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from helpers.paths import PACKAGE_DIR

SOURCE_SUFFIXES = (".py", ".toml", ".j2", ".css")


def digest_files(digest: "hashlib._Hash", paths: Sequence[Path], suffixes: tuple[str, ...] = (), relative: bool = False) -> None:
    """Every file of ``paths`` (a folder: its files, in name order) into ``digest``, name and bytes;
    with ``relative``, a folder's files named from that folder (the same files elsewhere hash the same)."""
    for path in paths:
        files = sorted(item for item in path.rglob("*") if item.is_file()) if path.is_dir() else [path] if path.is_file() else []
        for item in files:
            if suffixes and item.suffix not in suffixes:
                continue
            name = item.relative_to(path) if relative and path.is_dir() else item
            digest.update(str(name).encode() + b"\0" + item.read_bytes() + b"\0")


def source_fingerprint(package: Path = PACKAGE_DIR) -> str:
    """A hash of the helpers package: new code makes every output again."""
    digest = hashlib.sha256()
    digest_files(digest, [package], SOURCE_SUFFIXES, relative=True)
    return digest.hexdigest()
