"""Scores out as FHIR R4 Observations, so they can go back into a care record."""

from __future__ import annotations

import math
import re
import uuid
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from wellbeing_framework.interop.fhir import (
    DEFAULT_BASE,
    band_code,
    code_system_url,
    coding,
)

if TYPE_CHECKING:
    import pandas as pd

    from wellbeing_framework.framework import Framework

__all__ = ["to_observations"]

_SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}
_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def _present(value: Any) -> bool:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return False
    return not (isinstance(value, float) and math.isnan(value))


def _quantity(value: Any, why: str = "too few of its items were answered") -> dict[str, Any]:
    if not _present(value) or not math.isfinite(float(value)):
        return {
            "dataAbsentReason": {
                "coding": [{"system": _ABSENT, "code": "unknown", "display": "Unknown"}],
                "text": f"not scored: {why}",
            }
        }
    return {
        "valueQuantity": {
            "value": float(value),
            "unit": "score",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        }
    }


def _band(row: dict[str, Any], key: str, system: str) -> dict[str, Any]:
    band = row.get(f"{key}_band")
    if not _present(band):
        return {}
    return {"interpretation": [{"coding": [coding(system, band_code(str(band)), str(band))]}]}


_TRUE = ("true", "yes", "1", "1.0")
_FALSE = ("false", "no", "0", "0.0")


def _flag(value: Any, column: str) -> bool:
    """A flag's value: a boolean, 0 or 1, or their words as a CSV holds them ("False")."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.number) and float(value) in (0.0, 1.0):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"column {column!r} holds a value that is not true or false")


_REFERENCE = re.compile(
    r"^(urn:uuid:[0-9a-fA-F-]{36}|(https?://\S+/)?[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64})$"
)


def _subject(person: Any, system: Any, default: str) -> dict[str, Any] | None:
    """The subject as it came: a reference (``Patient/1``, an absolute URL, ``urn:uuid:``)
    or an identifier in its own system (an NHS number), else in ``default``."""
    if not _present(person):
        return None
    text = str(person)
    if not _present(system) and _REFERENCE.match(text):
        return {"reference": text}
    return {"identifier": {"system": str(system) if _present(system) else default, "value": text}}


def _effective(value: Any) -> dict[str, Any]:
    """The assessment's date (a date: a time in FHIR needs an offset the data lack)."""
    import pandas as pd

    if not _present(value):
        return {}
    try:
        return {"effectiveDateTime": pd.Timestamp(value).strftime("%Y-%m-%d")}
    except (ValueError, TypeError):
        return {}


def _observation(
    row: dict[str, Any], fw: Framework, system: str, names: dict[str, str], subject_system: str
) -> dict[str, Any]:
    components = []
    for key, title in names.items():
        if key == "index" or key not in row:
            continue
        component = {"code": {"coding": [coding(system, key, title)], "text": title}}
        components.append({**component, **_quantity(row[key]), **_band(row, key, system)})
    for flag in (c for c in row if c.startswith("flag_")):
        if _present(row[flag]):
            code = f"flag-{flag[5:]}"
            components.append(
                {
                    "code": {"coding": [coding(system, code, f"{flag[5:]} flag")]},
                    "valueBoolean": _flag(row[flag], flag),
                }
            )
    observation: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [_SURVEY],
        "code": {
            "coding": [coding(system, "index", "Wellbeing index")],
            "text": f"{fw.title}: wellbeing index",
        },
    }
    subject = _subject(row.get("person_id"), row.get("person_system"), subject_system)
    if subject is not None:
        observation["subject"] = subject
    observation.update(_effective(row.get("assessment_date")))
    observation.update(_quantity(row.get("index"), "a domain has no score"))
    observation.update(_band(row, "index", system))
    response = row.get("response_id")
    if _present(response) and str(response).strip():
        observation["derivedFrom"] = [{"reference": str(response)}]
    observation["method"] = {
        "text": f"Scored against {fw.key} {fw.version} by wellbeing_framework"
    }
    observation["component"] = components
    return observation


