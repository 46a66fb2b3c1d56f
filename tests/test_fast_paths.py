"""The fast paths of scoring and the duplicate check give what the plain rules give.

Scoring sums ratings in blocks of rows with matrix products, and the duplicate check codes
identifiers of one length from their bytes. Each is checked here against an independent
computation: a per-row Python loop of the rules, and pandas' own ``duplicated``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import wellbeing_framework as wf
from wellbeing_framework import check_duplicates, scoring
from wellbeing_framework.problems import Problems

TINY = wf.framework_from_dict(
    {
        "key": "tiny",
        "title": "Tiny",
        "version": "1",
        "scale": {"min": 0, "max": 4},
        "domains": [
            {
                "key": "a",
                "title": "A",
                "indicators": [
                    {"key": "a1", "text": "x", "reverse": True},
                    {"key": "a2", "text": "y"},
                    {"key": "a3", "text": "z", "weight": 0.5},
                ],
            },
            {
                "key": "b",
                "title": "B",
                "indicators": [
                    {"key": "b1", "text": "x", "weight": 2},
                    {"key": "b2", "text": "y"},
                ],
            },
        ],
        "centre": [{"key": "c", "title": "C"}],
    }
)


def _by_hand(record: dict[str, float], fw: wf.Framework, rules: wf.ScoringRules) -> dict:
    """The rules for one assessment, in plain Python."""
    lo, hi = fw.scale.min, fw.scale.max
    out: dict[str, float] = {}
    for d in fw.domains:
        answered = []
        for i in d.indicators:
            v = record[i.key]
            if not math.isnan(v):
                v = lo + hi - v if (i.reverse and rules.reverse_keying) else v
                answered.append((v, i.weight if rules.use_weights else 1.0))
        need = math.ceil(rules.min_answered * len(d.indicators) - 1e-9)
        if len(answered) >= need and answered:
            mean = sum(v * w for v, w in answered) / sum(w for _, w in answered)
            out[d.key] = (mean - lo) / (hi - lo) * 100
        else:
            out[d.key] = math.nan
    domain = [out[d.key] for d in fw.domains]
    weights = rules.index_weights or {d.key: 1.0 for d in fw.domains}
    have = [(s, weights[d.key]) for s, d in zip(domain, fw.domains, strict=True) if s == s]
    if (rules.index_requires_all and len(have) < len(domain)) or not have:
        out["index"] = math.nan
    else:
        out["index"] = sum(s * w for s, w in have) / sum(w for _, w in have)
    out["n_answered"] = sum(not math.isnan(record[k]) for k in fw.indicator_keys)
    return out


@pytest.mark.parametrize(
    "rules",
    [
        wf.ScoringRules(),
        wf.ScoringRules(use_weights=False, reverse_keying=False),
        wf.ScoringRules(index_requires_all=False, index_weights={"a": 1.0, "b": 3.0}),
    ],
    ids=["default", "plain", "partial-weighted-index"],
)
def test_blocked_sums_equal_the_rules_row_by_row(
    rules: wf.ScoringRules, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows summed in blocks of 7 (a last block shorter) score as the rules say, row by row."""
    monkeypatch.setattr(scoring, "BLOCK_ROWS", 7)
    rng = np.random.default_rng(5)
    keys = [*TINY.indicator_keys, "c"]
    n_rows = 7 * 9 + 3  # several blocks of 7 and a short last one
    ratings = rng.integers(0, 5, size=(n_rows, len(keys))).astype(float)
    ratings[rng.random(ratings.shape) < 0.3] = np.nan
    data = pd.DataFrame(ratings, columns=keys)
    data.insert(0, "person_id", [f"p{i}" for i in range(n_rows)])
    scores = wf.score(data, TINY, rules)
    resolved = rules.resolve(TINY)
    for row, record in enumerate(data[keys].to_dict("records")):
        expected = _by_hand(record, TINY, resolved)
        for column, value in expected.items():
            got = scores.loc[row, column]
            if math.isnan(value):
                assert math.isnan(got), (row, column)
            else:
                assert got == pytest.approx(value, abs=1e-12), (row, column)


# --- identifiers --------------------------------------------------------------------------


