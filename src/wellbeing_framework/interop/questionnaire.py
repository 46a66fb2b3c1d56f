"""The framework as a FHIR R4 Questionnaire, and a Questionnaire read back as a framework."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from wellbeing_framework.interop.fhir import (
    DEFAULT_BASE,
    ORDINAL_VALUE,
    canonical,
    code_system_url,
    coding,
    computable_name,
    extension_url,
    fhir_id,
)

if TYPE_CHECKING:
    from wellbeing_framework.framework import Domain, Framework
    from wellbeing_framework.rules import ScoringRules

__all__ = ["NOT_CARRIED", "from_questionnaire", "to_questionnaire"]

#: The parts of a framework a Questionnaire has no place for (read back empty).
NOT_CARRIED = ("values", "characteristics", "outcomes", "expectations", "continuum")
_CALCULATED = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-calculatedExpression"
)
_MIN = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX = "http://hl7.org/fhir/StructureDefinition/maxValue"
# linkIds no framework key can take (keys hold no hyphen):
_QUESTION = "scale-question"  # the display item holding the scale's question
_CENTRE = "centre-items"  # the group of centre items
_STATUSES = ("draft", "active", "retired", "unknown")
SCORE_SUFFIX = ".score"  # the linkId of a domain's calculated score: "rb.score"


def _answer_options(framework: Framework, system: str) -> list[dict[str, Any]]:
    scale = framework.scale
    return [
        {
            "valueCoding": {
                **coding(system, str(p), scale.label(p)),
                "extension": [{"url": ORDINAL_VALUE, "valueDecimal": p}],
            }
        }
        for p in scale.points
    ]


def _question(framework: Framework, key: str, text: str, system: str, base: str) -> dict[str, Any]:
    """One rated item: a choice of the scale's points, or a number on a continuous scale."""
    scale = framework.scale
    item: dict[str, Any] = {"linkId": key, "text": text, "code": [coding(system, key, text)]}
    if scale.integer:
        item["type"] = "choice"
        item["answerOption"] = _answer_options(framework, system)
    else:
        item["type"] = "decimal"
        item["extension"] = [
            {"url": _MIN, "valueDecimal": scale.min},
            {"url": _MAX, "valueDecimal": scale.max},
        ]
    return item


