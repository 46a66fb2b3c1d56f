"""SPSS and Stata files, and REDCap projects: written labelled, read back losslessly.

Stata files the library writes are read by pandas' own Stata reader (independent of
pyreadstat); SPSS files a statistician would bring (user-missing codes, value labels,
nominal variables) are made directly with pyreadstat, not through the library.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyreadstat  # the interop extra, in the test extra
import pytest

import wellbeing_framework as wf
from wellbeing_framework.exceptions import DataFileError


@pytest.fixture(scope="module")
def fw() -> wf.Framework:
    return wf.load_framework()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    assert list(a.columns) == list(b.columns)
    for column in a.columns:
        left, right = a[column], b[column]
        if isinstance(left.dtype, pd.CategoricalDtype):
            assert left.astype(object).tolist() == right.astype(object).tolist(), column
        elif pd.api.types.is_numeric_dtype(left.dtype) and not pd.api.types.is_bool_dtype(
            left.dtype
        ):
            np.testing.assert_allclose(left.to_numpy(float), right.to_numpy(float), err_msg=column)
        else:
            l_values = [None if pd.isna(v) else v for v in left.astype(object)]
            r_values = [None if pd.isna(v) else v for v in right.astype(object)]
            assert l_values == r_values, column


class TestStatFiles:
    @pytest.mark.parametrize("suffix", [".sav", ".zsav", ".dta"])
    def test_ratings_and_scores_round_trip(
        self, fw: wf.Framework, tmp_path: Path, suffix: str
    ) -> None:
        ratings = wf.make_cohort(40, waves=2, seed=1)
        scores = wf.score(ratings, fw)
        for table in (ratings, scores):
            out = wf.write_table(table, tmp_path / f"t{suffix}")
            back = wf.read_ratings(out)
            _same(table, back)
        as_json = json.loads(json.dumps(scores.attrs["wellbeing_framework"]))
        assert back.attrs["wellbeing_framework"] == as_json
        assert back.index.name == "sheet_row"
        assert back.index[0] == 1

    def test_stata_labels_read_by_pandas(self, fw: wf.Framework, tmp_path: Path) -> None:
        """pandas' own Stata reader sees the variable and value labels."""
        scores = wf.score(wf.make_cohort(20, waves=1, seed=2), fw)
        ratings = wf.make_cohort(20, waves=1, seed=2)
        wf.write_table(scores, tmp_path / "s.dta")
        wf.write_table(ratings, tmp_path / "r.dta")
        with pd.io.stata.StataReader(tmp_path / "s.dta") as reader:
            reader.read()
            labels, values = reader.variable_labels(), reader.value_labels()
        assert labels["sw"] == "Safe and Well (score 0-100)"
        assert labels["sw_band"] == "Safe and Well: band"
        band_labels = next(v for k, v in values.items() if k.startswith("sw_band"))
        assert sorted(band_labels.values()) == sorted(
            ["high need", "some need", "managing", "thriving"]
        )
        with pd.io.stata.StataReader(tmp_path / "r.dta") as reader:
            data = reader.read()
            labels = reader.variable_labels()
        assert labels["rb1"] == fw.indicator("rb1").text[:80]
        assert set(data["rb1"].dropna().astype(str)) <= set(fw.scale.labels)  # as labels

    def test_spss_labels_and_measures(self, fw: wf.Framework, tmp_path: Path) -> None:
        ratings = wf.make_cohort(10, waves=1, seed=3)
        wf.write_table(ratings, tmp_path / "r.sav")
        _, meta = pyreadstat.read_sav(tmp_path / "r.sav", metadataonly=True)
        assert meta.column_names_to_labels["sw5"] == fw.indicator("sw5").text
        assert meta.variable_value_labels["rb1"] == {
            1.0: "not at all",
            2.0: "a little",
            3.0: "somewhat",
            4.0: "mostly",
            5.0: "completely",
        }
        assert meta.variable_measure["rb1"] == "ordinal"
        scores = wf.score(ratings, fw)
        wf.write_table(scores, tmp_path / "s.sav")
        _, meta = pyreadstat.read_sav(tmp_path / "s.sav", metadataonly=True)
        assert "qol" not in meta.variable_value_labels  # a 0-100 score, not a rating
        assert meta.column_names_to_labels["qol"] == "Quality of Life (score 0-100)"
        assert any("ni_social_wellbeing" in n for n in meta.notes)  # provenance inside

    def test_a_researchers_spss_file(self, fw: wf.Framework, tmp_path: Path) -> None:
        """User-missing 9 'not asked' is missing (and said so), nominal codes read as
        their labels, labelled strings kept as text, dates as dates."""
        data = pd.DataFrame(
            {
                "person_id": ["007", "008", "009"],
                "assessment_date": pd.to_datetime(["2025-03-10", "2025-03-11", "2025-03-12"]),
                "sex": [1.0, 2.0, 1.0],
                "area": ["B", "D", "B"],
                **{k: [4.0, 9.0, 3.0] for k in fw.indicator_keys},
            }
        )
        data.loc[2, "rb1"] = 8.0
        path = tmp_path / "team.sav"
        pyreadstat.write_sav(
            data,
            path,
            variable_value_labels={
                "sex": {1.0: "female", 2.0: "male"},
                "area": {"B": "Belfast", "D": "Derry"},
                **{
                    k: {1.0: "not at all", 5.0: "completely", 8.0: "refused", 9.0: "not asked"}
                    for k in fw.indicator_keys
                },
            },
            missing_ranges={k: [{"lo": 8.0, "hi": 9.0}] for k in fw.indicator_keys},
            variable_measure={"sex": "nominal"},
        )
        table = wf.read_ratings(path)
        assert table["rb1"].isna().tolist() == [False, True, True]
        assert table["rb1"].iloc[0] == 4.0
        codes = table.attrs["read"]["missing_codes"]
        assert codes == {"8 (refused)": 1, "9 (not asked)": 18}
        assert table["sex"].tolist() == [1.0, 2.0, 1.0]  # codes stay codes, labels beside
        labels = table.attrs["read"]["value_labels"]["sex"]
        assert table["sex"].map(labels).tolist() == ["female", "male", "female"]
        assert table["area"].tolist() == ["B", "D", "B"]  # text stays text
        assert table["person_id"].tolist() == ["007", "008", "009"]
        assert pd.api.types.is_datetime64_any_dtype(table["assessment_date"])
        report = wf.validate(table, fw)
        assert report.n_valid == 3  # the row of codes only is scored as missing, and said so
        assert any("nothing rated" in note for note in report.notes)
        assert wf.score(report.valid, fw)["rb"].isna().tolist() == [False, True, False]

    def test_single_user_missing_codes_counted_by_label(
        self, fw: wf.Framework, tmp_path: Path
    ) -> None:
        data = pd.DataFrame({"person_id": ["1", "2"], "rb1": [9.0, 2.0]})
        path = tmp_path / "one.sav"
        pyreadstat.write_sav(
            data,
            path,
            variable_value_labels={"rb1": {9.0: "not asked"}},
            missing_ranges={"rb1": [9.0]},
        )
        table = wf.read_ratings(path)
        assert table.attrs["read"]["missing_codes"] == {"9 (not asked)": 1}
        assert math.isnan(table["rb1"].iloc[0])
        assert table["rb1"].iloc[1] == 2.0

    def test_stata_extended_missing(self, tmp_path: Path) -> None:
        data = pd.DataFrame({"person_id": ["1", "2", "3"], "rb1": [4.0, "a", "b"]})
        path = tmp_path / "x.dta"
        pyreadstat.write_dta(data, path, missing_user_values={"rb1": ["a", "b"]})
        table = wf.read_ratings(path)
        assert table["rb1"].tolist()[0] == 4.0
        assert table["rb1"].isna().sum() == 2
        assert table.attrs["read"]["missing_codes"] == {".a": 1, ".b": 1}

    def test_wrong_kind_of_variable_is_a_validation_problem(
        self, fw: wf.Framework, tmp_path: Path
    ) -> None:
        """A rating stored as a string variable: text where a number is expected."""
        data = pd.DataFrame(
            {"person_id": ["1", "2"], **{k: ["4", "4"] for k in fw.indicator_keys}}
        )
        data["rb1"] = ["four", "3"]
        path = tmp_path / "s.sav"
        pyreadstat.write_sav(data, path)
        table = wf.read_ratings(path)
        report = wf.validate(table, fw)
        assert report.n_rows == report.n_valid + report.n_rejected == 2
        assert report.n_rejected == 1
        assert "four" not in report.summary()

    def test_unreadable_and_unwritable(self, tmp_path: Path) -> None:
        bad = tmp_path / "bad.sav"
        bad.write_bytes(b"not an spss file at all")
        with pytest.raises(DataFileError, match="not a readable SPSS file"):
            wf.read_ratings(bad)
        bad_names = pd.DataFrame({"my column": [1], "1st": [2], "ok": [3]})
        with pytest.raises(DataFileError, match=r"bad\.dta: 2 column names .*'my column', '1st'"):
            wf.write_table(bad_names, tmp_path / "bad.dta")
        assert not (tmp_path / "bad.dta").exists()


