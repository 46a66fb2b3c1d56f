"""A continuous scale (a visual analogue scale, a test score): the range is the only check,
and everything else works unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import wellbeing_framework as wf
from wellbeing_framework.exceptions import FrameworkDefinitionError

BUNDLED = Path(wf.__file__).parent / "data" / "ni_social_wellbeing.json"


def _document(**scale: object) -> dict[str, object]:
    document = json.loads(BUNDLED.read_text(encoding="utf-8"))
    document["scale"] = scale
    return document


@pytest.fixture(scope="module")
def vas(tmp_path_factory: pytest.TempPathFactory) -> wf.Framework:
    path = tmp_path_factory.mktemp("vas") / "vas.json"
    path.write_text(json.dumps(_document(min=0, max=100, integer=False)), encoding="utf-8")
    return wf.load_framework(path)


def test_range_is_the_only_check(vas: wf.Framework) -> None:
    row = {"person_id": "A", **dict.fromkeys(vas.indicator_keys, 37.5)}
    bad = dict(row, person_id="B", rb1=100.5, rb2=-0.5, rb3="high")
    report = wf.validate(pd.DataFrame([row, bad]), vas)
    assert report.n_valid == 1
    problems = report.errors.set_index("column")["problem"]
    assert "out of range (expected a number from 0 to 100)" in problems["rb1"]
    assert "out of range" in problems["rb2"]
    assert "not a number" in problems["rb3"]


def test_scores_by_hand(vas: wf.Framework) -> None:
    """A domain score is the mean of its (weighted) ratings rescaled from 0-100: itself."""
    ratings = {k: 10.0 * (i % 7) + 0.25 for i, k in enumerate(vas.indicator_keys)}
    scores = wf.score(pd.DataFrame([{"person_id": "A", **ratings}]), vas).iloc[0]
    for domain in vas.domains:
        values = [100 - ratings[i.key] if i.reverse else ratings[i.key] for i in domain.indicators]
        weights = [i.weight for i in domain.indicators]
        assert scores[domain.key] == pytest.approx(np.average(values, weights=weights))


def test_everything_else_works(vas: wf.Framework, tmp_path: Path) -> None:
    data = wf.make_cohort(80, waves=3, seed=2, framework=vas)
    assert wf.validate(data, vas).ok
    scores = wf.score(data, vas)
    assert scores["index"].dropna().between(0, 100).all()
    table = wf.cohort.agreement(data, vas)
    domains = table[table["measure"] != "index"]
    assert domains["kappa_w"].isna().all()
    assert domains["note"].str.contains("continuous").all()
    assert domains["icc"].notna().all()
    page = wf.cohort_report(data, vas)
    assert "on a continuous scale" in page
    ax = wf.plot.quadrant(scores.iloc[0], vas)
    assert ax is not None
    out = wf.io.dump_framework(vas, tmp_path / "copy.json")
    assert json.loads(out.read_text(encoding="utf-8"))["scale"]["integer"] is False
    assert wf.load_framework(out).scale == vas.scale


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ({"min": 0, "max": 100, "integer": False, "labels": ["low", "high"]}, "no point labels"),
        ({"min": 0.5, "max": 5}, "whole-number min and max"),
        ({"min": 10, "max": 0, "integer": False}, "must be less than"),
    ],
)
def test_bad_scales_refused(scale: dict[str, object], message: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_document(**scale)), encoding="utf-8")
    with pytest.raises(FrameworkDefinitionError, match=message):
        wf.load_framework(path)


def test_integer_scale_unchanged(framework: wf.Framework) -> None:
    assert framework.scale.integer
    assert framework.scale.points == (1, 2, 3, 4, 5)
    assert isinstance(framework.scale.min, int)
