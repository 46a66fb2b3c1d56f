"""FHIR R4: the framework as a Questionnaire, responses in, Observations out.

Every resource the library makes is validated by an independent reader, the
``fhir.resources`` R4B models; the SDC score expressions are evaluated by an independent
FHIRPath engine (``fhirpathpy``) and compared with :func:`wf.score`.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

import wellbeing_framework as wf
from fhir_helpers import bundle, response
from wellbeing_framework.exceptions import DataFileError, FrameworkDefinitionError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SAMPLE = EXAMPLES / "fhir_sample_responses.json"


@pytest.fixture(scope="module")
def fw() -> wf.Framework:
    return wf.load_framework()


def continuous() -> wf.Framework:
    fw = wf.load_framework()
    return fw.adapt(
        key="vas",
        title="Wellbeing (VAS)",
        version="1",
        scale=wf.RatingScale(min=0, max=100, integer=False),
    )


def unlabelled() -> wf.Framework:
    fw = wf.load_framework()
    return fw.adapt(
        key="plain_0_4", title="Plain", version="2", scale=wf.RatingScale(min=0, max=4)
    )


def weighted() -> wf.Framework:
    """Weights and a reverse-keyed indicator: what the score expressions must follow."""
    return wf.framework_from_dict(
        {
            "key": "w",
            "title": "Weighted",
            "version": "1",
            "scale": {"min": 1, "max": 5},
            "domains": [
                {
                    "key": "a",
                    "title": "A",
                    "indicators": [
                        {"key": "a1", "text": "one", "weight": 2},
                        {"key": "a2", "text": "two", "reverse": True},
                        {"key": "a3", "text": "three"},
                    ],
                },
                {
                    "key": "b",
                    "title": "B",
                    "indicators": [{"key": "b1", "text": "four"}, {"key": "b2", "text": "five"}],
                },
            ],
        }
    )


FRAMEWORKS = {
    "bundled": wf.load_framework,
    "children": lambda: wf.load_framework("children_young_people"),
    "continuous": continuous,
    "unlabelled": unlabelled,
    "weighted": weighted,
}


class TestQuestionnaire:
    @pytest.mark.parametrize("name", FRAMEWORKS)
    def test_valid_r4_and_round_trips(self, name: str) -> None:
        """Every framework makes a valid Questionnaire (fhir.resources) and reads back."""
        framework = FRAMEWORKS[name]()
        for calculated in (False, True):
            doc = wf.interop.to_questionnaire(framework, calculated=calculated)
            Questionnaire.model_validate(json.loads(json.dumps(doc)))
            back = wf.interop.from_questionnaire(doc)
            assert back.key == framework.key
            assert back.version == framework.version
            assert back.title == framework.title
            assert back.domains == framework.domains
            assert back.scale == framework.scale
            assert back.centre == framework.centre
            assert back.source == framework.source
            assert back.adapted_from == framework.adapted_from
            assert back.values == ()
            assert back.continuum is None

    def test_items(self, fw: wf.Framework) -> None:
        """One group per domain with its aim as text, a choice item per indicator."""
        doc = wf.interop.to_questionnaire(fw)
        groups = [i for i in doc["item"] if i["type"] == "group" and i["linkId"] != "centre-items"]
        assert [g["linkId"] for g in groups] == ["rb", "pm", "ir", "sw"]
        assert groups[3]["text"] == fw.domain("sw").aim
        sw5 = groups[3]["item"][4]
        assert sw5["linkId"] == "sw5"
        assert sw5["type"] == "choice"
        assert sw5["text"] == fw.indicator("sw5").text
        options = [o["valueCoding"] for o in sw5["answerOption"]]
        assert [o["code"] for o in options] == ["1", "2", "3", "4", "5"]
        assert [o["display"] for o in options] == list(fw.scale.labels)
        assert doc["item"][0] == {
            "linkId": "scale-question",
            "type": "display",
            "text": "How true is this for you now?",
        }
        centre = doc["item"][-1]
        assert [i["linkId"] for i in centre["item"]] == ["qol", "self_worth"]
        assert doc["publisher"] == fw.source.publisher

    def test_continuous_scale_is_decimal(self) -> None:
        doc = wf.interop.to_questionnaire(continuous())
        item = doc["item"][1]["item"][0]
        assert item["type"] == "decimal"
        assert "answerOption" not in item
        values = {e["url"].rsplit("/", 1)[-1]: e["valueDecimal"] for e in item["extension"]}
        assert values == {"minValue": 0, "maxValue": 100}

    def test_code_system_valid_and_holds_every_code(self, fw: wf.Framework) -> None:
        system = wf.interop.to_code_system(fw)
        CodeSystem.model_validate(system)
        codes = {c["code"] for c in system["concept"]}
        assert {"index", "rb", "sw5", "qol", "band-thriving", "flag-safeguarding", "3"} <= codes
        assert system["count"] == len(system["concept"])

    def test_a_foreign_questionnaire(self) -> None:
        """A Questionnaire from elsewhere: integer answer options, items outside groups."""
        doc = {
            "resourceType": "Questionnaire",
            "status": "active",
            "name": "PHQ2",
            "title": "Two questions",
            "version": "0.1",
            "item": [
                {
                    "linkId": f"q{n}",
                    "text": f"Question {n}",
                    "type": "choice",
                    "answerOption": [{"valueInteger": v} for v in range(4)],
                }
                for n in (1, 2)
            ],
        }
        fw = wf.interop.from_questionnaire(doc)
        assert fw.key == "PHQ2"
        assert fw.indicator_keys == ("q1", "q2")
        assert (fw.scale.min, fw.scale.max, fw.scale.labels) == (0, 3, ())

    def test_faults_listed_with_paths(self) -> None:
        with pytest.raises(FrameworkDefinitionError, match="not a Questionnaire"):
            wf.interop.from_questionnaire({"resourceType": "Patient"})
        doc = wf.interop.to_questionnaire(wf.load_framework())
        doc["item"][1]["item"][0]["answerOption"] = doc["item"][1]["item"][0]["answerOption"][:3]
        doc["item"][2]["item"][1]["answerOption"] = [{"valueCoding": {"code": "high"}}]
        with pytest.raises(FrameworkDefinitionError) as caught:
            wf.interop.from_questionnaire(doc)
        text = str(caught.value)
        assert "whole-number" in text
        assert "$.item[2].item[1]" in text
        assert "different scales" in text

    @pytest.mark.parametrize("name", ["bundled", "weighted", "continuous"])
    def test_score_expressions_match_score(self, name: str) -> None:
        """The SDC calculatedExpression, run by an independent FHIRPath engine, gives the
        scores wf.score gives, missing answers included."""
        import fhirpathpy
        from fhirpathpy.models import models

        framework = FRAMEWORKS[name]()
        ratings = _ratings_for(framework, 40)
        scores = wf.score(ratings, framework)
        doc = wf.interop.to_questionnaire(framework, calculated=True)
        expressions = {
            i["linkId"]: i["extension"][0]["valueExpression"]["expression"]
            for g in doc["item"]
            if g["type"] == "group"
            for i in g["item"]
            if i["linkId"].endswith(".score")
        }
        assert set(expressions) == {f"{d.key}.score" for d in framework.domains}
        for n, row in enumerate(ratings.to_dict(orient="records")):
            qr = response(row, framework, n)
            for domain in framework.domains:
                got = fhirpathpy.evaluate(
                    qr, expressions[f"{domain.key}.score"], {"resource": qr}, models["r4"]
                )
                want = scores[domain.key].iloc[n]
                if math.isnan(want):
                    assert got == []
                else:
                    assert float(got[0]) == pytest.approx(want, abs=1e-9)


def _ratings_for(framework: wf.Framework, n: int, seed: int = 3) -> pd.DataFrame:
    """Ratings of any framework, with missing answers, some domains too thin to score."""
    rng = np.random.default_rng(seed)
    scale = framework.scale
    data: dict[str, Any] = {
        "person_id": [f"P{i % 15:03d}" for i in range(n)],
        "assessment_date": pd.date_range("2025-01-06", periods=n, freq="7D"),
        "rater": ["self" if i % 4 else "practitioner" for i in range(n)],
    }
    for key in [*framework.indicator_keys, *(c.key for c in framework.centre)]:
        if scale.integer:
            values = rng.integers(int(scale.min), int(scale.max) + 1, n).astype(float)
        else:
            values = np.round(rng.uniform(scale.min, scale.max, n), 3)
        values[rng.random(n) < 0.3] = np.nan
        data[key] = values
    return pd.DataFrame(data)


class TestResponses:
    @pytest.mark.parametrize("style", ["coding", "integer", "display"])
    def test_bundle_round_trip(self, fw: wf.Framework, style: str) -> None:
        """Responses built by hand read back as the ratings they hold."""
        ratings = wf.make_cohort(25, waves=2, seed=4)
        doc = bundle(ratings, fw, style=style)
        Bundle.model_validate(json.loads(json.dumps(doc)))
        table = wf.interop.read_questionnaire_responses(doc, fw)
        assert len(table) == len(ratings)
        keys = [*fw.indicator_keys, "qol", "self_worth"]
        np.testing.assert_array_equal(
            table[keys].to_numpy(dtype=float), ratings[keys].to_numpy(dtype=float)
        )
        assert table["person_id"].tolist() == [f"Patient/{p}" for p in ratings["person_id"]]
        assert table["rater"].tolist() == ratings["rater"].tolist()
        dates = table["assessment_date"].dt.normalize().to_numpy()
        assert (dates == ratings["assessment_date"].to_numpy()).all()
        assert table["assessment_date"].iloc[0].hour == 10  # as written, never shifted
        assert table.attrs["read"]["skipped"] == {"Patient": ratings["person_id"].nunique()}

    def test_every_source_kind(self, fw: wf.Framework, tmp_path: Path) -> None:
        """A Bundle file, NDJSON, a folder and a list give the same table."""
        ratings = wf.make_cohort(6, waves=2, seed=5)
        doc = bundle(ratings, fw)
        resources = [e["resource"] for e in doc["entry"]]
        (tmp_path / "b.json").write_text(json.dumps(doc))
        (tmp_path / "r.ndjson").write_text("\n".join(json.dumps(r) for r in resources) + "\n")
        folder = tmp_path / "folder"
        folder.mkdir()
        for n, resource in enumerate(resources):
            (folder / f"{n:03d}.json").write_text(json.dumps(resource))
        tables = [
            wf.interop.read_questionnaire_responses(source, fw)
            for source in (doc, resources, tmp_path / "b.json", tmp_path / "r.ndjson", folder)
        ]
        for table in tables[1:]:
            pd.testing.assert_frame_equal(
                table.reset_index(drop=True), tables[0].reset_index(drop=True)
            )

    def test_problems_listed_by_position_never_content(self, fw: wf.Framework) -> None:
        ratings = wf.make_cohort(4, waves=1, seed=6)
        doc = bundle(ratings, fw)
        qrs = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] != "Patient"]
        qrs[0]["item"][0]["item"][0]["answer"] = [{"valueString": "Mrs Jones said: fine"}]
        qrs[1]["item"].append({"linkId": "rb9", "answer": [{"valueInteger": 3}]})
        qrs[2]["questionnaire"] = "http://other.org/Questionnaire/phq9"
        qrs[3]["item"][1]["item"][0]["answer"] = [{"valueInteger": 3}, {"valueInteger": 4}]
        with pytest.raises(DataFileError) as caught:
            wf.interop.read_questionnaire_responses(doc, fw)
        text = str(caught.value)
        assert "4 responses cannot be read" in text
        assert "valueString where a rating was expected" in text
        assert "item[5]: its linkId is not an item of the framework" in text
        assert "another questionnaire" in text
        assert "2 answers" in text
        assert "entry 5" in text  # Patients first: the first response is entry 5
        for secret in ("Jones", *ratings["person_id"]):
            assert secret not in text
        table = wf.interop.read_questionnaire_responses(doc, fw, errors="reject")
        assert len(table) == len(qrs) - 4
        assert len(table.attrs["read"]["rejected"]) == 4

    def test_reject_accounts_for_every_response(self, fw: wf.Framework) -> None:
        ratings = wf.make_cohort(10, waves=1, seed=7)
        resources = [response(r, fw, n) for n, r in enumerate(ratings.to_dict("records"))]
        resources[3]["status"] = "entered-in-error"
        resources[6]["item"][0]["item"][1]["answer"] = [{"valueBoolean": True}]
        table = wf.interop.read_questionnaire_responses(resources, fw, errors="reject")
        rejected = table.attrs["read"]["rejected"]
        assert len(table) + len(rejected) == len(ratings)
        assert rejected["resource"].tolist() == ["item 4", "item 7"]
        kept = [n for n in range(1, len(ratings) + 1) if n not in (4, 7)]
        assert table.index.tolist() == kept  # positions kept

    def test_out_of_range_and_missing_person_go_to_validate(self, fw: wf.Framework) -> None:
        """A rating of 9 and a response without a subject are rows validate rejects."""
        ratings = wf.make_cohort(3, waves=1, seed=8)
        resources = [
            response(r, fw, n, style="integer") for n, r in enumerate(ratings.to_dict("records"))
        ]
        resources[0]["item"][0]["item"][0]["answer"] = [{"valueInteger": 9}]
        del resources[1]["subject"]
        table = wf.interop.read_questionnaire_responses(resources, fw)
        report = wf.validate(table, fw)
        assert report.n_rows == report.n_valid + report.n_rejected == len(ratings)
        assert report.n_rejected == 2

    def test_bad_sources(self, fw: wf.Framework, tmp_path: Path) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text('{"resourceType": "Bundle", "entry": [')
        with pytest.raises(DataFileError, match="not valid JSON"):
            wf.interop.read_questionnaire_responses(bad, fw)
        with pytest.raises(DataFileError, match=r"no QuestionnaireResponse found.*Patient 1"):
            wf.interop.read_questionnaire_responses({"resourceType": "Patient"}, fw)
        lines = tmp_path / "x.ndjson"
        lines.write_text('{"resourceType": "QuestionnaireResponse"\nnot json\n')
        with pytest.raises(DataFileError, match=r"line 1: cannot be read \(not JSON\)"):
            wf.interop.read_questionnaire_responses(lines, fw)
        with pytest.raises(DataFileError, match="no such file"):
            wf.interop.read_questionnaire_responses(tmp_path / "absent.json", fw)
        with pytest.raises(ValueError, match="errors must be"):
            wf.interop.read_questionnaire_responses([], fw, errors="ignore")  # type: ignore[arg-type]

    def test_responses_validate_as_r4(self, fw: wf.Framework) -> None:
        """The helper's responses are themselves valid R4 (so the tests test real input)."""
        row = wf.make_cohort(1, waves=1, seed=0).to_dict("records")[0]
        QuestionnaireResponse.model_validate(response(row, fw, 0))


