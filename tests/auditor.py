"""A differencing auditor: can a suppressed figure be worked back from a published table?

It plays an attacker who holds the published table and tries the linear attacks:

- **counts**: every published count stands for an interval (a rounded count ``v`` for
  ``[v - r/2, v + r/2)``, at least the threshold; a suppressed one for ``[1, inf)``), and the
  cells add up to the published total. Linear programming gives the narrowest interval the
  attacker can put on each suppressed cell; a cell is *disclosed* when that interval is
  narrower than the rounding base (or, with no rounding, pins the value exactly).
- **means**: an attacker who knows every group's true size (the worst case) subtracts the
  published groups from the overall mean, and from each group's mean minus its gap. A
  suppressed group's mean is *disclosed* when an attack lands within 1 point of it both on
  the data and on a copy where that group's scores were moved by 7 points (so a chance
  coincidence never counts).

The auditor is independent of the library's disclosure code: it only reads published
tables.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import wellbeing_framework as wf


def _bounds(value: object, policy: wf.DisclosurePolicy) -> tuple[float, float | None]:
    """What a published cell tells the attacker about the true count."""
    if value is None or pd.isna(value):  # suppressed: not zero when zeros are published
        return (1.0 if policy.keep_zero else 0.0), None
    v = float(value)  # type: ignore[arg-type]
    if v == 0 and policy.keep_zero:
        return 0.0, 0.0
    # rounding half up: the whole numbers x with v - r/2 <= x < v + r/2
    half = policy.rounding / 2
    low = max(float(np.ceil(v - half)), float(policy.threshold))
    high = float(np.ceil(v + half)) - 1
    return low, max(high, low)


def count_intervals(
    cells: Sequence[object], total: object, policy: wf.DisclosurePolicy
) -> dict[int, tuple[float, float]]:
    """The narrowest interval an attacker can give each suppressed cell.

    ``cells`` are published counts (``None``/``<NA>`` when suppressed); ``total`` the
    published total of those cells, or ``None`` when none is published.
    """
    k = len(cells)
    bounds = [_bounds(c, policy) for c in cells]
    a_ub, b_ub = [], []
    if total is None or pd.isna(total):  # a hidden total is small: 0 or 1 to threshold - 1
        bounds = [
            (0.0, None) if c is None or pd.isna(c) else b
            for c, b in zip(cells, bounds, strict=False)
        ]
        a_ub += [[1.0] * k]
        b_ub += [max(policy.threshold - 1, 0)]
    else:
        low, high = _bounds(total, policy)
        a_ub += [[-1.0] * k, [1.0] * k]
        b_ub += [-low, high if high is not None else 1e9]
    hidden = [i for i, c in enumerate(cells) if c is None or pd.isna(c)]
    out = {}
    for i in hidden:
        extremes = []
        for sign in (1.0, -1.0):
            objective = np.zeros(k)
            objective[i] = sign
            result = linprog(
                objective,
                A_ub=np.array(a_ub) if a_ub else None,
                b_ub=np.array(b_ub) if b_ub else None,
                bounds=bounds,
                method="highs",
            )
            if result.status == 0:
                extremes.append(sign * result.fun)
            else:  # unbounded: the attacker learns nothing on that side
                extremes.append(-np.inf if sign > 0 else np.inf)
        out[i] = (extremes[0], extremes[1])
    return out


def disclosed_counts(
    cells: Sequence[object], total: object, policy: wf.DisclosurePolicy
) -> list[int]:
    """Suppressed cells pinned down as closely as a published count would be.

    A cell is disclosed when the whole numbers it can still be are no more than the
    rounding base (with no rounding: exactly one).
    """
    found = []
    for i, (low, high) in count_intervals(cells, total, policy).items():
        possible = np.floor(high + 1e-9) - np.ceil(low - 1e-9) + 1
        if possible <= max(policy.rounding, 1):
            found.append(i)
    return found


def audit_count_table(
    table: pd.DataFrame,
    *,
    by: Sequence[str],
    count: str,
    total: str,
    policy: wf.DisclosurePolicy,
) -> list[str]:
    """Audit every block of a long table of counts (one block per value of ``by``)."""
    found = []
    for key, block in table.groupby(list(by), sort=False, dropna=False):
        cells = block[count].tolist()
        n = block[total].iloc[0]
        for i in disclosed_counts(cells, n, policy):
            found.append(f"{key}: cell {i} of {cells} with total {n}")
    return found


def audit_change_summary(summary: pd.DataFrame, policy: wf.DisclosurePolicy) -> list[str]:
    """Audit improved / no reliable change / deteriorated against n, per measure."""
    found = []
    for _, row in summary.iterrows():
        cells = [row["improved"], row["no_reliable_change"], row["deteriorated"]]
        for i in disclosed_counts(cells, row["n"], policy):
            found.append(f"{row['measure']}: cell {i} of {cells} with n {row['n']}")
    return found


def _attacks(
    table: pd.DataFrame, truth: pd.DataFrame, by: str, measure: str, hidden: object
) -> list[float]:
    """Estimates of a hidden group's mean from published means, gaps and the overall."""
    rows = table[(table["measure"] == measure) & table["mean"].notna()]
    n_true = truth.groupby(by)[measure].count()
    single = rows[rows[by].isin(n_true.index)]
    n_hidden = float(n_true.get(hidden, 0))
    if n_hidden == 0 or table.loc[table["measure"] == measure, "overall"].isna().all():
        return []
    everyone = float(n_true.sum())
    overall = float(table.loc[table["measure"] == measure, "overall"].iloc[0])
    sizes = np.array([float(n_true[g]) for g in single[by]], dtype=float)
    known = float((single["mean"].to_numpy(dtype=float) * sizes).sum())
    n_known = float(sizes.sum())
    estimates = []
    if everyone - n_known == n_hidden:  # the hidden group is all that is not shown
        estimates.append((overall * everyone - known) / n_hidden)
    for _, row in single.iterrows():
        if pd.isna(row["gap"]):
            continue
        n_g = float(n_true[row[by]])
        rest = row["mean"] - row["gap"]
        others = known - row["mean"] * n_g
        if everyone - n_known == n_hidden:
            estimates.append((rest * (everyone - n_g) - others) / n_hidden)
    return estimates


