"""One date rule, applied once: day-first dates never reverse change."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf
from wellbeing_framework.dates import as_dates, parse_dates

NONE = wf.DisclosurePolicy.none()


def team_sheet(framework: wf.Framework, dates: list[tuple[str, str]]) -> pd.DataFrame:
    """A team's sheet as typed: UK dates as text, every person improving by one point."""
    rows = []
    for i, (before, after) in enumerate(dates):
        for when, level in ((before, 2), (after, 4)):
            row: dict[str, object] = {"person_id": f"C{i:03d}", "assessment_date": when}
            row |= dict.fromkeys(framework.indicator_keys, level)
            rows.append(row)
    return pd.DataFrame(rows)


class TestParseDates:
    def test_day_first_by_default(self) -> None:
        """10/03/2025 is 10 March, not 3 October."""
        parsed = parse_dates(pd.Series(["10/03/2025", "05/09/2025"]))
        assert parsed.values.tolist() == [pd.Timestamp("2025-03-10"), pd.Timestamp("2025-09-05")]

    def test_month_first_on_request(self) -> None:
        """dayfirst=False reads 10/03/2025 as 3 October."""
        parsed = parse_dates(pd.Series(["10/03/2025"]), dayfirst=False)
        assert parsed.values.iloc[0] == pd.Timestamp("2025-10-03")

    def test_explicit_format(self) -> None:
        """date_format reads text such as '10 Mar 2025'; anything else is unreadable."""
        parsed = parse_dates(pd.Series(["10 Mar 2025", "2025-03-10"]), date_format="%d %b %Y")
        assert parsed.values.iloc[0] == pd.Timestamp("2025-03-10")
        assert parsed.unreadable.tolist() == [False, True]

    def test_iso_always(self) -> None:
        """ISO dates are read year-month-day whatever dayfirst says."""
        for dayfirst in (True, False):
            parsed = parse_dates(pd.Series(["2025-03-10"]), dayfirst=dayfirst)
            assert parsed.values.iloc[0] == pd.Timestamp("2025-03-10")

    def test_other_separators_and_single_digits(self) -> None:
        """10.03.2025, 10-03-2025 and 1/3/2025 are year-last dates too."""
        parsed = parse_dates(pd.Series(["10.03.2025", "10-03-2025", "1/3/2025"], dtype=object))
        assert parsed.values.dt.strftime("%Y-%m-%d").tolist() == [
            "2025-03-10",
            "2025-03-10",
            "2025-03-01",
        ]

    @pytest.mark.parametrize(
        "text", ["31/02/2025", "10/03/25", "13/13/2025", "next Tuesday", "45726", "2025-03"]
    )
    def test_unreadable(self, text: str) -> None:
        """Impossible dates, two-digit years, text and numbers are not dates."""
        parsed = parse_dates(pd.Series(["10/03/2025", text], dtype=object))
        assert parsed.unreadable.tolist() == [False, True]

    def test_mixed_formats_flag_the_minority(self) -> None:
        """A column mixing ISO and year-last dates flags the rows in the less common way."""
        parsed = parse_dates(pd.Series(["10/03/2025", "11/03/2025", "2025-03-12"]))
        assert parsed.other_format.tolist() == [False, False, True]
        assert parsed.majority == "DD/MM/YYYY"

    def test_date_cells_kept(self) -> None:
        """Excel date cells (datetime objects) are taken as they are, among text dates."""
        values = pd.Series([dt.datetime(2025, 3, 10), "11/03/2025", dt.date(2025, 3, 12)])
        parsed = parse_dates(values)
        assert parsed.values.dt.day.tolist() == [10, 11, 12]
        assert not parsed.problems.any()

    def test_zoned_among_naive(self) -> None:
        """A time-zone-aware date among naive ones is a problem, not a crash."""
        zoned = pd.Timestamp("2025-03-11 23:30", tz="Europe/London")
        values = pd.Series([pd.Timestamp("2025-03-10"), zoned], dtype=object)
        parsed = parse_dates(values)
        assert parsed.zoned.tolist() == [False, True]

    def test_all_zoned_converted(self) -> None:
        """A column that is all time-zone aware is converted to UTC without a problem."""
        values = pd.Series(pd.to_datetime(["2025-03-10 00:30"]).tz_localize("Europe/Paris"))
        parsed = parse_dates(values)
        assert parsed.values.iloc[0] == pd.Timestamp("2025-03-09 23:30")

    def test_as_dates_refuses_without_echo(self) -> None:
        """as_dates names the rows of unreadable dates, never the value."""
        with pytest.raises(ValueError, match="rows 1") as info:
            as_dates(pd.Series(["10/03/2025", "secret-id-42"]))
        assert "secret" not in str(info.value)


