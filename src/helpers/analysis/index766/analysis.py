"""One province's 766 snapshot, analysed: scores, changes since the previous snapshot, checks."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.catalogue import WHOLE_PROVINCE, Catalogue
from helpers.context import Context
from helpers.analysis.index766.changes import PreviousByLevel, compare, levels_by_snapshot, low_streaks, national_rank_since, previous_by_level
from helpers.analysis.index766.checks import left_out_checks, run_checks766, source_disagreements
from helpers.analysis.index766.national import national_gap
from helpers.ingest.index766 import left_out_files, load_index766_sources
from helpers.rules766 import Index766Rules, load_rules
from helpers.tidy766 import PERIOD_KINDS, Snapshot, parse_snapshot_date, snapshots_in
from helpers.analysis.index766.reproduce import score_in_force
from helpers.analysis.index766.scoring import Scores


# Settings (data/catalogue/settings.csv) the 766 analysis reads.
REQUIRED_SETTINGS = ("notable_change_points", "red_below_share_of_max", "amber_below_share_of_max", "index766_points_tolerance", "index766_low_streak")


@dataclass(frozen=True)
class Index766Analysis:
    province: str
    province_name: str
    snapshot: Snapshot
    previous: Snapshot | None  # the latest snapshot any level is compared with (the subtitle's)
    previous_by_level: PreviousByLevel
    snapshots: list[Snapshot]
    rules: Index766Rules
    catalogue: Catalogue
    tidy: pd.DataFrame
    scores: Scores
    changes: pd.DataFrame
    checks: pd.DataFrame
    national_gap: pd.Series | None = None  # the province one place up the national table (analysis.index766.national)

    @property
    def settings(self) -> dict[str, float]:
        return self.catalogue.settings

    @property
    def current(self) -> Scores:
        return self.scores.snapshot(self.snapshot)

    @property
    def has_previous(self) -> bool:
        return self.previous is not None

    @property
    def province_total(self) -> pd.Series | None:
        """The province's own total row (its score and national rank), when the source has it."""
        rows = self.current.totals[self.current.totals["level"] == WHOLE_PROVINCE]
        return rows.iloc[0] if len(rows) else None

    def low_streaks(self) -> pd.DataFrame:
        return low_streaks(self.scores, self.snapshot, self.snapshots, self.settings)


def analyse_index766(
    context: Context, province: str, snapshot_date: str | None = None, period_kind: str | None = "year_to_date", period: str | None = None,
) -> Index766Analysis:
    """Analyse a processed snapshot (the latest of ``period_kind`` unless a date is given;
    ``period_kind=None`` takes the kind of the most recent snapshot; ``period`` chooses between
    two periods taken the same day, such as months 2 and 3 captured on 23/09).

    Raises ValueError with one clear sentence for an unknown province, period kind or date.
    """
    for key in REQUIRED_SETTINGS:
        if key not in context.catalogue.settings:
            raise ValueError(f"setting {key!r} is missing from {context.catalogue.directory / 'settings.csv'} (see the bundled data/catalogue/settings.csv)")
    tidy, disagreeing = load_index766_sources(context.workspace, province)
    if period_kind is None:
        period_kind = max(snapshots_in(tidy), key=lambda snapshot: snapshot.snapshot_date).period_kind
    if period_kind not in PERIOD_KINDS:
        raise ValueError(f"period_kind is one of {', '.join(PERIOD_KINDS)}; got {period_kind!r}")
    of_kind = tidy[tidy["period_kind"] == period_kind].reset_index(drop=True)
    available = snapshots_in(of_kind)
    if not available:
        kinds = ", ".join(sorted(tidy["period_kind"].unique()))
        raise ValueError(f"no {period_kind} snapshot of the 766 index for {province}; period kinds with data: {kinds}")
    if snapshot_date:
        wanted = parse_snapshot_date(snapshot_date)
        matching = [snapshot for snapshot in available if snapshot.snapshot_date == wanted and (not period or snapshot.period == period)]
        if not matching:
            dates = ", ".join(snapshot.date_label() for snapshot in available)
            raise ValueError(f"no {period_kind} snapshot of {province} taken on {snapshot_date}; snapshots: {dates}")
        snapshot = matching[-1]
    else:
        snapshot = available[-1]
    rules = load_rules(context.workspace.catalogue_dir)
    settings = context.catalogue.settings
    scores = score_in_force(of_kind, rules, settings)  # each snapshot judged by the rules of its day
    by_level = previous_by_level(snapshot, available, levels_by_snapshot(scores))
    # Sources that disagree, in every capture the page shows (its history runs up to this one).
    shown = disagreeing[(disagreeing["period_kind"] == period_kind) & (disagreeing["snapshot_date"] <= snapshot.snapshot_date)]
    compared = [other for other in by_level.values() if other is not None]
    previous = max(compared, key=lambda other: other.snapshot_date) if compared else None
    province_name = context.registry.province_name(province)
    return Index766Analysis(
        province=province,
        province_name=province_name,
        snapshot=snapshot,
        previous=previous,
        previous_by_level=by_level,
        snapshots=available,
        rules=rules,
        catalogue=context.catalogue,
        tidy=of_kind,
        scores=scores,
        changes=national_rank_since(compare(scores, snapshot, by_level, settings), scores, snapshot, available),
        national_gap=national_gap(context, province, rules, snapshot),
        checks=run_checks766(
            scores, rules, context.catalogue, snapshot, previous,
            source_disagreements(of_kind, shown) + left_out_checks(left_out_files(context.workspace, province), province, province_name, snapshot),
        ),
    )
