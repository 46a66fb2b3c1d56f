"""The framework model and the bundled framework's fidelity to the leaflet."""

from __future__ import annotations

import attrs
import pytest

import wellbeing_framework as wf

# Literal strings copied from the leaflet "The Purpose of Social Work: Improving and
# Safeguarding Social Wellbeing" (shared seed 000). The bundled file must hold each one.
LEAFLET_VALUES = {
    "Human Rights": "We will uphold and promote individual’s dignity and wellbeing and respect "
    "and support their rights where this does not threaten the rights, safety or legitimate "
    "interests of others.",
    "Social Justice": "We will challenge discrimination, respect diversity, promote social "
    "inclusion and support fair and just policies, practice and decisions.",
    "Professional Integrity": "We will act in a reliable, honest and trustworthy manner and "
    "uphold the values and reputation of the profession.",
    "Ethical Practice": "We will act with integrity and treat people with respect, compassion "
    "and empathy and comply with regulatory, employer and professional requirements where "
    "these are consistent with professional values.",
}
LEAFLET_ENABLE = [
    "live safely, purposefully and well in their own homes",
    "play an active and productive part in society",
    "have better life chances and outcomes",
    "build social cohesion and capital",
]
LEAFLET_PROTECTION = (
    "They also contribute to the protection of children and adults at risk of harm, to public "
    "protection and offender rehabilitation."
)
LEAFLET_CHARACTERISTICS = {
    "Relationships": "building person-centred relationships based on trust and respect that "
    "promote individual's rights to self-determination",
    "Systems thinking": "a holistic approach to understanding individuals and the personal, "
    "family, social, economic and environmental factors influencing their life",
    "Strength based": "building on people's strengths to manage their own lives and to bring "
    "about positive change for and by themselves",
    "Co-production": "developing more equal partnerships with people who use services in order "
    "to shape services that meet individual needs and improve people's quality of life",
    "Rights based": "promoting people's rights and standing up for the rights of those who are "
    "unable to do so on their own behalf",
    "Collaboration": "collaborating with others to ensure a co-ordinated response in meeting "
    "people's needs and to improve their experience of services",
    "Evidence informed": "continuous development, reflective practice and use of evidence, "
    "including research, in professional decision-making",
}
LEAFLET_QUADRANT = [
    (
        "Relationships and Belonging",
        "Promoting people's social inclusion and participation in society",
        [
            "Have stable, supportive and trusting relationships with others, including family "
            "and friends",
            "Have their own home or a place that feels like home",
            "Participate in social and community life and have positive life experiences",
            "Feel a sense of belonging",
        ],
    ),
    (
        "Purpose and Meaning",
        "Enabling people to engage in meaningful and fulfilling activities",
        [
            "Access opportunities to pursue activities, including leisure, sport, educational, "
            "volunteering or paid work",
            "Feel valued and respected",
            "Have a sense of achievement, fulfilment and enjoyment",
            "Live purposefully and well",
            "Improve their life chances and outcomes",
        ],
    ),
    (
        "Independence and Responsibility",
        "Empowering people to be in control of their own lives",
        [
            "Make informed choices about their life and how they are supported by others to "
            "live it",
            "Have, or develop, the confidence and life skills to take responsibility for "
            "themselves, and others as appropriate",
            "Have access to resources, services and opportunities that support their "
            "independence and inclusion in society",
            "Live as independent and fulfilling a life as possible",
        ],
    ),
    (
        "Safe and Well",
        "Supporting people to keep safe and well",
        [
            "Feel cared for, secure and protected by those close to them",
            "Are able to keep themselves and those they care for safe, well and healthy",
            "Feel safe in their own home and community",
            "Respect diversity and difference",
            "Are safe from harm, abuse and exploitation",
        ],
    ),
]
LEAFLET_EXPECTATIONS = [
    "develop a meaningful relationship with them based on empathy",
    "can be trusted and treat them with respect and honesty",
    "put them at the centre",
    "focus on their abilities and strengths",
    "support them to make informed choices and decisions",
    "are dependable and don’t give up on them",
    "help them get the help and support they need",
]


