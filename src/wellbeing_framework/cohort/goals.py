"""Goals: "where I would like to be", rated beside "where I am now", and the gap between.

As in outcome webs, a person may rate each indicator twice: as things are (``rater =
"self"``) and as they would like them to be (``rater = "goal"``). Both are scored by the
same rules, so a goal is a profile too, and the distance to it is measured in the same
0-100 points per domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from wellbeing_framework.framework import Framework

__all__ = ["GOAL", "distance_to_goal"]

#: The rater value of a goal rating.
GOAL = "goal"


def _occasion(scores: pd.DataFrame, date: str) -> str | None:
    return next((c for c in ("wave", date) if c in scores.columns), None)


def distance_to_goal(
    scores: pd.DataFrame,
    fw: Framework,
    *,
    rater: str = "self",
    person: str = "person_id",
    date: str = "assessment_date",
) -> pd.DataFrame:
    """The gap between each assessment and the person's goal, per domain and the index.

    Parameters
    ----------
    scores
        A scores table (:func:`~wellbeing_framework.score`) holding goal assessments
        (``rater == "goal"``) beside the others.
    fw
        The framework.
    rater
        Whose assessments are measured against the goal (default ``"self"``).
    person, date
        The columns identifying the person and the date.

    Returns
    -------
    pandas.DataFrame
        One row per assessment by ``rater`` of a person who has set a goal: the person, the
        occasion (``wave`` or date), and for each domain and the index the score now
        (``rb``), the goal (``rb_goal``) and the gap (``rb_gap`` = goal − now, in 0-100
        points; 0 or less when the goal is met). The goal used is the latest set at or
        before the assessment's occasion, or the first goal when all were set later.
        ``goal_set_at`` says which. Assessments with no occasion are left out and counted
        in ``attrs["left_out"]``.

    Raises
    ------
    ValueError
        If there is no ``rater`` column, no goal assessment, no column giving the occasion
        (``wave`` or ``date``), a goal with no occasion, or two goals of one person at one
        occasion.

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> now = {k: 2 for k in fw.indicator_keys}
    >>> goal = {k: 4 for k in fw.indicator_keys}
    >>> ratings = pd.DataFrame([{"person_id": "p1", "wave": 1, "rater": "self", **now},
    ...                         {"person_id": "p1", "wave": 1, "rater": "goal", **goal}])
    >>> gaps = wf.cohort.distance_to_goal(wf.score(ratings, fw), fw)
    >>> gaps[["rb", "rb_goal", "rb_gap", "index_gap"]]
         rb  rb_goal  rb_gap  index_gap
    0  25.0     75.0    50.0       50.0
    """
    if "rater" not in scores.columns:
        raise ValueError("no 'rater' column: goals are assessments with rater 'goal'")
    if person not in scores.columns:
        raise ValueError(f"no {person!r} column to match goals to people")
    occasion = _occasion(scores, date)
    if occasion is None:
        raise ValueError(f"no 'wave' or {date!r} column to tell when a goal was set")
    measures = [d.key for d in fw.domains if d.key in scores.columns]
    measures += [m for m in ("index",) if m in scores.columns]
    if not measures:
        raise ValueError("not a scores table: score the ratings with wf.score first")
    is_goal = scores["rater"].astype(str).eq(GOAL).to_numpy()
    if not is_goal.any():
        raise ValueError("no goal assessments (rater 'goal') in the table")
    keep = [person, occasion, *measures]
    goals = scores.loc[is_goal, keep]
    if goals[occasion].isna().any():
        n = int(goals[occasion].isna().sum())
        raise ValueError(f"{n} goal assessments have no {occasion!r}: say when each was set")
    if goals.duplicated([person, occasion]).any():
        n = int(goals.duplicated([person, occasion]).sum())
        raise ValueError(f"{n} goals were set at an occasion that already has one")
    goals = goals.sort_values(occasion)
    goals = goals.rename(columns={m: f"{m}_goal" for m in measures})
    goals["goal_set_at"] = goals[occasion]
    now = scores.loc[scores["rater"].astype(str).eq(rater).to_numpy(), keep]
    now = now[now[person].isin(goals[person])]
    undated = int(now[occasion].isna().sum())
    now = now.dropna(subset=[occasion])
    now = now.assign(_row=np.arange(len(now))).sort_values(occasion)
    try:
        before = pd.merge_asof(now, goals, on=occasion, by=person, direction="backward")
        after = pd.merge_asof(now, goals, on=occasion, by=person, direction="forward")
    except (TypeError, ValueError, pd.errors.MergeError):
        msg = f"the {occasion!r} values cannot be put in order (mixed kinds, or text dates?)"
        raise ValueError(msg) from None
    missing = before["goal_set_at"].isna().to_numpy()
    merged = before.copy()
    for column in [*(f"{m}_goal" for m in measures), "goal_set_at"]:  # no goal yet: the first
        merged[column] = before[column].where(~missing, after[column])
    merged = merged.sort_values("_row").drop(columns="_row").reset_index(drop=True)
    columns = [person, occasion]
    for m in measures:
        merged[f"{m}_gap"] = merged[f"{m}_goal"].astype(float) - merged[m].astype(float)
        columns += [m, f"{m}_goal", f"{m}_gap"]
    out = merged[[*columns, "goal_set_at"]]
    out.attrs["left_out"] = undated  # assessments with no occasion to match a goal to
    return out
