"""A spreadsheet's own headers matched to the framework's names.

A team's sheet says ``Client ID``, ``Date of assessment``, ``RB1`` and ``Quality of Life``;
the library speaks of ``person_id``, ``assessment_date``, ``rb1`` and ``qol``.
:func:`~wellbeing_framework.suggest_columns` proposes a mapping, each match with a confidence
and its reason:

- **exact**: the same name once case, spaces and punctuation are ignored (``RB1`` ->
  ``rb1``), an indicator's text or a centre item's title (``Quality of Life`` -> ``qol``),
  or one of the usual names of an identifying column listed in :data:`ALIASES`
  (``Client ID`` -> ``person_id``). Only these are ever applied without being asked, and
  every one applied is reported.
- **likely**: a key with a word added (``rb1_score``, ``Q rb1``), or text very close to an
  indicator's text or a title.
- **possible**: text somewhat like one of them. Likely and possible matches are suggestions
  only: map them with ``columns={"rb1_score": "rb1"}`` or a mapping file.

A mapping file is a JSON object from the file's headers to the framework's names
(``{"Client ID": "person_id", "RB1": "rb1"}``); a header mapped to ``null`` keeps its name.
``wellbeing columns FILE -o map.json`` writes one to check and edit.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from attrs import frozen

from wellbeing_framework.atomic import write_text
from wellbeing_framework.framework import Framework

__all__ = [
    "ALIASES",
    "ColumnMatch",
    "ColumnSuggestions",
    "load_columns",
    "normalise_header",
    "suggest_columns",
]

Confidence = Literal["exact", "likely", "possible"]

#: The usual names of the identifying columns (and of the grouping columns a report
#: uses), compared after :func:`normalise_header`.
ALIASES: dict[str, tuple[str, ...]] = {
    "person_id": (
        "person id",
        "person",
        "client",
        "client id",
        "client ref",
        "client reference",
        "client number",
        "client no",
        "service user",
        "service user id",
        "case id",
        "case number",
        "case no",
        "participant",
        "participant id",
        "record id",
        "study id",
        "id",
    ),
    "assessment_date": (
        "assessment date",
        "date",
        "date of assessment",
        "date assessed",
        "assessed on",
    ),
    "rater": ("rater", "rated by", "completed by", "respondent", "assessor", "assessed by"),
    "wave": ("wave", "time point", "timepoint", "occasion"),
    "indicator": ("indicator", "indicator key"),
    "rating": ("rating",),
    # the grouping columns a report compares by default or by name
    "client_group": ("client group", "service user group", "user group", "client category"),
    "area": ("area", "locality"),
}

#: Words that, added to a key, still name the key (``rb1_score``, ``Q rb1``).
_ADDED_WORDS = ("score", "rating", "rated", "answer", "response", "value", "item", "q")


def normalise_header(header: str) -> str:
    """A header with case, spaces and punctuation ignored.

    Examples
    --------
    >>> normalise_header("Client ID"), normalise_header(" rb_1 "), normalise_header("Self-Worth")
    ('clientid', 'rb1', 'selfworth')
    """
    text = unicodedata.normalize("NFKC", header).casefold()
    return re.sub(r"[\W_]+", "", text)


@frozen
class ColumnMatch:
    """One header matched to one of the framework's names."""

    header: str
    name: str
    confidence: Confidence
    reason: str


