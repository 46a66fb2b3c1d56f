"""Checking a framework document: the JSON Schema, and the rules a schema cannot say.

One function, :func:`framework_problems`, is the single judge of whether a framework is
valid. It is used for files (before anything is built) and for frameworks built in Python
(each :class:`~wellbeing_framework.Framework` checks itself), so both are held to exactly the
same rules and give the same messages. Every message ends in ``@ <JSON path>``.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError as SchemaError

__all__ = ["RESERVED_COLUMNS", "framework_problems", "framework_schema"]

#: Column names the library writes itself; a domain, indicator or centre key may not use them.
RESERVED_COLUMNS = frozenset(
    {
        "approach",
        "assessment_date",
        "continuum_position",
        "index",
        "indicator",
        "n_answered",
        "person_id",
        "problems",
        "rater",
        "rating",
        "reasons",
        "row",
        "sheet_row",
        "wave",
    }
)
#: The largest indicator weight: larger is a typo, and its sums would overflow.
MAX_WEIGHT = 1_000_000

_JSON_TYPE = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


@cache
def framework_schema() -> dict[str, Any]:
    """Return the JSON Schema of the framework file (draft 2020-12).

    Examples
    --------
    >>> from wellbeing_framework.framework_schema import framework_schema
    >>> framework_schema()["required"]
    ['key', 'title', 'version', 'scale', 'domains']
    """
    text = resources.files("wellbeing_framework").joinpath("data/framework.schema.json")
    schema: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return schema


@cache
def _validator() -> Draft202012Validator:
    # imported when a framework is first checked, not when the package is imported
    from jsonschema import Draft202012Validator

    return Draft202012Validator(framework_schema())


def framework_problems(document: object) -> list[str]:
    """Return every fault in a framework document, each as ``"<what> @ <JSON path>"``.

    Parameters
    ----------
    document
        The parsed JSON (normally a ``dict``).

    Returns
    -------
    list of str
        Empty when the document is a valid framework.

    Examples
    --------
    >>> doc = {"key": "x", "title": "X", "version": "1", "scale": {"min": 3, "max": 1},
    ...        "domains": [{"key": "d", "title": "D", "indicators": []}], "colour": "red"}
    >>> for problem in framework_problems(doc):
    ...     print(problem)
    unknown key 'colour' @ $.colour
    needs at least 1 item, got 0 @ $.domains[0].indicators
    scale.min (3) must be less than scale.max (1) @ $.scale.min
    """
    errors = sorted(_validator().iter_errors(document), key=_error_order)
    problems = [message for error in errors for message in _describe(error)]
    if isinstance(document, Mapping):
        problems.extend(_semantic_problems(document))
    return problems


def _error_order(error: SchemaError) -> tuple[tuple[int, str], ...]:
    return tuple((p, "") if isinstance(p, int) else (-1, str(p)) for p in error.absolute_path)


def _json_type(value: object) -> str:
    return _JSON_TYPE.get(type(value), type(value).__name__)


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _describe(error: SchemaError) -> Iterator[str]:
    path = error.json_path
    kind = error.validator
    value: Any = error.instance
    spec: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        missing = [k for k in list(spec) if k not in value]
        for name in missing:
            yield f"missing required field {name!r} @ {path}.{name}"
    elif kind == "additionalProperties":
        known = list(schema.get("properties", {}))
        for name in value:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                yield f"unknown key {name!r}{hint} @ {path}.{name}"
    elif kind == "type":
        yield f"expected {spec}, got {_json_type(value)} {_short(value)} @ {path}"
    elif kind == "minItems":
        n = spec
        yield f"needs at least {n} item{'s' * (n != 1)}, got {len(value)} @ {path}"
    elif kind == "minLength":
        yield f"must not be empty @ {path}"
    elif kind == "pattern":
        yield (
            f"key {_short(value)} must start with a letter and contain only letters, digits and "
            f"underscores @ {path}"
        )
    elif kind == "maxLength":
        yield f"must be at most {spec} characters long @ {path}"
    elif kind == "exclusiveMinimum":
        yield f"must be greater than {spec}, got {_short(value)} @ {path}"
    elif kind == "enum":
        options = ", ".join(repr(v) for v in spec)
        yield f"must be one of {options}, got {_short(value)} @ {path}"
    else:  # a rule added to the schema without its own wording
        yield f"{error.message} @ {path}"


def _items(document: Mapping[str, Any], name: str) -> list[tuple[str, Any]]:
    """``(path, item)`` for each object in the list ``document[name]``, tolerating junk."""
    seq = document.get(name)
    if not isinstance(seq, list):
        return []
    return [(f"$.{name}[{n}]", item) for n, item in enumerate(seq) if isinstance(item, Mapping)]


def _semantic_problems(document: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []

    scale = document.get("scale")
    if isinstance(scale, Mapping):
        lo, hi = scale.get("min"), scale.get("max")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lo, hi))
        whole = numbers and float(lo).is_integer() and float(hi).is_integer()  # type: ignore[arg-type]
        continuous = scale.get("integer") is False
        if numbers and not continuous and not whole:
            problems.append(
                'an integer scale needs whole-number min and max (or "integer": false for '
                "a continuous scale) @ $.scale.min"
            )
        if numbers and continuous and scale.get("labels"):
            problems.append("a continuous scale has no point labels @ $.scale.labels")
        if numbers and lo >= hi:  # type: ignore[operator]
            problems.append(f"scale.min ({lo}) must be less than scale.max ({hi}) @ $.scale.min")
        if whole and not continuous:
            lo, hi = int(lo), int(hi)  # type: ignore[arg-type]
            labels = scale.get("labels")
            if isinstance(labels, list) and labels and lo < hi and len(labels) != hi - lo + 1:
                problems.append(
                    f"needs one label per scale point ({hi - lo + 1} for {lo}-{hi}), "
                    f"got {len(labels)} @ $.scale.labels"
                )

    # Domain, indicator and centre keys all become column names: one namespace.
    columns: list[tuple[str, Any]] = []
    for path, domain in _items(document, "domains"):
        columns.append((f"{path}.key", domain.get("key")))
        indicators = domain.get("indicators")
        if isinstance(indicators, list):
            columns.extend(
                (f"{path}.indicators[{n}].key", item.get("key"))
                for n, item in enumerate(indicators)
                if isinstance(item, Mapping)
            )
    columns.extend((f"{p}.key", item.get("key")) for p, item in _items(document, "centre"))
    problems.extend(_duplicates(columns, "domain, indicator and centre"))
    problems.extend(
        f"key {key!r} is reserved for a column the library writes @ {path}"
        for path, key in columns
        if key in RESERVED_COLUMNS
    )
    problems.extend(_generated_names(document, columns))
    problems.extend(_weights(document))

    for section in ("values", "characteristics", "outcomes", "expectations"):
        keyed = [(f"{p}.key", item.get("key")) for p, item in _items(document, section)]
        problems.extend(_duplicates(keyed, section))
    continuum = document.get("continuum")
    if isinstance(continuum, Mapping):
        keyed = [
            (f"$.continuum{p[1:]}.key", a.get("key")) for p, a in _items(continuum, "approaches")
        ]
        problems.extend(_duplicates(keyed, "approach"))
    return problems


def _generated_names(document: Mapping[str, Any], columns: list[tuple[str, Any]]) -> Iterator[str]:
    """Keys that would be the name of a column scoring writes: a band or a flag column."""
    scored = [d.get("key") for _, d in _items(document, "domains")]
    scored += [c.get("key") for _, c in _items(document, "centre")]
    bands = {f"{k}_band": k for k in [*scored, "index"] if isinstance(k, str)}
    for path, key in columns:
        if not isinstance(key, str):
            continue
        if key in bands:
            yield f"key {key!r} is the name of the band column of {bands[key]!r} @ {path}"
        elif key.startswith("flag_"):
            yield f"key {key!r}: names starting 'flag_' are kept for flag columns @ {path}"


def _weights(document: Mapping[str, Any]) -> Iterator[str]:
    """Indicator weights that are not finite numbers up to ``MAX_WEIGHT``."""
    for path, domain in _items(document, "domains"):
        indicators = domain.get("indicators")
        if not isinstance(indicators, list):
            continue
        for n, item in enumerate(indicators):
            weight = item.get("weight") if isinstance(item, Mapping) else None
            if not isinstance(weight, int | float) or isinstance(weight, bool):
                continue
            if not math.isfinite(weight) or weight > MAX_WEIGHT:
                yield (
                    f"weight must be a finite number no larger than {MAX_WEIGHT:,}, got "
                    f"{weight} @ {path}.indicators[{n}].weight"
                )


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _duplicates(keyed: list[tuple[str, Any]], what: str) -> Iterator[str]:
    first: dict[str, str] = {}
    for path, key in keyed:
        if not isinstance(key, str):
            continue
        if key in first:
            yield f"duplicate {what} key {key!r} (first used @ {first[key]}) @ {path}"
        else:
            first[key] = path
