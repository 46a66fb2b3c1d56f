"""The trajectory over waves, against a hand computation, and its plot."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import wellbeing_framework as wf


def _scores(framework: wf.Framework, values: dict[int, list[float]]) -> pd.DataFrame:
    """A hand-made scores table: index values per wave, person i at position i."""
    rows = []
    for wave, numbers in values.items():
        for i, value in enumerate(numbers):
            rows.append({"person_id": f"p{i}", "wave": wave, "index": value})
    table = pd.DataFrame(rows)
    for d in framework.domains:
        table[d.key] = table["index"]
    bands = pd.cut(table["index"], [0, 25, 50, 75, 100.1], right=False, labels=False)
    labels = ["high need", "some need", "managing", "thriving"]
    for key in ["index", *[d.key for d in framework.domains]]:
        table[f"{key}_band"] = pd.Categorical.from_codes(
            bands.to_numpy(dtype=int), dtype=pd.CategoricalDtype(labels, ordered=True)
        )
    return table


def test_means_intervals_and_shares_by_hand(framework: wf.Framework) -> None:
    """Ten people at wave 1, twelve at wave 2; no disclosure control."""
    wave1 = [10, 20, 30, 40, 50, 60, 70, 80, 90, 55]
    wave2 = [60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 30, 90]
    table = wf.cohort.trajectory(
        _scores(framework, {1: wave1, 2: wave2}),
        framework,
        measure="index",
        policy=wf.DisclosurePolicy.none(),
    )
    for row, values in zip(table.itertuples(), (wave1, wave2), strict=True):
        x = np.array(values, dtype=float)
        half = stats.t.ppf(0.975, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
        assert row.n == len(x)
        assert row.mean == pytest.approx(x.mean())
        assert row.ci_low == pytest.approx(x.mean() - half)
        assert row.ci_high == pytest.approx(x.mean() + half)
    # wave 1: 10, 20 high need; 30, 40 some need; 50, 55, 60, 70 managing; 80, 90 thriving
    first = table.iloc[0]
    assert [first["high need"], first["some need"], first["managing"], first["thriving"]] == [
        0.2,
        0.2,
        0.4,
        0.2,
    ]


def test_groups_controlled_together(framework: wf.Framework) -> None:
    """A group of 3 is hidden, and so is enough of the rest that it cannot be worked out."""
    data = wf.make_cohort(60, waves=3, seed=2)
    scores = wf.score(data, framework)
    own = scores[scores["rater"] == "self"]
    small = own["person_id"].isin(own["person_id"].unique()[:3])
    scores.loc[scores["person_id"].isin(own.loc[small, "person_id"]), "client_group"] = "tiny"
    table = wf.cohort.trajectory(scores, framework, by="client_group", measure="index")
    tiny = table[table["client_group"] == "tiny"]
    assert tiny["n"].isna().all()
    assert tiny["mean"].isna().all()
    assert (tiny["note"] == "suppressed: too few people to publish").all()
    for _, wave in table.groupby("wave"):
        assert wave["n"].isna().sum() >= 2  # the tiny group and one to protect it


def test_says_why_it_cannot(framework: wf.Framework) -> None:
    scores = wf.score(wf.make_cohort(30, waves=2, seed=1), framework)
    with pytest.raises(KeyError, match="needs a 'wave' column"):
        wf.cohort.trajectory(scores.drop(columns=["wave"]), framework)
    with pytest.raises(KeyError, match="unknown measure"):
        wf.cohort.trajectory(scores, framework, measure="happiness")
    with pytest.raises(KeyError, match="no 'team' column"):
        wf.cohort.trajectory(scores, framework, by="team")


def test_plot_draws_groups_distinguishably(framework: wf.Framework) -> None:
    scores = wf.score(wf.make_cohort(300, waves=3, seed=4), framework)
    table = wf.cohort.trajectory(scores, framework, by="client_group", measure="index")
    ax = wf.plot.trajectory(table)
    lines = [line for line in ax.get_lines() if line.get_gid() == "mean"]
    assert len(lines) == table["client_group"].nunique()
    styles = {(line.get_marker(), line.get_linestyle()) for line in lines}
    assert len(styles) == len(lines)  # told apart without colour
    assert "one line per client group" in wf.plot.describe(ax)
    with pytest.raises(ValueError, match="no rows for measure"):
        wf.plot.trajectory(table, measure="rb")