def audit_group_means(
    scores: pd.DataFrame,
    compare: Callable[[pd.DataFrame], pd.DataFrame],
    *,
    by: str,
    measures: Sequence[str],
) -> list[str]:
    """Try to recover each suppressed group's mean from a compare_groups table."""
    table = compare(scores)
    found = []
    for measure in measures:
        shown = set(table.loc[(table["measure"] == measure) & table["mean"].notna(), by])
        for hidden in scores[by].dropna().unique():
            if hidden in shown:
                continue
            landed = []
            for shift in (0.0, 7.0):
                world = scores.copy()
                world.loc[world[by] == hidden, measure] += shift
                truth = float(world.loc[world[by] == hidden, measure].mean())
                estimates = _attacks(compare(world), world, by, measure, hidden)
                landed.append({i for i, e in enumerate(estimates) if abs(e - truth) < 1})
            if landed[0] & landed[1]:
                found.append(f"{measure}: mean of a suppressed group recovered")
    return found


def enumerate_hidden(
    cells: Sequence[object], total: object, policy: wf.DisclosurePolicy, *, limit: int = 45
) -> dict[int, set[int]]:
    """Every value each hidden cell can take, by trying every true table (small tables).

    The strongest attacker: one who knows the policy's algorithm and runs it on every
    candidate table, keeping those that publish exactly what was published.
    """
    import itertools

    if total is None or pd.isna(total):
        return {}
    t_low, t_high = _bounds(total, policy)
    t_high = t_high if t_high is not None else t_low
    if t_high > limit:
        raise ValueError("table too large to enumerate")
    choices = []
    for c in cells:
        if c is None or pd.isna(c):
            choices.append(range(1 if policy.keep_zero else 0, int(t_high) + 1))
        else:
            low, high = _bounds(c, policy)
            choices.append(range(int(low), int(high if high is not None else low) + 1))
    published = [None if c is None or pd.isna(c) else int(c) for c in cells]
    hidden = [i for i, c in enumerate(published) if c is None]
    found: dict[int, set[int]] = {i: set() for i in hidden}
    for candidate in itertools.product(*choices):
        if not t_low <= sum(candidate) <= t_high:
            continue
        if policy.apply_total(float(sum(candidate))) != int(total):  # type: ignore[call-overload]
            continue
        out = policy.apply(pd.Series(candidate), total=True).tolist()
        if [None if pd.isna(v) else int(v) for v in out] != published:
            continue
        for i in hidden:
            found[i].add(candidate[i])
    return found
