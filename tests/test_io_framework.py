"""Loading and saving framework files, and refusing bad ones with every fault listed."""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import wellbeing_framework as wf
from wellbeing_framework.framework_schema import framework_problems, framework_schema
from wellbeing_framework.io import converter, framework_json

MINIMAL: dict[str, Any] = {
    "key": "bfi",
    "title": "Big Five Inventory",
    "version": "1.0",
    "scale": {"min": 1, "max": 6},
    "domains": [
        {
            "key": "agreeableness",
            "title": "Agreeableness",
            "indicators": [
                {"key": "A1", "text": "Am indifferent to the feelings of others", "reverse": True},
                {"key": "A2", "text": "Inquire about others' well-being"},
            ],
        },
        {
            "key": "neuroticism",
            "title": "Neuroticism",
            "indicators": [{"key": "N1", "text": "Get angry easily", "weight": 2}],
        },
    ],
}


def write(tmp_path: Path, document: object, name: str = "fw.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, document: object) -> tuple[str, ...]:
    with pytest.raises(wf.FrameworkDefinitionError) as info:
        wf.load_framework(write(tmp_path, document))
    return info.value.problems


class TestLoadFramework:
    def test_minimal_file(self, tmp_path: Path) -> None:
        """Only key, title, version, scale and domains are needed."""
        fw = wf.load_framework(write(tmp_path, MINIMAL))
        assert fw.indicator("A1").reverse is True
        assert fw.indicator("A2").reverse is False
        assert fw.indicator("N1").weight == 2.0
        assert fw.centre == ()
        assert fw.continuum is None

    def test_bundled_names(self) -> None:
        """Every bundled name loads."""
        for name in wf.bundled_frameworks():
            assert wf.load_framework(name).key == name

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist is a FileNotFoundError naming the bundled ones."""
        with pytest.raises(FileNotFoundError, match="bundled frameworks: ni_social_wellbeing"):
            wf.load_framework(tmp_path / "nope.json")

    def test_utf8_bom_accepted(self, tmp_path: Path) -> None:
        """A file saved by Notepad with a byte-order mark still loads."""
        path = tmp_path / "bom.json"
        path.write_bytes(b"\xef\xbb\xbf" + json.dumps(MINIMAL).encode())
        assert wf.load_framework(path).key == "bfi"


class TestRoundTrip:
    def test_bundled_round_trip(self, framework: wf.Framework, tmp_path: Path) -> None:
        """dump then load gives an equal framework."""
        out = wf.dump_framework(framework, tmp_path / "copy.json")
        assert wf.load_framework(out) == framework

    def test_bundled_files_are_canonical(self) -> None:
        """The shipped files are exactly what dump_framework writes (no drift)."""
        for name, rel in [
            ("ni_social_wellbeing", "data/ni_social_wellbeing.json"),
            ("children_young_people", "data/examples/children_young_people.json"),
        ]:
            text = resources.files("wellbeing_framework").joinpath(rel).read_text("utf-8")
            assert framework_json(wf.load_framework(name)) == text

    def test_defaults_left_out(self, tmp_path: Path) -> None:
        """Fields at their default are not written."""
        fw = wf.framework_from_dict(MINIMAL)
        written = json.loads(framework_json(fw))
        assert "reverse" not in written["domains"][0]["indicators"][1]
        assert "centre" not in written

    @settings(max_examples=60, deadline=None)
    @given(data=st.data())
    def test_generated_frameworks_round_trip(self, data: st.DataObject) -> None:
        """structure(unstructure(fw)) == fw for generated frameworks."""
        fw = data.draw(frameworks())
        assert converter.structure(converter.unstructure(fw), wf.Framework) == fw
        assert wf.framework_from_dict(json.loads(framework_json(fw))) == fw


_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=20
)


@st.composite
def frameworks(draw: st.DrawFn) -> wf.Framework:
    """Valid frameworks with unique keys, random scales, reverse items and weights."""
    n_domains = draw(st.integers(1, 4))
    sizes = [draw(st.integers(1, 4)) for _ in range(n_domains)]
    lo = draw(st.integers(-3, 3))
    hi = lo + draw(st.integers(1, 9))
    labels = draw(
        st.one_of(st.just(()), st.lists(_text, min_size=hi - lo + 1, max_size=hi - lo + 1))
    )
    domains = []
    for d, size in enumerate(sizes):
        indicators = [
            wf.Indicator(
                key=f"d{d}i{i}",
                text=draw(_text),
                reverse=draw(st.booleans()),
                weight=draw(st.floats(0.1, 10, allow_nan=False)),
            )
            for i in range(size)
        ]
        aim = draw(st.none() | _text)
        domains.append(wf.Domain(key=f"d{d}", title=draw(_text), aim=aim, indicators=indicators))
    centre = [
        wf.CentreItem(key=f"c{i}", title=draw(_text)) for i in range(draw(st.integers(0, 2)))
    ]
    return wf.Framework(
        key=draw(st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)),
        title=draw(_text),
        version=draw(_text),
        scale=wf.RatingScale(min=lo, max=hi, labels=labels),
        domains=domains,
        centre=centre,
        adapted_from=draw(
            st.none() | st.builds(wf.AdaptedFrom, key=st.just("base"), version=_text)
        ),
    )


class TestBadFiles:
    def test_not_json(self, tmp_path: Path) -> None:
        """A file that is not JSON says where parsing failed."""
        path = tmp_path / "broken.json"
        path.write_text('{"key": "x",,}', encoding="utf-8")
        with pytest.raises(wf.FrameworkDefinitionError, match=r"not valid JSON.*line 1") as info:
            wf.load_framework(path)
        assert info.value.source == "broken.json"
        assert isinstance(info.value, ValueError)
        assert isinstance(info.value, wf.WellbeingFrameworkError)

    def test_not_utf8(self, tmp_path: Path) -> None:
        """A binary file is refused, not crashed on."""
        path = tmp_path / "binary.json"
        path.write_bytes(b"\xff\xfe\x00\x81garbage")
        with pytest.raises(wf.FrameworkDefinitionError, match="not UTF-8"):
            wf.load_framework(path)

    def test_every_fault_listed_with_path(self, tmp_path: Path) -> None:
        """One file with many faults reports all of them, each with its JSON path."""
        doc = copy.deepcopy(MINIMAL)
        doc["colour"] = "red"  # unknown key at top level
        del doc["version"]  # missing required
        doc["scale"] = {"min": 6, "max": 1}  # min >= max
        doc["domains"][0]["indicators"][0]["weight"] = -1  # non-positive weight
        doc["domains"][0]["indicators"][1]["key"] = "A1"  # duplicate key
        doc["domains"][0]["indicators"][1]["reverse"] = "yes"  # wrong type
        doc["domains"][1]["indicators"] = []  # domain without indicators
        doc["domains"][1]["titel"] = "typo"  # unknown key with suggestion
        problems = problems_of(tmp_path, doc)
        expected = [
            "unknown key 'colour' @ $.colour",
            "missing required field 'version' @ $.version",
            "scale.min (6) must be less than scale.max (1) @ $.scale.min",
            "must be greater than 0, got -1 @ $.domains[0].indicators[0].weight",
            "duplicate domain, indicator and centre key 'A1' "
            "(first used @ $.domains[0].indicators[0].key) @ $.domains[0].indicators[1].key",
            "expected boolean, got string 'yes' @ $.domains[0].indicators[1].reverse",
            "needs at least 1 item, got 0 @ $.domains[1].indicators",
            "unknown key 'titel' (did you mean 'title'?) @ $.domains[1].titel",
        ]
        assert sorted(problems) == sorted(expected)

    def test_message_lists_problems(self, tmp_path: Path) -> None:
        """The exception text names the file and each problem on its own line."""
        doc = copy.deepcopy(MINIMAL)
        doc["domains"][0]["key"] = "neuroticism"
        with pytest.raises(wf.FrameworkDefinitionError) as info:
            wf.load_framework(write(tmp_path, doc, "mine.json"))
        text = str(info.value)
        assert text.startswith("invalid definition in mine.json: 1 problem")
        assert "\n  - duplicate domain, indicator and centre key 'neuroticism'" in text

    def test_duplicates_in_other_sections(self, tmp_path: Path) -> None:
        """Duplicate keys among values, approaches etc. are found too."""
        doc = copy.deepcopy(MINIMAL)
        doc["values"] = [
            {"key": "v", "title": "V", "statement": "s"},
            {"key": "v", "title": "W", "statement": "t"},
        ]
        doc["continuum"] = {"approaches": [{"key": "a", "title": "A"}, {"key": "a", "title": "B"}]}
        problems = problems_of(tmp_path, doc)
        assert any(p.endswith("@ $.values[1].key") for p in problems)
        assert any(p.endswith("@ $.continuum.approaches[1].key") for p in problems)

    def test_reserved_and_malformed_keys(self, tmp_path: Path) -> None:
        """Keys must be identifiers and must not clash with columns the library writes."""
        doc = copy.deepcopy(MINIMAL)
        doc["domains"][0]["key"] = "index"
        doc["domains"][1]["key"] = "my domain"
        problems = problems_of(tmp_path, doc)
        assert "key 'index' is reserved for a column the library writes @ $.domains[0].key" in (
            problems
        )
        assert any("must start with a letter" in p and "$.domains[1].key" in p for p in problems)

    def test_wrong_label_count(self, tmp_path: Path) -> None:
        """Scale labels must match the number of scale points."""
        doc = copy.deepcopy(MINIMAL)
        doc["scale"]["labels"] = ["low", "high"]
        assert problems_of(tmp_path, doc) == (
            "needs one label per scale point (6 for 1-6), got 2 @ $.scale.labels",
        )

    def test_top_level_not_object(self, tmp_path: Path) -> None:
        """A JSON list instead of an object is named as such."""
        assert problems_of(tmp_path, [1, 2]) == ("expected object, got array [1, 2] @ $",)

    def test_boolean_is_not_an_integer(self, tmp_path: Path) -> None:
        """JSON true is not accepted as a scale bound (a number)."""
        doc = copy.deepcopy(MINIMAL)
        doc["scale"]["min"] = True
        assert problems_of(tmp_path, doc) == ("expected number, got boolean True @ $.scale.min",)


class TestSchema:
    def test_schema_matches_classes(self) -> None:
        """The shipped JSON Schema and the attrs classes describe the same fields."""
        schema = framework_schema()
        defs = schema["$defs"]
        pairs = {
            "scale": wf.RatingScale,
            "indicator": wf.Indicator,
            "domain": wf.Domain,
            "centre_item": wf.CentreItem,
            "value": wf.Value,
            "characteristic": wf.Characteristic,
            "outcome": wf.Outcome,
            "expectation": wf.Expectation,
            "approach": wf.Approach,
            "continuum": wf.PracticeContinuum,
            "source": wf.Source,
            "adapted_from": wf.AdaptedFrom,
        }
        assert set(schema["properties"]) == {a.name for a in attrs.fields(wf.Framework)}
        required = {a.name for a in attrs.fields(wf.Framework) if a.default is attrs.NOTHING}
        assert set(schema["required"]) == required
        for name, cls in pairs.items():
            fields = attrs.fields(cls)
            assert set(defs[name]["properties"]) == {a.name for a in fields}, name
            required = {a.name for a in fields if a.default is attrs.NOTHING}
            assert set(defs[name]["required"]) == required, name

    def test_bundled_file_valid_against_schema(self) -> None:
        """The bundled file passes the schema with no problems."""
        text = resources.files("wellbeing_framework").joinpath("data/ni_social_wellbeing.json")
        assert framework_problems(json.loads(text.read_text("utf-8"))) == []
