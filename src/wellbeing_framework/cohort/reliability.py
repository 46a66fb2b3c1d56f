"""Internal consistency: Cronbach's alpha per domain, with item statistics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.exceptions import ValidationError
from wellbeing_framework.framework import Domain, Framework
from wellbeing_framework.shapes import detect_shape, to_wide
from wellbeing_framework.validation import validate

__all__ = [
    "Moments",
    "alpha_note",
    "cronbach_alpha",
    "feldt_ci",
    "item_matrix",
    "moments",
    "reliability",
    "response_patterns",
    "stratified_alpha",
]


def item_matrix(
    ratings: pd.DataFrame, framework: Framework, domain: Domain, *, reverse: bool = True
) -> np.ndarray:
    """The domain's ratings as floats (reverse-keyed items reversed unless ``reverse=False``)."""
    lo, hi = framework.scale.min, framework.scale.max
    columns = []
    for indicator in domain.indicators:
        if indicator.key in ratings.columns:
            values = pd.to_numeric(ratings[indicator.key], errors="coerce")
            x = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            x = np.full(len(ratings), np.nan)
        columns.append(lo + hi - x if reverse and indicator.reverse else x)
    return np.column_stack(columns) if columns else np.empty((len(ratings), 0))


def response_patterns(
    wide: pd.DataFrame, framework: Framework, domain: Domain
) -> tuple[np.ndarray, np.ndarray]:
    """The domain's ratings compressed to distinct response patterns and their counts.

    Ratings are whole numbers on a short scale, so a million assessments hold at most a few
    thousand distinct answer patterns. Every statistic of this module is a weighted sum over
    rows, so it can be computed exactly on the patterns, weighted by how often each occurs.
    Falls back to one row per assessment (weight 1) when the ratings are not whole numbers
    on the scale or the patterns would be too many.

    Returns
    -------
    values, weights
        ``values``: one row per pattern, one column per item (reverse-keyed items reversed,
        NaN where unanswered); ``weights``: how many assessments gave each pattern.
    """
    lo = framework.scale.min
    base = framework.scale.n_points + 1  # state 0: unanswered; 1..: the scale's points
    k = len(domain.indicators)
    if not framework.scale.integer or base**k > 2**22:  # a continuous scale: no patterns
        return item_matrix(wide, framework, domain), np.ones(len(wide))
    code = np.zeros(len(wide), dtype=np.int64)
    for indicator in domain.indicators:  # one contiguous column at a time
        if indicator.key in wide.columns:
            column = pd.to_numeric(wide[indicator.key], errors="coerce")
            x = column.to_numpy(dtype=float, na_value=np.nan)
        else:
            x = np.full(len(wide), np.nan)
        state = np.nan_to_num(x - (lo - 1), nan=0.0)
        whole = state.astype(np.int64)
        if (
            not np.array_equal(whole, state)
            or whole.min(initial=0) < 0
            or (whole.max(initial=0) > base - 1)
        ):  # not whole numbers on the scale: no compression
            return item_matrix(wide, framework, domain), np.ones(len(wide))
        code *= base
        code += whole
    counts = np.bincount(code, minlength=base**k)
    seen = np.flatnonzero(counts)
    states = (seen[:, None] // base ** np.arange(k - 1, -1, -1)) % base
    values = np.where(states > 0, lo + states - 1, np.nan).astype(float)
    return _reverse(values, framework, domain), counts[seen].astype(float)


def _reverse(values: np.ndarray, framework: Framework, domain: Domain) -> np.ndarray:
    lo, hi = framework.scale.min, framework.scale.max
    out = values.copy()
    for j, indicator in enumerate(domain.indicators):
        if indicator.reverse:
            out[:, j] = lo + hi - out[:, j]
    return out


@frozen(kw_only=True)
class Moments:
    """Weighted sums behind every statistic: pairwise and listwise covariances and counts."""

    cov: np.ndarray  # pairwise deletion
    n: float  # rows with at least one answer
    cov_complete: np.ndarray  # listwise deletion
    n_complete: float


def moments(values: np.ndarray, weights: np.ndarray | None = None) -> Moments:
    """Pairwise and listwise covariance matrices (ddof 1) of weighted rows.

    Row ``r`` counts ``weights[r]`` times (1 when ``weights`` is None). Pairwise: every entry
    uses the rows where both items are answered, with its own means (as
    ``pandas.DataFrame.cov``). Listwise: only rows with every item answered.
    """
    w = np.ones(len(values)) if weights is None else weights
    present = ~np.isnan(values)
    m = present.astype(np.float64)
    k = values.shape[1]
    counts = w @ m
    sums = w @ np.where(present, values, 0.0)
    centre = np.divide(sums, counts, out=np.zeros(k), where=counts > 0)  # a shift for accuracy
    x0 = np.where(present, values - centre, 0.0)
    wm, wx = m * w[:, None], x0 * w[:, None]
    n_pair, s, p = wm.T @ m, wx.T @ m, wx.T @ x0
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (p - s * s.T / n_pair) / (n_pair - 1)
    cov[n_pair < 2] = np.nan
    answered = m @ np.ones(k)
    complete = answered == k
    wc = np.where(complete, w, 0.0)
    n_complete = float(wc.sum())
    if n_complete >= 2:
        mean = (wc @ x0) / n_complete
        centred = np.where(complete[:, None], x0 - mean, 0.0)
        cov_complete = (centred * wc[:, None]).T @ centred / (n_complete - 1)
    else:
        cov_complete = np.full((k, k), np.nan)
    return Moments(
        cov=np.asarray(cov),
        n=float(w[answered > 0].sum()),
        cov_complete=np.asarray(cov_complete),
        n_complete=n_complete,
    )


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    if k < 2 or not np.isfinite(cov).all() or cov.sum() <= 0:
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))


