"""The individual checks behind :func:`~wellbeing_framework.validate` (internal).

Each check records its problems in a :class:`Problems` collector as arrays, one block per
check, so a clean million-row table costs a few vectorised passes and a problem costs one row
of the errors table. No check copies text or an identifier into a message.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wellbeing_framework.dates import DATE_EXPECTED, parse_dates
from wellbeing_framework.framework import Framework

__all__ = [
    "ERROR_COLUMNS",
    "Found",
    "Problems",
    "add_rating_problems",
    "check_duplicates",
    "check_ids",
    "duplicate_texts",
    "misspelt_columns",
    "rating_values",
    "rows_with_problems",
    "unknown_indicator",
]

ERROR_COLUMNS = ("row", "column", "value", "problem")
_KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


class Problems:
    """Collects problems as arrays, one block per check, and builds the errors table once."""

    def __init__(self) -> None:
        self.blocks: list[pd.DataFrame] = []

    def table(self, problem: str, column: str | None = None) -> None:
        self.blocks.append(
            pd.DataFrame(
                {"row": [pd.NA], "column": [column], "value": [pd.NA], "problem": [problem]}
            )
        )

    def rows(
        self,
        rows: np.ndarray,
        column: str | None,
        problem: str | Sequence[str],
        values: np.ndarray | None = None,
    ) -> None:
        if len(rows) == 0:
            return
        self.blocks.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "column": column,
                    "value": pd.NA if values is None else values,
                    "problem": problem,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.blocks:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ERROR_COLUMNS})
            empty["row"] = pd.Series(dtype="Int64")
            return empty
        errors = pd.concat(self.blocks, ignore_index=True)
        errors["row"] = errors["row"].astype("Int64")
        errors["value"] = errors["value"].astype(object)
        errors["column"] = errors["column"].astype(object)
        errors["problem"] = errors["problem"].astype(object)
        order = np.lexsort((errors.index.to_numpy(), errors["row"].fillna(-1).to_numpy()))
        return errors.iloc[order].reset_index(drop=True)


def expected_text(framework: Framework) -> str:
    scale = framework.scale
    return f"expected a whole number from {scale.min} to {scale.max}"


Found = list[tuple[np.ndarray, str, np.ndarray | None]]


def rating_values(values: pd.Series, framework: Framework) -> tuple[np.ndarray, Found]:
    """Read one column of ratings: floats (NaN when missing or invalid) and its problems.

    Each problem is ``(mask, text, shown)``: ``shown`` holds the value to report for each
    masked cell (the number read, or the boolean), or is None for text cells, which are
    never copied into the errors table.
    """
    expected = expected_text(framework)
    lo, hi = framework.scale.min, framework.scale.max
    problems: Found = []
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        present = values.notna().to_numpy()
        raw_values = values.to_numpy(dtype=object)
        problems.append((present, f"a boolean, not a rating ({expected})", raw_values[present]))
        return np.full(len(values), np.nan), problems
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = np.array(values.to_numpy(dtype=float, na_value=np.nan))
    else:
        raw = values.astype(object)
        is_bool = raw.map(lambda v: isinstance(v, bool | np.bool_)).to_numpy(dtype=bool)
        text = raw.map(lambda v: v.strip() if isinstance(v, str) else v)
        blank = text.map(lambda v: isinstance(v, str) and v == "").to_numpy(dtype=bool)
        coerced = pd.to_numeric(text.where(~(is_bool | blank)), errors="coerce")
        numbers = np.array(coerced.to_numpy(dtype=float, na_value=np.nan))
        present = raw.notna().to_numpy() & ~blank
        not_number = present & np.isnan(numbers) & ~is_bool
        if is_bool.any():
            shown = raw.to_numpy(dtype=object)[is_bool]
            problems.append((is_bool, f"a boolean, not a rating ({expected})", shown))
        if not_number.any():
            problems.append((not_number, f"not a number ({expected})", None))
        numbers[is_bool] = np.nan
    finite = ~np.isnan(numbers)
    with np.errstate(invalid="ignore"):
        out_of_range = finite & ((numbers < lo) | (numbers > hi))
        off_scale = finite & ~out_of_range & (numbers != np.round(numbers))
    if out_of_range.any():
        shown = numbers[out_of_range].astype(object)
        problems.append((out_of_range, f"out of range ({expected})", shown))
    if off_scale.any():
        shown = numbers[off_scale].astype(object)
        problems.append((off_scale, f"not on the scale ({expected})", shown))
    numbers[out_of_range | off_scale] = np.nan
    return numbers, problems


def add_rating_problems(
    problems: Problems,
    found: Found,
    column: str,
    rows: np.ndarray | None = None,
) -> None:
    for mask, text, shown in found:
        where = np.flatnonzero(mask)
        problems.rows(where if rows is None else rows[where], column, text, shown)


def rows_with_problems(errors: pd.DataFrame, n: int) -> np.ndarray:
    bad = np.zeros(n, dtype=bool)
    if errors.empty:
        return bad
    if errors["row"].isna().any():
        bad[:] = True
        return bad
    bad[errors["row"].to_numpy(dtype=np.intp)] = True
    return bad


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


def _normalise(name: str) -> str:
    return re.sub(r"[\s_\-.]", "", name).lower()


def misspelt_columns(columns: pd.Index, keys: Sequence[str], problems: Problems) -> None:
    missing = [k for k in keys if k not in columns]
    if not missing:
        return
    by_norm = {_normalise(k): k for k in missing}
    for col in columns:
        if not isinstance(col, str) or col in keys:
            continue
        match = by_norm.get(_normalise(col))
        if match is None:
            close = difflib.get_close_matches(col, missing, n=1, cutoff=0.8)
            match = close[0] if close else None
        if match is not None:
            problems.table(
                f"column {col!r} looks like a misspelt indicator; did you mean {match!r}?",
                column=col,
            )


def check_ids(
    data: pd.DataFrame,
    problems: Problems,
    *,
    person: str | None,
    date: str | None,
    dayfirst: bool = True,
    date_format: str | None = None,
) -> pd.Series | None:
    """Check the person and date columns; return the dates read by the one date rule."""
    if person is not None:
        if person not in data.columns:
            problems.table(
                f"no {person!r} column (pass person=None if the data have no person identifier)",
                column=person,
            )
        else:
            missing = _blank(data[person])
            problems.rows(np.flatnonzero(missing), person, f"missing {person}")
    if date is None or date not in data.columns:
        return None
    parsed = parse_dates(data[date], dayfirst=dayfirst, date_format=date_format)
    expected = f"expected {date_format}" if date_format else DATE_EXPECTED
    problems.rows(np.flatnonzero(parsed.missing), date, "missing assessment date")
    plain = parsed.unreadable.copy()
    if parsed.impossible is not None and parsed.impossible.any():
        plain &= ~parsed.impossible
        problems.rows(
            np.flatnonzero(parsed.impossible), date, "no such date (a day the month does not have)"
        )
    if parsed.month_first is not None and parsed.month_first.any():
        plain &= ~parsed.month_first
        problems.rows(
            np.flatnonzero(parsed.month_first),
            date,
            "not a date read day first (the middle number is over 12): if the dates are "
            "written month first, pass dayfirst=False (command line: --month-first)",
        )
    problems.rows(np.flatnonzero(plain), date, f"not a date ({expected})")
    if parsed.other_format.any():
        problems.rows(
            np.flatnonzero(parsed.other_format),
            date,
            f"date written in a different format from the rest of the column (most are "
            f"{parsed.majority}); write every date the same way",
        )
    problems.rows(
        np.flatnonzero(parsed.zoned),
        date,
        "date with a time zone among dates without one (its day is uncertain)",
    )
    return parsed.values


def _blank(values: pd.Series) -> np.ndarray:
    """Missing values, and text that is empty or only spaces."""
    missing = values.isna().to_numpy(dtype=bool)
    dtype = values.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        empty = values.str.strip().eq("").to_numpy(dtype=bool, na_value=False)
        return np.logical_or(missing, empty)
    if pd.api.types.is_object_dtype(dtype):
        blank = values.map(lambda v: isinstance(v, str) and not v.strip())
        result: np.ndarray = np.logical_or(missing, np.asarray(blank, dtype=bool))
        return result
    return missing


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes equal exactly where the values are equal (missing: -1)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values.to_numpy(dtype="datetime64[us]")
        codes = pd.factorize(stamps.view("i8"))[0]
        codes[np.isnat(stamps)] = -1  # an unreadable date equals no other date
        return codes
    return pd.factorize(values)[0]


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One code per distinct pair (a, b), without overflow."""
    width = int(b.max()) + 2 if len(b) else 1
    if int(a.max(initial=0)) + 1 < np.iinfo(np.int64).max // width:
        return (a.astype(np.int64) + 1) * width + (b.astype(np.int64) + 1)
    return pd.factorize(pd.MultiIndex.from_arrays([a, b]))[0]


