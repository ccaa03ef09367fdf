"""The figures: per month, unit and indicator the counts, rates and targets the tables show."""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.catalogue import Catalogue
from helpers.demo.monthly.indicators import DemoIndicators, IndicatorModel
from helpers.demo.monthly.provinces import Province
from helpers.demo.monthly.spec import MONTHLY_GROWTH, SEASON, TRAJECTORIES, TRAJECTORY_SPEED, DemoSpec


def _logistic(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -8, 8)))


def _logit(values: np.ndarray) -> np.ndarray:
    return np.log(values / (1 - values))


def _assigned_targets(province: Province, rng: np.random.Generator) -> dict[str, np.ndarray]:
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
    model: IndicatorModel, target: np.ndarray, units: pd.DataFrame, months: int, rng: np.random.Generator
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


def simulate(province: Province, spec: DemoSpec, catalogue: Catalogue, models: DemoIndicators, rng: np.random.Generator) -> pd.DataFrame:
    """One row per month, unit and indicator of the catalogue: the counts, rates and targets the tables show."""
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
        model = models[indicator]
        # Without a target (no central one to set a floor), units aim at the typical rate.
        aim = targets.get(indicator, np.full(count, model.typical))
        rates = _rate_paths(model, aim, units, months, rng)
        denominators[indicator] = bases[model.counts]
        numerators[indicator] = rng.binomial(denominators[indicator], rates)
    # A service (procedure) counted as having online dossiers (payments) needs at least one of them.
    for indicator in indicators:
        if models[indicator].at_most:
            numerators[indicator] = np.minimum(numerators[indicator], numerators[models[indicator].at_most])

    month_index, unit_index, indicator_index = (axis.ravel() for axis in np.meshgrid(np.arange(months), np.arange(count), np.arange(len(indicators)), indexing="ij"))
    numerator = np.stack([numerators[indicator] for indicator in indicators], axis=-1).ravel()
    denominator = np.stack([denominators[indicator] for indicator in indicators], axis=-1).ravel()
    no_target = np.full(count, np.nan)
    target = np.stack([targets.get(indicator, no_target) for indicator in indicators], axis=-1)[unit_index, indicator_index]
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

