"""The ``wellbeing`` command: every path, including each kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import wellbeing_framework as wf
from wellbeing_framework.cli import framework_tour, main, worked_example

SECRET = "Jane-Doe-0412"


@pytest.fixture
def ratings_csv(tmp_path: Path, framework: wf.Framework) -> Path:
    data = wf.make_cohort(40, waves=2, seed=3)
    path = tmp_path / "ratings.csv"
    wf.write_table(data, path)
    return path


@pytest.fixture
def bad_csv(tmp_path: Path, framework: wf.Framework) -> Path:
    data = wf.make_cohort(10, waves=1, seed=4, practitioner_share=0)
    data = data.astype({"rb1": object})
    data.loc[0, "person_id"] = SECRET
    data.loc[0, "rb1"] = 9
    data.loc[3, "rb1"] = "lots"
    path = tmp_path / "bad.csv"
    wf.write_table(data, path)
    return path


class TestDemo:
    def test_demo_writes_everything(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """demo writes scores.csv, PNG and SVG figures and report.html, and says where."""
        start = time.perf_counter()
        assert main(["demo", "--out", str(tmp_path), "--people", "80", "--seed", "1"]) == 0
        assert time.perf_counter() - start < 60
        out = capsys.readouterr().out
        assert (tmp_path / "scores.csv").is_file()
        assert (tmp_path / "report.html").is_file()
        assert (tmp_path / "report.docx").is_file()
        figures = sorted(p.name for p in (tmp_path / "figures").iterdir())
        assert "quadrant_example.png" in figures
        assert "quadrant_example.svg" in figures
        assert len(figures) == 8
        assert "synthetic cohort" in out
        assert f"Open {tmp_path / 'report.html'}" in out
        scores = wf.read_ratings(tmp_path / "scores.csv")
        assert {"index", "approach", "continuum_position"} <= set(scores.columns)

    def test_tour_and_worked_example(self, framework: wf.Framework) -> None:
        """The framework tour and worked example used by `framework show`."""
        tour = framework_tour(framework)
        assert "Are safe from harm, abuse and exploitation" in tour
        assert "1. Community inclusion" in tour
        example = worked_example(framework)
        assert "Safe and Well                       50.0/100  managing" in example

    def test_console_script_runs(self) -> None:
        """The module runs as a program."""
        done = subprocess.run(
            [sys.executable, "-m", "wellbeing_framework.cli", "--help"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0
        assert "wellbeing demo" in done.stdout
        assert "exit codes" in done.stdout


class TestScore:
    def test_score_good_file(
        self, ratings_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A valid file is scored to the requested format with its provenance."""
        out = tmp_path / "scores.xlsx"
        assert main(["score", str(ratings_csv), "-o", str(out)]) == 0
        scores = wf.read_ratings(out)
        assert len(scores) == len(wf.read_ratings(ratings_csv))
        assert scores.attrs["wellbeing_framework"]["framework"]["key"] == "ni_social_wellbeing"
        assert "rows in:" in capsys.readouterr().out

    def test_invalid_rows_exit_1_nothing_written(
        self, bad_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Invalid rows: exit 1, a readable report, no identifier, nothing written."""
        out = tmp_path / "scores.csv"
        assert main(["score", str(bad_csv), "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert "sheet row 2, column rb1: out of range" in err
        assert "sheet row 5, column rb1: not a number" in err
        assert SECRET not in err
        assert "Traceback" not in err
        assert not out.exists()

    def test_rejected_file(
        self, bad_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--rejected: valid rows scored, rejected rows written with problems, counts add up."""
        out, rejected = tmp_path / "scores.csv", tmp_path / "rejected.csv"
        assert main(["score", str(bad_csv), "-o", str(out), "--rejected", str(rejected)]) == 0
        printed = capsys.readouterr().out
        assert "rows in: 10 = scored 8 + rejected 2" in printed
        assert len(wf.read_ratings(out)) == 8
        kept = wf.read_ratings(rejected)
        assert len(kept) == 2
        assert "problems" in kept.columns

    def test_unreadable_file_exit_2(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A binary, empty or missing file: exit 2 and a clear message, no traceback."""
        binary = tmp_path / "x.csv"
        binary.write_bytes(b"\x00\x01\x02")
        assert main(["score", str(binary), "-o", str(tmp_path / "o.csv")]) == 2
        empty = tmp_path / "empty.csv"
        empty.write_bytes(b"")
        assert main(["score", str(empty), "-o", str(tmp_path / "o.csv")]) == 2
        assert main(["score", str(tmp_path / "none.csv"), "-o", str(tmp_path / "o.csv")]) == 2
        err = capsys.readouterr().err
        assert "binary file" in err
        assert "the file is empty" in err
        assert "no such file" in err
        assert "Traceback" not in err

    def test_bad_rules_and_framework_exit_2(
        self, ratings_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A bad rules or framework file is a usage error (exit 2)."""
        rules = tmp_path / "rules.json"
        rules.write_text(json.dumps({"min_answered": 3}), encoding="utf-8")
        out = str(tmp_path / "o.csv")
        assert main(["score", str(ratings_csv), "-o", out, "--rules", str(rules)]) == 2
        fw = tmp_path / "fw.json"
        fw.write_text("{not json", encoding="utf-8")
        assert main(["score", str(ratings_csv), "-o", out, "--framework", str(fw)]) == 2
        err = capsys.readouterr().err
        assert "min_answered" in err
        assert "not valid JSON" in err

    def test_rules_file_used(self, ratings_csv: Path, tmp_path: Path) -> None:
        """--rules changes the scoring (no flags here)."""
        rules = tmp_path / "rules.json"
        wf.dump_rules(wf.ScoringRules(flags=()), rules)
        out = tmp_path / "o.parquet"
        assert main(["score", str(ratings_csv), "-o", str(out), "--rules", str(rules)]) == 0
        assert "flag_safeguarding" not in wf.read_ratings(out).columns

    def test_progress_bar_on_large_input(
        self, tmp_path: Path, framework: wf.Framework, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Inputs over 100,000 rows show a progress bar on stderr."""
        data = pd.DataFrame({k: [3] * 100_001 for k in framework.indicator_keys})
        data.insert(0, "person_id", range(100_001))
        path = tmp_path / "big.parquet"
        wf.write_table(data, path)
        assert main(["score", str(path), "-o", str(tmp_path / "o.parquet")]) == 0
        assert "scoring" in capsys.readouterr().err

    def test_usage_errors(self) -> None:
        """Missing arguments and unknown commands exit 2."""
        for argv in (["score"], ["nonsense"], ["report", "x.csv"]):
            with pytest.raises(SystemExit) as info:
                main(argv)
            assert info.value.code == 2

    def test_debug_shows_traceback(self, tmp_path: Path) -> None:
        """--debug lets the exception through for a developer."""
        with pytest.raises(wf.DataFileError):
            main(["--debug", "score", str(tmp_path / "missing.csv"), "-o", "x.csv"])


class TestReport:
    def test_report(self, ratings_csv: Path, tmp_path: Path) -> None:
        """report writes one HTML file with the chosen disclosure preset."""
        out = tmp_path / "report.html"
        assert main(["report", str(ratings_csv), "-o", str(out), "--disclosure", "10-5"]) == 0
        assert "Counts of 1 to 9 are suppressed" in out.read_text(encoding="utf-8")

    def test_report_invalid_data(
        self, bad_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Invalid data: exit 1, no report."""
        out = tmp_path / "report.html"
        assert main(["report", str(bad_csv), "-o", str(out)]) == 1
        assert not out.exists()
        assert SECRET not in capsys.readouterr().err


class TestFrameworkCommand:
    def test_validate_good(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A valid framework reports ok."""
        assert main(["framework", "validate", "children_young_people"]) == 0
        assert capsys.readouterr().out.startswith("ok: Framework('children_young_people'")

    def test_validate_bad_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A bad file exits 2 with every problem and no traceback."""
        path = tmp_path / "bad.json"
        path.write_text(json.dumps({"key": "x", "title": "X"}), encoding="utf-8")
        assert main(["framework", "validate", str(path)]) == 2
        err = capsys.readouterr().err
        assert "missing required field 'version' @ $.version" in err
        assert "missing required field 'domains' @ $.domains" in err
        assert "Traceback" not in err

    def test_export_round_trips(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """export writes a file that loads back equal; without -o it prints the JSON."""
        out = tmp_path / "fw.json"
        assert main(["framework", "export", "-o", str(out)]) == 0
        assert wf.load_framework(out) == wf.load_framework()
        capsys.readouterr()
        assert main(["framework", "export"]) == 0
        assert json.loads(capsys.readouterr().out)["key"] == "ni_social_wellbeing"

    def test_show(self, capsys: pytest.CaptureFixture[str]) -> None:
        """show prints the tour of the named framework."""
        assert main(["framework", "show", "children_young_people"]) == 0
        out = capsys.readouterr().out
        assert "I feel I belong" in out
        assert "Adapted from ni_social_wellbeing 1.0.0" in out


class TestDates:
    def _sheet(self, tmp_path: Path, framework: wf.Framework, dates: list[str]) -> Path:
        rows = [
            {
                "person_id": "C1",
                "assessment_date": d,
                **dict.fromkeys(framework.indicator_keys, lv),
            }
            for d, lv in zip(dates, (2, 4), strict=True)
        ]
        path = tmp_path / "team.csv"
        pd.DataFrame(rows).to_csv(path, index=False)
        return path

    def test_score_writes_iso_dates_day_first(
        self, tmp_path: Path, framework: wf.Framework
    ) -> None:
        """UK text dates in, ISO dates out, read day first."""
        path = self._sheet(tmp_path, framework, ["10/03/2025", "05/09/2025"])
        out = tmp_path / "scores.csv"
        assert main(["score", str(path), "-o", str(out)]) == 0
        text = out.read_text(encoding="utf-8-sig")
        assert '"2025-03-10"' in text
        assert '"2025-09-05"' in text

    def test_month_first_option(self, tmp_path: Path, framework: wf.Framework) -> None:
        """--month-first reads 03/10/2025 as 10 March."""
        path = self._sheet(tmp_path, framework, ["03/10/2025", "09/05/2025"])
        out = tmp_path / "scores.csv"
        assert main(["score", str(path), "-o", str(out), "--month-first"]) == 0
        assert '"2025-03-10"' in out.read_text(encoding="utf-8-sig")

    def test_date_format_option(self, tmp_path: Path, framework: wf.Framework) -> None:
        """--date-format reads '10 Mar 2025'."""
        path = self._sheet(tmp_path, framework, ["10 Mar 2025", "5 Sep 2025"])
        out = tmp_path / "scores.csv"
        assert main(["score", str(path), "-o", str(out), "--date-format", "%d %b %Y"]) == 0
        assert '"2025-09-05"' in out.read_text(encoding="utf-8-sig")

    def test_unreadable_date_is_a_row_problem(
        self, tmp_path: Path, framework: wf.Framework, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A date that cannot be read stops the run with its row, not a traceback."""
        path = self._sheet(tmp_path, framework, ["10/03/2025", "31/09/2025"])
        assert main(["score", str(path), "-o", str(tmp_path / "s.csv")]) == 1
        err = capsys.readouterr().err
        assert "sheet row 3, column assessment_date: no such date" in err
        assert "Traceback" not in err


def test_report_presets_match_the_policy() -> None:
    """The presets `wellbeing report --disclosure` offers are the DisclosurePolicy presets."""
    from wellbeing_framework.cli import DISCLOSURE_PRESETS

    assert DISCLOSURE_PRESETS == wf.DisclosurePolicy.PRESETS