def _fhirpath_text(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def score_expression(domain: Domain, framework: Framework, rules: ScoringRules) -> str:
    """A FHIRPath expression for the domain's score in a QuestionnaireResponse.

    It follows the scoring rules: reverse keying, weights, and no score when fewer than
    ``min_answered`` of the indicators are answered.
    """
    scale = framework.scale
    keys = " | ".join(_fhirpath_text(i.key) for i in domain.indicators)
    items = f"%resource.repeat(item).where(linkId in ({keys}) and answer.exists())"
    value = "answer.value.code.toInteger()" if scale.integer else "answer.value"
    reversed_ = [i.key for i in domain.indicators if i.reverse and rules.reverse_keying]
    if reversed_:
        which = " | ".join(map(_fhirpath_text, reversed_))
        value = f"iif(linkId in ({which}), {scale.min + scale.max} - {value}, {value})"
    weight = "1"
    if rules.use_weights and len({i.weight for i in domain.indicators}) > 1:
        for indicator in reversed(domain.indicators):
            weight = (
                f"iif(linkId = {_fhirpath_text(indicator.key)}, {indicator.weight:g}, {weight})"
            )
    need = math.ceil(rules.min_answered * len(domain.indicators) - 1e-9)
    mean = f"({items}.select(({value}) * {weight}).sum() / {items}.select({weight}).sum())"
    span = scale.max - scale.min
    return f"iif({items}.count() >= {need}, ({mean} - ({scale.min})) / {span} * 100, {{}})"


def _domain_group(
    domain: Domain, framework: Framework, system: str, base: str, calculated: ScoringRules | None
) -> dict[str, Any]:
    questions = []
    for indicator in domain.indicators:
        item = _question(framework, indicator.key, indicator.text, system, base)
        extra = []
        if indicator.reverse:
            extra.append({"url": extension_url("indicator-reverse", base), "valueBoolean": True})
        if indicator.weight != 1:
            weight = {"url": extension_url("indicator-weight", base)}
            extra.append({**weight, "valueDecimal": indicator.weight})
        if extra:
            item["extension"] = [*item.get("extension", []), *extra]
        questions.append(item)
    if calculated is not None:
        expression = score_expression(domain, framework, calculated)
        questions.append(
            {
                "linkId": domain.key + SCORE_SUFFIX,
                "text": f"{domain.title}: score (0-100)",
                "type": "decimal",
                "readOnly": True,
                "extension": [
                    {
                        "url": _CALCULATED,
                        "valueExpression": {"language": "text/fhirpath", "expression": expression},
                    }
                ],
            }
        )
    return {
        "linkId": domain.key,
        "type": "group",
        "text": domain.aim or domain.title,
        "code": [coding(system, domain.key, domain.title)],
        "extension": [{"url": extension_url("domain-title", base), "valueString": domain.title}],
        "item": questions,
    }


def _strings(url: str, fields: Mapping[str, str | None]) -> dict[str, Any]:
    """A complex extension of string parts, the empty ones left out."""
    parts = [{"url": k, "valueString": v} for k, v in fields.items() if v]
    return {"url": url, "extension": parts}


def _provenance(framework: Framework, base: str) -> list[dict[str, Any]]:
    out = []
    if framework.source is not None:
        s = framework.source
        fields = {
            "title": s.title,
            "publisher": s.publisher,
            "year": s.year,
            "url": s.url,
            "based_on": s.based_on,
            "note": s.note,
        }
        out.append(_strings(extension_url("framework-source", base), fields))
    if framework.adapted_from is not None:
        a = framework.adapted_from
        fields = {"key": a.key, "version": a.version, "note": a.note}
        out.append(_strings(extension_url("adapted-from", base), fields))
    return out


def to_questionnaire(
    framework: Framework,
    *,
    base: str = DEFAULT_BASE,
    status: str = "active",
    calculated: bool | ScoringRules = False,
) -> dict[str, Any]:
    """The framework as a FHIR R4 Questionnaire, as plain data ready for ``json.dump``.

    One ``group`` item per domain (its aim as the text, its title as the code's display),
    one ``choice`` item per indicator with ``linkId`` = the indicator's key and an
    ``answerOption`` per point of the scale (its label as the display, its number as the
    ``ordinalValue``), or a ``decimal`` item with ``minValue``/``maxValue`` on a continuous
    scale; the centre items in a group of their own; the scale's question as a ``display``
    item. Reverse keying and weights travel as extensions of the library's
    (``indicator-reverse``, ``indicator-weight``); the source and what the framework was
    adapted from as ``framework-source`` and ``adapted-from``.

    Parameters
    ----------
    framework
        The framework.
    base
        Base of the Questionnaire's URL, the codes' system and the extensions (see
        :data:`~wellbeing_framework.interop.DEFAULT_BASE`).
    status
        The Questionnaire's publication status (``"draft"``, ``"active"``, ``"retired"``).
    calculated
        ``True`` (default rules) or a :class:`~wellbeing_framework.ScoringRules`: add a
        read-only ``decimal`` item per domain (``linkId`` ``"rb.score"``) whose SDC
        ``calculatedExpression`` (FHIRPath) gives the domain's score as the rules do, so a
        form filler that supports SDC shows it while the form is filled in.

    Returns
    -------
    dict
        A Questionnaire resource.

    See Also
    --------
    from_questionnaire : read it back.
    wellbeing_framework.interop.to_code_system : the codes its items use.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> q = wf.interop.to_questionnaire(wf.load_framework())
    >>> q["url"]
    'https://w3id.org/wellbeing-framework/fhir/Questionnaire/ni-social-wellbeing'
    >>> q["version"], q["status"]
    ('1.0.0', 'active')
    >>> group = q["item"][1]
    >>> group["linkId"], group["text"]
    ('rb', "Promoting people's social inclusion and participation in society")
    >>> first = group["item"][0]
    >>> first["linkId"], first["type"], first["answerOption"][3]["valueCoding"]["display"]
    ('rb1', 'choice', 'mostly')
    """
    from wellbeing_framework.rules import ScoringRules

    if status not in _STATUSES:
        raise ValueError(f"status must be one of {', '.join(_STATUSES)}, not {status!r}")
    if not isinstance(calculated, bool | ScoringRules):
        raise TypeError("calculated must be True, False or ScoringRules")
    if not isinstance(base, str) or ("://" not in base and not base.startswith("urn:")):
        raise ValueError("base must be an absolute URL (https://...) or a URN")
    base = base.rstrip("/")
    system = code_system_url(framework, base)
    rules = (
        None
        if calculated is False
        else (ScoringRules() if calculated is True else calculated).resolve(framework)
    )
    items: list[dict[str, Any]] = []
    if framework.scale.question:
        items.append({"linkId": _QUESTION, "type": "display", "text": framework.scale.question})
    items += [_domain_group(d, framework, system, base, rules) for d in framework.domains]
    if framework.centre:
        centre = [
            _question(framework, c.key, c.text or c.title, system, base) for c in framework.centre
        ]
        for item, centre_item in zip(centre, framework.centre, strict=True):
            item["code"] = [coding(system, centre_item.key, centre_item.title)]
        items.append({"linkId": _CENTRE, "type": "group", "text": "At the centre", "item": centre})
    document: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": fhir_id(framework.key),
        "url": canonical(framework, base),
        "identifier": [{"system": f"{base}/framework", "value": framework.key}],
        "version": framework.version,
        "name": computable_name(framework.key),
        "title": framework.title,
        "status": status,
        "subjectType": ["Patient"],
    }
    if framework.description:
        document["description"] = framework.description
    if framework.source is not None and framework.source.publisher:
        document["publisher"] = framework.source.publisher
    if framework.adapted_from is not None:
        a = framework.adapted_from
        document["derivedFrom"] = [f"{base}/Questionnaire/{fhir_id(a.key)}|{a.version}"]
    provenance = _provenance(framework, base)
    if provenance:
        document["extension"] = provenance
    document["item"] = items
    return document


