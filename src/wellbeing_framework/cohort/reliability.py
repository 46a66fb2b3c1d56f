"""Internal consistency: Cronbach's alpha per domain, with item statistics."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from wellbeing_framework.framework import Domain, Framework
from wellbeing_framework.shapes import detect_shape, to_wide

__all__ = ["cronbach_alpha", "feldt_ci", "item_matrix", "reliability"]


def item_matrix(ratings: pd.DataFrame, framework: Framework, domain: Domain) -> np.ndarray:
    """The domain's ratings as floats, reverse-keyed items already reversed."""
    lo, hi = framework.scale.min, framework.scale.max
    columns = []
    for indicator in domain.indicators:
        if indicator.key in ratings.columns:
            values = pd.to_numeric(ratings[indicator.key], errors="coerce")
            x = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            x = np.full(len(ratings), np.nan)
        columns.append(lo + hi - x if indicator.reverse else x)
    return np.column_stack(columns) if columns else np.empty((len(ratings), 0))


def pairwise_cov(x: np.ndarray) -> np.ndarray:
    """Covariance matrix with pairwise deletion (as ``pandas.DataFrame.cov``), ddof 1.

    Every entry uses the rows where both items are present, its own means included. The
    sums are matrix products over centred data, so a million rows cost a few milliseconds.
    """
    present = ~np.isnan(x)
    m = present.astype(np.float64)
    counts = present.sum(axis=0)
    sums = np.where(present, x, 0.0).sum(axis=0)
    centre = np.divide(sums, counts, out=np.zeros(x.shape[1]), where=counts > 0)  # a shift
    x0 = np.where(present, x - centre, 0.0)
    n = m.T @ m  # n[i, j]: rows with both i and j
    s = x0.T @ m  # s[i, j]: sum of item i over rows where j is present (and i)
    p = x0.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (p - s * s.T / n) / (n - 1)
    cov[n < 2] = np.nan
    return np.asarray(cov)


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    if k < 2:
        return float("nan")
    total = cov.sum()
    return float(k / (k - 1) * (1 - np.trace(cov) / total))


def cronbach_alpha(
    x: np.ndarray, nan_policy: Literal["pairwise", "listwise"] = "pairwise"
) -> tuple[float, int]:
    """Cronbach's alpha of an item matrix (rows: people; columns: items) and the n used.

    Parameters
    ----------
    x
        Ratings, NaN where unanswered; rows with no answer at all are ignored.
    nan_policy
        ``"pairwise"``: each covariance from the rows where both items are answered;
        ``"listwise"``: only rows with every item answered.

    Returns
    -------
    alpha, n
        n is the number of rows used (for pairwise: rows with at least one answer).

    Notes
    -----
    :math:`\\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i \\sigma^2_i}{\\sigma^2_X}\\right)`
    with the item covariance matrix :math:`C`: :math:`\\sum_i \\sigma^2_i = \\mathrm{tr}\\,C`
    and :math:`\\sigma^2_X = \\sum_{ij} C_{ij}` (Cronbach, 1951).

    Examples
    --------
    >>> x = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 4.0]])
    >>> alpha, n = cronbach_alpha(x)
    >>> round(alpha, 4), n
    (0.9485, 4)
    """
    rows = ~np.isnan(x).all(axis=1)
    x = x[rows]
    if nan_policy == "listwise":
        x = x[~np.isnan(x).any(axis=1)]
        if len(x) < 2:
            return float("nan"), len(x)
        cov = np.cov(x, rowvar=False, ddof=1)
    else:
        cov = pairwise_cov(x)
    return _alpha_from_cov(np.atleast_2d(cov)), len(x)


