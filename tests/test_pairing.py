"""Assessment identity: pairing by date, else wave; never a person with themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf

NONE = wf.DisclosurePolicy.none()


def sheet(
    framework: wf.Framework, people: dict[str, list[int]], **extra: list[object]
) -> pd.DataFrame:
    """One row per assessment: every indicator rated at the level given."""
    rows = []
    for person, levels in people.items():
        for level in levels:
            rows.append({"person_id": person, **dict.fromkeys(framework.indicator_keys, level)})
    data = pd.DataFrame(rows)
    for column, values in extra.items():
        data[column] = values
    return data


class TestChangePairing:
    def test_no_date_no_wave_is_a_clear_error(self, framework: wf.Framework) -> None:
        """Without a date or a wave, change says what it needs."""
        data = sheet(framework, {"a": [2, 4], "b": [3]}, wave=[1, 2, 1])
        scores = wf.score(data, framework).drop(columns="wave")
        with pytest.raises(ValueError, match="'assessment_date' or 'wave'"):
            wf.cohort.change(scores, framework, reliability=0.8, policy=NONE)

    def test_one_assessment_is_not_paired_with_itself(self, framework: wf.Framework) -> None:
        """A person assessed once has no change (n counts people with two assessments)."""
        data = sheet(framework, {"a": [2, 4], "b": [3], "c": [1, 5]}, wave=[1, 2, 1, 1, 2])
        result = wf.cohort.change(data, framework, reliability=0.8, policy=NONE)
        row = result.summary.set_index("measure").loc["index"]
        assert row["n"] == 2
        assert row["mean_change"] == pytest.approx((50 + 100) / 2)
        assert sorted(result.people["person_id"].unique()) == ["a", "c"]

    def test_wave_orders_when_there_is_no_date(self, framework: wf.Framework) -> None:
        """With waves only, the lower wave is the baseline even if it comes second."""
        data = sheet(framework, {"a": [4, 2]}, wave=[2, 1])
        result = wf.cohort.change(data, framework, reliability=0.8, policy=NONE)
        assert result.people.set_index("measure").loc["index", "difference"] == 50.0

    def test_snapshot_one_wave_without_dates(self, framework: wf.Framework) -> None:
        """One assessment each and no date column: the snapshot works."""
        scores = wf.score(sheet(framework, {"a": [2], "b": [4]}), framework)
        snap = wf.cohort.snapshot(scores, framework, policy=NONE)
        assert snap[snap.measure == "index"]["count"].sum() == 2

    def test_snapshot_several_without_order_is_refused(self, framework: wf.Framework) -> None:
        """Two assessments of one person and nothing to order them: a clear error."""
        scores = wf.score(
            sheet(framework, {"a": [2, 4]}, rater=["self", "practitioner"]), framework
        )
        scores["rater"] = "self"
        with pytest.raises(ValueError, match="which came first"):
            wf.cohort.snapshot(scores, framework, policy=NONE)


class TestAgreementPairing:
    def test_no_dates_pairs_by_wave(self, framework: wf.Framework) -> None:
        """Self and practitioner at the same wave make a pair (no broadcasting crash)."""
        data = sheet(
            framework,
            {"a": [4, 3, 5, 4], "b": [2, 2, 3, 3], "c": [5, 4, 4, 4]},
            wave=[1, 1, 2, 2] * 3,
            rater=["self", "practitioner"] * 6,
        )
        table = wf.cohort.agreement(data, framework, policy=NONE)
        index = table.set_index("measure").loc["index"]
        assert index["n"] == 6
        practitioner_minus_self = [-25, -25, 0, 0, -25, 0]
        assert index["mean_difference"] == pytest.approx(np.mean(practitioner_minus_self))

    def test_cohort_without_dates(self, framework: wf.Framework) -> None:
        """A two-wave cohort with its date column removed pairs by wave, as with dates."""
        cohort = wf.make_cohort(120, waves=2, seed=3)
        with_dates = wf.cohort.agreement(cohort, framework, policy=NONE)
        without = wf.cohort.agreement(
            cohort.drop(columns="assessment_date"), framework, policy=NONE
        )
        pd.testing.assert_frame_equal(with_dates, without)

    def test_no_wave_or_date_is_refused(self, framework: wf.Framework) -> None:
        """Without a wave or date, agreement says what it needs."""
        data = sheet(
            framework, {"a": [4, 3], "b": [2, 2], "c": [5, 4]}, rater=["self", "practitioner"] * 3
        )
        with pytest.raises(ValueError, match="needs a 'wave' or 'assessment_date' column"):
            wf.cohort.agreement(data, framework, policy=NONE)

    def test_same_rater_twice_is_refused(self, framework: wf.Framework) -> None:
        """a == b would pair everyone with themselves: refused."""
        cohort = wf.make_cohort(20, waves=1, seed=1)
        with pytest.raises(ValueError, match="two different raters"):
            wf.cohort.agreement(cohort, framework, a="self", b="self")

    def test_long_data_is_validated_not_coerced(self, framework: wf.Framework) -> None:
        """Long ratings with a boolean or text rating are refused, not scored as 1 or blank."""
        long = wf.to_long(wf.make_cohort(20, waves=2, seed=1), framework)
        long["rating"] = long["rating"].astype(object)
        long.loc[0, "rating"] = True
        with pytest.raises(wf.ValidationError):
            wf.cohort.agreement(long, framework)
        with pytest.raises(wf.ValidationError):
            wf.cohort.change(long, framework)

    def test_month_first_ratings(self, framework: wf.Framework) -> None:
        """change(dayfirst=False) reads US dates in ratings: the change is not reversed."""
        data = sheet(
            framework,
            {"a": [2, 4], "b": [2, 4]},
            assessment_date=["01/02/2025", "03/01/2025"] * 2,
        )
        result = wf.cohort.change(data, framework, reliability=0.8, policy=NONE, dayfirst=False)
        assert result.summary.set_index("measure").loc["index", "mean_change"] == 50.0

    def test_repeated_without_occasion_is_refused(self, framework: wf.Framework) -> None:
        """Two self-ratings of a person and nothing to tell the occasions apart: clear error."""
        data = sheet(
            framework, {"a": [4, 3, 5, 4]}, rater=["self", "practitioner"] * 2, wave=[1, 1, 2, 2]
        )
        scores = wf.score(data, framework).drop(columns="wave")
        with pytest.raises(ValueError, match="'wave'"):
            wf.cohort.agreement(scores, framework, policy=NONE)

    def test_dates_pair_day_first(self, framework: wf.Framework) -> None:
        """Raters pair on the date as read by the one rule (UK text dates)."""
        data = sheet(
            framework,
            {"a": [4, 3], "b": [2, 2]},
            rater=["self", "practitioner"] * 2,
            assessment_date=["10/03/2025"] * 2 + ["13/03/2025"] * 2,
        )
        table = wf.cohort.agreement(data, framework, policy=NONE)
        assert table.set_index("measure").loc["index", "n"] == 2


class TestChoosingAWave:
    def test_waves_stored_as_text(self, framework: wf.Framework) -> None:
        """Waves written as text ('1', '2') are compared as numbers, not silently missed."""
        data = sheet(framework, {"a": [2, 4], "b": [2, 4]}, wave=["1", "2"] * 2)
        scores = wf.score(data, framework)
        result = wf.cohort.change(scores, framework, 1, 2, reliability=0.8, policy=NONE)
        assert result.summary.set_index("measure").loc["index", "n"] == 2

    def test_numpy_and_float_wave_numbers(self, framework: wf.Framework) -> None:
        """np.int64(1) and 1.0 choose wave 1, like 1."""
        scores = wf.score(wf.make_cohort(30, waves=2, seed=1), framework)
        expected = wf.cohort.snapshot(scores, framework, 1, policy=NONE)
        for which in (np.int64(1), 1.0):
            got = wf.cohort.snapshot(scores, framework, which, policy=NONE)
            pd.testing.assert_frame_equal(got, expected)

    def test_missing_wave_and_early_date_are_errors(self, framework: wf.Framework) -> None:
        """A wave nobody has, or a date before every assessment, is an error, not zeros."""
        scores = wf.score(wf.make_cohort(30, waves=2, seed=1), framework)
        with pytest.raises(ValueError, match="no assessment at wave 7"):
            wf.cohort.snapshot(scores, framework, 7)
        with pytest.raises(ValueError, match="no assessment on or before"):
            wf.cohort.snapshot(scores, framework, "01/01/1900")

    def test_follow_up_before_baseline(self, framework: wf.Framework) -> None:
        """baseline=2, follow_up=1 says the order is reversed."""
        cohort = wf.make_cohort(30, waves=2, seed=1)
        with pytest.raises(ValueError, match="comes before the baseline"):
            wf.cohort.change(cohort, framework, 2, 1)


class TestFollowUps:
    def test_month_first_scores_table(self, framework: wf.Framework) -> None:
        """A scores table whose dates are US text is read month first when asked."""
        data = sheet(framework, {"a": [2, 4], "b": [2, 4]}, assessment_date=["x"] * 4)
        data["assessment_date"] = ["01/02/2025", "03/01/2025"] * 2
        scores = wf.score(data, framework, dayfirst=False)
        scores["assessment_date"] = ["01/02/2025", "03/01/2025"] * 2
        result = wf.cohort.change(scores, framework, reliability=0.8, policy=NONE, dayfirst=False)
        assert result.summary.set_index("measure").loc["index", "mean_change"] == 50.0
        cut = wf.cohort.change(
            scores, framework, "first", "03/02/2025", reliability=0.8, policy=NONE, dayfirst=False
        )
        assert cut.summary.set_index("measure").loc["index", "n"] == 2

    def test_same_baseline_and_follow_up(self, framework: wf.Framework) -> None:
        """baseline == follow_up is an error, not n = 0."""
        with pytest.raises(ValueError, match="same"):
            wf.cohort.change(wf.make_cohort(20, waves=2, seed=1), framework, 1, 1)

    def test_agreement_waves_as_text_and_numbers(self, framework: wf.Framework) -> None:
        """Self at wave 1 and practitioner at wave '1' are the same occasion."""
        cohort = wf.make_cohort(40, waves=1, seed=2)
        cohort["wave"] = cohort["wave"].astype(object)
        cohort.loc[cohort.rater == "practitioner", "wave"] = " 1"
        table = wf.cohort.agreement(cohort, framework, policy=NONE)
        assert table["n"].iloc[0] > 0

    def test_duplicate_across_wave_spellings(self, framework: wf.Framework) -> None:
        """Waves 1 and '1' of the same person and rater are one assessment entered twice."""
        data = sheet(framework, {"a": [2, 4]}, wave=[1, "1"])
        assert wf.validate(data, framework).n_rejected == 2
