"""Growth models over three or more waves, checked against direct statsmodels calls and
against parameters set by hand in simulated data."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf  # the research extra is part of the test extra

import wellbeing_framework as wf

growth_module = importlib.import_module("wellbeing_framework.cohort.growth")
BUNDLED = Path(wf.__file__).parent / "data" / "ni_social_wellbeing.json"


@pytest.fixture(scope="module")
def scores() -> pd.DataFrame:
    return wf.score(wf.make_cohort(300, waves=4, seed=21), wf.load_framework())


def _direct(scores: pd.DataFrame, formula: str, measure: str = "index") -> object:
    data = scores[scores.rater == "self"].dropna(subset=[measure])
    data = data.assign(t=data.wave - data.wave.min(), y=data[measure])
    if "client_group" in formula:
        data = data.assign(g=data.client_group.astype(str))
        formula = formula.replace("client_group", "C(g)")
    model = smf.mixedlm(formula, data, groups=data["person_id"], re_formula="~t")
    return model.fit(reml=True, method=["lbfgs", "powell"])


def test_matches_a_direct_statsmodels_call(scores: pd.DataFrame) -> None:
    """Reference: statsmodels MixedLM called directly (REML, random intercept and slope)."""
    fw = wf.load_framework()
    result = wf.cohort.growth(scores, fw, policy=wf.DisclosurePolicy.none())
    direct = _direct(scores, "y ~ t")
    assert result.random_slope
    assert result.converged
    fixed = result.fixed.set_index("term")
    assert fixed.loc["intercept", "coef"] == pytest.approx(direct.fe_params["Intercept"], rel=1e-5)
    assert fixed.loc["wave", "coef"] == pytest.approx(direct.fe_params["t"], rel=1e-5)
    assert fixed.loc["wave", "se"] == pytest.approx(direct.bse_fe["t"], rel=1e-4)
    cov = np.asarray(direct.cov_re)
    assert result.random["intercept_var"] == pytest.approx(cov[0, 0], rel=1e-4)
    assert result.random["slope_var"] == pytest.approx(cov[1, 1], rel=1e-4)
    assert result.random["residual_var"] == pytest.approx(direct.scale, rel=1e-4)
    assert result.n_excluded == int(scores[scores.rater == "self"]["index"].isna().sum())
    assert len(result.sentences) == 2
    assert "rises" in result.sentences[1]


def test_recovers_parameters_set_by_hand() -> None:
    """Reference: data simulated from y = 50 + 2 t + u0 + u1 t + e with var(u0) = 64,
    var(u1) = 1, corr 0 and var(e) = 16 (1,500 people, 5 waves)."""
    rng = np.random.default_rng(7)
    n, waves = 1500, 5
    u0 = rng.normal(0, 8, n)
    u1 = rng.normal(0, 1, n)
    t = np.tile(np.arange(waves), n)
    person = np.repeat(np.arange(n), waves)
    y = 50 + 2 * t + u0[person] + u1[person] * t + rng.normal(0, 4, n * waves)
    table = pd.DataFrame({"person_id": person.astype(str), "wave": t + 1, "index": y})
    result = wf.cohort.growth(table, wf.load_framework(), rater=None)
    fixed = result.fixed.set_index("term")
    assert fixed.loc["intercept", "coef"] == pytest.approx(50, abs=0.6)
    assert fixed.loc["wave", "coef"] == pytest.approx(2, abs=0.1)
    assert fixed.loc["wave", "ci_low"] < 2 < fixed.loc["wave", "ci_high"]
    assert result.random["intercept_var"] == pytest.approx(64, rel=0.1)
    assert result.random["slope_var"] == pytest.approx(1, rel=0.15)
    assert result.random["residual_var"] == pytest.approx(16, rel=0.05)
    assert result.n_people == 1500


def test_groups_match_a_direct_call(scores: pd.DataFrame) -> None:
    """Reference: statsmodels with the group and group x time terms written by hand."""
    result = wf.cohort.growth(scores, wf.load_framework(), by="client_group")
    direct = _direct(scores, "y ~ client_group * t")
    assert len(result.fixed) == len(direct.fe_params)
    np.testing.assert_allclose(result.fixed.coef, direct.fe_params.to_numpy(), rtol=1e-4)
    terms = result.fixed.term.tolist()
    assert "client_group=justice" in terms
    assert "client_group=justice x wave" in terms
    reference = sorted(scores.client_group.astype(str).unique())[0]
    assert reference in result.sentences[0]


def test_falls_back_to_a_random_intercept(
    scores: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the slope model does not converge, a random-intercept model, said so."""
    real = growth_module._fit

    def slope_fails(frame: pd.DataFrame, x: np.ndarray, slope: bool) -> tuple[object, bool]:
        result, converged = real(frame, x, slope)
        return result, converged and not slope

    monkeypatch.setattr(growth_module, "_fit", slope_fails)
    result = wf.cohort.growth(scores, wf.load_framework())
    assert not result.random_slope
    assert np.isnan(result.random["slope_var"])
    assert "random intercept per person only" in result.note
    direct = smf.mixedlm(
        "index ~ t",
        scores[scores.rater == "self"].dropna(subset=["index"]).assign(t=lambda d: d.wave - 1),
        groups="person_id",
    ).fit(reml=True)
    assert result.fixed.coef.iloc[1] == pytest.approx(direct.fe_params["t"], rel=1e-4)


