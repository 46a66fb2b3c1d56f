"""Duplicate checks: the same assessment (person, date, wave, rater) entered twice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wellbeing_framework.check_ids import is_blank
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


#: Identifiers up to this many bytes, all of one length, are coded from their bytes.
MAX_WORDS = 4
_MIX = np.uint64(0x9E3779B97F4A7C15)  # an odd constant: the words' polynomial hash


def _arrow_chunks(values: pd.Series) -> list[Any] | None:
    """The Arrow arrays behind a text column (no copy); None for other columns."""
    dtype = values.dtype
    on_arrow = (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or (
        isinstance(dtype, pd.ArrowDtype) and str(dtype.pyarrow_dtype) in ("string", "large_string")
    )
    if not on_arrow:
        return None
    import pyarrow as pa

    arrow = pa.array(values.array)
    return list(arrow.chunks) if isinstance(arrow, pa.ChunkedArray) else [arrow]


def fixed_width_words(values: pd.Series) -> np.ndarray | None:
    """Text that is all of one length in bytes (``P0000001``, a ten-digit number) as rows of
    64-bit words, read from its Arrow buffers without making a Python string; None for any
    other column (missing values, mixed lengths, text longer than ``MAX_WORDS`` words).

    Examples
    --------
    >>> ids = pd.Series(["ab", "cd", "ab"], dtype="string[pyarrow]")
    >>> words = fixed_width_words(ids)
    >>> words.shape, bool(words[0, 0] == words[2, 0]), bool(words[0, 0] == words[1, 0])
    ((3, 1), True, False)
    """
    chunks = _arrow_chunks(values)
    if chunks is None or any(c.null_count for c in chunks) or len(values) == 0:
        return None
    rows = []
    widths = set()
    for chunk in chunks:
        if len(chunk) == 0:
            continue
        _, offsets_buffer, data_buffer = chunk.buffers()
        kind = np.int64 if str(chunk.type) == "large_string" else np.int32
        offsets = np.frombuffer(offsets_buffer, dtype=kind)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        width = int(offsets[-1] - offsets[0]) // len(chunk)
        expected = offsets[0] + width * np.arange(len(chunk) + 1, dtype=np.int64)
        if width == 0 or width > 8 * MAX_WORDS or not np.array_equal(offsets, expected):
            return None
        widths.add(width)
        raw = np.frombuffer(
            data_buffer, dtype=np.uint8, count=len(chunk) * width, offset=int(offsets[0])
        )
        rows.append(raw.reshape(len(chunk), width))
    if len(widths) != 1:
        return None
    width = widths.pop()
    padded = np.zeros((len(values), -(-width // 8) * 8), dtype=np.uint8)
    padded[:, :width] = np.concatenate(rows) if len(rows) > 1 else rows[0]
    words: np.ndarray = padded.view(np.uint64)
    return words


def _text_keys(values: pd.Series) -> np.ndarray:
    """A 64-bit key per text value, equal where the values are equal (not always unequal
    where they differ): the bytes of text of one length, else codes from hashing the text."""
    words = fixed_width_words(values)
    if words is None:
        return _codes(values).astype(np.int64).view(np.uint64)
    hashed = words[:, 0].copy()
    for j in range(1, words.shape[1]):
        hashed *= _MIX
        hashed += words[:, j]
    return hashed


def _part_keys(values: pd.Series) -> np.ndarray:
    """A 64-bit key per value of one part of the assessment (person, date, wave, rater)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.to_numpy(dtype="datetime64[us]").view(np.uint64)  # NaT: one value
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan) + 0.0  # -0.0 is 0.0
        numbers[np.isnan(numbers)] = np.nan  # one bit pattern for every missing value
        return numbers.view(np.uint64)
    if pd.api.types.is_integer_dtype(values.dtype) and not values.hasnans:
        numbers = np.asarray(values.to_numpy())
        return numbers.view(np.uint64) if numbers.itemsize == 8 else numbers.astype(np.uint64)
    return _text_keys(values)


