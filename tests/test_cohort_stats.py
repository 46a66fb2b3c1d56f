"""Cohort statistics against independent references: hand-worked, published, pingouin, scipy."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

import wellbeing_framework as wf
from wellbeing_framework.cohort.agreement import icc_a1, weighted_kappa
from wellbeing_framework.cohort.change import bootstrap_mean_ci
from wellbeing_framework.cohort.reliability import cronbach_alpha

NONE = wf.DisclosurePolicy.none()


@pytest.fixture(scope="module")
def reversed_fw() -> wf.Framework:
    """A user-defined instrument with reverse-keyed items on a 1-6 scale."""
    return wf.framework_from_dict(
        {
            "key": "mini_bfi",
            "title": "Mini BFI",
            "version": "1",
            "scale": {"min": 1, "max": 6},
            "domains": [
                {
                    "key": "agree",
                    "title": "Agreeableness",
                    "indicators": [
                        {"key": "A1", "text": "indifferent", "reverse": True},
                        {"key": "A2", "text": "inquire"},
                        {"key": "A3", "text": "comfort"},
                    ],
                },
                {
                    "key": "consc",
                    "title": "Conscientiousness",
                    "indicators": [
                        {"key": "C1", "text": "exacting"},
                        {"key": "C2", "text": "continue"},
                        {"key": "C4", "text": "half-way", "reverse": True},
                        {"key": "C5", "text": "waste", "reverse": True},
                    ],
                },
            ],
        }
    )


class TestReliability:
    def test_hand_worked_alpha(self) -> None:
        """Three items, four people: alpha = 1.5 * (1 - 4.1667/11.3333) = 0.94853."""
        x = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 4.0]])
        alpha, n = cronbach_alpha(x)
        assert alpha == pytest.approx(
            1.5 * (1 - (5 / 3 + 19 / 12 + 11 / 12) / (34 / 3)), abs=1e-12
        )
        assert n == 4

    def test_agrees_with_pingouin(self, framework: wf.Framework) -> None:
        """Pairwise and listwise alpha equal pingouin's to 1e-9; Feldt CI to 1e-3."""
        cohort = wf.make_cohort(400, waves=1, seed=11)
        ratings = cohort[cohort["rater"] == "self"]
        table = wf.cohort.reliability(ratings, framework, policy=NONE).set_index("domain")
        for domain in framework.domains:
            items = ratings[[i.key for i in domain.indicators]].dropna(how="all")
            alpha, ci = pg.cronbach_alpha(items)
            assert table.loc[domain.key, "alpha"] == pytest.approx(alpha, abs=1e-9)
            assert table.loc[domain.key, "ci_low"] == pytest.approx(ci[0], abs=1e-3)
            assert table.loc[domain.key, "ci_high"] == pytest.approx(ci[1], abs=1e-3)
            listwise, _ = pg.cronbach_alpha(items, nan_policy="listwise")
            assert table.loc[domain.key, "alpha_listwise"] == pytest.approx(listwise, abs=1e-9)
            assert table.loc[domain.key, "n"] == len(items)

    def test_reverse_keyed_instrument(self, reversed_fw: wf.Framework) -> None:
        """Reverse-keyed items are reversed before alpha, matching pingouin on reversed data."""
        data = wf.make_cohort(300, waves=1, seed=12, framework=reversed_fw)
        data = data[data["rater"] == "self"]
        table = wf.cohort.reliability(data, reversed_fw).set_index("domain")
        reference = data[["C1", "C2", "C4", "C5"]].copy()
        reference[["C4", "C5"]] = 7 - reference[["C4", "C5"]]
        expected, _ = pg.cronbach_alpha(reference.dropna(how="all"))
        assert table.loc["consc", "alpha"] == pytest.approx(expected, abs=1e-9)
        assert table.loc["consc", "alpha"] > 0.6  # without reversal it would be near zero

    def test_item_statistics(self, framework: wf.Framework) -> None:
        """Alpha if deleted matches pingouin without the item; item-rest r matches pandas."""
        ratings = wf.make_cohort(300, waves=1, seed=13)
        ratings = ratings[ratings["rater"] == "self"]
        items = wf.cohort.reliability(ratings, framework, level="item").set_index("indicator")
        rb = ratings[["rb1", "rb2", "rb3", "rb4"]]
        without, _ = pg.cronbach_alpha(rb[["rb2", "rb3", "rb4"]].dropna(how="all"))
        present = rb.dropna(how="all")
        without_pw, _ = pg.cronbach_alpha(present[["rb2", "rb3", "rb4"]])
        assert items.loc["rb1", "alpha_if_deleted"] == pytest.approx(without_pw, abs=1e-9)
        assert abs(without - without_pw) < 0.01
        complete = rb.dropna()
        r = complete["rb1"].corr(complete[["rb2", "rb3", "rb4"]].sum(axis=1))
        assert items.loc["rb1", "item_rest_r"] == pytest.approx(r, abs=1e-12)

    def test_counts_through_policy(self, framework: wf.Framework) -> None:
        """n is published rounded; a domain answered by fewer than 8 people is hidden."""
        ratings = wf.make_cohort(203, waves=1, seed=15, practitioner_share=0)
        table = wf.cohort.reliability(ratings, framework)
        assert (table["n"] % 5 == 0).all()
        tiny = wf.cohort.reliability(ratings.head(5), framework)
        assert tiny["n"].isna().all()
        assert tiny["alpha"].isna().all()

    def test_long_input(self, framework: wf.Framework) -> None:
        """Long ratings give the same table as wide."""
        ratings = wf.make_cohort(100, waves=1, seed=14, practitioner_share=0)
        wide = wf.cohort.reliability(ratings, framework)
        long = wf.cohort.reliability(wf.to_long(ratings, framework), framework)
        pd.testing.assert_frame_equal(wide, long)