class TestValidateDates:
    def test_unreadable_and_mixed_are_row_problems(self, framework: wf.Framework) -> None:
        """Validation reports every date problem with its row; nothing crashes."""
        data = team_sheet(framework, [("10/03/2025", "13/09/2025"), ("11/03/2025", "2025-09-14")])
        data.loc[1, "assessment_date"] = "31/09/2025"
        report = wf.validate(data, framework)
        assert report.errors["row"].tolist() == [1, 3]
        assert report.errors["column"].tolist() == ["assessment_date"] * 2
        assert "no such date" in report.errors["problem"].iloc[0]
        assert "different format" in report.errors["problem"].iloc[1]
        assert report.n_valid + report.n_rejected == len(data)

    def test_scores_carry_real_dates(self, framework: wf.Framework) -> None:
        """Scores hold the dates as read (datetime64), day first."""
        data = team_sheet(framework, [("10/03/2025", "05/09/2025")])
        scores = wf.score(data, framework)
        assert pd.api.types.is_datetime64_any_dtype(scores["assessment_date"])
        assert scores["assessment_date"].tolist() == [
            pd.Timestamp("2025-03-10"),
            pd.Timestamp("2025-09-05"),
        ]

    def test_month_first_data(self, framework: wf.Framework) -> None:
        """A US sheet scores with dayfirst=False."""
        data = team_sheet(framework, [("03/10/2025", "09/05/2025")])
        scores = wf.score(data, framework, dayfirst=False)
        assert scores["assessment_date"].dt.month.tolist() == [3, 9]

    def test_scores_file_writes_iso(self, framework: wf.Framework, tmp_path: object) -> None:
        """A scores CSV writes ISO dates."""
        import pathlib

        data = team_sheet(framework, [("10/03/2025", "05/09/2025")])
        out = wf.write_table(wf.score(data, framework), pathlib.Path(str(tmp_path)) / "s.csv")
        text = out.read_text(encoding="utf-8-sig")
        assert '"2025-03-10"' in text
        assert "10/03/2025" not in text


class TestChangeWithUkDates:
    def test_small_days_do_not_reverse_change(self, framework: wf.Framework) -> None:
        """Days <= 12: baseline stays baseline; everyone improved, mean change +50."""
        # a month-first guess reads 10/03 as 3 October and 05/09 as 9 May: reversed
        pairs = [(f"{10 + i % 3}/03/2025", f"0{1 + i % 9}/09/2025") for i in range(12)]
        result = wf.cohort.change(
            team_sheet(framework, pairs), framework, reliability=0.8, policy=NONE
        )
        index = result.summary.set_index("measure").loc["index"]
        assert index["mean_change"] == pytest.approx(50.0)
        assert index["improved"] == 12

    def test_large_days_do_not_crash(self, framework: wf.Framework) -> None:
        """Days > 12 among days <= 12 are read by the same rule (no pandas guess, no crash)."""
        pairs = [("10/03/2025", "25/09/2025"), ("13/03/2025", "05/09/2025")]
        result = wf.cohort.change(
            team_sheet(framework, pairs), framework, reliability=0.8, policy=NONE
        )
        assert result.summary.set_index("measure").loc["index", "mean_change"] == 50.0

    def test_scores_table_with_uk_text_dates(self, framework: wf.Framework) -> None:
        """A scores table whose dates are still text is read by the one rule, not guessed."""
        scores = wf.score(team_sheet(framework, [("10/03/2025", "05/09/2025")] * 1), framework)
        scores["assessment_date"] = ["10/03/2025", "05/09/2025"]
        result = wf.cohort.change(scores, framework, reliability=0.8, policy=NONE)
        assert result.people["difference"].iloc[0] == 50.0

    def test_snapshot_as_at_a_uk_date(self, framework: wf.Framework) -> None:
        """snapshot(wave='01/06/2025') means 1 June: only baselines count."""
        scores = wf.score(team_sheet(framework, [("10/03/2025", "05/09/2025")] * 1), framework)
        snap = wf.cohort.snapshot(scores, framework, "01/06/2025", policy=NONE, rater=None)
        index = snap[snap.measure == "index"].set_index("band")["count"]
        assert index["some need"] == 1  # a score of 25 at baseline

    def test_report_period_day_first(self, framework: wf.Framework) -> None:
        """The report's period is March to September, not October to May."""
        pairs = [(f"{d:02d}/03/2025", f"{d:02d}/09/2025") for d in range(1, 13)]
        page = wf.cohort_report(team_sheet(framework, pairs), framework, policy=NONE)
        assert "March 2025 to September 2025" in page


