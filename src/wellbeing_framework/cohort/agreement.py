"""Agreement between two raters (self and practitioner): co-production made measurable."""

from __future__ import annotations

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.dates import as_dates
from wellbeing_framework.framework import Domain, Framework
from wellbeing_framework.scoring import score_with_ratings
from wellbeing_framework.shapes import detect_shape

__all__ = ["ICC", "agreement", "icc_a1", "weighted_kappa"]

Z_975 = 1.959963984540054


@frozen(kw_only=True)
class ICC:
    """An intraclass correlation with its confidence interval."""

    value: float
    ci_low: float
    ci_high: float


def icc_a1(x: np.ndarray, level: float = 0.95) -> ICC:
    """ICC(A,1): two-way random effects, absolute agreement, single rater.

    ``x`` has one row per target (occasion) and one column per rater, complete. This is
    Shrout & Fleiss's ICC(2,1), McGraw & Wong's ICC(A,1), with McGraw & Wong's confidence
    interval.

    Notes
    -----
    With mean squares for targets :math:`MS_R`, raters :math:`MS_C` and error
    :math:`MS_E` over :math:`n` targets and :math:`k` raters,

    .. math:: ICC(A,1) = \\frac{MS_R - MS_E}{MS_R + (k-1) MS_E + k (MS_C - MS_E) / n}

    References
    ----------
    .. [1] Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
       rater reliability. *Psychological Bulletin*, 86(2), 420-428.
    .. [2] McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass
       correlation coefficients. *Psychological Methods*, 1(1), 30-46.

    Examples
    --------
    Shrout & Fleiss (1979), Table 2 (six targets, four judges): ICC(2,1) = 0.29.

    >>> x = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
    ...               [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], dtype=float)
    >>> round(icc_a1(x).value, 2)
    0.29
    """
    from scipy import stats  # imported when first needed: a slow import

    n, k = x.shape
    if n < 2 or k < 2:
        return ICC(value=float("nan"), ci_low=float("nan"), ci_high=float("nan"))
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_total = ((x - grand) ** 2).sum()
    ss_error = ss_total - ss_rows - ss_cols
    df_rows, df_cols, df_error = n - 1, k - 1, (n - 1) * (k - 1)
    msr, msc, mse = ss_rows / df_rows, ss_cols / df_cols, ss_error / df_error
    value = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    tail = (1 - level) / 2
    if mse == 0:
        return ICC(value=float(value), ci_low=float("nan"), ci_high=float("nan"))
    fj = msc / mse
    a = k * value * fj + n * (1 + (k - 1) * value) - k * value
    vn = df_error * a**2
    vd = df_rows * k**2 * value**2 * fj**2 + (n * (1 + (k - 1) * value) - k * value) ** 2
    v = vn / vd
    f_upper = stats.f.ppf(1 - tail, n - 1, v)
    f_lower = stats.f.ppf(1 - tail, v, n - 1)
    low = n * (msr - f_upper * mse) / (f_upper * (k * msc + (k * n - k - n) * mse) + n * msr)
    high = n * (f_lower * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f_lower * msr)
    return ICC(value=float(value), ci_low=float(low), ci_high=float(high))


def weighted_kappa(a: np.ndarray, b: np.ndarray, categories: np.ndarray) -> float:
    """Cohen's weighted kappa with quadratic weights.

    Parameters
    ----------
    a, b
        Paired ratings (complete).
    categories
        Every possible rating, in order (the scale's points).

    Notes
    -----
    :math:`\\kappa_w = 1 - \\sum w_{ij} O_{ij} / \\sum w_{ij} E_{ij}` with
    :math:`w_{ij} = (i - j)^2 / (c - 1)^2`, observed proportions :math:`O` and the
    proportions :math:`E` expected from the margins (Cohen, 1968).

    References
    ----------
    .. [1] Cohen, J. (1968). Weighted kappa: nominal scale agreement with provision for
       scaled disagreement or partial credit. *Psychological Bulletin*, 70(4), 213-220.

    Examples
    --------
    >>> weighted_kappa(np.array([1, 2, 3]), np.array([1, 2, 3]), np.array([1, 2, 3]))
    1.0
    """
    c = len(categories)
    if len(a) == 0 or c < 2:
        return float("nan")
    ia = np.searchsorted(categories, a)
    ib = np.searchsorted(categories, b)
    observed = np.zeros((c, c))
    np.add.at(observed, (ia, ib), 1.0)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((c, c))
    weights = (i - j) ** 2 / (c - 1) ** 2
    denominator = (weights * expected).sum()
    if denominator == 0:
        return float("nan")
    return float(1 - (weights * observed).sum() / denominator)


