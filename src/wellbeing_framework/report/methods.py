"""The methods section: the rules behind the numbers, in sentences and a small table,
with the machine-readable rules attached for provenance."""

from __future__ import annotations

import json

import pandas as pd

from wellbeing_framework.cohort import DisclosurePolicy
from wellbeing_framework.continuum import ContinuumRules
from wellbeing_framework.framework import Framework
from wellbeing_framework.io import converter
from wellbeing_framework.report import human as h
from wellbeing_framework.report.document import Block, Listing, Paragraph, Section
from wellbeing_framework.report.published import flag_sentences
from wellbeing_framework.scoring import ScoringRules
from wellbeing_framework.tables import READ_KEY

__all__ = ["methods_section", "rules_appendix"]


def _scale(framework: Framework) -> str:
    scale = framework.scale
    labels = ", ".join(f"{scale.min + i} = {label}" for i, label in enumerate(scale.labels or ()))
    text = f"Each indicator is rated from {scale.min:g} to {scale.max:g}"
    if not scale.integer:
        text += " on a continuous scale"
    if scale.question:
        text += f' in answer to "{scale.question}"'
    return text + (f" ({labels})." if labels else ".")


def _bands(rules: ScoringRules) -> str:
    parts = [f"{b.label} {b.lower:g} to under {b.upper:g}" for b in rules.bands or ()]
    if parts:
        parts[-1] = parts[-1].replace(" to under ", " to ")
    return "; ".join(parts)


def _index_rule(framework: Framework, rules: ScoringRules) -> str:
    weights = rules.index_weights
    if weights is None:
        how = "the mean of the four domain scores"
        if len(framework.domains) != 4:
            how = f"the mean of the {len(framework.domains)} domain scores"
    else:
        how = (
            "the weighted mean of the domain scores ("
            + ", ".join(f"{d.title} {weights.get(d.key, 0):g}" for d in framework.domains)
            + ")"
        )
    centre = " and ".join(c.title for c in framework.centre)
    text = f"The index, 0-100, is {how}."
    if centre:
        text += f" {centre}, at the centre of the quadrant, are scored on their own."
    return text


def _missing_rule(rules: ScoringRules) -> str:
    share = rules.min_answered
    text = (
        f"A domain is scored when at least {share:.0%} of its indicators are answered, "
        "from the mean of the answered ratings rescaled to 0-100"
    )
    text += "; reverse-keyed indicators are reversed first" if rules.reverse_keying else ""
    text += ". The index needs every domain scored." if rules.index_requires_all else "."
    return text


def _read_as_missing(ratings: pd.DataFrame, policy: DisclosurePolicy) -> str:
    """How many answers the missing-answer tokens blanked when the file was read (each
    count through the disclosure policy); empty when not known."""
    counts = ratings.attrs.get(READ_KEY, {}).get("missing") or {}
    shown = []
    for token, number in counts.items():
        published = policy.apply_total(float(number))
        said = "a few" if published is None else f"{published:,}"
        rounded = " (rounded)" if published is not None and policy.rounding > 1 else ""
        shown.append(f"{said}{rounded} {'empty cells' if token == '' else repr(token)}")
    if not shown:
        return ""
    return (
        f"Read as missing answers when the file was read: {', '.join(shown)}. Any other "
        "text in a rating cell was a problem, never a silent blank."
    )


def methods_section(
    ratings: pd.DataFrame,
    framework: Framework,
    rules: ScoringRules,
    continuum_rules: ContinuumRules,
    policy: DisclosurePolicy,
    reliability_note: str | None,
) -> Section:
    """The rules as sentences and a table (the JSON is in :func:`rules_appendix`)."""
    placing = continuum_rules.resolve(framework)
    flags = flag_sentences(rules)
    weights = ", ".join(
        f"{d.title} {(placing.domain_weights or {}).get(d.key, 1.0):g}" for d in framework.domains
    )
    rows = [
        ("Scale", _scale(framework)),
        ("Missing answers", _missing_rule(rules)),
        ("Index", _index_rule(framework, rules)),
        ("Bands", _bands(rules) + "."),
        (
            "Change",
            "Mean change from baseline to follow-up of the people assessed at both, with a "
            "95% percentile bootstrap interval; effect size = mean change divided by the "
            "standard deviation at baseline.",
        ),
        (
            "Reliable change",
            "Jacobson and Truax (1991): a change is reliable when |RCI| > 1.959964, the "
            "two-sided 95% normal quantile. "
            + (reliability_note or "Reliability: Cronbach's alpha at baseline."),
        ),
        ("Trajectory", "The mean at each wave with a 95% t interval, everyone assessed then."),
        *[("Flags", text) for text in flags],
        ("Disclosure control", policy.describe()),
        (
            "Practice continuum",
            f"Domain weights: {weights}; a raised safeguarding flag places a case at least "
            "at safeguarding. " + "Decision support for reflection, not a decision.",
        ),
    ]
    blocks: list[Block] = [
        Paragraph(
            "Every number in this report follows the rules below, applied the same way to "
            "every person. Means have 95% confidence intervals; counts pass through the "
            "disclosure control stated. The rules in machine-readable form are in the "
            "appendix, so the report can be reproduced."
        ),
        h.make_table("The rules used", ("Rule", "What was done"), rows, policy),
    ]
    missing = _read_as_missing(ratings, policy)
    if missing:
        blocks.append(Paragraph(missing))
    return Section("Methods", tuple(blocks))


def rules_appendix(
    framework: Framework, rules: ScoringRules, continuum_rules: ContinuumRules
) -> Section:
    """The scoring and continuum rules as JSON, for provenance."""
    scoring = json.dumps(converter.unstructure(rules), indent=2)
    placing = json.dumps(converter.unstructure(continuum_rules.resolve(framework)), indent=2)
    return Section(
        "Appendix: the rules in machine-readable form",
        (
            Paragraph(
                f"Framework {framework.key}, version {framework.version}. Load these with "
                "wellbeing_framework to reproduce every number.",
                "small",
            ),
            Listing("Scoring rules", scoring),
            Listing("Continuum rules", placing),
        ),
        appendix=True,
    )
