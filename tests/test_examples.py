"""Every script in examples/ runs and writes what it says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(script: str, *args: str, cwd: Path) -> str:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


class TestExamples:
    def test_every_example_is_tested(self) -> None:
        """No example script goes untested."""
        assert {p.name for p in EXAMPLES.glob("*.py")} == {
            "score_a_csv.py",
            "make_the_report.py",
            "adapt_the_framework.py",
            "team_workbook.py",
            "fhir_round_trip.py",
        }

    def test_fhir_round_trip(self, tmp_path: Path) -> None:
        """The sample responses go in; valid Observations come out, one per response."""
        said = run("fhir_round_trip.py", "--out", "out", cwd=tmp_path)
        import json

        from fhir.resources.R4B.bundle import Bundle

        bundle = json.loads((tmp_path / "out" / "observations.json").read_text())
        Bundle.model_validate(bundle)
        assert f"wrote {len(bundle['entry'])} Observations" in said
        assert "not readable 0" in said

    def test_team_workbook(self, tmp_path: Path) -> None:
        """The team's workbook reads as the how-to says: the data sheet, one slip."""
        run("team_workbook.py", "--out", "out", cwd=tmp_path)
        import wellbeing_framework as wf

        data = wf.read_ratings(tmp_path / "out" / "team.xlsx")
        assert data.attrs["read"]["where"] == "sheet 2 of 2, header on row 3"
        report = wf.validate(data, wf.load_framework(), columns={"RB4 score": "rb4"})
        assert report.n_rows == 80
        assert report.errors[["sheet_row", "column"]].values.tolist() == [[9, "rb3"]]

    def test_score_a_csv(self, tmp_path: Path) -> None:
        """Scores a synthetic CSV and reports the row counts."""
        out = run("score_a_csv.py", "--out", "out", cwd=tmp_path)
        assert "rows in:" in out
        assert (tmp_path / "out" / "scores.csv").is_file()

    def test_make_the_report(self, tmp_path: Path) -> None:
        """Writes report.html with the chosen disclosure preset."""
        out = run("make_the_report.py", "--out", "out", "--disclosure", "10-5", cwd=tmp_path)
        assert "nearest 5" in out
        assert (tmp_path / "out" / "report.html").stat().st_size > 10_000

    @pytest.mark.parametrize("folder", ["out"])
    def test_adapt_the_framework(self, tmp_path: Path, folder: str) -> None:
        """Saves an adaptation that loads back and scores."""
        out = run("adapt_the_framework.py", "--out", folder, cwd=tmp_path)
        assert "adapted from ni_social_wellbeing" in out
        assert (tmp_path / folder / "carers.json").is_file()
