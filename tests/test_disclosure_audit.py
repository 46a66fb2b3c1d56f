"""No suppressed figure can be worked back from any published table (differencing audit)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wellbeing_framework as wf
from auditor import (
    audit_change_summary,
    audit_count_table,
    audit_group_means,
    disclosed_counts,
    enumerate_hidden,
)
from wellbeing_framework.cohort.select import choose_rows
from wellbeing_framework.report import published_tables

POLICIES = ("nhs", "10-5", "threshold-10")
AUDIT = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def small_cohorts(draw: st.DrawFn) -> tuple[pd.DataFrame, wf.DisclosurePolicy]:
    """A small synthetic cohort (3 to 60 people, 1 to 3 waves) with an uneven 'team'."""
    n = draw(st.integers(3, 60))
    waves = draw(st.integers(1, 3))
    seed = draw(st.integers(0, 10_000))
    cohort = wf.make_cohort(n, waves=waves, seed=seed)
    sizes = draw(st.lists(st.integers(1, 30), min_size=2, max_size=4))
    people = cohort["person_id"].unique()
    teams = np.repeat(np.arange(len(sizes)), sizes)
    team = dict(zip(people, np.resize(teams, len(people)), strict=True))
    cohort["team"] = cohort["person_id"].map(team).map(lambda t: f"team {t}")
    policy = wf.DisclosurePolicy.preset(draw(st.sampled_from(POLICIES)))
    return cohort, policy


class TestAuditorFindsLeaks:
    """The auditor itself: it finds the leaks the library used to have."""

    def test_single_hidden_cell_with_exact_total(self) -> None:
        """Total minus the shown cells pins a lone suppressed cell."""
        policy = wf.DisclosurePolicy.preset("threshold-10")
        assert disclosed_counts([40, None, 20, 15], 78, policy) == [1]

    def test_rounded_cells_narrow_a_cell(self) -> None:
        """A total of 10 and a shown 10 leave a hidden cell of at most 4."""
        assert disclosed_counts([10, None], 10, wf.DisclosurePolicy()) == [1]

    def test_secondary_suppression_protects(self) -> None:
        """Two hidden cells and rounding keep both within wide intervals."""
        assert disclosed_counts([40, None, 20, None], 80, wf.DisclosurePolicy()) == []

    def test_gap_against_a_suppressed_group(self, framework: wf.Framework) -> None:
        """The old compare_groups (gap to a hidden group) is caught by the mean audit."""
        scores = wf.score(wf.make_cohort(60, waves=1, seed=2), framework)
        scores = scores[scores.rater == "self"].copy()
        scores["team"] = ["big"] * 52 + ["small"] * (len(scores) - 52)

        def leaky(data: pd.DataFrame) -> pd.DataFrame:
            rows = []
            big, small = data[data.team == "big"], data[data.team == "small"]
            rows.append(
                {
                    "team": "big",
                    "measure": "index",
                    "n": 50,
                    "mean": big["index"].mean(),
                    "gap": big["index"].mean() - small["index"].mean(),
                    "overall": data["index"].mean(),
                }
            )
            rows.append(
                {
                    "team": "small",
                    "measure": "index",
                    "n": None,
                    "mean": np.nan,
                    "gap": np.nan,
                    "overall": data["index"].mean(),
                }
            )
            return pd.DataFrame(rows)

        assert audit_group_means(scores, leaky, by="team", measures=["index"])


class TestPublishedTablesCannotBeDifferenced:
    @AUDIT
    @given(small_cohorts())
    def test_snapshot(self, framework: wf.Framework, case: tuple) -> None:
        """Band counts against n, every measure, first and last wave."""
        cohort, policy = case
        scores = wf.score(cohort, framework)
        for which in ("first", "last"):
            snap = wf.cohort.snapshot(scores, framework, which, policy=policy)
            assert (
                audit_count_table(snap, by=["measure"], count="count", total="n", policy=policy)
                == []
            )

    @AUDIT
    @given(small_cohorts())
    def test_change(self, framework: wf.Framework, case: tuple) -> None:
        """Improved / no reliable change / deteriorated against n."""
        cohort, policy = case
        if cohort["wave"].max() < 2:
            return
        result = wf.cohort.change(cohort, framework, reliability=0.85, policy=policy)
        assert audit_change_summary(result.summary, policy) == []

    @AUDIT
    @given(small_cohorts())
    def test_compare_groups(self, framework: wf.Framework, case: tuple) -> None:
        """Group means, gaps and the overall never give back a suppressed group's mean,
        and group counts against the cohort total give back no small count."""
        cohort, policy = case
        scores = wf.score(cohort, framework)
        latest = scores.iloc[choose_rows(scores, "last")]
        for by in ("team", "client_group"):
            found = audit_group_means(
                latest,
                lambda data, by=by: wf.cohort.compare_groups(
                    data, framework, by=by, policy=policy
                ),
                by=by,
                measures=["index", "rb"],
            )
            assert found == []
            table = wf.cohort.compare_groups(latest, framework, by=by, policy=policy)
            for measure in ("index", "rb"):
                block = table[table.measure == measure]
                if latest[measure].notna().all():  # the n's add up to the cohort
                    total = policy.apply_total(float(len(latest)))
                    assert disclosed_counts(block["n"].tolist(), total, policy) == []

    @AUDIT
    @given(small_cohorts())
    def test_continuum_mix(self, framework: wf.Framework, case: tuple) -> None:
        """Approach counts against n, whole cohort and by group."""
        cohort, policy = case
        placed = wf.place_on_continuum(wf.score(cohort, framework), framework)
        latest = placed.iloc[choose_rows(placed, "last")]
        mix = wf.cohort.continuum_mix(latest, policy=policy)
        assert (
            audit_count_table(
                mix.assign(all=1), by=["all"], count="count", total="n", policy=policy
            )
            == []
        )
        by_team = wf.cohort.continuum_mix(latest, by="team", policy=policy)
        assert (
            audit_count_table(by_team, by=["team"], count="count", total="n", policy=policy) == []
        )

    @AUDIT
    @given(small_cohorts())
    def test_report_tables(self, framework: wf.Framework, case: tuple) -> None:
        """Every table of the report, and the report's totals against its group counts."""
        cohort, policy = case
        tables = published_tables(cohort, framework, policy=policy, group="team")
        if tables.n_people is None:  # too small: nothing at all is published
            assert tables.snapshot_first is None
            assert tables.groups is None
            assert tables.change is None
            assert tables.mix is None
            return
        for snap in (tables.snapshot_first, tables.snapshot_last):
            assert (
                audit_count_table(snap, by=["measure"], count="count", total="n", policy=policy)
                == []
            )
        if tables.change is not None:
            assert audit_change_summary(tables.change.summary, policy) == []
        assert (
            audit_count_table(
                tables.mix.assign(all=1), by=["all"], count="count", total="n", policy=policy
            )
            == []
        )
        groups = tables.groups
        assert groups is not None
        scores = wf.score(cohort, framework)
        latest = scores.iloc[choose_rows(scores, "last")]
        if latest["index"].notna().all():
            block = groups[groups.measure == "index"]
            assert disclosed_counts(block["n"].tolist(), tables.n_people, policy) == []


