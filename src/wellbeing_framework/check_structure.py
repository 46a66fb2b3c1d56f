"""Structure checks: the columns a table has, and the indicator keys of long data.

No message copies a value from the data: an unknown indicator may be an identifier put in
the wrong column.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wellbeing_framework.framework import Framework
from wellbeing_framework.problems import Problems
from wellbeing_framework.shapes import INDICATOR_COL

__all__ = ["check_columns", "long_indicator_codes", "misspelt_columns", "unknown_indicator"]

_KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


def check_columns(
    data: pd.DataFrame, framework: Framework, keys: Sequence[str], problems: Problems
) -> None:
    """Wide data: no indicator column at all, or columns that look like misspelt keys."""
    if not [k for k in framework.indicator_keys if k in data.columns]:
        sample = ", ".join(framework.indicator_keys[:4])
        problems.table(
            f"no indicator columns found (expected columns named by indicator key: {sample}, "
            "...; or long data with 'indicator' and 'rating' columns)"
        )
    misspelt_columns(data.columns, keys, problems)


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