# --- REDCap ---------------------------------------------------------------------------


def redcap_eval(expression: str, record: dict[str, Any]) -> float | None:
    """Evaluate a REDCap calculation as REDCap documents it: ``[field]`` is the field's
    value ('' when blank), ``if(c, a, b)``, ``sum(...)`` ignoring blanks, ``round(x, d)``,
    ``=`` and ``<>`` comparisons, ``and``. Blank is NaN here; the result None when blank."""
    text = re.sub(r"\[(\w+)\]\s*=\s*''", r"blank(v('\1'))", expression)
    text = re.sub(r"\[(\w+)\]\s*<>\s*''", r"(not blank(v('\1')))", text)
    text = re.sub(r"\[(\w+)\]", r"v('\1')", text)
    text = text.replace("''", "nan").replace("if(", "iff(").replace("round(", "rnd(")

    def v(name: str) -> float:
        value = record.get(name)
        return np.nan if value is None or pd.isna(value) else np.float64(value)

    def iff(c: Any, a: Any, b: Any) -> Any:
        return a if c else b

    def sum_(*values: Any) -> Any:
        return np.float64(sum(x for x in values if not np.isnan(x)))

    def rnd(x: Any, d: int) -> Any:
        return x if np.isnan(x) else round(float(x), d)

    names = {"v": v, "iff": iff, "sum": sum_, "rnd": rnd, "blank": np.isnan, "nan": np.nan}
    with np.errstate(all="ignore"):
        result = eval(text, {"__builtins__": {}}, names)
    return None if np.isnan(result) else float(result)


