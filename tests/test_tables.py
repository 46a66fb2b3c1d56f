"""Reading ratings files and writing tables that are safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf
from wellbeing_framework.tables import neutralise, sidecar_path

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", "\nLF", "ok\n=EVIL()"]


class TestNeutralise:
    @pytest.mark.parametrize("text", DANGEROUS)
    def test_triggers_prefixed(self, text: str) -> None:
        """Every trigger character at the start of the cell or of a line is made inert."""
        safe = neutralise(text)
        lines = safe.replace("\r", "\n").split("\n")
        assert safe.startswith("'") or text.startswith("ok")
        for line in lines:
            assert not line[:1] or line[0] not in "=+-@\t"

    def test_plain_numbers_and_ordinary_text_untouched(self) -> None:
        """'-5', '3.5', 'well-being' and 'a@b' pass unchanged."""
        for text in ["-5", "+3", "3.5", "-0,5", "well-being", "a@b", "1e3"]:
            assert neutralise(text) == text

    def test_crlf_line_ending_not_split(self) -> None:
        """A CRLF pair is one line break: no quote is put inside it."""
        assert neutralise("a\r\nb") == "a\r\nb"
        assert neutralise("a\r\n=b") == "a\r\n'=b"


class TestWriteCsv:
    def test_quoted_neutralised_numbers_kept(self, tmp_path: Path) -> None:
        """Every field quoted; formulas inert; numbers (-5) stay numbers."""
        table = pd.DataFrame({"note": DANGEROUS, "change": range(-5, 3), "=head": 1.5})
        out = wf.write_table(table, tmp_path / "t.csv")
        text = out.read_text(encoding="utf-8-sig")
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == ["note", "change", "'=head"]
        fields = sum(len(r) for r in rows)
        assert text.count('"') == 2 * fields  # every field quoted (the data hold no quotes)
        assert [r[0] for r in rows[1:]] == [neutralise(t) for t in DANGEROUS]
        assert '"-5"' in text
        assert '"\'=1+1"' in text
        assert "'=EVIL()" in text
        back = pd.read_csv(out, encoding="utf-8-sig")
        assert back["change"].tolist() == list(range(-5, 3))

    def test_input_untouched(self, tmp_path: Path) -> None:
        """write_table does not change the frame it writes."""
        table = pd.DataFrame({"note": ["=x"]})
        wf.write_table(table, tmp_path / "t.csv")
        assert table.loc[0, "note"] == "=x"

    def test_categorical_neutralised(self, tmp_path: Path) -> None:
        """Category labels are text too."""
        table = pd.DataFrame({"band": pd.Categorical(["=bad", "ok"])})
        text = wf.write_table(table, tmp_path / "t.csv").read_text(encoding="utf-8-sig")
        assert '"\'=bad"' in text

    def test_metadata_sidecar(self, framework: wf.Framework, tmp_path: Path) -> None:
        """A scores table's provenance goes to <file>.meta.json and comes back on read."""
        ratings = pd.DataFrame(
            {"person_id": ["007"], **{k: [3] for k in framework.indicator_keys}}
        )
        scores = wf.score(ratings, framework)
        out = wf.write_table(scores, tmp_path / "scores.csv")
        meta = json.loads(sidecar_path(out).read_text(encoding="utf-8"))
        assert meta["framework"] == {"key": "ni_social_wellbeing", "version": "1.0.0"}
        back = wf.read_ratings(out)
        assert back.attrs["wellbeing_framework"] == meta
        assert back["person_id"].iloc[0] == "007"


class TestWriteXlsx:
    def test_no_formulas(self, tmp_path: Path) -> None:
        """No cell of the workbook is a formula; numbers are numbers."""
        import openpyxl

        table = pd.DataFrame({"note": DANGEROUS, "value": np.arange(8) - 5.0})
        out = wf.write_table(table, tmp_path / "t.xlsx", metadata={"k": 1})
        sheet = openpyxl.load_workbook(out).active
        types = {cell.data_type for row in sheet.iter_rows() for cell in row}
        assert "f" not in types
        assert sheet["B2"].value == -5
        assert sheet["A2"].value == "'=1+1"
        assert json.loads(sidecar_path(out).read_text(encoding="utf-8")) == {"k": 1}

    def test_round_trip(self, tmp_path: Path) -> None:
        """An XLSX written here reads back with ids as text."""
        table = pd.DataFrame({"person_id": ["007", "010"], "rb1": [4, 5]})
        back = wf.read_ratings(wf.write_table(table, tmp_path / "r.xlsx"))
        assert back["person_id"].tolist() == ["007", "010"]
        assert back["rb1"].tolist() == [4, 5]