def _candidates(parts: list[pd.Series]) -> np.ndarray:
    """Rows that may be the same assessment as another row: their parts hashed into one
    64-bit key are equal. Equal parts always give equal keys, so no duplicate is missed;
    unequal parts very rarely do, so the candidates are then compared exactly."""
    key = np.zeros(len(parts[0]), dtype=np.uint64)
    for part in parts:
        key ^= _part_keys(part)
        key *= _MIX
        # mix the bits: text differing only in its last characters differs only in the
        # high bytes of a word, which a hash table's own hash spreads poorly
        key ^= key >> np.uint64(29)
    keys = pd.Series(key)
    later = keys.duplicated().to_numpy(dtype=bool)  # cheaper than keep=False, and usually
    if not later.any():  # no key is seen twice, so nothing more is needed
        return np.flatnonzero(later)
    return np.flatnonzero(keys.isin(key[later]).to_numpy(dtype=bool))


def _waves(values: pd.Series) -> pd.Series:
    """Waves compared as numbers when they are numbers (1, "1" and " 01" are one wave)."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values  # exact, however large
    if pd.api.types.is_float_dtype(values.dtype):
        return values.astype(float)
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
    """Find the same assessment entered twice; ``row_labels`` maps positions to the sheet
    rows the messages name (default: position + 2, as a spreadsheet numbers rows)."""
    if person is None or person not in data.columns:
        return
    names = ["person"]
    parts = [data[person]]
    if parsed_date is not None:
        names.append("date")
        parts.append(parsed_date)
    if "wave" in data.columns:
        names.append("wave")
        parts.append(_waves(data["wave"]))
    if rater is not None and rater in data.columns:
        names.append("rater")
        parts.append(data[rater])
    rows = _candidates(parts)
    if len(rows) == 0:
        return
    # Factorise each part of the candidates and combine the integer codes, exactly.
    codes = [_codes(part.iloc[rows]) for part in parts]
    key = codes[0].astype(np.int64)
    for more in codes[1:]:
        key = _combine(key, more)
    # rows without a person (missing or blank) or a date are never duplicates
    usable = (codes[0] >= 0) & ~is_blank(parts[0].iloc[rows])
    if parsed_date is not None:
        usable &= codes[1] >= 0
    dup = pd.Series(key).duplicated(keep=False).to_numpy(dtype=bool) & usable
    if not dup.any():
        return
    rows, key = rows[dup], key[dup]  # rows ascending
    group = pd.factorize(key)[0]
    by_group = pd.Series(rows).groupby(group)
    first = by_group.transform("min").to_numpy()
    second = by_group.transform(lambda r: r.iloc[1]).to_numpy()
    other = np.where(rows == first, second, first)
    other = other + 2 if row_labels is None else row_labels[other]
    problems.rows(rows, None, duplicate_texts(names, other))


def duplicate_texts(parts: Sequence[str], other: np.ndarray) -> list[str]:
    """ "duplicate assessment: same person, date and rater as sheet row 7", for each row."""
    what = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    hint = ""
    if "date" not in parts and "wave" not in parts:
        hint = (
            " (if these are different occasions, add an assessment_date or wave column to "
            "tell them apart)"
        )
    return [f"duplicate assessment: same {what} as sheet row {o}{hint}" for o in other]


def long_duplicates(
    ids: pd.DataFrame,
    first_dates: pd.Series | None,
    group: np.ndarray,
    first: np.ndarray,
    problems: Problems,
    person: str | None,
    date: str | None,
    rater: str | None,
    sheet: np.ndarray,
) -> None:
    """The same assessment twice, found per assessment and reported on every long row
    (``sheet``: each long row's number in the sheet; messages name an assessment's first)."""
    dup = Problems()
    check_duplicates(
        ids, first_dates, dup, person=person, date=date, rater=rater, row_labels=sheet[first]
    )
    for block in dup.blocks:
        flagged = np.isin(group, block["row"].to_numpy(dtype=np.intp))
        firsts = dict(zip(block["row"], block["problem"], strict=True))
        problems.rows(np.flatnonzero(flagged), None, [firsts[g] for g in group[flagged]])
