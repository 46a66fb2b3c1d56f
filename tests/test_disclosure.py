"""Disclosure control: suppression, rounding, secondary suppression, and the continuum mix."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_framework as wf


class TestDisclosurePolicy:
    def test_default_example(self) -> None:
        """The documented example: 0, 3, 7, 8, 12, 23 -> 0, -, -, 10, 10, 25."""
        out = wf.DisclosurePolicy().apply(pd.Series([0, 3, 7, 8, 12, 23]))
        assert out.tolist() == [0, pd.NA, pd.NA, 10, 10, 25]
        assert str(out.dtype) == "Int64"

    def test_presets(self) -> None:
        """10-5 suppresses below 10 and rounds to 5; threshold-10 does not round."""
        counts = pd.Series([0, 9, 10, 12, 13])
        assert wf.DisclosurePolicy.preset("10-5").apply(counts).tolist() == [
            0,
            pd.NA,
            10,
            10,
            15,
        ]
        assert wf.DisclosurePolicy.preset("threshold-10").apply(counts).tolist() == [
            0,
            pd.NA,
            10,
            12,
            13,
        ]
        assert wf.DisclosurePolicy.none().apply(counts).tolist() == [0, 9, 10, 12, 13]
        with pytest.raises(wf.WellbeingFrameworkError, match="unknown disclosure preset"):
            wf.DisclosurePolicy.preset("lenient")

    def test_default_is_not_none(self) -> None:
        """Disclosure control is on unless asked off by name."""
        assert not wf.DisclosurePolicy().is_none
        assert wf.DisclosurePolicy.preset("none").is_none

    def test_secondary_suppression(self) -> None:
        """With a total shown, a lone hidden cell takes the next smallest with it."""
        out = wf.DisclosurePolicy().apply(pd.Series([40, 3, 22, 15]), total=True)
        assert out.tolist() == [40, pd.NA, 20, pd.NA]
        alone = wf.DisclosurePolicy().apply(pd.Series([40, 3, 22, 15]))
        assert alone.tolist() == [40, pd.NA, 20, 15]

    def test_describe(self) -> None:
        """Each policy explains itself for a footnote."""
        assert "nearest 5" in wf.DisclosurePolicy().describe()
        assert "exactly" in wf.DisclosurePolicy.none().describe()

    @settings(max_examples=200, deadline=None)
    @given(counts=st.lists(st.integers(0, 60), min_size=2, max_size=8))
    def test_hidden_cell_never_recoverable_from_total(self, counts: list[int]) -> None:
        """With the total published exactly, a hidden count is never the only unknown."""
        shown = wf.DisclosurePolicy.preset("threshold-10").apply(pd.Series(counts), total=True)
        hidden = shown.isna().sum()
        assert hidden != 1
        for value, published in zip(counts, shown, strict=True):
            if 0 < value < 10:
                assert published is pd.NA

    @settings(max_examples=200, deadline=None)
    @given(counts=st.lists(st.integers(0, 200), min_size=1, max_size=8))
    def test_rounding_and_suppression(self, counts: list[int]) -> None:
        """Shown counts are multiples of 5 within 2 of the truth; small ones hidden."""
        shown = wf.DisclosurePolicy().apply(pd.Series(counts))
        for value, published in zip(counts, shown, strict=True):
            if 0 < value < 8:
                assert published is pd.NA
            elif published is not pd.NA:
                assert published % 5 == 0
                assert abs(published - value) <= 2.5


class TestContinuumMix:
    def test_counts_and_shares(self, framework: wf.Framework) -> None:
        """With no disclosure control, each vignette is one case at its approach."""
        placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), framework), framework)
        mix = wf.cohort.continuum_mix(placed, policy=wf.DisclosurePolicy.none())
        assert mix["approach"].tolist()[-1] == "not placed"
        assert mix["count"].tolist() == [1, 1, 1, 1, 1, 0]
        assert mix["share"].tolist()[:5] == [0.2] * 5

    def test_default_policy_hides_small_counts(self, framework: wf.Framework) -> None:
        """Five cases: every count hidden by default, and so is every share."""
        placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), framework), framework)
        mix = wf.cohort.continuum_mix(placed)
        assert mix["count"].iloc[:5].isna().all()
        assert mix["share"].iloc[:5].isna().all()
        assert "suppressed" in mix.attrs["disclosure"]

    def test_by_group(self) -> None:
        """Counts by a grouping column, each group through the policy."""
        approach = pd.Categorical(
            ["community_inclusion"] * 30 + ["safeguarding"] * 12 + ["safeguarding"] * 20,
            categories=["community_inclusion", "safeguarding"],
            ordered=True,
        )
        placed = pd.DataFrame({"approach": approach, "area": ["A"] * 42 + ["B"] * 20})
        mix = wf.cohort.continuum_mix(placed, by="area")
        a = mix[mix["area"] == "A"].set_index("approach")
        assert a.loc["community_inclusion", "count"] == 30
        assert a.loc["safeguarding", "count"] == 10
        assert a.loc["community_inclusion", "n"] == 40
        assert a.loc["community_inclusion", "share"] == pytest.approx(30 / 40)
        b = mix[mix["area"] == "B"].set_index("approach")
        assert b.loc["safeguarding", "count"] == 20