class TestParquet:
    def test_metadata_in_file(self, framework: wf.Framework, tmp_path: Path) -> None:
        """Parquet keeps the provenance in its own metadata; no sidecar."""
        ratings = pd.DataFrame({"person_id": ["a"], **{k: [4] for k in framework.indicator_keys}})
        scores = wf.score(ratings, framework)
        out = wf.write_table(scores, tmp_path / "s.parquet")
        assert not sidecar_path(out).exists()
        back = wf.read_ratings(out)
        assert back.attrs["wellbeing_framework"]["framework"]["key"] == "ni_social_wellbeing"
        assert back.loc[0, "rb"] == 75.0


class TestReadRatings:
    def test_bom_and_semicolons(self, tmp_path: Path) -> None:
        """Excel's 'CSV UTF-8' with ; and a decimal comma reads correctly."""
        path = tmp_path / "excel.csv"
        path.write_bytes("\ufeffperson_id;rb1;note\n001;4;x\n002;2,5;y\n".encode())
        data = wf.read_ratings(path)
        assert list(data.columns) == ["person_id", "rb1", "note"]
        assert data["person_id"].tolist() == ["001", "002"]
        assert data["rb1"].tolist() == [4.0, 2.5]

    def test_comma_with_bom(self, tmp_path: Path) -> None:
        """A comma file with a BOM has a clean first column name."""
        path = tmp_path / "c.csv"
        path.write_bytes(b"\xef\xbb\xbfperson_id,rb1\np1,3\n")
        assert list(wf.read_ratings(path).columns) == ["person_id", "rb1"]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"", "the file is empty"),
            (b"\x00\x01\x02binary", "binary file"),
            (b"person_id,rb1\n\xe9\xff,3\n", "not UTF-8"),
            (b"   \n\n", "no content"),
        ],
    )
    def test_unreadable_csv(self, tmp_path: Path, content: bytes, message: str) -> None:
        """Empty, binary and undecodable files give a clear DataFileError."""
        path = tmp_path / "bad.csv"
        path.write_bytes(content)
        with pytest.raises(wf.DataFileError, match=message) as info:
            wf.read_ratings(path)
        assert "bad.csv" in str(info.value)
        assert isinstance(info.value, ValueError)

    def test_undecodable_message_has_no_content(self, tmp_path: Path) -> None:
        """The error names the byte position, not the text around it."""
        path = tmp_path / "bad.csv"
        path.write_bytes("person_id\nSarah O\u2019Neill\n".encode("cp1252"))
        with pytest.raises(wf.DataFileError) as info:
            wf.read_ratings(path)
        assert "Sarah" not in str(info.value)
        assert "CSV UTF-8" in str(info.value)

    def test_bad_xlsx_and_parquet(self, tmp_path: Path) -> None:
        """A text file named .xlsx or .parquet is refused clearly."""
        for name in ["x.xlsx", "x.parquet"]:
            path = tmp_path / name
            path.write_text("not really", encoding="utf-8")
            with pytest.raises(wf.DataFileError, match="not a readable"):
                wf.read_ratings(path)

    def test_unknown_suffix_and_missing(self, tmp_path: Path) -> None:
        """Unknown suffixes and missing files are DataFileErrors."""
        path = tmp_path / "x.json"
        path.write_text("{}", encoding="utf-8")
        with pytest.raises(wf.DataFileError, match="unknown file type"):
            wf.read_ratings(path)
        with pytest.raises(wf.DataFileError, match="no such file"):
            wf.read_ratings(tmp_path / "missing.csv")
        with pytest.raises(wf.DataFileError, match="cannot write"):
            wf.write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.json")
