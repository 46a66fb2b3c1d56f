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

__all__ = [
    "ICC",
    "agreement",
    "bootstrap_kappa_ci",
    "icc_a1",
    "icc_ak",
    "icc_c1",
    "limits_of_agreement",
    "weighted_kappa",
]

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
    msr, msc, mse = _mean_squares(x)
    df_rows, df_error = n - 1, (n - 1) * (k - 1)
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


def _mean_squares(x: np.ndarray) -> tuple[float, float, float]:
    """Two-way ANOVA mean squares of a targets x raters table: rows, columns, error."""
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * ((x.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((x.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((x - grand) ** 2).sum() - ss_rows - ss_cols
    return (
        float(ss_rows / (n - 1)),
        float(ss_cols / (k - 1)),
        float(ss_error / ((n - 1) * (k - 1))),
    )


def icc_c1(x: np.ndarray, level: float = 0.95) -> ICC:
    """ICC(C,1): two-way model, consistency, single rater (Shrout & Fleiss's ICC(3,1)).

    Consistency ignores a constant difference between the raters (one who always rates a
    point lower): it asks whether they rank people alike.

    Notes
    -----
    .. math:: ICC(C,1) = \\frac{MS_R - MS_E}{MS_R + (k-1) MS_E}

    with the exact F-based interval of McGraw & Wong (1996), Table 7.

    Examples
    --------
    Shrout & Fleiss (1979), Table 2: ICC(3,1) = 0.71.

    >>> x = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
    ...               [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], dtype=float)
    >>> round(icc_c1(x).value, 2)
    0.71
    """
    from scipy import stats  # imported when first needed: a slow import

    n, k = x.shape
    if n < 2 or k < 2:
        return ICC(value=float("nan"), ci_low=float("nan"), ci_high=float("nan"))
    msr, _, mse = _mean_squares(x)
    value = (msr - mse) / (msr + (k - 1) * mse)
    if mse == 0:
        return ICC(value=float(value), ci_low=float("nan"), ci_high=float("nan"))
    tail = (1 - level) / 2
    df1, df2 = n - 1, (n - 1) * (k - 1)
    f_obs = msr / mse
    f_low = f_obs / stats.f.ppf(1 - tail, df1, df2)
    f_high = f_obs * stats.f.ppf(1 - tail, df2, df1)
    return ICC(
        value=float(value),
        ci_low=float((f_low - 1) / (f_low + k - 1)),
        ci_high=float((f_high - 1) / (f_high + k - 1)),
    )


def icc_ak(x: np.ndarray, level: float = 0.95) -> ICC:
    """ICC(A,k): absolute agreement of the mean of the k raters (Shrout & Fleiss's ICC(2,k)).

    The reliability of the average of the raters' scores: higher than ICC(A,1) when the
    raters agree at all.

    Notes
    -----
    .. math:: ICC(A,k) = \\frac{MS_R - MS_E}{MS_R + (MS_C - MS_E) / n}

    Its interval is that of :func:`icc_a1` stepped up by the Spearman-Brown formula
    :math:`k r / (1 + (k - 1) r)`, as in R's ``psych::ICC`` and pingouin.

    Examples
    --------
    Shrout & Fleiss (1979), Table 2: ICC(2,4) = 0.62.

    >>> x = np.array([[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8],
    ...               [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]], dtype=float)
    >>> round(icc_ak(x).value, 2)
    0.62
    """
    n, k = x.shape
    if n < 2 or k < 2:
        return ICC(value=float("nan"), ci_low=float("nan"), ci_high=float("nan"))
    msr, msc, mse = _mean_squares(x)
    value = (msr - mse) / (msr + (msc - mse) / n)
    single = icc_a1(x, level)

    def step_up(r: float) -> float:
        return float(k * r / (1 + (k - 1) * r))

    return ICC(value=float(value), ci_low=step_up(single.ci_low), ci_high=step_up(single.ci_high))


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
    seed: int = 0,
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
    seed
        Seed of the bootstrap interval of kappa.

    Returns
    -------
    pandas.DataFrame
        One row per domain and the index: ``measure``, ``n`` (pairs, published), ``icc``,
        ``icc_low``, ``icc_high`` (ICC(A,1): two-way random effects, absolute agreement,
        single rater, McGraw & Wong CI), ``icc_c1`` with ``icc_c1_low``/``_high``
        (ICC(C,1), consistency), ``icc_ak`` with ``icc_ak_low``/``_high`` (ICC(A,k), the
        mean of the two raters), ``kappa_w`` (quadratic-weighted kappa on the indicator
        ratings, pooled over the domain's items; missing for a scores table) with
        ``kappa_low``/``kappa_high`` (percentile bootstrap over occasions, seeded),
        ``mean_difference`` (``b - a``), ``sd_difference``, ``loa_low``, ``loa_high``
        (Bland-Altman 95 % limits of agreement, mean ± 1.96 SD) with the 95 % interval of
        each limit (``loa_low_ci_low`` ... ``loa_high_ci_high``; Bland & Altman 1999), and
        ``note`` (why figures are missing).

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
        _measure_row(key, domain, sides, items, points, policy, keys, seed)
        for key, domain in measures
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
    "icc_c1",
    "icc_c1_low",
    "icc_c1_high",
    "icc_ak",
    "icc_ak_low",
    "icc_ak_high",
    "kappa_w",
    "kappa_low",
    "kappa_high",
    "mean_difference",
    "sd_difference",
    "loa_low",
    "loa_high",
    "loa_low_ci_low",
    "loa_low_ci_high",
    "loa_high_ci_low",
    "loa_high_ci_high",
)


def limits_of_agreement(diff: np.ndarray, level: float = 0.95) -> dict[str, float]:
    """Bland-Altman 95 % limits of agreement with their confidence intervals.

    Each limit, mean ± 1.96 SD, has standard error :math:`\\sqrt{3 s^2 / n}` (Bland &
    Altman 1999, section 4.2), and a t interval with n - 1 degrees of freedom.

    Examples
    --------
    >>> out = limits_of_agreement(np.array([-2.0, 0, 1, 3, -1, 2, 0, 1]))
    >>> round(out["loa_low"], 2), round(out["loa_low_ci_low"], 2)
    (-2.64, -4.96)
    """
    from scipy import stats  # imported when first needed: a slow import

    n = len(diff)
    mean, sd = float(diff.mean()), float(diff.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * float(np.sqrt(3 * sd**2 / n))
    low, high = mean - Z_975 * sd, mean + Z_975 * sd
    return {
        "loa_low": low,
        "loa_high": high,
        "loa_low_ci_low": low - half,
        "loa_low_ci_high": low + half,
        "loa_high_ci_low": high - half,
        "loa_high_ci_high": high + half,
    }


def bootstrap_kappa_ci(
    a: np.ndarray,
    b: np.ndarray,
    categories: np.ndarray,
    *,
    n_boot: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the weighted kappa, resampling occasions.

    ``a`` and ``b`` are occasions x items (missing as NaN): an occasion's items are kept
    together, as they are not independent.
    """
    n, c = len(a), len(categories)
    if n < 2 or c < 2:
        return float("nan"), float("nan")
    # each occasion's contribution to the c x c table of paired ratings
    cells = np.zeros((n, c * c))
    for j in range(a.shape[1]):
        ok = ~np.isnan(a[:, j]) & ~np.isnan(b[:, j])
        ia = np.searchsorted(categories, a[ok, j])
        ib = np.searchsorted(categories, b[ok, j])
        np.add.at(cells, (np.flatnonzero(ok), ia * c + ib), 1.0)
    i, k = np.indices((c, c))
    weights = ((i - k) ** 2 / (c - 1) ** 2).ravel()
    rng = np.random.default_rng(seed)
    kappas = []
    for start in range(0, n_boot, 200):  # blocks keep memory at 200 x n
        draws = rng.multinomial(n, np.full(n, 1 / n), size=min(200, n_boot - start))
        tables = draws @ cells
        totals = tables.sum(axis=1, keepdims=True)
        observed = tables / np.where(totals == 0, 1, totals)
        grid = observed.reshape(-1, c, c)
        expected = (grid.sum(axis=2)[:, :, None] * grid.sum(axis=1)[:, None, :]).reshape(
            len(grid), -1
        )
        with np.errstate(invalid="ignore", divide="ignore"):
            kappas.append(1 - (observed @ weights) / (expected @ weights))
    values = np.concatenate(kappas)
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    tail = (1 - level) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)


def _measure_row(
    key: str,
    domain: Domain | None,
    sides: tuple[pd.DataFrame, pd.DataFrame],
    items: tuple[pd.DataFrame, pd.DataFrame] | None,
    points: np.ndarray,
    policy: DisclosurePolicy,
    keys: list[str],
    seed: int,
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
    pairs = np.column_stack([x[ok], y[ok]])
    iccs = {"icc": icc_a1(pairs), "icc_c1": icc_c1(pairs), "icc_ak": icc_ak(pairs)}
    diff = y[ok] - x[ok]
    mean, sd = float(diff.mean()), float(diff.std(ddof=1))
    kappa = kappa_low = kappa_high = float("nan")
    if items is not None and domain is not None:
        columns = [i.key for i in domain.indicators]
        ma = items[0][columns].to_numpy(dtype=float, na_value=np.nan)
        mb = items[1][columns].to_numpy(dtype=float, na_value=np.nan)
        ra, rb = ma.ravel(), mb.ravel()
        pair = ~np.isnan(ra) & ~np.isnan(rb)
        if len(points):  # kappa needs the points of an ordinal scale
            kappa = weighted_kappa(ra[pair], rb[pair], points)
            kappa_low, kappa_high = bootstrap_kappa_ci(ma, mb, points, seed=seed)
    if domain is None:
        row["note"] = "kappa is for indicator ratings: none for the index"
    elif not len(points):
        row["note"] = "no kappa: it needs the points of an ordinal scale, not a continuous one"
    elif items is None:
        row["note"] = "no kappa: it needs the indicator ratings, not only scores"
    stat = policy.statistic  # rounded when counts are: exact means give sizes back
    out = row | {"mean_difference": stat(mean), "sd_difference": stat(sd)}
    for name, icc in iccs.items():
        out |= {
            name: stat(icc.value, 3),
            f"{name}_low": stat(icc.ci_low, 3),
            f"{name}_high": stat(icc.ci_high, 3),
        }
    out |= {
        "kappa_w": stat(kappa, 3),
        "kappa_low": stat(kappa_low, 3),
        "kappa_high": stat(kappa_high, 3),
    }
    return out | {k: stat(v) for k, v in limits_of_agreement(diff).items()}