class TestReliableChange:
    def test_published_example(self) -> None:
        """Jacobson & Truax (1991): SD 7.5, r = .88, 32 -> 20 gives RC = -3.27."""
        out = wf.cohort.reliable_change(
            pd.Series([32.0]), pd.Series([20.0]), reliability=0.88, sd=7.5, higher_is_better=False
        )
        se = 7.5 * np.sqrt(1 - 0.88)
        assert out.loc[0, "rci"] == pytest.approx(-12 / (np.sqrt(2) * se))
        assert round(out.loc[0, "rci"], 2) == -3.27
        assert out.loc[0, "category"] == "improved"

    def test_categories_and_default_sd(self) -> None:
        """SD defaults to the sample SD of pre; the 1.96 threshold splits the categories."""
        pre = np.array([40.0, 50, 60, 70, 80])
        sd = pre.std(ddof=1)  # 15.811
        s_diff = np.sqrt(2) * sd * np.sqrt(1 - 0.9)
        post = pre + np.array([2 * s_diff, 1.9 * s_diff, 0, -1.9 * s_diff, -2 * s_diff])
        out = wf.cohort.reliable_change(pre, post, reliability=0.9)
        assert out["rci"].round(6).tolist() == [2.0, 1.9, 0.0, -1.9, -2.0]
        assert out["category"].tolist() == [
            "improved",
            "no reliable change",
            "no reliable change",
            "no reliable change",
            "deteriorated",
        ]

    def test_missing_and_bad_reliability(self) -> None:
        """Missing values give missing results; reliability must be in (0, 1)."""
        out = wf.cohort.reliable_change([1.0, np.nan], [2.0, 3.0], reliability=0.8, sd=1)
        assert pd.isna(out.loc[1, "category"])
        with pytest.raises(ValueError, match="between 0 and 1"):
            wf.cohort.reliable_change([1.0], [2.0], reliability=1.0)

    def test_cutoffs(self) -> None:
        """a = 40 + 2*10, b = 70 - 2*8, c = (10*70 + 8*40)/18."""
        cut = wf.cohort.jacobson_truax_cutoffs(40, 10, 70, 8)
        assert (cut.a, cut.b) == (60, 54)
        assert cut.c == pytest.approx((10 * 70 + 8 * 40) / 18)
        assert wf.cohort.jacobson_truax_cutoffs(40, 10).b is None
        lower_better = wf.cohort.jacobson_truax_cutoffs(30, 5, 10, 4, higher_is_better=False)
        assert (lower_better.a, lower_better.b) == (20, 18)