class TestObservations:
    def test_valid_bundle_with_every_score(self, fw: wf.Framework) -> None:
        ratings = wf.make_cohort(30, waves=2, seed=9)
        scores = wf.score(ratings, fw)
        doc = wf.interop.to_observations(scores, fw)
        Bundle.model_validate(json.loads(json.dumps(doc)))
        assert len(doc["entry"]) == len(scores)
        system = wf.interop.to_code_system(fw)
        codes = {c["code"] for c in system["concept"]}
        for entry, (_, row) in zip(doc["entry"], scores.iterrows(), strict=True):
            obs = entry["resource"]
            parts = {c["code"]["coding"][0]["code"]: c for c in obs["component"]}
            assert set(parts) <= codes
            for key in ("rb", "pm", "ir", "sw", "qol", "self_worth"):
                if pd.isna(row[key]):
                    assert "dataAbsentReason" in parts[key]
                else:
                    assert parts[key]["valueQuantity"]["value"] == row[key]
                    band = parts[key]["interpretation"][0]["coding"][0]["display"]
                    assert band == row[f"{key}_band"]
            if pd.isna(row["index"]):
                assert "dataAbsentReason" in obs
            else:
                assert obs["valueQuantity"]["value"] == row["index"]
            flag = (
                parts["flag-safeguarding"]["valueBoolean"]
                if "flag-safeguarding" in parts
                else None
            )
            assert flag == (
                None if pd.isna(row["flag_safeguarding"]) else bool(row["flag_safeguarding"])
            )
            assert obs["effectiveDateTime"] == row["assessment_date"].strftime("%Y-%m-%d")

    def test_transaction_and_not_scores(self, fw: wf.Framework) -> None:
        scores = wf.score(wf.make_cohort(2, waves=1, seed=1), fw)
        doc = wf.interop.to_observations(scores, fw, bundle_type="transaction")
        Bundle.model_validate(doc)
        assert doc["entry"][0]["request"] == {"method": "POST", "url": "Observation"}
        with pytest.raises(ValueError, match="not a scores table"):
            wf.interop.to_observations(wf.make_cohort(2, waves=1, seed=1), fw)

    def test_round_trip_responses_to_observations(self, fw: wf.Framework) -> None:
        """responses -> ratings -> scores -> observations: each cites its response."""
        ratings = wf.make_cohort(20, waves=3, seed=10)
        doc = bundle(ratings, fw)
        table = wf.interop.read_questionnaire_responses(doc, fw)
        scores = wf.score(table, fw)
        direct = wf.score(ratings, fw)
        np.testing.assert_allclose(scores["index"], direct["index"], equal_nan=True)
        out = wf.interop.to_observations(scores, fw)
        Bundle.model_validate(out)
        cited = [e["resource"]["derivedFrom"][0]["reference"] for e in out["entry"]]
        assert cited == [f"QuestionnaireResponse/qr{n}" for n in range(len(ratings))]
        subjects = [e["resource"]["subject"]["reference"] for e in out["entry"]]
        assert subjects == [f"Patient/{p}" for p in ratings["person_id"]]

    def test_pseudonymised_ids_go_as_identifiers(self, fw: wf.Framework) -> None:
        ratings = wf.make_cohort(3, waves=1, seed=2)
        ratings["person_id"] = wf.pseudonymise(ratings["person_id"], key="k" * 32)
        doc = wf.interop.to_observations(wf.score(ratings, fw), fw, subject_system="urn:x")
        subject = doc["entry"][0]["resource"]["subject"]
        assert subject == {"identifier": {"system": "urn:x", "value": ratings["person_id"][0]}}


def sample_bundle() -> dict[str, Any]:
    """The sample in examples/: 8 synthetic people, 2 waves, self and practitioner."""
    fw = wf.load_framework()
    ratings = wf.make_cohort(8, waves=2, seed=2026)
    return bundle(ratings, fw)


class TestSample:
    def test_sample_bundle_is_made_by_the_tests(self) -> None:
        """examples/fhir_sample_responses.json is what this test makes (set
        WF_WRITE_EXAMPLES=1 to write it again), valid R4, and reads as ratings."""
        made = sample_bundle()
        if os.environ.get("WF_WRITE_EXAMPLES"):
            SAMPLE.write_text(json.dumps(made, indent=1) + "\n", encoding="utf-8")
        assert json.loads(SAMPLE.read_text(encoding="utf-8")) == made
        Bundle.model_validate(made)
        table = wf.interop.read_questionnaire_responses(SAMPLE, wf.load_framework())
        assert wf.validate(table, wf.load_framework()).ok
