"""REML for a linear mixed model with random effects per person, vectorised over people.

The model: :math:`y_i = X_i\\beta + Z_i b_i + e_i` with :math:`b_i \\sim N(0, \\sigma^2 D)` and
:math:`e_i \\sim N(0, \\sigma^2 I)`, where :math:`Z_i` is a column of ones (random intercept)
and optionally the times (random slope). With :math:`V_i = I + Z_i D Z_i'`, Woodbury's
identity :math:`V_i^{-1} = I - Z_i (I + D Z_i'Z_i)^{-1} D Z_i'` and the determinant lemma
:math:`|V_i| = |I + D Z_i'Z_i|` turn every term of the likelihood into sums of per-person
statistics (:math:`Z_i'Z_i`, :math:`Z_i'X_i`, :math:`Z_i'y_i`), so one evaluation costs a few
array operations however many people there are. :math:`\\beta` and :math:`\\sigma^2` are
profiled out; the restricted deviance

.. math::
   -2\\ell_R(D) = \\sum_i \\log|V_i| + \\log|X'V^{-1}X| + (N - p)
   \\left(1 + \\log\\frac{2\\pi r}{N - p}\\right),\\qquad r = y'V^{-1}y - \\hat\\beta' X'V^{-1}y

is minimised over the Cholesky factor of :math:`D` (as lme4 does).
"""

from __future__ import annotations

import numpy as np
from attrs import frozen

__all__ = ["MixedFit", "fit_reml"]


@frozen(kw_only=True)
class MixedFit:
    """A fitted model: fixed effects and their covariance, random-effect covariance."""

    beta: np.ndarray
    cov_beta: np.ndarray
    g: np.ndarray  # covariance of the random effects (sigma^2 D)
    sigma2: float
    converged: bool
    deviance: float


@frozen(kw_only=True)
class _Sums:
    zz: np.ndarray  # (people, q, q)
    zx: np.ndarray  # (people, q, p)
    zy: np.ndarray  # (people, q)
    xx: np.ndarray  # (p, p)
    xy: np.ndarray  # (p,)
    yy: float
    n: int


def _sums(y: np.ndarray, x: np.ndarray, t: np.ndarray, person: np.ndarray, q: int) -> _Sums:
    people = int(person.max()) + 1
    z = np.column_stack([np.ones_like(t), t])[:, :q]

    def per_person(values: np.ndarray) -> np.ndarray:
        return np.bincount(person, weights=values, minlength=people)

    zz = np.empty((people, q, q))
    zx = np.empty((people, q, x.shape[1]))
    zy = np.empty((people, q))
    for a in range(q):
        zy[:, a] = per_person(z[:, a] * y)
        for b in range(q):
            zz[:, a, b] = per_person(z[:, a] * z[:, b])
        for j in range(x.shape[1]):
            zx[:, a, j] = per_person(z[:, a] * x[:, j])
    return _Sums(zz=zz, zx=zx, zy=zy, xx=x.T @ x, xy=x.T @ y, yy=float(y @ y), n=len(y))


def _d_of(theta: np.ndarray, q: int) -> np.ndarray:
    lower = np.zeros((q, q))
    lower[np.tril_indices(q)] = theta
    return lower @ lower.T


def _profile(theta: np.ndarray, s: _Sums, q: int) -> tuple[float, np.ndarray, np.ndarray, float]:
    d = _d_of(theta, q)
    m = np.eye(q) + d @ s.zz  # (people, q, q): I + D Z'Z
    sign, logdet_v = np.linalg.slogdet(m)
    a = np.linalg.solve(m, np.broadcast_to(d, m.shape))  # (I + D Z'Z)^{-1} D
    a_zx = a @ s.zx
    a_zy = np.einsum("iab,ib->ia", a, s.zy)
    xvx = s.xx - np.einsum("iaj,iak->jk", s.zx, a_zx)
    xvy = s.xy - np.einsum("iaj,ia->j", s.zx, a_zy)
    yvy = s.yy - float(np.einsum("ia,ia->", s.zy, a_zy))
    beta = np.linalg.solve(xvx, xvy)
    r = yvy - float(beta @ xvy)
    p = len(beta)
    dof = s.n - p
    sign_x, logdet_x = np.linalg.slogdet(xvx)
    if (sign <= 0).any() or sign_x <= 0 or not r > 0:
        return np.inf, beta, xvx, r / dof
    deviance = float(logdet_v.sum() + logdet_x + dof * (1 + np.log(2 * np.pi * r / dof)))
    return deviance, beta, xvx, r / dof


def fit_reml(
    y: np.ndarray, x: np.ndarray, t: np.ndarray, person: np.ndarray, *, slope: bool = True
) -> MixedFit:
    """Fit by REML.

    Parameters
    ----------
    y, x, t
        The outcome, the fixed-effects design (one column per term) and the time.
    person
        Each row's person, as codes ``0 .. people - 1``.
    slope
        A random slope on ``t`` beside the random intercept.
    """
    from scipy.optimize import minimize  # imported when first needed: a slow import

    q = 2 if slope else 1
    sums = _sums(y, x, t, person, q)
    start = np.array([1.0, 0.0, 0.3])[: q * (q + 1) // 2] if slope else np.array([1.0])

    def objective(theta: np.ndarray) -> float:
        return _profile(theta, sums, q)[0]

    with np.errstate(all="ignore"):
        result = minimize(objective, start, method="L-BFGS-B", options={"ftol": 1e-12})
        best = minimize(objective, result.x, method="Nelder-Mead", options={"xatol": 1e-8})
        theta = best.x if best.fun <= result.fun else result.x
        deviance, beta, xvx, sigma2 = _profile(theta, sums, q)
    return MixedFit(
        beta=beta,
        cov_beta=sigma2 * np.linalg.inv(xvx),
        g=sigma2 * _d_of(theta, q),
        sigma2=float(sigma2),
        converged=bool(np.isfinite(deviance)) and bool(result.success or best.success),
        deviance=deviance,
    )
