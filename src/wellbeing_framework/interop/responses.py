"""FHIR R4 QuestionnaireResponses in: a Bundle, a list, an NDJSON file or a folder of them,
read into a ratings table."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wellbeing_framework.exceptions import DataFileError
from wellbeing_framework.interop.fhir import DEFAULT_BASE, ORDINAL_VALUE, canonical

if TYPE_CHECKING:
    import pandas as pd

    from wellbeing_framework.framework import Framework

__all__ = ["read_questionnaire_responses"]

_RATER_OF = {
    "Patient": "self",
    "Practitioner": "practitioner",
    "PractitionerRole": "practitioner",
    "RelatedPerson": "related person",
}
_KNOWN_PARTS = ("question", "centre")
Where = str  # "entry 3", "line 7", "file 2, entry 1": a position, never content


# --- the resources of a source --------------------------------------------------------


def _json_file(path: Path, where: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{where}not valid JSON (line {exc.lineno})", path.name) from None
    except UnicodeDecodeError:
        raise DataFileError(f"{where}not UTF-8 text", path.name) from None
    except RecursionError:
        raise DataFileError(f"{where}JSON nested too deeply to read", path.name) from None


def _unpack(document: Any, prefix: str) -> Iterator[tuple[Where, Any]]:
    """The resources of one parsed document: a Bundle's entries, a list's items, or it."""
    if isinstance(document, Mapping) and document.get("resourceType") == "Bundle":
        for n, entry in enumerate(document.get("entry", []) or [], start=1):
            resource = entry.get("resource") if isinstance(entry, Mapping) else None
            yield f"{prefix}entry {n}", resource
    elif isinstance(document, list):
        for n, item in enumerate(document, start=1):
            yield from (
                _unpack(item, f"{prefix}item {n}, ")
                if isinstance(item, Mapping) and item.get("resourceType") == "Bundle"
                else [(f"{prefix}item {n}", item)]
            )
    else:
        yield prefix.rstrip(", ") or "resource 1", document


def _ndjson(path: Path) -> Iterator[tuple[Where, Any]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise DataFileError("not UTF-8 text", path.name) from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield f"line {n}", json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            yield f"line {n}", _Unreadable()


class _Unreadable:
    """A line of NDJSON that is not JSON: reported, not read."""


def resources_of(source: Any) -> Iterator[tuple[Where, Any]]:
    """Every resource in a source, with where it is (a position, never its content)."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".json", ".ndjson"))
            if not files:
                raise DataFileError("the folder holds no .json or .ndjson files", path.name)
            for n, file in enumerate(files, start=1):
                if file.suffix.lower() == ".ndjson":
                    yield from ((f"file {n}, {w}", r) for w, r in _ndjson(file))
                else:
                    yield from _unpack(_json_file(file, f"file {n}: "), f"file {n}, ")
            return
        if not path.is_file():
            raise DataFileError("no such file or folder", path.name)
        if path.suffix.lower() == ".ndjson":
            yield from _ndjson(path)
        else:
            yield from _unpack(_json_file(path, ""), "")
        return
    yield from _unpack(source, "")


# --- one response ---------------------------------------------------------------------


def _reference(node: Any) -> str | None:
    """A Reference as given: its ``reference``, else its identifier's value."""
    if not isinstance(node, Mapping):
        return None
    if isinstance(node.get("reference"), str):
        return str(node["reference"])
    identifier = node.get("identifier")
    if isinstance(identifier, Mapping) and identifier.get("value") is not None:
        return str(identifier["value"])
    return None


def _rater(resource: Mapping[str, Any], person: str | None) -> str | None:
    for part in ("author", "source"):
        who = _reference(resource.get(part))
        if who is None:
            continue
        if who == person:
            return "self"
        kind = who.split("/")[-2] if who.count("/") >= 1 else ""
        if kind in _RATER_OF:
            return _RATER_OF[kind]
    return None


