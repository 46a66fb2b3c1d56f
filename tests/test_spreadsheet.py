"""A team's own spreadsheet goes in as it is, through the Python API and the command line.

Every file here is made as a practitioner would make it: a cover sheet, title rows, their own
headers (``Client ID``, ``Date``, ``RB1``, ``Quality of Life``), UK dates typed as text,
``n/a`` for a question not asked, one 7 on a 1-5 scale, and the faults a sheet collects
(``TRUE`` typed as a rating, ``#DIV/0!``, a formula never calculated, merged cells, a stray
cell far away). On every one: rows in = rows scored + rows rejected, no traceback, and no
identifier in any message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

import wellbeing_framework as wf
from wellbeing_framework.cli import main

FW = wf.load_framework()
# The headers a team typed: codes in capitals, centre items by their titles.
HEADERS = [
    "Client ID",
    "Date",
    "Rated by",
    *[k.upper() for k in FW.indicator_keys],
    "Quality of Life",
    "Self Worth",
    "Notes",
]
SECRET = "H&C 9434765919"  # an identifier that must never appear in a message


def _rows(n: int = 8) -> list[list[object]]:
    """n assessments as typed: UK dates as text, ratings 1-5, 'n/a' here and there."""
    rng = np.random.default_rng(3)
    rows = []
    for i in range(n):
        ratings: list[object] = [int(v) for v in rng.integers(2, 6, len(FW.indicator_keys))]
        ratings[2] = "n/a" if i % 3 == 0 else ratings[2]
        person = SECRET if i == 0 else f"C{100 + i}"
        rows.append([person, f"{i + 3:02d}/04/2025", "self", *ratings, 3, 4, "spoke to daughter"])
    return rows


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    """A cover sheet, then the data under two title rows (header on row 3)."""
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover["A1"] = "North team: wellbeing assessments 2025"
    cover["A2"] = "Prepared for the team meeting; do not circulate"
    data = book.create_sheet("Assessments")
    data["A1"] = "Assessments, April 2025"
    data.append([])
    data.append(HEADERS)
    for row in rows:
        data.append(row)
    book.save(path)
    return path


@pytest.fixture
def team_xlsx(tmp_path: Path) -> Path:
    rows = _rows()
    rows[4][3 + FW.indicator_keys.index("pm1")] = 7  # a 7 on a 1-5 scale, sheet row 8
    return _workbook(tmp_path / "team.xlsx", rows)


def _no_secret(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert "spoke to daughter" not in text


class TestTeamWorkbook:
    def test_read_finds_the_data_sheet_and_header(self, team_xlsx: Path) -> None:
        data = wf.read_ratings(team_xlsx)
        assert data.attrs["read"]["where"] == "sheet 2 of 2, header on row 3"
        assert list(data.index[:2]) == [4, 5]  # the rows as Excel shows them
        assert data.index.name == "sheet_row"
        assert data.attrs["read"]["missing"] == {"n/a": 3}
        assert data["Client ID"].iloc[0] == SECRET

    def test_validate_reads_own_headers_and_names_the_sheet_row(self, team_xlsx: Path) -> None:
        data = wf.read_ratings(team_xlsx)
        report = wf.validate(data, FW)
        assert report.n_rows == report.n_valid + report.n_rejected == 8
        assert report.n_rejected == 1
        error = report.errors.iloc[0]
        assert (error["row"], error["sheet_row"], error["column"]) == (4, 8, "pm1")
        notes = "\n".join(report.notes)
        for header, name in [
            ("Client ID", "person_id"),
            ("Date", "assessment_date"),
            ("RB1", "rb1"),
            ("Quality of Life", "qol"),
            ("Rated by", "rater"),
        ]:
            assert f"column {header!r} read as {name}" in notes
        assert report.valid["assessment_date"].iloc[0] == pd.Timestamp("2025-04-03")  # UK
        _no_secret(report.summary(), notes, report.errors.to_string())

    def test_cli_scores_it_with_the_rejected_row_aside(
        self, team_xlsx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out, rejected = tmp_path / "scores.csv", tmp_path / "rejected.csv"
        code = main(["score", str(team_xlsx), "-o", str(out), "--rejected", str(rejected)])
        captured = capsys.readouterr()
        assert code == 0
        assert "rows in: 8 = scored 7 + rejected 1" in captured.out
        assert "3 cells holding 'n/a' read as missing answers" in captured.out
        assert "'Quality of Life' -> qol" in captured.out
        assert "sheet row 8, column pm1: out of range" in captured.err
        assert "keep it as safe as the input" in captured.out
        back = pd.read_csv(rejected, encoding="utf-8-sig")
        assert back["problems"].iloc[0].startswith("pm1: out of range")
        _no_secret(captured.out, captured.err)

    def test_cli_reports_sheet_rows_without_rejected(
        self, team_xlsx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "scores.csv"
        assert main(["score", str(team_xlsx), "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert "sheet row 8, column pm1: out of range" in err
        assert not out.exists()
        _no_secret(err)


class TestFaultyCells:
    @pytest.fixture
    def faulty(self, tmp_path: Path) -> Path:
        rows = _rows(6)
        rows[0][3] = True  # TRUE typed as rb1
        rows[1][4] = "#DIV/0!"  # an error value in rb2
        rows[2][5] = "=B2+1"  # a formula never calculated, in rb3
        path = _workbook(tmp_path / "faulty.xlsx", rows)
        from openpyxl import load_workbook

        book = load_workbook(path)
        book["Assessments"].merge_cells("G8:G9")  # rb4 of sheet rows 8 and 9
        book.save(path)
        return path

    def test_each_fault_is_a_problem_of_its_row_and_column(self, faulty: Path) -> None:
        report = wf.validate(wf.read_ratings(faulty), FW)
        found = {
            (int(r), c): p
            for r, c, p in report.errors[["sheet_row", "column", "problem"]].itertuples(
                index=False
            )
        }
        assert found[(4, "rb1")].startswith("a boolean, not a rating")
        assert found[(5, "rb2")].startswith("an Excel error value")
        assert found[(6, "rb3")].startswith("a formula without a saved result")
        assert found[(8, "rb4")].startswith("a merged cell")
        assert found[(9, "rb4")].startswith("a merged cell")
        assert report.n_rows == report.n_valid + report.n_rejected == 6
        assert report.n_rejected == 5

    def test_a_far_stray_cell_is_refused(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = _workbook(tmp_path / "stray.xlsx", _rows(3))
        from openpyxl import load_workbook

        book = load_workbook(path)
        book["Assessments"]["XFD1048576"] = 1
        book.save(path)
        with pytest.raises(wf.DataFileError, match="larger than the limit"):
            wf.read_ratings(path)
        assert main(["score", str(path), "-o", str(tmp_path / "s.csv")]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "Traceback" not in err

    def test_sheet_chosen_by_name_or_number(self, team_xlsx: Path) -> None:
        assert len(wf.read_ratings(team_xlsx, sheet="Assessments")) == 8
        assert len(wf.read_ratings(team_xlsx, sheet=1)) == 8
        with pytest.raises(wf.DataFileError, match="no sheet of that name"):
            wf.read_ratings(team_xlsx, sheet="Data")


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEAD = "person_id,assessment_date," + ",".join(FW.indicator_keys)


def _line(person: str, day: int, value: str = "3") -> str:
    return f"{person},{day:02d}/03/2025," + ",".join([value] * len(FW.indicator_keys))


class TestCsvStructure:
    def test_trailing_comma_on_every_row_shifts_nothing(self, tmp_path: Path) -> None:
        path = _csv(
            tmp_path / "t.csv", [HEAD + ",", *[_line(f"p{i}", i + 1) + "," for i in range(3)]]
        )
        data = wf.read_ratings(path)
        assert list(data["person_id"]) == ["p0", "p1", "p2"]
        assert wf.validate(data, FW).ok

    def test_a_row_with_more_values_is_refused_with_its_row(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        lines = [HEAD, _line("p1", 1), _line("Smith, John", 2), _line("p3", 3)]
        path = _csv(tmp_path / "shifted.csv", lines)
        with pytest.raises(wf.DataFileError, match=r"1 rows have more values .* rows 3;"):
            wf.read_ratings(path)
        assert main(["score", str(path), "-o", str(tmp_path / "s.csv")]) == 2
        err = capsys.readouterr().err
        assert "Smith" not in err
        assert "Traceback" not in err

    def test_repeated_headers_are_refused(self, tmp_path: Path) -> None:
        path = _csv(tmp_path / "twice.csv", [HEAD + ",rb1", _line("p1", 1) + ",4"])
        with pytest.raises(wf.DataFileError, match="repeated headers: 'rb1'"):
            wf.read_ratings(path)

    def test_blank_lines_keep_the_sheet_row_numbers(self, tmp_path: Path) -> None:
        lines = [HEAD, _line("p1", 1), "", _line("p2", 2), ",,,", _line("p3", 3, "9")]
        data = wf.read_ratings(_csv(tmp_path / "gaps.csv", lines))
        assert list(data.index) == [2, 4, 6]
        report = wf.validate(data, FW)
        assert set(report.errors["sheet_row"]) == {6}


class TestMissingTokens:
    def test_tokens_counted_and_other_text_a_problem(self, tmp_path: Path) -> None:
        values = ["n/a", "N/A ", "not asked", "", "sometimes", "4"]
        lines = [HEAD] + [
            _line(f"p{i}", i + 1).replace(",3,", f",{v},", 1) for i, v in enumerate(values)
        ]
        data = wf.read_ratings(_csv(tmp_path / "tokens.csv", lines))
        assert data.attrs["read"]["missing"] == {"n/a": 2, "not asked": 1, "": 1}
        report = wf.validate(data, FW)
        assert list(report.errors["sheet_row"]) == [6]
        assert report.errors["problem"].iloc[0].startswith("not a number")

    def test_own_tokens(self, tmp_path: Path) -> None:
        lines = [HEAD, _line("p1", 1).replace(",3,", ",skipped,", 1)]
        data = wf.read_ratings(_csv(tmp_path / "own.csv", lines), missing=("skipped",))
        assert data.attrs["read"]["missing"] == {"skipped": 1}
        assert wf.validate(data, FW).ok


class TestColumnMapping:
    def test_columns_command_writes_a_mapping_to_edit(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        path = _csv(
            tmp_path / "own.csv",
            [
                "Client ID,Date of assessment,rb1_score," + ",".join(FW.indicator_keys[1:]),
                "c1,01/03/2025," + ",".join(["3"] * len(FW.indicator_keys)),
            ],
        )
        mapping = tmp_path / "map.json"
        assert main(["columns", str(path), "-o", str(mapping)]) == 0
        out = capsys.readouterr().out
        assert "'rb1_score' -> rb1  [likely] the key 'rb1' with 'score' added" in out
        written = json.loads(mapping.read_text(encoding="utf-8"))
        assert written["Client ID"] == "person_id"
        assert written["rb1_score"] == "rb1"
        # without the mapping rb1 would be missing: a problem that says what to do
        scores = tmp_path / "scores.csv"
        assert main(["score", str(path), "-o", str(scores)]) == 1
        assert "columns={'rb1_score': 'rb1'}" in capsys.readouterr().err
        assert main(["score", str(path), "-o", str(scores), "--columns", str(mapping)]) == 0
        assert pd.read_csv(scores, encoding="utf-8-sig")["rb"].iloc[0] == 50.0

    def test_mapping_naming_an_absent_header_is_refused(self, tmp_path: Path) -> None:
        path = _csv(tmp_path / "r.csv", [HEAD, _line("p1", 1)])
        with pytest.raises(wf.DataFileError, match="headers not in the file: 'Client'"):
            wf.read_ratings(path, columns={"Client": "person_id"})

    def test_suggestions_by_text_and_title(self) -> None:
        found = wf.suggest_columns(
            [FW.indicators[0].text, "Quality of life", "Selfworth", "Comments"], FW
        )
        assert found.applied == {
            FW.indicators[0].text: "rb1",
            "Quality of life": "qol",
            "Selfworth": "self_worth",
        }
        assert found.unmatched == ("Comments",)


class TestOutputValues:
    def test_scores_rounded_in_csv_and_xlsx_full_in_parquet(self, tmp_path: Path) -> None:
        """A score that floats to 44.99999999999999 is written 45.0 where people read it."""
        table = pd.DataFrame(
            {"person_id": ["p1"], "index": [44.99999999999999], "n_answered": [18]}
        )
        wf.write_table(table, tmp_path / "s.csv")
        text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
        assert '"45.0"' in text
        assert "44.99" not in text
        wf.write_table(table, tmp_path / "s.xlsx")
        assert wf.read_ratings(tmp_path / "s.xlsx")["index"].iloc[0] == 45.0
        wf.write_table(table, tmp_path / "s.parquet")
        assert wf.read_ratings(tmp_path / "s.parquet")["index"].iloc[0] == 44.99999999999999
        wf.write_table(table, tmp_path / "full.csv", decimals=None)
        assert "44.99999999999999" in (tmp_path / "full.csv").read_text(encoding="utf-8-sig")


class TestOutputsNeverDestroyInputs:
    @pytest.fixture
    def ratings(self, tmp_path: Path) -> Path:
        return _csv(tmp_path / "ratings.csv", [HEAD, _line("p1", 1), _line("p2", 2, "9")])

    @pytest.mark.parametrize(
        ("extra", "expected"),
        [
            (["-o", "{input}"], "-o is the input file"),
            (["-o", "{dir}/s.csv", "--rejected", "{input}"], "--rejected is the input file"),
            (["-o", "{dir}/s.csv", "--rejected", "{dir}/s.csv"], "name the same file"),
        ],
    )
    def test_refused_with_exit_2_and_input_intact(
        self,
        ratings: Path,
        extra: list[str],
        expected: str,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        before = ratings.read_bytes()
        args = [a.format(input=ratings, dir=ratings.parent) for a in extra]
        assert main(["score", str(ratings), *args]) == 2
        err = capsys.readouterr().err
        assert expected in err
        assert ratings.read_bytes() == before

    def test_overwrite_replaces_the_input_on_request(self, ratings: Path) -> None:
        args = [
            "score",
            str(ratings),
            "-o",
            str(ratings),
            "--rejected",
            str(ratings.parent / "r.csv"),
        ]
        assert main([*args, "--overwrite"]) == 0
        assert "index" in pd.read_csv(ratings, encoding="utf-8-sig").columns

    def test_an_interrupted_write_leaves_the_old_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        out = tmp_path / "scores.csv"
        out.write_text("old, complete\n", encoding="utf-8")

        def broken(self: pd.DataFrame, path: Path, **kwargs: object) -> None:
            Path(path).write_text("half a fi", encoding="utf-8")
            raise KeyboardInterrupt

        monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
        with pytest.raises(KeyboardInterrupt):
            wf.write_table(pd.DataFrame({"a": [1.0]}), out)
        assert out.read_text(encoding="utf-8") == "old, complete\n"
        assert [p.name for p in tmp_path.iterdir()] == ["scores.csv"]

    def test_every_row_rejected_leaves_no_scores_file(self, tmp_path: Path) -> None:
        path = _csv(tmp_path / "bad.csv", [HEAD, _line("p1", 1, "9")])
        out = tmp_path / "scores.csv"
        out.write_text("an old run's scores\n", encoding="utf-8")
        rejected = tmp_path / "rejected.csv"
        assert main(["score", str(path), "-o", str(out), "--rejected", str(rejected)]) == 1
        assert not out.exists()
        back = pd.read_csv(rejected, encoding="utf-8-sig")
        assert back["sheet_row"].tolist() == [2]


class TestNameCollisions:
    @pytest.mark.parametrize(
        "name", ["index", "n_answered", "rb", "sw_band", "flag_x", "problems"]
    )
    def test_input_named_like_an_output_is_refused(self, name: str) -> None:
        data = pd.DataFrame({"person_id": ["p1"], **{k: [3] for k in FW.indicator_keys}})
        data[name] = 1
        report = wf.validate(data, FW)
        assert report.n_rejected == 1
        problem = report.errors["problem"].iloc[0]
        assert problem.startswith(f"column {name!r} has the name of a column the library")
        renamed = wf.validate(data, FW, columns={name: f"input_{name}"})
        assert renamed.ok

    @pytest.mark.parametrize(
        ("where", "value", "expected"),
        [
            ("key", "rb_band", "the name of the band column of 'rb'"),
            ("key", "flag_x", "kept for flag columns"),
            ("key", "sheet_row", "reserved"),
            ("weight", float("nan"), "weight must be a finite number"),
            ("weight", float("inf"), "weight must be a finite number"),
            ("weight", -1, "must be greater than 0"),
        ],
    )
    def test_framework_with_colliding_keys_or_bad_weights_is_refused(
        self, where: str, value: object, expected: str
    ) -> None:
        from wellbeing_framework.io import framework_to_dict

        document = framework_to_dict(FW)
        document["domains"][0]["indicators"][1][where] = value
        with pytest.raises(wf.FrameworkDefinitionError) as info:
            wf.framework_from_dict(document)
        assert expected in str(info.value)
        assert f"$.domains[0].indicators[1].{where}" in str(info.value)


class TestNoTracebacks:
    def test_control_characters_written_to_xlsx(self, tmp_path: Path) -> None:
        table = pd.DataFrame({"note": ["bell\x07 and\x1bescape"], "n": [1]})
        wf.write_table(table, tmp_path / "t.xlsx")
        back = wf.read_ratings(tmp_path / "t.xlsx", sheet=0)
        assert back["note"].iloc[0] == "bell\ufffd and\ufffdescape"

    def test_dollars_in_group_labels_are_plain_text(self, tmp_path: Path) -> None:
        """A label such as '$\\nosuch$' would stop matplotlib's mathematics parser."""
        scores = wf.score(wf.make_cohort(60, waves=1, seed=2), FW)
        scores["client_group"] = scores["client_group"].astype(str) + r" $\nosuch$ fund"
        groups = wf.cohort.compare_groups(scores, FW, by="client_group")
        ax = wf.plot.groups(groups)
        ax.figure.savefig(tmp_path / "g.png")
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert any(r"\$\nosuch\$" in label for label in labels)

    def test_deeply_nested_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        deep = tmp_path / "deep.json"
        deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
        assert main(["framework", "validate", str(deep)]) == 2
        ratings = _csv(tmp_path / "r.csv", [HEAD, _line("p1", 1)])
        out = str(tmp_path / "s.csv")
        assert main(["score", str(ratings), "-o", out, "--rules", str(deep)]) == 2
        assert main(["score", str(ratings), "-o", out, "--columns", str(deep)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.count("error:") == 3

    def test_parquet_with_damaged_provenance_is_read(self, tmp_path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({"person_id": ["p1"], "rb1": [3]}).replace_schema_metadata(
            {b"wellbeing_framework": b"{not json"}
        )
        pq.write_table(table, tmp_path / "d.parquet")
        data = wf.read_ratings(tmp_path / "d.parquet")
        assert "wellbeing_framework" not in data.attrs
        assert data["rb1"].iloc[0] == 3

    def test_demo_with_no_people_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        with pytest.raises(SystemExit) as info:
            main(["demo", "--people", "0"])
        assert info.value.code == 2
        assert "at least 1" in capsys.readouterr().err

    def test_broken_pipe_is_quiet(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """`wellbeing framework show | head`: the reader leaves early; no traceback."""
        import sys

        class Gone:
            def write(self, text: str) -> int:
                raise BrokenPipeError

            def flush(self) -> None:
                raise BrokenPipeError

        monkeypatch.setattr(sys, "stdout", Gone())
        assert main(["framework", "show"]) == 0

    def test_long_data_never_echoes_an_unknown_indicator(self) -> None:
        long = pd.DataFrame(
            {
                "person_id": ["p1", "p1", "p1"],
                "indicator": ["rb1", SECRET, "rb2"],
                "rating": [3, 3, 3],
            }
        )
        report = wf.validate(long, FW)
        unknown = report.errors.loc[report.errors["row"] == 1, "problem"].iloc[0]
        assert unknown.startswith("unknown indicator key")
        assert report.n_rejected == 3  # the whole assessment, each row saying why
        _no_secret(
            report.summary(), report.errors.to_string(), report.rejected["problems"].str.cat()
        )


class TestDaskFaults:
    @staticmethod
    def _dataset(folder: Path, parts: list[pd.DataFrame]) -> Path:
        folder.mkdir()
        for i, part in enumerate(parts):
            part.to_parquet(folder / f"part.{i}.parquet", index=False)
        return folder

    @staticmethod
    def _part(n: int, start: int, rating: int = 3, wave: object = 1) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "person_id": [f"p{start + i}" for i in range(n)],
                "wave": wave,
                **dict.fromkeys(FW.indicator_keys, rating),
            }
        )

    def _run(self, source: Path, tmp_path: Path) -> tuple[int, str, str, Path]:
        out, rejected = tmp_path / "out", tmp_path / "rejected.csv"
        import contextlib
        import io

        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(
                [
                    "score",
                    str(source),
                    "-o",
                    str(out),
                    "--engine",
                    "dask",
                    "--rejected",
                    str(rejected),
                ]
            )
        return code, stdout.getvalue(), stderr.getvalue(), out

    @pytest.mark.parametrize("case", ["empty partition", "int and float waves"])
    def test_partitions_that_are_no_problem(self, tmp_path: Path, case: str) -> None:
        parts = (
            [self._part(5, 0), self._part(0, 100), self._part(5, 200)]
            if case == "empty partition"
            else [self._part(5, 0, wave=1), self._part(5, 100, wave=2.0)]
        )
        code, out, err, written = self._run(self._dataset(tmp_path / "in", parts), tmp_path)
        assert code == 0, err
        assert "rows in: 10 = scored 10 + rejected 0" in out
        assert len(pd.read_parquet(written)) == 10

    def test_a_partition_all_rejected(self, tmp_path: Path) -> None:
        parts = [self._part(5, 0), self._part(5, 100, rating=9)]
        code, out, err, written = self._run(self._dataset(tmp_path / "in", parts), tmp_path)
        assert code == 0, err
        assert "rows in: 10 = scored 5 + rejected 5" in out
        assert len(pd.read_parquet(written)) == 5
        rejected = pd.read_csv(tmp_path / "rejected.csv", encoding="utf-8-sig")
        assert len(rejected) == 5

    @pytest.mark.parametrize("fault", ["column missing", "truncated"])
    def test_a_broken_dataset_stops_before_writing(self, tmp_path: Path, fault: str) -> None:
        parts = [self._part(5, 0), self._part(5, 100)]
        if fault == "column missing":
            parts[1] = parts[1].drop(columns=["rb2"])
        source = self._dataset(tmp_path / "in", parts)
        if fault == "truncated":
            part = source / "part.1.parquet"
            part.write_bytes(part.read_bytes()[:200])
        code, _out, err, written = self._run(source, tmp_path)
        assert code == 2
        assert err.count("\n") == 1
        assert "Traceback" not in err
        assert not written.exists()

    def test_every_row_rejected_writes_no_output(self, tmp_path: Path) -> None:
        parts = [self._part(5, 0, rating=9), self._part(5, 100, rating=9)]
        code, _out, err, written = self._run(self._dataset(tmp_path / "in", parts), tmp_path)
        assert code == 1
        assert "no row could be scored" in err
        assert not written.exists()

    def test_parts_holding_different_kinds_of_values(self, tmp_path: Path) -> None:
        parts = [self._part(5, 0), self._part(5, 100)]
        parts[1]["rb1"] = "three"
        code, _out, err, _written = self._run(self._dataset(tmp_path / "in", parts), tmp_path)
        assert code == 2
        assert "rb1 (numbers and text)" in err
        assert err.count("\n") == 1

    def test_output_folder_with_parts_is_refused(self, tmp_path: Path) -> None:
        source = self._dataset(tmp_path / "in", [self._part(5, 0)])
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "part.0.parquet").write_bytes(b"old")
        code, _out, err, _written = self._run(source, tmp_path)
        assert code == 2
        assert "already holds" in err


class TestHardenedReading:
    def test_leading_zeros_kept_whatever_the_header(self, tmp_path: Path) -> None:
        path = tmp_path / "z.csv"
        path.write_text("person_id ,Ref,rb1\n007,0012,3\n7,12,4\n", encoding="utf-8")
        data = wf.read_ratings(path)
        assert data["person_id"].tolist() == ["007", "7"]
        assert data["Ref"].tolist() == ["0012", "12"]  # an unknown identifier stays text
        assert data["rb1"].tolist() == [3, 4]

    def test_thousands_separators_are_never_ratings(self, tmp_path: Path) -> None:
        comma = tmp_path / "c.csv"
        comma.write_text('person_id,rb1\np1,"1,000"\np2,3\n', encoding="utf-8")
        report = wf.validate(wf.read_ratings(comma), FW)
        assert report.errors["problem"].iloc[0].startswith("not a number")
        semi = tmp_path / "s.csv"
        semi.write_text("person_id;rb1;rb2\np1;1.000;3,5\np2;3;4\n", encoding="utf-8")
        data = wf.read_ratings(semi)
        assert data["rb1"].tolist() == ["1.000", "3"]  # left as text, reported by validate
        assert data["rb2"].tolist() == [3.5, 4.0]

    @pytest.mark.parametrize("ending", ["\r", "\r\n"])
    def test_any_line_ending(self, tmp_path: Path, ending: str) -> None:
        path = tmp_path / "e.csv"
        path.write_text(ending.join([HEAD, _line("p1", 1), _line("p2", 2)]) + ending, newline="")
        assert list(wf.read_ratings(path).index) == [2, 3]

    def test_a_long_note(self, tmp_path: Path) -> None:
        path = tmp_path / "long.csv"
        path.write_text(HEAD + ",Notes\n" + _line("p1", 1) + ',"' + "x" * 200_000 + '"\n')
        assert len(wf.read_ratings(path)["Notes"].iloc[0]) == 200_000

    def test_title_rows_and_space_lines(self, tmp_path: Path) -> None:
        lines = ["Team North assessments", "", HEAD, _line("p1", 1), "   ", _line("p2", 2, "9")]
        data = wf.read_ratings(_csv(tmp_path / "t.csv", lines))
        assert list(data.index) == [4, 6]
        assert set(wf.validate(data, FW).errors["sheet_row"]) == {6}

    def test_utf16_is_named(self, tmp_path: Path) -> None:
        path = tmp_path / "u.csv"
        path.write_bytes("person_id,rb1\np1,3\n".encode("utf-16"))
        with pytest.raises(wf.DataFileError, match="UTF-16"):
            wf.read_ratings(path)

    @staticmethod
    def _book(path: Path, *sheets: tuple[str, list[list[object]]]) -> Path:
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(path)
        return path

    ROWS: ClassVar[list[list[object]]] = [
        ["person_id", "wave", "rb1", "rb2"],
        ["p1", 1, 3, 4],
        ["p2", 1, 2, 2],
    ]

    def test_a_wrong_stored_size_is_not_trusted(self, tmp_path: Path) -> None:
        import re
        import zipfile

        path = self._book(tmp_path / "d.xlsx", ("Data", self.ROWS))
        fixed = tmp_path / "dim.xlsx"
        with zipfile.ZipFile(path) as old, zipfile.ZipFile(fixed, "w") as new:
            for item in old.infolist():
                content = old.read(item.filename)
                if item.filename.startswith("xl/worksheets/sheet"):
                    content = re.sub(
                        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', content
                    )
                new.writestr(item, content)
        data = wf.read_ratings(fixed)
        assert data.shape == (2, 4)

    def test_hidden_and_chart_sheets_passed_over(self, tmp_path: Path) -> None:
        from openpyxl import load_workbook

        path = self._book(tmp_path / "h.xlsx", ("Old", self.ROWS[:2]), ("Current", self.ROWS))
        from openpyxl.chart import BarChart, Reference

        book = load_workbook(path)
        book["Old"].sheet_state = "hidden"
        chart = BarChart()
        chart.add_data(Reference(book["Current"], min_col=3, min_row=1, max_row=3))
        book.create_chartsheet("Chart", 0).add_chart(chart)
        book.save(path)
        assert len(wf.read_ratings(path)) == 2

    def test_a_sheet_named_by_digits(self, tmp_path: Path) -> None:
        path = self._book(tmp_path / "w.xlsx", ("1", self.ROWS[:2]), ("2", self.ROWS))
        assert len(wf.read_ratings(path, sheet="2")) == 2  # the sheet named "2"
        assert len(wf.read_ratings(path, sheet=0)) == 1  # the first sheet

    def test_repeated_headers_and_values_beyond_the_header_refused(self, tmp_path: Path) -> None:
        twice = self._book(tmp_path / "r.xlsx", ("D", [["person_id", "rb1", "rb1"], ["p1", 3, 4]]))
        with pytest.raises(wf.DataFileError, match="repeated headers: 'rb1'"):
            wf.read_ratings(twice)
        rows = [r.copy() for r in self.ROWS]
        rows[2] = [*rows[2], None, "stray note"]
        beyond = self._book(tmp_path / "b.xlsx", ("D", rows))
        with pytest.raises(
            wf.DataFileError, match=r"values to the right of the last header: rows 3"
        ):
            wf.read_ratings(beyond)

    def test_a_cover_with_a_date_label_is_not_the_data(self, tmp_path: Path) -> None:
        cover = [["Date:", "March 2025"], ["Prepared by", "the team"]]
        path = self._book(tmp_path / "c.xlsx", ("Cover", cover), ("Data", self.ROWS))
        assert wf.read_ratings(path).attrs["read"]["where"] == "sheet 2 of 2, header on row 1"


class TestMoreFaults:
    def test_output_in_a_missing_folder_names_the_output(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        ratings = _csv(tmp_path / "r.csv", [HEAD, _line("p1", 1)])
        out = tmp_path / "no" / "such" / "scores.csv"
        assert main(["score", str(ratings), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert "scores.csv" in err
        assert ".part" not in err

    def test_written_files_are_ordinary_files(self, tmp_path: Path) -> None:
        import os
        import stat

        out = wf.write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.csv")
        mask = os.umask(0)
        os.umask(mask)
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask

    def test_interrupted_run_is_one_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from wellbeing_framework import commands

        def stop(args: object) -> int:
            raise KeyboardInterrupt

        monkeypatch.setattr(commands, "run_framework", stop)
        assert main(["framework", "show"]) == 130
        assert "nothing is half-written" in capsys.readouterr().err

    def test_a_rejected_file_of_unknown_type_is_refused_before_any_work(
        self, tmp_path: Path
    ) -> None:
        ratings = _csv(tmp_path / "r.csv", [HEAD, _line("p1", 1)])
        out = tmp_path / "s.csv"
        assert (
            main(["score", str(ratings), "-o", str(out), "--rejected", str(tmp_path / "r.json")])
            == 2
        )
        assert not out.exists()

    def test_stale_scores_and_their_sidecar_removed(self, tmp_path: Path) -> None:
        bad = _csv(tmp_path / "bad.csv", [HEAD, _line("p1", 1, "9")])
        out = wf.write_table(
            wf.score(pd.DataFrame({"person_id": ["x"], "rb1": [3]}), FW), tmp_path / "s.csv"
        )
        assert (tmp_path / "s.csv.meta.json").exists()
        main(["score", str(bad), "-o", str(out), "--rejected", str(tmp_path / "rej.csv")])
        assert not out.exists()
        assert not (tmp_path / "s.csv.meta.json").exists()

    def test_durations_are_not_ratings(self) -> None:
        data = pd.DataFrame({"person_id": ["a"], "rb1": pd.to_timedelta([3], unit="ns")})
        assert wf.validate(data, FW).errors["problem"].iloc[0].startswith("not a number")

    def test_faulty_cells_outside_the_ratings_are_a_note(self, tmp_path: Path) -> None:
        rows = _rows(3)
        rows[1][-1] = "=HYPERLINK(A2)"  # in Notes, never calculated
        report = wf.validate(wf.read_ratings(_workbook(tmp_path / "n.xlsx", rows)), FW)
        assert report.ok
        assert any(
            n.startswith("column 'Notes': 1 cells hold no usable value") for n in report.notes
        )
        assert report.valid["Notes"].isna().sum() == 1

    def test_a_mapping_to_a_misspelt_key_or_an_output_name(self) -> None:
        data = pd.DataFrame(
            {
                "person_id": ["p1"],
                **{k: [3] for k in FW.indicator_keys[:-1]},
                "Item SW5": [9],
                "Total": [50],
            }
        )
        report = wf.validate(data, FW, columns={"Item SW5": "sw_five", "Total": "index"})
        problems = " ".join(report.errors["problem"])
        assert (
            "mapped to 'sw_five', which is not a name of this framework (did you mean 'sw5'?)"
            in problems
        )
        assert "mapped to 'index', the name of a column the library writes" in problems

    def test_rows_with_nothing_rated_are_named(self, tmp_path: Path) -> None:
        lines = [HEAD, _line("p1", 1), "Total assessments: 1," + "," * len(FW.indicator_keys)]
        report = wf.validate(wf.read_ratings(_csv(tmp_path / "f.csv", lines)), FW)
        assert any("1 rows have nothing rated (sheet rows 3)" in n for n in report.notes)


def test_the_report_says_how_many_answers_were_read_as_missing(tmp_path: Path) -> None:
    """The missing-answer counts reach the report, each through the disclosure policy."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
    from team_workbook import make_team_workbook

    book = make_team_workbook(tmp_path / "team.xlsx")
    data = wf.read_ratings(book, columns={"RB4 score": "rb4"})
    count = data.attrs["read"]["missing"]["n/a"]
    report = wf.validate(data, FW)
    page = wf.cohort_report(report.valid, FW)
    published = wf.DisclosurePolicy().apply_total(float(count))
    shown = "a few" if published is None else f"{published:,}"
    assert f"Read as missing answers when the file was read: {shown} &#x27;n/a&#x27;." in page


def test_xlsx_and_parquet_need_no_extra() -> None:
    """openpyxl and pyarrow are core dependencies: the plain install reads every format."""
    import tomllib

    project = tomllib.loads(
        (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    core = {d.split(">")[0].split("=")[0].strip() for d in project["dependencies"]}
    assert {"openpyxl", "pyarrow"} <= core