def check_duplicates(
    data: pd.DataFrame,
    parsed_date: pd.Series | None,
    problems: Problems,
    *,
    person: str | None,
    date: str | None,
    rater: str | None,
    row_labels: np.ndarray | None = None,
) -> None:
    """Find the same assessment entered twice; ``row_labels`` maps positions to the row
    numbers the messages name (long data: each assessment's first input row)."""
    if person is None or person not in data.columns:
        return
    # Factorise each part once and combine the integer codes: hashing one int64 column is
    # far cheaper than hashing a frame of strings and dates.
    person_codes = _codes(data[person])
    key = person_codes.astype(np.int64)
    usable = person_codes >= 0
    parts = ["person"]
    if parsed_date is not None:
        date_codes = _codes(parsed_date)
        key = _combine(key, date_codes)
        usable = usable & (date_codes >= 0)
        parts.append("date")
    if "wave" in data.columns:
        key = _combine(key, _codes(data["wave"]))
        parts.append("wave")
    if rater is not None and rater in data.columns:
        key = _combine(key, _codes(data[rater]))
        parts.append("rater")
    dup = pd.Series(key).duplicated(keep=False).to_numpy(dtype=bool) & usable
    if not dup.any():
        return
    rows = np.flatnonzero(dup)  # ascending
    group = pd.factorize(key[rows])[0]
    by_group = pd.Series(rows).groupby(group)
    first = by_group.transform("min").to_numpy()
    second = by_group.transform(lambda r: r.iloc[1]).to_numpy()
    other = np.where(rows == first, second, first)
    if row_labels is not None:
        other = row_labels[other]
    problems.rows(rows, None, duplicate_texts(parts, other))


def duplicate_texts(parts: Sequence[str], other: np.ndarray) -> list[str]:
    """ "duplicate assessment: same person, date and rater as row 7", for each row."""
    what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    hint = ""
    if "date" not in parts and "wave" not in parts:
        hint = (
            " (if these are different occasions, add an assessment_date or wave column to "
            "tell them apart)"
        )
    return [f"duplicate assessment: same {what} as row {o}{hint}" for o in other]
