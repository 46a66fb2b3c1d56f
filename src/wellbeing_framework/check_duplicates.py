"""Duplicate checks: the same assessment (person, date, wave, rater) entered twice."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wellbeing_framework.problems import Problems

__all__ = ["check_duplicates", "duplicate_texts", "long_duplicates"]


def _codes(values: pd.Series) -> np.ndarray:
    """Integer codes equal exactly where the values are equal (missing: -1)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = values.to_numpy(dtype="datetime64[us]")
        codes = pd.factorize(stamps.view("i8"))[0]
        codes[np.isnat(stamps)] = -1  # an unreadable date equals no other date
        return codes
    return pd.factorize(values)[0]


def _waves(values: pd.Series) -> pd.Series:
    """Waves compared as numbers when they are numbers (1, "1" and " 01" are one wave)."""
    text = values.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    numbers = pd.to_numeric(text, errors="coerce")
    if (numbers.isna() & text.notna()).any():  # named waves ("baseline"): compare as text
        return text.astype(str).where(text.notna())
    return numbers


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
        key = _combine(key, _codes(_waves(data["wave"])))
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


def long_duplicates(
    ids: pd.DataFrame,
    first_dates: pd.Series | None,
    group: np.ndarray,
    first: np.ndarray,
    problems: Problems,
    person: str | None,
    date: str | None,
    rater: str | None,
) -> None:
    """The same assessment twice, found per assessment and reported on every long row."""
    dup = Problems()
    check_duplicates(
        ids, first_dates, dup, person=person, date=date, rater=rater, row_labels=first
    )
    for block in dup.blocks:
        flagged = np.isin(group, block["row"].to_numpy(dtype=np.intp))
        firsts = dict(zip(block["row"], block["problem"], strict=True))
        problems.rows(np.flatnonzero(flagged), None, [firsts[g] for g in group[flagged]])