class TestChange:
    def test_hand_worked_people(self, framework: wf.Framework) -> None:
        """Differences, RCI and band transitions for two people, by hand."""
        rows = []
        for pid, first, last in [("a", 2, 4), ("b", 3, 3)]:
            for wave, value, day in [(1, first, "2026-01-10"), (2, last, "2026-05-10")]:
                rows.append(
                    {"person_id": pid, "assessment_date": day, "wave": wave}
                    | dict.fromkeys(framework.indicator_keys, value)
                )
        result = wf.cohort.change(pd.DataFrame(rows), framework, reliability=0.8, policy=NONE)
        people = result.people[result.people["measure"] == "rb"].set_index("person_id")
        assert people.loc["a", "baseline"] == 25.0
        assert people.loc["a", "follow_up"] == 75.0
        assert people.loc["a", "difference"] == 50.0
        sd = np.std([25.0, 50.0], ddof=1)
        assert people.loc["a", "rci"] == pytest.approx(50 / (np.sqrt(2) * sd * np.sqrt(0.2)))
        assert people.loc["a", "transition"] == "some need -> thriving"
        assert people.loc["b", "category"] == "no reliable change"
        summary = result.summary.set_index("measure")
        assert summary.loc["rb", "mean_change"] == 25.0
        assert summary.loc["rb", "effect_size"] == pytest.approx(25.0 / sd)
        assert summary.loc["rb", "reliability_source"] == "given"

    def test_alpha_used_when_not_given(self, framework: wf.Framework) -> None:
        """Without reliability=, each measure uses Cronbach's alpha of the baseline ratings."""
        cohort = wf.make_cohort(300, waves=2, seed=15)
        result = wf.cohort.change(cohort, framework)
        baseline = cohort[(cohort["wave"] == 1) & (cohort["rater"] == "self")]
        expected, _ = pg.cronbach_alpha(baseline[["rb1", "rb2", "rb3", "rb4"]].dropna(how="all"))
        summary = result.summary.set_index("measure")
        assert summary.loc["rb", "reliability"] == pytest.approx(expected, abs=1e-9)
        assert summary.loc["rb", "reliability_source"] == "Cronbach's alpha at baseline"
        assert "Cronbach's alpha" in result.note
        assert "<table" in result._repr_html_()

    def test_scores_need_reliability(self, framework: wf.Framework) -> None:
        """A scores table has no items: reliability must be given."""
        scores = wf.score(wf.make_cohort(50, waves=2, seed=16), framework)
        with pytest.raises(ValueError, match="reliability= is needed"):
            wf.cohort.change(scores, framework)
        assert len(wf.cohort.change(scores, framework, reliability=0.85).summary) == 5

    def test_counts_through_policy(self, framework: wf.Framework) -> None:
        """Published counts are multiples of 5 or hidden; a tiny cohort's statistics hidden."""
        result = wf.cohort.change(wf.make_cohort(200, waves=2, seed=17), framework)
        for column in ["n", "improved", "no_reliable_change", "deteriorated"]:
            for value in result.summary[column]:
                assert value is None or pd.isna(value) or value % 5 == 0
        tiny = wf.cohort.change(wf.make_cohort(5, waves=2, seed=17), framework)
        assert tiny.summary["mean_change"].isna().all()
        assert tiny.summary["n"].isna().all()

    def test_bootstrap_against_normal_theory(self) -> None:
        """The bootstrap CI of a mean of 5,000 values is close to mean ± 1.96 SE."""
        values = np.random.default_rng(3).integers(-20, 21, size=5000).astype(float)
        low, high = bootstrap_mean_ci(values, n_boot=4000, seed=5)
        se = values.std(ddof=1) / np.sqrt(len(values))
        assert low == pytest.approx(values.mean() - 1.96 * se, abs=0.1 * se * 1.96 + 0.02)
        assert high == pytest.approx(values.mean() + 1.96 * se, abs=0.1 * se * 1.96 + 0.02)
        assert bootstrap_mean_ci(values, seed=5) == bootstrap_mean_ci(values, seed=5)


