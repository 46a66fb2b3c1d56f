"""Reading and writing framework and rules files, through the one cattrs converter.

Every object the library saves or loads (frameworks, scoring rules, continuum rules) goes
through :data:`converter`, a single :class:`cattrs.Converter` that omits defaults when it
writes and refuses unknown keys when it reads.
"""

from __future__ import annotations

import json
import os
from importlib import resources
from pathlib import Path
from typing import Any

import cattrs

from wellbeing_framework.atomic import write_text
from wellbeing_framework.converter import converter
from wellbeing_framework.exceptions import FrameworkDefinitionError, ScoringError
from wellbeing_framework.framework import Framework
from wellbeing_framework.framework_schema import framework_problems
from wellbeing_framework.rules import ScoringRules

__all__ = [
    "bundled_frameworks",
    "converter",
    "dump_framework",
    "dump_rules",
    "framework_from_dict",
    "load_framework",
    "load_rules",
]

_BUNDLED = {
    "ni_social_wellbeing": "data/ni_social_wellbeing.json",
    "children_young_people": "data/examples/children_young_people.json",
}
DEFAULT_FRAMEWORK = "ni_social_wellbeing"


def bundled_frameworks() -> tuple[str, ...]:
    """Return the names of the frameworks shipped with the library.

    ``"ni_social_wellbeing"`` is the framework from the leaflet; the others are example
    adaptations, not official instruments.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> wf.bundled_frameworks()
    ('ni_social_wellbeing', 'children_young_people')
    """
    return tuple(_BUNDLED)


def load_framework(source: str | os.PathLike[str] | None = None) -> Framework:
    """Load a framework from a JSON file, or one of the bundled frameworks.

    Parameters
    ----------
    source
        A path to a framework JSON file, or the name of a bundled framework (see
        :func:`bundled_frameworks`). ``None`` (the default) loads the Northern Ireland
        framework *Improving and Safeguarding Social Wellbeing*.

    Returns
    -------
    Framework
        The checked, immutable framework.

    Raises
    ------
    FrameworkDefinitionError
        If the file is not JSON or is not a valid framework; the error lists every fault
        with its JSON path.
    FileNotFoundError
        If ``source`` is neither a file nor a bundled name.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> fw.title
    'Improving and Safeguarding Social Wellbeing'
    >>> len(fw.domains), len(fw.indicators)
    (4, 18)
    >>> wf.load_framework("children_young_people").adapted_from.key
    'ni_social_wellbeing'
    """
    name = DEFAULT_FRAMEWORK if source is None else source
    if isinstance(name, str) and name in _BUNDLED and not Path(name).exists():
        resource = resources.files("wellbeing_framework").joinpath(_BUNDLED[name])
        return _parse(resource.read_text(encoding="utf-8"), where=name)
    path = Path(name)
    if not path.is_file():
        known = ", ".join(_BUNDLED)
        msg = f"no framework file at {str(path)!r} (bundled frameworks: {known})"
        raise FileNotFoundError(msg)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text ({exc.reason} at byte {exc.start}) @ $"
        raise FrameworkDefinitionError([msg], source=path.name) from None
    return _parse(text, where=path.name)


def _parse(text: str, *, where: str) -> Framework:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}) @ $"
        raise FrameworkDefinitionError([msg], source=where) from None
    except RecursionError:
        msg = "not a framework: JSON nested too deeply to read @ $"
        raise FrameworkDefinitionError([msg], source=where) from None
    try:
        return framework_from_dict(document)
    except FrameworkDefinitionError as exc:
        raise FrameworkDefinitionError(exc.problems, source=where) from None


def framework_from_dict(document: Any) -> Framework:
    """Build a framework from already-parsed JSON data, checking it first.

    Parameters
    ----------
    document
        The framework as plain data (what ``json.load`` returns).

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkDefinitionError
        Listing every fault with its JSON path.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.framework_from_dict({
    ...     "key": "mini", "title": "Mini", "version": "1", "scale": {"min": 0, "max": 3},
    ...     "domains": [{"key": "d", "title": "D",
    ...                  "indicators": [{"key": "d1", "text": "One"},
    ...                                 {"key": "d2", "text": "Two", "reverse": True}]}]})
    >>> fw.indicator("d2").reverse
    True
    """
    problems = framework_problems(document)
    if problems:
        raise FrameworkDefinitionError(problems)
    try:
        return converter.structure(document, Framework)
    except cattrs.BaseValidationError as exc:  # a structuring fault the schema did not foresee
        raise FrameworkDefinitionError(cattrs.transform_error(exc, path="$")) from None


