"""FHIR R4 QuestionnaireResponses in: a Bundle, a list, an NDJSON file or a folder of them,
read into a ratings table."""

from __future__ import annotations

import json
import math
import os
import re
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
_KNOWN_PARTS = ("scale-question", "centre-items")
#: Resource types named when counted as skipped; any other is "another type", since a
#: made-up type name could hold a person's name.
_KNOWN_TYPES = frozenset(
    [
        "Patient",
        "Practitioner",
        "PractitionerRole",
        "RelatedPerson",
        "Organization",
        "Questionnaire",
        "Observation",
        "Encounter",
        "EpisodeOfCare",
        "Condition",
        "CarePlan",
        "CareTeam",
        "Goal",
        "Group",
        "Location",
        "Provenance",
        "AuditEvent",
        "Consent",
        "DocumentReference",
        "ServiceRequest",
        "Task",
        "Appointment",
        "OperationOutcome",
        "List",
        "Composition",
        "Bundle",
        "Binary",
    ]
)
#: The answer types of a QuestionnaireResponse (FHIR R4 value[x]).
_ANSWER_TYPES = frozenset(
    [
        "valueBoolean",
        "valueDecimal",
        "valueInteger",
        "valueDate",
        "valueDateTime",
        "valueTime",
        "valueString",
        "valueUri",
        "valueAttachment",
        "valueCoding",
        "valueQuantity",
        "valueReference",
    ]
)
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
    except ValueError:  # a number longer than Python reads (4300 digits)
        raise DataFileError(f"{where}a number too long to read", path.name) from None


def _unpack(document: Any, prefix: str) -> Iterator[tuple[Where, Any]]:
    """The resources of one parsed document: a Bundle's entries, a list's items, or it."""
    if isinstance(document, Mapping) and document.get("resourceType") == "Bundle":
        entries = document.get("entry", []) or []
        if not isinstance(entries, list):
            yield prefix.rstrip(", ") or "the Bundle", _Unreadable("its entry is not a list")
            return
        for n, entry in enumerate(entries, start=1):
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
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise DataFileError("not UTF-8 text", path.name) from None
    lines = text.split("\n")  # only a newline ends a line (not U+2028 inside a string)
    if lines[0].strip() in ("{", "[", "{\r", "[\r"):  # pretty-printed JSON, not NDJSON
        yield from _unpack(_json_file(path, ""), "")
        return
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield f"line {n}", json.loads(line)
        except (ValueError, RecursionError):  # not JSON, or a number too long to read
            yield f"line {n}", _Unreadable("not JSON")


class _Unreadable:
    """A resource that cannot be read (a line that is not JSON, a file that is not JSON):
    reported, not read."""

    def __init__(self, why: str) -> None:
        self.why = why


def resources_of(source: Any) -> Iterator[tuple[Where, Any]]:
    """Every resource in a source, with where it is (a position, never its content)."""
    if isinstance(source, str) and source.lstrip()[:1] in ("{", "["):
        raise ValueError("source looks like JSON text: pass json.loads(text), or a path")
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            files = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in (".json", ".ndjson")
            )
            if not files:
                raise DataFileError("the folder holds no .json or .ndjson files", path.name)
            for n, file in enumerate(files, start=1):
                try:
                    if file.suffix.lower() == ".ndjson":
                        yield from ((f"file {n}, {w}", r) for w, r in list(_ndjson(file)))
                    else:
                        yield from _unpack(_json_file(file, ""), f"file {n}, ")
                except DataFileError as error:  # one bad file is one problem, not the end
                    yield f"file {n}", _Unreadable(str(error).split(": ", 1)[-1])
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


def _system(node: Any) -> str | None:
    """The identifier system of a subject given by identifier (an NHS number's ...)."""
    if not isinstance(node, Mapping) or isinstance(node.get("reference"), str):
        return None
    identifier = node.get("identifier")
    system = identifier.get("system") if isinstance(identifier, Mapping) else None
    return system if isinstance(system, str) else None


def _rater(resource: Mapping[str, Any], person: str | None) -> str | None:
    for part in ("author", "source"):
        who = _reference(resource.get(part))
        if who is None:
            continue
        if who == person:
            return "self"
        kind = who.split("/")[-2] if who.count("/") >= 1 else ""
        if kind == "Patient":  # another patient: not the subject's own rating
            return None
        if kind in _RATER_OF:
            return _RATER_OF[kind]
    return None