def _checked(scores: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """The scores with numbers for scores and dates for dates, or one error listing every
    column that holds something else (by count, never by value)."""
    import pandas as pd

    from wellbeing_framework.dates import parse_dates

    out = scores.copy()
    problems = []
    repeated = sorted({str(c) for c in out.columns if list(out.columns).count(c) > 1})
    if repeated:
        raise ValueError(f"the table has two columns named {', '.join(repeated)}")
    keys = [*(d.key for d in fw.domains), *(c.key for c in fw.centre), "index"]
    for key in [k for k in keys if k in out.columns]:
        number = pd.to_numeric(out[key], errors="coerce")
        bad = int((number.isna() & out[key].notna()).sum())
        if bad:
            problems.append(f"{key}: {bad} values that are not numbers")
        out[key] = number
    for flag in [c for c in out.columns if str(c).startswith("flag_")]:
        bad = 0
        for value in out[flag]:
            try:
                if _present(value):
                    _flag(value, str(flag))
            except ValueError:
                bad += 1
        if bad:
            problems.append(f"{flag}: {bad} values that are not true or false")
    date = "assessment_date"
    if date in out.columns and not pd.api.types.is_datetime64_any_dtype(out[date].dtype):
        parsed = parse_dates(out[date])
        if parsed.problems.any():
            problems.append(f"{date}: {int(parsed.problems.sum())} dates that cannot be read")
        out[date] = parsed.values
    if problems:
        raise ValueError("the scores cannot be written as Observations: " + "; ".join(problems))
    return out


def to_observations(
    scores: pd.DataFrame,
    fw: Framework,
    *,
    base: str = DEFAULT_BASE,
    subject_system: str | None = None,
    bundle_type: Literal["collection", "transaction"] = "collection",
) -> dict[str, Any]:
    """Scores as a FHIR R4 Bundle of Observations: one per assessment.

    Each Observation holds the index as its value and a component per domain score and
    centre item (a ``valueQuantity`` 0-100, or a ``dataAbsentReason`` when the score could
    not be computed), each with its band as the ``interpretation``, and a ``valueBoolean``
    component per flag. Codes come from the framework's CodeSystem
    (:func:`~wellbeing_framework.interop.to_code_system`, at
    ``{base}/CodeSystem/{framework}``). ``derivedFrom`` cites the QuestionnaireResponse when
    the table has a ``response_id`` column (as
    :func:`~wellbeing_framework.interop.read_questionnaire_responses` gives it). The
    category is ``survey``; ``effectiveDateTime`` is the assessment's date.

    Parameters
    ----------
    scores
        A scores table from :func:`~wellbeing_framework.score`.
    fw
        The framework it was scored against.
    base
        The base of the code system's URL.
    subject_system
        The identifier system of ``person_id`` values that are not references
        (``"Patient/123"`` is used as a reference as it is); default ``{base}/person-id``.
        Pseudonymise identifiers with :func:`~wellbeing_framework.pseudonymise` before the
        scores leave the setting that may hold them.
    bundle_type
        ``"collection"`` (default), or ``"transaction"`` to POST each Observation to a
        server.

    Returns
    -------
    dict
        A Bundle resource, ready for ``json.dump``.

    Raises
    ------
    ValueError
        If the table is not a scores table of ``fw`` (no domain score columns), or holds
        scores that are not numbers, flags that are not true or false, or dates that cannot
        be read (every such column listed, by count).
    TypeError
        If ``scores`` is not a DataFrame or ``fw`` not a Framework.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> scores = wf.score(wf.make_cohort(2, waves=1, seed=0), fw)
    >>> bundle = wf.interop.to_observations(scores, fw)
    >>> len(bundle["entry"])
    2
    >>> first = bundle["entry"][0]["resource"]
    >>> rb = first["component"][0]
    >>> rb["code"]["coding"][0]["code"], rb["valueQuantity"]["value"], scores["rb"].iloc[0]
    ('rb', 25.0, np.float64(25.0))
    """
    import pandas as pd

    from wellbeing_framework.framework import Framework

    if not isinstance(scores, pd.DataFrame) or not isinstance(fw, Framework):
        raise TypeError("to_observations takes a scores table (a DataFrame) and a Framework")
    missing = [d.key for d in fw.domains if d.key not in scores.columns]
    if missing:
        msg = (
            f"not a scores table of {fw.key}: no score column for {', '.join(missing)} "
            "(score the ratings with wf.score first)"
        )
        raise ValueError(msg)
    if bundle_type not in ("collection", "transaction"):
        raise ValueError(f"bundle_type must be 'collection' or 'transaction', not {bundle_type!r}")
    system = code_system_url(fw, base)
    scores = _checked(scores, fw)
    names = {"index": "Wellbeing index"}
    names.update({d.key: d.title for d in fw.domains})
    names.update({c.key: c.title for c in fw.centre})
    entries = []
    for row in scores.to_dict(orient="records"):
        observation = _observation(
            {str(k): v for k, v in row.items()},
            fw,
            system,
            names,
            subject_system or f"{base}/person-id",
        )
        entry: dict[str, Any] = {
            "fullUrl": f"urn:uuid:{uuid.uuid4()}",  # never the same in two bundles
            "resource": observation,
        }
        if bundle_type == "transaction":
            entry["request"] = {"method": "POST", "url": "Observation"}
        entries.append(entry)
    return {"resourceType": "Bundle", "type": bundle_type, "entry": entries}
