"""Structure checks: the columns a table has, and the indicator keys of long data.

No message copies a value from the data: an unknown indicator may be an identifier put in
the wrong column.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from wellbeing_framework.columns import (
    ALIASES,
    load_columns,
    normalise_header,
    suggest_columns,
)
from wellbeing_framework.framework import Framework
from wellbeing_framework.problems import Problems
from wellbeing_framework.shapes import INDICATOR_COL
from wellbeing_framework.xlsx import CellFault

__all__ = [
    "ColumnsOption",
    "check_cells",
    "check_columns",
    "long_indicator_codes",
    "prepare_columns",
    "unknown_indicator",
]

#: What ``columns=`` accepts: a mapping from headers to names, or a JSON mapping file.
ColumnsOption = Mapping[str, str | None] | str | os.PathLike[str] | None

_KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


def check_columns(
    data: pd.DataFrame, framework: Framework, keys: Sequence[str], problems: Problems
) -> None:
    """Wide data: no indicator column at all."""
    if not [k for k in framework.indicator_keys if k in data.columns]:
        sample = ", ".join(framework.indicator_keys[:4])
        problems.table(
            f"no indicator columns found (expected columns named by indicator key: {sample}, "
            "...; or long data with 'indicator' and 'rating' columns; see "
            "wf.suggest_columns or `wellbeing columns FILE` to map your own headers)"
        )


def check_cells(data: pd.DataFrame, used: Sequence[str], problems: Problems) -> pd.DataFrame:
    """Spreadsheet cells that hold no usable value (an error value, a formula without a
    saved result, a merged cell): a problem of their row in the ``used`` columns (ratings,
    identifiers, dates); elsewhere (notes, a total) a note, and the cells left empty."""
    out = data
    for position, column in enumerate(data.columns):
        values = data.iloc[:, position]
        if not pd.api.types.is_object_dtype(values.dtype):
            continue
        faults = values.map(lambda v: str(v) if isinstance(v, CellFault) else None)
        found = faults.notna().to_numpy(dtype=bool)
        if not found.any():
            continue
        rows = np.flatnonzero(found)
        texts = faults.to_numpy(dtype=object)[rows].tolist()
        if column in used:
            problems.rows(rows, str(column), texts)
            continue
        kinds = "; ".join(sorted(set(texts)))
        problems.note(
            f"column {column!r}: {len(rows)} cells hold no usable value ({kinds}); left empty"
        )
        out = data.copy() if out is data else out  # the input is never changed
        out.isetitem(position, values.where(~found, None).array)
    return out


def prepare_columns(
    data: Any, framework: Framework, columns: ColumnsOption, problems: Problems
) -> Any:
    """The table with its headers read as the framework's names.

    The renames of ``columns`` (a mapping or a mapping file) are made, and the exact matches
    of :func:`~wellbeing_framework.columns.suggest_columns` for every other header (a header
    mapped to ``None`` is kept as it is). Every rename is a note. A header that looks like a
    rated key but is not used is a note when the key is in the table too, and a problem when
    it is not (the key's ratings would be missing). Works on pandas and Dask tables.
    """
    data, headers = _repeated_headers(data, problems)
    found = suggest_columns(headers, framework)
    asked = load_columns(columns) if columns is not None else {}
    renames, how = _renames(headers, found, asked, problems)
    kept = [h for h in headers if h not in renames]
    for header, name in list(renames.items()):
        if name in kept:
            problems.table(
                f"column {header!r} would be read as {name}, but the table already has a "
                f"column {name}; rename or remove one of them",
                column=header,
            )
            del renames[header]
            kept.append(header)
    for header, name in renames.items():
        problems.note(f"column {header!r} read as {name} ({how[header]})")
    _output_names(kept, renames, framework, problems)
    _unknown_targets(renames, how, found, framework, problems)
    _unused_rated(found, renames, kept, framework, problems)
    _missing_keys(data, found, renames, kept, asked, framework, problems)
    return data.rename(columns=renames) if renames else data


def _repeated_headers(data: Any, problems: Problems) -> tuple[Any, list[str]]:
    """Repeated headers are a problem; the repeats get their own names so that the other
    checks (and the rejected rows) see every column once."""
    headers = [str(c) for c in data.columns]
    repeated = sorted({h for h in headers if headers.count(h) > 1})
    for header in repeated:
        problems.table(f"the header {header!r} appears more than once", column=header)
    if repeated and isinstance(data, pd.DataFrame):
        seen: set[str] = set()
        for position, header in enumerate(headers):
            if header in seen:
                headers[position] = f"{header} (column {position + 1})"
            seen.add(header)
        data = data.set_axis(headers, axis=1)
    return data, headers


def _renames(
    headers: list[str], found: Any, asked: Mapping[str, str | None], problems: Problems
) -> tuple[dict[str, str], dict[str, str]]:
    """The renames asked for, then the exact matches of the other headers; and why each."""
    for header in [h for h in asked if h not in headers]:
        problems.table(f"the column mapping names a header not in the table: {header!r}")
    renames = {h: n for h, n in asked.items() if n is not None and h in headers and h != n}
    how = dict.fromkeys(renames, "as mapped")
    taken = {n for n in asked.values() if n is not None}
    reasons = {m.header: m.reason for m in found.matches}
    for header, name in found.applied.items():
        if header not in asked and name not in taken:
            renames[header] = name
            how[header] = reasons[header]
    return renames, how


def _missing_keys(
    data: Any,
    found: Any,
    renames: dict[str, str],
    kept: list[str],
    asked: Mapping[str, str | None],
    fw: Framework,
    problems: Problems,
) -> None:
    """Indicators with no column. When a column matching nothing holds numbers on the
    scale, it probably is one of them under another name: a problem, with how to map it.
    Otherwise a note: scored without them."""
    present = set(kept) | set(renames.values())
    if "indicator" in present and "rating" in present:
        return  # long data: the indicators are values, not columns
    missing = [i for i in fw.indicators if i.key not in present]
    if not missing or len(missing) == len(fw.indicators):
        return  # none missing, or no indicator at all (a problem of its own)
    if len(missing) <= 2:
        named = " and ".join(f"{i.key} ({i.text!r})" for i in missing)
    else:
        named = ", ".join(i.key for i in missing[:4])
        named += f" and {len(missing) - 4} more" if len(missing) > 4 else ""
    unused = [
        h
        for h in found.unmatched
        if h not in asked and isinstance(data, pd.DataFrame) and _on_scale(data[h], fw)
    ]
    if unused:
        example = f"columns={{{unused[0]!r}: {missing[0].key!r}}}"
        problems.table(
            f"no column for {named}, and {len(unused)} column(s) holding numbers on the "
            f"scale are not used ({', '.join(map(repr, unused[:4]))}): map them ({example} "
            "or --columns FILE; map a column to null to keep it as it is)"
        )
    else:
        problems.note(f"no column for {named}: scored without them")


def _on_scale(values: Any, fw: Framework) -> bool:
    """A column of numbers, all on the framework's scale (a rating under another name)."""
    if isinstance(values, pd.DataFrame) or not pd.api.types.is_numeric_dtype(values.dtype):
        return False
    if pd.api.types.is_bool_dtype(values.dtype):
        return False
    present = values.dropna()
    return bool(len(present)) and bool(present.between(fw.scale.min, fw.scale.max).all())


#: Columns the library adds to a table (scores, continuum, rejected rows).
_ADDED = (
    "index",
    "index_band",
    "n_answered",
    "problems",
    "approach",
    "continuum_position",
    "reasons",
    "sheet_row",
)


def _output_names(
    kept: list[str], renames: dict[str, str], fw: Framework, problems: Problems
) -> None:
    """Input columns named (or mapped to a name) like a column the library writes: they
    would be overwritten or appear twice in the scores, so they are refused."""
    scored = [d.key for d in fw.domains] + [c.key for c in fw.centre]
    added = {*_ADDED, *(d.key for d in fw.domains), *(f"{k}_band" for k in scored)}
    for header in kept:
        if header in added or header.startswith("flag_"):
            problems.table(
                f"column {header!r} has the name of a column the library writes; rename it "
                f"(columns={{{header!r}: {'input_' + header!r}}}) or remove it",
                column=header,
            )
    for header, name in renames.items():
        if name in added or name.startswith("flag_"):
            problems.table(
                f"column {header!r} is mapped to {name!r}, the name of a column the library "
                "writes; map it to another name",
                column=header,
            )


def _unknown_targets(
    renames: dict[str, str], how: dict[str, str], found: Any, fw: Framework, problems: Problems
) -> None:
    """A mapping to a name that is not one of the framework's, of a column that looks like
    a rating (``Item SW5`` to ``sw_five``): that indicator would be left out without a word."""
    keys = [*fw.indicator_keys, *(c.key for c in fw.centre)]
    known = {*keys, *ALIASES}
    suggested = {
        m.header: m.name for m in found.matches if m.name in keys and m.confidence != "possible"
    }
    for header, name in renames.items():
        if how[header] != "as mapped" or name in known:
            continue
        close = difflib.get_close_matches(normalise_header(name), keys, n=1, cutoff=0.6)
        close = close or ([suggested[header]] if header in suggested else [])
        if close:
            problems.table(
                f"column {header!r} is mapped to {name!r}, which is not a name of this "
                f"framework (did you mean {close[0]!r}?)",
                column=header,
            )


def _unused_rated(
    found: Any, renames: dict[str, str], kept: list[str], fw: Framework, problems: Problems
) -> None:
    """Headers that look like a rated key but are not used, named with a suggestion."""
    rated = {*fw.indicator_keys, *(c.key for c in fw.centre)}
    present = set(kept) | set(renames.values())
    for match in found.matches:
        header, name = match.header, match.name
        if name not in rated or header == name or header in renames:
            continue  # not a rating, or a rated key itself, or used
        hint = (
            f"column {header!r} looks like {name} ({match.reason}); to use it, map it: "
            f"columns={{{header!r}: {name!r}}} or --columns FILE"
        )
        if name in present:
            problems.note(f"{hint}; not used, as the table has a column {name}")
        else:
            problems.table(f"{hint}; {name} is not in the table", column=header)


def unknown_indicator(value: Any, keys: Sequence[str]) -> str:
    """The problem for an indicator that is not a key; the value itself is never shown.

    An unknown value may be an identifier or free text put in the wrong column, so the
    message suggests the closest key at most.
    """
    sample = ", ".join(list(keys)[:3])
    text = f"unknown indicator key (keys of this framework look like {sample}, ...)"
    if isinstance(value, str) and _KEY_PATTERN.match(value):
        close = difflib.get_close_matches(value, list(keys), n=1, cutoff=0.6)
        if close:
            text += f"; did you mean {close[0]!r}?"
    return text


def long_indicator_codes(
    indicator: pd.Series, keys: tuple[str, ...], problems: Problems
) -> np.ndarray:
    """Each long row's position among the rated keys (-1: missing or unknown, reported)."""
    codes = pd.Index(keys).get_indexer(pd.Index(indicator)).astype(np.intp)
    missing_key = indicator.isna().to_numpy()
    problems.rows(np.flatnonzero(missing_key), INDICATOR_COL, "missing indicator key")
    unknown = (codes < 0) & ~missing_key
    if unknown.any():
        rows = np.flatnonzero(unknown)
        texts = [unknown_indicator(v, keys) for v in indicator.to_numpy(dtype=object)[rows]]
        problems.rows(rows, INDICATOR_COL, texts)
    return codes