def _pair_keys(scores: pd.DataFrame, *, person: str, date: str) -> list[str]:
    """What makes two raters' assessments the same occasion: person and wave, else date."""
    if person not in scores.columns:
        msg = f"no {person!r} column to pair the raters' assessments"
        raise KeyError(msg)
    for column in ("wave", date):
        if column in scores.columns:
            return [person, column]
    msg = (
        f"agreement needs a 'wave' or {date!r} column to pair the two raters' assessments of "
        "the same occasion"
    )
    raise ValueError(msg)


def _pairs(
    scores: pd.DataFrame, keys: list[str], rater: str, a: str, b: str
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of rater a's and rater b's assessments of the same occasions."""
    table = scores[keys].copy()
    if len(keys) > 1 and keys[1] == "wave":  # waves compared as numbers: 1, "1", " 01"
        table["wave"] = pd.to_numeric(
            scores["wave"].astype(object).map(lambda v: v.strip() if isinstance(v, str) else v),
            errors="coerce",
        )
    elif len(keys) > 1:
        table[keys[1]] = as_dates(scores[keys[1]], name=keys[1])
    table["_row"] = np.arange(len(scores))
    is_a = (scores[rater] == a).to_numpy(dtype=bool, na_value=False)
    is_b = (scores[rater] == b).to_numpy(dtype=bool, na_value=False)
    left, right = table[is_a], table[is_b]
    for side, name in ((left, a), (right, b)):
        if side.duplicated(keys).any():
            msg = f"rater {name!r} assessed the same occasion more than once; validate first"
            raise ValueError(msg)
    both = left.merge(right, on=keys, suffixes=("_a", "_b"), sort=False)
    return both["_row_a"].to_numpy(dtype=np.intp), both["_row_b"].to_numpy(dtype=np.intp)


def agreement(
    data: pd.DataFrame,
    framework: Framework,
    rater: str = "rater",
    a: str = "self",
    b: str = "practitioner",
    *,
    person: str = "person_id",
    date: str = "assessment_date",
    policy: DisclosurePolicy | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
) -> pd.DataFrame:
    """Agreement between two raters of the same assessments, per domain.

    Parameters
    ----------
    data
        Ratings (wide or long) or a scores table, with a ``rater`` column; an occasion rated
        by both raters (same person and date) makes a pair.
    framework
        The framework.
    rater, a, b
        The rater column and the two raters compared (differences are ``b - a``).
    policy
        Disclosure control for the number of pairs (default
        :class:`~wellbeing_framework.DisclosurePolicy`); statistics of a measure whose n is
        suppressed are suppressed too.
    dayfirst, date_format
        How text dates in ratings are read, as in :func:`~wellbeing_framework.validate`.

    Returns
    -------
    pandas.DataFrame
        One row per domain and the index: ``measure``, ``n`` (pairs, published), ``icc``,
        ``icc_low``, ``icc_high`` (ICC(A,1): two-way random effects, absolute agreement,
        single rater, McGraw & Wong CI), ``kappa_w`` (quadratic-weighted kappa on the
        indicator ratings, pooled over the domain's items; missing for a scores table),
        ``mean_difference`` (``b - a``), ``sd_difference``, ``loa_low``, ``loa_high``
        (Bland-Altman 95 % limits of agreement, mean ± 1.96 SD) and ``note`` (why figures
        are missing).

    References
    ----------
    .. [1] McGraw, K. O., & Wong, S. P. (1996). *Psychological Methods*, 1(1), 30-46.
    .. [2] Cohen, J. (1968). *Psychological Bulletin*, 70(4), 213-220.
    .. [3] Bland, J. M., & Altman, D. G. (1986). Statistical methods for assessing agreement
       between two methods of clinical measurement. *The Lancet*, 327(8476), 307-310.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> table = wf.cohort.agreement(wf.make_cohort(400, waves=2, seed=6), fw)
    >>> table[["measure", "n"]].head(2)
      measure    n
    0      rb  250
    1      pm  250
    >>> bool((table["mean_difference"] < 0).all())  # practitioners rate a little lower
    True
    """
    policy = policy or DisclosurePolicy()
    if a == b:
        msg = f"agreement compares two different raters; got {a!r} twice"
        raise ValueError(msg)
    is_ratings = detect_shape(data) == "long" or any(
        k in data.columns for k in framework.indicator_keys
    )
    if is_ratings:
        scores, wide = score_with_ratings(
            data, framework, person=person, date=date, dayfirst=dayfirst, date_format=date_format
        )
    else:
        scores = wide = data
    if rater not in scores.columns:
        msg = f"no {rater!r} column to tell the raters apart"
        raise KeyError(msg)
    keys = _pair_keys(scores, person=person, date=date)
    left_rows, right_rows = _pairs(scores, keys, rater, a, b)
    sides = (scores.iloc[left_rows], scores.iloc[right_rows])
    items = (wide.iloc[left_rows], wide.iloc[right_rows]) if is_ratings else None
    points = np.array(framework.scale.points, dtype=float)
    measures = [(d.key, d) for d in framework.domains] + [("index", None)]
    rows = [
        _measure_row(key, domain, sides, items, points, policy, keys) for key, domain in measures
    ]
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    out = out[[*(c for c in out.columns if c != "note"), "note"]]
    out.attrs["disclosure"] = policy.describe()
    out.attrs["icc"] = "ICC(A,1): two-way random effects, absolute agreement, single rater"
    return out


_STATS = (
    "icc",
    "icc_low",
    "icc_high",
    "kappa_w",
    "mean_difference",
    "sd_difference",
    "loa_low",
    "loa_high",
)


def _measure_row(
    key: str,
    domain: Domain | None,
    sides: tuple[pd.DataFrame, pd.DataFrame],
    items: tuple[pd.DataFrame, pd.DataFrame] | None,
    points: np.ndarray,
    policy: DisclosurePolicy,
    keys: list[str],
) -> dict[str, object]:
    """Agreement on one measure: ICC, kappa, limits of agreement, and why any is missing."""
    x = sides[0][key].to_numpy(dtype=float, na_value=np.nan)
    y = sides[1][key].to_numpy(dtype=float, na_value=np.nan)
    ok = ~np.isnan(x) & ~np.isnan(y)
    n = int(ok.sum())
    n_shown = policy.apply_total(float(n))
    row: dict[str, object] = {"measure": key, "n": n_shown, "note": ""}
    if n_shown is None or n < 2:
        if n_shown is None and n > 0:
            row["note"] = "suppressed: too few pairs to publish"
        else:
            row["note"] = "not enough data: agreement needs two or more pairs" + (
                f" (pairs are the two raters' assessments of the same person at the same "
                f"{keys[1]})"
                if n == 0 and len(keys) > 1
                else ""
            )
        return row | dict.fromkeys(_STATS, np.nan)
    icc = icc_a1(np.column_stack([x[ok], y[ok]]))
    diff = y[ok] - x[ok]
    mean, sd = float(diff.mean()), float(diff.std(ddof=1))
    kappa = float("nan")
    if items is not None and domain is not None:
        columns = [i.key for i in domain.indicators]
        ra = items[0][columns].to_numpy(dtype=float, na_value=np.nan).ravel()
        rb = items[1][columns].to_numpy(dtype=float, na_value=np.nan).ravel()
        pair = ~np.isnan(ra) & ~np.isnan(rb)
        kappa = weighted_kappa(ra[pair], rb[pair], points)
    if domain is None:
        row["note"] = "kappa is for indicator ratings: none for the index"
    elif items is None:
        row["note"] = "no kappa: it needs the indicator ratings, not only scores"
    stat = policy.statistic  # rounded when counts are: exact means give sizes back
    return row | {
        "icc": stat(icc.value, 3),
        "icc_low": stat(icc.ci_low, 3),
        "icc_high": stat(icc.ci_high, 3),
        "kappa_w": stat(kappa, 3),
        "mean_difference": stat(mean),
        "sd_difference": stat(sd),
        "loa_low": stat(mean - Z_975 * sd),
        "loa_high": stat(mean + Z_975 * sd),
    }
