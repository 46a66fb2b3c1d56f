"""Realistic synthetic longitudinal cohorts, for teaching, tests and demonstrations.

No real person's data is ever needed to learn or test the library: :func:`make_cohort` makes
a cohort with the structure real assessment data has (correlated domains, ordinal ratings,
several waves, two raters, missing answers, a minority of safeguarding cases, change that
differs by client group).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.framework import Framework
from wellbeing_framework.shapes import to_long

__all__ = ["AREAS", "CLIENT_GROUPS", "make_cohort"]

#: Client groups with their share of the cohort, baseline level and change per wave (in SD).
CLIENT_GROUPS: dict[str, tuple[float, float, float]] = {
    "children and families": (0.25, -0.20, 0.20),
    "disability": (0.20, 0.00, 0.08),
    "mental health": (0.20, -0.45, 0.25),
    "older people": (0.25, 0.10, 0.02),
    "justice": (0.10, -0.30, 0.15),
}
#: The five Health and Social Care Trust areas of Northern Ireland.
AREAS = ("Belfast", "Northern", "South Eastern", "Southern", "Western")
_AGE_BANDS = {
    "children and families": (("0-17",), (1.0,)),
    "older people": (("65-74", "75-84", "85+"), (0.4, 0.4, 0.2)),
}
_ADULT_AGES = (("18-24", "25-44", "45-64", "65-74"), (0.2, 0.4, 0.3, 0.1))


def make_cohort(
    n_people: int = 500,
    waves: int = 3,
    seed: int | np.random.Generator | None = 0,
    framework: Framework | None = None,
    *,
    shape: Literal["wide", "long"] = "wide",
    practitioner_share: float = 0.3,
    missing: float = 0.05,
    safeguarding_share: float = 0.06,
    start: str = "2025-01-06",
) -> pd.DataFrame:
    """Make a synthetic longitudinal cohort of wellbeing assessments.

    Parameters
    ----------
    n_people
        People in the cohort.
    waves
        Assessments per person, 1 to 6, about three to four months apart.
    seed
        Seed or generator; the same seed gives the same cohort.
    framework
        The framework to rate; ``None`` for the bundled one. Adapted frameworks and other
        instruments work too (reverse-keyed items are rated in reverse).
    shape
        ``"wide"`` (one row per assessment) or ``"long"`` (one row per rating).
    practitioner_share
        Share of assessments also rated by a practitioner (``rater="practitioner"``), whose
        ratings run a little lower than the person's own and are a little noisier.
    missing
        Share of answers left missing, at random.
    safeguarding_share
        Share of people whose safety is seriously at risk (very low Safe and Well, with the
        safety indicators often at the scale minimum).
    start
        Date of the first baseline assessments.

    Returns
    -------
    pandas.DataFrame
        Columns ``person_id``, ``wave`` (1, 2, ...), ``assessment_date``, ``rater``
        (``"self"`` or ``"practitioner"``), ``client_group``, ``age_band``, ``sex``, ``area``,
        the case columns ``statutory_order`` and ``risk_to_others`` (booleans, mostly in the
        justice group), then the ratings (one column per indicator and centre item, or
        ``indicator`` and ``rating`` when long). Sorted by person, wave and rater.

    Notes
    -----
    Each person has a general wellbeing level and a level per domain (domains correlate
    about 0.5). A rating is the domain level plus item noise, cut into the scale's points at
    fixed normal quantiles, so items of a domain have a Cronbach's alpha of about 0.8. Each
    wave adds the client group's change and person-level noise. Everything is made up; no
    row describes a real person.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> cohort = wf.make_cohort(n_people=100, waves=2, seed=1)
    >>> cohort[["person_id", "wave", "rater", "client_group"]].head(3)
      person_id  wave         rater   client_group
    0     P0001     1          self  mental health
    1     P0001     1  practitioner  mental health
    2     P0001     2          self  mental health
    >>> wf.validate(cohort, wf.load_framework()).ok
    True
    """
    if not 1 <= waves <= 6:
        msg = f"waves must be between 1 and 6, got {waves}"
        raise ValueError(msg)
    if n_people < 1:
        msg = f"n_people must be at least 1, got {n_people}"
        raise ValueError(msg)
    from wellbeing_framework.io import load_framework  # io imports scoring, not this module

    fw = framework if framework is not None else load_framework()
    rng = np.random.default_rng(seed)
    # the draws are made in a fixed order, so the same seed gives the same cohort
    people = _draw_people(rng, n_people)
    levels = _draw_levels(rng, fw, people, safeguarding_share)
    rows = _draw_rows(rng, n_people, waves, practitioner_share)
    dates = _draw_dates(rng, rows, waves, start)
    cuts = _cut_points(fw)
    columns = _rate_indicators(rng, fw, _row_levels(rng, levels, rows, waves), rows, cuts)
    if levels.protect == "sw":  # people at risk often say they are not safe at all
        _mark_unsafe(rng, columns, levels.at_risk[rows.person], fw.scale.min)
    columns |= _rate_centre(rng, fw, levels, rows, cuts)
    _blank_missing(rng, columns, missing)
    statutory, risk_to_others = _draw_case_columns(rng, people, levels.at_risk)
    data = _assemble(rows, people, dates, statutory, risk_to_others, columns)
    if shape == "long":
        return to_long(data, fw)
    return data


@frozen(kw_only=True, eq=False)
class _People:
    """Who each person of a synthetic cohort is, one entry per person."""

    client_group: np.ndarray
    group_level: np.ndarray
    group_change: np.ndarray
    age_band: np.ndarray
    sex: np.ndarray
    area: np.ndarray


@frozen(kw_only=True, eq=False)
class _Levels:
    """Each person's latent wellbeing: general, per domain, change per wave, safety risk."""

    general: np.ndarray
    domain: np.ndarray
    slope: np.ndarray
    at_risk: np.ndarray
    protect: str


