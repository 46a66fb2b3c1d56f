"""The ``wellbeing`` command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import wellbeing_framework as wf
from wellbeing_framework.cli import main


class TestDemo:
    def test_demo_tours_the_framework(self, capsys: pytest.CaptureFixture[str]) -> None:
        """`wellbeing demo` prints values, every domain and indicator, centre and continuum."""
        assert main(["demo"]) == 0
        out = capsys.readouterr().out
        for title in ["Human Rights", "Relationships and Belonging", "Safe and Well"]:
            assert title in out
        assert "Are safe from harm, abuse and exploitation" in out
        assert "At the centre: Quality of Life and Self Worth" in out
        assert "1. Community inclusion" in out
        assert "5. Statutory and public protection" in out
        assert "Safe and Well                       50.0/100  managing" in out
        assert "Flag safeguarding: 'Are safe from harm, abuse and exploitation' rated 1" in out

    def test_console_script_runs(self) -> None:
        """The installed module runs as a program and exits 0."""
        done = subprocess.run(
            [sys.executable, "-m", "wellbeing_framework.cli", "demo"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert "Social work values" in done.stdout


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

    def test_export_round_trips(self, tmp_path: Path) -> None:
        """export writes a file that loads back equal."""
        out = tmp_path / "fw.json"
        assert main(["framework", "export", "-o", str(out)]) == 0
        assert wf.load_framework(out) == wf.load_framework()

    def test_show(self, capsys: pytest.CaptureFixture[str]) -> None:
        """show prints the tour of the named framework."""
        assert main(["framework", "show", "children_young_people"]) == 0
        out = capsys.readouterr().out
        assert "I feel I belong" in out
        assert "Adapted from ni_social_wellbeing 1.0.0" in out

    def test_usage_error_exit_2(self) -> None:
        """An unknown command is a usage error (exit 2)."""
        with pytest.raises(SystemExit) as info:
            main(["nonsense"])
        assert info.value.code == 2

    def test_debug_shows_traceback(self, tmp_path: Path) -> None:
        """--debug lets the exception through for a developer."""
        with pytest.raises(FileNotFoundError):
            main(["--debug", "framework", "validate", str(tmp_path / "missing.json")])
