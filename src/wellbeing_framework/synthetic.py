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
    n = n_people

    groups = list(CLIENT_GROUPS)
    shares = np.array([CLIENT_GROUPS[g][0] for g in groups])
    group_idx = rng.choice(len(groups), size=n, p=shares / shares.sum())
    group_level = np.array([CLIENT_GROUPS[g][1] for g in groups])[group_idx]
    group_change = np.array([CLIENT_GROUPS[g][2] for g in groups])[group_idx]
    client_group = np.array(groups, dtype=object)[group_idx]
    age_band = np.empty(n, dtype=object)
    for g in groups:
        bands, p = _AGE_BANDS.get(g, _ADULT_AGES)
        mask = client_group == g
        age_band[mask] = rng.choice(bands, size=int(mask.sum()), p=p)
    sex = rng.choice(np.array(["female", "male"], dtype=object), size=n, p=[0.54, 0.46])
    area = rng.choice(np.array(AREAS, dtype=object), size=n, p=[0.24, 0.20, 0.19, 0.20, 0.17])

    domain_keys = [d.key for d in fw.domains]
    n_domains = len(domain_keys)
    general = rng.normal(group_level, 1.0, size=n)
    domain_level = 0.7 * general[:, None] + 0.71 * rng.normal(size=(n, n_domains))
    at_risk = rng.random(n) < safeguarding_share
    protect = "sw" if "sw" in domain_keys else domain_keys[-1]
    domain_level[at_risk, domain_keys.index(protect)] -= 2.2
    slope = group_change + rng.normal(0, 0.1, size=n)

    # one row per person x wave (self), plus practitioner rows for a share of them
    person = np.repeat(np.arange(n), waves)
    wave = np.tile(np.arange(1, waves + 1), n)
    extra = rng.random(len(person)) < practitioner_share
    rows_person = np.concatenate([person, person[extra]])
    rows_wave = np.concatenate([wave, wave[extra]])
    is_practitioner = np.concatenate([np.zeros(len(person), bool), np.ones(extra.sum(), bool)])
    order = np.lexsort((is_practitioner, rows_wave, rows_person))
    rows_person, rows_wave, is_practitioner = (
        rows_person[order],
        rows_wave[order],
        is_practitioner[order],
    )
    m = len(rows_person)

    baseline_day = rng.integers(0, 300, size=n)
    gaps = rng.integers(90, 130, size=(n, max(waves - 1, 1)))
    offsets = np.concatenate([np.zeros((n, 1), int), np.cumsum(gaps, axis=1)], axis=1)
    day = baseline_day[rows_person] + offsets[rows_person, rows_wave - 1]
    dates = pd.Timestamp(start) + pd.to_timedelta(day, unit="D")

    wave_noise = rng.normal(0, 0.3, size=(n, waves + 1))
    level = (
        domain_level[rows_person]
        + (slope[rows_person] * (rows_wave - 1))[:, None]
        + wave_noise[rows_person, rows_wave][:, None]
        - 0.25 * is_practitioner[:, None]
    )
    lo, hi = fw.scale.min, fw.scale.max
    points = hi - lo + 1
    # cut points at equally spaced normal quantiles, centred a little above the middle
    cuts = np.linspace(-1.6, 1.2, points - 1)
    cuts[0] -= 1.1  # the bottom of the scale is kept for real difficulty
    item_noise_sd = np.where(is_practitioner, 1.0, 0.85)
    columns: dict[str, np.ndarray] = {}
    for d, domain in enumerate(fw.domains):
        for indicator in domain.indicators:
            latent = level[:, d] + rng.normal(0, 1, size=m) * item_noise_sd
            rating = (lo + np.searchsorted(cuts, latent)).astype(float)
            if indicator.reverse:
                rating = lo + hi - rating
            columns[indicator.key] = rating
    if protect == "sw":  # people at risk often say they are not safe at all
        for key in ("sw3", "sw5"):
            if key in columns:
                hit = at_risk[rows_person] & (rng.random(m) < 0.6)
                columns[key][hit] = lo
    overall = general[rows_person] + slope[rows_person] * (rows_wave - 1)
    for item in fw.centre:
        latent = 0.8 * overall + rng.normal(0, 0.6, size=m) - 0.25 * is_practitioner
        columns[item.key] = (lo + np.searchsorted(cuts, latent)).astype(float)
    for values in columns.values():
        values[rng.random(m) < missing] = np.nan

    justice = client_group == "justice"
    statutory = (justice & (rng.random(n) < 0.7)) | (at_risk & (rng.random(n) < 0.3))
    risk_to_others = justice & (rng.random(n) < 0.3)
    data = pd.DataFrame(
        {
            "person_id": pd.Series(rows_person + 1).map("P{:04d}".format).to_numpy(),
            "wave": rows_wave.astype(np.int64),
            "assessment_date": dates,
            "rater": np.where(is_practitioner, "practitioner", "self").astype(object),
            "client_group": client_group[rows_person],
            "age_band": age_band[rows_person],
            "sex": sex[rows_person],
            "area": area[rows_person],
            "statutory_order": statutory[rows_person],
            "risk_to_others": risk_to_others[rows_person],
            **columns,
        }
    )
    if shape == "long":
        return to_long(data, fw)
    return data
