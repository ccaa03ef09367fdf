"""Synthetic demo data: fictional provinces' monthly tables, in the layouts the ingest reads.

``generate_demo(DemoSpec(...), out)`` writes a self-contained data directory:

- ``units/``: the made-up unit registry (provinces.csv, units.csv, aliases.csv) and a copy of
  the bundled abbreviations.csv;
- ``catalogue/``: a copy of the bundled catalogue, plus provincial floor targets for the
  made-up provinces (their source says they are assumed for synthetic data);
- ``raw/<province>/<YYYY-MM>/``: one appendix workbook per month ("Phụ lục 1, 2, 3", as the
  bundled Bình Định file), or the same appendix as CSV, or the documented tidy Parquet;
- ``demo.json``: the parameters that produced it.

Everything is fictional and says so: provinces.csv marks each province ``synthetic=true``, its
name ends "(dữ liệu mô phỏng)" and every appendix sheet carries a line saying it is simulated.
The same seed and parameters give the same figures (numpy.random.Generator); ``messy`` adds the
problems real tables have, each of a kind the ingest reads and the data checks report.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from helpers.catalogue import Catalogue
from helpers.numbers import format_number, format_percent
from helpers.paths import DEFAULT_DATA_DIR
from helpers.periods import check_period
from helpers.registry import UnitRegistry
from helpers.text import fold_diacritics, header_key

OUTPUT_FORMATS = ("xlsx", "csv", "tidy-parquet")
MARKER_FILE = "demo.json"
SYNTHETIC_SUFFIX = "(dữ liệu mô phỏng)"
ASSUMED_TARGET_SOURCE = "Giả định cho dữ liệu mô phỏng (không phải văn bản thật)"
MAX_PROVINCES = 34

# Named starting points; any parameter given beside a scale overrides it.
SCALES: dict[str, dict[str, int]] = {
    # Bình Định before 7/2025: 18 departments, 11 districts, 159 communes (summed per district).
    "binh-dinh": {},
    # After 7/2025: 34 provinces, ~550 departments and ~3,300 communes and wards in total.
    "national": {"provinces": 34, "levels": 2, "departments": 16, "communes": 98},
}

# Real department names with typical dossiers received per month (Bình Định 02/2024 where it
# lists them; merged departments after 7/2025 add up their parts). The first N are used.
DEPARTMENTS_BEFORE_2025 = (
    ("Ban Quản lý Khu kinh tế tỉnh", 45), ("Sở Công Thương", 5000), ("Sở Du lịch", 45),
    ("Sở Giáo dục và Đào tạo", 180), ("Sở Giao thông vận tải", 3000), ("Sở Kế hoạch và Đầu tư", 600),
    ("Sở Khoa học và Công nghệ", 30), ("Sở Lao động - Thương binh và Xã hội", 100), ("Sở Ngoại vụ", 6),
    ("Sở Nội vụ", 110), ("Sở Nông nghiệp và Phát triển nông thôn", 1250), ("Sở Tài chính", 10),
    ("Sở Tài nguyên và Môi trường", 470), ("Sở Thông tin và Truyền thông", 17), ("Sở Tư pháp", 1650),
    ("Sở Văn hóa và Thể thao", 50), ("Sở Xây dựng", 280), ("Sở Y tế", 230),
    ("Văn phòng Ủy ban nhân dân tỉnh", 40), ("Thanh tra tỉnh", 4), ("Ban Dân tộc", 8),
    ("Công an tỉnh", 1500), ("Ban Quản lý các Khu công nghiệp", 80),
)
DEPARTMENTS_FROM_2025 = (
    ("Văn phòng Ủy ban nhân dân tỉnh", 60), ("Sở Nội vụ", 350), ("Sở Tư pháp", 2500), ("Sở Tài chính", 1000),
    ("Sở Công Thương", 7000), ("Sở Nông nghiệp và Môi trường", 2600), ("Sở Xây dựng", 5000),
    ("Sở Khoa học và Công nghệ", 70), ("Sở Văn hóa, Thể thao và Du lịch", 150), ("Sở Giáo dục và Đào tạo", 270),
    ("Sở Y tế", 350), ("Sở Dân tộc và Tôn giáo", 15), ("Sở Ngoại vụ", 10), ("Thanh tra tỉnh", 6),
    ("Ban Quản lý Khu kinh tế tỉnh", 70), ("Công an tỉnh", 2200), ("Ban Quản lý các Khu công nghiệp", 120),
    ("Ban Quản lý Khu công nghệ cao", 20),
)
# Typical dossiers per month of a district, and of one commune (communes merged in 7/2025 are
# larger). A province's city is bigger than its districts and has more wards.
DISTRICT_VOLUME = 550
CITY_FACTOR = 2.5
COMMUNE_VOLUME = {"commune_before_2025": 180, "commune_from_2025": 450}
# Fictional place names are two of these syllables ("An Hòa", "Phú Thạnh").
PLACE_SYLLABLES = (
    "An", "Bình", "Hòa", "Phú", "Tân", "Thạnh", "Long", "Phước", "Mỹ", "Hưng", "Thuận", "Lộc",
    "Sơn", "Hải", "Đông", "Tây", "Nam", "Bắc", "Trung", "Xuân", "Hiệp", "Thành", "Quang", "Vĩnh",
    "Cát", "Hoài", "Nhơn", "Lợi", "Đức", "Tường", "Thịnh", "Phong", "Khánh", "Lâm", "Hà", "Giang",
    "Minh", "Tiến", "Thắng", "Lạc", "Yên", "Hội", "Định", "Chánh", "Kim", "Ngọc", "Thủy", "Trường",
    "Vân", "Cường",
)


def _slug(text: str) -> str:
    """``Sở Tư pháp`` → ``so_tu_phap``: the ASCII part of a unit_id."""
    return re.sub(r"[^a-z0-9]+", "_", fold_diacritics(text).lower()).strip("_")


def _all_place_names() -> tuple[str, ...]:
    """Every pair of different syllables, keeping one of the pairs that fold alike (Thành/Thạnh),
    so that unit ids, made of the folded name, are unique too."""
    names: dict[str, str] = {}
    for first in PLACE_SYLLABLES:
        for second in PLACE_SYLLABLES:
            if first != second:
                names.setdefault(_slug(f"{first} {second}"), f"{first} {second}")
    return tuple(names.values())


PLACE_NAMES = _all_place_names()
MAX_PLACES = len(PLACE_NAMES)

# The appendix layout of the real tables: which indicators share a table block, and the caption
# above it. Header texts come from catalogue/appendix_headers.csv (checked in _AppendixLayout).
BLOCKS = (
    (
        "1. Các chỉ tiêu: (i) DVC trực tuyến có phát sinh hồ sơ trực tuyến, (ii) Hồ sơ trực tuyến, "
        "(iii) Tỷ lệ TTHC cung cấp thanh toán trực tuyến có phát sinh giao dịch trực tuyến, (iv) Thanh toán trực tuyến.",
        ("services_with_dossiers", "online_dossiers", "procedures_with_payment", "online_payment"),
    ),
    (
        "2. Các chỉ tiêu: (i) Số hóa thành phần hồ sơ, (ii) Khai thác, sử dụng lại thông tin số hóa "
        "và (iii) Cấp kết quả điện tử",
        ("digitized", "reuse", "e_result"),
    ),
)
DENOMINATOR_HEADERS = {
    "services_with_dossiers": "DVCTT có phát sinh HS",
    "procedures_with_payment": "TTHC phát sinh thanh toán",
    "online_payment": "Tổng số HS có thanh toán",
}
# Communes get one target for all ("giao chung"); other levels a target per unit.
TARGET_HEADER = {"cap_xa": "Chỉ tiêu giao chung"}
DEFAULT_TARGET_HEADER = "Chỉ tiêu được giao"


@dataclass(frozen=True)
class _RateModel:
    """Where units start (typical rate, spread between units in log-odds) and what they count."""

    typical: float
    spread: float
    counts: str  # received | fee_dossiers | results | services | payment_procedures


RATE_MODELS = {
    "online_dossiers": _RateModel(0.92, 0.7, "received"),
    "online_payment": _RateModel(0.60, 1.0, "fee_dossiers"),
    "digitized": _RateModel(0.93, 0.9, "received"),
    "e_result": _RateModel(0.95, 0.8, "results"),
    "reuse": _RateModel(0.20, 1.0, "received"),
    "services_with_dossiers": _RateModel(0.95, 0.8, "services"),
    "procedures_with_payment": _RateModel(0.85, 0.9, "payment_procedures"),
}


@dataclass(frozen=True)
class _UnitKind:
    """How much units of a kind differ in volume (log spread) and their service portfolio."""

    volume_spread: float
    services: tuple[int, float]  # at least, plus Poisson mean
    payment_procedures: tuple[int, float]
    fee_share: tuple[float, float]  # Beta parameters: share of dossiers that carry a fee


UNIT_KINDS = {
    "department_before_2025": _UnitKind(0.5, (1, 11), (0, 6), (1.2, 2.0)),
    "department_from_2025": _UnitKind(0.5, (1, 14), (0, 7), (1.2, 2.0)),
    "district": _UnitKind(0.5, (15, 15), (5, 8), (8.0, 2.0)),
    "commune_before_2025": _UnitKind(0.5, (10, 6), (20, 10), (3.0, 3.0)),  # per commune; rows sum a district's
    "commune_from_2025": _UnitKind(0.6, (8, 8), (3, 5), (3.0, 3.0)),
}
# Dossier volume by calendar month: the Tết dip, the year-end rush.
SEASON = (1.00, 0.72, 1.05, 1.05, 1.04, 1.00, 0.95, 0.96, 1.00, 1.04, 1.10, 1.15)
MONTHLY_GROWTH = 0.004
# How a unit's rate moves: steady units drift slowly toward their target, laggards stay low,
# improvers start low and climb, fallers slide. Speeds are per month, in log-odds.
TRAJECTORIES = ("steady", "laggard", "improver", "faller")
TRAJECTORY_SHARES = (0.65, 0.12, 0.15, 0.08)
TRAJECTORY_SPEED = {"steady": 0.06, "laggard": 0.30, "improver": 0.25, "faller": 0.15}


@dataclass(frozen=True)
class DemoSpec:
    """What to generate. The defaults: one province of Bình Định's size before 7/2025 (18
    departments, 11 districts, 159 communes summed per district), 12 months from 2024-01, xlsx.

    ``levels`` 3 is tỉnh/huyện/xã (before 7/2025; ``communes`` only sets the volume each
    district's commune row sums), 2 is tỉnh/xã (from 7/2025; ``districts`` is not used).
    ``start`` defaults to 2024-01 for 3 levels and 2025-07 for 2 levels.
    """

    provinces: int = 1
    levels: int = 3
    departments: int = 18
    districts: int = 11
    communes: int = 159
    months: int = 12
    start: str | None = None
    seed: int = 1
    messy: bool = False
    output_format: str = "xlsx"

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.provinces <= MAX_PROVINCES:
            problems.append(f"provinces must be 1 to {MAX_PROVINCES}, got {self.provinces}")
        if self.levels not in (2, 3):
            problems.append(f"levels must be 3 (tỉnh/huyện/xã, before 7/2025) or 2 (tỉnh/xã, from 7/2025), got {self.levels}")
        else:
            known = len(self.known_departments)
            if not 1 <= self.departments <= known:
                problems.append(f"departments must be 1 to {known} (the departments demo.py knows), got {self.departments}")
        if self.levels == 3 and not 1 <= self.districts <= MAX_PLACES:
            problems.append(f"districts must be 1 to {MAX_PLACES}, got {self.districts}")
        smallest = self.districts if self.levels == 3 else 1
        if not smallest <= self.communes <= MAX_PLACES:
            problems.append(f"communes must be {smallest} to {MAX_PLACES} per province (at least one per district), got {self.communes}")
        if self.months < 1:
            problems.append(f"months must be at least 1, got {self.months}")
        if self.seed < 0:
            problems.append(f"seed must be 0 or more, got {self.seed}")
        if self.output_format not in OUTPUT_FORMATS:
            problems.append(f"format must be one of {', '.join(OUTPUT_FORMATS)}, got {self.output_format!r}")
        if self.start is not None:
            try:
                check_period(self.start)
            except ValueError as error:
                problems.append(f"start: {error}")
        if problems:
            raise ValueError("; ".join(problems))

    @classmethod
    def at_scale(cls, scale: str, **changes: object) -> "DemoSpec":
        """A named scale of SCALES ("binh-dinh", "national") with some parameters changed."""
        if scale not in SCALES:
            raise ValueError(f"scale must be one of {', '.join(SCALES)}, got {scale!r}")
        return cls(**{**SCALES[scale], **changes})  # type: ignore[arg-type]

    @property
    def first_period(self) -> str:
        return self.start or ("2024-01" if self.levels == 3 else "2025-07")

    @property
    def periods(self) -> list[str]:
        first = pd.Period(self.first_period, freq="M")
        return [str(first + offset) for offset in range(self.months)]

    @property
    def level_ids(self) -> tuple[str, ...]:
        return ("cap_tinh", "cap_huyen", "cap_xa") if self.levels == 3 else ("cap_tinh", "cap_xa")

    @property
    def known_departments(self) -> tuple[tuple[str, int], ...]:
        return DEPARTMENTS_BEFORE_2025 if self.levels == 3 else DEPARTMENTS_FROM_2025

    def province_ids(self) -> list[str]:
        if self.provinces == 1:
            return ["mo_phong"]
        return [f"mo_phong_{number:02d}" for number in range(1, self.provinces + 1)]


@dataclass(frozen=True)
class DemoResult:
    """What a run wrote: the directory, its provinces and months, and how many raw files."""

    out: Path
    spec: DemoSpec
    provinces: list[str]
    periods: list[str]
    raw_files: int
    units_per_level: dict[str, int]


@dataclass(frozen=True)
class _Province:
    """One fictional province: its registry rows and what drives its figures."""

    province: str
    name_vi: str
    name_en: str
    units: pd.DataFrame  # registry columns, table_name, unit kind parameters; in table order
    aliases: list[tuple[str, str]]
    floors: dict[str, float]  # indicator -> provincial floor target (fraction)


def generate_demo(
    spec: DemoSpec, out: str | Path, force: bool = False, progress: Callable[[str], None] = print
) -> DemoResult:
    """Write the synthetic data directory ``out`` for ``spec``.

    A non-empty ``out`` is refused unless ``force`` is set and ``out`` holds an earlier demo
    run (its demo.json); everything is written to a temporary sibling directory first and
    renamed into place, so a failed run leaves ``out`` as it was.
    """
    target = Path(out).resolve()
    _check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        os.chmod(staging, 0o755)
        result = _write_all(spec, staging, target, progress)
        _move_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return result


def _check_target(target: Path, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise FileExistsError(f"{target} exists and is not a directory")
    if not target.is_dir() or not any(target.iterdir()):
        return
    if not force:
        raise FileExistsError(f"{target} is not empty; choose an empty or new directory, or pass --force to replace an earlier demo run")
    if not (target / MARKER_FILE).is_file():
        raise FileExistsError(f"{target} is not empty and holds no {MARKER_FILE}: --force only replaces a directory an earlier demo run wrote")


def _move_into_place(staging: Path, target: Path) -> None:
    if not target.exists() or not any(target.iterdir()):
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
    os.replace(target, retired / target.name)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def _write_all(spec: DemoSpec, staging: Path, target: Path, progress: Callable[[str], None]) -> DemoResult:
    bundled = Catalogue(DEFAULT_DATA_DIR / "catalogue")
    missing = set(bundled.indicators) ^ set(RATE_MODELS)
    if missing:
        raise ValueError(f"the demo models the indicators {', '.join(RATE_MODELS)}; catalogue/indicators.csv differs in {', '.join(sorted(missing))}")
    # Per province, independent streams for its units, its figures and its problems: --messy
    # changes nothing else, and one province's draws never shift another's.
    streams = [province_seed.spawn(3) for province_seed in np.random.SeedSequence(spec.seed).spawn(spec.provinces)]
    provinces = [
        _plan_province(spec, province_id, number, bundled, np.random.default_rng(plan_seed))
        for number, (province_id, (plan_seed, _, _)) in enumerate(zip(spec.province_ids(), streams), start=1)
    ]
    _write_units(staging / "units", provinces)
    _write_catalogue(staging / "catalogue", provinces, spec)
    catalogue = Catalogue(staging / "catalogue")
    registry = UnitRegistry(staging / "units")
    layout = _AppendixLayout(catalogue, spec)
    total = spec.provinces * spec.months
    written = 0
    for province, (_, draws_seed, messy_seed) in zip(provinces, streams):
        frame = _simulate(province, spec, catalogue, np.random.default_rng(draws_seed))
        if spec.messy:
            frame = _inject_problems(frame, province, registry, catalogue, np.random.default_rng(messy_seed))
        for period, month in frame.groupby("period", sort=True):
            month_dir = staging / "raw" / province.province / str(period)
            month_dir.mkdir(parents=True)
            files = _write_month(month.reset_index(drop=True), month_dir, province, str(period), spec, layout)
            written += 1
            progress(f"[{written}/{total}] {province.province} {period}: {month['unit_id'].nunique()} units → {', '.join(path.name for path in files)}")
    in_registry = registry.frame()["level"].value_counts()
    units_per_level = {level: int(in_registry.get(level, 0)) for level in spec.level_ids}
    _write_marker(staging / MARKER_FILE, spec, provinces, units_per_level)
    raw_files = sum(1 for path in (staging / "raw").rglob("*") if path.is_file())
    return DemoResult(target, spec, [province.province for province in provinces], spec.periods, raw_files, units_per_level)


# -- the fictional provinces and their units ------------------------------------------------------
def _place_names(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct names of PLACE_NAMES, in random order."""
    return [PLACE_NAMES[index] for index in rng.choice(len(PLACE_NAMES), size=count, replace=False)]


def _central_targets(catalogue: Catalogue, year: int) -> dict[str, float]:
    """Each indicator's central target in force in ``year`` (the earliest one if none yet)."""
    central = catalogue.targets[catalogue.targets["tier"] == "central"].sort_values("year")
    targets = {}
    for indicator, rows in central.groupby("indicator"):
        in_force = rows[rows["year"] <= year]
        targets[str(indicator)] = float((in_force if len(in_force) else rows).iloc[-1]["target"])
    return targets


def _plan_province(spec: DemoSpec, province: str, number: int, catalogue: Catalogue, rng: np.random.Generator) -> _Province:
    label = "" if spec.provinces == 1 else f" {number:02d}"
    name_vi = f"tỉnh Mô Phỏng{label} {SYNTHETIC_SUFFIX}"
    name_en = f"Simulated province{label} (synthetic data)"
    central = _central_targets(catalogue, int(spec.first_period[:4]))
    floors = {indicator: min(1.0, round(central[indicator] + float(rng.choice([0.05, 0.10])), 2)) for indicator in catalogue.indicators}
    scale = float(rng.lognormal(0, 0.3)) if spec.provinces > 1 else 1.0
    rows: list[dict[str, object]] = []
    aliases: list[tuple[str, str]] = []
    era = "before_2025" if spec.levels == 3 else "from_2025"
    for name, typical in spec.known_departments[: spec.departments]:
        short = name.removeprefix("Sở ")
        rows.append({"unit_id": f"{province}.{_slug(short)}", "level": "cap_tinh", "name_vi": name, "table_name": name, "parent_id": "", "kind": f"department_{era}", "typical": typical})
    if spec.levels == 3:
        rows += _districts_and_their_communes(spec, province, aliases, rng)
    else:
        places = _place_names(rng, spec.communes)
        kinds = ["phường" if draw < 0.25 else "xã" for draw in rng.random(spec.communes)]
        for kind, place in sorted(zip(kinds, places), key=lambda pair: (pair[0] != "phường", fold_diacritics(pair[1]))):
            name = f"UBND {kind} {place}"
            rows.append({"unit_id": f"{province}.{_slug(kind)}_{_slug(place)}", "level": "cap_xa", "name_vi": name, "table_name": name, "parent_id": "", "kind": "commune_from_2025", "typical": COMMUNE_VOLUME["commune_from_2025"]})
    units = pd.DataFrame(rows)
    if "volume_factor" not in units.columns:
        units["volume_factor"] = np.nan
    level_order = {level: rank for rank, level in enumerate(spec.level_ids)}
    units = units.sort_values("level", key=lambda levels: levels.map(level_order), kind="stable").reset_index(drop=True)
    units = _with_unit_parameters(units, scale, rng)
    return _Province(province, name_vi, name_en, units, aliases, floors)


def _districts_and_their_communes(spec: DemoSpec, province: str, aliases: list[tuple[str, str]], rng: np.random.Generator) -> list[dict[str, object]]:
    """Districts (one city, some towns) and, per district, the row summing its communes (Phụ lục 3)."""
    kinds = ["thành phố"] + ["thị xã" if draw < 0.15 else "huyện" for draw in rng.random(spec.districts - 1)]
    districts = sorted(zip(kinds, _place_names(rng, spec.districts)), key=lambda pair: (["huyện", "thành phố", "thị xã"].index(pair[0]), fold_diacritics(pair[1])))
    weights = rng.lognormal(0, 0.4, spec.districts) * np.array([2.0 if kind == "thành phố" else 1.0 for kind, _ in districts])
    communes_per_district = 1 + rng.multinomial(spec.communes - spec.districts, weights / weights.sum())
    commune_factors = rng.lognormal(0, UNIT_KINDS["commune_before_2025"].volume_spread, spec.communes)
    summed_factors = np.add.reduceat(commune_factors, np.concatenate([[0], np.cumsum(communes_per_district)[:-1]]))
    id_prefix = {"thành phố": "tp", "thị xã": "tx", "huyện": "huyen"}
    rows: list[dict[str, object]] = []
    for (kind, place), summed in zip(districts, summed_factors):
        district_id = f"{province}.{id_prefix[kind]}_{_slug(place)}"
        table_name = f"UBND {kind} {place}"
        typical = DISTRICT_VOLUME * (CITY_FACTOR if kind == "thành phố" else 1.0)
        rows.append({"unit_id": district_id, "level": "cap_huyen", "name_vi": table_name, "table_name": table_name, "parent_id": "", "kind": "district", "typical": typical})
        # The commune row is named like the district in the table; the registry knows it by alias.
        communes_id = f"{province}.xa_{id_prefix[kind]}_{_slug(place)}"
        rows.append({
            "unit_id": communes_id, "level": "cap_xa", "name_vi": f"Cấp xã {kind} {place}", "table_name": table_name,
            "parent_id": district_id, "kind": "commune_before_2025", "typical": COMMUNE_VOLUME["commune_before_2025"], "volume_factor": float(summed),
        })
        aliases.append((communes_id, table_name))
    return rows


def _with_unit_parameters(units: pd.DataFrame, scale: float, rng: np.random.Generator) -> pd.DataFrame:
    """Each unit's monthly volume and portfolio (services, fee-paying procedures) by its kind."""
    columns: dict[str, list[float]] = {name: [] for name in ("volume", "services", "payment_procedures", "fee_share")}
    for kind_name, typical, volume_factor in zip(units["kind"], units["typical"], units["volume_factor"]):
        kind = UNIT_KINDS[kind_name]
        # A commune row of 3 levels sums its district's communes: their volume factors were summed.
        factor = volume_factor if not pd.isna(volume_factor) else rng.lognormal(0, kind.volume_spread)
        columns["volume"].append(float(typical) * float(factor) * scale)
        columns["services"].append(kind.services[0] + rng.poisson(kind.services[1]))
        columns["payment_procedures"].append(kind.payment_procedures[0] + rng.poisson(kind.payment_procedures[1]))
        columns["fee_share"].append(rng.beta(*kind.fee_share))
    frame = units.assign(**columns)
    frame["result_ratio"] = rng.uniform(0.85, 1.2, len(frame))
    frame["service_activity"] = rng.beta(8, 2, len(frame))
    frame["payment_activity"] = rng.beta(6, 3, len(frame))
    frame["strength"] = rng.normal(0, 0.5, len(frame))
    frame["trajectory"] = rng.choice(len(TRAJECTORIES), size=len(frame), p=TRAJECTORY_SHARES)
    return frame


def _write_units(directory: Path, provinces: list[_Province]) -> None:
    directory.mkdir(parents=True)
    _write_csv(
        directory / "provinces.csv",
        ["province", "name_vi", "name_en", "synthetic", "valid_from", "valid_to", "successor", "portal_code"],
        [[province.province, province.name_vi, province.name_en, "true", "", "", "", ""] for province in provinces],
    )
    _write_csv(
        directory / "units.csv",
        ["unit_id", "province", "level", "name_vi", "parent_id", "valid_from", "valid_to", "portal_code"],
        [
            [unit.unit_id, province.province, unit.level, unit.name_vi, unit.parent_id, "", "", ""]
            for province in provinces
            for unit in province.units.itertuples()
        ],
    )
    _write_csv(directory / "aliases.csv", ["unit_id", "alias"], [list(alias) for province in provinces for alias in province.aliases])
    shutil.copyfile(DEFAULT_DATA_DIR / "units" / "abbreviations.csv", directory / "abbreviations.csv")


def _write_catalogue(directory: Path, provinces: list[_Province], spec: DemoSpec) -> None:
    shutil.copytree(DEFAULT_DATA_DIR / "catalogue", directory)
    year = spec.first_period[:4]
    rows = [
        [indicator, year, "provincial", province.province, "", f"{round(floor * 100):d}", ASSUMED_TARGET_SOURCE]
        for province in provinces
        for indicator, floor in province.floors.items()
    ]
    targets = directory / "targets.csv"
    text = targets.read_text(encoding="utf-8")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    targets.write_text(text + ("" if text.endswith("\n") else "\n") + buffer.getvalue(), encoding="utf-8")


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _write_marker(path: Path, spec: DemoSpec, provinces: list[_Province], units_per_level: dict[str, int]) -> None:
    description = {
        "synthetic": True,
        "note": "Dữ liệu mô phỏng, không phải số liệu thật / Synthetic data, not real figures",
        "command": "python -m helpers demo",
        "parameters": {**asdict(spec), "start": spec.first_period},
        "periods": spec.periods,
        "provinces": {province.province: province.name_vi for province in provinces},
        "units_per_level": units_per_level,
    }
    path.write_text(json.dumps(description, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- the figures ----------------------------------------------------------------------------------
def _logistic(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -8, 8)))


def _logit(values: np.ndarray) -> np.ndarray:
    return np.log(values / (1 - values))


def _assigned_targets(province: _Province, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Per unit: the floor, or (half of the units above the commune level) a higher target."""
    units = province.units
    per_unit = units["level"].ne("cap_xa").to_numpy()
    targets = {}
    for indicator, floor in province.floors.items():
        raised = per_unit & (rng.random(len(units)) < 0.5)
        bump = rng.integers(1, 41, len(units)) / 100
        targets[indicator] = np.round(np.minimum(1.0, floor + np.where(raised, bump, 0.0)), 2)
    return targets


def _rate_paths(
    model: _RateModel, target: np.ndarray, units: pd.DataFrame, months: int, rng: np.random.Generator
) -> np.ndarray:
    """(months × units) rates: a start near the typical rate, then each unit's trajectory plus noise."""
    count = len(units)
    # Most units follow their unit-wide trajectory on this indicator; the rest hold steady.
    trajectory = np.where(rng.random(count) < 0.7, units["trajectory"].to_numpy(), 0)
    kinds = np.array(TRAJECTORIES)[trajectory]
    level = _logit(np.array(model.typical)) + units["strength"].to_numpy() + rng.normal(0, model.spread, count)
    level = level - np.select([kinds == "laggard", kinds == "improver"], [2.0, 1.2], 0.0)
    goal = _logit(np.clip(target + 0.03, 0.05, 0.995))
    # Units below target drift up toward it; units above it stay where they are.
    aim = np.select([kinds == "laggard", kinds == "improver", kinds == "faller"], [level, np.maximum(level + 1.2, goal) + 0.5, level - 2.0], np.maximum(level, goal))
    speed = np.vectorize(TRAJECTORY_SPEED.get)(kinds).astype(float)
    paths = np.empty((months, count))
    for month in range(months):
        level = level + speed * (aim - level) + rng.normal(0, 0.15, count)
        paths[month] = level
    return _logistic(paths + rng.normal(0, 0.1, paths.shape))


def _simulate(province: _Province, spec: DemoSpec, catalogue: Catalogue, rng: np.random.Generator) -> pd.DataFrame:
    """One row per month, unit and indicator: the counts, rates and targets the tables show."""
    units = province.units
    months, count = spec.months, len(units)
    calendar = np.array([SEASON[int(period[5:]) - 1] * (1 + MONTHLY_GROWTH) ** index for index, period in enumerate(spec.periods)])
    expected = units["volume"].to_numpy()[None, :] * calendar[:, None] * rng.lognormal(0, 0.12, (months, count))
    received = rng.poisson(expected)
    fee_dossiers = rng.binomial(received, units["fee_share"].to_numpy())
    results = rng.poisson(received * units["result_ratio"].to_numpy())
    services = np.where(received > 0, rng.binomial(units["services"].to_numpy().astype(int), units["service_activity"].to_numpy(), (months, count)), 0)
    procedures = rng.binomial(units["payment_procedures"].to_numpy().astype(int), units["payment_activity"].to_numpy(), (months, count))
    payment_procedures = np.minimum(np.where(fee_dossiers > 0, procedures, 0), fee_dossiers)
    bases = {"received": received, "fee_dossiers": fee_dossiers, "results": results, "services": services, "payment_procedures": payment_procedures}
    targets = _assigned_targets(province, rng)
    indicators = list(catalogue.indicators)
    numerators, denominators = {}, {}
    for indicator in indicators:
        model = RATE_MODELS[indicator]
        rates = _rate_paths(model, targets[indicator], units, months, rng)
        denominators[indicator] = bases[model.counts]
        numerators[indicator] = rng.binomial(denominators[indicator], rates)
    # A service (procedure) counted as having online dossiers (payments) needs at least one of them.
    numerators["services_with_dossiers"] = np.minimum(numerators["services_with_dossiers"], numerators["online_dossiers"])
    numerators["procedures_with_payment"] = np.minimum(numerators["procedures_with_payment"], numerators["online_payment"])

    month_index, unit_index, indicator_index = (axis.ravel() for axis in np.meshgrid(np.arange(months), np.arange(count), np.arange(len(indicators)), indexing="ij"))
    numerator = np.stack([numerators[indicator] for indicator in indicators], axis=-1).ravel()
    denominator = np.stack([denominators[indicator] for indicator in indicators], axis=-1).ravel()
    target = np.stack([targets[indicator] for indicator in indicators], axis=-1)[unit_index, indicator_index]
    reported, rate_format = _reported_rates(numerator, denominator)
    hidden = np.array([catalogue.indicator(indicator).appendix_denominator == "absent" for indicator in indicators])[indicator_index]
    # Where the table has no denominator (e-results issued), nothing issued leaves the rate blank.
    reported = np.where(hidden & (denominator == 0), np.nan, reported)
    rate_format = np.where(hidden & (denominator == 0), "blank", rate_format)
    frame = pd.DataFrame(
        {
            "period": np.array(spec.periods)[month_index],
            "province": province.province,
            "level": units["level"].to_numpy()[unit_index],
            "unit_id": units["unit_id"].to_numpy()[unit_index],
            "unit_name": units["table_name"].to_numpy()[unit_index],
            "name_variant": False,
            "indicator": np.array(indicators)[indicator_index],
            "received": received[month_index, unit_index],
            "numerator": pd.array(numerator, dtype="Int64"),
            "denominator": pd.Series(denominator, dtype="Int64").mask(hidden),
            "reported_rate": pd.array(reported, dtype="Float64"),
            "rate_format": rate_format,
            "assigned_target": pd.array(target, dtype="Float64"),
            "target_format": "percent",
            "numerator_format": "count",
        }
    )
    return frame


def _reported_rates(numerator: np.ndarray, denominator: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rates as the tables write them: whole percents, one decimal just under 100%, 0 where nothing arose."""
    rate = np.where(denominator > 0, numerator / np.maximum(denominator, 1), 0.0)
    one_decimal = (rate >= 0.995) & (rate < 1)
    rounded = np.where(one_decimal, np.floor(rate * 1000 + 0.5) / 1000, np.floor(rate * 100 + 0.5) / 100)
    rate_format = np.select([denominator == 0, one_decimal], ["plain", "percent1"], "percent")
    return rounded, rate_format


# -- the problems real tables have (--messy) --------------------------------------------------------
def _inject_problems(frame: pd.DataFrame, province: _Province, registry: UnitRegistry, catalogue: Catalogue, rng: np.random.Generator) -> pd.DataFrame:
    """Per month, one of each problem DOMAIN.md lists, at random places; all readable by the ingest.

    A reported rate that does not match its counts, a typo'd 1000%, an assigned target under the
    provincial floor, a ``%`` target, a blank count, a count written as text ("1.313"), a unit
    name spelled another way (an abbreviation or alias the registry knows), and "100" for 100%.
    """
    frame = frame.copy()
    denominator_kind = frame["indicator"].map(lambda indicator: catalogue.indicator(indicator).appendix_denominator)
    floors = frame["indicator"].map(province.floors)
    # Each month's problems land on distinct rows, so these masks stay true while a month is spoilt.
    counted = (denominator_kind.ne("absent") & frame["denominator"].gt(0) & frame["rate_format"].isin(["percent", "percent1"])).fillna(False)
    full = (counted & frame["reported_rate"].eq(1.0)).fillna(False)
    tenfold_impossible = (counted & frame["reported_rate"].ge(0.11)).fillna(False)
    with_target = (frame["assigned_target"].notna() & floors.gt(0.01)).fillna(False)
    with_numerator = frame["numerator"].notna()
    variants = _name_variants(province, registry)
    for _period, month in frame.groupby("period", sort=True):
        spoil = _RowPicker(month.index, rng)
        if (label := spoil.pick(counted)) is not None:
            true_rate = float(frame.at[label, "numerator"]) / float(frame.at[label, "denominator"])
            shift = rng.uniform(0.15, 0.45)
            wrong = true_rate - shift if true_rate >= 0.5 else true_rate + shift
            frame.loc[label, ["reported_rate", "rate_format"]] = [round(min(1.0, max(0.0, wrong)), 2), "percent"]
        if (label := spoil.pick(full if full.loc[month.index].any() else tenfold_impossible)) is not None:
            frame.loc[label, ["reported_rate", "rate_format"]] = [round(float(frame.at[label, "reported_rate"]) * 10, 2), "percent"]
        if (label := spoil.pick(with_target)) is not None:
            frame.at[label, "assigned_target"] = round(max(0.0, floors[label] - rng.integers(1, 11) / 100), 2)
        if (label := spoil.pick(with_target)) is not None:
            frame.loc[label, ["assigned_target", "target_format"]] = [pd.NA, "percent_sign"]
        if (label := spoil.pick(with_numerator)) is not None:
            frame.loc[label, ["numerator", "numerator_format"]] = [pd.NA, "blank"]
        if (label := spoil.largest(frame["numerator"], denominator_kind.eq("received") & with_numerator)) is not None:
            frame.at[label, "numerator_format"] = "text"
        spelled = [unit_id for unit_id in month["unit_id"].unique() if variants.get(unit_id)]
        if spelled:
            unit_id = spelled[rng.integers(len(spelled))]
            block = BLOCKS[rng.integers(len(BLOCKS))][1]
            rows = month.index[(month["unit_id"] == unit_id) & month["indicator"].isin(block)]
            frame.loc[rows, ["unit_name", "name_variant"]] = [variants[unit_id][rng.integers(len(variants[unit_id]))], True]
    # As in the real Phụ lục 1: the services target written 100 (meaning 100%) in a plain cell.
    plain = frame["level"].eq("cap_tinh") & frame["indicator"].eq("services_with_dossiers") & frame["assigned_target"].eq(1.0) & frame["target_format"].eq("percent")
    frame.loc[plain.fillna(False), "target_format"] = "plain"
    return frame


@dataclass
class _RowPicker:
    """Distinct rows of one month, picked at random among those a mask allows."""

    rows: pd.Index
    rng: np.random.Generator
    used: set[int] = field(default_factory=set)

    def _allowed(self, mask: pd.Series) -> pd.Index:
        allowed = self.rows[mask.loc[self.rows].fillna(False).to_numpy(dtype=bool)]
        return allowed[~allowed.isin(list(self.used))]

    def pick(self, mask: pd.Series) -> int | None:
        allowed = self._allowed(mask)
        if allowed.empty:
            return None
        label = int(allowed[self.rng.integers(len(allowed))])
        self.used.add(label)
        return label

    def largest(self, values: pd.Series, mask: pd.Series) -> int | None:
        allowed = self._allowed(mask)
        if allowed.empty:
            return None
        label = int(values.loc[allowed].astype("int64").idxmax())
        self.used.add(label)
        return label


def _name_variants(province: _Province, registry: UnitRegistry) -> dict[str, list[str]]:
    """Other spellings of each unit's table name that the registry resolves to the same unit."""
    abbreviations = sorted(((long, short) for short, long in _abbreviations()), key=lambda pair: -len(pair[0]))
    period = "2000-01"  # synthetic units have no validity range: any month resolves alike
    variants = {}
    for unit in province.units.itertuples():
        name = str(unit.table_name)
        candidates = [" ".join(word[:1].upper() + word[1:] for word in name.split(" ")), name.replace(" ", "  ", 1)]
        for long, short in abbreviations:
            pattern = re.compile(rf"(?<!\w){re.escape(long)}(?!\w)", re.IGNORECASE)
            if pattern.search(name):
                candidates.append(pattern.sub(short, name, count=1))
        variants[str(unit.unit_id)] = [
            candidate
            for candidate in dict.fromkeys(candidates)
            if candidate != name and registry.resolve(candidate, province.province, str(unit.level), period) == unit.unit_id
        ]
    return variants


def _abbreviations() -> list[tuple[str, str]]:
    frame = pd.read_csv(DEFAULT_DATA_DIR / "units" / "abbreviations.csv", dtype=str, keep_default_na=False)
    return list(zip(frame["short"], frame["long"]))


# -- writing a month ---------------------------------------------------------------------------------
_Record = dict[str, Any]  # one row of the simulated month, as DataFrame.to_dict("records") gives it


@dataclass(frozen=True)
class _Cell:
    """A cell as the appendix writes it; ``kind`` decides its Excel format and its CSV text."""

    value: Any  # text, a count or a fraction
    kind: str  # title, note, header, seq, name, text, count, percent, percent1, plain


@dataclass
class _Sheet:
    title: str
    rows: list[list[_Cell | None]] = field(default_factory=list)
    merges: list[str] = field(default_factory=list)
    width: int = 0


class _AppendixLayout:
    """The sheet, block and header texts of the appendix, checked against the catalogue's vocabulary."""

    def __init__(self, catalogue: Catalogue, spec: DemoSpec) -> None:
        self.catalogue = catalogue
        self.spec = spec
        vocabulary = catalogue.headers
        self.row_fields = [self._first_text("row_field", field_name) for field_name in ("seq", "unit_name", "received")]
        self.group_headers = {indicator: self._first_text("indicator", indicator) for indicator in catalogue.indicators}
        self.numerator_header = self._first_text("field", "numerator")
        self.rate_header = self._first_text("field", "reported_rate")
        expected = {
            **{text: "denominator" for text in DENOMINATOR_HEADERS.values()},
            **{text: "assigned_target" for text in [*TARGET_HEADER.values(), DEFAULT_TARGET_HEADER]},
        }
        for text, meaning in expected.items():
            if vocabulary.fields.get(header_key(text)) != meaning:
                raise ValueError(f"catalogue/appendix_headers.csv must map the header {text!r} to {meaning} for the demo appendix")
        listed = [indicator for _caption, indicators in BLOCKS for indicator in indicators]
        if sorted(listed) != sorted(catalogue.indicators):
            raise ValueError(f"the demo appendix lays out {', '.join(listed)}; the catalogue has {', '.join(catalogue.indicators)}")

    def _first_text(self, kind: str, meaning: str) -> str:
        table = {"row_field": self.catalogue.headers.row_fields, "indicator": self.catalogue.headers.indicators, "field": self.catalogue.headers.fields}[kind]
        for text in self.catalogue.headers.known_texts[kind]:
            if table[header_key(text)] == meaning:
                return text
        raise ValueError(f"catalogue/appendix_headers.csv has no {kind} header for {meaning}")

    def sub_columns(self, indicator: str, level: str) -> list[tuple[str, str]]:
        """(field, header) under an indicator's group header, in the real tables' order."""
        columns = [("assigned_target", TARGET_HEADER.get(level, DEFAULT_TARGET_HEADER))]
        if self.catalogue.indicator(indicator).appendix_denominator == "column":
            columns.append(("denominator", DENOMINATOR_HEADERS[indicator]))
        return [*columns, ("numerator", self.numerator_header), ("reported_rate", self.rate_header)]

    def sheets(self, month: pd.DataFrame, province: _Province, period: str) -> list[_Sheet]:
        sheets = []
        year, month_number = period.split("-")
        for number, level in enumerate(self.spec.level_ids, start=1):
            name = self.catalogue.levels[level].name_vi
            sheet = _Sheet(f"PL{number} - {name}")
            title = f"{name.upper()}: {len(self.catalogue.indicators):02d} chỉ tiêu liên quan đến Bộ chỉ số phục vụ người dân, doanh nghiệp trong tháng {month_number} năm {year}"
            sheet.rows += [
                [_Cell(f"Phụ lục {number}", "title")],
                [_Cell(title, "title")],
                [_Cell(f"(Dữ liệu mô phỏng, không phải số liệu thật: {province.name_vi}; tạo bằng lệnh python -m helpers demo, seed {self.spec.seed})", "note")],
                [],
            ]
            by_unit: dict[str, dict[str, _Record]] = {}
            for record in month[month["level"] == level].to_dict("records"):
                by_unit.setdefault(str(record["unit_id"]), {})[str(record["indicator"])] = record
            for block_number, (caption, indicators) in enumerate(BLOCKS):
                if block_number:
                    sheet.rows.append([])
                sheet.rows.append([_Cell(caption, "title")])
                self._block(sheet, level, indicators, by_unit)
            sheets.append(sheet)
        return sheets

    def _block(self, sheet: _Sheet, level: str, indicators: tuple[str, ...], by_unit: dict[str, dict[str, _Record]]) -> None:
        top = len(sheet.rows) + 1  # 1-based row of the group headers
        groups: list[_Cell | None] = [_Cell(text, "header") for text in self.row_fields]
        subs: list[_Cell | None] = [None] * len(self.row_fields)
        sheet.merges += [f"{get_column_letter(column)}{top}:{get_column_letter(column)}{top + 1}" for column in range(1, len(self.row_fields) + 1)]
        for indicator in indicators:
            columns = self.sub_columns(indicator, level)
            first = len(groups) + 1
            groups += [_Cell(self.group_headers[indicator], "header")] + [None] * (len(columns) - 1)
            subs += [_Cell(header, "header") for _field, header in columns]
            sheet.merges.append(f"{get_column_letter(first)}{top}:{get_column_letter(first + len(columns) - 1)}{top}")
        sheet.rows += [groups, subs]
        sheet.width = max(sheet.width, len(groups))
        for seq, (_unit_id, unit) in enumerate(by_unit.items(), start=1):
            # The unit's name and dossiers received, as its block's first indicator row has them.
            lead = unit[indicators[0]]
            row: list[_Cell | None] = [_Cell(seq, "seq"), _Cell(lead["unit_name"], "name"), _Cell(int(lead["received"]), "count")]
            for indicator in indicators:
                record = unit[indicator]
                for field_name, _header in self.sub_columns(indicator, level):
                    row.append(_value_cell(record, field_name))
            sheet.rows.append(row)


def _value_cell(record: _Record, field_name: str) -> _Cell | None:
    """Plain cells hold percentage points ("100" for a 100% target, "0" where nothing arose), as the real tables do."""
    value = record[field_name]
    if field_name == "assigned_target":
        if record["target_format"] == "percent_sign":
            return _Cell("%", "text")
        if pd.isna(value):
            return None
        return _Cell(round(float(value) * 100), "plain") if record["target_format"] == "plain" else _Cell(float(value), "percent")
    if field_name == "reported_rate":
        if pd.isna(value):
            return None
        if record["rate_format"] == "plain":
            return _Cell(round(float(value) * 100), "plain")
        return _Cell(float(value), str(record["rate_format"]))
    if pd.isna(value):
        return None
    if field_name == "numerator" and record["numerator_format"] == "text":
        return _Cell(format_number(int(value)), "text")
    return _Cell(int(value), "count")


_BOLD = Font(bold=True)
_ITALIC = Font(italic=True)
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_EXCEL_FORMATS = {"seq": "#,##0", "count": "#,##0", "percent": "0%", "percent1": "0.0%", "name": "@", "text": "@", "plain": "General"}


def _excel_cell(sheet: WriteOnlyWorksheet, cell: _Cell | None) -> WriteOnlyCell | None:
    if cell is None:
        return None
    written = WriteOnlyCell(sheet, value=cell.value)
    if cell.kind == "title":
        written.font = _BOLD
    elif cell.kind == "note":
        written.font = _ITALIC
    elif cell.kind == "header":
        written.font, written.alignment, written.border = _BOLD, _HEADER_ALIGNMENT, _BOX
    else:
        written.number_format = _EXCEL_FORMATS[cell.kind]
        written.border = _BOX
    return written


def _csv_text(cell: _Cell | None) -> str:
    """A cell as a Vietnamese CSV export writes it: ``1.313``, ``98%``, ``99,8%``."""
    if cell is None:
        return ""
    if cell.kind in ("count", "percent", "percent1"):
        return _vi_number(cell.kind, cell.value)
    return str(cell.value)


@cache
def _vi_number(kind: str, value: float) -> str:
    """Counts and rates repeat a lot; Babel formatting each anew would dominate a CSV run."""
    if kind == "count":
        return format_number(value)
    return format_percent(value, 1 if kind == "percent1" else 0)


def _write_month(month: pd.DataFrame, directory: Path, province: _Province, period: str, spec: DemoSpec, layout: _AppendixLayout) -> list[Path]:
    if spec.output_format == "tidy-parquet":
        path = directory / f"chi_tieu_{period}.parquet"
        tidy = month.assign(row_kind="unit", unit_id=month["unit_id"].where(~month["name_variant"]).astype("string"))
        columns = ["period", "province", "level", "unit_id", "unit_name", "row_kind", "indicator", "numerator", "denominator", "reported_rate", "assigned_target"]
        tidy[columns].to_parquet(path, index=False)
        return [path]
    sheets = layout.sheets(month, province, period)
    if spec.output_format == "csv":
        paths = []
        for number, (sheet, level) in enumerate(zip(sheets, spec.level_ids), start=1):
            path = directory / f"phu_luc_{number}_{level}_{period}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, lineterminator="\n")
                for row in sheet.rows:
                    writer.writerow([_csv_text(cell) for cell in row] + [""] * (sheet.width - len(row)))
            paths.append(path)
        return paths
    path = directory / f"phu_luc_{len(layout.catalogue.indicators)}_chi_tieu_{period}.xlsx"
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet.title)
        for column in range(1, sheet.width + 1):
            worksheet.column_dimensions[get_column_letter(column)].width = {1: 5, 2: 32}.get(column, 11)
        for row in sheet.rows:
            worksheet.append([_excel_cell(worksheet, cell) for cell in row])
        for reference in sheet.merges:
            worksheet.merged_cells.add(reference)
    workbook.save(path)
    return [path]

