"""What the demo generates (DemoSpec, its named scales) and the made-up world it draws from:
departments, place names, unit kinds, seasons and how units' rates move."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.periods import check_period
from helpers.text import fold_diacritics

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


def slug(text: str) -> str:
    """``Sở Tư pháp`` → ``so_tu_phap``: the ASCII part of a unit_id."""
    return re.sub(r"[^a-z0-9]+", "_", fold_diacritics(text).lower()).strip("_")


def _all_place_names() -> tuple[str, ...]:
    """Every pair of different syllables, keeping one of the pairs that fold alike (Thành/Thạnh),
    so that unit ids, made of the folded name, are unique too."""
    names: dict[str, str] = {}
    for first in PLACE_SYLLABLES:
        for second in PLACE_SYLLABLES:
            if first != second:
                names.setdefault(slug(f"{first} {second}"), f"{first} {second}")
    return tuple(names.values())


PLACE_NAMES = _all_place_names()
MAX_PLACES = len(PLACE_NAMES)


@dataclass(frozen=True)
class UnitKind:
    """How much units of a kind differ in volume (log spread) and their service portfolio."""

    volume_spread: float
    services: tuple[int, float]  # at least, plus Poisson mean
    payment_procedures: tuple[int, float]
    fee_share: tuple[float, float]  # Beta parameters: share of dossiers that carry a fee


UNIT_KINDS = {
    "department_before_2025": UnitKind(0.5, (1, 11), (0, 6), (1.2, 2.0)),
    "department_from_2025": UnitKind(0.5, (1, 14), (0, 7), (1.2, 2.0)),
    "district": UnitKind(0.5, (15, 15), (5, 8), (8.0, 2.0)),
    "commune_before_2025": UnitKind(0.5, (10, 6), (20, 10), (3.0, 3.0)),  # per commune; rows sum a district's
    "commune_from_2025": UnitKind(0.6, (8, 8), (3, 5), (3.0, 3.0)),
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
                problems.append(f"departments must be 1 to {known} (the departments the demo knows), got {self.departments}")
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