def _answered_items(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    for item in node.get("item", []) or []:
        if isinstance(item, Mapping):
            yield item
            yield from _answered_items(item)
        for answer in (item.get("answer", []) or []) if isinstance(item, Mapping) else []:
            if isinstance(answer, Mapping):
                yield from _answered_items(answer)  # items nested under an answer


def _coding_value(code: Mapping[str, Any], labels: Mapping[str, int]) -> float | None:
    ordinal = next(
        (
            e.get("valueDecimal")
            for e in code.get("extension", []) or []
            if isinstance(e, Mapping) and e.get("url") == ORDINAL_VALUE
        ),
        None,
    )
    if isinstance(ordinal, int | float):
        return float(ordinal)
    try:
        return float(str(code.get("code")))
    except ValueError:
        display = str(code.get("display", "")).strip().casefold()
        return float(labels[display]) if display in labels else None


def _answer(item: Mapping[str, Any], labels: Mapping[str, int]) -> tuple[float | None, str | None]:
    """The rating an item holds, or why it holds none that can be read."""
    answers = [a for a in item.get("answer", []) or [] if isinstance(a, Mapping)]
    if not answers:
        return None, None
    if len(answers) > 1:
        return None, f"item {item.get('linkId')!r} has {len(answers)} answers, not one"
    answer = answers[0]
    for kind in ("valueInteger", "valueDecimal"):
        if kind in answer:
            value = answer[kind]
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value), None
            return None, f"item {item.get('linkId')!r}: {kind} is not a number"
    if isinstance(answer.get("valueCoding"), Mapping):
        value = _coding_value(answer["valueCoding"], labels)
        if value is None:
            return None, f"item {item.get('linkId')!r}: a coding that is not a point of the scale"
        return value, None
    kinds = [k for k in answer if k.startswith("value")]
    shown = kinds[0] if kinds else "no value"
    return None, f"item {item.get('linkId')!r}: {shown} where a rating was expected"


def _row(
    resource: Mapping[str, Any], fw: Framework, url: str, labels: Mapping[str, int]
) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    answered = str(resource.get("questionnaire", "")).split("|")[0]
    if answered != url:
        problems.append("answers another questionnaire")
    if resource.get("status") == "entered-in-error":
        problems.append("its status is entered-in-error")
    person = _reference(resource.get("subject"))
    row: dict[str, Any] = {
        "person_id": person,
        "assessment_date": resource.get("authored"),
        "rater": _rater(resource, person),
        "response_id": f"QuestionnaireResponse/{resource['id']}" if resource.get("id") else None,
    }
    rated = {*fw.indicator_keys, *(c.key for c in fw.centre)}
    groups = {*(d.key for d in fw.domains), *_KNOWN_PARTS}
    for item in _answered_items(resource):
        key = item.get("linkId")
        if key in rated:
            if key in row:
                problems.append(f"item {key!r} appears twice")
            value, problem = _answer(item, labels)
            row[key] = value
            if problem:
                problems.append(problem)
        elif not (key in groups or str(key).endswith(".score")):
            problems.append(f"item {str(key)[:40]!r} is not in the framework")
    return row, problems


# --- the table ------------------------------------------------------------------------


def _dates(values: pd.Series) -> pd.Series:
    """``authored`` as the date and time written (its offset dropped, never shifted)."""
    import pandas as pd

    def one(text: Any) -> Any:
        if not isinstance(text, str):
            return pd.NaT
        try:
            stamp = pd.Timestamp(text)
        except ValueError:
            return text  # left as given, for validate to report
        return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp

    parsed = values.map(one)
    if parsed.map(lambda v: isinstance(v, str)).any():
        return parsed.astype(object)
    return pd.to_datetime(parsed)


