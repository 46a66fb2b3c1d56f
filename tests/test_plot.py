"""Plots: assert on what is drawn (artists, radii, labels, legends), never on pixels."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.projections.polar import PolarAxes

import wellbeing_framework as wf
from wellbeing_framework.plot.quadrant import CENTRE_RADIUS, radius_of


def by_gid(ax: plt.Axes, prefix: str) -> dict[str, object]:
    artists = [*ax.patches, *ax.lines, *ax.collections]
    return {a.get_gid(): a for a in artists if a.get_gid() and a.get_gid().startswith(prefix)}


@pytest.fixture(scope="module")
def cohort_scores(framework: wf.Framework) -> pd.DataFrame:
    return wf.score(wf.make_cohort(300, waves=2, seed=9), framework)


class TestQuadrant:
    def test_wedges_proportional_to_scores(self, framework: wf.Framework) -> None:
        """Four domain wedges, each reaching the radius of its score; 18 indicator wedges."""
        ratings = dict.fromkeys(framework.indicator_keys, 4) | {"sw5": 1, "pm1": 2}
        profile = wf.score_one(ratings, framework)
        ax = wf.plot.quadrant(profile, framework)
        assert isinstance(ax, PolarAxes)
        wedges = by_gid(ax, "domain:")
        assert sorted(wedges) == ["domain:ir", "domain:pm", "domain:rb", "domain:sw"]
        for key, wedge in wedges.items():
            score = profile.domains[key.split(":")[1]]
            top = wedge.get_y() + wedge.get_height()  # polar bar: y is the radius
            assert top == pytest.approx(radius_of(score))
            assert wedge.get_y() == pytest.approx(CENTRE_RADIUS)
        assert radius_of(0) == CENTRE_RADIUS
        assert radius_of(100) == 1.0
        indicators = by_gid(ax, "indicator:")
        assert len(indicators) == 18
        sw5 = indicators["indicator:sw5"]
        assert sw5.get_height() == pytest.approx(0.0)  # rated 1: at the centre's edge

    def test_baseline_outline(self, framework: wf.Framework) -> None:
        """A baseline is drawn as unfilled dashed outlines at its own scores."""
        now = wf.score_one(dict.fromkeys(framework.indicator_keys, 4), framework)
        before = wf.score_one(dict.fromkeys(framework.indicator_keys, 2), framework)
        ax = wf.plot.quadrant(now, framework, baseline=before)
        outlines = by_gid(ax, "baseline:")
        assert len(outlines) == 4
        outline = outlines["baseline:rb"]
        assert outline.get_fill() is False
        assert outline.get_linestyle() == "--"
        assert outline.get_y() + outline.get_height() == pytest.approx(radius_of(25))

    def test_unscored_domain_hatched(self, framework: wf.Framework) -> None:
        """A domain without a score is hatched and labelled, not drawn as zero."""
        ratings = dict.fromkeys(framework.indicator_keys, 3) | {
            "rb1": None,
            "rb2": None,
            "rb3": None,
        }
        ax = wf.plot.quadrant(wf.score_one(ratings, framework), framework)
        assert "domain:rb" not in by_gid(ax, "domain:")
        hatched = by_gid(ax, "unscored:")["unscored:rb"]
        assert hatched.get_hatch() == "///"
        assert hatched.get_y() + hatched.get_height() == pytest.approx(1.0)
        assert "not scored" in [t.get_text() for t in ax.texts]
        assert "Relationships and Belonging not scored" in wf.plot.describe(ax)

    def test_labels_centre_and_row_input(self, framework: wf.Framework, cohort_scores) -> None:
        """Domain names and scores are written; the centre disc shows both items."""
        row = cohort_scores.iloc[0]
        ax = wf.plot.quadrant(row, framework, title="P0001")
        texts = [t.get_text() for t in ax.texts]
        assert "Safe and Well" in texts
        assert f"{row['sw']:.0f}/100" in texts
        assert set(by_gid(ax, "centre:")) == {"centre:qol", "centre:self_worth"}
        assert any(t.startswith("Quality\nof Life") for t in texts)
        assert ax.get_title() == "P0001"

    def test_uses_given_axes(self, framework: wf.Framework) -> None:
        """The Axes given is the one drawn on and returned; a Cartesian one is refused."""
        fig, ax = plt.subplots(subplot_kw={"projection": "polar"})
        profile = wf.score_one(dict.fromkeys(framework.indicator_keys, 3), framework)
        assert wf.plot.quadrant(profile, framework, ax=ax) is ax
        assert len(fig.axes) == 1
        _, flat = plt.subplots()
        with pytest.raises(TypeError, match="polar"):
            wf.plot.quadrant(profile, framework, ax=flat)


class TestOtherPlots:
    def test_star(self, framework: wf.Framework) -> None:
        """One closed line per profile at the rescaled ratings, with a legend."""
        a = wf.score_one(dict.fromkeys(framework.indicator_keys, 5), framework)
        b = wf.score_one(dict.fromkeys(framework.indicator_keys, 2), framework)
        ax = wf.plot.star([a, b], framework, labels=["now", "before"])
        lines = by_gid(ax, "profile:")
        assert len(lines) == 2
        assert np.allclose(lines["profile:0"].get_ydata(), 100)
        assert np.allclose(lines["profile:1"].get_ydata(), 25)
        assert lines["profile:0"].get_linestyle() != lines["profile:1"].get_linestyle()
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["now", "before"]
        with pytest.raises(ValueError, match="labels"):
            wf.plot.star([a, b], framework, labels=["one"])

    def test_snapshot(self, framework: wf.Framework, cohort_scores) -> None:
        """Stacked segments per measure sum to 100 %, hatched, with the disclosure note."""
        snap = wf.cohort.snapshot(cohort_scores, framework, policy=wf.DisclosurePolicy.none())
        ax = wf.plot.snapshot(snap)
        segments = by_gid(ax, "band:index:")
        assert len(segments) == 6  # four bands, not scored, suppressed
        assert sum(s.get_width() for s in segments.values()) == pytest.approx(100)
        assert segments["band:index:suppressed"].get_width() == 0
        bands = [
            v
            for k, v in segments.items()
            if k.split(":")[-1] in ("high need", "some need", "managing", "thriving")
        ]
        assert len({s.get_hatch() for s in bands}) == 4
        assert [t.get_text() for t in ax.get_legend().get_texts()] == [
            "high need",
            "some need",
            "managing",
            "thriving",
            "not scored",
        ]
        assert "exactly" in wf.plot.describe(ax)

    def test_snapshot_shares_of_published_n(self, framework: wf.Framework) -> None:
        """A 40-person team: shares are of n, the hidden part is its own segment, and the
        description gives the same numbers as the bars."""
        scores = wf.score(wf.make_cohort(40, waves=2, seed=1), framework)
        snap = wf.cohort.snapshot(scores, framework)
        ax = wf.plot.snapshot(snap)
        segments = by_gid(ax, "band:index:")
        index = snap[snap.measure == "index"].set_index("band")
        n = float(index["n"].iloc[0])
        for band, count in index["count"].items():
            expected = 0.0 if pd.isna(count) else 100 * count / n
            assert segments[f"band:index:{band}"].get_width() == pytest.approx(expected)
        hidden = segments["band:index:suppressed"].get_width()
        assert hidden > 0
        assert sum(s.get_width() for s in segments.values()) == pytest.approx(100)
        text = wf.plot.describe(ax)
        for band, count in index["count"].dropna().items():
            assert f"{band} {100 * count / n:.0f}%" in text
        assert f"suppressed {hidden:.0f}%" in text

    def test_change(self, framework: wf.Framework) -> None:
        """Identity line, the reliable-change band, and points by category."""
        result = wf.cohort.change(wf.make_cohort(200, waves=2, seed=10), framework)
        ax = wf.plot.change(result, domain="rb")
        identity = by_gid(ax, "identity")["identity"]
        assert list(identity.get_xdata()) == list(identity.get_ydata())
        band = [a for a in ax.lines if a.get_gid() == "rc_band"]
        assert len(band) == 2
        people = result.people[result.people["measure"] == "rb"].dropna(subset=["difference"])
        improved = by_gid(ax, "points:improved")["points:improved"]
        assert len(improved.get_offsets()) == (people["category"] == "improved").sum()
        assert ax.get_xlim() == (0.0, 100.0)

    def test_continuum(self, framework: wf.Framework) -> None:
        """Five approach segments; flagged cases drawn as crosses."""
        placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), framework), framework)
        ax = wf.plot.continuum(placed, framework)
        assert len(by_gid(ax, "approach:")) == 5
        crosses = by_gid(ax, "flagged")["flagged"]
        assert len(crosses.get_offsets()) == 1  # Grace's safeguarding flag
        assert len(by_gid(ax, "cases")["cases"].get_offsets()) == 4

    def test_groups(self, framework: wf.Framework, cohort_scores) -> None:
        """One interval per group around its mean, and the overall mean line."""
        table = wf.cohort.compare_groups(
            cohort_scores[cohort_scores["rater"] == "self"], framework, by="area"
        )
        ax = wf.plot.groups(table)
        index = table[table["measure"] == "index"]
        means = [a for a in ax.lines if a.get_gid() == "mean"]
        assert len(means) == index["mean"].notna().sum()
        overall = by_gid(ax, "overall")["overall"]
        assert overall.get_xdata()[0] == pytest.approx(index["overall"].iloc[0])

    def test_profile_grid(self, framework: wf.Framework, cohort_scores) -> None:
        """Every person's wedges at their scores, labelled, with baseline outlines."""
        people = ["P0001", "P0002", "P0003", "P0004", "P0005", "P0006"]
        fig = wf.plot.profile_grid(cohort_scores, framework, people=people, ncols=4)
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.texts] == people
        last = cohort_scores[cohort_scores["rater"] == "self"].groupby("person_id").tail(1)
        last = last.set_index("person_id")
        for who in people:
            for key in ["rb", "pm", "ir", "sw"]:
                score = last.loc[who, key]
                wedge = by_gid(ax, f"domain:{who}:{key}").get(f"domain:{who}:{key}")
                if np.isnan(score):
                    assert f"unscored:{who}:{key}" in by_gid(ax, "unscored:")
                else:
                    assert wedge.r == pytest.approx(radius_of(score))
        assert len(by_gid(ax, "baseline:P0001:")) >= 3
        labels = [t.get_text() for t in fig.legends[0].get_texts()]
        assert labels[-1] == "baseline"
        with pytest.raises(KeyError, match="no assessment"):
            wf.plot.profile_grid(cohort_scores, framework, people=["nobody"])

    def test_describe_unknown_axes(self) -> None:
        """describe() refuses an Axes it did not draw."""
        _, ax = plt.subplots()
        with pytest.raises(KeyError, match="no description"):
            wf.plot.describe(ax)

    def test_never_shows(self, framework: wf.Framework, monkeypatch: pytest.MonkeyPatch) -> None:
        """No plot function calls plt.show()."""
        monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("plt.show called"))
        wf.plot.quadrant(
            wf.score_one(dict.fromkeys(framework.indicator_keys, 3), framework), framework
        )


class TestGivenAxes:
    def test_cartesian_plots_use_given_axes(self, framework: wf.Framework, cohort_scores) -> None:
        """snapshot, change, continuum and groups draw on the Axes given and return it."""
        fig, axes = plt.subplots(2, 2)
        snap = wf.cohort.snapshot(cohort_scores, framework)
        result = wf.cohort.change(cohort_scores, framework, reliability=0.8)
        placed = wf.place_on_continuum(cohort_scores, framework)
        table = wf.cohort.compare_groups(
            cohort_scores[cohort_scores["rater"] == "self"], framework, by="sex"
        )
        assert wf.plot.snapshot(snap, ax=axes[0, 0]) is axes[0, 0]
        assert wf.plot.change(result, ax=axes[0, 1]) is axes[0, 1]
        assert wf.plot.continuum(placed, framework, ax=axes[1, 0]) is axes[1, 0]
        assert wf.plot.groups(table, ax=axes[1, 1]) is axes[1, 1]
        assert len(fig.axes) == 4
        assert all(ax.has_data() for ax in axes.flat)
