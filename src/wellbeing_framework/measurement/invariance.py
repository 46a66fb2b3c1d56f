"""Measurement invariance: does the framework measure the same thing in every group and
over time?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.framework import Framework
from wellbeing_framework.measurement.fit_indices import fit_table
from wellbeing_framework.measurement.items import Items, items_of
from wellbeing_framework.measurement.ml import Group, Moments, fit, moments_of
from wellbeing_framework.measurement.models import LEVELS, correlated_factors, longitudinal

__all__ = ["invariance"]

#: A drop in CFI of 0.010 or more (Cheung & Rensvold, 2002), with a rise in RMSEA of 0.015
#: or more (Chen, 2007), suggests the more constrained model does not hold.
DELTA_CFI, DELTA_RMSEA = -0.010, 0.015


def _group_moments(
    items: Items, by: str, policy: DisclosurePolicy
) -> tuple[list[Moments], list[str], int]:
    if by not in items.wide.columns:
        msg = f"no column {by!r} to compare groups by"
        raise KeyError(msg)
    labels = items.wide[by].astype("string").fillna("not recorded")
    keep = items.complete
    if labels[keep].nunique() > max(10, keep.sum() // 20):
        msg = f"{by!r} has a value of its own on most rows: it is not a grouping column"
        raise ValueError(msg)
    people = items.wide["person_id"] if "person_id" in items.wide.columns else None
    p = items.values.shape[1]
    groups, data, small = [], [], 0
    for label in sorted(labels[keep].unique()):
        mask = keep & (labels == label).to_numpy()
        rows = items.values[mask]
        persons = people[mask].nunique() if people is not None else len(rows)
        if persons < policy.threshold or len(rows) < p + 1:
            small += 1
            continue
        groups.append(str(label))
        data.append(_well_posed(moments_of(rows)))
    if small:
        msg = (
            f"{small} group(s) of {by!r} have too few people with complete answers to compare "
            f"(fewer than {policy.threshold} people, the disclosure threshold, or fewer "
            f"assessments than {p + 1} to estimate the model). Merge them or leave them out."
        )
        raise ValueError(msg)
    if len(groups) < 2:
        msg = f"{by!r} has fewer than two groups to compare"
        raise ValueError(msg)
    return data, groups, int((~keep).sum())


def _well_posed(moments: Moments) -> Moments:
    if np.linalg.eigvalsh(moments.cov).min() <= 1e-10 * np.trace(moments.cov):
        msg = (
            "in one group (or at one wave) an indicator never varies or copies others: the "
            "model cannot be fitted there. Leave that domain out or merge groups."
        )
        raise ValueError(msg)
    return moments


def _wave_moments(
    items: Items,
    waves: tuple[object, object] | None,
    wave: str,
    person: str,
    policy: DisclosurePolicy,
) -> tuple[Moments, list[str], int]:
    wide = items.wide
    for column in (wave, person):
        if column not in wide.columns:
            msg = f"no column {column!r}: invariance over time pairs each person's waves"
            raise KeyError(msg)
    numeric = pd.to_numeric(wide[wave], errors="coerce")
    if numeric.isna().any() and wide[wave].notna().any():
        msg = f"{wave!r} must hold wave numbers (1, 2, 3, ...) to compare waves"
        raise ValueError(msg)
    present = sorted(numeric.dropna().unique())
    if waves is not None and (isinstance(waves, str | int) or len(waves) != 2):
        msg = "waves must be two wave numbers, such as waves=(1, 3)"
        raise ValueError(msg)
    first, later = waves if waves is not None else (present[0], present[-1])
    if first == later or first not in present or later not in present:
        msg = "choose two different waves that are in the data with waves=(first, later)"
        raise ValueError(msg)
    frame = pd.DataFrame(items.values, columns=list(items.keys))
    frame["_person"], frame["_wave"] = wide[person].to_numpy(), numeric.to_numpy()
    given = int(frame._wave.isin([first, later]).sum())
    frame = frame[items.complete]
    a = frame[frame._wave == first].drop_duplicates("_person", keep="last").set_index("_person")
    b = frame[frame._wave == later].drop_duplicates("_person", keep="last").set_index("_person")
    both = a.index.intersection(b.index)
    keys = list(items.keys)
    values = np.hstack([a.loc[both, keys].to_numpy(float), b.loc[both, keys].to_numpy(float)])
    if len(values) < max(policy.threshold, 2 * len(keys) + 1):
        msg = "too few people answer every indicator at both waves to fit the model"
        raise ValueError(msg)
    labels = [f"wave {first:g}", f"wave {later:g}"]
    return _well_posed(moments_of(values)), labels, given - 2 * len(both)


def invariance(
    ratings: pd.DataFrame,
    framework: Framework,
    by: str,
    *,
    waves: tuple[object, object] | None = None,
    domains: Sequence[str] | None = None,
    policy: DisclosurePolicy | None = None,
    wave: str = "wave",
    person: str = "person_id",
) -> pd.DataFrame:
    """Configural, metric and scalar invariance of the domains' factor model.

    Parameters
    ----------
    ratings
        Wide or long ratings with the ``by`` column. Only self-ratings are used (all raters
        when ``by="rater"``, which treats two raters of the same people as independent
        groups: read it as a rough check).
    framework
        Gives the domains and their indicators.
    by
        A grouping column (``"client_group"``, ``"area"``, ``"rater"``): one model per group,
        fitted together. Or the wave column (``"wave"``): the same people at two waves in
        one model, each indicator's residual correlated with itself over time.
    waves
        With ``by="wave"``: the two waves to compare (default the first and the last).
    domains
        The domains to model (default all).
    policy
        Disclosure control: a group with fewer complete assessments than its threshold is
        refused.

    Returns
    -------
    pandas.DataFrame
        One row per model: ``model`` (configural, metric, scalar), ``chi2``, ``df``, ``cfi``,
        ``rmsea``, ``srmr``, ``delta_cfi``, ``delta_rmsea`` (from the model above),
        ``holds`` (False when CFI drops by 0.010 or more and RMSEA rises by 0.015 or more;
        blank for the configural model, which is judged by its own fit)
        and ``converged``. ``attrs`` holds the ``groups`` compared, their published ``n``
        and the assessments left out (``n_excluded``: an indicator unanswered).

    Notes
    -----
    Maximum likelihood on each group's complete answers (listwise), models identified by
    a marker indicator per domain as in lavaan. *Configural*: the same pattern in every
    group, everything free. *Metric*: loadings equal, so a domain's factor means the same
    in each group. *Scalar*: intercepts equal too, with the factor means free beyond the
    first group, so the domains' means can be compared. CFI, RMSEA (times
    :math:`\\sqrt{G}`) and SRMR (the groups' average weighted by n, means included) follow
    lavaan. A chi-square difference test is not given: on samples of hundreds it rejects
    trivial differences, which is why the changes in CFI and RMSEA are read instead.

    References
    ----------
    .. [1] Cheung, G. W., & Rensvold, R. B. (2002). Evaluating goodness-of-fit indexes for
       testing measurement invariance. *Structural Equation Modeling*, 9(2), 233-255.
    .. [2] Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of measurement
       invariance. *Structural Equation Modeling*, 14(3), 464-504.
    .. [3] Meredith, W. (1993). Measurement invariance, factor analysis and factorial
       invariance. *Psychometrika*, 58(4), 525-543.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> cohort = wf.make_cohort(600, waves=1, seed=4)
    >>> table = wf.measurement.invariance(cohort[cohort.rater == "self"], fw, by="area")
    >>> table.model.tolist()
    ['configural', 'metric', 'scalar']
    """
    policy = policy or DisclosurePolicy()
    items = items_of(ratings, framework, domains, rater=None if by == "rater" else "self")
    if by == wave:
        pair, groups, excluded = _wave_moments(items, waves, wave, person, policy)
        data, counts = [pair], [pair.n, pair.n]
    else:
        data, groups, excluded = _group_moments(items, by, policy)
        counts = [d.n for d in data]
    rows = []
    for level in LEVELS:
        if by == wave:
            model, start, lower = longitudinal(items.structure, data[0], level)
        else:
            model, start, lower = correlated_factors(items.structure, data, level)
        rows.append(_row(level, model, data, start, lower))
    table = pd.DataFrame(rows)
    table["delta_cfi"] = table.cfi.diff()
    table["delta_rmsea"] = table.rmsea.diff()
    worse = (table.delta_cfi <= DELTA_CFI) & (table.delta_rmsea >= DELTA_RMSEA)
    table["holds"] = pd.array([pd.NA, *(~worse.iloc[1:])], dtype="boolean")  # none above
    table = table[
        [
            "model",
            "chi2",
            "df",
            "cfi",
            "rmsea",
            "srmr",
            "delta_cfi",
            "delta_rmsea",
            "holds",
            "converged",
        ]
    ]
    table.attrs["groups"] = groups
    table.attrs["n"] = [policy.apply_total(c) for c in counts]
    table.attrs["n_excluded"] = policy.apply_total(excluded) if excluded else 0
    table.attrs["disclosure"] = policy.describe()
    return table


def _row(
    level: str, model: list[Group], data: list[Moments], start: np.ndarray, lower: np.ndarray
) -> dict[str, object]:
    result = fit(model, data, start, lower)
    stats = fit_table(result, data, means=True)
    return {
        "model": level,
        "chi2": stats["chi2"],
        "df": int(stats["df"]),
        "cfi": stats["cfi"],
        "rmsea": stats["rmsea"],
        "srmr": stats["srmr"],
        "converged": result.converged,
    }