def alpha_note(alpha: float, n: float, k: int, *, hidden: bool) -> str:
    """Why an alpha is missing, in words ('' when it is there)."""
    if hidden:
        return "suppressed: too few people to publish"
    if not np.isnan(alpha):
        return ""
    if k < 2:
        return "not enough data: alpha needs two or more items"
    if n < 2:
        return "not enough data: alpha needs two or more people"
    return "not enough data: the ratings do not vary"


def stratified_alpha(parts: np.ndarray, alphas: Sequence[float]) -> tuple[float, int]:
    """Stratified alpha of a composite of several scales (the index of the domains).

    Parameters
    ----------
    parts
        One column per scale (the domain scores), one row per person; rows with a missing
        part are left out.
    alphas
        Each scale's reliability (Cronbach's alpha).

    Returns
    -------
    alpha, n
        The reliability of the sum (or mean) of the parts, and the rows used.

    Notes
    -----
    :math:`\alpha_{strat} = 1 - \\sum_i \\sigma^2_i (1 - \alpha_i) / \\sigma^2_X`, where
    :math:`\\sigma^2_i` is the variance of part *i* and :math:`\\sigma^2_X` that of their
    sum. Alpha of all items pooled underestimates the reliability of a composite whose
    parts measure different things; stratified alpha does not.

    References
    ----------
    .. [1] Cronbach, L. J., Schoenemann, P., & McKie, D. (1965). Alpha coefficients for
       stratified-parallel tests. *Educational and Psychological Measurement*, 25(2),
       291-312.

    Examples
    --------
    >>> parts = np.array([[40.0, 50], [55, 60], [70, 65], [65, 80]])
    >>> round(stratified_alpha(parts, [0.8, 0.7])[0], 4)
    0.8611
    """
    x = np.asarray(parts, dtype=float)
    x = x[~np.isnan(x).any(axis=1)]
    n = len(x)
    if n < 2 or x.shape[1] < 1:
        return float("nan"), n
    cov = np.cov(x, rowvar=False, ddof=1).reshape(x.shape[1], x.shape[1])
    total = float(cov.sum())
    if total <= 0 or np.isnan(np.asarray(alphas, dtype=float)).any():
        return float("nan"), n
    error = float(np.diag(cov) @ (1 - np.asarray(alphas, dtype=float)))
    return 1 - error / total, n


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
    stats_ = moments(np.asarray(x, dtype=float))
    if nan_policy == "listwise":
        return _alpha_from_cov(stats_.cov_complete), int(stats_.n_complete)
    return _alpha_from_cov(stats_.cov), int(stats_.n)


