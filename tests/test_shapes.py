"""Wide and long ratings, and conversion between them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf


class TestToLong:
    def test_shape_and_order(self, framework: wf.Framework) -> None:
        """One row per assessment x rated key, keys in framework order, ids repeated."""
        wide = pd.DataFrame({"person_id": ["a", "b"], "sw5": [1, 2], "rb1": [4, np.nan]})
        long = wf.to_long(wide, framework)
        assert list(long.columns) == ["person_id", "indicator", "rating"]
        assert long["indicator"].tolist() == ["rb1", "sw5", "rb1", "sw5"]
        assert long["person_id"].tolist() == ["a", "a", "b", "b"]
        assert long["rating"].tolist()[:2] == [4, 1]
        assert np.isnan(long["rating"].iloc[2])
        assert long["rating"].iloc[3] == 2

    def test_unanswered_kept(self, framework: wf.Framework) -> None:
        """A missing rating stays as a row, so no assessment can vanish."""
        wide = pd.DataFrame({"person_id": ["a"], "rb1": [np.nan]})
        long = wf.to_long(wide, framework)
        assert len(long) == 1
        assert long["rating"].isna().all()

    def test_long_input_copied(self, framework: wf.Framework) -> None:
        """Long input is returned as an equal copy."""
        long = pd.DataFrame({"person_id": ["a"], "indicator": ["rb1"], "rating": [3]})
        out = wf.to_long(long, framework)
        pd.testing.assert_frame_equal(out, long)
        assert out is not long


class TestToWide:
    def test_pivot(self, framework: wf.Framework) -> None:
        """Every rated key becomes a column; ids kept in order of first appearance."""
        long = pd.DataFrame(
            {
                "person_id": ["b", "a", "b"],
                "area": ["Western", "Belfast", "Western"],
                "indicator": ["rb1", "rb1", "qol"],
                "rating": [2, 5, 4],
            }
        )
        wide = wf.to_wide(long, framework)
        assert list(wide.columns[:2]) == ["person_id", "area"]
        assert list(wide.columns[2:]) == [*framework.indicator_keys, "qol", "self_worth"]
        assert wide["person_id"].tolist() == ["b", "a"]
        assert wide["rb1"].tolist() == [2.0, 5.0]
        assert wide.loc[0, "qol"] == 4.0
        assert np.isnan(wide.loc[1, "qol"])

    def test_unknown_indicator_raises(self, framework: wf.Framework) -> None:
        """An unknown indicator raises KeyError with its row, never the value."""
        long = pd.DataFrame(
            {"person_id": ["a", "a"], "indicator": ["rb1", "P0002"], "rating": [3, 3]}
        )
        with pytest.raises(KeyError, match="first at row 1") as info:
            wf.to_wide(long, framework)
        assert "P0002" not in str(info.value)

    def test_round_trip(self, framework: wf.Framework) -> None:
        """wide -> long -> wide gives the same ratings back."""
        rng = np.random.default_rng(1)
        ratings = rng.integers(1, 6, size=(5, 18)).astype(float)
        ratings[rng.random(ratings.shape) < 0.2] = np.nan
        wide = pd.DataFrame(ratings, columns=list(framework.indicator_keys))
        wide.insert(0, "person_id", list("abcde"))
        back = wf.to_wide(wf.to_long(wide, framework), framework)
        pd.testing.assert_frame_equal(back[wide.columns], wide)