def _walk(
    node: Mapping[str, Any], where: str, problems: list[str]
) -> Iterator[tuple[Mapping[str, Any], str]]:
    """Every item under a node, with its path (``item[1].item[0]``); a node whose items or
    answers are not lists is a problem, never skipped unseen."""
    items = node.get("item", [])
    if items is None:
        return
    if not isinstance(items, list):
        problems.append(f"{where or 'the response'}: 'item' is not a list")
        return
    for n, item in enumerate(items):
        path = f"{where}.item[{n}]" if where else f"item[{n}]"
        if not isinstance(item, Mapping):
            problems.append(f"{path} is not an object")
            continue
        yield item, path
        yield from _walk(item, path, problems)
        answers = item.get("answer", [])
        if answers is not None and not isinstance(answers, list):
            continue  # reported by _answer
        for k, answer in enumerate(answers or []):
            if isinstance(answer, Mapping):
                yield from _walk(answer, f"{path}.answer[{k}]", problems)


_NUMBER_CODE = re.compile(r"^[+-]?\d+(\.\d+)?$")


def _finite(value: Any) -> float | None:
    """A JSON number as a finite float; None for booleans, NaN, infinities and overflow."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _coding_value(code: Mapping[str, Any], labels: Mapping[str, int], system: str) -> float | None:
    """A coded answer's rating: by its ordinalValue or its number code when it is the
    framework's code (or has no system), else only by its display matching a scale label;
    None when these disagree or nothing matches."""
    found: list[float] = []
    own = code.get("system") in (None, system)
    extensions = code.get("extension", [])
    for e in extensions if isinstance(extensions, list) else []:
        if isinstance(e, Mapping) and e.get("url") == ORDINAL_VALUE:
            ordinal = _finite(e.get("valueDecimal"))
            if ordinal is not None and own:
                found.append(ordinal)
    text = code.get("code")
    if own and isinstance(text, str) and _NUMBER_CODE.match(text.strip()):
        number = _finite(float(text))
        if number is not None:
            found.append(number)
    display = code.get("display")
    if isinstance(display, str) and display.strip().casefold() in labels:
        found.append(float(labels[display.strip().casefold()]))
    elif not own:
        return None  # another code system's number is not a point of this scale
    return found[0] if found and all(v == found[0] for v in found) else None


def _answer(
    item: Mapping[str, Any], name: str, labels: Mapping[str, int], system: str
) -> tuple[float | None, str | None]:
    """The rating an item holds, or why it holds none that can be read."""
    answers = item.get("answer")
    if answers is None or answers == []:
        return None, None
    if not isinstance(answers, list) or not all(isinstance(a, Mapping) for a in answers):
        return None, f"{name}: 'answer' is not a list of answers"
    if len(answers) > 1:
        return None, f"{name} has {len(answers)} answers, not one"
    answer = answers[0]
    if sum(1 for k in answer if isinstance(k, str) and k.startswith("value")) > 1:
        return None, f"{name}: an answer with more than one value"
    for kind in ("valueInteger", "valueDecimal"):
        if kind in answer:
            value = _finite(answer[kind])
            if value is None:
                return None, f"{name}: {kind} is not a finite number"
            return value, None
    if "valueCoding" in answer:
        coded = answer["valueCoding"]
        value = _coding_value(coded, labels, system) if isinstance(coded, Mapping) else None
        if value is None:
            return None, f"{name}: a coding that is not a point of the scale"
        return value, None
    kinds = [k for k in answer if isinstance(k, str) and k.startswith("value")]
    shown = (
        (kinds[0] if kinds[0] in _ANSWER_TYPES else "an unknown value type")
        if kinds
        else "no value"
    )
    return None, f"{name}: {shown} where a rating was expected"


def _questionnaire_problem(resource: Mapping[str, Any], url: str, version: str) -> str | None:
    answered = resource.get("questionnaire")
    if not isinstance(answered, str):
        return "names no questionnaire"
    base, _, asked = answered.partition("|")
    relative = "Questionnaire/" + url.rsplit("/", 1)[-1]  # a reference on the same server
    if base not in (url, relative):
        return f"answers another questionnaire (this framework's is {url})"
    if asked and asked != version:
        return "answers another version of the questionnaire"
    return None


def _row(
    resource: Mapping[str, Any], fw: Framework, url: str, labels: Mapping[str, int]
) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    system = url.replace("/Questionnaire/", "/CodeSystem/")
    wrong = _questionnaire_problem(resource, url, fw.version)
    if wrong:
        problems.append(wrong)
    if resource.get("status") == "entered-in-error":
        problems.append("its status is entered-in-error")
    authored = resource.get("authored")
    if authored is not None and not (isinstance(authored, str) and _FULL_DATE.match(authored)):
        problems.append("authored is not a full FHIR date (YYYY-MM-DD, with or without a time)")
    person = _reference(resource.get("subject"))
    identifier = resource.get("id")
    status = resource.get("status")
    row: dict[str, Any] = {
        "person_id": person,
        "person_system": _system(resource.get("subject")),
        "status": status if isinstance(status, str) else None,
        "assessment_date": resource.get("authored"),
        "rater": _rater(resource, person),
        "response_id": f"QuestionnaireResponse/{identifier}"
        if isinstance(identifier, str) and identifier
        else None,
    }
    rated = {*fw.indicator_keys, *(c.key for c in fw.centre)}
    groups = {*(d.key for d in fw.domains), *_KNOWN_PARTS}
    scores = {f"{d.key}.score" for d in fw.domains}
    for item, path in list(_walk(resource, "", problems)):
        key = item.get("linkId")
        if isinstance(key, str) and key in rated:
            if key in row:
                problems.append(f"item {key!r} appears twice")
            value, problem = _answer(item, f"item {key!r}", labels, system)
            row[key] = value
            if problem:
                problems.append(problem)
        elif not isinstance(key, str) or not (key in groups or key in scores):
            problems.append(f"{path}: its linkId is not an item of the framework")
    return row, problems


# --- the table ------------------------------------------------------------------------

#: A FHIR dateTime with at least a full date (``2025-03-10``, ``2025-03-10T10:30:00+01:00``).
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$")


def _dates(values: pd.Series) -> pd.Series:
    """``authored`` as the date and time written (its offset dropped, never shifted)."""
    import pandas as pd

    def one(text: Any) -> Any:
        if not isinstance(text, str):
            return pd.NaT if text is None else str(text)
        if not _FULL_DATE.match(text):
            return text  # a partial or non-FHIR date: left as given, for validate to report
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
        (``"QuestionnaireResponse/{id}"``, which :func:`to_observations` cites),
        ``status`` (``completed``, ``in-progress`` ...: filter out unfinished forms if they
        should not count), ``person_system`` (only when subjects are given by identifier,
        as an NHS number: its system, which :func:`to_observations` writes back) and one
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
        if isinstance(resource, _Unreadable):
            rejected.append((where, f"cannot be read ({resource.why})"))
            continue
        kind = resource.get("resourceType") if isinstance(resource, Mapping) else None
        if not isinstance(kind, str):
            rejected.append((where, "not a FHIR resource (no resourceType)"))
            continue
        if kind != "QuestionnaireResponse":
            shown = kind if kind in _KNOWN_TYPES else "another type"
            skipped[shown] = skipped.get(shown, 0) + 1
            continue
        try:
            row, problems = _row(resource, fw, url, labels)
        except (TypeError, ValueError, AttributeError, RecursionError):
            row, problems = {}, ["its structure cannot be read as a QuestionnaireResponse"]
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
        "status",
        "person_system",
        *fw.indicator_keys,
        *(c.key for c in fw.centre),
    ]
    table = pd.DataFrame(rows, columns=columns)
    for key in columns[6:]:
        table[key] = pd.to_numeric(table[key]).astype(float)
    table["assessment_date"] = _dates(table["assessment_date"])
    for key in ("person_id", "rater", "response_id", "status", "person_system"):
        table[key] = table[key].astype(object)
    if table["person_system"].isna().all():
        table = table.drop(columns="person_system")
    table.index = pd.Index(numbers, dtype="int64", name=SHEET_ROW)
    table.attrs["read"] = {
        "where": f"{len(rows) + len(rejected)} QuestionnaireResponses",
        "rejected": pd.DataFrame(rejected, columns=["resource", "problems"]),
        "skipped": skipped,
    }
    return table
