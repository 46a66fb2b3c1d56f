"""SPSS (``.sav``) and Stata (``.dta``) files, read and written with pyreadstat.

Written files carry what a statistician expects to find in them: variable labels (the
indicator's words, the domain's title), value labels (the scale's words on each rating,
the band names on each band column), measurement levels (SPSS), and the provenance of a
scores table (in the SPSS file's documents; beside a Stata file in ``<file>.meta.json``, as
for CSV, since Stata keeps only an 80-character file label).

Read files give numbers for numbers and text for text. An SPSS *user-missing* code (9 "not
asked") is a missing answer, never a rating of 9; so is a Stata extended missing value
(``.a`` to ``.z``). Which codes were read as missing, and how often, is told in
``attrs["read"]["missing_codes"]``. A numeric variable with value labels keeps its codes
(a rating of 4 labelled "mostly" is the rating 4, whatever measurement level SPSS gives it;
a ``sex`` coded 1/2 stays 1/2), and its labels are in ``attrs["read"]["value_labels"]``:
``table["sex"].map(table.attrs["read"]["value_labels"]["sex"])`` gives the words. The
categories and flags :func:`~wellbeing_framework.write_table` wrote (band columns
``<score>_band``, flags ``flag_<name>``) read back as band names and booleans.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wellbeing_framework.exceptions import DataFileError
from wellbeing_framework.extras import require

if TYPE_CHECKING:
    from wellbeing_framework.framework import Framework

__all__ = ["STAT_SUFFIXES", "read_stat", "variable_labels", "write_stat"]

STAT_SUFFIXES = (".sav", ".zsav", ".dta")
#: The prefix of the SPSS document lines that hold a table's provenance (JSON).
_NOTE = "wellbeing_framework:"
_LINE = 80  # an SPSS document line
_STATA_LABEL = 80  # the longest Stata variable label
_FIXED_LABELS = {
    "person_id": "Person (identifier)",
    "assessment_date": "Date of assessment",
    "rater": "Who rated",
    "wave": "Wave (assessment number)",
    "n_answered": "Indicators answered",
}
_SPSS_NAME = re.compile(r"^[A-Za-z@#$][A-Za-z0-9_.@#$]{0,63}$")
_SPSS_RESERVED = {
    "ALL",
    "AND",
    "BY",
    "EQ",
    "GE",
    "GT",
    "LE",
    "LT",
    "NE",
    "NOT",
    "OR",
    "TO",
    "WITH",
}
_STATA_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,31}$")


def _pyreadstat() -> Any:
    return require("pyreadstat", "reading and writing SPSS and Stata files")


# --- labels ---------------------------------------------------------------------------


def variable_labels(framework: Framework, columns: Any) -> dict[str, str]:
    """The label of each column the framework names: indicator words, domain titles.

    Examples
    --------
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> labels = variable_labels(fw, ["rb", "pm", "ir", "sw", "sw_band", "index", "qol"])
    >>> labels["sw"], labels["sw_band"], labels["index"]
    ('Safe and Well (score 0-100)', 'Safe and Well: band', 'Wellbeing index (score 0-100)')
    >>> labels["qol"], variable_labels(fw, ["rb1", "qol"])["qol"]
    ('Quality of Life (score 0-100)', 'Quality of Life')
    """
    named: dict[str, str] = {"index": "Wellbeing index"}
    for domain in framework.domains:
        named[domain.key] = domain.title
        for indicator in domain.indicators:
            named[indicator.key] = indicator.text
    centre = {item.key: item.title for item in framework.centre}
    out: dict[str, str] = {}
    columns = [str(c) for c in columns]
    rated = {i.key for i in framework.indicators}
    if not _is_scores(framework, columns):
        rated |= set(centre)  # in a ratings table the centre items are rated
    every = {**named, **centre}
    for column in columns:
        if column in _FIXED_LABELS:
            out[column] = _FIXED_LABELS[column]
        elif column.startswith("flag_"):
            out[column] = f"Flag: {column[5:].replace('_', ' ')}"
        elif column in rated:
            out[column] = every[column]
        elif column in every:
            out[column] = f"{every[column]} (score 0-100)"
        elif column.endswith("_band") and column[:-5] in every:
            out[column] = f"{every[column[:-5]]}: band"
    return out


def _is_scores(framework: Framework, columns: Any) -> bool:
    """A scores table: every domain has its score column (its centre columns are scores)."""
    return {d.key for d in framework.domains} <= {str(c) for c in columns}


def _rating_labels(framework: Framework, data: pd.DataFrame) -> dict[str, dict[float, str]]:
    scale = framework.scale
    if not (scale.integer and scale.labels):
        return {}
    words = {float(p): scale.label(p) for p in scale.points}
    keys = list(framework.indicator_keys)
    if not _is_scores(framework, data.columns):
        keys += [c.key for c in framework.centre]
    return {k: words for k in keys if k in data.columns and pd.api.types.is_numeric_dtype(data[k])}


# --- writing --------------------------------------------------------------------------


def _coded(
    data: pd.DataFrame,
) -> tuple[pd.DataFrame, dict[str, dict[float, str]], dict[str, list[str]]]:
    """Categories as codes 1..k with their labels, booleans as 0/1: what the formats hold.
    Returns the table, the value labels made, and which columns were coded how."""
    out = data.copy()
    out.attrs = {}
    labels: dict[str, dict[float, str]] = {}
    kinds: dict[str, list[str]] = {"categorical": [], "boolean": []}
    for name in list(out.columns):
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = [str(c) for c in column.cat.categories]
            codes = column.cat.codes.to_numpy(dtype=float) + 1
            codes[codes == 0] = np.nan
            out[name] = codes
            labels[name] = {float(i + 1): c for i, c in enumerate(categories)}
            kinds["categorical"].append(name)
        elif pd.api.types.is_bool_dtype(column.dtype):
            out[name] = column.astype("Float64").astype(float)
            labels[name] = {0.0: "no", 1.0: "yes"}
            kinds["boolean"].append(name)
        elif pd.api.types.is_datetime64_any_dtype(column.dtype):
            # seconds resolution is written as 1970 by the file library: microseconds
            out[name] = pd.to_datetime(column).dt.tz_localize(None).astype("datetime64[us]")
        elif not pd.api.types.is_numeric_dtype(column.dtype):
            out[name] = column.map(lambda v: None if _blank(v) else str(v)).astype(object)
    return out, labels, kinds


def _blank(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _note_lines(meta: Mapping[str, Any]) -> list[str]:
    # SPSS strips the spaces that end a document line: no JSON text here has a plain one
    text = json.dumps(meta, ensure_ascii=True, separators=(",", ":")).replace(" ", "\\u0020")
    width = _LINE - len(_NOTE)
    return [_NOTE + text[i : i + width] for i in range(0, len(text), width)]


def _measures(
    frame: pd.DataFrame, kinds: Mapping[str, list[str]], framework: Framework | None
) -> dict[str, str]:
    """SPSS measurement levels: ratings and bands ordinal, flags nominal, scores scale."""
    measure = dict.fromkeys(kinds["boolean"], "nominal")
    measure.update(dict.fromkeys(kinds["categorical"], "ordinal"))
    for name in frame.columns:
        if name not in measure and pd.api.types.is_float_dtype(frame[name].dtype):
            measure[name] = "scale"
    if framework is not None:
        measure.update(dict.fromkeys(_rating_labels(framework, frame), "ordinal"))
    return measure


def _bad_names(columns: Any, suffix: str) -> list[str]:
    """Column names the format cannot hold as variable names."""
    if suffix == ".dta":
        return [str(c) for c in columns if not _STATA_NAME.match(str(c))]
    return [
        str(c)
        for c in columns
        if not _SPSS_NAME.match(str(c)) or str(c).endswith(".") or str(c).upper() in _SPSS_RESERVED
    ]


def write_stat(
    data: pd.DataFrame,
    out: Path,
    meta: Mapping[str, Any] | None,
    framework: Framework | None,
    *,
    suffix: str,
) -> dict[str, Any]:
    """Write ``data`` to ``out`` as an SPSS or Stata file (``suffix`` says which), labelled.

    Called by :func:`~wellbeing_framework.write_table`; see there. Returns the metadata to
    keep beside a Stata file (Stata has no room for it inside).
    """
    reader = _pyreadstat()
    bad = _bad_names(data.columns, suffix)
    if bad:
        rule = (
            "letters, digits and _, a letter or _ first, 32 at most"
            if suffix == ".dta"
            else "letters, digits, _ and ., a letter first, 64 at most, no spaces"
        )
        shown = ", ".join(repr(b[:40]) for b in bad[:10]) + (" ..." if len(bad) > 10 else "")
        msg = f"{len(bad)} column names cannot be {suffix} variable names ({rule}): {shown}"
        raise DataFileError(msg)
    frame, values, kinds = _coded(data)
    labels = {} if framework is None else variable_labels(framework, frame.columns)
    if framework is not None:
        values.update(_rating_labels(framework, frame))
    own = {**(dict(meta) if meta else {}), "coded": kinds}
    try:
        if suffix == ".dta":
            short = {k: v[:_STATA_LABEL] for k, v in labels.items()}
            reader.write_dta(
                frame,
                out,
                file_label="wellbeing_framework table",
                column_labels=short,
                variable_value_labels=values,
            )
        else:
            measure = _measures(frame, kinds, framework)
            reader.write_sav(
                frame,
                out,
                column_labels=labels,
                variable_value_labels=values,
                variable_measure=measure,
                note=_note_lines(own),
                compress=suffix == ".zsav",
            )
    except Exception as exc:  # pyreadstat raises its own errors for names and types
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataFileError(f"cannot be written as {suffix} ({first})") from None
    return own


# --- reading --------------------------------------------------------------------------


def _own_meta(meta: Any, side: Path | None) -> dict[str, Any] | None:
    """The provenance this library wrote: in the SPSS documents, or beside a Stata file."""
    lines = [n for n in (meta.notes or []) if isinstance(n, str) and n.startswith(_NOTE)]
    text = "".join(n[len(_NOTE) :] for n in lines)
    if not text and side is not None and side.is_file():
        try:
            text = side.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
    if not text:
        return None
    with contextlib.suppress(json.JSONDecodeError, RecursionError):
        found = json.loads(text)
        return found if isinstance(found, dict) else None
    return None  # damaged provenance loses provenance, not data


def _missing_code(value: Any, label: str | None) -> str:
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{shown} ({label})" if label else shown


def _blank_user_missing(data: pd.DataFrame, meta: Any) -> dict[str, int]:
    """SPSS user-missing codes and Stata extended missing values made missing, counted."""
    counts: dict[str, int] = {}
    value_labels = meta.variable_value_labels or {}
    for name in data.columns:
        column = data[name]
        hit = np.zeros(len(column), dtype=bool)
        codes: list[tuple[Any, np.ndarray]] = []
        for spec in (meta.missing_ranges or {}).get(name, []):
            lo, hi = spec["lo"], spec["hi"]
            if isinstance(lo, str):
                mask = (column.astype(object) == lo).to_numpy(dtype=bool)
                codes.append((lo, mask))
                continue
            number = pd.to_numeric(column, errors="coerce")
            mask = ((number >= lo) & (number <= hi)).to_numpy(dtype=bool)
            for code in sorted(set(number[mask].tolist())):  # each code of a range by itself
                codes.append((code, mask & (number == code).to_numpy(dtype=bool)))
        if pd.api.types.is_object_dtype(column.dtype) and name in (
            meta.missing_user_values or {}
        ):  # Stata .a-.z come as letters in a numeric column
            letters = column.map(lambda v: isinstance(v, str) and len(v) == 1 and v.isalpha())
            for letter in sorted({str(v) for v in column[letters.to_numpy(dtype=bool)]}):
                codes.append((f".{letter}", (column == letter).to_numpy(dtype=bool)))
        for code, mask in codes:
            mask = mask & ~hit
            if mask.any():
                label = value_labels.get(name, {}).get(code) if not isinstance(code, str) else None
                key = _missing_code(code, label)
                counts[key] = counts.get(key, 0) + int(mask.sum())
            hit |= mask
        if hit.any():
            kept = column.astype(object).where(~hit, None)
            data[name] = pd.to_numeric(kept) if _all_numbers(kept) else kept
    return counts


def _all_numbers(values: pd.Series) -> bool:
    present = values.dropna()
    return bool(len(present)) and all(
        isinstance(v, int | float | np.number) and not isinstance(v, bool) for v in present
    )


def _as_labels(data: pd.DataFrame, meta: Any, own: dict[str, Any] | None) -> list[str]:
    """The categories and flags this library wrote as band names and booleans: those its
    metadata names, else the columns named as it names them (``<score>_band``,
    ``flag_<name>`` labelled no/yes). Returns the columns read as labels."""
    coded = (own or {}).get("coded", {})
    boolean = set(coded.get("boolean", [])) if isinstance(coded, dict) else set()
    categorical = set(coded.get("categorical", [])) if isinstance(coded, dict) else set()
    value_labels = meta.variable_value_labels or {}
    if not coded:
        for name, labels in value_labels.items():
            words = set(labels.values())
            if name.startswith("flag_") and words == {"no", "yes"}:
                boolean.add(name)
            elif name.endswith("_band"):
                categorical.add(name)
    done = []
    for name in data.columns:
        labels = value_labels.get(name)
        if not pd.api.types.is_numeric_dtype(data[name].dtype):
            continue
        present = set(pd.to_numeric(data[name], errors="coerce").dropna().tolist())
        if name in boolean and present <= {0.0, 1.0}:  # a stale sidecar changes nothing
            number = pd.to_numeric(data[name], errors="coerce")
            data[name] = pd.array([pd.NA if math.isnan(v) else bool(v) for v in number], "boolean")
        elif labels and name in categorical and present <= set(labels):
            mapped = data[name].map(lambda v, w=labels: w.get(v, None if _blank(v) else f"{v:g}"))
            order = [labels[k] for k in sorted(labels)]
            extra = sorted({m for m in mapped.dropna() if m not in order})
            data[name] = pd.Categorical(mapped, categories=order + extra, ordered=True)
            done.append(name)
    return done


def read_stat(file: Path, side: Path | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Read an SPSS or Stata file: the table (cases numbered from 1, as SPSS and Stata show
    them) and what was done to it. ``side`` is where a Stata file's metadata may be."""
    reader = _pyreadstat()
    read = reader.read_dta if file.suffix.lower() == ".dta" else reader.read_sav
    kind = "Stata" if file.suffix.lower() == ".dta" else "SPSS"
    try:
        data, meta = read(file, user_missing=True, dates_as_pandas_datetime=True)
    except Exception as exc:  # pyreadstat's own errors for a damaged or foreign file
        msg = f"not a readable {kind} file ({type(exc).__name__})"
        raise DataFileError(msg, file.name) from None
    own = _own_meta(meta, side if kind == "Stata" else None)
    info: dict[str, Any] = {"where": f"{kind} file, {len(data)} cases"}
    info["missing_codes"] = _blank_user_missing(data, meta)
    info["labels_read_as_values"] = _as_labels(data, meta, own)
    info["value_labels"] = {
        k: {
            (int(c) if isinstance(c, float) and c.is_integer() else c): v
            for c, v in labels.items()
        }
        for k, labels in (meta.variable_value_labels or {}).items()
        if k not in info["labels_read_as_values"]
    }
    info["variable_labels"] = {k: v for k, v in (meta.column_names_to_labels or {}).items() if v}
    data.index = pd.RangeIndex(1, len(data) + 1, name="sheet_row")
    provenance = {k: v for k, v in (own or {}).items() if k != "coded"}
    if provenance:
        data.attrs["wellbeing_framework"] = provenance
    return data, info
