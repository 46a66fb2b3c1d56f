"""McDonald's omega: the reliability of each domain from its factor model, and of the index."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.cohort.reliability import cronbach_alpha
from wellbeing_framework.framework import Framework
from wellbeing_framework.measurement.items import items_of
from wellbeing_framework.measurement.ml import Moments, fit, moments_of
from wellbeing_framework.measurement.models import bifactor, correlated_factors

__all__ = ["omega", "omega_bifactor", "omega_total"]


def omega_total(
    data: Moments, start: np.ndarray | None = None, *, gtol: float = 1e-9
) -> tuple[float, np.ndarray]:
    """Omega total of one factor: :math:`(\\sum\\lambda)^2\\phi / ((\\sum\\lambda)^2\\phi +
    \\sum\\theta)`, and the fitted parameters.

    Examples
    --------
    >>> lam, theta = np.array([0.8, 0.7, 0.6]), np.array([0.36, 0.51, 0.64])
    >>> sigma = np.outer(lam, lam) + np.diag(theta)
    >>> value, _ = omega_total(Moments(n=500, mean=np.zeros(3), cov=sigma))
    >>> round(value, 4), round(2.1**2 / (2.1**2 + 1.51), 4)
    (0.7449, 0.7449)
    """
    k = len(data.mean)
    model, first, lower = correlated_factors([list(range(k))], [data])
    result = fit(model, [data], first if start is None else start, lower, gtol=gtol)
    group = model[0]
    lam = group.loadings.build(result.x)[:, 0]
    phi = group.phi.build(result.x)[0, 0]
    theta = np.diag(group.theta.build(result.x))
    common = lam.sum() ** 2 * phi
    return float(common / (common + theta.sum())), result.x


def omega_bifactor(data: Moments, structure: list[list[int]]) -> tuple[float, float]:
    """Omega hierarchical and omega total of the sum of every indicator, from a bifactor
    model: :math:`\\omega_h = (\\sum_i \\lambda_{gi})^2 / \\mathbf 1'\\hat\\Sigma\\mathbf 1` and
    :math:`\\omega_t = [(\\sum_i \\lambda_{gi})^2 + \\sum_j (\\sum_{i \\in j}
    \\lambda_{ji})^2] / \\mathbf 1'\\hat\\Sigma\\mathbf 1`."""
    model, start, lower = bifactor(structure, data)
    result = fit(model, [data], start, lower)
    lam = model[0].loadings.build(result.x)
    lam = lam * np.sign(lam.sum(axis=0))  # a factor's sign is arbitrary
    sigma = result.implied[0][0]
    total = float(sigma.sum())
    general = float(lam[:, 0].sum() ** 2)
    specific = float((lam[:, 1:].sum(axis=0) ** 2).sum())
    return general / total, (general + specific) / total


def _bootstrap(
    values: np.ndarray, n_boot: int, level: float, rng: np.random.Generator, start: np.ndarray
) -> tuple[float, float]:
    if n_boot < 1:
        return float("nan"), float("nan")
    patterns, counts = np.unique(values, axis=0, return_counts=True)
    share = counts / counts.sum()
    draws = []
    for _ in range(n_boot):
        weights = rng.multinomial(len(values), share).astype(float)
        keep = weights > 0
        moments = moments_of(patterns[keep], weights[keep])
        if np.linalg.matrix_rank(moments.cov) < values.shape[1]:
            continue
        draws.append(omega_total(moments, start, gtol=1e-6)[0])
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail]) if draws else (np.nan, np.nan)
    return float(low), float(high)


def omega(
    ratings: pd.DataFrame,
    framework: Framework,
    *,
    domains: Sequence[str] | None = None,
    n_boot: int = 200,
    level: float = 0.95,
    seed: int = 0,
    rater: str | None = "self",
    policy: DisclosurePolicy | None = None,
) -> pd.DataFrame:
    """McDonald's omega per domain beside Cronbach's alpha; omega hierarchical for the index.

    Parameters
    ----------
    ratings
        Wide or long ratings, one assessment per row when wide.
    framework
        Gives the domains and their indicators (reverse-keyed items are reversed).
    domains
        The domains (default all; each needs three or more indicators).
    n_boot
        Bootstrap resamples for each domain's interval (0: no interval).
    level
        Confidence level of the percentile bootstrap interval.
    seed
        Seed of the bootstrap, so the interval is the same every run.
    rater
        Keep only this rater's assessments when there is a ``rater`` column (None: all).
    policy
        Disclosure control: a domain answered in full by fewer people than its threshold is
        refused.

    Returns
    -------
    pandas.DataFrame
        One row per domain and one for ``index``: ``domain``, ``n_items``, ``n`` (complete
        answers, published), ``omega_total``, ``ci_low``, ``ci_high``, ``alpha`` (on the same
        rows) and ``omega_h`` (the index: the share of the sum's variance due to one general
        factor; blank with fewer than three domains, where a bifactor model is not
        identified). ``attrs["disclosure"]`` describes the policy.

    Notes
    -----
    Each domain's omega comes from a one-factor model fitted by maximum likelihood to the
    domain's complete answers: :math:`\\omega_t = (\\sum_i\\lambda_i)^2\\phi /
    ((\\sum_i\\lambda_i)^2\\phi + \\sum_i\\theta_i)`. Omega equals alpha when every loading is
    the same (tau-equivalence) and exceeds it otherwise. The index's omega hierarchical is
    from a bifactor model (a general factor and one factor per domain, uncorrelated): how
    much of the index reflects one common wellbeing rather than the domains. The interval is
    a percentile bootstrap of the assessments.

    References
    ----------
    .. [1] McDonald, R. P. (1999). *Test theory: A unified treatment*. Erlbaum.
    .. [2] Zinbarg, R. E., Revelle, W., Yovel, I., & Li, W. (2005). Cronbach's alpha,
       Revelle's beta, and McDonald's omega_h. *Psychometrika*, 70(1), 123-133.
    .. [3] Rodriguez, A., Reise, S. P., & Haviland, M. G. (2016). Evaluating bifactor models.
       *Psychological Methods*, 21(2), 137-150.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> cohort = wf.make_cohort(400, waves=1, seed=3)
    >>> table = wf.measurement.omega(cohort[cohort.rater == "self"], fw, n_boot=20)
    >>> table.domain.tolist()
    ['rb', 'pm', 'ir', 'sw', 'index']
    """
    if not 0 < level < 1:
        msg = f"level must be between 0 and 1 (0.95 for a 95 % interval), not {level!r}"
        raise ValueError(msg)
    if not isinstance(n_boot, int) or isinstance(n_boot, bool) or n_boot < 0:
        msg = f"n_boot must be a whole number of resamples, 0 or more, not {n_boot!r}"
        raise ValueError(msg)
    policy = policy or DisclosurePolicy()
    items = items_of(ratings, framework, domains, minimum=3, rater=rater)
    rng = np.random.default_rng(seed)
    rows = []
    for domain, columns in zip(items.domains, items.structure, strict=True):
        values = items.values[:, columns]
        values = values[~np.isnan(values).any(axis=1)]
        _enough(len(values), len(columns), policy, domain.key)
        value, estimates = omega_total(moments_of(values))
        low, high = _bootstrap(values, n_boot, level, rng, estimates)
        rows.append(
            {
                "domain": domain.key,
                "n_items": len(columns),
                "n": policy.apply_total(len(values)),
                "omega_total": value,
                "ci_low": low,
                "ci_high": high,
                "alpha": cronbach_alpha(values, "listwise")[0],
                "omega_h": np.nan,
            }
        )
    complete = items.values[items.complete]
    _enough(len(complete), complete.shape[1], policy, "index")
    omega_h = omega_t = float("nan")
    if len(items.domains) >= 3:  # a bifactor model needs three or more domains
        omega_h, omega_t = omega_bifactor(moments_of(complete), items.structure)
    rows.append(
        {
            "domain": "index",
            "n_items": complete.shape[1],
            "n": policy.apply_total(len(complete)),
            "omega_total": omega_t,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "alpha": cronbach_alpha(complete, "listwise")[0],
            "omega_h": omega_h,
        }
    )
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    out.attrs["disclosure"] = policy.describe()
    return out


def _enough(n: int, k: int, policy: DisclosurePolicy, what: str) -> None:
    if n < max(policy.threshold, k + 1):
        msg = f"{what}: only {n} complete answers, too few to fit its factor model and publish"
        raise ValueError(msg)