class TestTooSmallToPublish:
    def test_one_person_report_publishes_nothing(self, framework: wf.Framework) -> None:
        """A one-person report: no index, no months, and the reason."""
        cohort = wf.make_cohort(1, waves=2, seed=4)
        page = wf.cohort_report(cohort, framework)
        assert "fewer than 8 people" in page
        for absent in ("Snapshot", "Change over time", "<img", "Period", "2025"):
            assert absent not in page.split("<h2>Methods</h2>")[0]

    def test_cohort_of_three(self, framework: wf.Framework) -> None:
        """Three people: no statistics."""
        tables = published_tables(wf.make_cohort(3, waves=2, seed=1), framework)
        assert tables.n_people is None
        assert tables.snapshot_first is None

    def test_forty_person_team_change_is_not_100_percent(self, framework: wf.Framework) -> None:
        """'100 % improved' never appears when the other categories are suppressed."""
        cohort = wf.make_cohort(40, waves=2, seed=11)
        page = wf.cohort_report(cohort, framework)
        assert "100% improved" not in page
        assert "suppressed" in page

    @pytest.mark.parametrize("policy", POLICIES)
    def test_two_groups_one_small(self, framework: wf.Framework, policy: str) -> None:
        """Two groups, one suppressed: no gap is published against it, no overall with it."""
        scores = wf.score(wf.make_cohort(45, waves=1, seed=3), framework)
        scores = scores[scores.rater == "self"].copy()
        scores["team"] = ["a"] * 40 + ["b"] * (len(scores) - 40)
        table = wf.cohort.compare_groups(
            scores, framework, by="team", policy=wf.DisclosurePolicy.preset(policy)
        )
        index = table[table.measure == "index"]
        assert index["gap"].isna().all()
        assert "b" not in set(index["team"])
        shown = index[index["mean"].notna()]
        assert (shown["overall"] == shown["mean"]).all() or shown.empty


