"""Rating checks: every rating a number on the scale, never a boolean or text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wellbeing_framework.framework import Framework
from wellbeing_framework.problems import Problems
from wellbeing_framework.xlsx import CellFault

__all__ = ["Found", "add_rating_problems", "rating_block", "rating_values"]


def expected_text(framework: Framework) -> str:
    scale = framework.scale
    kind = "a whole number" if scale.integer else "a number"
    return f"expected {kind} from {scale.min:g} to {scale.max:g}"


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
    if pd.api.types.is_timedelta64_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        present = values.notna().to_numpy()  # durations and dates are not ratings
        problems.append((present, f"not a number ({expected})", None))
        return np.full(len(values), np.nan), problems
    if pd.api.types.is_numeric_dtype(dtype):
        numbers = np.array(values.to_numpy(dtype=float, na_value=np.nan))
    else:
        raw = values.astype(object)
        # a faulty spreadsheet cell is reported by the structure checks, once
        raw = raw.where(~raw.map(lambda v: isinstance(v, CellFault)).to_numpy(dtype=bool), None)
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
    if not framework.scale.integer:
        off_scale[:] = False  # a continuous scale: the range is the only check
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


def rating_block(
    data: pd.DataFrame, keys: tuple[str, ...], framework: Framework, problems: Problems
) -> np.ndarray:
    """Wide data: the ratings of every rated key as floats (NaN: missing or invalid)."""
    present = [k for k in keys if k in data.columns]
    numeric = [
        k
        for k in present
        if pd.api.types.is_numeric_dtype(data[k].dtype)
        and not pd.api.types.is_bool_dtype(data[k].dtype)
        and not pd.api.types.is_timedelta64_dtype(data[k].dtype)
    ]
    if numeric == list(keys):  # fast path: every rated column numeric and present
        return numeric_block(data, numeric, framework, problems)
    ratings = np.full((len(data), len(keys)), np.nan)
    if numeric:
        idx = [keys.index(k) for k in numeric]
        ratings[:, idx] = numeric_block(data, numeric, framework, problems)
    for k in present:
        if k not in numeric:
            values, found = rating_values(data[k], framework)
            add_rating_problems(problems, found, k)
            ratings[:, keys.index(k)] = values
    return ratings


def numeric_block(
    data: pd.DataFrame, columns: list[str], framework: Framework, problems: Problems
) -> np.ndarray:
    """Check numeric rating columns in one pass; return them as floats (NaN if invalid)."""
    block = data[columns].to_numpy(dtype=float, na_value=np.nan)
    lo, hi = framework.scale.min, framework.scale.max
    bad_columns = []
    for j in range(len(columns)):  # column by column: small temporaries
        x = block[:, j]
        with np.errstate(invalid="ignore"):
            ok = (x >= lo) & (x <= hi)
            if framework.scale.integer:
                ok &= x == np.rint(x)
        if not (ok | np.isnan(x)).all():
            bad_columns.append(j)
    if not bad_columns:
        return block
    block = block.copy()
    for j in bad_columns:
        col = columns[j]
        values, found = rating_values(data[col], framework)
        add_rating_problems(problems, found, col)
        block[:, j] = values
    return block
