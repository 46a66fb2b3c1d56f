"""Factor structure, invariance and omega, checked against independent references:
lavaan's published output on the Holzinger & Swineford (1939) data, direct semopy calls and
hand computations."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import semopy  # the research extra is part of the test extra: never skipped
from semopy.examples import holzinger39

import wellbeing_framework as wf
from wellbeing_framework.measurement.fit_indices import srmr
from wellbeing_framework.measurement.ml import Moments, fit, moments_of
from wellbeing_framework.measurement.models import bifactor, longitudinal
from wellbeing_framework.measurement.omega import omega_bifactor, omega_total

BUNDLED = Path(wf.__file__).parent / "data" / "ni_social_wellbeing.json"
HS_ITEMS = [f"x{i}" for i in range(1, 10)]


def _hs_document(maximum: float = 10) -> dict[str, object]:
    """The three abilities of Holzinger & Swineford as an adapted framework on a
    continuous scale: visual (x1-x3), textual (x4-x6), speed (x7-x9)."""
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    titles = ["Visual", "Textual", "Speed"]
    domains = []
    for j, (base, title) in enumerate(zip(document["domains"][:3], titles, strict=True)):
        indicators = [{"key": f"x{3 * j + i}", "text": f"Test {3 * j + i}"} for i in range(1, 4)]
        domains.append(dict(base, key=title.lower(), title=title, indicators=indicators))
    document["domains"] = domains
    document["scale"] = {"min": 0, "max": maximum, "integer": False}
    return document


@pytest.fixture(scope="module")
def hs_framework() -> wf.Framework:
    """Holzinger & Swineford on a 0-10 scale."""
    return wf.framework_from_dict(_hs_document())


@pytest.fixture(scope="module")
def hs_data() -> pd.DataFrame:
    """The 301 children of Holzinger & Swineford (1939), as shipped with semopy (MIT) and
    lavaan (GPL): public test scores from a 1939 monograph, no personal data."""
    data = holzinger39.get_data()
    return data.assign(person_id=data["id"].astype(str))


@pytest.fixture(scope="module")
def self_rated() -> pd.DataFrame:
    cohort = wf.make_cohort(800, waves=1, seed=11)
    return cohort[cohort.rater == "self"]


class TestCFA:
    def test_holzinger_swineford_matches_lavaan(
        self, hs_framework: wf.Framework, hs_data: pd.DataFrame
    ) -> None:
        """Reference: lavaan 0.6 tutorial, ``cfa(HS.model, data = HolzingerSwineford1939)``:
        chi2 85.306 on 24 df, CFI 0.931, TLI 0.896, RMSEA 0.092 (0.071-0.114), SRMR 0.065,
        AIC 7517.490, BIC 7595.339."""
        result = wf.measurement.cfa(hs_data, hs_framework, policy=wf.DisclosurePolicy.none())
        expected = {
            "chi2": (85.306, 1e-3),
            "df": (24, 0),
            "cfi": (0.931, 5e-4),
            "tli": (0.896, 5e-4),
            "rmsea": (0.092, 5e-4),
            "rmsea_low": (0.071, 5e-4),
            "rmsea_high": (0.114, 5e-4),
            "srmr": (0.065, 5e-4),
            "aic": (7517.490, 1e-2),
            "bic": (7595.339, 1e-2),
            "n": (301, 0),
        }
        for name, (value, tol) in expected.items():
            assert result.fit[name] == pytest.approx(value, abs=tol), name

    def test_holzinger_swineford_loadings_match_lavaan(
        self, hs_framework: wf.Framework, hs_data: pd.DataFrame
    ) -> None:
        """Reference: lavaan's estimates, standard errors and std.all loadings and factor
        correlations for the same model (``summary(fit, standardized = TRUE)``)."""
        result = wf.measurement.cfa(hs_data, hs_framework)
        loadings = result.loadings.set_index("indicator")
        lavaan = {
            "x2": (0.554, 0.100, 0.424),
            "x3": (0.729, 0.109, 0.581),
            "x5": (1.113, 0.065, 0.855),
            "x6": (0.926, 0.055, 0.838),
            "x8": (1.180, 0.165, 0.723),
            "x9": (1.082, 0.151, 0.665),
        }
        for item, (estimate, se, std) in lavaan.items():
            assert loadings.loc[item, "loading"] == pytest.approx(estimate, abs=2e-3)
            assert loadings.loc[item, "se"] == pytest.approx(se, abs=2e-3)
            assert loadings.loc[item, "std_loading"] == pytest.approx(std, abs=2e-3)
        assert loadings.loc["x1", "loading"] == 1.0
        assert np.isnan(loadings.loc["x1", "se"])
        corr = result.factor_correlations
        assert corr.loc["visual", "textual"] == pytest.approx(0.459, abs=2e-3)
        assert corr.loc["visual", "speed"] == pytest.approx(0.471, abs=2e-3)
        assert corr.loc["textual", "speed"] == pytest.approx(0.283, abs=2e-3)

    def test_matches_a_direct_semopy_fit(self, self_rated: pd.DataFrame) -> None:
        """Reference: semopy's own calc_stats on the same complete ratings, written by hand
        in its syntax (chi2, df, CFI, TLI, RMSEA)."""
        fw = wf.load_framework()
        result = wf.measurement.cfa(self_rated, fw, policy=wf.DisclosurePolicy.none())
        keys = list(fw.indicator_keys)
        data = self_rated[keys].dropna().astype(float)
        description = "\n".join(
            f"{d.key}_f =~ " + " + ".join(i.key for i in d.indicators) for d in fw.domains
        )
        model = semopy.Model(description)
        model.fit(data)
        stats = semopy.calc_stats(model).T["Value"]
        assert result.fit["n"] == len(data)
        assert result.n_excluded == len(self_rated) - len(data)
        assert result.fit["chi2"] == pytest.approx(stats["chi2"], rel=1e-6)
        assert result.fit["df"] == stats["DoF"]
        assert result.fit["cfi"] == pytest.approx(stats["CFI"], rel=1e-6)
        assert result.fit["tli"] == pytest.approx(stats["TLI"], rel=1e-6)
        # semopy's RMSEA divides by n - 1, lavaan's (and this library's) by n
        n, chi2, df = len(data), stats["chi2"], stats["DoF"]
        assert result.fit["rmsea"] == pytest.approx(
            np.sqrt(max(chi2 - df, 0) / (df * n)), rel=1e-5
        )

    def test_reverse_keyed_items_are_reversed(self, self_rated: pd.DataFrame) -> None:
        """Flipping an item's ratings and marking it reverse keyed gives the same model."""
        fw = wf.load_framework()
        document = json.loads(BUNDLED.read_text(encoding="utf-8"))
        document["domains"][0]["indicators"][1]["reverse"] = True
        flipped_fw = wf.framework_from_dict(document)
        flipped = self_rated.assign(rb2=6 - self_rated["rb2"])
        plain = wf.measurement.cfa(self_rated, fw)
        reversed_ = wf.measurement.cfa(flipped, flipped_fw)
        assert reversed_.fit["chi2"] == pytest.approx(plain.fit["chi2"], rel=1e-6)
        row = reversed_.loadings.set_index("indicator").loc["rb2"]
        assert bool(row["reverse"])
        assert row["std_loading"] > 0.3

    def test_reading_is_guidance(self, self_rated: pd.DataFrame) -> None:
        result = wf.measurement.cfa(self_rated, wf.load_framework())
        assert "(Hu & Bentler, 1999)" in result.reading
        assert "not a verdict" in result.reading
        page = result._repr_html_()
        assert "<table" in page
        assert "Factor correlations" in page

    def test_domains_subset_and_bad_input(self, self_rated: pd.DataFrame) -> None:
        fw = wf.load_framework()
        two = wf.measurement.cfa(self_rated, fw, domains=["rb", "pm"])
        assert set(two.loadings.domain) == {"rb", "pm"}
        assert two.fit["df"] == 9 * 10 / 2 - (7 + 9 + 3)
        with pytest.raises(KeyError, match="unknown domain"):
            wf.measurement.cfa(self_rated, fw, domains=["nope"])
        with pytest.raises(ValueError, match="estimator"):
            wf.measurement.cfa(self_rated, fw, estimator="WLSMV")
        bad = self_rated.copy()
        bad.loc[bad.index[:3], "rb1"] = 9
        with pytest.raises(wf.ValidationError):
            wf.measurement.cfa(bad, fw)
        with pytest.raises(ValueError, match="too few"):
            wf.measurement.cfa(self_rated.head(6), fw)

    def test_missing_extra_names_it(
        self, self_rated: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A missing engine is named, with the extra that installs it."""
        monkeypatch.setitem(sys.modules, "semopy", None)  # import semopy now fails
        with pytest.raises(ImportError, match=r"wellbeing-framework\[research\]"):
            wf.measurement.cfa(self_rated, wf.load_framework())


class TestSRMR:
    def test_by_hand(self) -> None:
        """Hand computation of Bentler's SRMR: residuals standardised by the observed SDs,
        on and below the diagonal, averaged, rooted."""
        s = np.array([[4.0, 1.2, 0.8], [1.2, 9.0, 2.1], [0.8, 2.1, 1.0]])
        sigma = np.array([[4.0, 1.0, 1.0], [1.0, 9.0, 1.5], [1.0, 1.5, 1.0]])
        total, count = 0.0, 0
        for i in range(3):
            for j in range(i + 1):
                total += ((s[i, j] - sigma[i, j]) / np.sqrt(s[i, i] * s[j, j])) ** 2
                count += 1
        data = Moments(n=100, mean=np.zeros(3), cov=s)
        assert srmr([data], [(sigma, np.zeros(3))], means=False) == pytest.approx(
            np.sqrt(total / count)
        )
        mean_residual = np.array([0.5, 0.0, -0.1])
        total += (0.5 / 2) ** 2 + (0.1 / 1) ** 2
        count += 3
        assert srmr([data], [(sigma, -mean_residual)], means=True) == pytest.approx(
            np.sqrt(total / count)
        )


class TestInvariance:
    def test_holzinger_swineford_by_school_matches_lavaan(
        self, hs_framework: wf.Framework, hs_data: pd.DataFrame
    ) -> None:
        """Reference: lavaan tutorial, multiple groups, ``group = "school"``: configural
        chi2 115.851 (48 df), loadings equal 124.044 (54), intercepts equal 164.103 (60)."""
        table = wf.measurement.invariance(hs_data, hs_framework, by="school").set_index("model")
        assert table.loc["configural", "chi2"] == pytest.approx(115.851, abs=1e-3)
        assert table.loc["metric", "chi2"] == pytest.approx(124.044, abs=1e-3)
        assert table.loc["scalar", "chi2"] == pytest.approx(164.103, abs=1e-3)
        assert table["df"].tolist() == [48, 54, 60]
        assert table["converged"].all()
        assert table.loc["metric", "delta_cfi"] == pytest.approx(
            table.loc["metric", "cfi"] - table.loc["configural", "cfi"]
        )

    def test_configural_is_the_sum_of_separate_semopy_fits(
        self, hs_framework: wf.Framework, hs_data: pd.DataFrame
    ) -> None:
        """Reference: semopy fitted to each school alone; the configural chi-square is
        their sum."""
        table = wf.measurement.invariance(hs_data, hs_framework, by="school")
        total = 0.0
        for _, group in hs_data.groupby("school"):
            model = semopy.Model(holzinger39.get_model())
            model.fit(group)
            total += semopy.calc_stats(model).T["Value"]["chi2"]
        assert table.chi2.iloc[0] == pytest.approx(total, rel=1e-5)

    def test_small_groups_are_refused(self, self_rated: pd.DataFrame) -> None:
        data = self_rated.copy()
        data["team"] = "north"
        data.loc[data.index[:5], "team"] = "tiny"
        with pytest.raises(ValueError, match=r"1 group\(s\).*disclosure threshold") as error:
            wf.measurement.invariance(data, wf.load_framework(), by="team")
        assert "tiny" not in str(error.value)  # a group's label is data: never echoed
        with pytest.raises(KeyError, match="no column"):
            wf.measurement.invariance(data, wf.load_framework(), by="nowhere")

    def test_over_time_matches_semopy(self) -> None:
        """Reference: the configural model over two waves written by hand in semopy's
        syntax (factors at both waves, each item's residual correlated over time)."""
        fw = wf.load_framework()
        cohort = wf.make_cohort(700, waves=3, seed=8, missing=0.0)
        ratings = cohort[cohort.rater == "self"]
        table = wf.measurement.invariance(
            ratings, fw, by="wave", waves=(1, 3), domains=["rb", "ir"]
        )
        keys = [i.key for key in ("rb", "ir") for i in fw.domain(key).indicators]
        a = ratings[ratings.wave == 1].set_index("person_id")[keys].add_suffix("_a")
        b = ratings[ratings.wave == 3].set_index("person_id")[keys].add_suffix("_b")
        both = a.join(b, how="inner").dropna().astype(float)
        lines = []
        for key in ("rb", "ir"):
            items = [i.key for i in fw.domain(key).indicators]
            for t in ("a", "b"):
                lines.append(f"{key}{t} =~ " + " + ".join(f"{i}_{t}" for i in items))
        lines += [f"{k}_a ~~ {k}_b" for k in keys]
        model = semopy.Model("\n".join(lines))
        model.fit(both)
        stats = semopy.calc_stats(model).T["Value"]
        configural = table.set_index("model").loc["configural"]
        assert configural["df"] == stats["DoF"]
        assert configural["chi2"] == pytest.approx(stats["chi2"], rel=1e-4)
        assert table.attrs["groups"] == ["wave 1", "wave 3"]

    def test_longitudinal_degrees_of_freedom_by_hand(self) -> None:
        """Count by hand: 2 factors x 3 items at 2 waves. Moments 12*15/2 = 90. Free
        (configural): per wave 4 loadings, 3 factor (co)variances, 6 residuals, 6
        intercepts = 19, twice = 38, plus 4 cross-wave factor covariances and 6 residual
        covariances: 48 -> df 42; metric frees 4 fewer (df 46); scalar 6 - 2 fewer (df 50)."""
        rng = np.random.default_rng(0)
        values = rng.normal(size=(300, 12)) + rng.normal(size=(300, 1))
        data = moments_of(values)
        dfs = []
        for level in ("configural", "metric", "scalar"):
            groups, start, lower = longitudinal([[0, 1, 2], [3, 4, 5]], data, level)
            dfs.append(fit(groups, [data], start, lower).df)
        assert dfs == [42, 46, 50]


class TestOmega:
    def test_omega_total_by_hand_from_known_loadings(self) -> None:
        """Hand computation: with loadings 0.9, 0.7, 0.5, 0.6 and residuals 1 - l^2 (a
        population covariance matrix), omega = (sum l)^2 / ((sum l)^2 + sum theta)."""
        lam = np.array([0.9, 0.7, 0.5, 0.6])
        theta = 1 - lam**2
        sigma = np.outer(lam, lam) + np.diag(theta)
        value, _ = omega_total(Moments(n=1000, mean=np.zeros(4), cov=sigma))
        assert value == pytest.approx(2.7**2 / (2.7**2 + theta.sum()), abs=1e-6)

    def test_omega_hierarchical_by_hand_from_a_known_bifactor(self) -> None:
        """Hand computation: general loadings 0.6 everywhere, specific 0.5 / 0.4 / 0.3 on
        three groups of three items, residuals 1 - g^2 - s^2."""
        general = np.full(9, 0.6)
        specific = np.repeat([0.5, 0.4, 0.3], 3)
        lam = np.zeros((9, 4))
        lam[:, 0] = general
        for j in range(3):
            lam[3 * j : 3 * j + 3, j + 1] = specific[3 * j]
        theta = 1 - general**2 - specific**2
        sigma = lam @ lam.T + np.diag(theta)
        total = sigma.sum()
        structure = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
        omega_h, omega_t = omega_bifactor(Moments(n=5000, mean=np.zeros(9), cov=sigma), structure)
        assert omega_h == pytest.approx(5.4**2 / total, abs=1e-4)
        expected_t = (5.4**2 + 1.5**2 + 1.2**2 + 0.9**2) / total
        assert omega_t == pytest.approx(expected_t, abs=1e-4)
        groups, _, _ = bifactor(structure, Moments(n=5000, mean=np.zeros(9), cov=sigma))
        assert groups[0].loadings.index.shape == (9, 4)

    def test_table_beside_alpha(self, self_rated: pd.DataFrame) -> None:
        """Omega is at least alpha (they are equal only when all loadings are equal);
        alpha here is pingouin's on the same complete rows."""
        import pingouin

        fw = wf.load_framework()
        table = wf.measurement.omega(self_rated, fw, n_boot=40, seed=3).set_index("domain")
        for domain in fw.domains:
            items = self_rated[[i.key for i in domain.indicators]].dropna()
            alpha, _ = pingouin.cronbach_alpha(items)
            row = table.loc[domain.key]
            assert row["alpha"] == pytest.approx(alpha, abs=1e-6)
            assert row["omega_total"] >= row["alpha"] - 1e-6
            assert row["ci_low"] < row["omega_total"] < row["ci_high"]
        assert 0 < table.loc["index", "omega_h"] < table.loc["index", "omega_total"] <= 1

    def test_bootstrap_is_seeded(self, self_rated: pd.DataFrame) -> None:
        fw = wf.load_framework()
        one = wf.measurement.omega(self_rated, fw, domains=["rb", "sw"], n_boot=30, seed=5)
        two = wf.measurement.omega(self_rated, fw, domains=["rb", "sw"], n_boot=30, seed=5)
        pd.testing.assert_frame_equal(one, two)

    def test_continuous_scale(self, hs_framework: wf.Framework, hs_data: pd.DataFrame) -> None:
        """Works on an adapted, continuous-scale framework (Holzinger & Swineford)."""
        table = wf.measurement.omega(hs_data, hs_framework, n_boot=20)
        assert table.domain.tolist() == ["visual", "textual", "speed", "index"]
        assert table.omega_total.between(0, 1).all()

    def test_two_item_domain_refused(self, self_rated: pd.DataFrame) -> None:
        document = json.loads(BUNDLED.read_text(encoding="utf-8"))
        document["domains"][0]["indicators"] = document["domains"][0]["indicators"][:2]
        fw = wf.framework_from_dict(document)
        with pytest.raises(ValueError, match="fewer than 3 indicators"):
            wf.measurement.omega(self_rated, fw)


class TestHardCases:
    def test_the_unit_of_the_scale_changes_nothing(
        self, hs_framework: wf.Framework, hs_data: pd.DataFrame
    ) -> None:
        """Reference: lavaan's chi-squares again, on the same scores times 100 (a 0-1000
        scale): maximum likelihood does not depend on the unit."""
        big_fw = wf.framework_from_dict(_hs_document(maximum=1000))
        big = hs_data.assign(**{k: hs_data[k] * 100 for k in HS_ITEMS})
        fit = wf.measurement.cfa(big, big_fw, policy=wf.DisclosurePolicy.none()).fit
        assert fit["chi2"] == pytest.approx(85.306, abs=1e-3)
        assert fit["aic"] == pytest.approx(7517.490 + 2 * 301 * 9 * np.log(100), abs=0.05)
        table = wf.measurement.invariance(big, big_fw, by="school")
        np.testing.assert_allclose(table.chi2, [115.851, 124.044, 164.103], atol=2e-3)

    def test_collinear_indicators_are_refused(self, self_rated: pd.DataFrame) -> None:
        fw = wf.load_framework()
        copied = self_rated.assign(rb2=self_rated["rb1"])
        for function in (wf.measurement.cfa, wf.measurement.omega):
            with pytest.raises(ValueError, match="collinear"):
                function(copied, fw)

    def test_identifiers_are_never_echoed(self, self_rated: pd.DataFrame) -> None:
        fw = wf.load_framework()
        named = self_rated.assign(person_id="JOHN-SMITH-" + self_rated.person_id.astype(str))
        with pytest.raises(ValueError, match="not a grouping column") as error:
            wf.measurement.invariance(named, fw, by="person_id")
        assert "JOHN" not in str(error.value)
        text = named.assign(area="Lives with JOHN at 12 High St")
        text.loc[text.index[:40], "area"] = "north"
        with pytest.raises(ValueError, match="too few people") as error:
            wf.measurement.invariance(text, fw, by="area")
        assert "JOHN" not in str(error.value)

    def test_threshold_counts_people_not_assessments(self, self_rated: pd.DataFrame) -> None:
        """Three people with eight assessments each are three people: refused."""
        fw = wf.load_framework()
        complete = self_rated.dropna(subset=list(fw.indicator_keys))
        tiny = complete.head(24).assign(area="tiny", person_id=["a", "b", "c"] * 8)
        data = pd.concat([complete.assign(area="big"), tiny], ignore_index=True)
        with pytest.raises(ValueError, match="fewer than 8 people"):
            wf.measurement.invariance(data, fw, by="area")

    def test_only_self_ratings_by_default(self) -> None:
        """Practitioner rows of the same people are not mixed in unless asked for."""
        fw = wf.load_framework()
        cohort = wf.make_cohort(300, waves=2, seed=7, missing=0.0)
        both = wf.measurement.invariance(cohort, fw, by="wave")
        self_only = wf.measurement.invariance(cohort[cohort.rater == "self"], fw, by="wave")
        pd.testing.assert_frame_equal(both, self_only)
        assert both.attrs["n_excluded"] == 0

    def test_a_miskeyed_indicator_is_named(self, self_rated: pd.DataFrame) -> None:
        document = json.loads(BUNDLED.read_text(encoding="utf-8"))
        document["domains"][3]["indicators"][3]["reverse"] = True  # sw4, not reversed in data
        result = wf.measurement.cfa(self_rated, wf.framework_from_dict(document))
        assert "['sw4'] load negatively" in result.reading

    def test_bad_arguments(self, self_rated: pd.DataFrame) -> None:
        fw = wf.load_framework()
        with pytest.raises(TypeError, match="list of different domain keys"):
            wf.measurement.cfa(self_rated, fw, domains="rb")
        with pytest.raises(ValueError, match="domains is empty"):
            wf.measurement.omega(self_rated, fw, domains=[])
        with pytest.raises(ValueError, match="level must be between 0 and 1"):
            wf.measurement.omega(self_rated, fw, level=95)
        with pytest.raises(ValueError, match="n_boot"):
            wf.measurement.omega(self_rated, fw, n_boot=-5)
        with pytest.raises(ValueError, match="two wave numbers"):
            wf.measurement.invariance(self_rated, fw, by="wave", waves=(1, 2, 3))

    def test_published_counts_are_rounded(self, self_rated: pd.DataFrame) -> None:
        result = wf.measurement.cfa(self_rated, wf.load_framework())
        assert result.n % 5 == 0
        assert result.fit["n"] % 5 == 0
        assert result.n_excluded is None or result.n_excluded % 5 == 0
        assert result.converged


def test_a_teams_sheet_of_forty_people(tmp_path: Path) -> None:
    """A practitioner's sheet: own headers, UK dates, 'n/a', 40 people over 3 waves. The fit
    is read with its caveats: a small sample, and people counted more than once."""
    fw = wf.load_framework()
    cohort = wf.make_cohort(40, waves=3, seed=2, missing=0.02)
    sheet = cohort[cohort.rater == "self"].rename(columns={"person_id": "Client ID", "rb1": "RB1"})
    sheet["assessment_date"] = sheet.assessment_date.dt.strftime("%d/%m/%Y")
    sheet = sheet.astype({"RB1": object})
    sheet.loc[sheet.index[:3], "RB1"] = "n/a"
    path = tmp_path / "team.xlsx"
    sheet.to_excel(path, index=False)
    ratings = wf.read_ratings(path)
    result = wf.measurement.cfa(ratings, fw)
    assert "small sample" in result.reading
    assert "appear more than once" in result.reading
    first = wf.measurement.cfa(ratings[ratings.wave == 1], fw, domains=["rb", "sw"])
    assert "appear more than once" not in first.reading
    with pytest.raises(ValueError, match="too few people"):
        wf.measurement.invariance(ratings, fw, by="client_group")
