"""Confirmatory factor analysis of the framework's domains (semopy)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from attrs import evolve, frozen

from wellbeing_framework.cohort.disclosure import DisclosurePolicy
from wellbeing_framework.extras import require
from wellbeing_framework.framework import Framework
from wellbeing_framework.measurement.fit_indices import fit_table, reading
from wellbeing_framework.measurement.items import Items, items_of
from wellbeing_framework.measurement.ml import Fit, moments_of

__all__ = ["CFAResult", "cfa"]

ESTIMATORS = ("MLW",)


@frozen(kw_only=True)
class CFAResult:
    """A fitted confirmatory factor model: one factor per domain, factors correlated.

    Attributes
    ----------
    fit
        ``chi2``, ``df``, ``p``, ``cfi``, ``tli``, ``rmsea``, ``rmsea_low``, ``rmsea_high``
        (90 % interval), ``srmr``, ``aic``, ``bic`` and ``n`` (assessments used).
    loadings
        One row per indicator: ``domain``, ``indicator``, ``reverse``, ``loading``
        (unstandardised; the domain's first indicator fixed at 1), ``se`` (blank where
        fixed) and ``std_loading`` (factor and indicator standardised).
    factor_correlations
        The domains' factors' correlations (a square table).
    reading
        The fit in words, against the usual cut-offs, as guidance.
    n, n_excluded
        Assessments used, and left out because an indicator was unanswered (listwise),
        through the disclosure policy.
    estimator
        The estimator used.
    converged
        Whether semopy's optimiser converged.
    """

    fit: pd.Series
    loadings: pd.DataFrame
    factor_correlations: pd.DataFrame
    reading: str
    n: int | None
    n_excluded: int | None
    estimator: str
    converged: bool

    def __str__(self) -> str:
        fit = self.fit.round(3).to_string()
        loadings = self.loadings.round(3).to_string(index=False)
        corr = self.factor_correlations.round(2).to_string()
        return (
            f"{self.reading}\n\n{fit}\n\n{loadings}\n\nFactor correlations\n{corr}\n\n"
            f"n = {self.n} used, {self.n_excluded} left out (an indicator unanswered)"
        )

    def _repr_html_(self) -> str:
        fit = self.fit.to_frame().T.to_html(index=False, float_format=lambda v: f"{v:.3f}")
        loadings = self.loadings.to_html(index=False, na_rep="", float_format=lambda v: f"{v:.3f}")
        corr = self.factor_correlations.to_html(float_format=lambda v: f"{v:.2f}")
        return (
            f"<div><p>{html.escape(self.reading)}</p>{fit}<h4>Loadings</h4>{loadings}"
            f"<h4>Factor correlations</h4>{corr}"
            f"<p><em>n = {self.n} assessments with every indicator answered; "
            f"{self.n_excluded} left out.</em></p></div>"
        )


def _description(items: Items) -> str:
    lines = []
    for j, columns in enumerate(items.structure):
        lines.append(f"f{j} =~ " + " + ".join(f"x{c}" for c in columns))
    return "\n".join(lines)


def _complete(items: Items, policy: DisclosurePolicy) -> tuple[np.ndarray, int]:
    keep = items.complete
    values = items.values[keep]
    n = len(values)
    p = values.shape[1]
    if n < max(policy.threshold, p + 1):
        msg = (
            f"only {n} assessments answer every indicator: too few to fit a factor model "
            f"of {p} indicators (and to publish)"
        )
        raise ValueError(msg)
    return values, int((~keep).sum())


def cfa(
    ratings: pd.DataFrame,
    framework: Framework,
    *,
    estimator: str = "MLW",
    domains: Sequence[str] | None = None,
    rater: str | None = "self",
    policy: DisclosurePolicy | None = None,
) -> CFAResult:
    """Does the framework's structure fit? A confirmatory factor model of its domains.

    One factor per domain, each indicator loading on its own domain's factor only, the
    factors correlated; reverse-keyed indicators are reversed first, so every loading
    should be positive. Fitted with semopy.

    Parameters
    ----------
    ratings
        Wide or long ratings, one assessment per row when wide (use one assessment per
        person, such as the baseline self-ratings).
    framework
        Gives the domains and their indicators.
    estimator
        ``"MLW"``: maximum likelihood (the fit statistics are the likelihood's, so no other
        estimator is offered).
    domains
        The domains to model (default all; each needs two or more indicators).
    rater
        Keep only this rater's assessments when there is a ``rater`` column (None: all).
    policy
        Disclosure control: a sample below its threshold is refused; the published
        counts (``n``, ``n_excluded``, ``fit["n"]``) are rounded by it.

    Returns
    -------
    CFAResult

    Notes
    -----
    Assessments with an unanswered indicator are left out (listwise), and how many is
    said: semopy's full-information estimator centres each indicator on its observed mean
    instead of estimating the means, which is not full information. The fit indices are
    computed from the model-implied covariance matrix :math:`\\hat\\Sigma` and the sample
    covariance :math:`S` (divided by n) as lavaan does: :math:`\\chi^2 = n F_{ML}`, CFI, TLI,
    RMSEA with its 90 % interval and Bentler's SRMR (see
    :func:`~wellbeing_framework.measurement.fit_indices.srmr`); AIC and BIC from the
    log-likelihood, counting the model's parameters.

    References
    ----------
    .. [1] Hu, L., & Bentler, P. M. (1999). Cutoff criteria for fit indexes in covariance
       structure analysis. *Structural Equation Modeling*, 6(1), 1-55.
    .. [2] Igolkina, A. A., & Meshcheryakov, G. (2020). semopy: A Python package for
       structural equation modeling. *Structural Equation Modeling*, 27(6), 952-963.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> cohort = wf.make_cohort(400, waves=1, seed=2, missing=0.0)
    >>> result = wf.measurement.cfa(cohort[cohort.rater == "self"], fw)
    >>> result.fit[["df", "n"]].tolist()
    [129.0, 400.0]
    >>> print(result.reading)  # doctest: +ELLIPSIS
    CFI 0.982, TLI 0.979, RMSEA 0.033 and SRMR 0.033 meet the usual cut-off for a good fit...
    >>> bool(result.loadings.std_loading.gt(0).all())
    True
    """
    if estimator not in ESTIMATORS:
        msg = f"estimator must be one of {ESTIMATORS}, not {estimator!r}"
        raise ValueError(msg)
    semopy = require("semopy", "wf.measurement.cfa")
    policy = policy or DisclosurePolicy()
    items = items_of(ratings, framework, domains, rater=rater)
    values, excluded = _complete(items, policy)
    data = pd.DataFrame(values, columns=[f"x{i}" for i in range(values.shape[1])])
    model = semopy.Model(_description(items))
    solved = model.fit(data, obj=estimator)
    order = [int(name[1:]) for name in model.vars["observed"]]  # semopy's own order
    back = np.argsort(order)
    sigma = np.asarray(model.calc_sigma()[0], dtype=float)[np.ix_(back, back)]
    moments = moments_of(values)
    fit = _fit_of(sigma, moments, len(model.param_vals))
    # back to the ratings' own unit: the log-likelihood (AIC, BIC) shifts by n p log(unit)
    fit = evolve(fit, loglik=fit.loglik - fit.n * values.shape[1] * np.log(items.unit))
    table = fit_table(fit, [moments], means=False)
    shown = policy.apply_total(len(values))
    table["n"] = np.nan if shown is None else float(shown)
    estimates = model.inspect(std_est=True)
    loadings = _loadings(estimates, items)
    return CFAResult(
        fit=table,
        loadings=loadings,
        factor_correlations=_correlations(estimates, items),
        reading=reading(table) + _sign_note(loadings) + _repeat_note(items),
        n=shown,
        n_excluded=policy.apply_total(excluded) if excluded else 0,
        estimator=estimator,
        converged=bool(getattr(solved, "success", True)),
    )


def _repeat_note(items: Items) -> str:
    if "person_id" not in items.wide.columns:
        return ""
    people = items.wide.loc[items.complete, "person_id"]
    if people.nunique() == len(people):
        return ""
    return (
        " Some people appear more than once (several waves): the standard errors and the "
        "chi-square assume independent assessments, so fit one per person (such as the "
        "first wave) for the estimate to report."
    )


def _sign_note(loadings: pd.DataFrame) -> str:
    negative = loadings.loc[loadings.std_loading < 0, "indicator"].tolist()
    if not negative:
        return ""
    return (
        f" Indicator(s) {negative} load negatively on their domain: check whether they are "
        "reverse keyed in the framework (or marked reverse keyed when they are not)."
    )


def _fit_of(sigma: np.ndarray, moments: Any, n_free: int) -> Fit:
    p = len(moments.mean)
    inv = np.linalg.inv(sigma)
    f = (
        np.linalg.slogdet(sigma)[1]
        + np.trace(moments.cov @ inv)
        - np.linalg.slogdet(moments.cov)[1]
        - p
    )
    saturated = np.linalg.slogdet(moments.cov)[1] + p
    n = moments.n
    return Fit(
        x=np.zeros(n_free),
        chi2=max(n * float(f), 0.0),
        df=p * (p + 1) // 2 - n_free,
        n=n,
        n_free=n_free,
        loglik=float(-0.5 * n * (p * np.log(2 * np.pi) + saturated) - 0.5 * n * f),
        converged=True,
        implied=[(sigma, moments.mean)],
    )


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _loadings(estimates: pd.DataFrame, items: Items) -> pd.DataFrame:
    rows = estimates[estimates["op"] == "~"]
    by_item = {str(r.lval): r for r in rows.itertuples(index=False)}
    out = []
    for j, (domain, columns) in enumerate(zip(items.domains, items.structure, strict=True)):
        for indicator, c in zip(domain.indicators, columns, strict=True):
            row = by_item[f"x{c}"]
            assert str(row.rval) == f"f{j}"
            out.append(
                {
                    "domain": domain.key,
                    "indicator": indicator.key,
                    "reverse": indicator.reverse,
                    "loading": _number(row.Estimate),
                    "se": _number(row[estimates.columns.get_loc("Std. Err")]),
                    "std_loading": _number(row[estimates.columns.get_loc("Est. Std")]),
                }
            )
    return pd.DataFrame(out)


def _correlations(estimates: pd.DataFrame, items: Items) -> pd.DataFrame:
    keys = [d.key for d in items.domains]
    m = len(keys)
    corr = np.eye(m)
    rows = estimates[estimates["op"] == "~~"]
    for r in rows.itertuples(index=False):
        a, b = str(r.lval), str(r.rval)
        if a.startswith("f") and b.startswith("f") and a != b:
            j, k = int(a[1:]), int(b[1:])
            corr[j, k] = corr[k, j] = _number(r[estimates.columns.get_loc("Est. Std")])
    return pd.DataFrame(corr, index=pd.Index(keys, name="domain"), columns=keys)
