"""Intervals people ask for: ICC variants, kappa and limits-of-agreement intervals, the
effect size's interval and the minimal detectable change, against independent references."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

import wellbeing_framework as wf
from wellbeing_framework.cohort.agreement import (
    bootstrap_kappa_ci,
    icc_a1,
    icc_ak,
    icc_c1,
    limits_of_agreement,
    weighted_kappa,
)
from wellbeing_framework.cohort.change import effect_size_ci

SHROUT_FLEISS = np.array(
    [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
    dtype=float,
)


def _pingouin(x: np.ndarray) -> pd.DataFrame:
    n, k = x.shape
    long = pd.DataFrame(
        {
            "target": np.repeat(np.arange(n), k),
            "rater": np.tile(np.arange(k), n),
            "score": x.ravel(),
        }
    )
    out = pingouin.intraclass_corr(long, targets="target", raters="rater", ratings="score")
    return out.set_index("Type")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_icc_variants_match_pingouin(seed: int) -> None:
    rng = np.random.default_rng(seed)
    true = rng.normal(50, 10, size=40)
    x = np.column_stack([true + rng.normal(0, 5, 40), true + 3 + rng.normal(0, 5, 40)])
    ref = _pingouin(x)
    for ours, kind in ((icc_a1(x), "ICC(A,1)"), (icc_c1(x), "ICC(C,1)"), (icc_ak(x), "ICC(A,k)")):
        assert ours.value == pytest.approx(ref.loc[kind, "ICC"], abs=1e-9)
        low, high = ref.loc[kind, "CI95"] if "CI95" in ref else ref.loc[kind, "CI95%"]
        assert ours.ci_low == pytest.approx(low, abs=0.006)  # pingouin rounds to 2 places
        assert ours.ci_high == pytest.approx(high, abs=0.006)


def test_icc_published_values() -> None:
    """Shrout & Fleiss (1979), Table 4: ICC(3,1) = .71 and ICC(2,4) = .62."""
    assert round(icc_c1(SHROUT_FLEISS).value, 2) == 0.71
    assert round(icc_ak(SHROUT_FLEISS).value, 2) == 0.62


def test_limits_of_agreement_by_hand() -> None:
    """Bland & Altman (1999): SE of a limit is sqrt(3 s^2 / n), t with n - 1 df."""
    rng = np.random.default_rng(4)
    diff = rng.normal(-1.5, 4.0, size=35)
    m, s, n = diff.mean(), diff.std(ddof=1), len(diff)
    t = stats.t.ppf(0.975, n - 1)
    out = limits_of_agreement(diff)
    assert out["loa_low"] == pytest.approx(m - 1.96 * s, abs=1e-3 * s)
    assert out["loa_high_ci_high"] - out["loa_high"] == pytest.approx(t * np.sqrt(3 * s**2 / n))
    assert out["loa_low_ci_low"] < out["loa_low"] < out["loa_low_ci_high"]


def test_kappa_interval_against_a_plain_bootstrap() -> None:
    """The vectorised bootstrap agrees with a plain loop over resampled occasions."""
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 6, size=(150, 4)).astype(float)
    noise = rng.integers(-1, 2, size=truth.shape)
    other = np.clip(truth + noise, 1, 5)
    other[rng.random(other.shape) < 0.05] = np.nan
    points = np.arange(1, 6, dtype=float)
    ours = bootstrap_kappa_ci(truth, other, points, n_boot=2000, seed=3)
    plain = []
    loop = np.random.default_rng(11)
    for _ in range(2000):
        rows = loop.integers(0, len(truth), size=len(truth))
        a, b = truth[rows].ravel(), other[rows].ravel()
        ok = ~np.isnan(a) & ~np.isnan(b)
        plain.append(weighted_kappa(a[ok], b[ok], points))
    low, high = np.quantile(plain, [0.025, 0.975])
    assert ours[0] == pytest.approx(low, abs=0.02)
    assert ours[1] == pytest.approx(high, abs=0.02)
    point = weighted_kappa(
        truth.ravel()[~np.isnan(other.ravel())], other.ravel()[~np.isnan(other.ravel())], points
    )
    assert ours[0] < point < ours[1]
    assert bootstrap_kappa_ci(truth, other, points, seed=3) == bootstrap_kappa_ci(
        truth, other, points, seed=3
    )


def test_effect_size_interval_by_hand_and_coverage() -> None:
    """Becker (1988) variance by hand; and about 95 % coverage in simulation."""
    before = np.array([1.0, 2, 3, 4, 5])
    after = np.array([2.0, 3, 3, 5, 6])
    d = (after - before).mean() / before.std(ddof=1)
    rho = np.corrcoef(before, after)[0, 1]
    se = np.sqrt(2 * (1 - rho) / 5 + d**2 / 8)
    assert effect_size_ci(before, after) == pytest.approx((d - 1.959964 * se, d + 1.959964 * se))
    rng = np.random.default_rng(6)
    hits = 0
    for _ in range(400):
        x = rng.normal(50, 10, size=200)
        y = 0.7 * x + 15 + 5 + rng.normal(0, 7, size=200)  # true d = 0.5 (mean change 5)
        low, high = effect_size_ci(x, y)
        hits += low <= 0.5 <= high
    assert 0.91 <= hits / 400 <= 0.99


def test_agreement_has_the_new_columns(framework: wf.Framework) -> None:
    table = wf.cohort.agreement(wf.make_cohort(300, waves=2, seed=6), framework)
    domains = table[table["measure"] != "index"]
    for name in ("icc_c1", "icc_ak", "kappa_w"):
        assert (domains[f"{name}_low" if name != "kappa_w" else "kappa_low"] < domains[name]).all()
    assert (table["loa_low_ci_low"] < table["loa_low"]).all()
    assert (table["icc_ak"] >= table["icc"]).all()  # the mean of two raters is more reliable


def test_mdc95_is_the_reliable_change_threshold(framework: wf.Framework) -> None:
    """Everyone whose change exceeds the MDC95 (unrounded policy) is reliably changed."""
    result = wf.cohort.change(
        wf.make_cohort(300, waves=2, seed=3), framework, policy=wf.DisclosurePolicy.none()
    )
    for _, row in result.summary.iterrows():
        if not 0 < row["reliability"] < 1:
            continue
        everyone = result.people[result.people["measure"] == row["measure"]]
        people = everyone.dropna(subset=["difference"])
        beyond = people["difference"].abs() > row["mdc95"] + 1e-9
        changed = people["category"].astype(str) != "no reliable change"
        assert (beyond == changed).all()
        sd0 = everyone["baseline"].std(ddof=1)  # the baseline SD reliable change uses
        assert row["mdc95"] == pytest.approx(
            1.959964 * np.sqrt(2) * sd0 * np.sqrt(1 - row["reliability"]), rel=1e-5
        )
        assert row["effect_low"] < row["effect_size"] < row["effect_high"]