def test_dates_in_long_data(framework: wf.Framework) -> None:
    """Long data carry parsed dates into the scores too."""
    long = wf.to_long(team_sheet(framework, [("10/03/2025", "05/09/2025")]), framework)
    scores = wf.score(long, framework)
    assert scores["assessment_date"].dt.month.tolist() == [3, 9]
    assert np.allclose(scores["index"], [25.0, 75.0])


def test_duplicate_index_labels_keep_dates(framework: wf.Framework) -> None:
    """Dates stay with their rows when the input's index repeats a label."""
    data = team_sheet(framework, [("10/03/2025", "05/09/2025")])
    data = pd.concat([data, data.assign(person_id="C999")])  # index 0, 1, 0, 1
    data.loc[:, "assessment_date"] = ["10/03/2025", "05/09/2025", "11/03/2025", "bad"]
    report = wf.validate(data, framework)
    assert report.valid["assessment_date"].dt.day.tolist() == [10, 5, 11]
    scores = wf.score(report.valid, framework)
    assert scores["assessment_date"].dt.day.tolist() == [10, 5, 11]


class TestDateMessages:
    def _data(self, framework: wf.Framework, dates: list[str], people: list[str]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "person_id": people,
                "assessment_date": dates,
                **{k: [3] * len(dates) for k in framework.indicator_keys},
            }
        )

    def test_month_first_hint(self, framework: wf.Framework) -> None:
        """03/25/2025 read day first is no date; the problem suggests --month-first."""
        report = wf.validate(
            self._data(framework, ["03/25/2025", "04/06/2025"], ["a", "b"]), framework
        )
        assert report.errors["row"].tolist() == [0]
        assert "--month-first" in report.errors["problem"].iloc[0]

    def test_no_such_date(self, framework: wf.Framework) -> None:
        """31/02/2024 and 2025-02-30 are named as dates that do not exist."""
        report = wf.validate(
            self._data(framework, ["31/02/2024", "2025-02-30"], ["a", "b"]), framework
        )
        assert report.errors["problem"].str.startswith("no such date").all()

    def test_unreadable_dates_are_not_duplicates(self, framework: wf.Framework) -> None:
        """Two unreadable dates of one person are two date problems, not a duplicate."""
        report = wf.validate(self._data(framework, ["x", "y"], ["a", "a"]), framework)
        assert not report.errors["problem"].str.contains("duplicate").any()

    def test_duplicate_without_occasion_hints(self, framework: wf.Framework) -> None:
        """Without a date or wave, a repeated person is a duplicate, with a hint."""
        data = self._data(framework, ["01/01/2025"] * 2, ["a", "a"]).drop(
            columns="assessment_date"
        )
        problems = wf.validate(data, framework).errors["problem"]
        assert problems.str.contains("add an assessment_date or wave column").all()

    def test_xlsx_dates_are_dates(self, framework: wf.Framework, tmp_path: object) -> None:
        """Dates written to XLSX show as dates (yyyy-mm-dd), not with a midnight time."""
        import pathlib

        from openpyxl import load_workbook

        scores = wf.score(team_sheet(framework, [("10/03/2025", "05/09/2025")]), framework)
        out = wf.write_table(scores, pathlib.Path(str(tmp_path)) / "s.xlsx")
        sheet = load_workbook(out).active
        header = [c.value for c in sheet[1]]
        cell = sheet.cell(row=2, column=header.index("assessment_date") + 1)
        assert cell.number_format == "yyyy-mm-dd"
        assert cell.value.date() == dt.date(2025, 3, 10)


