"""Files written whole or not at all: through a temporary file in the same folder, then a rename,
so a reader never sees half a file and a failed write leaves the last good one. Used by the
processed store, the ingest and report manifests, the reports and their documents."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomically(path: Path, write: Callable[[str], object]) -> Path:
    """``write(temporary_path)`` fills a temporary file beside ``path``, which then replaces ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return path


def write_atomic(path: Path, content: str | bytes) -> Path:
    """Text (as UTF-8) or bytes."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    return atomically(path, lambda temporary: Path(temporary).write_bytes(data))