def feldt_ci(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt's confidence interval for Cronbach's alpha.

    :math:`1 - (1 - \\alpha) F_{\\gamma/2}` and :math:`1 - (1 - \\alpha) F_{1 - \\gamma/2}`
    with :math:`F` on :math:`n - 1` and :math:`(n - 1)(k - 1)` degrees of freedom
    (Feldt, Woodruff & Salih, 1987).
    """
    from scipy import stats  # imported when first needed: a slow import

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
    policy: DisclosurePolicy | None = None,
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
    policy
        Disclosure control for the published counts ``n`` and ``n_complete`` (default
        :class:`~wellbeing_framework.DisclosurePolicy`); the statistics of a domain whose n is
        suppressed are suppressed too. The statistics themselves use the exact counts.

    Returns
    -------
    pandas.DataFrame
        ``level="domain"``: ``domain``, ``title``, ``n_items``, ``n`` (assessments with at least
        one answer in the domain), ``alpha`` (pairwise deletion), ``ci_low``, ``ci_high``
        (Feldt), ``n_complete`` (assessments answering every item), ``alpha_listwise`` and
        ``note`` (why an alpha is missing: suppressed, too few people or items, or ratings
        that do not vary).
        ``level="item"``: ``domain``, ``indicator``, ``text``, ``reverse``, ``n_complete``,
        ``item_rest_r`` (Pearson correlation of the item with the sum of the domain's other
        items, complete answers only) and ``alpha_if_deleted`` (pairwise).

    Notes
    -----
    Reverse-keyed items are reversed (``min + max - rating``) before anything is computed.
    Pairwise alpha uses every answered pair, as ``pingouin.cronbach_alpha`` and R
    ``psych::alpha(use="pairwise")`` do; the interval is Feldt's, on ``n`` — on the
    published (rounded) ``n`` when the policy rounds counts, since an interval computed on
    the exact ``n`` would give that ``n`` back to anyone who inverts Feldt's formula.

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
    policy = policy or DisclosurePolicy()
    # every rating checked first (no off-scale or text value used, nothing coerced); the
    # identifiers play no part in alpha, so they are not checked here
    checked = validate(ratings, framework, person=None, date=None, rater=None)
    if not checked.ok:
        raise ValidationError(checked)
    valid = checked.valid
    wide = to_wide(valid, framework) if detect_shape(valid) == "long" else valid
    rows = []
    for domain in framework.domains:
        values, weights = response_patterns(wide, framework, domain)
        stats_ = moments(values, weights)
        k = len(domain.indicators)
        if level == "item":
            rows.extend(_item_rows(domain, values, weights, stats_, policy))
            continue
        alpha = _alpha_from_cov(stats_.cov)
        n_shown = policy.apply_total(stats_.n)
        # the interval from the published n: the exact n cannot be solved back from it
        n_ci = n_shown if n_shown is not None and policy.rounding > 1 else int(stats_.n)
        low, high = feldt_ci(alpha, n_ci, k, ci)
        complete_shown = policy.apply_total(stats_.n_complete)
        hidden = n_shown is None
        note = alpha_note(alpha, stats_.n, k, hidden=hidden)
        rows.append(
            {
                "domain": domain.key,
                "title": domain.title,
                "n_items": k,
                "n": n_shown,
                "alpha": np.nan if hidden else alpha,
                "ci_low": np.nan if hidden else low,
                "ci_high": np.nan if hidden else high,
                "n_complete": complete_shown,
                "alpha_listwise": np.nan
                if complete_shown is None
                else _alpha_from_cov(stats_.cov_complete),
                "note": note,
            }
        )
    out = pd.DataFrame(rows)
    for column in ("n", "n_complete"):
        if column in out:
            out[column] = out[column].astype("Int64")
    out.attrs["disclosure"] = policy.describe()
    return out


def _item_rows(
    domain: Domain,
    values: np.ndarray,
    weights: np.ndarray,
    stats_: Moments,
    policy: DisclosurePolicy,
) -> list[dict[str, object]]:
    k = values.shape[1]
    complete = ~np.isnan(values).any(axis=1)
    n_complete = policy.apply_total(stats_.n_complete)
    rows = []
    for j, indicator in enumerate(domain.indicators):
        keep = [i for i in range(k) if i != j]
        r = float("nan")
        if n_complete is not None and stats_.n_complete > 2 and k > 1:
            item = values[complete, j]
            rest = values[complete][:, keep].sum(axis=1)
            r = float(_weighted_corr(item, rest, weights[complete]))
        rows.append(
            {
                "domain": domain.key,
                "indicator": indicator.key,
                "text": indicator.text,
                "reverse": indicator.reverse,
                "n_complete": n_complete,
                "item_rest_r": r,
                "alpha_if_deleted": _alpha_from_cov(stats_.cov[np.ix_(keep, keep)]),
            }
        )
    return rows


def _weighted_corr(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    total = w.sum()
    dx = x - (w @ x) / total
    dy = y - (w @ y) / total
    return float((w @ (dx * dy)) / np.sqrt((w @ (dx * dx)) * (w @ (dy * dy))))