# --- reading a Questionnaire back -----------------------------------------------------


def _ext(node: Mapping[str, Any], url_end: str) -> Any:
    """The value of the node's extension whose URL ends so (any base), or None."""
    for ext in node.get("extension", []) or []:
        if isinstance(ext, dict) and str(ext.get("url", "")).endswith(url_end):
            if "extension" in ext:
                return {
                    str(p.get("url")): p.get("valueString")
                    for p in ext["extension"]
                    if isinstance(p, dict)
                }
            return next((v for k, v in ext.items() if k.startswith("value")), None)
    return None


def _option_point(option: Mapping[str, Any]) -> tuple[Any, str | None]:
    """An answer option's number and label."""
    if "valueInteger" in option:
        return option["valueInteger"], None
    code = option.get("valueCoding")
    if not isinstance(code, dict):
        return None, None
    number = _ext(code, "/ordinalValue")
    if number is None:
        try:
            number = float(str(code.get("code")))
        except ValueError:
            number = None
    return number, code.get("display")


def _scale_of(item: Mapping[str, Any], where: str, problems: list[str]) -> dict[str, Any] | None:
    kind = item.get("type")
    if kind == "choice":
        points = [_option_point(o) for o in item.get("answerOption", []) if isinstance(o, dict)]
        numbers = [p for p, _ in points]
        if not numbers or any(n is None or float(n) != int(n) for n in numbers):
            problems.append(f"answer options without whole-number values @ {where}")
            return None
        ints = sorted(int(n) for n in numbers)
        if ints != list(range(ints[0], ints[-1] + 1)) or len(ints) < 2:
            problems.append(f"answer options are not consecutive whole numbers @ {where}")
            return None
        labels = [label for _, label in sorted(points, key=lambda p: float(p[0]))]
        scale: dict[str, Any] = {"min": ints[0], "max": ints[-1]}
        if all(labels) and any(
            str(label) != str(n) for n, label in zip(ints, labels, strict=True)
        ):
            scale["labels"] = labels
        return scale
    low, high = _ext(item, "/minValue"), _ext(item, "/maxValue")
    if low is None or high is None:
        problems.append(f"a {kind} item needs minValue and maxValue extensions @ {where}")
        return None
    return {"min": low, "max": high, **({"integer": False} if kind == "decimal" else {})}


