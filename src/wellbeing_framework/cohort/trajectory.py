"""Trajectory: the cohort's mean score and band shares at every wave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.groups import _mean_ci
from wellbeing_framework.cohort.select import choose_rows
from wellbeing_framework.framework import Framework
from wellbeing_framework.scoring import with_band_categories

__all__ = ["trajectory"]


def _measures(framework: Framework, measure: str | Sequence[str] | None) -> list[str]:
    known = [d.key for d in framework.domains] + [c.key for c in framework.centre] + ["index"]
    if measure is None:
        return [d.key for d in framework.domains] + ["index"]
    asked = [measure] if isinstance(measure, str) else list(measure)
    unknown = [m for m in asked if m not in known]
    if unknown:
        msg = f"unknown measure(s) {unknown}; choose from {known}"
        raise KeyError(msg)
    return asked


def trajectory(
    scores: pd.DataFrame,
    framework: Framework,
    by: str | None = None,
    measure: str | Sequence[str] | None = None,
    *,
    rater: str | None = "self",
    policy: DisclosurePolicy | None = None,
    wave: str = "wave",
    person: str = "person_id",
    level: float = 0.95,
) -> pd.DataFrame:
    """The mean score, its confidence interval and the share in each band, at every wave.

    Each person counts once per wave (their last assessment at that wave by date, when
    there are several). Counts pass through the disclosure policy; a mean whose count is
    suppressed is not shown.

    Parameters
    ----------
    scores
        A scores table from :func:`~wellbeing_framework.score` with a ``wave`` column.
    framework
        The framework scored against.
    by
        A grouping column (``"client_group"``, ``"area"``): one trajectory per group. The
        counts of the groups at each wave are controlled together, as parts of a total.
    measure
        A measure key (``"index"``, ``"rb"``) or a list of them; default the domains and
        the index.
    rater
        Keep only this rater's assessments (when there is a ``rater`` column).
    policy
        Disclosure control (default :class:`~wellbeing_framework.DisclosurePolicy`).
    level
        Confidence level of the interval of the mean (t distribution).

    Returns
    -------
    pandas.DataFrame
        One row per (group,) measure and wave: ``measure``, ``title``, ``wave``, ``n``
        (people with a score, published), ``mean``, ``ci_low``, ``ci_high``, one column per
        band holding its share of ``n`` (published counts), and ``note`` (why a figure is
        missing). ``attrs["disclosure"]`` describes the policy.

    Raises
    ------
    KeyError
        If there is no ``wave`` column or an unknown measure is asked for.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(300, waves=3, seed=4), fw)
    >>> wf.cohort.trajectory(scores, fw, measure="index")[["wave", "n", "mean", "ci_low"]]
       wave    n  mean  ci_low
    0     1  295  54.6    52.6
    1     2  300  57.6    55.7
    2     3  300  58.9    57.0
    """
    policy = policy or DisclosurePolicy()
    if wave not in scores.columns:
        msg = (
            f"a trajectory needs a {wave!r} column (the wave of each assessment); "
            "with dates only, compare first and last assessments with wf.cohort.change"
        )
        raise KeyError(msg)
    measures = _measures(framework, measure)
    scores = with_band_categories(scores, framework)
    waves = pd.to_numeric(scores[wave], errors="coerce")
    titles = {d.key: d.title for d in framework.domains}
    titles |= {c.key: c.title for c in framework.centre} | {"index": "Index"}
    band_labels = list(
        cast("pd.CategoricalDtype", scores[f"{measures[0]}_band"].dtype).categories
        if f"{measures[0]}_band" in scores
        else []
    )
    groups: list[object] = [None]
    if by is not None:
        if by not in scores.columns:
            msg = f"the table has no {by!r} column to group by"
            raise KeyError(msg)
        groups = list(pd.unique(scores[by].dropna()))
        groups.sort(key=str)
    rows: list[dict[str, object]] = []
    for at in sorted(pd.unique(waves.dropna())):
        chosen = scores.iloc[choose_rows(scores, cast("int", at), rater=rater, person=person)]
        for key in measures:
            values = pd.to_numeric(chosen[key], errors="coerce")
            bands = chosen.get(f"{key}_band")
            parts = []
            for group in groups:
                mask = (
                    np.ones(len(chosen), dtype=bool)
                    if group is None
                    else (chosen[cast("str", by)] == group).to_numpy(dtype=bool, na_value=False)
                )
                scored = values[mask].dropna()
                parts.append((group, scored, None if bands is None else bands[mask]))
            sizes = pd.Series([float(len(s)) for _, s, _ in parts])
            shown = (
                policy.apply(sizes, total=True)
                if by is not None
                else pd.Series([policy.apply_total(sizes.iloc[0])], dtype="Int64")
            )
            for (group, scored, band), n in zip(parts, shown.tolist(), strict=True):
                rows.append(
                    _row(
                        scored,
                        band,
                        n,
                        band_labels,
                        policy,
                        level,
                        key,
                        titles[key],
                        at,
                        by,
                        group,
                    )
                )
    out = pd.DataFrame(rows)
    for column in ("n", *band_labels):
        if column in out:
            out[column] = out[column].astype("Int64" if column == "n" else "Float64")
    out.attrs["disclosure"] = policy.describe()
    return out


def _row(
    scored: pd.Series,
    bands: pd.Series | None,
    n: object,
    band_labels: list[str],
    policy: DisclosurePolicy,
    level: float,
    key: str,
    title: str,
    at: float,
    by: str | None,
    group: object,
) -> dict[str, object]:
    """One published row: everything hidden when the count is."""
    row: dict[str, object] = {} if by is None else {by: group}
    row |= {"measure": key, "title": title, "wave": int(at) if float(at).is_integer() else at}
    hidden = n is pd.NA or n is None
    row["n"] = None if hidden else n
    mean = low = high = float("nan")
    note = ""
    if hidden:
        note = "suppressed: too few people to publish"
    elif len(scored) == 0:
        note = "nobody scored at this wave"
    else:
        values = scored.to_numpy(dtype=float)
        mean, low, high = _mean_ci(len(values), values.sum(), (values**2).sum(), level)
        if len(values) < 2:
            note = "one person: no interval"
    row["mean"] = policy.statistic(mean)
    row["ci_low"] = policy.statistic(low)
    row["ci_high"] = policy.statistic(high)
    if bands is not None and band_labels:
        counts = bands.value_counts().reindex(band_labels, fill_value=0).astype(float)
        published = policy.apply(counts, total=True)
        for label, count in zip(band_labels, published.tolist(), strict=True):
            row[label] = (
                None
                if hidden or count is pd.NA or not n
                else round(float(count) / float(cast("int", n)), 10)
            )
    row["note"] = note
    return row
