"""The command line with other systems' files: SPSS, Stata, FHIR and REDCap in and out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat  # noqa: F401 - the interop extra, in the test extra
import pytest

import wellbeing_framework as wf
from fhir_helpers import bundle, response
from wellbeing_framework.cli import main
from wellbeing_framework.extras import require


@pytest.fixture(scope="module")
def fw() -> wf.Framework:
    return wf.load_framework()


class TestExport:
    def test_fhir_questionnaire(self, tmp_path: Path) -> None:
        from fhir.resources.R4B.questionnaire import Questionnaire

        out = tmp_path / "q.json"
        assert main(["framework", "export", "--format", "fhir", "-o", str(out)]) == 0
        doc = json.loads(out.read_text(encoding="utf-8"))
        Questionnaire.model_validate(doc)
        assert wf.interop.from_questionnaire(doc).domains == wf.load_framework().domains
        assert any(i["linkId"].endswith(".score") for g in doc["item"] for i in g.get("item", []))

    def test_redcap_dictionary(self, tmp_path: Path) -> None:
        out = tmp_path / "dictionary.csv"
        assert main(["framework", "export", "--format", "redcap", "-o", str(out)]) == 0
        table = pd.read_csv(out, dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(
            table, wf.interop.redcap_dictionary(wf.load_framework()).astype(str)
        )

    def test_json_default_and_stdout(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["framework", "export", "--format", "json"]) == 0
        assert json.loads(capsys.readouterr().out)["key"] == "ni_social_wellbeing"
        assert main(["framework", "export", "--format", "fhir"]) == 0
        assert json.loads(capsys.readouterr().out)["resourceType"] == "Questionnaire"


class TestScoreFromOtherSystems:
    @pytest.mark.parametrize(
        ("source", "target"),
        [(".sav", ".sav"), (".dta", ".dta"), (".sav", ".csv"), (".dta", ".xlsx")],
    )
    def test_spss_and_stata(
        self, tmp_path: Path, fw: wf.Framework, source: str, target: str
    ) -> None:
        ratings = wf.make_cohort(30, waves=2, seed=1)
        wf.write_table(ratings, tmp_path / f"in{source}")
        out = tmp_path / f"scores{target}"
        assert main(["score", str(tmp_path / f"in{source}"), "-o", str(out)]) == 0
        scores = wf.read_ratings(out)
        np.testing.assert_allclose(
            scores["index"].to_numpy(float),
            wf.score(ratings, fw)["index"].round(2 if target in (".csv", ".xlsx") else 12),
            equal_nan=True,
            atol=1e-9,
        )

    def test_fhir_bundle_and_ndjson(
        self, tmp_path: Path, fw: wf.Framework, capsys: pytest.CaptureFixture[str]
    ) -> None:
        ratings = wf.make_cohort(12, waves=2, seed=2)
        doc = bundle(ratings, fw)
        (tmp_path / "b.json").write_text(json.dumps(doc))
        qrs = [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] != "Patient"]
        (tmp_path / "r.ndjson").write_text("\n".join(map(json.dumps, qrs)))
        for name in ("b.json", "r.ndjson"):
            out = tmp_path / f"{name}.csv"
            assert main(["score", str(tmp_path / name), "-o", str(out)]) == 0
            said = capsys.readouterr().out
            assert f"rows in: {len(ratings)} = scored {len(ratings)} + rejected 0" in said
        assert "resources of type Patient skipped" in said or name == "r.ndjson"

    def test_fhir_problems_stop_or_go_aside(
        self, tmp_path: Path, fw: wf.Framework, capsys: pytest.CaptureFixture[str]
    ) -> None:
        ratings = wf.make_cohort(5, waves=1, seed=3)
        qrs = [response(r, fw, n) for n, r in enumerate(ratings.to_dict("records"))]
        qrs[1]["item"][0]["item"][0]["answer"] = [{"valueString": "Jane-Doe-0412"}]
        source = tmp_path / "r.ndjson"
        source.write_text("\n".join(map(json.dumps, qrs)))
        out = tmp_path / "s.csv"
        assert main(["score", str(source), "-o", str(out)]) == 1
        said = capsys.readouterr()
        assert "line 2: item 'rb1': valueString" in said.err + said.out
        assert "Jane" not in said.err + said.out
        assert not out.exists()
        rejected = tmp_path / "rejected.csv"
        assert main(["score", str(source), "-o", str(out), "--rejected", str(rejected)]) == 0
        said = capsys.readouterr().out
        assert f"rows in: {len(ratings)} = scored {len(ratings) - 1} + rejected 1" in said
        aside = wf.read_ratings(rejected)
        assert aside["resource"].dropna().tolist() == ["line 2"]

    def test_redcap_export_found_by_its_headers(
        self, tmp_path: Path, fw: wf.Framework, capsys: pytest.CaptureFixture[str]
    ) -> None:
        from test_interop_files import _export

        ratings = wf.make_cohort(10, waves=2, seed=4)
        path = tmp_path / "export.csv"
        _export(ratings, fw).to_csv(path, index=False)
        out = tmp_path / "s.parquet"
        assert main(["score", str(path), "-o", str(out)]) == 0
        scores = wf.read_ratings(out)
        assert scores["wave"].tolist() == ratings["wave"].tolist()
        np.testing.assert_allclose(scores["index"], wf.score(ratings, fw)["index"], equal_nan=True)
        # read as a plain table (--from is obeyed): record_id is a person, but no waves
        assert main(["score", str(path), "-o", str(out), "--from", "table"]) == 0
        assert "wave" not in wf.read_ratings(out).columns
        capsys.readouterr()

    def test_bad_fhir_file_is_a_usage_error(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        bad = tmp_path / "b.json"
        bad.write_text("{ not json")
        assert main(["score", str(bad), "-o", str(tmp_path / "s.csv")]) == 2
        assert "not valid JSON" in capsys.readouterr().err


def test_missing_extra_named() -> None:
    """Without pyreadstat, the message names the interop extra."""
    code = (
        "import sys; sys.modules['pyreadstat'] = None\n"
        "from wellbeing_framework.extras import require\n"
        "try:\n    require('pyreadstat', 'reading SPSS files')\n"
        "except ImportError as e:\n    print(e)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "wellbeing-framework[interop]"' in done.stdout
    assert require("json", "x").dumps([]) == "[]"
