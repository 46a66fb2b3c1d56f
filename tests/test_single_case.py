"""Single-system (AB) designs: the statistics against hand-worked values and scipy."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import wellbeing_framework as wf
from wellbeing_framework.single_case import nap, pnd, tau, tau_u

# A hand-worked case. Baseline A = 3, 4, 3, 5 (in time order); intervention B = 5, 6, 7, 6, 8.
# Pairs A x B = 20. B better in: a=3: 5 of 5; a=4: 5; a=3: 5; a=5: 4 (ties with b=5: 1).
# So 19 better, 0 worse, 1 tie. NAP = (19 + 0.5) / 20 = 0.975; Tau = 19 / 20 = 0.95.
# PND: B points above the best A point (5): 6, 7, 6, 8 = 4 of 5 = 80 %.
# S_A, pairs of A in time order: (3,4) +1, (3,3) 0, (3,5) +1, (4,3) -1, (4,5) +1, (3,5) +1
# = 3. Tau-U = (19 - 3) / 20 = 0.8.
A = [3.0, 4.0, 3.0, 5.0]
B = [5.0, 6.0, 7.0, 6.0, 8.0]


class TestHandWorked:
    def test_values(self) -> None:
        assert nap(A, B) == pytest.approx(0.975)
        assert tau(A, B) == pytest.approx(0.95)
        assert pnd(A, B) == pytest.approx(80.0)
        assert tau_u(A, B) == pytest.approx(0.8)

    def test_lower_is_better_mirrors(self) -> None:
        flipped_a, flipped_b = [-x for x in A], [-x for x in B]
        kwargs = {"higher_is_better": False}
        assert nap(flipped_a, flipped_b, **kwargs) == pytest.approx(0.975)
        assert pnd(flipped_a, flipped_b, **kwargs) == pytest.approx(80.0)
        assert tau_u(flipped_a, flipped_b, **kwargs) == pytest.approx(0.8)

    def test_no_change_is_chance(self) -> None:
        assert nap([2, 2], [2, 2, 2]) == 0.5
        assert tau([2, 2], [2, 2, 2]) == 0.0
        assert pnd([2, 2], [2, 2, 2]) == 0.0


@pytest.mark.parametrize("seed", range(12))
def test_against_scipy_and_brute_force(seed: int) -> None:
    """NAP is the Mann-Whitney U over nA x nB (scipy); Tau is 2 NAP - 1; Tau-U's baseline
    S is counted here pair by pair."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 6, rng.integers(3, 9)).astype(float)
    b = rng.integers(1, 8, rng.integers(3, 12)).astype(float)
    u = stats.mannwhitneyu(b, a, alternative="two-sided").statistic
    assert nap(a, b) == pytest.approx(u / (len(a) * len(b)))
    assert tau(a, b) == pytest.approx(2 * nap(a, b) - 1)
    s_ab = sum(np.sign(y - x) for x in a for y in b)
    s_a = sum(np.sign(a[j] - a[i]) for i, j in itertools.combinations(range(len(a)), 2))
    assert tau_u(a, b) == pytest.approx((s_ab - s_a) / (len(a) * len(b)))


