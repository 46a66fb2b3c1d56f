"""Validation: every problem found, rows in = valid + rejected, nothing personal leaked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf

SECRET_ID = "Jane-Doe-0412"
FREE_TEXT = "told me her partner hits her"


def full(fw: wf.Framework, n: int = 3, value: object = 3) -> pd.DataFrame:
    data = {"person_id": [f"p{i}" for i in range(n)]}
    data |= {k: [value] * n for k in fw.indicator_keys}
    return pd.DataFrame(data)


def problems_at(report: wf.ValidationReport, row: int) -> list[str]:
    return list(report.errors.loc[report.errors["row"] == row, "problem"])


class TestValidate:
    def test_clean_data(self, framework: wf.Framework) -> None:
        """Clean data: ok, every row valid, an empty errors table with the four columns."""
        report = wf.validate(full(framework), framework)
        assert report.ok
        assert (report.n_rows, report.n_valid, report.n_rejected) == (3, 3, 0)
        assert list(report.errors.columns) == ["row", "sheet_row", "column", "value", "problem"]
        assert "problems" in report.rejected.columns

    def test_rating_problems(self, framework: wf.Framework) -> None:
        """Not a number, off the scale, out of range and booleans are each found."""
        data = full(framework, 5).astype({"rb1": object})
        data.loc[0, "rb1"] = "abc"
        data.loc[1, "rb1"] = 2.5
        data.loc[2, "rb1"] = 6
        data.loc[3, "rb1"] = True
        data.loc[4, "rb1"] = 0
        report = wf.validate(data, framework)
        assert problems_at(report, 0) == ["not a number (expected a whole number from 1 to 5)"]
        assert problems_at(report, 1) == ["not on the scale (expected a whole number from 1 to 5)"]
        assert problems_at(report, 2) == ["out of range (expected a whole number from 1 to 5)"]
        assert problems_at(report, 3) == [
            "a boolean, not a rating (expected a whole number from 1 to 5)"
        ]
        assert problems_at(report, 4) == ["out of range (expected a whole number from 1 to 5)"]
        values = report.errors.set_index("row")["value"]
        assert pd.isna(values[0])  # text is never copied
        assert values[1] == 2.5
        assert values[2] == 6

    def test_numeric_columns(self, framework: wf.Framework) -> None:
        """A float column with 2.5 and 7 is checked by the fast path too."""
        data = full(framework, 3).astype({"pm2": float})
        data.loc[0, "pm2"] = 2.5
        data.loc[2, "pm2"] = 7.0
        report = wf.validate(data, framework)
        assert list(report.errors["row"]) == [0, 2]
        assert list(report.errors["column"]) == ["pm2", "pm2"]

    def test_boolean_column(self, framework: wf.Framework) -> None:
        """A whole column of booleans is refused cell by cell."""
        data = full(framework, 2)
        data["sw4"] = [True, False]
        report = wf.validate(data, framework)
        assert list(report.errors["column"]) == ["sw4", "sw4"]

    def test_text_numbers_accepted(self, framework: wf.Framework) -> None:
        """Ratings read as text ("4", " 2 ") are fine; blanks are unanswered."""
        data = full(framework, 3).astype({"rb1": object})
        data["rb1"] = ["4", " 2 ", ""]
        report = wf.validate(data, framework)
        assert report.ok
        scores = wf.score(data, framework)
        assert scores.loc[2, "n_answered"] == 17

    def test_missing_rating_is_not_a_problem(self, framework: wf.Framework) -> None:
        """NaN means unanswered, not invalid."""
        data = full(framework, 2).astype({"rb1": float})
        data.loc[0, "rb1"] = np.nan
        assert wf.validate(data, framework).ok

    def test_duplicate_assessment(self, framework: wf.Framework) -> None:
        """Same person, date and rater twice: both rows rejected, each naming the other."""
        data = full(framework, 4)
        data["person_id"] = ["a", "b", "a", "a"]
        data["assessment_date"] = ["2026-01-05", "2026-01-05", "2026-01-05", "2026-01-05"]
        data["rater"] = ["self", "self", "self", "practitioner"]
        report = wf.validate(data, framework)
        assert list(report.rejected.index) == [0, 2]
        assert problems_at(report, 0) == [
            "duplicate assessment: same person, date and rater as sheet row 4"
        ]
        assert problems_at(report, 2) == [
            "duplicate assessment: same person, date and rater as sheet row 2"
        ]

    def test_same_date_in_two_formats_is_duplicate(self, framework: wf.Framework) -> None:
        """Dates are compared after parsing: 2026-02-01 equals 01/02/2026."""
        data = full(framework, 2)
        data["person_id"] = ["a", "a"]
        data["assessment_date"] = ["2026-02-01", "01/02/2026"]
        report = wf.validate(data, framework)
        assert report.n_rejected == 2

    def test_dates(self, framework: wf.Framework) -> None:
        """Unreadable and missing dates are found; UK dates are fine."""
        data = full(framework, 4)
        data["assessment_date"] = ["01/03/2026", "31/12/2025", "next Tuesday", None]
        report = wf.validate(data, framework)
        assert problems_at(report, 2) == [
            "not a date (expected YYYY-MM-DD or DD/MM/YYYY, with a four-digit year)"
        ]
        assert problems_at(report, 3) == ["missing assessment date"]
        assert report.n_valid == 2

    def test_missing_person(self, framework: wf.Framework) -> None:
        """A missing or blank person_id rejects the row."""
        data = full(framework, 3)
        data["person_id"] = ["a", None, "  "]
        report = wf.validate(data, framework)
        assert list(report.rejected.index) == [1, 2]
        assert problems_at(report, 1) == ["missing person_id"]

    def test_no_person_column(self, framework: wf.Framework) -> None:
        """Without a person_id column every row is rejected, unless person=None."""
        data = full(framework, 2).drop(columns="person_id")
        report = wf.validate(data, framework)
        assert report.n_rejected == 2
        assert "person=None" in report.errors.loc[0, "problem"]
        assert wf.validate(data, framework, person=None).ok

    def test_empty_input(self, framework: wf.Framework) -> None:
        """An empty table is not ok."""
        report = wf.validate(full(framework, 0), framework)
        assert not report.ok
        assert report.errors.loc[0, "problem"] == "the table has no rows"
        assert report.n_rows == 0

    def test_no_indicator_columns(self, framework: wf.Framework) -> None:
        """A table with no indicator column is refused as a whole."""
        report = wf.validate(pd.DataFrame({"person_id": ["a"], "age": [40]}), framework)
        assert report.n_rejected == 1
        assert report.errors.loc[0, "problem"].startswith("no indicator columns found")

    def test_headers_equal_but_for_case_and_punctuation_are_read(
        self, framework: wf.Framework
    ) -> None:
        """`sw_1` and `RB2` are read as sw1 and rb2, and each rename is a note."""
        data = full(framework, 2).rename(columns={"sw1": "sw_1", "rb2": "RB2"})
        report = wf.validate(data, framework)
        assert report.ok
        assert {"sw1", "rb2"} <= set(report.valid.columns)
        assert any(n.startswith("column 'sw_1' read as sw1") for n in report.notes)
        assert any(n.startswith("column 'RB2' read as rb2") for n in report.notes)

    def test_unused_rating_column_whose_key_is_missing_is_a_problem(
        self, framework: wf.Framework
    ) -> None:
        """`rb1_score` is not read without being asked; rb1 would be missing, so it is a
        problem that says how to map it."""
        data = full(framework, 2).rename(columns={"rb1": "rb1_score"})
        report = wf.validate(data, framework)
        assert report.n_rejected == 2
        problem = report.errors.loc[0, "problem"]
        assert "column 'rb1_score' looks like rb1 (the key 'rb1' with 'score' added)" in problem
        assert "columns={'rb1_score': 'rb1'}" in problem
        mapped = wf.validate(data, framework, columns={"rb1_score": "rb1"})
        assert mapped.ok
        assert mapped.notes == ("column 'rb1_score' read as rb1 (as mapped)",)

    def test_unused_rating_column_beside_its_key_is_a_note(self, framework: wf.Framework) -> None:
        data = full(framework, 2).assign(rb1_score=1)
        report = wf.validate(data, framework)
        assert report.ok
        assert any("column 'rb1_score' looks like rb1" in n for n in report.notes)

    def test_every_problem_collected(self, framework: wf.Framework) -> None:
        """One row with three problems gives three error rows, joined in `problems`."""
        data = full(framework, 2).astype({"rb1": object, "rb2": object})
        data.loc[1, ["rb1", "rb2"]] = [9, "x"]
        data.loc[1, "person_id"] = None
        report = wf.validate(data, framework)
        assert len(problems_at(report, 1)) == 3
        assert report.rejected.loc[1, "problems"].count("; ") == 2

    def test_rows_in_equals_valid_plus_rejected(self, framework: wf.Framework) -> None:
        """The invariant holds, and valid/rejected keep the input index."""
        data = full(framework, 6).astype({"ir1": object})
        data.index = [10, 11, 12, 13, 14, 15]
        data.loc[12, "ir1"] = "?"
        report = wf.validate(data, framework)
        assert report.n_rows == report.n_valid + report.n_rejected == 6
        assert list(report.rejected.index) == [12]
        assert list(report.valid.index) == [10, 11, 13, 14, 15]
        assert list(report.errors["row"]) == [2]  # position, not label

    def test_input_not_mutated(self, framework: wf.Framework) -> None:
        """validate never changes its input."""
        data = full(framework, 3).astype({"rb1": object})
        data.loc[0, "rb1"] = "bad"
        before = data.copy()
        wf.validate(data, framework)
        pd.testing.assert_frame_equal(data, before)

    def test_no_identifier_or_free_text_leaks(self, framework: wf.Framework) -> None:
        """Neither identifiers nor free text appear in errors, summary or HTML."""
        data = full(framework, 3).astype({"rb1": object})
        data["person_id"] = [SECRET_ID, SECRET_ID, "x"]
        data["assessment_date"] = ["2026-01-01", "2026-01-01", FREE_TEXT]
        data.loc[2, "rb1"] = FREE_TEXT
        report = wf.validate(data, framework)
        assert report.n_rejected == 3
        shown = report.errors.to_string() + report.summary() + report._repr_html_()
        shown += repr(report)
        assert SECRET_ID not in shown
        assert FREE_TEXT not in shown
        assert "her partner" not in shown
        with pytest.raises(wf.ValidationError) as info:
            wf.score(data, framework)
        assert SECRET_ID not in str(info.value)
        assert FREE_TEXT not in str(info.value)

    def test_unknown_indicator_text_hidden(self, framework: wf.Framework) -> None:
        """An unknown indicator value that is free text is not echoed."""
        long = pd.DataFrame(
            {"person_id": ["a", "a"], "indicator": ["rb1", FREE_TEXT], "rating": [3, 3]}
        )
        report = wf.validate(long, framework)
        assert FREE_TEXT not in report.errors.to_string()
        assert problems_at(report, 1) == [
            "unknown indicator key (keys of this framework look like rb1, rb2, rb3, ...)"
        ]

    def test_unknown_key_like_indicator_hidden(self, framework: wf.Framework) -> None:
        """An identifier in the indicator column (it looks like a key) is not echoed."""
        long = pd.DataFrame(
            {"person_id": ["a", "a"], "indicator": ["rb1", "P0002"], "rating": [3, 3]}
        )
        assert "P0002" not in wf.validate(long, framework).errors.to_string()

    def test_rater_names_not_echoed(self, framework: wf.Framework) -> None:
        """A rater column holding names is never quoted in an error."""
        scores = wf.score(wf.make_cohort(10, waves=1, seed=1), framework)
        scores["rater"] = "Dr Jane Doe"
        with pytest.raises(ValueError, match="other value") as info:
            wf.cohort.snapshot(scores, framework)
        assert "Jane" not in str(info.value)


class TestValidateLong:
    def test_long_problems_and_spread(self, framework: wf.Framework) -> None:
        """Long rows: unknown and repeated indicators found; the whole assessment rejected."""
        long = pd.DataFrame(
            {
                "person_id": ["a", "a", "a", "b", "b"],
                "indicator": ["rb1", "rb11", "rb1", "rb1", "rb2"],
                "rating": [3, 4, 2, 5, 4],
            }
        )
        report = wf.validate(long, framework)
        assert report.n_rows == 5
        assert list(report.rejected.index) == [0, 1, 2]
        assert list(report.valid.index) == [3, 4]
        assert "did you mean 'rb1'?" in problems_at(report, 1)[0]
        assert "rb11" not in problems_at(report, 1)[0]
        assert problems_at(report, 0) == ["indicator rated more than once in the same assessment"]

    def test_long_rating_problem_rejects_assessment(self, framework: wf.Framework) -> None:
        """A bad rating on one long row rejects its sibling rows too, with the reason."""
        long = pd.DataFrame(
            {"person_id": ["a", "a", "b"], "indicator": ["rb1", "rb2", "rb1"], "rating": [3, 9, 5]}
        )
        report = wf.validate(long, framework)
        assert list(report.rejected.index) == [0, 1]
        assert problems_at(report, 0) == ["rejected with its assessment (problem in sheet row 3)"]
        assert report.n_rows == report.n_valid + report.n_rejected

    def test_long_duplicate_assessment(self, framework: wf.Framework) -> None:
        """Two long assessments with the same person and date but other details clash."""
        long = pd.DataFrame(
            {
                "person_id": ["a", "a"],
                "assessment_date": ["2026-01-01", "2026-01-01"],
                "area": ["Belfast", "Western"],
                "indicator": ["rb1", "rb1"],
                "rating": [3, 4],
            }
        )
        report = wf.validate(long, framework)
        assert report.n_rejected == 2
        assert problems_at(report, 0) == [
            "duplicate assessment: same person and date as sheet row 3"
        ]


class TestReportDisplay:
    def test_summary_and_counts(self, framework: wf.Framework) -> None:
        """The summary lists problems; counts groups them by kind."""
        data = full(framework, 3).astype({"rb1": object})
        data["rb1"] = [9, 8, "x"]
        report = wf.validate(data, framework)
        assert report.summary().startswith("3 rows: 0 valid, 3 rejected (3 problems)")
        counts = report.counts()
        assert counts["out of range"] == 2
        assert counts["not a number"] == 1

    def test_summary_limit(self, framework: wf.Framework) -> None:
        """Long reports are cut with a pointer to the errors table."""
        data = full(framework, 30).astype({"rb1": object})
        data["rb1"] = 9
        assert "... and 10 more" in wf.validate(data, framework).summary(limit=20)

    def test_html(self, framework: wf.Framework) -> None:
        """The notebook view says whether problems were found."""
        assert "no problems" in wf.validate(full(framework), framework)._repr_html_()
        data = full(framework, 1).astype({"rb1": object})
        data["rb1"] = [7]
        html = wf.validate(data, framework)._repr_html_()
        assert "1 problems" in html
        assert "<table" in html


class TestLongAssessments:
    def test_padded_date_does_not_split_an_assessment(self, framework: wf.Framework) -> None:
        """' 10/03/2025 ' and '10/03/2025' are the same date: one assessment, no duplicate."""
        long = pd.DataFrame(
            {
                "person_id": ["a", "a"],
                "assessment_date": ["10/03/2025", " 10/03/2025 "],
                "indicator": ["rb1", "rb2"],
                "rating": [3, 4],
            }
        )
        report = wf.validate(long, framework)
        assert report.ok
        assert len(wf.score(long, framework)) == 1

    def test_duplicates_name_input_rows(self, framework: wf.Framework) -> None:
        """A duplicate assessment names the input row of the other copy, not its number."""
        one = pd.DataFrame(
            {
                "person_id": "a",
                "assessment_date": "10/03/2025",
                "indicator": ["rb1", "rb2"],
                "rating": [3, 4],
            }
        )
        other = one.assign(person_id="b")
        # the same person and date entered twice, on two forms
        long = pd.concat(
            [other.assign(form="A"), one.assign(form="A"), one.assign(form="B")],
            ignore_index=True,
        )
        report = wf.validate(long, framework)
        problems = dict(zip(report.errors["row"], report.errors["problem"], strict=False))
        assert problems[2].endswith("as sheet row 6")
        assert problems[4].endswith("as sheet row 4")
