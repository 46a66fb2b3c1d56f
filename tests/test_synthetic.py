"""Synthetic cohorts: structure, determinism, realism, any framework."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf


class TestMakeCohort:
    def test_columns_and_size(self, framework: wf.Framework) -> None:
        """The documented columns; every person has every wave, self-rated."""
        cohort = wf.make_cohort(n_people=120, waves=3, seed=1)
        head = ["person_id", "wave", "assessment_date", "rater", "client_group", "age_band"]
        assert list(cohort.columns[:6]) == head
        assert {"sex", "area", *framework.indicator_keys, "qol", "self_worth"} <= set(
            cohort.columns
        )
        self_rated = cohort[cohort["rater"] == "self"]
        assert len(self_rated) == 120 * 3
        assert self_rated.groupby("person_id")["wave"].nunique().eq(3).all()
        assert set(cohort["area"]) <= set(wf.synthetic.AREAS)
        assert set(cohort["client_group"]) == set(wf.synthetic.CLIENT_GROUPS)
        assert wf.validate(cohort, framework).ok

    def test_deterministic(self) -> None:
        """The same seed gives the same cohort; another seed another."""
        a = wf.make_cohort(50, 2, seed=7)
        pd.testing.assert_frame_equal(a, wf.make_cohort(50, 2, seed=7))
        assert not a.equals(wf.make_cohort(50, 2, seed=8))
        generator = np.random.default_rng(7)
        assert len(wf.make_cohort(10, 1, seed=generator)) >= 10

    def test_dates_advance(self) -> None:
        """Each wave comes after the last, three to four months later."""
        cohort = wf.make_cohort(40, 4, seed=2)
        dates = cohort[cohort["rater"] == "self"].pivot(
            index="person_id", columns="wave", values="assessment_date"
        )
        gaps = dates.diff(axis=1).iloc[:, 1:].stack().dt.days
        assert gaps.between(90, 130).all()

    def test_realistic_structure(self, framework: wf.Framework) -> None:
        """Missing answers, practitioners a little lower, a minority of safeguarding flags."""
        cohort = wf.make_cohort(1500, 2, seed=3)
        ratings = cohort[list(framework.indicator_keys)]
        assert 0.03 < ratings.isna().mean().mean() < 0.07
        scores = wf.score(cohort, framework)
        by_rater = scores.groupby("rater")["index"].mean()
        assert -10 < by_rater["practitioner"] - by_rater["self"] < -1
        assert 0.02 < scores["flag_safeguarding"].mean() < 0.15
        alpha = wf.cohort.reliability(cohort[cohort["wave"] == 1], framework)["alpha"]
        assert alpha.between(0.7, 0.95).all()
        domains = scores[["rb", "pm", "ir", "sw"]].corr().to_numpy()
        assert (domains[np.triu_indices(4, 1)] > 0.3).all()

    def test_change_differs_by_group(self, framework: wf.Framework) -> None:
        """Mental health improves more than older people, on average."""
        scores = wf.score(wf.make_cohort(2000, 3, seed=4), framework)
        scores = scores[scores["rater"] == "self"]
        mean = scores.groupby(["client_group", "wave"])["index"].mean().unstack()
        gain = mean[3] - mean[1]
        assert gain["mental health"] > gain["older people"] + 5

    def test_long_shape(self, framework: wf.Framework) -> None:
        """shape='long' gives indicator and rating columns that score the same."""
        long = wf.make_cohort(30, 2, seed=5, shape="long")
        assert {"indicator", "rating"} <= set(long.columns)
        wide = wf.make_cohort(30, 2, seed=5)
        a = wf.score(wide, framework).reset_index(drop=True)
        b = wf.score(long, framework).reset_index(drop=True)
        pd.testing.assert_series_equal(a["index"], b["index"])

    def test_any_framework(self) -> None:
        """The children's adaptation (1-4 scale) gets ratings on its own scale."""
        cyp = wf.load_framework("children_young_people")
        cohort = wf.make_cohort(60, 2, seed=6, framework=cyp)
        values = cohort[list(cyp.indicator_keys)].stack().dropna()
        assert set(values.unique()) <= {1.0, 2.0, 3.0, 4.0}
        assert wf.validate(cohort, cyp).ok

    def test_bad_arguments(self) -> None:
        """Waves outside 1-6 and empty cohorts are refused."""
        with pytest.raises(ValueError, match="waves"):
            wf.make_cohort(10, waves=7)
        with pytest.raises(ValueError, match="n_people"):
            wf.make_cohort(0)