def _export(ratings: pd.DataFrame, fw: wf.Framework) -> pd.DataFrame:
    """A raw REDCap records export of a longitudinal project, as REDCap writes it."""
    events = {1: "baseline_arm_1", 2: "review_arm_1", 3: "closing_arm_1"}
    out = pd.DataFrame(
        {
            "record_id": ratings["person_id"].str.replace("P", "", regex=False).astype(int),
            "redcap_event_name": ratings["wave"].map(events),
            "assessment_date": ratings["assessment_date"].dt.strftime("%Y-%m-%d"),
            "rater": ratings["rater"],
        }
    )
    for key in [*fw.indicator_keys, "qol", "self_worth"]:
        out[key] = ratings[key].astype("Int64")
    out[f"{fw.key}_complete"] = 2
    return out


class TestRedcap:
    def test_dictionary_columns_and_fields(self, fw: wf.Framework) -> None:
        table = wf.interop.redcap_dictionary(fw)
        assert list(table.columns) == [
            "Variable / Field Name",
            "Form Name",
            "Section Header",
            "Field Type",
            "Field Label",
            "Choices, Calculations, OR Slider Labels",
            "Field Note",
            "Text Validation Type OR Show Slider Number",
            "Text Validation Min",
            "Text Validation Max",
            "Identifier?",
            "Branching Logic (Show field only if...)",
            "Required Field?",
            "Custom Alignment",
            "Question Number (surveys only)",
            "Matrix Group Name",
            "Matrix Ranking?",
            "Field Annotation",
        ]
        names = table["Variable / Field Name"].tolist()
        assert names[0] == "record_id"  # REDCap's first field is the record
        assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names)
        assert len(set(names)) == len(names)
        assert set(table["Form Name"]) == {"ni_social_wellbeing"}
        rated = table[table["Field Type"] == "radio"].set_index("Variable / Field Name")
        assert rated.loc["sw5", "Field Label"] == fw.indicator("sw5").text
        assert rated.loc["sw5", "Matrix Group Name"] == "sw"
        calc = table[table["Field Type"] == "calc"]["Variable / Field Name"].tolist()
        assert calc == ["rb_score", "pm_score", "ir_score", "sw_score", "index_score"]
        assert table.loc[1, "Text Validation Type OR Show Slider Number"] == "date_dmy"

    @pytest.mark.parametrize("framework", ["bundled", "weighted", "continuous"])
    def test_calculations_match_score(self, framework: str) -> None:
        """Each calc field, evaluated by REDCap's documented rules, is wf.score's score."""
        from test_interop_fhir import FRAMEWORKS, _ratings_for

        fw = FRAMEWORKS[framework]()
        ratings = _ratings_for(fw, 60)
        scores = wf.score(ratings, fw)
        table = wf.interop.redcap_dictionary(fw).set_index("Variable / Field Name")
        calcs = table[table["Field Type"] == "calc"]["Choices, Calculations, OR Slider Labels"]
        for n, record in enumerate(ratings.to_dict("records")):
            record = {wf.interop.redcap.field_name(k): v for k, v in record.items()}
            for domain in fw.domains:
                got = redcap_eval(calcs[f"{domain.key}_score"], record)
                record[f"{domain.key}_score"] = got
                want = scores[domain.key].iloc[n]
                assert (got is None) == bool(np.isnan(want))
                if got is not None:  # rounded to 2 places, as REDCap shows it
                    assert abs(got - want) <= 0.005 + 1e-9
            index = redcap_eval(calcs["index_score"], record)
            want = scores["index"].iloc[n]
            assert (index is None) == bool(np.isnan(want))
            if index is not None:  # the index of rounded domain scores, rounded
                assert index == pytest.approx(want, abs=0.02)

    def test_raw_longitudinal_export(self, fw: wf.Framework, tmp_path: Path) -> None:
        ratings = wf.make_cohort(30, waves=3, seed=11)
        export = _export(ratings, fw)
        path = tmp_path / "export.csv"
        export.to_csv(path, index=False)
        table = wf.interop.read_redcap(path, fw)
        assert len(table) == len(ratings)
        assert table["wave"].tolist() == _expected_waves(ratings)
        keys = [*fw.indicator_keys, "qol", "self_worth"]
        np.testing.assert_array_equal(table[keys].to_numpy(float), ratings[keys].to_numpy(float))
        assert table.attrs["read"]["events"] == ["baseline_arm_1", "review_arm_1", "closing_arm_1"]
        assert table["person_id"].iloc[0] == "1"
        scores = wf.score(table, fw)
        np.testing.assert_allclose(scores["index"], wf.score(ratings, fw)["index"], equal_nan=True)

    def test_events_order_given(self, fw: wf.Framework, tmp_path: Path) -> None:
        ratings = wf.make_cohort(5, waves=2, seed=12)
        export = _export(ratings, fw).iloc[::-1]  # rows in another order
        path = tmp_path / "e.csv"
        export.to_csv(path, index=False)
        table = wf.interop.read_redcap(path, fw, events=["baseline_arm_1", "review_arm_1"])
        first = table[table["redcap_event_name"] == "baseline_arm_1"]
        assert set(first["wave"]) == {1}
        with pytest.raises(ValueError, match="not in events="):
            wf.interop.read_redcap(path, fw, events=["baseline_arm_1"])

    def test_repeating_instrument_and_other_rows(self, fw: wf.Framework, tmp_path: Path) -> None:
        """Instances of the repeating instrument are the waves; the demographics row and
        another instrument's rows are counted, not read: rows in = read + skipped."""
        ratings = wf.make_cohort(4, waves=3, seed=13)
        ratings = ratings[ratings["rater"] == "self"].reset_index(drop=True)
        export = _export(ratings, fw).drop(columns="redcap_event_name")
        export.insert(1, "redcap_repeat_instrument", "ni_social_wellbeing")
        export.insert(2, "redcap_repeat_instance", ratings["wave"])
        base = pd.DataFrame(
            {
                "record_id": export["record_id"].unique(),
                "redcap_repeat_instrument": "",
                "redcap_repeat_instance": "",
            }
        )
        other = base.assign(redcap_repeat_instrument="contacts", redcap_repeat_instance=1)
        whole = pd.concat([base, export, other], ignore_index=True)
        path = tmp_path / "r.csv"
        whole.to_csv(path, index=False)
        table = wf.interop.read_redcap(path, fw)
        skipped = table.attrs["read"]["skipped"]
        assert len(table) + sum(skipped.values()) == len(whole)
        assert skipped["rows of another repeating instrument"] == len(other)
        assert table["wave"].tolist() == ratings["wave"].tolist()

    def test_labelled_export(self, fw: wf.Framework, tmp_path: Path) -> None:
        """Headers as field labels and answers as choice labels read as the raw export."""
        ratings = wf.make_cohort(10, waves=2, seed=14)
        raw = _export(ratings, fw)
        dictionary = wf.interop.redcap_dictionary(fw, calculated=False)
        label_of = dict(
            zip(dictionary["Variable / Field Name"], dictionary["Field Label"], strict=True)
        )
        labelled = raw.copy()
        for key in [*fw.indicator_keys, "qol", "self_worth"]:
            labelled[key] = raw[key].map(lambda v: "" if pd.isna(v) else fw.scale.label(int(v)))
        labelled = labelled.rename(
            columns={
                "record_id": "Record ID",
                "redcap_event_name": "Event Name",
                f"{fw.key}_complete": "Complete?",
                **label_of,
            }
        )
        labelled["Event Name"] = labelled["Event Name"].map(
            {"baseline_arm_1": "Baseline (Arm 1: Main)", "review_arm_1": "Review (Arm 1: Main)"}
        )
        path_raw, path_lab = tmp_path / "raw.csv", tmp_path / "lab.csv"
        raw.to_csv(path_raw, index=False)
        labelled.to_csv(path_lab, index=False)
        a = wf.interop.read_redcap(path_raw, fw)
        b = wf.interop.read_redcap(path_lab, fw)
        keys = ["person_id", "wave", *fw.indicator_keys, "qol", "self_worth"]
        _same(a[keys], b[keys])

    def test_clashing_field_names_refused(self) -> None:
        fw = wf.framework_from_dict(
            {
                "key": "x",
                "title": "X",
                "version": "1",
                "scale": {"min": 1, "max": 3},
                "domains": [
                    {
                        "key": "d",
                        "title": "D",
                        "indicators": [{"key": "A1", "text": "a"}, {"key": "a1", "text": "b"}],
                    }
                ],
            }
        )
        with pytest.raises(ValueError, match="field names already taken: A1 and a1"):
            wf.interop.redcap_dictionary(fw)


def _expected_waves(ratings: pd.DataFrame) -> list[int]:
    """Waves counted per person over the events they have (the cohort skips none)."""
    return ratings.groupby("person_id")["wave"].rank(method="dense").astype(int).tolist()