class TestBundledFramework:
    def test_values_in_leaflet_wording(self, framework: wf.Framework) -> None:
        """The four values carry the leaflet's titles and statements, in order."""
        assert {v.title: v.statement for v in framework.values} == LEAFLET_VALUES
        assert [v.title for v in framework.values] == list(LEAFLET_VALUES)

    def test_enabling_outcomes(self, framework: wf.Framework) -> None:
        """The four outcomes social workers enable are there, word for word."""
        enable = [o.text for o in framework.outcomes if o.kind == "enable"]
        assert enable == LEAFLET_ENABLE

    def test_contribution_to_protection(self, framework: wf.Framework) -> None:
        """The three contributions to protection are the leaflet's phrases."""
        protect = [o.text for o in framework.outcomes if o.kind == "protect"]
        assert len(protect) == 3
        for phrase in protect:
            assert phrase in LEAFLET_PROTECTION

    def test_characteristics(self, framework: wf.Framework) -> None:
        """The seven key characteristics of effective practice, with descriptions."""
        got = {c.title: c.description for c in framework.characteristics}
        assert got == LEAFLET_CHARACTERISTICS
        assert [c.title for c in framework.characteristics] == list(LEAFLET_CHARACTERISTICS)

    def test_quadrant_domains_aims_indicators(self, framework: wf.Framework) -> None:
        """Four domains in the leaflet's order, each aim and all 18 indicators verbatim."""
        got = [(d.title, d.aim, [i.text for i in d.indicators]) for d in framework.domains]
        assert got == LEAFLET_QUADRANT
        assert [len(d.indicators) for d in framework.domains] == [4, 5, 4, 5]
        assert len(framework.indicators) == 18

    def test_centre(self, framework: wf.Framework) -> None:
        """Quality of Life and Self Worth sit at the centre."""
        assert [c.title for c in framework.centre] == ["Quality of Life", "Self Worth"]

    def test_expectations(self, framework: wf.Framework) -> None:
        """The seven things service users expect, word for word."""
        assert [e.text for e in framework.expectations] == LEAFLET_EXPECTATIONS

    def test_continuum(self, framework: wf.Framework) -> None:
        """Five approaches from empowering to protecting, flagged as the library's reading."""
        continuum = framework.continuum
        assert continuum is not None
        assert [a.key for a in continuum.approaches] == [
            "community_inclusion",
            "early_intervention",
            "support_recovery",
            "safeguarding",
            "statutory_protection",
        ]
        assert continuum.note is not None
        assert "reading of the leaflet" in continuum.note
        assert continuum.description is not None
        assert "The ability of social workers to both empower and protect is intrinsic" in (
            continuum.description
        )

    def test_scale(self, framework: wf.Framework) -> None:
        """A 1-5 scale with the labels of DESIGN.md."""
        scale = framework.scale
        assert (scale.min, scale.max) == (1, 5)
        assert scale.labels == ("not at all", "a little", "somewhat", "mostly", "completely")
        assert scale.question == "How true is this for you now?"

    def test_source_and_version(self, framework: wf.Framework) -> None:
        """The file cites the leaflet and the strategy, and carries a version."""
        assert framework.source is not None
        assert "Improving and Safeguarding Social Wellbeing" in framework.source.title
        assert framework.source.based_on is not None
        assert "A Strategy for Social Work 2012 - 2022" in framework.source.based_on
        assert framework.version == "1.0.0"

    def test_keys_are_short_identifiers(self, framework: wf.Framework) -> None:
        """Every key is a short identifier usable as a column name."""
        keys = [d.key for d in framework.domains] + list(framework.indicator_keys)
        keys += [c.key for c in framework.centre]
        assert all(k.isidentifier() and len(k) <= 12 for k in keys)
        assert len(set(keys)) == len(keys)


class TestLookups:
    def test_domain_and_indicator(self, framework: wf.Framework) -> None:
        """Lookups by key return the right objects."""
        assert framework.domain("pm").title == "Purpose and Meaning"
        assert framework.indicator("sw3").text == "Feel safe in their own home and community"
        assert framework.domain_of["ir2"] == "ir"

    def test_unknown_indicator_suggests_closest(self, framework: wf.Framework) -> None:
        """An unknown key raises KeyError naming the closest key."""
        with pytest.raises(KeyError, match="did you mean 'sw1'"):
            framework.indicator("sw_1")

    def test_unknown_domain_lists_domains(self, framework: wf.Framework) -> None:
        """A key with no close match lists the known keys instead."""
        with pytest.raises(KeyError, match="Domains: rb, pm, ir, sw") as info:
            framework.domain("zzzzzz")
        assert "did you mean" not in str(info.value)

    def test_flat_indicators_in_domain_order(self, framework: wf.Framework) -> None:
        """fw.indicators is flat and follows domain order."""
        expected = [i.key for d in framework.domains for i in d.indicators]
        assert list(framework.indicator_keys) == expected
        assert expected[0] == "rb1"
        assert expected[-1] == "sw5"

    def test_approach_lookup(self, framework: wf.Framework) -> None:
        """Continuum approaches can be looked up, with a helpful error."""
        assert framework.continuum is not None
        assert framework.continuum.approach("safeguarding").title == "Safeguarding"
        with pytest.raises(KeyError, match="Approaches:"):
            framework.continuum.approach("nothing_like_it")