@frozen(kw_only=True, eq=False)
class _Rows:
    """The assessment rows: whose (index of the person), which wave, and which rater."""

    person: np.ndarray
    wave: np.ndarray
    practitioner: np.ndarray
    n_people: int


def _draw_people(rng: np.random.Generator, n: int) -> _People:
    """Draw each person's client group, age band, sex and area."""
    groups = list(CLIENT_GROUPS)
    shares = np.array([CLIENT_GROUPS[g][0] for g in groups])
    group_idx = rng.choice(len(groups), size=n, p=shares / shares.sum())
    client_group = np.array(groups, dtype=object)[group_idx]
    age_band = np.empty(n, dtype=object)
    for g in groups:
        bands, p = _AGE_BANDS.get(g, _ADULT_AGES)
        mask = client_group == g
        age_band[mask] = rng.choice(bands, size=int(mask.sum()), p=p)
    sex = rng.choice(np.array(["female", "male"], dtype=object), size=n, p=[0.54, 0.46])
    area = rng.choice(np.array(AREAS, dtype=object), size=n, p=[0.24, 0.20, 0.19, 0.20, 0.17])
    return _People(
        client_group=client_group,
        group_level=np.array([CLIENT_GROUPS[g][1] for g in groups])[group_idx],
        group_change=np.array([CLIENT_GROUPS[g][2] for g in groups])[group_idx],
        age_band=age_band,
        sex=sex,
        area=area,
    )


def _draw_levels(
    rng: np.random.Generator, fw: Framework, people: _People, safeguarding_share: float
) -> _Levels:
    """Draw each person's latent levels, with the protecting domain low for those at risk."""
    n = len(people.client_group)
    domain_keys = [d.key for d in fw.domains]
    general = rng.normal(people.group_level, 1.0, size=n)
    domain_level = 0.7 * general[:, None] + 0.71 * rng.normal(size=(n, len(domain_keys)))
    at_risk = rng.random(n) < safeguarding_share
    protect = "sw" if "sw" in domain_keys else domain_keys[-1]
    domain_level[at_risk, domain_keys.index(protect)] -= 2.2
    slope = people.group_change + rng.normal(0, 0.1, size=n)
    return _Levels(
        general=general, domain=domain_level, slope=slope, at_risk=at_risk, protect=protect
    )


def _draw_rows(rng: np.random.Generator, n: int, waves: int, practitioner_share: float) -> _Rows:
    """One self-rated row per person and wave, plus practitioner rows for a share of them."""
    person = np.repeat(np.arange(n), waves)
    wave = np.tile(np.arange(1, waves + 1), n)
    extra = rng.random(len(person)) < practitioner_share
    rows_person = np.concatenate([person, person[extra]])
    rows_wave = np.concatenate([wave, wave[extra]])
    is_practitioner = np.concatenate([np.zeros(len(person), bool), np.ones(extra.sum(), bool)])
    order = np.lexsort((is_practitioner, rows_wave, rows_person))
    return _Rows(
        person=rows_person[order],
        wave=rows_wave[order],
        practitioner=is_practitioner[order],
        n_people=n,
    )


def _draw_dates(rng: np.random.Generator, rows: _Rows, waves: int, start: str) -> pd.DatetimeIndex:
    """Draw each row's assessment date: a baseline day, then gaps of three to four months."""
    n = rows.n_people
    baseline_day = rng.integers(0, 300, size=n)
    gaps = rng.integers(90, 130, size=(n, max(waves - 1, 1)))
    offsets = np.concatenate([np.zeros((n, 1), int), np.cumsum(gaps, axis=1)], axis=1)
    day = baseline_day[rows.person] + offsets[rows.person, rows.wave - 1]
    dates: pd.DatetimeIndex = pd.Timestamp(start) + pd.to_timedelta(day, unit="D")
    return dates