class TestSummary:
    def table(self) -> pd.DataFrame:
        rows = []
        for person, (a, b) in {"p1": (A, B), "p2": ([50, 40, 45], [45, 40])}.items():
            for n, (ph, v) in enumerate([("baseline", x) for x in a] + [("B", x) for x in b]):
                rows.append({"person_id": person, "wave": n + 1, "phase": ph, "index": v})
        return pd.DataFrame(rows).sample(frac=1, random_state=1)  # rows out of order

    def test_per_person_in_time_order(self) -> None:
        out = wf.single_case.summary(self.table())
        p1 = out.loc["p1"]
        assert (p1["n_a"], p1["n_b"]) == (4, 5)
        assert p1["nap"] == pytest.approx(0.975)
        assert p1["tau_u"] == pytest.approx(0.8)  # needs time order: rows were shuffled
        assert p1["level_change"] == pytest.approx(np.mean(B) - np.mean(A))
        assert p1["median_a"] == 3.5
        assert "fragile" in p1["reading"]  # four baseline points
        assert "a large improvement" in p1["reading"]
        p2 = out.loc["p2"]
        assert p2["nap"] < 0.66
        assert "a medium deterioration" in p2["reading"]  # NAP 1/3: 1 - NAP is 0.67

    def test_missing_phase_and_left_out_rows(self) -> None:
        data = self.table()
        data.loc[data["phase"] == "B", "index"] = np.nan
        data.loc[len(data)] = {"person_id": "p1", "wave": 99, "phase": "follow-up", "index": 70}
        out = wf.single_case.summary(data)
        assert out.loc["p1", "reading"].startswith("No intervention (B) assessments")
        assert out.loc["p1", "n_left_out"] == 6
        assert np.isnan(out.loc["p1", "nap"])

    def test_errors(self) -> None:
        with pytest.raises(ValueError, match="no column 'stage'"):
            wf.single_case.summary(self.table(), phase="stage")
        with pytest.raises(ValueError, match=r"phase A .* or B"):
            wf.single_case.summary(self.table().assign(phase="x"))

    def test_on_scores(self) -> None:
        """On a scored synthetic person, phases from the waves."""
        fw = wf.load_framework()
        scores = wf.score(wf.make_cohort(3, waves=6, seed=5, practitioner_share=0), fw)
        scores["phase"] = np.where(scores["wave"] <= 3, "A", "B")
        out = wf.single_case.summary(scores, measure="sw")
        assert len(out) == 3
        assert set(out["n_a"]) == {3}


class TestPlot:
    def test_ab_chart(self) -> None:
        import matplotlib

        matplotlib.use("Agg")
        data = pd.DataFrame(
            {
                "person_id": "p1",
                "assessment_date": pd.date_range("2025-01-06", periods=9, freq="14D"),
                "phase": ["A"] * 4 + ["B"] * 5,
                "index": [38.0, 42, 40, 45, 52, 58, 55, 63, 66],
            }
        )
        ax = wf.plot.single_case(data)
        lines = {line.get_gid(): line for line in ax.get_lines()}
        assert set(lines) == {"phase-A", "phase-B", "mean-A", "mean-B", "phase-change", "trend"}
        assert lines["mean-A"].get_ydata()[0] == pytest.approx(41.25)
        trend = lines["trend"].get_ydata()  # least squares over the baseline, by hand:
        days = np.array([0, 14, 28, 42.0])
        slope = np.cov(days, [38, 42, 40, 45], bias=True)[0, 1] / days.var()
        assert trend[-1] - trend[0] == pytest.approx(slope * 8 * 14)
        assert "4 baseline assessments" in wf.plot.describe(ax)

    def test_refuses_what_it_cannot_draw(self) -> None:
        two = pd.DataFrame({"person_id": ["a", "b"], "phase": ["A", "B"], "index": [1, 2]})
        with pytest.raises(ValueError, match="several people"):
            wf.plot.single_case(two)
        with pytest.raises(ValueError, match="both phase A and phase B"):
            wf.plot.single_case(two, person="a")


def test_a_rising_baseline_is_named() -> None:
    """A baseline already improving (Kendall's tau 1 within it) is said, Tau-U preferred."""
    data = pd.DataFrame(
        {
            "person_id": "p",
            "wave": range(1, 9),
            "phase": ["A"] * 5 + ["B"] * 3,
            "index": [10.0, 20, 30, 40, 50, 60, 70, 80],
        }
    )
    row = wf.single_case.summary(data).loc["p"]
    assert row["tau"] == 1.0
    assert row["tau_u"] == pytest.approx((15 - 10) / 15)
    assert "already improving (Kendall's tau within it 1.00)" in row["reading"]


def test_readings_say_which_way_and_how_many_pairs() -> None:
    """A clear worsening is called one; all ties are no difference, not "better"."""
    worse = pd.DataFrame(
        {
            "person_id": "p",
            "wave": range(1, 11),
            "phase": ["A"] * 5 + ["B"] * 5,
            "index": [50.0, 51, 49, 50, 50, 30, 28, 25, 22, 20],
        }
    )
    reading = wf.single_case.summary(worse).loc["p", "reading"]
    assert "a large deterioration" in reading
    assert "better in 0 %, worse in 100 %" in reading
    flat = worse.assign(index=5.0)
    reading = wf.single_case.summary(flat).loc["p", "reading"]
    assert "equal in 100 %: no difference between the phases" in reading