def feldt_ci(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's alpha.

    :math:`1 - (1 - \\alpha) F_{\\gamma/2}` and :math:`1 - (1 - \\alpha) F_{1 - \\gamma/2}`
    with :math:`F` on :math:`n - 1` and :math:`(n - 1)(k - 1)` degrees of freedom
    (Feldt, Woodruff & Salih, 1987).
    """
    if n < 2 or k < 2 or np.isnan(alpha):
        return float("nan"), float("nan")
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = 1 - level
    lower = 1 - (1 - alpha) * stats.f.isf(tail / 2, df1, df2)
    upper = 1 - (1 - alpha) * stats.f.isf(1 - tail / 2, df1, df2)
    return float(lower), float(upper)


def reliability(
    ratings: pd.DataFrame,
    framework: Framework,
    *,
    level: Literal["domain", "item"] = "domain",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Cronbach's alpha per domain, or item statistics, from indicator ratings.

    Parameters
    ----------
    ratings
        Wide or long ratings (one assessment per row when wide). Use one assessment per
        person (e.g. the baseline, self-rated) for a textbook estimate.
    framework
        Gives the domains, their items and which items are reverse keyed.
    level
        ``"domain"``: one row per domain. ``"item"``: one row per indicator with its
        item-rest correlation and the alpha of its domain without it.
    ci
        Confidence level of the interval.

    Returns
    -------
    pandas.DataFrame
        ``level="domain"``: ``domain``, ``title``, ``n_items``, ``n`` (assessments with at least
        one answer in the domain), ``alpha`` (pairwise deletion), ``ci_low``, ``ci_high``
        (Feldt), ``n_complete`` (assessments answering every item) and ``alpha_listwise``.
        ``level="item"``: ``domain``, ``indicator``, ``text``, ``reverse``, ``n_complete``,
        ``item_rest_r`` (Pearson correlation of the item with the sum of the domain's other
        items, complete answers only) and ``alpha_if_deleted`` (pairwise).

    Notes
    -----
    Reverse-keyed items are reversed (``min + max - rating``) before anything is computed.
    Pairwise alpha uses every answered pair, as ``pingouin.cronbach_alpha`` and R
    ``psych::alpha(use="pairwise")`` do; the interval is Feldt's, on ``n``.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
       *Psychometrika*, 16(3), 297-334.
    .. [2] Feldt, L. S., Woodruff, D. J., & Salih, F. A. (1987). Statistical inference for
       coefficient alpha. *Applied Psychological Measurement*, 11(1), 93-103.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> cohort = wf.make_cohort(300, waves=1, seed=3)
    >>> table = wf.cohort.reliability(cohort[cohort.rater == "self"], fw)
    >>> table[["domain", "n_items", "alpha"]].round(2)
      domain  n_items  alpha
    0     rb        4   0.84
    1     pm        5   0.84
    2     ir        4   0.84
    3     sw        5   0.87
    """
    wide = to_wide(ratings, framework) if detect_shape(ratings) == "long" else ratings
    if level == "item":
        return _item_statistics(wide, framework)
    rows = []
    for domain in framework.domains:
        x = item_matrix(wide, framework, domain)
        alpha, n = cronbach_alpha(x, "pairwise")
        alpha_lw, n_complete = cronbach_alpha(x, "listwise")
        low, high = feldt_ci(alpha, n, x.shape[1], ci)
        rows.append(
            {
                "domain": domain.key,
                "title": domain.title,
                "n_items": x.shape[1],
                "n": n,
                "alpha": alpha,
                "ci_low": low,
                "ci_high": high,
                "n_complete": n_complete,
                "alpha_listwise": alpha_lw,
            }
        )
    return pd.DataFrame(rows)


def _item_statistics(wide: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    rows = []
    for domain in framework.domains:
        x = item_matrix(wide, framework, domain)
        present = ~np.isnan(x).all(axis=1)
        cov = pairwise_cov(x[present])
        complete = x[~np.isnan(x).any(axis=1)]
        k = x.shape[1]
        for j, indicator in enumerate(domain.indicators):
            keep = [i for i in range(k) if i != j]
            if len(complete) > 2 and k > 1:
                rest = complete[:, keep].sum(axis=1)
                r = float(np.corrcoef(complete[:, j], rest)[0, 1])
            else:
                r = float("nan")
            rows.append(
                {
                    "domain": domain.key,
                    "indicator": indicator.key,
                    "text": indicator.text,
                    "reverse": indicator.reverse,
                    "n_complete": len(complete),
                    "item_rest_r": r,
                    "alpha_if_deleted": _alpha_from_cov(cov[np.ix_(keep, keep)]),
                }
            )
    return pd.DataFrame(rows)
