"""What every FHIR resource the library makes shares: its URLs, ids, names and codes.

Every canonical URL starts from a *base*. The default, :data:`DEFAULT_BASE`, is a w3id.org
permanent-identifier namespace for the library; an organisation publishing its own
adaptation passes its own ``base=`` (``"https://fhir.example-trust.hscni.net"``). The
extensions the library defines (``.../StructureDefinition/indicator-reverse`` and the
others below) live under the same base; a reader that does not know them can ignore them,
as FHIR allows.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wellbeing_framework.framework import Framework
    from wellbeing_framework.rules import ScoringRules

__all__ = [
    "DEFAULT_BASE",
    "ORDINAL_VALUE",
    "canonical",
    "check_base",
    "code_system_url",
    "coding",
    "computable_name",
    "extension_url",
    "fhir_id",
    "to_code_system",
]

#: The base of every URL the library makes, unless ``base=`` says otherwise.
DEFAULT_BASE = "https://w3id.org/wellbeing-framework/fhir"
#: The core extension that gives an answer's coding its number (FHIR R4).
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def fhir_id(text: str) -> str:
    """A FHIR resource id made from a key: letters, digits, ``-`` and ``.``; 64 at most.

    Examples
    --------
    >>> fhir_id("ni_social_wellbeing")
    'ni-social-wellbeing'
    """
    return re.sub(r"[^A-Za-z0-9\-.]", "-", text)[:64] or "framework"


def computable_name(text: str) -> str:
    """A FHIR computable name (``[A-Z][A-Za-z0-9_]*``) made from a key.

    Examples
    --------
    >>> computable_name("ni_social_wellbeing")
    'NiSocialWellbeing'
    """
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", text) if p]
    name = "".join(p[:1].upper() + p[1:] for p in parts)
    return name if name[:1].isalpha() else f"F{name}"


def check_base(base: object) -> str:
    """The base as every URL uses it (no trailing ``/``), or a ValueError.

    Examples
    --------
    >>> check_base("https://fhir.example.org/")
    'https://fhir.example.org'
    """
    if not isinstance(base, str) or not re.match(r"^(https?://[^\s/]+\S*|urn:\S+)$", base):
        raise ValueError("base must be an absolute URL (https://...) or a URN, with no spaces")
    return base.rstrip("/")


def canonical(framework: Framework, base: str = DEFAULT_BASE) -> str:
    """The framework's Questionnaire URL: ``{base}/Questionnaire/{id}``."""
    return f"{check_base(base)}/Questionnaire/{fhir_id(framework.key)}"


def code_system_url(framework: Framework, base: str = DEFAULT_BASE) -> str:
    """The URL of the framework's CodeSystem: ``{base}/CodeSystem/{id}``."""
    return f"{check_base(base)}/CodeSystem/{fhir_id(framework.key)}"


def extension_url(name: str, base: str = DEFAULT_BASE) -> str:
    """The URL of one of the library's extensions: ``{base}/StructureDefinition/{name}``."""
    return f"{check_base(base)}/StructureDefinition/{name}"


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A Coding, its display left out when there is none."""
    out: dict[str, Any] = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def band_code(label: str) -> str:
    """The code of a band: its label in lower case, words joined by ``-``.

    Examples
    --------
    >>> band_code("High need")
    'band-high-need'
    """
    return "band-" + re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")


def _concepts(framework: Framework, rules: ScoringRules) -> list[dict[str, Any]]:
    concepts: list[dict[str, Any]] = [
        {
            "code": "index",
            "display": "Wellbeing index",
            "definition": "Mean of the domain scores (0-100).",
        }
    ]
    for domain in framework.domains:
        entry: dict[str, Any] = {"code": domain.key, "display": domain.title}
        if domain.aim:
            entry["definition"] = domain.aim
        concepts.append(entry)
        concepts += [{"code": i.key, "display": i.text} for i in domain.indicators]
    concepts += [
        {"code": c.key, "display": c.title, **({"definition": c.text} if c.text else {})}
        for c in framework.centre
    ]
    concepts += [
        {
            "code": band_code(b.label),
            "display": b.label,
            "definition": f"A score from {b.lower:g} to {b.upper:g}.",
        }
        for b in rules.bands
    ]
    concepts += [
        {
            "code": f"flag-{f.name}",
            "display": f"{f.name} flag",
            **({"definition": f.description} if f.description else {}),
        }
        for f in rules.flags or ()
    ]
    scale = framework.scale
    concepts += [
        {
            "code": str(p),
            "display": scale.label(p),
            "definition": f"Rating {p} of {scale.min}-{scale.max}.",
        }
        for p in scale.points
    ]
    return concepts


def to_code_system(
    framework: Framework, rules: ScoringRules | None = None, *, base: str = DEFAULT_BASE
) -> dict[str, Any]:
    """The CodeSystem of the framework's codes: domains, indicators, centre items, the index,
    the bands, the flags and the points of the scale.

    Questionnaire items, answers and Observations all take their codes from it, at
    ``{base}/CodeSystem/{framework}``.

    Parameters
    ----------
    framework
        The framework.
    rules
        Scoring rules whose bands and flags are coded; ``None`` for the defaults.
    base
        The base of the URL (see :data:`DEFAULT_BASE`).

    Returns
    -------
    dict
        A FHIR R4 CodeSystem resource as plain data, ready for ``json.dump``.

    Raises
    ------
    ValueError
        If two of the framework's keys (or a key and a band or rating code) are the same
        code.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> system = wf.interop.to_code_system(wf.load_framework())
    >>> system["url"]
    'https://w3id.org/wellbeing-framework/fhir/CodeSystem/ni-social-wellbeing'
    >>> [c["code"] for c in system["concept"]][:3]
    ['index', 'rb', 'rb1']
    """
    from wellbeing_framework.rules import ScoringRules

    concepts = _concepts(framework, (rules or ScoringRules()).resolve(framework))
    codes = [c["code"] for c in concepts]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        msg = f"these codes would mean two things in the code system: {', '.join(repeated)}"
        raise ValueError(msg)
    return {
        "resourceType": "CodeSystem",
        "id": fhir_id(framework.key),
        "url": code_system_url(framework, base),
        "version": framework.version,
        "name": computable_name(framework.key),
        "title": f"{framework.title}: codes",
        "status": "active",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }
