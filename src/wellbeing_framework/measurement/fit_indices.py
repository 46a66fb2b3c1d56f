"""Fit indices of a factor model, as lavaan defines them, and a reading of them in words."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wellbeing_framework.measurement.ml import Fit, Moments

__all__ = ["CUTOFFS", "baseline", "fit_table", "reading", "rmsea", "srmr"]

#: The usual cut-offs for a good fit (Hu & Bentler, 1999): guidance, not a verdict.
CUTOFFS: dict[str, tuple[str, float]] = {
    "cfi": (">=", 0.95),
    "tli": (">=", 0.95),
    "rmsea": ("<=", 0.06),
    "srmr": ("<=", 0.08),
}


def srmr(
    data: Sequence[Moments],
    implied: Sequence[tuple[np.ndarray, np.ndarray]],
    *,
    means: bool,
) -> float:
    """The standardised root mean square residual (Bentler's, lavaan's ``srmr``).

    In each group, with :math:`D = \\mathrm{diag}(S)^{-1/2}`, the residuals
    :math:`D (S - \\hat\\Sigma) D` on and below the diagonal (and, when the model has a mean
    structure, :math:`D (\\bar y - \\hat\\mu)`) are squared and averaged; SRMR is the root of
    that average, and in several groups the average of the groups' SRMR weighted by their n.

    Examples
    --------
    >>> s = np.array([[1.0, 0.5], [0.5, 1.0]])
    >>> m = Moments(n=10, mean=np.zeros(2), cov=s)
    >>> round(srmr([m], [(np.eye(2), np.zeros(2))], means=False), 4)  # sqrt(0.25 / 3)
    0.2887
    """
    total = sum(d.n for d in data)
    out = 0.0
    for moments, (sigma, mu) in zip(data, implied, strict=True):
        p = len(moments.mean)
        scale = 1.0 / np.sqrt(np.diag(moments.cov))
        residual = (moments.cov - sigma) * np.outer(scale, scale)
        squares = float((residual[np.tril_indices(p)] ** 2).sum())
        count = p * (p + 1) / 2
        if means:
            squares += float((((moments.mean - mu) * scale) ** 2).sum())
            count += p
        out += moments.n / total * np.sqrt(squares / count)
    return float(out)


def rmsea(
    chi2: float, df: int, n: float, groups: int = 1, level: float = 0.90
) -> tuple[float, float, float]:
    """RMSEA and its confidence interval (Steiger's, from the noncentral chi-square).

    :math:`\\mathrm{RMSEA} = \\sqrt{\\max(\\chi^2 - df, 0) / (df\\,N)}\\,\\sqrt{G}`; the interval
    inverts the noncentral chi-square distribution for the noncentrality (as lavaan).

    Examples
    --------
    >>> [round(v, 3) for v in rmsea(85.306, 24, 301)]  # lavaan, Holzinger & Swineford
    [0.092, 0.071, 0.114]
    """
    from scipy import optimize, stats  # imported when first needed: slow imports

    if df <= 0 or n <= 0 or not np.isfinite(chi2):
        return float("nan"), float("nan"), float("nan")
    point = np.sqrt(max(chi2 - df, 0.0) / (df * n)) * np.sqrt(groups)

    def bound(prob: float) -> float:
        def gap(lam: float) -> float:
            return float(stats.ncx2.cdf(chi2, df, lam) - prob)

        if gap(1e-9) < 0:  # even a noncentrality of 0 is too large
            return 0.0
        upper = max(chi2, 1.0)
        while gap(upper) > 0:
            upper *= 2
        return float(optimize.brentq(gap, 1e-9, upper))

    tail = (1 - level) / 2
    low = np.sqrt(bound(1 - tail) / (df * n)) * np.sqrt(groups)
    high = np.sqrt(bound(tail) / (df * n)) * np.sqrt(groups)
    return float(point), float(low), float(high)


def baseline(data: Sequence[Moments]) -> tuple[float, int]:
    """Chi-square and df of the independence model (every indicator uncorrelated; means and
    variances free in each group): :math:`\\sum_g n_g (\\sum_i \\log s_{ii} - \\log|S_g|)`."""
    chi2 = 0.0
    for moments in data:
        _, logdet = np.linalg.slogdet(moments.cov)
        chi2 += moments.n * (float(np.log(np.diag(moments.cov)).sum()) - logdet)
    p = len(data[0].mean)
    return chi2, len(data) * p * (p - 1) // 2


def fit_table(
    result: Fit, data: Sequence[Moments], *, means: bool, n_parameters: int | None = None
) -> pd.Series:
    """The fit of a model: chi2, df, p, cfi, tli, rmsea (with its 90 % interval), srmr,
    aic, bic and n.

    ``n_parameters`` (default every free parameter) counts the parameters for AIC and BIC;
    a one-group model without a mean structure leaves out the intercepts, as lavaan does.
    """
    from scipy import stats

    chi2, df = result.chi2, result.df
    chi2_b, df_b = baseline(data)
    worse = max(chi2 - df, 0.0)
    cfi = 1 - worse / max(chi2_b - df_b, chi2 - df, 1e-12)
    tli = ((chi2_b / df_b) - (chi2 / df)) / ((chi2_b / df_b) - 1) if df > 0 else np.nan
    point, low, high = rmsea(chi2, df, result.n, len(data))
    q = result.n_free if n_parameters is None else n_parameters
    return pd.Series(
        {
            "chi2": chi2,
            "df": float(df),
            "p": float(stats.chi2.sf(chi2, df)) if df > 0 else np.nan,
            "cfi": float(cfi),
            "tli": float(tli),
            "rmsea": point,
            "rmsea_low": low,
            "rmsea_high": high,
            "srmr": srmr(data, result.implied, means=means),
            "aic": -2 * result.loglik + 2 * q,
            "bic": -2 * result.loglik + np.log(result.n) * q,
            "n": result.n,
        },
        name="fit",
    )


def reading(fit: pd.Series) -> str:
    """The fit in words, against the usual cut-offs (Hu & Bentler, 1999), as guidance.

    Examples
    --------
    >>> fit = pd.Series({"chi2": 30.0, "df": 24.0, "p": 0.18, "cfi": 0.99, "tli": 0.98,
    ...                  "rmsea": 0.03, "srmr": 0.04, "n": 500})
    >>> print(reading(fit))  # doctest: +ELLIPSIS
    CFI 0.990, TLI 0.980, RMSEA 0.030 and SRMR 0.040 meet the usual cut-off for a good fit...
    """
    met: list[str] = []
    missed: list[str] = []
    for name, (sign, cut) in CUTOFFS.items():
        value = float(fit[name])
        good = value >= cut if sign == ">=" else value <= cut
        shown = f"{value:.3f}" if round(value, 3) != cut else f"{value:.4f}"
        if good:
            met.append(f"{name.upper()} {shown}")
        else:
            missed.append(f"{name.upper()} {shown} (the cut-off is {sign} {cut:g})")
    parts = []
    if met:
        verb = "meets" if len(met) == 1 else "meet"
        parts.append(f"{_join(met)} {verb} the usual cut-off for a good fit")
    if missed:
        verb = "does" if len(missed) == 1 else "do"
        parts.append(f"{_join(missed)} {verb} not meet it")
    text = "; ".join(parts) + " (Hu & Bentler, 1999)."
    verdict = "rejects exact fit" if fit["p"] < 0.05 else "does not reject exact fit"
    text += (
        f" The chi-square test (chi2 = {fit['chi2']:.1f}, df = {fit['df']:.0f}, "
        f"p = {fit['p']:.3g}) {verdict}"
        + ("; on a large sample it rejects even small misfit" if fit["p"] < 0.05 else "")
        + ("; on a small sample (under 200) every index is uncertain" if fit["n"] < 200 else "")
        + ", so it is read beside the indices. The cut-offs are a guide, not a verdict: read "
        "the loadings and the residuals too, and judge the model against the framework it "
        "stands for."
    )
    return text


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