def read_questionnaire_responses(
    source: Any,
    fw: Framework,
    *,
    base: str = DEFAULT_BASE,
    errors: Literal["raise", "reject"] = "raise",
) -> pd.DataFrame:
    """Read FHIR R4 QuestionnaireResponses into a ratings table.

    Parameters
    ----------
    source
        A Bundle, one resource or a list of them (plain data, as ``json.load`` gives), or
        the path of a JSON file (a Bundle or a resource), an NDJSON file (one resource a
        line, as FHIR bulk export writes) or a folder of such files (read in name order).
    fw
        The framework; responses must answer its Questionnaire
        (:func:`~wellbeing_framework.interop.to_questionnaire` with the same ``base``).
    base
        The base of the Questionnaire's URL.
    errors
        ``"raise"`` (default): any problem raises, listing them all. ``"reject"``: a
        response with a problem is left out, and listed in ``attrs["read"]["rejected"]``
        (its position and problems), so responses in = rows + rejected.

    Returns
    -------
    pandas.DataFrame
        One row per response, wide: ``person_id`` (the ``subject`` reference as given,
        ``"Patient/123"``; pseudonymise it with :func:`~wellbeing_framework.pseudonymise`
        before sharing), ``assessment_date`` (``authored``, the date and time as written),
        ``rater`` (``"self"`` when the ``author`` or ``source`` is the subject or a
        Patient, ``"practitioner"`` for a Practitioner or PractitionerRole, ``"related
        person"`` for a RelatedPerson; blank when not given), ``response_id``
        (``"QuestionnaireResponse/{id}"``, which :func:`to_observations` cites) and one
        column per indicator and centre item. ``valueInteger``, ``valueDecimal`` and
        ``valueCoding`` answers are ratings (a coding by its ``ordinalValue``, its code, or
        its display matched to the scale's labels); an unanswered item is missing. The
        index numbers the QuestionnaireResponses from 1 in the order read (rejected ones
        keep their numbers). Resources that are not
        QuestionnaireResponses (a Patient in the same Bundle) are counted in
        ``attrs["read"]["skipped"]``. Check the table with :func:`~wellbeing_framework.validate`
        as any other (out-of-range ratings are reported there).

    Raises
    ------
    DataFileError
        For a file that is not JSON, a source with no QuestionnaireResponse, and (with
        ``errors="raise"``) a response with a problem: an item not in the framework, an
        answer of the wrong type, more than one answer, a response to another
        questionnaire, or one entered in error. Every problem is listed by position
        ("entry 3", "line 7"), never by content.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> url = wf.interop.to_questionnaire(fw)["url"]
    >>> response = {"resourceType": "QuestionnaireResponse", "questionnaire": url,
    ...             "status": "completed", "subject": {"reference": "Patient/p1"},
    ...             "authored": "2025-03-10",
    ...             "item": [{"linkId": "rb", "item": [
    ...                 {"linkId": "rb1", "answer": [{"valueCoding": {"code": "4"}}]},
    ...                 {"linkId": "rb2", "answer": [{"valueInteger": 5}]}]}]}
    >>> table = wf.interop.read_questionnaire_responses([response], fw)
    >>> table[["person_id", "rb1", "rb2", "rb3"]]
                person_id  rb1  rb2  rb3
    sheet_row
    1           Patient/p1  4.0  5.0  NaN
    """
    import pandas as pd

    from wellbeing_framework.problems import SHEET_ROW

    if errors not in ("raise", "reject"):
        raise ValueError(f"errors must be 'raise' or 'reject', not {errors!r}")
    url = canonical(fw, base)
    labels = {fw.scale.label(p).casefold(): p for p in fw.scale.points}
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    rejected: list[tuple[str, str]] = []
    skipped: dict[str, int] = {}
    name = Path(source).name if isinstance(source, str | os.PathLike) else None
    for where, resource in resources_of(source):
        kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
        if isinstance(resource, _Unreadable) or (resource is not None and kind is None):
            rejected.append((where, "not a FHIR resource (not JSON, or no resourceType)"))
            continue
        if kind != "QuestionnaireResponse":
            skipped[str(kind)] = skipped.get(str(kind), 0) + 1
            continue
        row, problems = _row(resource, fw, url, labels)
        if problems:
            rejected.append((where, "; ".join(problems)))
        else:
            rows.append(row)
            numbers.append(len(rows) + len(rejected))
    if not rows and not rejected:
        found = ", ".join(f"{k} {n}" for k, n in skipped.items()) or "nothing"
        raise DataFileError(f"no QuestionnaireResponse found (found: {found})", name)
    if rejected and errors == "raise":
        listed = "; ".join(f"{w}: {p}" for w, p in rejected[:20])
        more = f" (and {len(rejected) - 20} more)" if len(rejected) > 20 else ""
        raise DataFileError(f"{len(rejected)} responses cannot be read: {listed}{more}", name)
    columns = [
        "person_id",
        "assessment_date",
        "rater",
        "response_id",
        *fw.indicator_keys,
        *(c.key for c in fw.centre),
    ]
    table = pd.DataFrame(rows, columns=columns)
    for key in columns[4:]:
        table[key] = pd.to_numeric(table[key]).astype(float)
    table["assessment_date"] = _dates(table["assessment_date"])
    for key in ("person_id", "rater", "response_id"):
        table[key] = table[key].astype(object)
    table.index = pd.Index(numbers, dtype="int64", name=SHEET_ROW)
    table.attrs["read"] = {
        "where": f"{len(rows) + len(rejected)} QuestionnaireResponses",
        "rejected": pd.DataFrame(rejected, columns=["resource", "problems"]),
        "skipped": skipped,
    }
    return table