@frozen(eq=False)
class ColumnSuggestions:
    """What :func:`suggest_columns` proposes for each header.

    Attributes
    ----------
    matches : tuple of ColumnMatch
        The best match of each header that has one, in the order of the headers.
    unmatched : tuple of str
        Headers that look like none of the framework's names (kept as they are).
    conflicts : tuple of str
        Framework names that more than one header matches exactly; none of those headers
        is applied without being asked.
    """

    matches: tuple[ColumnMatch, ...]
    unmatched: tuple[str, ...]
    conflicts: tuple[str, ...] = ()

    @property
    def applied(self) -> dict[str, str]:
        """The renames made without being asked: exact matches whose name differs from the
        header, none of them in conflict."""
        return {
            m.header: m.name
            for m in self.matches
            if m.confidence == "exact" and m.header != m.name and m.name not in self.conflicts
        }

    @property
    def mapping(self) -> dict[str, str | None]:
        """A mapping to check and edit: every header, to its exact or likely match, else to
        ``None`` (kept as it is)."""
        best = {m.header: m for m in self.matches}
        out: dict[str, str | None] = {}
        for header in [*best, *self.unmatched]:
            match = best.get(header)
            usable = match is not None and match.confidence != "possible"
            out[header] = match.name if usable and match is not None else None
        return out

    def to_frame(self) -> pd.DataFrame:
        """The matches as a table: header, name, confidence, reason, applied."""
        applied = self.applied
        rows = [
            {
                "header": m.header,
                "name": m.name,
                "confidence": m.confidence,
                "reason": m.reason,
                "applied": m.header in applied or m.header == m.name,
            }
            for m in self.matches
        ]
        return pd.DataFrame(rows, columns=["header", "name", "confidence", "reason", "applied"])

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write :attr:`mapping` as a JSON mapping file (see the module notes)."""
        out = Path(path)
        text = json.dumps(self.mapping, indent=2, ensure_ascii=False) + "\n"
        return write_text(out, text)

    def __str__(self) -> str:
        lines = []
        for m in self.matches:
            mark = "applied" if m.header in self.applied else m.confidence
            lines.append(f"  {m.header!r} -> {m.name}  [{mark}] {m.reason}")
        if self.unmatched:
            kept = ", ".join(repr(h) for h in self.unmatched)
            lines.append(f"  kept as they are: {kept}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        table = self.to_frame().to_html(index=False, escape=True)
        kept = html.escape(", ".join(self.unmatched)) or "none"
        return f"<div>{table}<p>Kept as they are: {kept}</p></div>"


def _targets(framework: Framework) -> dict[str, list[tuple[str, str]]]:
    """Normalised text -> [(name, reason)] for every exact way of naming a column."""
    targets: dict[str, list[tuple[str, str]]] = {}

    def add(text: str, name: str, reason: str) -> None:
        entry = targets.setdefault(normalise_header(text), [])
        if name not in [n for n, _ in entry]:
            entry.append((name, reason))

    for item in framework.indicators:
        add(item.key, item.key, f"the key {item.key!r}, ignoring case, spaces and punctuation")
    for centre in framework.centre:
        add(centre.key, centre.key, f"the key {centre.key!r}, ignoring case and punctuation")
        add(centre.title, centre.key, f"the title of the centre item {centre.key!r}")
    for item in framework.indicators:
        add(item.text, item.key, f"the text of the indicator {item.key!r}")
    for name, aliases in ALIASES.items():
        for alias in (name, *aliases):
            add(alias, name, f"a usual header for {name}")
    return targets


def _added_word(norm: str, keys: Iterable[str]) -> tuple[str, str] | None:
    """A key with one of the added words before or after it (``rb1score``, ``qrb1``)."""
    for key in keys:
        k = normalise_header(key)
        for word in _ADDED_WORDS:
            if norm in (k + word, word + k):
                return key, f"the key {key!r} with {word!r} added"
    return None


def _close_text(norm: str, texts: Mapping[str, tuple[str, str]]) -> tuple[str, str, float]:
    """The closest indicator text or title to a header, and how close (0 to 1)."""
    best = ("", "", 0.0)
    for text, (name, what) in texts.items():
        ratio = difflib.SequenceMatcher(None, norm, text, autojunk=False).ratio()
        if ratio > best[2]:
            best = (name, what, ratio)
    return best


def _match(header: str, framework: Framework, targets: Any, texts: Any) -> list[ColumnMatch]:
    norm = normalise_header(header)
    if not norm:
        return []
    if norm in targets:
        return [ColumnMatch(header, name, "exact", why) for name, why in targets[norm]]
    rated = [*framework.indicator_keys, *(c.key for c in framework.centre)]
    found = _added_word(norm, rated)
    if found is not None:
        return [ColumnMatch(header, found[0], "likely", found[1])]
    name, what, ratio = _close_text(norm, texts)
    if ratio >= 0.9:
        return [ColumnMatch(header, name, "likely", f"very like {what} ({ratio:.0%} alike)")]
    if ratio >= 0.75:
        return [ColumnMatch(header, name, "possible", f"somewhat like {what} ({ratio:.0%})")]
    keys = difflib.get_close_matches(norm, [normalise_header(k) for k in rated], 1, 0.75)
    if keys and len(norm) <= 12:
        key = next(k for k in rated if normalise_header(k) == keys[0])
        return [ColumnMatch(header, key, "possible", f"spelt like the key {key!r}")]
    return []


def suggest_columns(
    data_or_headers: pd.DataFrame | Iterable[Any], framework: Framework
) -> ColumnSuggestions:
    """Propose a mapping from a table's own headers to the framework's names.

    Parameters
    ----------
    data_or_headers
        A table (its column names are used) or the headers themselves.
    framework
        The framework whose names the headers should become.

    Returns
    -------
    ColumnSuggestions
        Each header's best match with its confidence (exact, likely, possible) and reason;
        ``.applied`` holds the exact renames that :func:`validate` and ``wellbeing score``
        make without being asked; ``.mapping`` a mapping file's content to check and edit.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> found = wf.suggest_columns(["Client ID", "Date of assessment", "RB1",
    ...                             "Quality of Life", "rb2_score", "Notes"], fw)
    >>> found.applied
    {'Client ID': 'person_id', 'Date of assessment': 'assessment_date', 'RB1': 'rb1', \
'Quality of Life': 'qol'}
    >>> print(found.matches[4].confidence, found.matches[4].reason)
    likely the key 'rb2' with 'score' added
    >>> found.unmatched
    ('Notes',)
    """
    headers = list(
        data_or_headers.columns if isinstance(data_or_headers, pd.DataFrame) else data_or_headers
    )
    targets = _targets(framework)
    texts = {
        normalise_header(i.text): (i.key, f"the text of the indicator {i.key!r}")
        for i in framework.indicators
    } | {normalise_header(c.title): (c.key, f"the title {c.title!r}") for c in framework.centre}
    matches: list[ColumnMatch] = []
    unmatched: list[str] = []
    for header in headers:
        if not isinstance(header, str):
            unmatched.append(str(header))
            continue
        found = _match(header, framework, targets, texts)
        if found:
            matches.append(found[0])
        else:
            unmatched.append(header)
    exact = [m.name for m in matches if m.confidence == "exact"]
    conflicts = tuple(sorted({n for n in exact if exact.count(n) > 1}))
    return ColumnSuggestions(tuple(matches), tuple(unmatched), conflicts)


def load_columns(
    columns: Mapping[str, str | None] | str | os.PathLike[str],
) -> dict[str, str | None]:
    """A column mapping from a dict or a JSON mapping file: header -> name, or ``None`` for
    a header kept as it is.

    Raises
    ------
    ValueError
        If the file is not a JSON object of text to text (or null); the message names the
        file and the fault.
    """
    if isinstance(columns, Mapping):
        document: Any = dict(columns)
        where = "the column mapping"
    else:
        path = Path(columns)
        where = f"column mapping {path.name}"
        try:
            document = json.loads(path.read_text(encoding="utf-8-sig"))
        except FileNotFoundError:
            msg = f"{where}: no such file"
            raise ValueError(msg) from None
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            msg = f"{where}: not a JSON object ({type(exc).__name__})"
            raise ValueError(msg) from None
    if not isinstance(document, dict):
        msg = f"{where}: expected a JSON object from headers to names"
        raise ValueError(msg)
    bad = [k for k, v in document.items() if not isinstance(v, str | None)]
    if bad:
        msg = f"{where}: each name must be text or null ({len(bad)} entries are not)"
        raise ValueError(msg)
    mapping: dict[str, str | None] = {str(k): v for k, v in document.items()}
    names = [v for v in mapping.values() if v is not None]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        msg = f"{where}: more than one header mapped to {', '.join(twice)}"
        raise ValueError(msg)
    return mapping
