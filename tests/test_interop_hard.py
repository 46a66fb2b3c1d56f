"""Interop on hard input: each case here was once read wrongly, silently or with a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyreadstat  # the interop extra, in the test extra
import pytest

import wellbeing_framework as wf
from fhir_helpers import response
from wellbeing_framework.cli import main
from wellbeing_framework.exceptions import DataFileError, FrameworkDefinitionError

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


class TestSecondRound:
    """Cases found once the first round was fixed."""

    def test_bundle_entry_not_a_list(
        self, fw: wf.Framework, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(DataFileError, match="its entry is not a list"):
            wf.interop.read_questionnaire_responses({"resourceType": "Bundle", "entry": 7}, fw)
        path = tmp_path / "b.json"
        path.write_text('{"resourceType": "Bundle", "entry": 3.5}')
        assert main(["score", str(path), "-o", str(tmp_path / "o.csv")]) == 1
        assert "Traceback" not in capsys.readouterr().err

    def test_a_number_too_long_is_one_bad_line(self, fw: wf.Framework, tmp_path: Path) -> None:
        row = wf.make_cohort(1, waves=1, seed=1).to_dict("records")[0]
        good = json.dumps(response(row, fw, 0))
        path = tmp_path / "r.ndjson"
        path.write_text(good + "\n" + '{"valueInteger": ' + "9" * 5000 + "}\n")
        table = wf.interop.read_questionnaire_responses(path, fw, errors="reject")
        assert len(table) == 1
        assert table.attrs["read"]["rejected"]["resource"].tolist() == ["line 2"]

    def test_unknown_names_never_echoed(self, fw: wf.Framework) -> None:
        qr = _qr(fw, [{"linkId": "rb1", "answer": [{f"value{SECRET}": 1}]}])
        table = wf.interop.read_questionnaire_responses(
            [qr, {"resourceType": "JaneDoe"}], fw, errors="reject"
        )
        said = str(table.attrs["read"]["rejected"].to_dict()) + str(table.attrs["read"])
        assert SECRET not in said
        assert "JaneDoe" not in said
        assert table.attrs["read"]["skipped"] == {"another type": 1}

    def test_codings_of_another_system(self, fw: wf.Framework) -> None:
        """A SNOMED code "2" is not the rating 2; a matching display is."""
        foreign = {"system": "http://snomed.info/sct", "code": "2"}
        with pytest.raises(DataFileError, match="not a point of the scale"):
            wf.interop.read_questionnaire_responses(
                [_qr(fw, [{"linkId": "rb1", "answer": [{"valueCoding": foreign}]}])], fw
            )
        both = [{"valueInteger": 3, "valueCoding": {"code": "4"}}]
        with pytest.raises(DataFileError, match="more than one value"):
            wf.interop.read_questionnaire_responses(
                [_qr(fw, [{"linkId": "rb1", "answer": both}])], fw
            )

    def test_long_record_ids_stay_text(self, fw: wf.Framework, tmp_path: Path) -> None:
        path = tmp_path / "e.csv"
        path.write_text(
            "record_id,assessment_date,rb1\n12345678901234567,2025-03-10,4\n"
            "12345678901234568,2025-06-10,5\n"
        )
        table = wf.interop.read_redcap(path, fw)
        assert table["person_id"].tolist() == ["12345678901234567", "12345678901234568"]

    def test_redcap_waves_per_arm_and_bad_rows(self, fw: wf.Framework, tmp_path: Path) -> None:
        path = tmp_path / "e.csv"
        path.write_text(
            "record_id,redcap_event_name,rb1\n1,baseline_arm_1,4\n1,review_arm_1,5\n"
            "2,baseline_arm_2,3\n2,review_arm_2,3\n"
        )
        assert wf.interop.read_redcap(path, fw)["wave"].tolist() == [1, 2, 1, 2]
        path.write_text("record_id,redcap_event_name,rb1\n1,baseline_arm_1,4\n1,,5\n")
        with pytest.raises(DataFileError, match="1 rows name no event"):
            wf.interop.read_redcap(path, fw)
        path.write_text(
            "record_id,redcap_repeat_instrument,redcap_repeat_instance,rb1\n"
            "1,ni_social_wellbeing,abc,4\n"
        )
        with pytest.raises(DataFileError, match="repeat instance that is not a whole number"):
            wf.interop.read_redcap(path, fw)
        path.write_text("record_id,RB1,rb1\n1,4,4\n")
        with pytest.raises(DataFileError, match="two headers each name rb1"):
            wf.interop.read_redcap(path, fw)

    def test_large_instances_keep_their_order(self, fw: wf.Framework, tmp_path: Path) -> None:
        path = tmp_path / "e.csv"
        path.write_text(
            "record_id,redcap_event_name,redcap_repeat_instrument,"
            "redcap_repeat_instance,rb1\n1,a_arm_1,ni_social_wellbeing,2000000,4\n"
            "1,b_arm_1,ni_social_wellbeing,1,5\n1,a_arm_1,ni_social_wellbeing,1,3\n"
        )
        assert wf.interop.read_redcap(path, fw)["wave"].tolist() == [2, 3, 1]

    def test_cli_date_options_reach_redcap(
        self, fw: wf.Framework, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = tmp_path / "e.csv"
        path.write_text(
            "record_id,assessment_date,rater,"
            + ",".join(fw.indicator_keys)
            + "\n7,03/10/2025,self,"
            + ",".join(["4"] * 18)
            + "\n"
        )
        out = tmp_path / "s.parquet"
        assert main(["score", str(path), "-o", str(out), "--month-first"]) == 0
        assert str(wf.read_ratings(out)["assessment_date"].iloc[0].date()) == "2025-03-10"
        assert main(["score", str(path), "-o", str(out), "--columns", "x.json"]) == 2
        assert "apply to tables" in capsys.readouterr().err

    def test_observations_refuse_text_scores_without_echo(self, fw: wf.Framework) -> None:
        scores = wf.score(wf.make_cohort(3, waves=1, seed=1), fw)
        scores["rb"] = scores["rb"].astype(object)
        scores.loc[0, "rb"] = f"{SECRET} refused"
        with pytest.raises(ValueError, match="rb: 1 values that are not numbers") as caught:
            wf.interop.to_observations(scores, fw)
        assert SECRET not in str(caught.value)
        with pytest.raises(TypeError):
            wf.interop.to_observations([1, 2], fw)  # type: ignore[arg-type]

    def test_text_dates_read_by_the_rule(self, fw: wf.Framework) -> None:
        scores = wf.score(wf.make_cohort(1, waves=1, seed=1, practitioner_share=0), fw)
        scores["assessment_date"] = ["03/10/2025"]
        out = wf.interop.to_observations(scores, fw)
        assert out["entry"][0]["resource"]["effectiveDateTime"] == "2025-10-03"  # day first

    def test_base_with_a_slash_is_one_base(self, fw: wf.Framework) -> None:
        base = "https://fhir.example.org/"
        q = wf.interop.to_questionnaire(fw, base=base)
        system = wf.interop.to_code_system(fw, base=base)["url"]
        assert "//CodeSystem" not in system
        assert q["item"][1]["code"][0]["system"] == system
        with pytest.raises(ValueError, match="absolute URL"):
            wf.interop.to_code_system(fw, base="Jane Doe")

    def test_csv_index_cells_are_safe(self, tmp_path: Path) -> None:
        table = pd.DataFrame({"v": [1, 2]}, index=pd.Index(["=1+1", "@SUM(A1)"], name="=who"))
        text = wf.write_table(table, tmp_path / "x.csv", index=True).read_text(
            encoding="utf-8-sig"
        )
        assert '"\'=who"' in text
        assert '"\'=1+1"' in text

    def test_negative_scale_in_redcap(self) -> None:
        from test_interop_files import redcap_eval

        framework = wf.framework_from_dict(
            {
                "key": "x",
                "title": "X",
                "version": "1",
                "scale": {"min": -2, "max": 2, "labels": ["a", "b", "c", "d", "e"]},
                "domains": [
                    {
                        "key": "d",
                        "title": "D",
                        "indicators": [{"key": "d1", "text": "one"}, {"key": "d2", "text": "two"}],
                    }
                ],
            }
        )
        table = wf.interop.redcap_dictionary(framework).set_index("Variable / Field Name")
        assert table.loc["d1", "Choices, Calculations, OR Slider Labels"].startswith("-2, a")
        calc = table.loc["d_score", "Choices, Calculations, OR Slider Labels"]
        assert redcap_eval(calc, {"d1": -2, "d2": 2}) == 50.0

    def test_stale_sidecar_changes_nothing(self, fw: wf.Framework, tmp_path: Path) -> None:
        scores = wf.score(wf.make_cohort(5, waves=1, seed=1, practitioner_share=0), fw)
        out = wf.write_table(scores, tmp_path / "s.dta")
        frame = scores.assign(flag_safeguarding=[0, 2, 1, 0, 3][: len(scores)])[
            ["person_id", "flag_safeguarding"]
        ]
        pyreadstat.write_dta(frame, out)  # rewritten by another tool; the sidecar stays
        back = wf.read_ratings(out)
        assert back["flag_safeguarding"].tolist()[:3] == [0, 2, 1]
