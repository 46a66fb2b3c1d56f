"""Interop on hard input: each case here was once read wrongly, silently or with a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf
from fhir_helpers import response
from wellbeing_framework.cli import main
from wellbeing_framework.exceptions import DataFileError, FrameworkDefinitionError

pyreadstat = pytest.importorskip("pyreadstat")
SECRET = "Jane-Doe-0412"


@pytest.fixture(scope="module")
def fw() -> wf.Framework:
    return wf.load_framework()


def _qr(fw: wf.Framework, items: Any, **extra: Any) -> dict[str, Any]:
    url = wf.interop.to_questionnaire(fw)["url"]
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": url,
        "status": "completed",
        "subject": {"reference": f"Patient/{SECRET}"},
        "authored": "2025-03-10",
        "item": items,
        **extra,
    }


class TestResponsesHard:
    @pytest.mark.parametrize(
        "items",
        [
            [{"linkId": "rb1", "answer": {"valueInteger": 4}}],  # answer an object
            [{"linkId": "rb1", "answer": "4"}],
            [{"linkId": "rb1", "answer": ["4"]}],
            {"linkId": "rb1"},  # item an object
            "rb1",
            [7],
            [{"linkId": ["a"]}],  # linkId not text
            [{"linkId": "rb1", "answer": [{"valueDecimal": float("nan")}]}],
            [{"linkId": "rb1", "answer": [{"valueInteger": 10**400}]}],
            [{"linkId": "rb1", "answer": [{"valueCoding": {"code": "nan"}}]}],
            [{"linkId": "rb1", "answer": [{"valueCoding": {"code": "0_4"}}]}],
        ],
    )
    def test_malformed_answers_are_problems_not_blanks(self, fw: wf.Framework, items: Any) -> None:
        """Never read as unanswered, never a crash: a problem, by position."""
        with pytest.raises(DataFileError) as caught:
            wf.interop.read_questionnaire_responses([_qr(fw, items)], fw)
        assert "1 responses cannot be read" in str(caught.value)
        assert SECRET not in str(caught.value)

    def test_no_content_in_messages(self, fw: wf.Framework) -> None:
        """A linkId holding free text, a resourceType holding a name: never echoed."""
        text = "Jane Doe said she feels unsafe at home"
        bad = [
            _qr(fw, [{"linkId": text, "answer": [{"valueInteger": 3}]}]),
            {"resourceType": f"{SECRET} secret note"},
        ]
        table = wf.interop.read_questionnaire_responses(bad, fw, errors="reject")
        said = json.dumps(table.attrs["read"]["rejected"].to_dict()) + json.dumps(
            table.attrs["read"]["skipped"]
        )
        assert "Jane" not in said
        assert "item[0]: its linkId is not an item of the framework" in said
        with pytest.raises(ValueError, match="looks like JSON text"):
            wf.interop.read_questionnaire_responses(json.dumps(bad[0]), fw)

    def test_bad_file_in_a_folder_is_one_rejection(self, fw: wf.Framework, tmp_path: Path) -> None:
        ratings = wf.make_cohort(2, waves=1, seed=1, practitioner_share=0)
        for n, row in enumerate(ratings.to_dict("records")):
            (tmp_path / f"{n}.json").write_text(json.dumps(response(row, fw, n)))
        (tmp_path / "9.json").write_text("{ broken")
        (tmp_path / "sub.json").mkdir()  # a folder with a .json name
        table = wf.interop.read_questionnaire_responses(tmp_path, fw, errors="reject")
        assert len(table) == 2
        assert table.attrs["read"]["rejected"]["resource"].tolist() == ["file 3"]

    def test_ndjson_only_splits_on_newlines(self, fw: wf.Framework, tmp_path: Path) -> None:
        row = wf.make_cohort(1, waves=1, seed=2).to_dict("records")[0]
        qr = response(row, fw, 0)
        qr["item"][0]["text"] = "a\u2028b"
        path = tmp_path / "r.ndjson"
        path.write_text(json.dumps(qr, ensure_ascii=False) + "\n", encoding="utf-8")
        assert len(wf.interop.read_questionnaire_responses(path, fw)) == 1
        path.write_text(json.dumps(qr, indent=2))  # pretty-printed, though called .ndjson
        assert len(wf.interop.read_questionnaire_responses(path, fw)) == 1

    def test_versions_and_references(self, fw: wf.Framework) -> None:
        url = wf.interop.to_questionnaire(fw)["url"]
        row = wf.make_cohort(1, waves=1, seed=3, practitioner_share=0).to_dict("records")[0]
        other = response(row, fw, 0, questionnaire=f"{url}|9.9.9")
        with pytest.raises(DataFileError, match="another version"):
            wf.interop.read_questionnaire_responses([other], fw)
        same = response(row, fw, 0, questionnaire=f"{url}|{fw.version}")
        relative = response(row, fw, 1, questionnaire="Questionnaire/ni-social-wellbeing")
        assert len(wf.interop.read_questionnaire_responses([same, relative], fw)) == 2

    def test_partial_and_foreign_dates_are_problems(self, fw: wf.Framework) -> None:
        rows = wf.make_cohort(3, waves=1, seed=4, practitioner_share=0).to_dict("records")
        qrs = [response(r, fw, n) for n, r in enumerate(rows)]
        qrs[0]["authored"], qrs[1]["authored"] = "2025-03", "10/03/2025"
        with pytest.raises(DataFileError, match="item 1: authored is not a full FHIR date"):
            wf.interop.read_questionnaire_responses(qrs, fw)
        table = wf.interop.read_questionnaire_responses(qrs, fw, errors="reject")
        assert len(table) == 1
        assert len(table.attrs["read"]["rejected"]) == 2

    def test_status_and_subject_systems_travel(self, fw: wf.Framework) -> None:
        rows = wf.make_cohort(2, waves=1, seed=5, practitioner_share=0).to_dict("records")
        qrs = [response(r, fw, n) for n, r in enumerate(rows)]
        nhs = "https://fhir.nhs.uk/Id/nhs-number"
        qrs[0]["subject"] = {"identifier": {"system": nhs, "value": "9434765919"}}
        qrs[1]["subject"] = {"reference": "https://ehr.example.org/fhir/Patient/p1"}
        qrs[1]["status"] = "in-progress"
        table = wf.interop.read_questionnaire_responses(qrs, fw)
        assert table["status"].tolist() == ["completed", "in-progress"]
        out = wf.interop.to_observations(wf.score(table, fw), fw)
        subjects = [e["resource"]["subject"] for e in out["entry"]]
        assert subjects[0] == {"identifier": {"system": nhs, "value": "9434765919"}}
        assert subjects[1] == {"reference": "https://ehr.example.org/fhir/Patient/p1"}
        again = wf.interop.to_observations(wf.score(table, fw), fw)
        assert out["entry"][0]["fullUrl"] != again["entry"][0]["fullUrl"]


class TestObservationsHard:
    def test_flags_read_back_from_csv_keep_their_value(
        self, fw: wf.Framework, tmp_path: Path
    ) -> None:
        """A scores CSV holds "True"/"False": False must stay false."""
        scores = wf.score(wf.make_cohort(40, waves=1, seed=5), fw)
        wf.write_table(scores, tmp_path / "s.csv")
        back = wf.read_ratings(tmp_path / "s.csv")
        out = wf.interop.to_observations(back, fw)
        got = []
        for entry in out["entry"]:
            parts = {c["code"]["coding"][0]["code"]: c for c in entry["resource"]["component"]}
            got.append(parts.get("flag-safeguarding", {}).get("valueBoolean"))
        want = [None if pd.isna(v) else bool(v) for v in scores["flag_safeguarding"]]
        assert got == want
        assert False in got
        with pytest.raises(ValueError, match="not true or false"):
            wf.interop.to_observations(back.assign(flag_safeguarding="maybe"), fw)


class TestQuestionnaireHard:
    def test_domain_keys_that_were_reserved_linkids(self) -> None:
        """Domains keyed 'centre' or 'question' survive the round trip."""
        doc = {
            "key": "x",
            "title": "X",
            "version": "1",
            "scale": {"min": 1, "max": 3},
            "domains": [
                {"key": "centre", "title": "C", "indicators": [{"key": "c1", "text": "one"}]},
                {"key": "question", "title": "Q", "indicators": [{"key": "q1", "text": "t"}]},
            ],
            "centre": [{"key": "qol", "title": "Quality of Life"}],
        }
        framework = wf.framework_from_dict(doc)
        back = wf.interop.from_questionnaire(wf.interop.to_questionnaire(framework))
        assert back.domains == framework.domains
        assert back.centre == framework.centre

    @pytest.mark.parametrize(
        "mangle",
        [
            lambda q: q.update(item=5),
            lambda q: q["item"][1]["item"][0].update(answerOption=5),
            lambda q: q["item"][1].update(code={"a": 1}),
            lambda q: q["item"][1]["item"][0]["answerOption"][0]["valueCoding"]["extension"][
                0
            ].update(valueDecimal=float("inf")),
        ],
    )
    def test_odd_structures_are_definition_errors(self, fw: wf.Framework, mangle: Any) -> None:
        doc = wf.interop.to_questionnaire(fw)
        mangle(doc)
        with pytest.raises(FrameworkDefinitionError):
            wf.interop.from_questionnaire(doc)

    def test_arguments_checked(self, fw: wf.Framework) -> None:
        with pytest.raises(ValueError, match="status must be"):
            wf.interop.to_questionnaire(fw, status="published")
        with pytest.raises(TypeError, match="calculated must be"):
            wf.interop.to_questionnaire(fw, calculated="yes")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="absolute URL"):
            wf.interop.to_questionnaire(fw, base="fhir")
        q = wf.interop.to_questionnaire(fw, base="https://trust.example/fhir/")
        assert q["url"] == "https://trust.example/fhir/Questionnaire/ni-social-wellbeing"


class TestStatFilesHard:
    def test_nominal_ratings_keep_their_numbers(self, fw: wf.Framework, tmp_path: Path) -> None:
        """SPSS often calls labelled ratings nominal: they are still ratings."""
        data = pd.DataFrame(
            {"person_id": ["A1"], "rater": ["self"], **{k: [3.0] for k in fw.indicator_keys}}
        )
        pyreadstat.write_sav(
            data,
            tmp_path / "n.sav",
            variable_value_labels={
                k: {1.0: "not at all", 3.0: "somewhat"} for k in fw.indicator_keys
            },
            variable_measure=dict.fromkeys(fw.indicator_keys, "nominal"),
        )
        table = wf.read_ratings(tmp_path / "n.sav")
        assert wf.validate(table, fw).ok
        assert table.attrs["read"]["value_labels"]["rb1"][3] == "somewhat"

    def test_seconds_resolution_dates(self, tmp_path: Path) -> None:
        ratings = wf.make_cohort(3, waves=1, seed=1)
        ratings["assessment_date"] = ratings["assessment_date"].astype("datetime64[s]")
        for suffix in (".sav", ".dta"):
            wf.write_table(ratings, tmp_path / f"r{suffix}")
            back = wf.read_ratings(tmp_path / f"r{suffix}")
            assert (
                back["assessment_date"].to_numpy() == ratings["assessment_date"].to_numpy()
            ).all()

    def test_stata_without_its_sidecar(self, fw: wf.Framework, tmp_path: Path) -> None:
        """Bands and flags are known by their names when the metadata file is lost."""
        scores = wf.score(wf.make_cohort(10, waves=1, seed=2), fw)
        out = wf.write_table(scores, tmp_path / "s.dta")
        wf.tables.sidecar_path(out).unlink()
        back = wf.read_ratings(out)
        assert back["sw_band"].astype(object).tolist() == scores["sw_band"].astype(object).tolist()
        assert back["flag_safeguarding"].dtype == "boolean"

    def test_spss_labels_for_every_kind_of_column(self, fw: wf.Framework, tmp_path: Path) -> None:
        scores = wf.score(wf.make_cohort(5, waves=1, seed=3), fw)
        wf.write_table(scores, tmp_path / "s.sav")
        _, meta = pyreadstat.read_sav(tmp_path / "s.sav", metadataonly=True)
        labels = meta.column_names_to_labels
        assert labels["person_id"] == "Person (identifier)"
        assert labels["flag_safeguarding"] == "Flag: safeguarding"
        assert meta.variable_measure["sw_band"] == "ordinal"
        assert meta.variable_measure["sw"] == "scale"


class TestRedcapHard:
    def write(self, tmp_path: Path, text: str) -> Path:
        path = tmp_path / "export.csv"
        path.write_text(text, encoding="utf-8")
        return path

    def test_no_record_field_is_refused(self, fw: wf.Framework, tmp_path: Path) -> None:
        path = self.write(
            tmp_path, "redcap_event_name,assessment_date,rb1\nbaseline_arm_1,2025-03-10,4\n"
        )
        with pytest.raises(DataFileError, match="no 'record_id' column"):
            wf.interop.read_redcap(path, fw)
        path = self.write(tmp_path, "study_id,assessment_date,rb1\n7,2025-03-10,4\n")
        assert wf.interop.read_redcap(path, fw, record="study_id")["person_id"].tolist() == ["7"]

    def test_an_indicator_keyed_like_a_score(self, tmp_path: Path) -> None:
        framework = wf.framework_from_dict(
            {
                "key": "x",
                "title": "X",
                "version": "1",
                "scale": {"min": 1, "max": 5},
                "domains": [
                    {
                        "key": "pm",
                        "title": "P",
                        "indicators": [
                            {"key": "pm_score", "text": "a"},
                            {"key": "p2", "text": "b"},
                        ],
                    }
                ],
            }
        )
        with pytest.raises(ValueError, match="pm_score and score of pm"):
            wf.interop.redcap_dictionary(framework)

    def test_uk_dates_and_upper_case_headers(self, fw: wf.Framework, tmp_path: Path) -> None:
        path = self.write(
            tmp_path,
            "RECORD_ID,REDCAP_EVENT_NAME,ASSESSMENT_DATE,RB1,RB2\n"
            "7,baseline_arm_1,10/03/2025,4,5\n7,review_arm_1,05/06/2025,5,5\n",
        )
        table = wf.interop.read_redcap(path, fw)
        assert table["assessment_date"].dt.strftime("%Y-%m-%d").tolist() == [
            "2025-03-10",
            "2025-06-05",
        ]
        assert table["rb1"].tolist() == [4, 5]

    def test_waves_are_the_project_events(self, fw: wf.Framework, tmp_path: Path) -> None:
        """Someone who missed baseline has their month-6 visit at wave 2, not 1."""
        path = self.write(
            tmp_path,
            "record_id,redcap_event_name,assessment_date,rb1,rb2\n"
            "1,baseline_arm_1,2025-03-10,4,5\n1,month_6_arm_1,2025-09-10,5,5\n"
            "2,month_6_arm_1,2025-09-12,2,2\n",
        )
        table = wf.interop.read_redcap(path, fw)
        assert table["wave"].tolist() == [1, 2, 2]

    def test_a_repeating_instrument_of_another_name(
        self, fw: wf.Framework, tmp_path: Path
    ) -> None:
        path = self.write(
            tmp_path,
            "record_id,redcap_repeat_instrument,redcap_repeat_instance,"
            "assessment_date,rb1,rb2\n1,,,,,\n1,wellbeing_assessment,1,"
            "2025-03-10,4,5\n1,wellbeing_assessment,2,2025-06-10,5,5\n"
            "1,contacts,1,,,\n",
        )
        table = wf.interop.read_redcap(path, fw)
        assert table["wave"].tolist() == [1, 2]
        assert sum(table.attrs["read"]["skipped"].values()) == 2

    def test_missing_data_codes(self, fw: wf.Framework, tmp_path: Path) -> None:
        path = self.write(
            tmp_path, "record_id,assessment_date,rb1,rb2,rb3\n7,2025-03-10,UNK,NASK,4\n"
        )
        table = wf.interop.read_redcap(path, fw)
        assert table[["rb1", "rb2"]].isna().all(axis=None)
        assert table.attrs["read"]["missing"] == {"UNK": 1, "NASK": 1}

    def test_dictionary_cells_cannot_run(self) -> None:
        framework = wf.framework_from_dict(
            {
                "key": "x",
                "title": "X",
                "version": "1",
                "scale": {"min": 1, "max": 2, "labels": ["a | b", "=1+1"]},
                "domains": [
                    {
                        "key": "d",
                        "title": "D",
                        "indicators": [{"key": "d1", "text": '=HYPERLINK("http://x")'}],
                    }
                ],
            }
        )
        table = wf.interop.redcap_dictionary(framework)
        row = table.set_index("Variable / Field Name").loc["d1"]
        assert row["Field Label"].startswith("'=")
        assert row["Choices, Calculations, OR Slider Labels"] == "1, a / b | 2, =1+1"

    def test_index_when_not_every_domain_is_needed(self) -> None:
        from test_interop_files import redcap_eval

        framework = wf.load_framework()
        rules = wf.ScoringRules(index_requires_all=False)
        table = wf.interop.redcap_dictionary(framework, calculated=rules)
        calcs = table.set_index("Variable / Field Name")["Choices, Calculations, OR Slider Labels"]
        record: dict[str, Any] = {
            "rb_score": 50.0,
            "pm_score": None,
            "ir_score": 75.0,
            "sw_score": None,
        }
        assert redcap_eval(calcs["index_score"], record) == 62.5

    def test_labelled_export_on_the_command_line(
        self, fw: wf.Framework, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        dictionary = wf.interop.redcap_dictionary(fw)
        label = dict(
            zip(dictionary["Variable / Field Name"], dictionary["Field Label"], strict=True)
        )
        keys = ["record_id", "assessment_date", "rater", *fw.indicator_keys, "rb_score"]
        rows = [["7", "2025-03-10", "self", *["mostly"] * 18, "75"]]
        frame = pd.DataFrame(rows, columns=[label[k] for k in keys])
        path = tmp_path / "labelled.csv"
        frame.to_csv(path, index=False)
        out = tmp_path / "s.csv"
        assert main(["score", str(path), "-o", str(out)]) == 0
        scores = wf.read_ratings(out)
        assert scores["rb"].tolist() == [75.0]
        assert not any("score (0-100)" in str(c) for c in scores.columns)
        capsys.readouterr()


def test_cli_fhir_crash_inputs_are_reported(
    tmp_path: Path, fw: wf.Framework, capsys: pytest.CaptureFixture[str]
) -> None:
    """Inputs that once printed a traceback give a problem and exit 1."""
    doc = {"resourceType": "Bundle", "entry": [7, {"resource": _qr(fw, 5)}]}
    path = tmp_path / "b.json"
    path.write_text(json.dumps(doc))
    assert main(["score", str(path), "-o", str(tmp_path / "s.csv")]) == 1
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    assert SECRET not in said.err + said.out
    assert np.isnan(np.nan)
