"""Small multiples of quadrant profiles (a figure-level function)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from wellbeing_framework.cohort.select import Which, choose_rows
from wellbeing_framework.framework import Framework
from wellbeing_framework.plot.quadrant import quadrant

__all__ = ["profile_grid"]


def profile_grid(
    scores: pd.DataFrame,
    framework: Framework,
    *,
    people: Sequence[object],
    baseline: Which | None = "first",
    latest: Which = "last",
    ncols: int = 5,
    person: str = "person_id",
    rater: str | None = "self",
) -> Figure:
    """Quadrant profiles of many people side by side, each with their baseline outlined.

    Parameters
    ----------
    scores
        A scores table (ratings kept as columns show the indicator sub-wedges).
    framework
        The framework.
    people
        The person identifiers to show, in order.
    baseline, latest
        Which assessments to compare (see :func:`wellbeing_framework.cohort.snapshot`);
        ``baseline=None`` draws no outline.
    ncols
        Profiles per row.

    Returns
    -------
    matplotlib.figure.Figure
        One polar Axes per person, titled with the identifier given.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(20, waves=2, seed=1), fw)
    >>> fig = wf.plot.profile_grid(scores, fw, people=["P0001", "P0002", "P0003"])
    >>> len(fig.axes)
    3
    """
    chosen = list(people)
    if not chosen:
        msg = "people= names nobody to draw"
        raise ValueError(msg)
    subset = scores[scores[person].isin(chosen)]
    missing = [p for p in chosen if p not in set(subset[person])]
    if missing:
        msg = f"{len(missing)} of the people asked for have no assessment in the table"
        raise KeyError(msg)
    last_rows = subset.iloc[choose_rows(subset, latest, person=person, rater=rater)]
    last = last_rows.set_index(person)
    first = None
    if baseline is not None:
        first = subset.iloc[choose_rows(subset, baseline, person=person, rater=rater)]
        first = first.set_index(person)
    cols = min(ncols, len(chosen))
    rows = math.ceil(len(chosen) / cols)
    fig, axes = plt.subplots(
        rows,
        cols,
        figsize=(2.9 * cols, 3.1 * rows),
        subplot_kw={"projection": "polar"},
        squeeze=False,
    )
    latest_rows = dict(last.iterrows())
    first_rows = {} if first is None else dict(first.iterrows())
    for ax, who in zip(axes.flat, chosen, strict=False):
        now = latest_rows[who]
        earlier = first_rows.get(who)
        before = None if earlier is None or earlier.equals(now) else earlier
        quadrant(now, framework, baseline=before, ax=ax, show_indicators=False)
        ax.set_title(str(who), fontsize=9, pad=22)
        for text in ax.texts:
            text.set_fontsize(6)
    for ax in list(axes.flat)[len(chosen) :]:
        fig.delaxes(ax)
    fig.tight_layout()
    return fig