class TestSaysWhatWasHidden:
    def test_hidden_cells_always_visible_in_bars(self, framework: wf.Framework) -> None:
        """When rounded shown counts fill n, hidden cells still get a suppressed segment."""
        from wellbeing_framework.cohort.disclosure import MIN_SUPPRESSED_SHARE

        cohort = wf.make_cohort(52, waves=2, seed=0)
        scores = wf.score(cohort[cohort.rater == "self"], framework)
        snap = wf.cohort.snapshot(scores, framework)
        ax = wf.plot.snapshot(snap)
        for measure, block in snap.groupby("measure", sort=False):
            segment = next(p for p in ax.patches if p.get_gid() == f"band:{measure}:suppressed")
            if block["count"].isna().any():
                assert segment.get_width() >= 100 * MIN_SUPPRESSED_SHARE - 1e-9
            else:
                assert segment.get_width() == 0

    def test_combined_row_names_its_groups(self, framework: wf.Framework) -> None:
        """The combined row says which groups it holds and why a large one joined."""
        scores = wf.score(wf.make_cohort(60, waves=1, seed=3, practitioner_share=0), framework)
        scores["team"] = ["big"] * 40 + ["middle"] * 17 + ["tiny"] * 3
        table = wf.cohort.compare_groups(scores, framework, by="team")
        index = table[table.measure == "index"].set_index("team")
        note = index.loc[wf.cohort.groups.OTHER_GROUPS, "note"]
        assert "tiny (too small to show alone)" in note
        assert "with middle" in note
        assert "tiny" not in index.index

    def test_everyone_combined_says_no_comparison(self, framework: wf.Framework) -> None:
        """Groups of 3, 3 and 4: one combined row, and its gap says there is no other group."""
        scores = wf.score(wf.make_cohort(10, waves=1, seed=3, practitioner_share=0), framework)
        scores["team"] = ["a"] * 3 + ["b"] * 3 + ["c"] * 4
        table = wf.cohort.compare_groups(scores, framework, by="team")
        index = table[table.measure == "index"]
        assert index["team"].tolist() == [wf.cohort.groups.OTHER_GROUPS]
        assert "no other group to compare with" in index["note"].iloc[0]
        ax = wf.plot.groups(table)
        assert "no other group to compare with" in wf.plot.describe(ax)


class TestAgainstAnAttackerWhoKnowsTheAlgorithm:
    @pytest.mark.parametrize(
        ("policy", "counts"),
        [
            ("10-5", [12, 12, 9]),
            ("threshold-10", [10, 9, 9]),
            ("nhs", [0, 3, 12, 9]),
            ("nhs", [7, 7, 7, 12, 0]),
            ("10-5", [17, 17, 9]),
            ("threshold-10", [12, 12, 9]),
        ],
    )
    def test_known_pinning_cases(self, policy: str, counts: list[int]) -> None:
        """Tables once pinned by enumeration are now protected."""
        chosen = wf.DisclosurePolicy.preset(policy)
        shown = chosen.apply(pd.Series(counts), total=True).tolist()
        total = chosen.apply_total(float(sum(counts)))
        for values in enumerate_hidden(shown, total, chosen, limit=60).values():
            assert len(values) > max(chosen.rounding, 1)

    @settings(max_examples=25, deadline=None)
    @given(
        st.sampled_from(POLICIES),
        st.lists(st.integers(0, 14), min_size=3, max_size=4),
    )
    def test_no_hidden_cell_pinned(self, policy: str, counts: list[int]) -> None:
        """For small tables, every true table is tried: no hidden cell is pinned down."""
        chosen = wf.DisclosurePolicy.preset(policy)
        total = chosen.apply_total(float(sum(counts)))
        if total is None or total > 40:
            return
        shown = chosen.apply(pd.Series(counts), total=True).tolist()
        for values in enumerate_hidden(shown, total, chosen, limit=45).values():
            assert len(values) > max(chosen.rounding, 1)


class TestExactSizesStayHidden:
    def test_share_identity_gives_only_published_sizes(self, framework: wf.Framework) -> None:
        """1 - (mean - overall) / gap does not give back the exact group sizes."""
        scores = wf.score(wf.make_cohort(60, waves=1, seed=5, practitioner_share=0), framework)
        table = wf.cohort.compare_groups(scores, framework, by="client_group")
        index = table[(table.measure == "index") & table["gap"].notna()]
        shown = index[index["client_group"] != wf.cohort.groups.OTHER_GROUPS]
        shares = 1 - (shown["mean"] - shown["overall"]) / shown["gap"]
        exact = scores.groupby("client_group")["index"].count()
        recovered = (shares * exact.sum()).round().astype(int).to_numpy()
        assert not (recovered == exact[shown["client_group"]].to_numpy()).all()

    def test_published_means_are_rounded(self, framework: wf.Framework) -> None:
        """Under a rounding policy, published means are rounded (exact ones give sizes back)."""
        cohort = wf.make_cohort(60, waves=2, seed=5)
        summary = wf.cohort.change(cohort, framework).summary
        for column in ("mean_baseline", "mean_change", "ci_low"):
            assert (summary[column] * 10).round(9).eq((summary[column] * 10).round()).all()
        exact = wf.cohort.change(cohort, framework, policy=wf.DisclosurePolicy.none()).summary
        assert (
            not (exact["mean_baseline"] * 10)
            .round(9)
            .eq((exact["mean_baseline"] * 10).round())
            .all()
        )

    def test_feldt_interval_from_published_n(self, framework: wf.Framework) -> None:
        """Alpha's interval is computed on the published n (rounded), not the exact one."""
        from wellbeing_framework.cohort.reliability import feldt_ci

        ratings = wf.make_cohort(43, waves=1, seed=2, practitioner_share=0)
        table = wf.cohort.reliability(ratings, framework)
        row = table.iloc[0]
        low, high = feldt_ci(row["alpha"], int(row["n"]), int(row["n_items"]))
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
        assert row["n"] % 5 == 0
