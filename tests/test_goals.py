"""Goals: ratings of "where I would like to be", and the distance to them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf


@pytest.fixture(scope="module")
def fw() -> wf.Framework:
    return wf.load_framework()


def _rows(fw: wf.Framework) -> pd.DataFrame:
    """p1 sets a goal at wave 1 and a higher one at wave 3; p2 sets none."""

    def row(person: str, wave: int, rater: str, value: int) -> dict[str, object]:
        return {
            "person_id": person,
            "wave": wave,
            "rater": rater,
            **dict.fromkeys(fw.indicator_keys, value),
        }

    return pd.DataFrame(
        [
            row("p1", 1, "self", 2),
            row("p1", 1, "goal", 4),
            row("p1", 2, "self", 3),
            row("p1", 3, "self", 3),
            row("p1", 3, "goal", 5),
            row("p2", 1, "self", 1),
        ]
    )


def test_gap_to_the_latest_goal(fw: wf.Framework) -> None:
    """By hand: rating 2 is 25 on 0-100, 3 is 50, 4 is 75, 5 is 100."""
    gaps = wf.cohort.distance_to_goal(wf.score(_rows(fw), fw), fw)
    assert gaps["person_id"].tolist() == ["p1", "p1", "p1"]  # p2 has no goal
    assert gaps["wave"].tolist() == [1, 2, 3]
    assert gaps["sw_gap"].tolist() == [50.0, 25.0, 50.0]
    assert gaps["goal_set_at"].tolist() == [1, 1, 3]
    np.testing.assert_allclose(gaps["index_gap"], [50.0, 25.0, 50.0])


def test_a_goal_set_later_still_counts(fw: wf.Framework) -> None:
    rows = _rows(fw)
    rows = rows[~((rows["rater"] == "goal") & (rows["wave"] == 1))]
    gaps = wf.cohort.distance_to_goal(wf.score(rows, fw), fw)
    assert gaps["goal_set_at"].tolist() == [3, 3, 3]


def test_errors(fw: wf.Framework) -> None:
    scores = wf.score(_rows(fw), fw)
    with pytest.raises(ValueError, match="no goal assessments"):
        wf.cohort.distance_to_goal(scores[scores["rater"] != "goal"], fw)
    with pytest.raises(ValueError, match="no 'rater' column"):
        wf.cohort.distance_to_goal(scores.drop(columns="rater"), fw)
    with pytest.raises(ValueError, match="not a scores table"):
        wf.cohort.distance_to_goal(_rows(fw), fw)