def _ids(kind: str, n: int, rng: np.random.Generator) -> list[str]:
    """Identifiers of one kind, many repeated."""
    people = rng.integers(0, n // 3, n)
    if kind == "short":  # one word
        return [f"P{p:07d}" for p in people]
    if kind == "ten-digit":  # two words
        return [f"{3_000_000_000 + p:010d}" for p in people]
    if kind == "accented":  # multi-byte characters, one length in bytes
        return [f"é{p:05d}" for p in people]
    if kind == "long":  # beyond the words: hashed as text
        return [f"client-{p:040d}" for p in people]
    return [f"P{p}" for p in people]  # mixed lengths


@pytest.mark.parametrize("kind", ["short", "ten-digit", "accented", "long", "mixed"])
@pytest.mark.parametrize(
    "dtype", ["object", "str", "string[pyarrow]", "string[python]", "large_string[pyarrow]"]
)
def test_duplicates_match_pandas(kind: str, dtype: str) -> None:
    """Every storage of text identifiers finds exactly the rows pandas calls duplicated."""
    rng = np.random.default_rng(11)
    n = 600
    ids = _ids(kind, n, rng)
    if dtype == "large_string[pyarrow]":
        person = pd.Series(ids, dtype=pd.ArrowDtype(pa.large_string()))
    else:
        person = pd.Series(ids, dtype=dtype)
    data = pd.DataFrame(
        {
            "person_id": person,
            "wave": rng.integers(1, 3, n),
            "rater": rng.choice(["self", "practitioner"], n),
        }
    )
    problems = Problems()
    check_duplicates.check_duplicates(
        data, None, problems, person="person_id", date=None, rater="rater"
    )
    flagged = set(problems.frame()["row"]) if not problems.frame().empty else set()
    expected = set(
        np.flatnonzero(
            pd.DataFrame({"p": ids, "w": data["wave"], "r": data["rater"]}).duplicated(keep=False)
        )
    )
    assert expected, "the test data must hold duplicates"
    assert flagged == expected


def test_hash_collisions_are_confirmed(monkeypatch: pytest.MonkeyPatch) -> None:
    """If the 64-bit keys of different assessments were all equal, only the true
    duplicates are reported."""
    data = pd.DataFrame(
        {
            "person_id": pd.Series(["1000000001", "1000000002", "1000000001", "1000000003"]),
            "wave": [1, 1, 1, 2],
            "rater": ["self", "self", "self", "practitioner"],
        }
    )

    def colliding(values: pd.Series) -> np.ndarray:
        return np.zeros(len(values), dtype=np.uint64)  # every key equal

    monkeypatch.setattr(check_duplicates, "_part_keys", colliding)
    problems = Problems()
    check_duplicates.check_duplicates(
        data, None, problems, person="person_id", date=None, rater="rater"
    )
    assert sorted(problems.frame()["row"]) == [0, 2]


@pytest.mark.parametrize(
    "wave",
    [[1.0, -0.0, 0.0, 2.0], [1.0, np.nan, float.fromhex("nan") * -1, 2.0]],
    ids=["signed-zero", "missing"],
)
def test_equal_waves_written_differently_are_one_wave(wave: list[float]) -> None:
    """-0.0 is wave 0, and missing waves are one missing wave, whatever their bits."""
    data = pd.DataFrame({"person_id": ["a", "b", "b", "c"], "wave": wave})
    problems = Problems()
    check_duplicates.check_duplicates(
        data, None, problems, person="person_id", date=None, rater=None
    )
    assert sorted(problems.frame()["row"]) == [1, 2]


def test_missing_identifiers_are_never_duplicates() -> None:
    """Two rows without a person are not the same assessment (they are rejected as blank)."""
    data = pd.DataFrame({"person_id": pd.Series(["ab", None, None, "ab"], dtype="str")})
    problems = Problems()
    check_duplicates.check_duplicates(
        data, None, problems, person="person_id", date=None, rater=None
    )
    assert sorted(problems.frame()["row"]) == [0, 3]


class TestFixedWidthWords:
    def test_equal_text_equal_words(self) -> None:
        words = check_duplicates.fixed_width_words(
            pd.Series(["1234567890", "1234567891", "1234567890"], dtype="str")
        )
        assert words is not None
        assert words.shape == (3, 2)
        assert (words[0] == words[2]).all()
        assert not (words[0] == words[1]).all()

    def test_chunks_and_slices(self) -> None:
        """A column made of several Arrow chunks, one of them a slice (offset buffers)."""
        first = pa.array(["xx01", "xx02", "xx03", "xx04"]).slice(1)
        chunked = pa.chunked_array([first, pa.array(["xx02"])])
        values = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
        words = check_duplicates.fixed_width_words(values)
        assert words is not None
        assert (words[0] == words[3]).all()
        assert len({bytes(w) for w in words}) == 3

    @pytest.mark.parametrize(
        "values",
        [
            pd.Series(["ab", None], dtype="str"),  # missing
            pd.Series(["ab", "abc"], dtype="str"),  # mixed lengths
            pd.Series(["x" * 33], dtype="str"),  # longer than the words
            pd.Series(["ab", "cd"], dtype=object),  # not on Arrow
            pd.Series(["", ""], dtype="str"),  # empty text
        ],
    )
    def test_other_columns_take_the_general_path(self, values: pd.Series) -> None:
        assert check_duplicates.fixed_width_words(values) is None


@pytest.mark.parametrize(
    ("wave", "dtype"),
    [
        ([2**53, 2**53 + 1], "int64"),
        ([2**53, 2**53 + 1], "Int64"),
        ([2**64 - 1, 2**64 - 2], "uint64"),
    ],
)
def test_large_whole_waves_stay_apart(wave: list[int], dtype: str) -> None:
    """Waves are compared exactly: no rounding through floats."""
    data = pd.DataFrame({"person_id": ["a", "a"], "wave": pd.Series(wave, dtype=dtype)})
    problems = Problems()
    check_duplicates.check_duplicates(
        data, None, problems, person="person_id", date=None, rater=None
    )
    assert problems.frame().empty


def test_blank_identifiers_are_never_duplicates() -> None:
    """Blank ids are 'missing person_id', not also duplicates of each other."""
    fw = wf.load_framework()
    data = pd.DataFrame({"person_id": ["", "  ", "a"], "wave": 1, "rb1": 3})
    report = wf.validate(data, fw)
    assert not report.errors["problem"].str.startswith("duplicate").any()
    assert report.errors["problem"].eq("missing person_id").sum() == 2


def test_repeated_headers_are_refused_without_a_crash() -> None:
    """Two rb1 columns: every row rejected, one clear problem, each column kept."""
    fw = wf.load_framework()
    data = pd.DataFrame([["p1", 3, 4], ["p2", 2, 2]], columns=["person_id", "rb1", "rb1"])
    report = wf.validate(data, fw)
    assert report.n_rejected == 2
    assert "the header 'rb1' appears more than once" in set(report.errors["problem"])
    assert list(report.rejected.columns[:3]) == ["person_id", "rb1", "rb1 (column 3)"]
