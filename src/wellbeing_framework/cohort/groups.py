"""Equity: means by group, and each group's gap to everyone else."""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.engines import engine_for
from wellbeing_framework.framework import Framework

__all__ = ["OTHER_GROUPS", "compare_groups", "holm"]


def _moments(
    scores: Any, by: str, measures: list[str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Count, sum and sum of squares of each measure per group (pandas or Dask)."""
    squared = scores[[by, *measures]].assign(**{m: scores[m] ** 2 for m in measures})
    grouped = scores[[by, *measures]].groupby(by)
    parts = (grouped.count(), grouped.sum(), squared.groupby(by).sum())
    engine = engine_for(scores)
    if engine is not None:
        parts = engine.compute(*parts)
    count, total, squares = parts
    return count, total, squares


OTHER_GROUPS = "other groups (combined)"
Moment = tuple[float, float, float]  # n, sum, sum of squares


def _mean_ci(n: float, s: float, q: float, level: float) -> tuple[float, float, float]:
    from scipy import stats  # imported when first needed: a slow import

    if n == 0:
        return float("nan"), float("nan"), float("nan")
    mean = s / n
    if n < 2:
        return mean, float("nan"), float("nan")
    var = max((q - n * mean**2) / (n - 1), 0.0)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * np.sqrt(var / n))
    return mean, mean - half, mean + half


def _gap(x: Moment, y: Moment, level: float) -> dict[str, float]:
    """Mean of x minus mean of y: Welch and pooled-variance intervals, Welch p."""
    from scipy import stats  # imported when first needed: a slow import

    (nx, sx, qx), (ny, sy, qy) = x, y
    keys = ("gap", "gap_low", "gap_high", "gap_low_pooled", "gap_high_pooled", "p")
    if nx < 2 or ny < 2:
        return dict.fromkeys(keys, float("nan"))
    mx, my = sx / nx, sy / ny
    var_x = max((qx - nx * mx**2) / (nx - 1), 0.0)
    var_y = max((qy - ny * my**2) / (ny - 1), 0.0)
    gap = float(mx - my)
    vx, vy = var_x / nx, var_y / ny
    se = float(np.sqrt(vx + vy))
    if se == 0:
        out = dict.fromkeys(keys, float("nan"))
        out |= {"gap": gap, "_se": 0.0, "_df": float("nan")}
        return out
    df = (vx + vy) ** 2 / (vx**2 / (nx - 1) + vy**2 / (ny - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df) * se)
    pooled = ((nx - 1) * var_x + (ny - 1) * var_y) / (nx + ny - 2)
    se_pooled = float(np.sqrt(pooled * (1 / nx + 1 / ny)))
    half_pooled = float(stats.t.ppf(0.5 + level / 2, nx + ny - 2) * se_pooled)
    return {
        "gap": gap,
        "gap_low": gap - half,
        "gap_high": gap + half,
        "gap_low_pooled": gap - half_pooled,
        "gap_high_pooled": gap + half_pooled,
        "p": float(2 * stats.t.sf(abs(gap) / se, df)),
        "_se": se,
        "_df": df,
    }


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjustment of p-values (missing values stay missing).

    References
    ----------
    .. [1] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.

    Examples
    --------
    >>> holm(np.array([0.01, 0.04, 0.03, np.nan])).round(2).tolist()
    [0.03, 0.06, 0.06, nan]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(len(p), np.nan)
    known = np.flatnonzero(~np.isnan(p))
    m = len(known)
    if m == 0:
        return out
    order = known[np.argsort(p[known], kind="stable")]
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _publishable_groups(
    counts: pd.Series, policy: DisclosurePolicy
) -> tuple[list[Any], list[Any], bool, list[Any]]:
    """Split groups into shown and hidden, so that no hidden group can be worked back.

    Groups whose count the policy suppresses are hidden; while the hidden groups together
    are too few to publish, the smallest shown group joins them (secondary suppression, so
    a published total minus the shown groups never reveals a small count). Returns the
    shown groups, the hidden ones and whether the hidden ones are published combined.
    """
    counts = counts[counts > 0]
    hidden = [g for g, small in zip(counts.index, policy.suppressed(counts), strict=True) if small]
    shown = [g for g in counts.index if g not in hidden]
    joined: list[Any] = []
    if not hidden:
        return shown, hidden, False, joined
    while policy.apply_total(float(counts[hidden].sum())) is None and shown:
        smallest = min(shown, key=lambda g: (counts[g], str(g)))
        shown.remove(smallest)
        hidden.append(smallest)
        joined.append(smallest)
    combined = policy.apply_total(float(counts[hidden].sum())) is not None and len(hidden) > 1
    return shown, hidden, combined, joined


def _combined_note(hidden: list[Any], joined: list[Any]) -> str:
    """What the combined row holds, by name (the counts stay hidden)."""
    small = [str(g) for g in hidden if g not in joined]
    text = f"combines {', '.join(sorted(small))} (too small to show alone)"
    if joined:
        text += (
            f" with {', '.join(str(g) for g in joined)} (large enough, but combined so that "
            "the small ones cannot be worked back)"
        )
    return text


_STATS = (
    "mean",
    "ci_low",
    "ci_high",
    "gap",
    "gap_low",
    "gap_high",
    "gap_low_pooled",
    "gap_high_pooled",
    "p",
)


def _group_row(
    part: Moment, everyone: Moment, policy: DisclosurePolicy, level: float
) -> dict[str, object]:
    """A published group's n, mean and interval, and its gap to everyone else shown."""
    n, s, q = part
    mean, low, high = _mean_ci(n, s, q, level)
    rest = (everyone[0] - n, everyone[1] - s, everyone[2] - q)
    row: dict[str, object] = {"n": policy.apply_total(n), "mean": mean}
    row |= {"ci_low": low, "ci_high": high} | _gap(part, rest, level)
    reasons = []
    if n < 2:
        reasons.append("not enough data for an interval (n < 2)")
    if rest[0] == 0:
        reasons.append("no other group to compare with")
    elif rest[0] < 2 or n < 2:
        reasons.append("not enough data for a gap (n < 2 on one side)")
    elif np.isnan(cast("float", row["gap_low"])):
        reasons.append("no interval for the gap: every score is the same")
    row["note"] = "; ".join(reasons)
    return row


def _weight_by_published_n(rows: list[dict[str, object]]) -> None:
    """Point estimates from the published group sizes, so exact sizes cannot be solved for.

    With exact sizes, ``mean``, ``gap`` and ``overall`` give each group's exact share of
    the people (``1 - (mean - overall) / gap``), undoing the rounding of ``n``. Here the
    overall mean and each gap's "everyone else" weight the groups by their published
    (rounded) sizes: every point estimate is then a function of published figures. Each
    interval keeps its width from the data and is centred on the published gap; the
    p-value is computed from the published gap and the same standard error.
    """
    from scipy import stats

    shown = [r for r in rows if pd.notna(cast("float", r.get("mean", np.nan)))]
    weights = [float(cast("float", r["n"])) for r in shown]
    total_weight = sum(weights)
    if not total_weight:
        return
    weighted = sum(
        float(cast("float", r["mean"])) * w for r, w in zip(shown, weights, strict=True)
    )
    for row, w in zip(shown, weights, strict=True):
        gap = cast("float", row.get("gap", np.nan))
        if pd.isna(gap) or total_weight == w:
            continue
        rest = (weighted - float(cast("float", row["mean"])) * w) / (total_weight - w)
        published = float(cast("float", row["mean"])) - rest
        shift = published - float(gap)
        for column in ("gap", "gap_low", "gap_high", "gap_low_pooled", "gap_high_pooled"):
            row[column] = float(cast("float", row[column])) + shift
        se, df = float(cast("float", row["_se"])), float(cast("float", row["_df"]))
        row["p"] = float(2 * stats.t.sf(abs(published) / se, df)) if se > 0 else np.nan
    for row in rows:
        row["overall"] = weighted / total_weight


def _groups_note(notes: set[str], policy: DisclosurePolicy) -> str:
    text = policy.describe()
    if "combined" in notes:
        text += (
            f" Groups too small to show alone are combined as '{OTHER_GROUPS}' when together "
            "they are large enough."
        )
    if "left out" in notes:
        text += (
            " Where even the combination is too small, those people are left out of the "
            "overall mean and of every gap, so that nothing about them can be worked back."
        )
    return text


#: The group of rows with no value in the grouping column.
NOT_RECORDED = "not recorded"
_RESERVED = frozenset(("measure", "index", "n", "note", "overall", "p_holm", "mean"))


def _as_groups(scores: Any, by: str, policy: DisclosurePolicy) -> Any:
    """The table with its grouping column as text labels, a blank as "not recorded".

    Every row stays in a group (none is dropped for a blank value), groups of any type
    (true/false, numbers) behave alike, and a column that identifies people is refused.

    Raises
    ------
    KeyError
        If there is no such column.
    ValueError
        If the column's name is one the result uses, a value is the name of the combined
        row, or (under disclosure control) nearly every row has its own value, like an
        identifier or a date (more rows than half, and more than the threshold, alone in
        their group): the names of the groups would then name people.
    """
    if by not in scores.columns:
        msg = f"no column {by!r} to group by"
        raise KeyError(msg)
    if by in _RESERVED:
        msg = f"a grouping column cannot be called {by!r} (the results use that name): rename it"
        raise ValueError(msg)
    if engine_for(scores) is not None:  # other engines group as they are
        return scores
    values = scores[by]
    labels = values.astype(object).where(values.notna(), NOT_RECORDED).map(str)
    if (labels == OTHER_GROUPS).any():
        msg = (
            f"a group is called {OTHER_GROUPS!r}, the name given to small groups combined: "
            "rename it"
        )
        raise ValueError(msg)
    sizes = labels.value_counts()
    alone = int((sizes == 1).sum())
    if not policy.is_none and alone > max(len(labels) / 2, policy.threshold):
        msg = (
            f"{by!r} has a value of its own on most rows ({alone} of {len(labels)} rows), "
            "like an identifier or a date: grouping by it would name people. Group by a "
            "column with a few values, such as client_group or area"
        )
        raise ValueError(msg)
    return scores.assign(**{by: labels})


def _measure_order(measures: list[str], by: str) -> Any:
    rank = {m: i for i, m in enumerate(measures)}

    def key(column: pd.Series) -> pd.Series:
        if column.name == "measure":
            return column.map(rank)
        # the combined "other groups" row comes last
        return column.map(lambda v: (v == OTHER_GROUPS, str(v)))

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
        Disclosure control (default :class:`~wellbeing_framework.DisclosurePolicy`); see
        Notes.
    level
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        One row per group and measure (domains and ``index``): ``by`` column, ``measure``,
        ``n`` (published), ``mean``, ``ci_low``, ``ci_high`` (t interval), ``gap`` (group mean
        minus the mean of everyone else shown), ``gap_low``, ``gap_high`` (Welch interval),
        ``gap_low_pooled``, ``gap_high_pooled`` (Student's pooled-variance interval), ``p``
        (Welch test of the gap), ``p_holm`` (Holm-adjusted across the gaps of the measure),
        ``overall`` (the mean of everyone shown) and ``note`` (why a figure is missing, or
        what a row combines). ``attrs["disclosure"]`` says what was suppressed and why.

    Notes
    -----
    Disclosure control is applied so that no suppressed group can be worked back from the
    table, by any combination of its means, gaps, overall and counts:

    - a group whose n the policy suppresses is not shown alone; all such groups are
      combined into one row, ``"other groups (combined)"``, when together they are large
      enough to publish;
    - if they are not, the smallest shown group joins them (as secondary suppression does
      for counts), so the combination can be published and a total from elsewhere minus the
      shown groups reveals no small count;
    - if even everyone together is too few, nothing is published for the measure;
    - the overall mean and every gap are computed over the people shown (the shown groups
      and the combined row), never over a group that is hidden.

    With many groups, read the gaps with the Holm-adjusted p-values: a handful of groups
    already makes a "significant" gap likely by chance.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when several
       different population variances are involved. *Biometrika*, 34(1-2), 28-35.
    .. [2] Holm, S. (1979). A simple sequentially rejective multiple test procedure.
       *Scandinavian Journal of Statistics*, 6(2), 65-70.

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
    measures = [d.key for d in framework.domains] + ["index"]
    scores = _as_groups(scores, by, policy)
    count, total, squares = _moments(scores, by, measures)
    rows: list[dict[str, object]] = []
    notes: set[str] = set()
    for key in measures:
        shown, hidden, combined, joined = _publishable_groups(count[key], policy)
        parts: dict[Any, Moment] = {
            g: (float(count.loc[g, key]), float(total.loc[g, key]), float(squares.loc[g, key]))
            for g in shown
        }
        if combined:
            parts[OTHER_GROUPS] = tuple(  # type: ignore[assignment]
                float(frame.loc[hidden, key].sum()) for frame in (count, total, squares)
            )
            notes.add("combined")
        elif hidden:
            notes.add("left out")
        everyone: Moment = (
            float(sum(m[0] for m in parts.values())),
            float(sum(m[1] for m in parts.values())),
            float(sum(m[2] for m in parts.values())),
        )
        overall = everyone[1] / everyone[0] if everyone[0] else np.nan
        measure_rows = []
        for group in sorted(count.index, key=str):
            if group in hidden:
                continue
            n = int(count.loc[group, key])
            row: dict[str, object] = {by: group, "measure": key, "overall": overall}
            if n == 0:
                row |= {"n": 0, "note": "no scores in this group"}
            else:
                row |= _group_row(parts[group], everyone, policy, level)
            measure_rows.append(row)
        if hidden:
            row = {by: OTHER_GROUPS, "measure": key, "overall": overall}
            if combined:
                row |= _group_row(parts[OTHER_GROUPS], everyone, policy, level)
                row["note"] = "; ".join(
                    t for t in (_combined_note(hidden, joined), str(row["note"])) if t
                )
            else:
                row |= {
                    "n": None,
                    "note": "suppressed: too few people to publish; left out of every "
                    "other figure of this measure",
                }
            measure_rows.append(row)
        if policy.rounding > 1:
            _weight_by_published_n(measure_rows)
        p_adjusted = holm(np.array([r.get("p", np.nan) for r in measure_rows], dtype=float))
        for row, adjusted in zip(measure_rows, p_adjusted, strict=True):
            row["p_holm"] = adjusted
        rows.extend(measure_rows)
    out = pd.DataFrame(rows)
    order = [by, "measure", "n", *_STATS, "p_holm", "overall", "note"]
    out = out.reindex(columns=order)
    out = out.sort_values(
        [by, "measure"], key=_measure_order(measures, by), kind="stable"
    ).reset_index(drop=True)
    out["n"] = out["n"].astype("Int64")
    out["note"] = out["note"].astype(object).where(out["note"].notna(), "")
    for column in [*_STATS, "p_holm", "overall"]:
        decimals = 3 if column.startswith("p") else 1
        out[column] = [policy.statistic(float(v), decimals) for v in out[column]]
        out[column] = out[column].astype(float)
    out.attrs["disclosure"] = _groups_note(notes, policy)
    return out
