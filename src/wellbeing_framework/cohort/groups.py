"""Equity: means by group, and each group's gap to everyone else."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.dask_engine import is_dask
from wellbeing_framework.framework import Framework

__all__ = ["compare_groups"]


def _moments(
    scores: Any, by: str, measures: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Count, sum and sum of squares of each measure per group (pandas or Dask)."""
    squared = scores[[by, *measures]].assign(**{m: scores[m] ** 2 for m in measures})
    grouped = scores[[by, *measures]].groupby(by)
    parts = (grouped.count(), grouped.sum(), squared.groupby(by).sum())
    if is_dask(scores):
        import dask

        parts = dask.compute(*parts)
    count, total, squares = parts
    return count, total, squares


def _mean_ci(n: int, s: float, q: float, level: float) -> tuple[float, float, float]:
    if n == 0:
        return float("nan"), float("nan"), float("nan")
    mean = s / n
    if n < 2:
        return mean, float("nan"), float("nan")
    var = max((q - n * mean**2) / (n - 1), 0.0)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * np.sqrt(var / n))
    return mean, mean - half, mean + half


def _welch(
    x: tuple[float, float, float], y: tuple[float, float, float], level: float
) -> tuple[float, float, float]:
    (nx, sx, qx), (ny, sy, qy) = x, y
    if nx < 2 or ny < 2:
        return float("nan"), float("nan"), float("nan")
    mx, my = sx / nx, sy / ny
    vx = max((qx - nx * mx**2) / (nx - 1), 0.0) / nx
    vy = max((qy - ny * my**2) / (ny - 1), 0.0) / ny
    se = np.sqrt(vx + vy)
    df = (vx + vy) ** 2 / (vx**2 / (nx - 1) + vy**2 / (ny - 1))
    gap = float(mx - my)
    half = float(stats.t.ppf(0.5 + level / 2, df) * se)
    return gap, gap - half, gap + half


def _measure_order(measures: list[str]) -> Any:
    rank = {m: i for i, m in enumerate(measures)}

    def key(column: pd.Series) -> pd.Series:
        if column.name == "measure":
            return column.map(rank)
        return column.astype(str)

    return key


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
    count, total, squares = _moments(scores, by, measures)
    rows = []
    for key in measures:
        n_all = float(count[key].sum())
        s_all = float(total[key].sum())
        q_all = float(squares[key].sum())
        overall = s_all / n_all if n_all else np.nan
        for group in sorted(count.index, key=str):
            n = int(count.loc[group, key])
            n_shown = policy.apply_total(float(n))
            row: dict[str, object] = {by: group, "measure": key, "n": n_shown, "overall": overall}
            if n_shown is None:
                row |= dict.fromkeys(
                    ("mean", "ci_low", "ci_high", "gap", "gap_low", "gap_high"), np.nan
                )
            else:
                s, q = float(total.loc[group, key]), float(squares.loc[group, key])
                mean, low, high = _mean_ci(n, s, q, level)
                gap, gap_low, gap_high = _welch(
                    (n, s, q), (n_all - n, s_all - s, q_all - q), level
                )
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
    out = out.sort_values([by, "measure"], key=_measure_order(measures), kind="stable")
    out = out.reset_index(drop=True)
    out["n"] = out["n"].astype("Int64")
    order = [by, "measure", "n", "mean", "ci_low", "ci_high", "gap", "gap_low", "gap_high"]
    out = out[[*order, "overall"]]
    out.attrs["disclosure"] = policy.describe()
    return out
