"""The factor models of this package, written as :class:`~.ml.Group` matrices.

* one factor per domain, factors correlated, the first indicator of each domain its marker
  (loading fixed at 1), as lavaan's ``cfa()`` identifies a model; in several groups or at two
  waves, at the configural, metric (loadings equal) or scalar (loadings and intercepts equal)
  level;
* one factor (omega total);
* a bifactor model (omega hierarchical): a general factor on every indicator and one factor
  per domain, all uncorrelated, each with variance 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from wellbeing_framework.measurement.ml import Group, Matrix, Moments

__all__ = ["Level", "bifactor", "correlated_factors", "longitudinal"]

Level = Literal["configural", "metric", "scalar"]
LEVELS: tuple[Level, ...] = ("configural", "metric", "scalar")
TINY = 1e-6


class _Parameters:
    """Free parameters as they are created: their starting values and lower bounds."""

    def __init__(self) -> None:
        self.start: list[float] = []
        self.lower: list[float] = []

    def new(self, start: float, lower: float = -np.inf) -> int:
        self.start.append(float(start))
        self.lower.append(float(lower))
        return len(self.start) - 1

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        return np.array(self.start), np.array(self.lower)


def _factor_start(cov: np.ndarray, items: Sequence[int]) -> tuple[np.ndarray, float]:
    """Loadings (marker = 1) and the factor variance from the first principal component."""
    sub = cov[np.ix_(items, items)]
    values, vectors = np.linalg.eigh(sub)
    v = vectors[:, -1] * np.sign(vectors[:, -1].sum() or 1.0)
    if abs(v[0]) < 0.1 * np.abs(v).max():
        return np.ones(len(items)), max(float(sub[0, 0]) * 0.5, TINY * 10)
    return v / v[0], max(float(values[-1] * v[0] ** 2), TINY * 10)


def _group(
    params: _Parameters,
    structure: Sequence[Sequence[int]],
    data: Moments,
    shared: dict[str, np.ndarray] | None,
    *,
    tie_loadings: bool,
    tie_intercepts: bool,
    free_means: bool,
) -> tuple[Group, dict[str, np.ndarray]]:
    p, m = len(data.mean), len(structure)
    lam_i, lam_v = np.full((p, m), -1), np.zeros((p, m))
    phi_i, phi_v = np.full((m, m), -1), np.zeros((m, m))
    variances = []
    for j, items in enumerate(structure):
        start, var = _factor_start(data.cov, items)
        variances.append(var)
        lam_v[items[0], j] = 1.0
        for item, value in zip(items[1:], start[1:], strict=True):
            if tie_loadings and shared is not None:
                lam_i[item, j] = shared["loadings"][item, j]
            else:
                lam_i[item, j] = params.new(value)
    for j in range(m):
        for k in range(j + 1):
            phi_i[j, k] = phi_i[k, j] = params.new(
                variances[j] if j == k else 0.0, TINY if j == k else -np.inf
            )
    lam_start = np.where(lam_i >= 0, np.array([*params.start, 0.0])[lam_i], lam_v)
    explained = (lam_start**2) @ np.array(variances)
    theta_i = np.full((p, p), -1)
    for i in range(p):
        theta_i[i, i] = params.new(max(data.cov[i, i] - explained[i], 0.1 * data.cov[i, i]), TINY)
    if tie_intercepts and shared is not None:
        nu_i = shared["nu"]
    else:
        nu_i = np.array([params.new(mu) for mu in data.mean])
    alpha_i = np.array([params.new(0.0) for _ in range(m)]) if free_means else np.full(m, -1)
    group = Group(
        loadings=Matrix(index=lam_i, value=lam_v),
        phi=Matrix(index=phi_i, value=phi_v),
        theta=Matrix(index=theta_i, value=np.zeros((p, p))),
        nu=Matrix(index=nu_i, value=np.zeros(p)),
        alpha=Matrix(index=alpha_i, value=np.zeros(m)),
    )
    return group, {"loadings": lam_i, "nu": nu_i}


def correlated_factors(
    structure: Sequence[Sequence[int]], data: Sequence[Moments], level: Level = "configural"
) -> tuple[list[Group], np.ndarray, np.ndarray]:
    """Correlated factors (marker identification) in one or more groups.

    ``structure[j]`` lists the positions of factor ``j``'s indicators, its marker first.
    ``metric`` holds the loadings equal across groups; ``scalar`` the intercepts too, with
    the factor means fixed at 0 in the first group and free in the others.

    Returns
    -------
    groups, start, lower
    """
    params = _Parameters()
    groups: list[Group] = []
    shared: dict[str, np.ndarray] | None = None
    for g, moments in enumerate(data):
        group, made = _group(
            params,
            structure,
            moments,
            shared,
            tie_loadings=level in ("metric", "scalar"),
            tie_intercepts=level == "scalar",
            free_means=level == "scalar" and g > 0,
        )
        shared = shared or made
        groups.append(group)
    start, lower = params.arrays()
    return groups, start, lower


def longitudinal(
    structure: Sequence[Sequence[int]], data: Moments, level: Level = "configural"
) -> tuple[list[Group], np.ndarray, np.ndarray]:
    """The same people at two waves, in one model.

    ``data`` holds the ``p`` indicators at the first wave and then the same ``p`` at the
    later wave. Every factor of both waves is correlated with every other; each indicator's
    residual at the first wave is correlated with its own at the later wave; ``metric``
    holds each loading equal over time, ``scalar`` each intercept too (the later wave's
    factor means then free).
    """
    p = len(data.mean) // 2
    m = len(structure)
    params = _Parameters()
    first, made = _group(
        params,
        structure,
        Moments(n=data.n, mean=data.mean[:p], cov=data.cov[:p, :p]),
        None,
        tie_loadings=False,
        tie_intercepts=False,
        free_means=False,
    )
    later, _ = _group(
        params,
        structure,
        Moments(n=data.n, mean=data.mean[p:], cov=data.cov[p:, p:]),
        made,
        tie_loadings=level in ("metric", "scalar"),
        tie_intercepts=level == "scalar",
        free_means=level == "scalar",
    )
    lam_i = np.block(
        [[first.loadings.index, np.full((p, m), -1)], [np.full((p, m), -1), later.loadings.index]]
    )
    lam_v = np.block(
        [[first.loadings.value, np.zeros((p, m))], [np.zeros((p, m)), later.loadings.value]]
    )
    phi_i = np.full((2 * m, 2 * m), -1)
    phi_i[:m, :m], phi_i[m:, m:] = first.phi.index, later.phi.index
    for j in range(m):
        for k in range(m):
            phi_i[j, m + k] = phi_i[m + k, j] = params.new(0.0)
    theta_i = np.full((2 * p, 2 * p), -1)
    theta_i[:p, :p], theta_i[p:, p:] = first.theta.index, later.theta.index
    for i in range(p):
        theta_i[i, p + i] = theta_i[p + i, i] = params.new(0.0)
    group = Group(
        loadings=Matrix(index=lam_i, value=lam_v),
        phi=Matrix(index=phi_i, value=np.zeros((2 * m, 2 * m))),
        theta=Matrix(index=theta_i, value=np.zeros((2 * p, 2 * p))),
        nu=Matrix(index=np.concatenate([first.nu.index, later.nu.index]), value=np.zeros(2 * p)),
        alpha=Matrix(
            index=np.concatenate([first.alpha.index, later.alpha.index]), value=np.zeros(2 * m)
        ),
    )
    start, lower = params.arrays()
    return [group], start, lower


def bifactor(
    structure: Sequence[Sequence[int]], data: Moments
) -> tuple[list[Group], np.ndarray, np.ndarray]:
    """A general factor on every indicator and one uncorrelated factor per domain, every
    factor with variance 1 and every loading free (one group)."""
    p, m = len(data.mean), len(structure)
    params = _Parameters()
    sd = np.sqrt(np.diag(data.cov))
    lam_i = np.full((p, m + 1), -1)
    for i in range(p):
        lam_i[i, 0] = params.new(0.6 * sd[i])
    for j, items in enumerate(structure):
        for i in items:
            lam_i[i, j + 1] = params.new(0.4 * sd[i])
    theta_i = np.full((p, p), -1)
    for i in range(p):
        theta_i[i, i] = params.new(0.48 * data.cov[i, i], TINY)
    nu_i = np.array([params.new(mu) for mu in data.mean])
    group = Group(
        loadings=Matrix(index=lam_i, value=np.zeros((p, m + 1))),
        phi=Matrix.fixed(np.eye(m + 1)),
        theta=Matrix(index=theta_i, value=np.zeros((p, p))),
        nu=Matrix(index=nu_i, value=np.zeros(p)),
        alpha=Matrix.fixed(np.zeros(m + 1)),
    )
    start, lower = params.arrays()
    return [group], start, lower
