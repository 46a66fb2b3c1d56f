"""Identifier and date checks: every row has a person, every date is read by the one rule."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wellbeing_framework.dates import DATE_EXPECTED, DateRule, parse_dates
from wellbeing_framework.problems import Problems

__all__ = ["check_ids", "is_blank"]


def check_ids(
    data: pd.DataFrame,
    problems: Problems,
    *,
    person: str | None,
    date: str | None,
    rule: DateRule | None = None,
) -> pd.Series | None:
    """Check the person and date columns; return the dates read by the one date rule."""
    if person is not None:
        if person not in data.columns:
            problems.table(
                f"no {person!r} column: name the column that identifies people (columns= in "
                "Python, --columns on the command line), or pass person=None if there is none",
                column=person,
            )
        else:
            missing = is_blank(data[person])
            problems.rows(np.flatnonzero(missing), person, f"missing {person}")
    if date is None or date not in data.columns:
        return None
    rule = rule or DateRule()
    parsed = parse_dates(data[date], dayfirst=rule.dayfirst, date_format=rule.date_format)
    expected = f"expected {rule.date_format}" if rule.date_format else DATE_EXPECTED
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


def is_blank(values: pd.Series) -> np.ndarray:
    """Missing values, and text that is empty or only spaces."""
    missing = values.isna().to_numpy(dtype=bool)
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        import pyarrow as pa
        import pyarrow.compute as pc

        text = pa.array(values.array)  # no copy
        empty = pc.or_(pc.utf8_is_space(text), pc.equal(pc.binary_length(text), 0))
        blank: np.ndarray = np.logical_or(missing, np.asarray(empty.fill_null(False), bool))
        return blank
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        empty = values.str.strip().eq("").to_numpy(dtype=bool, na_value=False)
        return np.logical_or(missing, empty)
    if pd.api.types.is_object_dtype(dtype):
        spaces = values.map(lambda v: isinstance(v, str) and not v.strip())
        result: np.ndarray = np.logical_or(missing, np.asarray(spaces, dtype=bool))
        return result
    return missing