def test_time_in_days_and_a_continuous_scale(tmp_path: Path) -> None:
    """Any numeric time column; an adapted framework on a 0-100 scale."""
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    document["scale"] = {"min": 0, "max": 100, "integer": False}
    path = tmp_path / "vas.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    vas = wf.load_framework(path)
    scores = wf.score(wf.make_cohort(150, waves=3, seed=4, framework=vas), vas)
    first = scores.groupby("person_id").assessment_date.transform("min")
    scores["days"] = (scores.assessment_date - first).dt.days
    result = wf.cohort.growth(scores, vas, measure="rb", time="days")
    assert result.fixed.term.tolist() == ["intercept", "days"]
    assert "per unit of days" in result.sentences[1]


def test_bad_requests(scores: pd.DataFrame) -> None:
    fw = wf.load_framework()
    with pytest.raises(KeyError, match="unknown measure"):
        wf.cohort.growth(scores, fw, measure="nope")
    with pytest.raises(KeyError, match="no column"):
        wf.cohort.growth(scores, fw, time="days")
    two = scores[scores.wave <= 2]
    with pytest.raises(ValueError, match=r"three or more distinct times.*change"):
        wf.cohort.growth(two, fw)
    small = scores.copy()
    small["team"] = np.where(small.person_id.isin(small.person_id.unique()[:3]), "tiny", "big")
    with pytest.raises(ValueError, match=r"1 group\(s\).*disclosure threshold") as error:
        wf.cohort.growth(small, fw, by="team")
    assert "tiny" not in str(error.value)


def test_display(scores: pd.DataFrame) -> None:
    result = wf.cohort.growth(scores, wf.load_framework())
    page = result._repr_html_()
    assert "<table" in page
    assert "REML" in page
    assert "REML" in str(result)


def test_adapted_framework() -> None:
    """A framework of three domains with keys of its own: growth of one of them."""
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    document["domains"] = document["domains"][:3]
    document["domains"][0]["key"] = "belonging"
    adapted = wf.framework_from_dict(document)
    scores = wf.score(wf.make_cohort(120, waves=3, seed=9, framework=adapted), adapted)
    result = wf.cohort.growth(scores, adapted, measure="belonging")
    assert result.fixed.term.tolist() == ["intercept", "wave"]
    assert result.n_people == 120
    with pytest.raises(KeyError, match="unknown measure"):
        wf.cohort.growth(scores, adapted, measure="sw")


def test_hard_cases(scores: pd.DataFrame) -> None:
    """Dates as time, the same assessment twice, a group seen once, a bad level: each a
    clear error, never a silently wrong number."""
    fw = wf.load_framework()
    with pytest.raises(ValueError, match="must be numeric"):
        wf.cohort.growth(scores, fw, time="assessment_date")
    with pytest.raises(ValueError, match="two assessments at the same time"):
        wf.cohort.growth(pd.concat([scores, scores]), fw)
    once = scores.copy()
    once.loc[once.client_group == "justice", "wave"] = 1
    once = once.drop_duplicates(["person_id", "wave", "rater"])
    with pytest.raises(ValueError, match="cannot be estimated"):
        wf.cohort.growth(once, fw, by="client_group")
    for level in (1.5, 95, 0, -0.5):
        with pytest.raises(ValueError, match="level must be between 0 and 1"):
            wf.cohort.growth(scores, fw, level=level)
    with pytest.raises(ValueError, match="no assessments"):
        wf.cohort.growth(scores, fw, rater="nobody")
