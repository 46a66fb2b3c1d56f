"""The empower-protect continuum: placement, floors, reasons, invariants and vignettes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wellbeing_framework as wf

FW = wf.load_framework()
DOMAINS = [d.key for d in FW.domains]
APPROACHES = [a.key for a in FW.continuum.approaches]  # type: ignore[union-attr]
# Words that judge the person; the reasons must describe scores, not people.
JUDGEMENT_WORDS = [
    "poor",
    "bad",
    "fail",
    "non-compliant",
    "noncompliant",
    "dangerous",
    "problem family",
    "chaotic",
    "difficult",
    "manipulative",
    "resistant",
    "unco-operative",
    "uncooperative",
    "inappropriate",
    "vulnerable adult",
    "abuser",
    "offender",
]


def scores_table(rows: list[dict[str, float]], **extra: list[object]) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    for d in DOMAINS:
        if d not in table:
            table[d] = np.nan
    for name, values in extra.items():
        table[name] = values
    return table


class TestPlacement:
    def test_formula_by_hand(self) -> None:
        """Empowering part 0.625 x weighted need; protecting part 0.75 x need of sw."""
        table = scores_table([{"rb": 50, "pm": 50, "ir": 50, "sw": 50}])
        placed = wf.place_on_continuum(table, FW)
        # need 0.5 everywhere: empower 0.3125, protect 0.375 -> 0.375
        assert placed.loc[0, "continuum_position"] == pytest.approx(0.375)
        # 0.375 is halfway between 0.25 and 0.5: the tie goes to the more protective
        assert placed.loc[0, "approach"] == "support_recovery"
        table = scores_table([{"rb": 0, "pm": 20, "ir": 40, "sw": 100}])
        placed = wf.place_on_continuum(table, FW)
        # weighted need (1 + 0.8 + 0.6 + 2 * 0) / 5 = 0.48 -> 0.3
        assert placed.loc[0, "continuum_position"] == pytest.approx(0.3)
        assert placed.loc[0, "approach"] == "early_intervention"

    def test_weights_sum_to_one_and_peak_at_approach(self) -> None:
        """The blend sums to 1 and is largest at the nearest approach."""
        table = scores_table([{"rb": 60, "pm": 30, "ir": 45, "sw": 70}])
        placed = wf.place_on_continuum(table, FW)
        weights = placed[[f"weight_{k}" for k in APPROACHES]].iloc[0]
        assert weights.sum() == pytest.approx(1.0)
        assert weights.idxmax() == f"weight_{placed.loc[0, 'approach']}"

    def test_flag_floor(self) -> None:
        """A raised safeguarding flag puts a thriving case at safeguarding, and says why."""
        table = scores_table([{"rb": 100, "pm": 100, "ir": 100, "sw": 90}])
        table["flag_safeguarding"] = pd.array([True], dtype="boolean")
        placed = wf.place_on_continuum(table, FW)
        assert placed.loc[0, "approach"] == "safeguarding"
        assert placed.loc[0, "continuum_position"] == 0.75
        assert (
            "Placed at least at Safeguarding: the safeguarding flag is raised"
            in (placed.loc[0, "reasons"])
        )

    def test_case_columns(self) -> None:
        """risk_to_others or statutory_order (True, 1, 'yes') floor at statutory protection."""
        table = scores_table(
            [{"rb": 90, "pm": 90, "ir": 90, "sw": 90}] * 4,
            risk_to_others=[True, False, "yes", None],
            statutory_order=[0, 1, "no", None],
        )
        placed = wf.place_on_continuum(table, FW)
        assert placed["approach"].tolist() == [
            "statutory_protection",
            "statutory_protection",
            "statutory_protection",
            "community_inclusion",
        ]
        assert "a risk to others is recorded" in placed.loc[0, "reasons"]
        assert "a statutory order is recorded" in placed.loc[1, "reasons"]

    def test_not_placed_without_safe_and_well(self) -> None:
        """No Safe and Well score: no approach, no weights, and a reason that says so."""
        table = scores_table([{"rb": 80, "pm": 80, "ir": 80}])
        placed = wf.place_on_continuum(table, FW)
        assert np.isnan(placed.loc[0, "continuum_position"])
        assert pd.isna(placed.loc[0, "approach"])
        assert placed[[f"weight_{k}" for k in APPROACHES]].isna().all(axis=None)
        assert placed.loc[0, "reasons"].startswith("Not placed: Safe and Well could not be scored")

    def test_other_domain_missing_still_placed(self) -> None:
        """A missing non-required domain leaves the case placed on the others."""
        table = scores_table([{"rb": 90, "pm": np.nan, "ir": 90, "sw": 90}])
        placed = wf.place_on_continuum(table, FW)
        assert placed.loc[0, "continuum_position"] == pytest.approx(0.075)  # 0.75 x 0.1
        assert placed.loc[0, "approach"] == "community_inclusion"

    def test_reasons_name_driver_and_carry_disclaimer(self) -> None:
        """Reasons name the driving domain and say this is not a decision."""
        table = scores_table([{"rb": 80, "pm": 80, "ir": 80, "sw": 20}])
        reasons = wf.place_on_continuum(table, FW).loc[0, "reasons"]
        assert "Placed by Safe and Well scored 20/100, the lowest domain." in reasons
        assert "not a decision" in reasons

    def test_input_untouched(self) -> None:
        """The scores table is not modified."""
        table = scores_table([{"rb": 80, "pm": 80, "ir": 80, "sw": 20}])
        before = table.copy()
        wf.place_on_continuum(table, FW)
        pd.testing.assert_frame_equal(table, before)

    def test_profile_gives_same_as_table(self) -> None:
        """A Profile is placed exactly as its row of the table."""
        ratings = dict.fromkeys(FW.indicator_keys, 3) | {"sw3": 1, "pm2": 5}
        profile = wf.score_one(ratings, FW)
        placement = wf.place_on_continuum(profile, FW)
        table = wf.score(pd.DataFrame([ratings]), FW, person=None)
        row = wf.place_on_continuum(table, FW).iloc[0]
        assert placement.position == row["continuum_position"]
        assert placement.approach == row["approach"]
        assert sum(placement.weights.values()) == pytest.approx(1.0)
        assert "'Feel safe in their own home and community' rated 1" in placement.reasons
        assert "<strong>safeguarding</strong>" in placement._repr_html_()


class TestContinuumRules:
    def test_invalid_values(self) -> None:
        """Reaches outside (0, 1] and a non-positive spread are refused together."""
        with pytest.raises(wf.ScoringError) as info:
            wf.ContinuumRules(empowering_reach=0, protecting_reach=1.5, spread=0)
        assert len(info.value.problems) == 3

    def test_unknown_names(self) -> None:
        """Unknown domains and approaches are refused when resolved."""
        rules = wf.ContinuumRules(
            domain_weights={"rb": 1, "pm": 1, "ir": 1, "sw": 1, "zz": 1},
            flag_floors={"safeguarding": "rescue"},
        )
        with pytest.raises(wf.ScoringError) as info:
            rules.resolve(FW)
        text = str(info.value)
        assert "unknown domain 'zz'" in text
        assert "unknown approach 'rescue'" in text

    def test_framework_without_continuum(self) -> None:
        """A framework with no continuum cannot place cases."""
        bare = wf.framework_from_dict(
            {
                "key": "x",
                "title": "X",
                "version": "1",
                "scale": {"min": 1, "max": 5},
                "domains": [
                    {"key": "d", "title": "D", "indicators": [{"key": "d1", "text": "t"}]}
                ],
            }
        )
        with pytest.raises(wf.ScoringError, match="no practice continuum"):
            wf.place_on_continuum(pd.DataFrame({"d": [50.0]}), bare)

    def test_round_trip_through_converter(self) -> None:
        """Continuum rules serialise through the one converter."""
        from wellbeing_framework.io import converter

        rules = wf.ContinuumRules(spread=0.2, flag_floors={"safeguarding": "safeguarding"})
        assert converter.structure(converter.unstructure(rules), wf.ContinuumRules) == rules

    def test_wider_spread_blends_more(self) -> None:
        """A wider spread gives the nearest approach less of the weight."""
        table = scores_table([{"rb": 60, "pm": 60, "ir": 60, "sw": 60}])
        narrow = wf.place_on_continuum(table, FW, wf.ContinuumRules(spread=0.05))
        wide = wf.place_on_continuum(table, FW, wf.ContinuumRules(spread=0.3))
        key = f"weight_{narrow.loc[0, 'approach']}"
        assert narrow.loc[0, key] > wide.loc[0, key]


class TestVignettes:
    def test_each_vignette_places_where_written(self) -> None:
        """The five vignettes span the continuum, each at the approach it illustrates."""
        vignettes = wf.load_vignettes()
        placed = wf.place_on_continuum(wf.score(vignettes, FW), FW)
        assert placed["approach"].astype(str).tolist() == placed["illustrates"].tolist()
        assert placed["approach"].astype(str).tolist() == APPROACHES

    def test_vignette_reasons(self) -> None:
        """Each vignette's reasons explain what placed it."""
        placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), FW), FW)
        reasons = dict(zip(placed["person_id"], placed["reasons"], strict=True))
        assert "Placed by the scores across the domains" in reasons["V1"]
        assert "Purpose and Meaning scored 20/100 (high need)" in reasons["V3"]
        assert "the safeguarding flag is raised" in reasons["V4"]
        assert "a statutory order is recorded" in reasons["V5"]
        for text in reasons.values():
            assert "not a decision" in text

    def test_no_judgement_words(self) -> None:
        """Reasons describe scores, never the person."""
        placed = wf.place_on_continuum(wf.score(wf.load_vignettes(), FW), FW)
        for text in placed["reasons"]:
            lowered = text.lower()
            for word in JUDGEMENT_WORDS:
                assert word not in lowered, word


