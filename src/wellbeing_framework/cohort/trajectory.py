"""Trajectory: the cohort's mean score and band shares at every wave."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.groups import _as_groups, _mean_ci
from wellbeing_framework.cohort.select import choose_rows
from wellbeing_framework.cohort.snapshot import NOT_SCORED
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

    Each person counts once per wave: their last assessment in it (by date, else by row
    order), of the rater chosen. Counts pass through the disclosure policy; a mean whose
    count is suppressed is not shown.

    Parameters
    ----------
    scores
        A scores table from :func:`~wellbeing_framework.score` with a ``wave`` column.
    framework
        The framework scored against.
    by
        A grouping column (``"client_group"``, ``"area"``): one trajectory per group. The
        counts of the groups at each wave are controlled together, as parts of a total; a
        blank value is its own group, "not recorded"; a column with a value of its own on
        most rows (an identifier, a date) is refused.
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
        (people assessed at the wave, published), ``mean``, ``ci_low``, ``ci_high`` (of
        those with a score), one column per band and ``"not scored"`` holding its share of
        ``n`` (published counts, as in :func:`snapshot`), and ``note`` (why a figure is
        missing, or that the mean is of fewer people than ``n``). ``attrs["disclosure"]``
        describes the policy.

    Raises
    ------
    KeyError
        If there is no ``wave`` column or an unknown measure is asked for.
    ValueError
        If a wave is not a number, or the grouping column identifies people.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(300, waves=3, seed=4), fw)
    >>> wf.cohort.trajectory(scores, fw, measure="index")[["wave", "n", "mean", "ci_low"]]
       wave    n  mean  ci_low
    0     1  300  54.6    52.6
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
    if waves.isna().any():
        msg = (
            f"{int(waves.isna().sum())} assessment(s) have a {wave!r} that is not a number "
            "(or none): a trajectory needs numbered waves"
        )
        raise ValueError(msg)
    if by is not None:
        if by not in scores.columns:
            msg = f"the table has no {by!r} column to group by"
            raise KeyError(msg)
        scores = _as_groups(scores, by, policy)
    rows: list[dict[str, object]] = []
    for at in sorted(pd.unique(waves)):
        in_wave = scores[(waves == at).to_numpy()]
        chosen = in_wave.iloc[choose_rows(in_wave, "last", rater=rater, person=person)]
        for key in measures:
            rows += _wave_rows(chosen, key, by, policy, level, float(at), framework)
    out = pd.DataFrame(rows)
    bands = [c for c in out.columns if c not in (by, *_FIXED)]
    out = out.reindex(columns=[*([by] if by else []), *_FIXED[:-1], *bands, "note"])
    out["n"] = out["n"].astype("Int64")
    for column in bands:
        out[column] = out[column].astype("Float64")
    out.attrs["disclosure"] = policy.describe()
    return out


_FIXED = ("measure", "title", "wave", "n", "mean", "ci_low", "ci_high", "note")


def _wave_rows(
    chosen: pd.DataFrame,
    key: str,
    by: str | None,
    policy: DisclosurePolicy,
    level: float,
    at: float,
    framework: Framework,
) -> list[dict[str, object]]:
    """The rows of one measure at one wave: one per group (or one), counts controlled
    together as parts of the wave's total."""
    titles = {d.key: d.title for d in framework.domains}
    titles |= {c.key: c.title for c in framework.centre} | {"index": "Index"}
    groups: list[object] = [None] if by is None else sorted(pd.unique(chosen[by]), key=str)
    parts = []
    for group in groups:
        part = chosen if group is None else chosen[(chosen[cast("str", by)] == group).to_numpy()]
        parts.append((group, part))
    sizes = pd.Series([float(len(part)) for _, part in parts])
    shown = (
        policy.apply(sizes, total=True)
        if by is not None
        else pd.Series([policy.apply_total(sizes.iloc[0])], dtype="Int64")
    )
    where = {"measure": key, "title": titles[key], "wave": int(at) if at.is_integer() else at}
    return [
        ({} if by is None else {by: group}) | where | _row(part, key, n, policy, level)
        for (group, part), n in zip(parts, shown.tolist(), strict=True)
    ]


def _row(
    part: pd.DataFrame, key: str, n: object, policy: DisclosurePolicy, level: float
) -> dict[str, object]:
    """The figures of one group at one wave; everything hidden when its count is."""
    hidden = n is pd.NA or n is None
    values = pd.to_numeric(part[key], errors="coerce").dropna().to_numpy(dtype=float)
    mean = low = high = float("nan")
    note = ""
    if hidden:
        note = "suppressed: too few people to publish"
    elif len(values) == 0:
        note = "nobody scored at this wave"
    elif policy.apply_total(float(len(values))) is None:  # a mean of a few people
        note = "suppressed: too few people with a score to publish their mean"
    else:
        mean, low, high = _mean_ci(len(values), values.sum(), (values**2).sum(), level)
        if len(values) < 2:
            note = "one person scored: no interval"
        elif len(values) < len(part):
            note = "mean of the people with a score"
    row: dict[str, object] = {
        "n": None if hidden else n,
        "mean": policy.statistic(mean),
        "ci_low": policy.statistic(low),
        "ci_high": policy.statistic(high),
    }
    column = f"{key}_band"
    if column in part:
        labels = [*cast("pd.CategoricalDtype", part[column].dtype).categories, NOT_SCORED]
        codes = part[column].cat.codes.to_numpy()
        counts = pd.Series([float((codes == i).sum()) for i in range(len(labels) - 1)])
        counts = pd.concat([counts, pd.Series([float((codes == -1).sum())])], ignore_index=True)
        published = policy.apply(counts, total=True)
        for label, count in zip(labels, published.tolist(), strict=True):
            row[str(label)] = (
                None
                if hidden or count is pd.NA or not n
                else round(float(count) / float(cast("int", n)), 10)
            )
    row["note"] = note
    return row