class TestAgreement:
    def test_shrout_fleiss_published(self) -> None:
        """Shrout & Fleiss (1979) Table 2 data: ICC(2,1) = .29."""
        x = np.array(
            [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
            dtype=float,
        )
        assert round(icc_a1(x).value, 2) == 0.29

    def test_icc_matches_pingouin(self, framework: wf.Framework) -> None:
        """ICC(A,1) and its CI equal pingouin's ICC2 on the same pairs."""
        cohort = wf.make_cohort(300, waves=1, seed=18)
        table = wf.cohort.agreement(cohort, framework, policy=NONE).set_index("measure")
        scores = wf.score(cohort, framework)
        pairs = scores.pivot_table(
            index=["person_id", "assessment_date"], columns="rater", values="sw"
        ).dropna()
        long = pairs.reset_index().melt(
            id_vars=["person_id", "assessment_date"], value_vars=["self", "practitioner"]
        )
        reference = pg.intraclass_corr(long, targets="person_id", raters="rater", ratings="value")
        icc2 = reference.set_index("Type").loc["ICC(A,1)"]
        assert table.loc["sw", "icc"] == pytest.approx(icc2["ICC"], abs=1e-9)
        assert table.loc["sw", "icc_low"] == pytest.approx(icc2["CI95"][0], abs=0.01)
        assert table.loc["sw", "icc_high"] == pytest.approx(icc2["CI95"][1], abs=0.01)
        assert table.loc["sw", "n"] == len(pairs)
        diff = pairs["practitioner"] - pairs["self"]
        assert table.loc["sw", "mean_difference"] == pytest.approx(diff.mean())
        assert table.loc["sw", "loa_high"] == pytest.approx(diff.mean() + 1.96 * diff.std(), 1e-4)

    def test_weighted_kappa_by_hand(self) -> None:
        """A 3-category example worked by hand: kappa_w = 1 - (0.5/6)/(1/3) = 0.75."""
        a = np.array([1, 1, 2, 2, 3, 3])
        b = np.array([1, 2, 2, 3, 3, 3])
        assert weighted_kappa(a, b, np.array([1, 2, 3])) == pytest.approx(0.75)

    def test_kappa_only_for_ratings(self, framework: wf.Framework) -> None:
        """A scores table has no items, so kappa is missing."""
        scores = wf.score(wf.make_cohort(200, waves=1, seed=19), framework)
        table = wf.cohort.agreement(scores, framework)
        assert table["kappa_w"].isna().all()
        assert table["icc"].notna().all()


class TestSnapshotAndGroups:
    def test_snapshot_by_hand(self, framework: wf.Framework) -> None:
        """Four people: counts and shares of each band, first and last wave."""
        rows = []
        for pid, first, last in [("a", 1, 5), ("b", 2, 5), ("c", 4, 4), ("d", 5, 2)]:
            for wave, value in [(1, first), (2, last)]:
                rows.append(
                    {"person_id": pid, "wave": wave}
                    | dict.fromkeys(framework.indicator_keys, value)
                )
        scores = wf.score(pd.DataFrame(rows), framework)
        first = wf.cohort.snapshot(scores, framework, "first", policy=NONE)
        index = first[first["measure"] == "index"].set_index("band")
        assert index["count"].tolist() == [1, 1, 0, 2, 0]
        assert index.loc["thriving", "share"] == 0.5
        last = wf.cohort.snapshot(scores, framework, 2, policy=NONE)
        assert last[last["measure"] == "rb"].set_index("band").loc["thriving", "count"] == 3

    def test_snapshot_suppresses(self, framework: wf.Framework) -> None:
        """With the default policy, a band of 1 to 7 people is hidden along with its share."""
        scores = wf.score(wf.make_cohort(60, waves=1, seed=20), framework)
        snap = wf.cohort.snapshot(scores, framework)
        hidden = snap["count"].isna()
        assert snap.loc[hidden, "share"].isna().all()

    def test_compare_groups_against_scipy(self, framework: wf.Framework) -> None:
        """Group mean CI equals scipy's t interval; the gap CI equals Welch's t-test CI."""
        scores = wf.score(wf.make_cohort(500, waves=1, seed=21), framework)
        scores = scores[scores["rater"] == "self"]
        table = wf.cohort.compare_groups(scores, framework, by="area", policy=NONE)
        row = table[(table["area"] == "Belfast") & (table["measure"] == "index")].iloc[0]
        inside = scores.loc[scores["area"] == "Belfast", "index"].dropna()
        rest = scores.loc[scores["area"] != "Belfast", "index"].dropna()
        low, high = stats.t.interval(0.95, len(inside) - 1, inside.mean(), stats.sem(inside))
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
        welch = stats.ttest_ind(inside, rest, equal_var=False).confidence_interval(0.95)
        assert (row["gap_low"], row["gap_high"]) == pytest.approx((welch.low, welch.high))
        assert row["gap"] == pytest.approx(inside.mean() - rest.mean())

    def test_small_group_suppressed(self, framework: wf.Framework) -> None:
        """Statistics of a group of fewer than 8 are hidden with its n."""
        scores = wf.score(wf.make_cohort(80, waves=1, seed=22), framework)
        scores = scores[scores["rater"] == "self"].copy()
        scores["site"] = ["tiny"] * 5 + ["big"] * (len(scores) - 5)
        table = wf.cohort.compare_groups(scores, framework, by="site")
        tiny = table[table["site"] == "tiny"]
        assert tiny["n"].isna().all()
        assert tiny[["mean", "ci_low", "gap"]].isna().all(axis=None)


class TestPseudonymise:
    def test_keyed_hmac(self) -> None:
        """Pseudonyms are HMAC-SHA-256 with the key, not a plain hash."""
        key = "correct horse battery staple"
        out = wf.pseudonymise(pd.Series(["H1", "H2", "H1"]), key=key)
        expected = hmac.new(key.encode(), b"H1", hashlib.sha256).hexdigest()[:16]
        assert out.tolist() == [expected, out[1], expected]
        assert out[0] != hashlib.sha256(b"H1").hexdigest()[:16]

    def test_different_keys_differ(self) -> None:
        """Another key gives unrelated pseudonyms."""
        a = wf.pseudonymise(["H1"], key="first key, sixteen+")
        b = wf.pseudonymise(["H1"], key="second key, sixteen+")
        assert a[0] != b[0]

    def test_key_from_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The key may come from WELLBEING_PSEUDONYM_KEY; without one it refuses."""
        monkeypatch.delenv("WELLBEING_PSEUDONYM_KEY", raising=False)
        with pytest.raises(wf.WellbeingFrameworkError, match="no pseudonymisation key"):
            wf.pseudonymise(["H1"])
        monkeypatch.setenv("WELLBEING_PSEUDONYM_KEY", "environment key 123456")
        assert (
            wf.pseudonymise(["H1"])[0] == wf.pseudonymise(["H1"], key="environment key 123456")[0]
        )
        with pytest.raises(wf.WellbeingFrameworkError, match="at least 16"):
            wf.pseudonymise(["H1"], key="short")

    def test_missing_stay_missing(self) -> None:
        """Missing identifiers are not turned into pseudonyms."""
        out = wf.pseudonymise(["H1", None, np.nan], key="a key that is long enough")
        assert out[1] is None
        assert out[2] is None


class TestMethodologicalHonesty:
    def test_stratified_alpha_hand_worked(self) -> None:
        """Stratified alpha against the formula worked by hand on four people."""
        from wellbeing_framework.cohort.reliability import stratified_alpha

        parts = np.array([[40.0, 50], [55, 60], [70, 65], [65, 80]])
        # variances 175, 156.25 (ddof 1); var of the sum 12.5^2 * ... worked out below
        total = parts.sum(axis=1)  # 90, 115, 135, 145
        var_total = np.var(total, ddof=1)  # 595.8333...
        expected = 1 - (175.0 * (1 - 0.8) + 156.25 * (1 - 0.7)) / var_total
        assert np.var(parts[:, 0], ddof=1) == pytest.approx(175.0)
        assert np.var(parts[:, 1], ddof=1) == pytest.approx(156.25)
        assert stratified_alpha(parts, [0.8, 0.7])[0] == pytest.approx(expected, abs=1e-12)

    def test_change_uses_stratified_alpha_for_index(self, framework: wf.Framework) -> None:
        """By default the index's reliability is stratified alpha, and the note says so."""
        from wellbeing_framework.cohort.reliability import stratified_alpha

        cohort = wf.make_cohort(300, waves=2, seed=8)
        result = wf.cohort.change(cohort, framework, policy=NONE)
        summary = result.summary.set_index("measure")
        base = wf.score(cohort, framework)
        base = base[(base.rater == "self") & (base.wave == 1)]
        domains = [d.key for d in framework.domains]
        expected, _ = stratified_alpha(
            base[domains].to_numpy(dtype=float), summary.loc[domains, "reliability"].tolist()
        )
        assert summary.loc["index", "reliability"] == pytest.approx(expected)
        assert summary.loc["index", "reliability_source"].startswith("stratified alpha")
        assert "stratified alpha" in result.note
        assert "1.959964" in result.note
        pooled = wf.cohort.change(cohort, framework, policy=NONE, index_reliability="pooled")
        assert pooled.summary.set_index("measure").loc["index", "reliability"] < expected

    def test_compare_groups_intervals_and_holm(self, framework: wf.Framework) -> None:
        """Pooled and Welch intervals and p against scipy; Holm against statsmodels."""
        from statsmodels.stats.multitest import multipletests

        scores = wf.score(wf.make_cohort(400, waves=1, seed=9), framework)
        scores = scores[scores.rater == "self"]
        table = wf.cohort.compare_groups(scores, framework, by="client_group", policy=NONE)
        index = table[table.measure == "index"].set_index("client_group")
        for group, row in index.iterrows():
            x = scores.loc[scores.client_group == group, "index"].dropna()
            y = scores.loc[scores.client_group != group, "index"].dropna()
            pooled = stats.ttest_ind(x, y, equal_var=True).confidence_interval(0.95)
            welch = stats.ttest_ind(x, y, equal_var=False)
            assert row["gap_low_pooled"] == pytest.approx(pooled.low)
            assert row["gap_high_pooled"] == pytest.approx(pooled.high)
            assert row["gap_low"] == pytest.approx(welch.confidence_interval(0.95).low)
            assert row["p"] == pytest.approx(welch.pvalue)
        holm = multipletests(index["p"].to_numpy(), method="holm")[1]
        assert index["p_holm"].to_numpy() == pytest.approx(holm)


class TestSayWhatIsNotThere:
    def test_constant_ratings_alpha_note(self, framework: wf.Framework) -> None:
        """Ratings that do not vary give no alpha and say why; no warning, no crash."""
        data = pd.DataFrame(
            {
                "person_id": [f"p{i}" for i in range(12)],
                **dict.fromkeys(framework.indicator_keys, 3),
            }
        )
        table = wf.cohort.reliability(data, framework, policy=NONE)
        assert table["alpha"].isna().all()
        assert (table["note"] == "not enough data: the ratings do not vary").all()

    def test_change_of_one_person(self, framework: wf.Framework) -> None:
        """One person assessed twice: the summary says there is not enough data."""
        data = pd.DataFrame(
            {
                "person_id": ["a", "a"],
                "wave": [1, 2],
                **{k: [2, 4] for k in framework.indicator_keys},
            }
        )
        result = wf.cohort.change(data, framework, policy=NONE)
        row = result.summary.set_index("measure").loc["index"]
        assert np.isnan(row["mean_change"])
        assert "not enough data" in row["note"]
        assert "reliability could not be estimated" in row["note"]

    def test_one_wave_report(self, framework: wf.Framework) -> None:
        """A report on one wave says change needs two assessments; no table of zeros."""
        cohort = wf.make_cohort(60, waves=1, seed=2)
        page = wf.cohort_report(cohort, framework)
        change_part = page.split("<h2>Change over time</h2>")[1].split("<h2>")[0]
        assert "Change needs two assessments of the same person" in change_part
        assert "<table" not in change_part
        assert ">nan<" not in page
        assert "&lt;NA&gt;" not in page


def test_reliability_validates_ratings(framework: wf.Framework) -> None:
    """An off-scale rating is refused, not used in alpha."""
    cohort = wf.make_cohort(50, waves=1, seed=3)
    cohort.loc[0, "rb1"] = 9
    with pytest.raises(wf.ValidationError):
        wf.cohort.reliability(cohort, framework)