# ----------------------------------------------------------------------------- invariants

score_value = st.one_of(st.floats(0, 100), st.just(float("nan")))
PROPS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    row: dict[str, object] = {d: draw(score_value) for d in DOMAINS}
    row["sw"] = draw(st.floats(0, 100))  # placeable
    row["flag_safeguarding"] = draw(st.sampled_from([True, False, None]))
    row["risk_to_others"] = draw(st.booleans())
    row["statutory_order"] = draw(st.booleans())
    return row


def place_rows(rows: list[dict[str, object]]) -> pd.DataFrame:
    table = pd.DataFrame(rows)
    table["flag_safeguarding"] = table["flag_safeguarding"].astype("boolean")
    return wf.place_on_continuum(table, FW)


class TestInvariants:
    @PROPS
    @given(case=cases(), domain=st.sampled_from(DOMAINS), drop=st.floats(0, 100))
    def test_lower_score_never_more_empowering(
        self, case: dict[str, object], domain: str, drop: float
    ) -> None:
        """Lowering any domain score never moves the case toward the empowering end."""
        value = case[domain]
        assert isinstance(value, float)
        if np.isnan(value):
            return
        lower = dict(case) | {domain: max(0.0, value - drop)}
        placed = place_rows([case, lower])
        assert placed.loc[1, "continuum_position"] >= placed.loc[0, "continuum_position"] - 1e-12

    @PROPS
    @given(case=cases())
    def test_floors_hold(self, case: dict[str, object]) -> None:
        """A raised flag or a recorded case column always holds its floor."""
        placed = place_rows([case]).iloc[0]
        rank = APPROACHES.index(placed["approach"])
        if case["flag_safeguarding"] is True:
            assert rank >= APPROACHES.index("safeguarding")
        if case["risk_to_others"] or case["statutory_order"]:
            assert placed["approach"] == "statutory_protection"

    @PROPS
    @given(scores=st.lists(st.floats(75, 100), min_size=4, max_size=4))
    def test_thriving_sits_in_empowering_half(self, scores: list[float]) -> None:
        """Every domain 75+ and no flag or case column: position below 0.5."""
        case = dict(zip(DOMAINS, scores, strict=True)) | {
            "flag_safeguarding": False,
            "risk_to_others": False,
            "statutory_order": False,
        }
        placed = place_rows([case]).iloc[0]
        assert placed["continuum_position"] < 0.5
        assert APPROACHES.index(placed["approach"]) <= 1

    @PROPS
    @given(rows=st.lists(cases(), min_size=2, max_size=6), seed=st.integers(0, 1000))
    def test_weights_reasons_order(self, rows: list[dict[str, object]], seed: int) -> None:
        """Weights sum to 1, every placed case has reasons, and row order changes nothing."""
        placed = place_rows(rows)
        weights = placed[[f"weight_{k}" for k in APPROACHES]].sum(axis=1)
        assert np.allclose(weights, 1.0)
        assert all("Position" in r and "not a decision" in r for r in placed["reasons"])
        order = np.random.default_rng(seed).permutation(len(rows))
        shuffled = place_rows([rows[i] for i in order])
        pd.testing.assert_frame_equal(
            shuffled.reset_index(drop=True), placed.iloc[order].reset_index(drop=True)
        )