def _row_levels(rng: np.random.Generator, levels: _Levels, rows: _Rows, waves: int) -> np.ndarray:
    """The latent level of each row in each domain: change, wave noise, a lower practitioner."""
    wave_noise = rng.normal(0, 0.3, size=(rows.n_people, waves + 1))
    level: np.ndarray = (
        levels.domain[rows.person]
        + (levels.slope[rows.person] * (rows.wave - 1))[:, None]
        + wave_noise[rows.person, rows.wave][:, None]
        - 0.25 * rows.practitioner[:, None]
    )
    return level


def _cut_points(fw: Framework) -> np.ndarray:
    """Where latent levels are cut into the scale's points."""
    # cut points at equally spaced normal quantiles, centred a little above the middle
    steps = max(round(fw.scale.max - fw.scale.min), 1)  # whole steps on a continuous scale too
    cuts = np.linspace(-1.6, 1.2, steps)
    cuts[0] -= 1.1  # the bottom of the scale is kept for real difficulty
    return cuts


def _rate_indicators(
    rng: np.random.Generator, fw: Framework, level: np.ndarray, rows: _Rows, cuts: np.ndarray
) -> dict[str, np.ndarray]:
    """Rate every indicator from its domain's level plus item noise (practitioners noisier)."""
    lo, hi = fw.scale.min, fw.scale.max
    m = len(rows.person)
    item_noise_sd = np.where(rows.practitioner, 1.0, 0.85)
    columns: dict[str, np.ndarray] = {}
    for d, domain in enumerate(fw.domains):
        for indicator in domain.indicators:
            latent = level[:, d] + rng.normal(0, 1, size=m) * item_noise_sd
            rating = (lo + np.searchsorted(cuts, latent)).astype(float)
            if indicator.reverse:
                rating = lo + hi - rating
            columns[indicator.key] = rating
    return columns


def _mark_unsafe(
    rng: np.random.Generator, columns: dict[str, np.ndarray], at_risk: np.ndarray, lo: float
) -> None:
    """Set the safety indicators of rows at risk to the scale minimum, often (in place)."""
    for key in ("sw3", "sw5"):
        if key in columns:
            hit = at_risk & (rng.random(len(at_risk)) < 0.6)
            columns[key][hit] = lo


def _rate_centre(
    rng: np.random.Generator, fw: Framework, levels: _Levels, rows: _Rows, cuts: np.ndarray
) -> dict[str, np.ndarray]:
    """Rate the centre items from each row's general level and change."""
    lo = fw.scale.min
    m = len(rows.person)
    overall = levels.general[rows.person] + levels.slope[rows.person] * (rows.wave - 1)
    columns: dict[str, np.ndarray] = {}
    for item in fw.centre:
        latent = 0.8 * overall + rng.normal(0, 0.6, size=m) - 0.25 * rows.practitioner
        columns[item.key] = (lo + np.searchsorted(cuts, latent)).astype(float)
    return columns


def _blank_missing(
    rng: np.random.Generator, columns: dict[str, np.ndarray], missing: float
) -> None:
    """Leave a share of the answers missing, at random (in place)."""
    for values in columns.values():
        values[rng.random(len(values)) < missing] = np.nan


def _draw_case_columns(
    rng: np.random.Generator, people: _People, at_risk: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draw each person's statutory order and risk to others, mostly in the justice group."""
    n = len(people.client_group)
    justice = people.client_group == "justice"
    statutory = (justice & (rng.random(n) < 0.7)) | (at_risk & (rng.random(n) < 0.3))
    risk_to_others = justice & (rng.random(n) < 0.3)
    return statutory, risk_to_others


def _assemble(
    rows: _Rows,
    people: _People,
    dates: pd.DatetimeIndex,
    statutory: np.ndarray,
    risk_to_others: np.ndarray,
    columns: dict[str, np.ndarray],
) -> pd.DataFrame:
    """Assemble the wide table: identifiers, the person's details per row, then ratings."""
    return pd.DataFrame(
        {
            "person_id": pd.Series(rows.person + 1).map("P{:04d}".format).to_numpy(),
            "wave": rows.wave.astype(np.int64),
            "assessment_date": dates,
            "rater": np.where(rows.practitioner, "practitioner", "self").astype(object),
            "client_group": people.client_group[rows.person],
            "age_band": people.age_band[rows.person],
            "sex": people.sex[rows.person],
            "area": people.area[rows.person],
            "statutory_order": statutory[rows.person],
            "risk_to_others": risk_to_others[rows.person],
            **columns,
        }
    )
