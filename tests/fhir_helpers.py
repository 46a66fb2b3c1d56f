"""QuestionnaireResponses built by hand from a ratings table, as a FHIR system would send
them: independent of the library's reader, so the reader can be checked against them."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

import wellbeing_framework as wf


def _answer(value: float, fw: wf.Framework, style: str) -> dict[str, Any]:
    scale = fw.scale
    if not scale.integer:
        return {"valueDecimal": float(value)}
    point = int(value)
    if style == "integer":
        return {"valueInteger": point}
    if style == "display":  # a coding from another system, known only by its words
        return {
            "valueCoding": {
                "system": "urn:other",
                "code": f"x{point}",
                "display": scale.label(point).upper(),
            }
        }
    return {
        "valueCoding": {"system": "urn:any", "code": str(point), "display": scale.label(point)}
    }


def response(
    row: dict[str, Any],
    fw: wf.Framework,
    n: int,
    *,
    style: str = "coding",
    questionnaire: str | None = None,
) -> dict[str, Any]:
    """One QuestionnaireResponse for one assessment (a row of a wide ratings table)."""
    url = questionnaire or wf.interop.to_questionnaire(fw)["url"]
    groups = []
    for domain in fw.domains:
        items = []
        for indicator in domain.indicators:
            item: dict[str, Any] = {"linkId": indicator.key, "text": indicator.text}
            value = row.get(indicator.key)
            if value is not None and not (isinstance(value, float) and math.isnan(value)):
                item["answer"] = [_answer(value, fw, style)]
            items.append(item)
        groups.append({"linkId": domain.key, "item": items})
    centre = []
    for c in fw.centre:
        value = row.get(c.key)
        item = {"linkId": c.key}
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            item["answer"] = [_answer(value, fw, style)]
        centre.append(item)
    if centre:
        groups.append({"linkId": "centre-items", "item": centre})
    person = f"Patient/{row['person_id']}"
    author = person if row.get("rater", "self") == "self" else f"Practitioner/pr{n % 3}"
    date = pd.Timestamp(row["assessment_date"]).strftime("%Y-%m-%d")
    return {
        "resourceType": "QuestionnaireResponse",
        "id": f"qr{n}",
        "questionnaire": url,
        "status": "completed",
        "subject": {"reference": person},
        "authored": f"{date}T10:30:00+01:00",
        "author": {"reference": author},
        "item": groups,
    }


def bundle(ratings: pd.DataFrame, fw: wf.Framework, *, style: str = "coding") -> dict[str, Any]:
    """A searchset Bundle of responses, one per row, each with a Patient beside it."""
    entries: list[dict[str, Any]] = []
    people = sorted({str(p) for p in ratings["person_id"]})
    for person in people:
        patient = {"resourceType": "Patient", "id": person}
        entries.append(
            {"fullUrl": f"https://fhir.example.org/Patient/{person}", "resource": patient}
        )
    for n, row in enumerate(ratings.to_dict(orient="records")):
        resource = response(row, fw, n, style=style)
        entries.append(
            {
                "fullUrl": f"https://fhir.example.org/QuestionnaireResponse/qr{n}",
                "resource": resource,
            }
        )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}
