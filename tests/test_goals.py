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


class TestPlots:
    def test_quadrant_goal_outline_and_legend(self, fw: wf.Framework) -> None:
        import matplotlib

        matplotlib.use("Agg")
        now = wf.score_one(dict.fromkeys(fw.indicator_keys, 2) | {"qol": 3}, fw)
        goal = wf.score_one(dict.fromkeys(fw.indicator_keys, 4), fw)
        ax = wf.plot.quadrant(now, fw, goal=goal)
        outlines = {p.get_gid(): p for p in ax.patches if str(p.get_gid()).startswith("goal:")}
        assert set(outlines) == {"goal:rb", "goal:pm", "goal:ir", "goal:sw"}
        from wellbeing_framework.plot.quadrant import CENTRE_RADIUS, radius_of

        assert outlines["goal:sw"].get_height() == pytest.approx(radius_of(75) - CENTRE_RADIUS)
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any(t.startswith("dotted outline: goal") for t in legend)
        assert any(t.startswith("fill: domain score") for t in legend)
        assert "dotted outline shows the goal" in wf.plot.describe(ax)

    def test_centre_labels_sit_inside_their_halves(self, fw: wf.Framework) -> None:
        """Quality of Life on the top half (angle 0), Self Worth on the bottom (pi)."""
        import matplotlib

        matplotlib.use("Agg")
        ax = wf.plot.quadrant(wf.score_one(dict.fromkeys(fw.indicator_keys, 3), fw), fw)
        angles = {
            t.get_text().split("\n")[0]: t.get_position()[0]
            for t in ax.texts
            if t.get_text().startswith(("Quality", "Self"))
        }
        assert angles["Quality"] == pytest.approx(0.0)
        assert angles["Self"] == pytest.approx(np.pi)

    def test_readings_marks_disagreements(self, fw: wf.Framework) -> None:
        import matplotlib

        matplotlib.use("Agg")
        own = dict.fromkeys(fw.indicator_keys, 4)
        theirs = {**own, "sw3": 1, "pm2": 3, "rb1": 2}
        table = pd.DataFrame(
            [
                {"person_id": "p1", "wave": 1, "rater": "self", **own},
                {"person_id": "p1", "wave": 1, "rater": "practitioner", **theirs},
            ]
        )
        ax = wf.plot.readings(table, fw)
        apart = sorted(
            g for line in ax.get_lines() if str(g := line.get_gid()).startswith("apart")
        )
        assert apart == ["apart:rb1", "apart:sw3"]  # 2 and 3 points; pm2 is 1 apart
        assert "rb1, sw3" in wf.plot.describe(ax)
        with pytest.raises(ValueError, match="no assessment by 'goal'"):
            wf.plot.readings(table, fw, b="goal")