class TestScoreOnceAnalyseLater:
    @pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet"])
    def test_scores_file_read_back(
        self, framework: wf.Framework, tmp_path: object, suffix: str
    ) -> None:
        """A scores file read back gives the same snapshot and change as the scores: exactly
        from Parquet, and within the rounding of the written scores (0.005) from CSV and
        XLSX, which are written for reading."""
        import pathlib

        cohort = wf.make_cohort(60, waves=2, seed=1)
        scores = wf.score(cohort, framework)
        path = wf.write_table(scores, pathlib.Path(str(tmp_path)) / f"s{suffix}")
        back = wf.read_ratings(path)
        policy = wf.DisclosurePolicy.none()
        pd.testing.assert_frame_equal(
            wf.cohort.snapshot(back, framework, policy=policy),
            wf.cohort.snapshot(scores, framework, policy=policy),
        )
        ours = wf.cohort.change(back, framework, reliability=0.8, policy=policy).summary
        theirs = wf.cohort.change(scores, framework, reliability=0.8, policy=policy).summary
        atol = 0 if suffix == ".parquet" else 0.005
        assert np.allclose(ours["mean_change"], theirs["mean_change"], rtol=0, atol=atol)
        assert ours["improved"].tolist() == theirs["improved"].tolist()

    def test_report_month_first(self, framework: wf.Framework) -> None:
        """cohort_report(dayfirst=False) reads 03/10/2025 as 10 March."""
        pairs = [("03/10/2025", "09/05/2025")] * 12
        sheet = team_sheet(framework, pairs)
        sheet["person_id"] = [f"C{i // 2:03d}" for i in range(len(sheet))]
        page = wf.cohort_report(sheet, framework, policy=NONE, dayfirst=False)
        assert "March 2025 to September 2025" in page


class TestDateEdges:
    def test_years_beyond_2262_keep_their_order(self, framework: wf.Framework) -> None:
        """Dates are compared in microseconds: 2300 comes after 2025 (no overflow)."""
        data = pd.DataFrame(
            {
                "person_id": ["a", "a", "b", "b"],
                "assessment_date": ["2025-01-01", "2300-01-01"] * 2,
                **{k: [1, 5, 1, 5] for k in framework.indicator_keys},
            }
        )
        result = wf.cohort.change(data, framework, reliability=0.8, policy=NONE)
        assert result.summary.set_index("measure").loc["index", "mean_change"] == 100.0

    def test_nanoseconds_beside_year_one(self) -> None:
        """A nanosecond time beside year 1 is read, not a crash."""
        parsed = parse_dates(pd.Series(["2025-03-10T10:00:00.123456789", "0001-01-01"]))
        assert parsed.values.dt.year.tolist() == [2025, 1]

    def test_offsets_in_a_date_format(self) -> None:
        """A %z format converts to UTC; an offset beside a naive cell is a row problem."""
        fmt = "%Y-%m-%dT%H:%M%z"
        parsed = parse_dates(
            pd.Series(["2025-03-10T10:00+0100", "2025-03-10T10:00+0500"]), date_format=fmt
        )
        assert parsed.values.dt.hour.tolist() == [9, 5]
        mixed = parse_dates(
            pd.Series(["2025-03-10T10:00+0100", pd.Timestamp("2025-03-11")], dtype=object),
            date_format=fmt,
        )
        assert mixed.zoned.tolist() == [True, False]

    def test_arrow_date_types(self) -> None:
        """Arrow date32 and zoned timestamps become plain datetime64 dates."""
        import pyarrow as pa

        dates = pd.Series(pd.array([dt.date(2025, 3, 10)], dtype=pd.ArrowDtype(pa.date32())))
        assert str(parse_dates(dates).values.dtype).startswith("datetime64")
        zoned = pd.Series(
            pd.array(
                [pd.Timestamp("2025-03-10 00:30", tz="UTC")],
                dtype=pd.ArrowDtype(pa.timestamp("us", tz="UTC")),
            )
        )
        values = parse_dates(zoned).values
        assert values.dt.tz is None
        assert values.iloc[0] == pd.Timestamp("2025-03-10 00:30")