def framework_to_dict(framework: Framework) -> dict[str, Any]:
    """Return the framework as plain JSON-like data (defaults left out)."""
    document: dict[str, Any] = converter.unstructure(framework)
    return document


def dump_framework(framework: Framework, path: str | os.PathLike[str]) -> Path:
    """Write a framework to a JSON file that :func:`load_framework` reads back exactly.

    Parameters
    ----------
    framework
        The framework to save.
    path
        Where to write it (UTF-8, two-space indent, fields left out where they hold their
        default).

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = wf.dump_framework(fw, pathlib.Path(tmp) / "copy.json")
    ...     wf.load_framework(out) == fw
    True
    """
    out = Path(path)
    write_text(out, framework_json(framework))
    return out


def framework_json(framework: Framework) -> str:
    """Return the framework's canonical JSON text (what :func:`dump_framework` writes)."""
    return json.dumps(framework_to_dict(framework), indent=2, ensure_ascii=False) + "\n"


def _rules_problem(exc: BaseException, _type: type | None) -> str:
    if isinstance(exc, ScoringError):
        return "; ".join(exc.problems)
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown keys {sorted(exc.extra_fields)}"
    return f"invalid value ({exc})"


def rules_from_dict(document: Any) -> ScoringRules:
    """Build scoring rules from plain data, listing every fault with its JSON path.

    Raises
    ------
    ScoringError
        If the document does not describe valid rules.
    """
    if not isinstance(document, dict):
        raise ScoringError([f"expected an object, got {type(document).__name__} @ $"])
    try:
        return converter.structure(document, ScoringRules)
    except ScoringError as exc:
        raise ScoringError([f"{p} @ $" for p in exc.problems]) from None
    except cattrs.BaseValidationError as exc:
        raise ScoringError(
            cattrs.transform_error(exc, path="$", format_exception=_rules_problem)
        ) from None


def load_rules(path: str | os.PathLike[str]) -> ScoringRules:
    """Load scoring rules from a JSON file written by :func:`dump_rules` (or by hand).

    Parameters
    ----------
    path
        A JSON file; any field left out keeps its default.

    Returns
    -------
    ScoringRules

    Raises
    ------
    ScoringError
        If the file is not JSON or does not describe valid rules (every fault listed).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "rules.json"
    ...     _ = path.write_text(json.dumps({"min_answered": 0.75}))
    ...     wf.load_rules(path).min_answered
    0.75
    """
    file = Path(path)
    try:
        document = json.loads(file.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        msg = f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}) @ $"
        raise ScoringError([msg], source=file.name) from None
    except UnicodeDecodeError:
        raise ScoringError(["not UTF-8 text @ $"], source=file.name) from None
    except RecursionError:
        raise ScoringError(["JSON nested too deeply to read @ $"], source=file.name) from None
    try:
        return rules_from_dict(document)
    except ScoringError as exc:
        raise ScoringError(exc.problems, source=file.name) from None


def dump_rules(rules: ScoringRules, path: str | os.PathLike[str]) -> Path:
    """Write scoring rules to JSON (defaults left out); :func:`load_rules` reads them back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import wellbeing_framework as wf
    >>> rules = wf.ScoringRules(min_answered=0.75, index_weights={"rb": 1, "pm": 1,
    ...                                                          "ir": 1, "sw": 2})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = wf.dump_rules(rules, pathlib.Path(tmp) / "rules.json")
    ...     wf.load_rules(out) == rules
    True
    """
    out = Path(path)
    text = json.dumps(converter.unstructure(rules), indent=2, ensure_ascii=False) + "\n"
    write_text(out, text)
    return out