_RATED = ("choice", "integer", "decimal")


def _rated_items(node: Mapping[str, Any], where: str) -> list[tuple[dict[str, Any], str]]:
    """Every answerable item under a node, with its JSON path, calculated scores aside."""
    out = []
    for n, item in enumerate(node.get("item", []) or []):
        path = f"{where}.item[{n}]"
        if not isinstance(item, dict):
            continue
        if item.get("type") == "group":
            out += _rated_items(item, path)
        elif item.get("type") in _RATED and not item.get("readOnly"):
            out.append((item, path))
    return out


def _indicator(item: Mapping[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "key": item.get("linkId"),
        "text": item.get("text") or item.get("linkId"),
    }
    if _ext(item, "/indicator-reverse") is True:
        entry["reverse"] = True
    weight = _ext(item, "/indicator-weight")
    if weight is not None:
        entry["weight"] = weight
    return entry


def _title(item: Mapping[str, Any]) -> str:
    codes = item.get("code") or [{}]
    display = codes[0].get("display") if isinstance(codes[0], dict) else None
    return str(_ext(item, "/domain-title") or display or item.get("text") or item.get("linkId"))


def _structure(doc: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    domains, centre, loose, question = [], [], [], None
    for n, item in enumerate(doc.get("item", []) or []):
        path = f"$.item[{n}]"
        if not isinstance(item, dict):
            problems.append(f"an item must be an object @ {path}")
        elif item.get("linkId") == _QUESTION and item.get("type") == "display":
            question = item.get("text")
        elif item.get("type") == "group" and item.get("linkId") == _CENTRE:
            centre = [
                {
                    "key": i.get("linkId"),
                    "title": _title(i),
                    **(
                        {"text": i["text"]} if i.get("text") and i.get("text") != _title(i) else {}
                    ),
                }
                for i, _ in _rated_items(item, path)
            ]
        elif item.get("type") == "group":
            rated = _rated_items(item, path)
            title = _title(item)
            aim = item.get("text") if item.get("text") and item.get("text") != title else None
            domains.append(
                (
                    {
                        "key": item.get("linkId"),
                        "title": title,
                        **({"aim": aim} if aim else {}),
                        "indicators": [_indicator(i) for i, _ in rated],
                    },
                    rated,
                )
            )
        elif item.get("type") in _RATED:
            loose.append((item, path))
    if loose:
        title = str(doc.get("title") or "Items")
        domains.append(
            (
                {"key": "items", "title": title, "indicators": [_indicator(i) for i, _ in loose]},
                loose,
            )
        )
    return {"domains": domains, "centre": centre, "question": question}


def from_questionnaire(doc: Mapping[str, Any]) -> Framework:
    """Read a FHIR R4 Questionnaire (plain data) back into a framework.

    Group items become domains (the title from the code's display, the aim from the text),
    the answerable items in them indicators (``linkId`` as key), and the answer options the
    scale. A Questionnaire made by :func:`to_questionnaire` reads back as the framework it
    was made from, except what a Questionnaire has no place for: the values,
    characteristics, outcomes, expectations and practice continuum
    (:data:`~wellbeing_framework.interop.questionnaire.NOT_CARRIED`), which are read back
    empty. A Questionnaire from elsewhere reads too: answerable items outside any group
    form one domain named after it.

    Parameters
    ----------
    doc
        The Questionnaire resource (what ``json.load`` returns).

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkDefinitionError
        Listing every fault with its JSON path: not a Questionnaire, items rated on
        different scales, answer options that are not a scale, and any fault of the
        framework it describes (repeated keys ...).

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> back = wf.interop.from_questionnaire(wf.interop.to_questionnaire(fw))
    >>> back.domains == fw.domains, back.scale == fw.scale, back.centre == fw.centre
    (True, True, True)
    >>> back.continuum is None
    True
    """
    from wellbeing_framework.exceptions import FrameworkDefinitionError
    from wellbeing_framework.io import framework_from_dict

    if not isinstance(doc, Mapping) or doc.get("resourceType") != "Questionnaire":
        found = doc.get("resourceType") if isinstance(doc, Mapping) else type(doc).__name__
        raise FrameworkDefinitionError([f"not a Questionnaire (found {found}) @ $.resourceType"])
    problems: list[str] = []
    try:
        parts = _structure(doc, problems)
        rated = [r for _, items in parts["domains"] for r in items]
        scales = [(s, where) for item, where in rated if (s := _scale_of(item, where, problems))]
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError):
        msg = "the items cannot be read (an item, code or option of the wrong kind) @ $.item"
        raise FrameworkDefinitionError([msg]) from None
    if scales and any(s != scales[0][0] for s, _ in scales):
        odd = next(where for s, where in scales if s != scales[0][0])
        problems.append(f"items are rated on different scales (first difference) @ {odd}")
    if not rated:
        problems.append("no answerable items @ $.item")
    if problems:
        raise FrameworkDefinitionError(problems)
    try:
        document = _document(doc, parts, scales)
    except (TypeError, ValueError, KeyError, AttributeError):
        msg = "the Questionnaire's identifier or extensions cannot be read @ $"
        raise FrameworkDefinitionError([msg]) from None
    try:
        return framework_from_dict(document)
    except FrameworkDefinitionError as exc:  # paths of the framework it would describe
        said = [f"as a framework: {p}" for p in exc.problems]
        raise FrameworkDefinitionError(said) from None


def _document(
    doc: Mapping[str, Any], parts: dict[str, Any], scales: list[tuple[dict[str, Any], str]]
) -> dict[str, Any]:
    scale = dict(scales[0][0])
    if parts["question"]:
        scale["question"] = parts["question"]
    document: dict[str, Any] = {
        "key": _framework_key(doc),
        "title": doc.get("title") or doc.get("name") or "Questionnaire",
        "version": str(doc.get("version") or "1"),
        "scale": scale,
        "domains": [d for d, _ in parts["domains"]],
    }
    if doc.get("description"):
        document["description"] = doc["description"]
    if parts["centre"]:
        document["centre"] = parts["centre"]
    document.update(_provenance_back(doc))
    return document


def _framework_key(doc: Mapping[str, Any]) -> str:
    for identifier in doc.get("identifier", []) or []:
        if isinstance(identifier, dict) and str(identifier.get("system", "")).endswith(
            "/framework"
        ):
            return str(identifier.get("value"))
    return str(doc.get("id") or doc.get("name") or "questionnaire")


def _provenance_back(doc: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    source = _ext(doc, "/framework-source")
    if isinstance(source, dict) and source.get("title"):
        out["source"] = {k: v for k, v in source.items() if v}
    adapted = _ext(doc, "/adapted-from")
    if isinstance(adapted, dict) and adapted.get("key"):
        out["adapted_from"] = {k: v for k, v in adapted.items() if v}
    return out