class TestFrozen:
    def test_cannot_mutate(self, framework: wf.Framework) -> None:
        """Framework objects are immutable."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            framework.key = "other"  # type: ignore[misc]

    def test_collections_are_tuples(self) -> None:
        """Lists given to the constructor become tuples."""
        domain = wf.Domain(key="d", title="D", indicators=[wf.Indicator(key="d1", text="x")])
        assert isinstance(domain.indicators, tuple)

    def test_invalid_object_in_python_raises(self) -> None:
        """Building an invalid framework in Python fails like a bad file would."""
        with pytest.raises(wf.FrameworkDefinitionError) as info:
            wf.Framework(
                key="x",
                title="X",
                version="1",
                scale=wf.RatingScale(min=2, max=2),
                domains=[wf.Domain(key="d", title="D", indicators=[])],
            )
        problems = info.value.problems
        assert "needs at least 1 item, got 0 @ $.domains[0].indicators" in problems
        assert "scale.min (2) must be less than scale.max (2) @ $.scale.min" in problems


class TestAdapt:
    def test_reword_drop_add_scale(self, framework: wf.Framework) -> None:
        """adapt() rewords, drops and adds indicators, changes the scale, records origin."""
        new = framework.adapt(
            key="adult_services",
            title="Adult services",
            version="0.1",
            reword={"rb2": "Live somewhere that feels like home", "sw": "Staying safe"},
            drop=["pm5"],
            add={"pm": [wf.Indicator(key="pm6", text="Have something to look forward to")]},
            scale=wf.RatingScale(min=0, max=4),
            note="for a day centre",
        )
        assert new.indicator("rb2").text == "Live somewhere that feels like home"
        assert new.domain("sw").aim == "Staying safe"
        assert [i.key for i in new.domain("pm").indicators] == [
            "pm1",
            "pm2",
            "pm3",
            "pm4",
            "pm6",
        ]
        assert (new.scale.min, new.scale.max) == (0, 4)
        assert new.adapted_from == wf.AdaptedFrom(
            key="ni_social_wellbeing", version="1.0.0", note="for a day centre"
        )
        # the original is untouched
        assert framework.indicator("rb2").text.startswith("Have their own home")

    def test_adaptation_is_validated(self, framework: wf.Framework) -> None:
        """Dropping every indicator of a domain is refused with the JSON path."""
        with pytest.raises(wf.FrameworkDefinitionError, match=r"\$\.domains\[0\]\.indicators"):
            framework.adapt(key="bad", title="Bad", version="1", drop=["rb1", "rb2", "rb3", "rb4"])

    def test_adding_duplicate_key_refused(self, framework: wf.Framework) -> None:
        """An added indicator may not reuse an existing key."""
        with pytest.raises(wf.FrameworkDefinitionError, match=r"duplicate .* key 'rb1'"):
            framework.adapt(
                key="bad",
                title="Bad",
                version="1",
                add={"sw": [wf.Indicator(key="rb1", text="x")]},
            )

    def test_unknown_key_in_drop(self, framework: wf.Framework) -> None:
        """Dropping an indicator that does not exist is a KeyError with a suggestion."""
        with pytest.raises(KeyError, match="did you mean 'pm5'"):
            framework.adapt(key="x", title="X", version="1", drop=["pm_5"])

    def test_children_adaptation(self) -> None:
        """The bundled children's example loads and records what it adapts."""
        cyp = wf.load_framework("children_young_people")
        assert cyp.adapted_from is not None
        assert cyp.adapted_from.key == "ni_social_wellbeing"
        assert cyp.adapted_from.version == "1.0.0"
        assert cyp.adapted_from.note is not None
        assert "not an official" in cyp.adapted_from.note
        assert cyp.indicator_keys == wf.load_framework().indicator_keys
        assert cyp.indicator("rb4").text == "I feel I belong"
        assert all(
            i.text.startswith(("I ", "My ", "People ", "Things ", "The ", "Nobody "))
            for i in cyp.indicators
        )
        assert (cyp.scale.min, cyp.scale.max) == (1, 4)


class TestDisplay:
    def test_repr(self, framework: wf.Framework) -> None:
        """The repr is short and says what matters."""
        assert repr(framework) == (
            "Framework('ni_social_wellbeing' v1.0.0: 4 domains, 18 indicators, scale 1-5)"
        )
        assert (
            repr(framework.domain("rb"))
            == "Domain('rb', 'Relationships and Belonging', 4 indicators)"
        )

    def test_framework_html(self, framework: wf.Framework) -> None:
        """The notebook view is a table listing every indicator."""
        html = framework._repr_html_()
        assert html.count("<tr>") == 18 + 1
        assert "Relationships and Belonging" in html
        assert "Feel a sense of belonging" in html

    def test_domain_html_escapes(self) -> None:
        """Text is HTML-escaped in the notebook view."""
        domain = wf.Domain(key="d", title="<b>", indicators=[wf.Indicator(key="d1", text="a & b")])
        html = domain._repr_html_()
        assert "&lt;b&gt;" in html
        assert "a &amp; b" in html
        assert "<b>" not in html
