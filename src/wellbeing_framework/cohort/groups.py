"""Equity: means by group, and each group's gap to everyone else."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.framework import Framework

__all__ = ["compare_groups", "mean_ci", "welch_ci"]


def mean_ci(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and its t-based confidence interval."""
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 2:
        return (float(x.mean()) if n else float("nan")), float("nan"), float("nan")
    mean = float(x.mean())
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / np.sqrt(n))
    return mean, mean - half, mean + half


def welch_ci(x: np.ndarray, y: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Difference of means ``mean(x) - mean(y)`` with a Welch confidence interval."""
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    if len(x) < 2 or len(y) < 2:
        return float("nan"), float("nan"), float("nan")
    vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
    se = np.sqrt(vx + vy)
    df = (vx + vy) ** 2 / (vx**2 / (len(x) - 1) + vy**2 / (len(y) - 1))
    gap = float(x.mean() - y.mean())
    half = float(stats.t.ppf(0.5 + level / 2, df) * se)
    return gap, gap - half, gap + half


def compare_groups(
    scores: pd.DataFrame,
    framework: Framework,
    by: str,
    *,
    policy: DisclosurePolicy | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean score per group and domain, with each group's gap to everyone else.

    Social justice is one of the framework's values: this shows where outcomes differ
    between groups (client group, area, sex, age band ...).

    Parameters
    ----------
    scores
        A scores table (choose the rows first, e.g. one assessment per person at a wave).
    framework
        The framework scored against.
    by
        The grouping column.
    policy
        Disclosure control (default :class:`~wellbeing_framework.DisclosurePolicy`): each
        group's n is published through it, and every statistic of a group whose n is
        suppressed is suppressed.
    level
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per group and measure (domains and ``index``): ``by`` column, ``measure``,
        ``n`` (published), ``mean``, ``ci_low``, ``ci_high`` (t interval), ``gap`` (group mean
        minus the mean of everyone else), ``gap_low``, ``gap_high`` (Welch interval) and
        ``overall`` (the mean of everyone).

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika*, 34(1-2), 28-35.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(600, waves=1, seed=5), fw)
    >>> table = wf.cohort.compare_groups(scores[scores.rater == "self"], fw, by="client_group")
    >>> table[table.measure == "index"][["client_group", "n", "mean"]].round(1)
                 client_group    n  mean
    4   children and families  160  54.6
    9              disability  120  55.5
    14                justice   55  53.1
    19          mental health  115  53.1
    24           older people  140  59.0
    """
    policy = policy or DisclosurePolicy()
    if by not in scores.columns:
        msg = f"no column {by!r} to group by"
        raise KeyError(msg)
    measures = [d.key for d in framework.domains] + ["index"]
    rows = []
    groups = scores[by]
    for group in sorted(groups.dropna().unique(), key=str):
        inside = (groups == group).to_numpy()
        for key in measures:
            values = scores[key].to_numpy(dtype=float, na_value=np.nan)
            x, rest = values[inside], values[~inside]
            n = int((~np.isnan(x)).sum())
            n_shown = policy.apply_total(float(n))
            overall = float(np.nanmean(values)) if (~np.isnan(values)).any() else np.nan
            row: dict[str, object] = {by: group, "measure": key, "n": n_shown, "overall": overall}
            if n_shown is None:
                row |= dict.fromkeys(
                    ("mean", "ci_low", "ci_high", "gap", "gap_low", "gap_high"), np.nan
                )
            else:
                mean, low, high = mean_ci(x, level)
                gap, gap_low, gap_high = welch_ci(x, rest, level)
                row |= {
                    "mean": mean,
                    "ci_low": low,
                    "ci_high": high,
                    "gap": gap,
                    "gap_low": gap_low,
                    "gap_high": gap_high,
                }
            rows.append(row)
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    order = [by, "measure", "n", "mean", "ci_low", "ci_high", "gap", "gap_low", "gap_high"]
    out = out[[*order, "overall"]]
    out.attrs["disclosure"] = policy.describe()
    return out
