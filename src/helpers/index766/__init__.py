"""The national 766 index (Bộ chỉ số 766): ingest, scoring rules, points at stake, changes,
data checks, and the tables, charts and text of its report.

Typical use::

    context = Context.load()
    ingest_index766(context.workspace, load_rules(context.workspace.catalogue_dir), context.registry, context.catalogue)
    analysis = analyse_index766(context, "gia_lai")
"""

from .analysis import Index766Analysis, analyse_index766
from .ingest import ingest_index766, load_index766, read_province
from .jobs import render_jobs
from .rules import Index766Rules, load_rules
from .schema import INDEX766_SCHEMA, Snapshot
from .scoring import Scores, score

__all__ = [
    "INDEX766_SCHEMA",
    "Index766Analysis",
    "Index766Rules",
    "Scores",
    "Snapshot",
    "analyse_index766",
    "ingest_index766",
    "load_index766",
    "load_rules",
    "read_province",
    "render_jobs",
    "score",
]
