"""Maximum likelihood for confirmatory factor models of one or more groups.

The model of group :math:`g`: :math:`\\Sigma_g = \\Lambda_g \\Phi_g \\Lambda_g' + \\Theta_g` and
:math:`\\mu_g = \\nu_g + \\Lambda_g \\alpha_g`. Each matrix entry is fixed or a free parameter;
entries that share a parameter are held equal (within or across groups), which is how the
metric and scalar models of measurement invariance are built. The discrepancy is the normal
likelihood's (as lavaan's ``likelihood = "normal"``):

.. math::
   F = \\sum_g \\frac{n_g}{N} \\left[\\log|\\Sigma_g| + \\mathrm{tr}(S_g \\Sigma_g^{-1})
       - \\log|S_g| - p + (\\bar y_g - \\mu_g)' \\Sigma_g^{-1} (\\bar y_g - \\mu_g)\\right]

with :math:`S_g` the covariance matrix divided by :math:`n_g`, and :math:`\\chi^2 = N F`.
"""

from __future__ import annotations

import numpy as np
from attrs import field, frozen

__all__ = ["Fit", "Group", "Matrix", "Moments", "fit", "moments_of"]


@frozen(kw_only=True)
class Matrix:
    """A model matrix: ``index`` holds the parameter of each entry (-1: fixed at ``value``)."""

    index: np.ndarray
    value: np.ndarray

    @classmethod
    def fixed(cls, value: np.ndarray) -> Matrix:
        return cls(index=np.full(value.shape, -1), value=np.asarray(value, dtype=float))

    def build(self, x: np.ndarray) -> np.ndarray:
        out = self.value.copy()
        free = self.index >= 0
        out[free] = x[self.index[free]]
        return out

    def add_gradient(self, grad: np.ndarray, d: np.ndarray) -> None:
        free = self.index >= 0
        np.add.at(grad, self.index[free], d[free])


@frozen(kw_only=True)
class Moments:
    """What the likelihood needs of a group's data: n, the means, the covariance over n."""

    n: float
    mean: np.ndarray
    cov: np.ndarray


def moments_of(values: np.ndarray, weights: np.ndarray | None = None) -> Moments:
    """The (weighted) means and covariance matrix divided by n of complete rows."""
    w = np.ones(len(values)) if weights is None else np.asarray(weights, dtype=float)
    n = float(w.sum())
    mean = w @ values / n
    centred = values - mean
    cov = (centred * w[:, None]).T @ centred / n
    return Moments(n=n, mean=mean, cov=cov)


@frozen(kw_only=True)
class Group:
    """One group's model: loadings (p x m), factor covariances, residual covariances,
    intercepts and factor means."""

    loadings: Matrix
    phi: Matrix
    theta: Matrix
    nu: Matrix
    alpha: Matrix

    def implied(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lam, phi = self.loadings.build(x), self.phi.build(x)
        sigma = lam @ phi @ lam.T + self.theta.build(x)
        return sigma, self.nu.build(x) + lam @ self.alpha.build(x)


@frozen(kw_only=True)
class Fit:
    """A fitted model: the parameters, chi-square and what it took."""

    x: np.ndarray
    chi2: float
    df: int
    n: float
    n_free: int
    loglik: float
    converged: bool
    implied: list[tuple[np.ndarray, np.ndarray]] = field(factory=list)


def _group_value(group: Group, data: Moments, x: np.ndarray, grad: np.ndarray | None) -> float:
    lam, phi = group.loadings.build(x), group.phi.build(x)
    alpha = group.alpha.build(x)
    sigma = lam @ phi @ lam.T + group.theta.build(x)
    mu = group.nu.build(x) + lam @ alpha
    try:
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return np.inf
    inv = np.linalg.inv(sigma)
    d = data.mean - mu
    logdet = 2.0 * np.log(np.diag(chol)).sum()
    value = logdet + np.trace(data.cov @ inv) + d @ inv @ d
    if grad is not None:
        w = data.cov + np.outer(d, d)
        g_sigma = inv - inv @ w @ inv
        g_mu = -2.0 * inv @ d
        group.loadings.add_gradient(grad, 2.0 * g_sigma @ lam @ phi + np.outer(g_mu, alpha))
        group.phi.add_gradient(grad, lam.T @ g_sigma @ lam)
        group.theta.add_gradient(grad, g_sigma)
        group.nu.add_gradient(grad, g_mu)
        group.alpha.add_gradient(grad, lam.T @ g_mu)
    return float(value)


def _saturated(data: Moments) -> float:
    p = len(data.mean)
    sign, logdet = np.linalg.slogdet(data.cov)
    return float(logdet + p) if sign > 0 else float("nan")


def fit(
    groups: list[Group],
    data: list[Moments],
    start: np.ndarray,
    lower: np.ndarray,
    *,
    max_iter: int = 5000,
    gtol: float = 1e-9,
) -> Fit:
    """Fit the model by minimising :math:`F` (L-BFGS-B with the analytic gradient).

    Parameters
    ----------
    groups, data
        One model and one set of moments per group.
    start, lower
        Starting values and lower bounds of the free parameters (``-inf`` where unbounded;
        variances are bounded just above 0).
    gtol
        The optimiser stops when no gradient entry exceeds it (looser for bootstraps).
    """
    from scipy.optimize import minimize  # imported when first needed: a slow import

    total = sum(d.n for d in data)
    shares = [d.n / total for d in data]
    saturated = sum(s * _saturated(d) for s, d in zip(shares, data, strict=True))

    def objective(x: np.ndarray) -> tuple[float, np.ndarray]:
        grad = np.zeros_like(x)
        value = 0.0
        for share, group, moments in zip(shares, groups, data, strict=True):
            g = np.zeros_like(x)
            v = _group_value(group, moments, x, g)
            if not np.isfinite(v):
                return 1e12, np.zeros_like(x)
            value += share * v
            grad += share * g
        return value - saturated, grad

    bounds = [(None if not np.isfinite(lo) else lo, None) for lo in lower]
    result = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=bounds,
        options={
            "maxiter": max_iter,
            "maxfun": 4 * max_iter,
            "ftol": 1e-14 if gtol < 1e-8 else 1e-10,
            "gtol": gtol,
        },
    )
    x = np.asarray(result.x, dtype=float)
    f_min = float(result.fun)
    p = len(data[0].mean)
    moments_per_group = p * (p + 3) // 2
    df = len(groups) * moments_per_group - len(x)
    loglik = (
        -0.5 * sum(d.n * (p * np.log(2 * np.pi) + _saturated(d)) for d in data)
        - 0.5 * total * f_min
    )
    return Fit(
        x=x,
        chi2=max(total * f_min, 0.0),
        df=int(df),
        n=total,
        n_free=len(x),
        loglik=float(loglik),
        converged=bool(result.success) and f_min < 1e11,
        implied=[g.implied(x) for g in groups],
    )
