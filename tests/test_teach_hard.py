"""Teaching and practice evaluation on hard input: each case was once silently wrong."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf
from wellbeing_framework.single_case import nap, pnd, tau, tau_u

SECRET = "Jane-Doe-0412"


def _one(person: str = SECRET, **columns: object) -> pd.DataFrame:
    data = {
        "person_id": person,
        "wave": range(1, 9),
        "phase": ["A"] * 3 + ["B"] * 5,
        "index": [40.0, 45, 50, 55, 60, 50, 65, 70],
    }
    data.update(columns)
    return pd.DataFrame(data)


class TestSingleCaseHard:
    def test_a_repeated_index_never_mixes_people(self) -> None:
        two = pd.concat([_one(), _one("John-Roe-0001", index=[70, 65, 60, 50, 45, 40, 35, 30])])
        out = wf.single_case.summary(two)
        assert out["n_a"].tolist() == [3, 3]
        assert out.loc[SECRET, "nap"] == pytest.approx(14.5 / 15)
        assert out.loc["John-Roe-0001", "nap"] == 0.0

    def test_rows_without_a_person_are_refused(self) -> None:
        with pytest.raises(ValueError, match="1 rows name no person") as caught:
            wf.single_case.summary(_one(person_id=[SECRET] * 7 + [None]))
        assert SECRET not in str(caught.value)

    @pytest.mark.parametrize("bad", [[np.nan, 1.0], [np.inf, 1.0], ["Jane"], []])
    def test_statistics_refuse_what_they_cannot_count(self, bad: object) -> None:
        for statistic in (nap, pnd, tau, tau_u):
            with pytest.raises(ValueError, match="phase") as caught:
                statistic(bad, [2.0])  # type: ignore[arg-type]
            assert "Jane" not in str(caught.value)

    def test_infinite_and_undated_points_are_left_out_and_counted(self) -> None:
        data = _one(index=[40.0, np.inf, 50, 55, 60, 50, 65, 70])
        row = wf.single_case.summary(data).loc[SECRET]
        assert (row["n_a"], row["n_left_out"]) == (2, 1)
        dated = _one(
            assessment_date=pd.to_datetime(
                [
                    "2024-01-01",
                    None,
                    "2024-01-29",
                    "2024-02-12",
                    "2024-02-26",
                    "2024-03-11",
                    "2024-03-25",
                    "2024-04-08",
                ]
            )
        )
        row = wf.single_case.summary(dated, time="assessment_date").loc[SECRET]
        assert row["n_left_out"] == 1

    def test_text_dates_are_put_in_time_order(self) -> None:
        """Day-first text dates, not sorted as strings: 15/01 comes before 02/02."""
        text = [
            "15/01/2024",
            "02/02/2024",
            "20/02/2024",
            "05/03/2024",
            "19/03/2024",
            "02/04/2024",
            "16/04/2024",
            "30/04/2024",
        ]
        as_text = wf.single_case.summary(_one(assessment_date=text), time="assessment_date")
        as_dates = wf.single_case.summary(
            _one(assessment_date=pd.to_datetime(text, dayfirst=True)), time="assessment_date"
        )
        assert as_text.loc[SECRET, "tau_u"] == pytest.approx(as_dates.loc[SECRET, "tau_u"])

    def test_baseline_after_intervention_is_not_an_ab_design(self) -> None:
        data = _one(phase=["B"] * 5 + ["A"] * 3)
        row = wf.single_case.summary(data).loc[SECRET]
        assert np.isnan(row["nap"])
        assert "must come before" in row["reading"]
        with pytest.raises(ValueError, match="baseline \\(A\\) before"):
            wf.plot.single_case(data)

    def test_long_phases_are_cheap(self) -> None:
        """10,000 points a phase: counted by sorting, the same as by pairs."""
        rng = np.random.default_rng(0)
        a, b = rng.integers(0, 50, 10_000), rng.integers(10, 60, 10_000)
        small_a, small_b = a[:300], b[:300]
        by_pairs = np.sign(small_b[None, :] - small_a[:, None])
        assert nap(small_a, small_b) == pytest.approx(
            ((by_pairs > 0).sum() + 0.5 * (by_pairs == 0).sum()) / by_pairs.size
        )
        assert 0.5 < nap(a, b) < 1.0

    def test_higher_is_better_must_be_a_bool(self) -> None:
        with pytest.raises(TypeError, match="True or False"):
            wf.single_case.summary(_one(), higher_is_better="no")  # type: ignore[arg-type]


class TestExplorerHard:
    def test_unanswered_safety_is_not_safe(self) -> None:
        app = wf.teach.explorer()
        app.controls["sw5"].value = "not answered"
        app.controls["sw3"].value = "not answered"
        assert "cannot be decided" in app.flag.value
        assert "No safeguarding flag" not in app.flag.value

    def test_a_framework_without_a_continuum(self) -> None:
        fw = attrs.evolve(wf.load_framework(), continuum=None)
        app = wf.teach.explorer(fw)
        app.controls["rb1"].value = "5 completely"
        assert "Not placed on the continuum" in app.placement.value

    def test_dollar_signs_in_framework_text(self) -> None:
        fw = wf.load_framework()
        money = fw.adapt(
            key="money", title="M", version="1", reword={"pm1": "Costs $\\frac$ a week"}
        )
        domains = [
            attrs.evolve(d, title="Money $\\frac$ matters") if d.key == "pm" else d
            for d in money.domains
        ]
        app = wf.teach.explorer(attrs.evolve(money, domains=domains))
        assert app.picture.value[:4] == b"\x89PNG"

    def test_a_framework_by_name_and_the_vignette_menu(self) -> None:
        app = wf.teach.explorer("ni_social_wellbeing")
        app.preset.value = "V1"
        app.controls["rb1"].value = "1 not at all"
        assert app.preset.value == ""  # edited: no longer the vignette
        app.preset.value = "V1"  # and it can be chosen again
        assert app.ratings()["rb1"] == wf.load_vignettes().loc[0, "rb1"]

    def test_even_scales_start_at_or_below_the_middle(self) -> None:
        cyp = wf.load_framework("children_young_people")
        app = wf.teach.explorer(cyp)
        assert app.controls[cyp.indicator_keys[0]].value.startswith("2")


class TestGoalsAndViewsHard:
    def test_two_goals_at_one_occasion_are_refused(self) -> None:
        fw = wf.load_framework()
        goal = {
            "person_id": SECRET,
            "wave": 1,
            "rater": "goal",
            **dict.fromkeys(fw.indicator_keys, 4),
        }
        own = {**goal, "rater": "self"}
        scores = pd.concat(
            [wf.score(pd.DataFrame([own, goal]), fw), wf.score(pd.DataFrame([goal]), fw)],
            ignore_index=True,
        )
        with pytest.raises(ValueError, match="1 goals were set at an occasion") as caught:
            wf.cohort.distance_to_goal(scores, fw)
        assert SECRET not in str(caught.value)

    def test_readings_refuse_text_and_off_scale_ratings(self) -> None:
        fw = wf.load_framework()
        own = dict.fromkeys(fw.indicator_keys, 4)
        table = pd.DataFrame(
            [
                {"person_id": "p", "rater": "self", **own},
                {"person_id": "p", "rater": "practitioner", **own},
            ]
        )
        table = table.astype({"sw3": object})
        table.loc[1, "sw3"] = "mostly"
        with pytest.raises(ValueError, match="1 ratings are not numbers"):
            wf.plot.readings(table, fw)
        table.loc[1, "sw3"] = 9
        with pytest.raises(ValueError, match="off the scale"):
            wf.plot.readings(table, fw)

    def test_quadrant_refuses_an_unscored_row(self) -> None:
        fw = wf.load_framework()
        ratings = wf.make_cohort(2, waves=1, seed=1)
        with pytest.raises(ValueError, match="score the ratings first"):
            wf.plot.quadrant(ratings.iloc[0], fw)
        scores = wf.score(ratings, fw).astype({"rb": object})
        scores.loc[0, "rb"] = f"{SECRET} said"
        with pytest.raises(ValueError, match="not a number") as caught:
            wf.plot.quadrant(scores.iloc[0], fw)
        assert SECRET not in str(caught.value)


def test_explore_refuses_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from wellbeing_framework.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["explore", "--port", str(port), "--no-browser"]) == 2
    assert "is in use" in capsys.readouterr().err
    assert main(["explore", "--port", "70000", "--no-browser"]) == 2


def test_theme_keeps_the_notebooks_interactive_mode() -> None:
    """A notebook backend turns interactive mode on with the first figure; leaving the
    library's theme must not turn it off, or later figures are never shown."""
    import matplotlib as mpl

    from wellbeing_framework.plot.style import theme

    was = mpl.is_interactive()
    try:
        mpl.interactive(False)
        with theme():
            mpl.interactive(True)  # what the notebook backend does on the first figure
        assert mpl.is_interactive()
    finally:
        mpl.interactive(was)


def test_the_explorer_leaves_pyplot_alone() -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    backend = plt.get_backend()
    app = wf.teach.explorer()
    app.controls["rb1"].value = "1 not at all"
    assert plt.get_fignums() == before
    assert plt.get_backend() == backend


def test_dropping_one_safety_indicator_keeps_the_flag() -> None:
    fw = wf.load_framework().adapt(key="x", title="X", version="1", drop=["sw5"])
    (flag,) = wf.default_rules(fw).flags
    assert flag.indicators == ("sw3",)
    ratings = dict.fromkeys(fw.indicator_keys, 4) | {"sw3": 1}
    assert wf.score_one(ratings, fw).flags["safeguarding"] is True
