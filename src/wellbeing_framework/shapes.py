"""Wide and long ratings tables, and conversion between them.

*Wide*: one row per assessment, one column per indicator key (and centre item key), plus id
and pass-through columns. *Long*: one row per assessment x indicator, with ``indicator`` and
``rating`` columns; every other column identifies the assessment.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from wellbeing_framework.framework import Framework

__all__ = ["INDICATOR_COL", "RATING_COL", "detect_shape", "rating_keys", "to_long", "to_wide"]

INDICATOR_COL = "indicator"
RATING_COL = "rating"

Shape = Literal["wide", "long"]


def rating_keys(framework: Framework) -> tuple[str, ...]:
    """Every rated key: the indicators in domain order, then the centre items."""
    return framework.indicator_keys + tuple(c.key for c in framework.centre)


def detect_shape(data: pd.DataFrame) -> Shape:
    """Return ``"long"`` when the table has ``indicator`` and ``rating`` columns, else ``"wide"``.

    Examples
    --------
    >>> import pandas as pd
    >>> detect_shape(pd.DataFrame({"person_id": [1], "indicator": ["rb1"], "rating": [4]}))
    'long'
    """
    if INDICATOR_COL in data.columns and RATING_COL in data.columns:
        return "long"
    return "wide"


def assessment_groups(long: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Number the assessments of a long table (0, 1, ... in order of first appearance).

    Every column other than ``indicator`` and ``rating`` identifies the assessment.
    """
    keys = [c for c in long.columns if c not in (INDICATOR_COL, RATING_COL)]
    if not keys:
        return np.zeros(len(long), dtype=np.intp), keys
    codes = long.groupby(keys, sort=False, dropna=False).ngroup().to_numpy(dtype=np.intp)
    return codes, keys


def to_wide(data: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Convert long ratings to wide: one row per assessment, one column per rated key.

    Parameters
    ----------
    data
        Long ratings: ``indicator`` and ``rating`` columns; every other column identifies
        the assessment (``person_id``, ``assessment_date``, ``rater``, demographics ...).
    framework
        Gives the indicator (and centre item) keys and their order.

    Returns
    -------
    pandas.DataFrame
        The identifying columns in their original order, then one column per indicator in
        domain order, then one per centre item; assessments in order of first appearance.
        A key never rated is a column of missing values. Wide input is returned as a copy.

    Raises
    ------
    KeyError
        If an ``indicator`` value is not a key of the framework (use :func:`validate` to find
        every such row).

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> long = pd.DataFrame({"person_id": ["a", "a", "b"],
    ...                      "indicator": ["rb1", "sw5", "rb1"], "rating": [4, 2, 5]})
    >>> wide = wf.to_wide(long, fw)
    >>> wide[["person_id", "rb1", "sw5"]]
      person_id  rb1  sw5
    0         a  4.0  2.0
    1         b  5.0  NaN
    """
    if detect_shape(data) == "wide":
        return data.copy()
    keys = rating_keys(framework)
    codes, id_cols = assessment_groups(data)
    col = pd.Index(keys).get_indexer(pd.Index(data[INDICATOR_COL])).astype(np.intp)
    unknown = (col < 0) & data[INDICATOR_COL].notna().to_numpy()
    if unknown.any():  # the values are never shown: they may be identifiers
        rows = np.flatnonzero(unknown)
        msg = (
            f"{len(rows)} row(s) have an {INDICATOR_COL!r} that is not a key of this framework "
            f"(first at row {rows[0]}); validate the data to see every problem"
        )
        raise KeyError(msg)
    n = int(codes.max()) + 1 if len(codes) else 0
    values = np.full((n, len(keys)), np.nan)
    rating = pd.to_numeric(data[RATING_COL], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    known = col >= 0
    values[codes[known], col[known]] = rating[known]
    _, first = np.unique(codes, return_index=True)
    ids = data[id_cols].iloc[first].reset_index(drop=True)
    ratings = pd.DataFrame(values, columns=list(keys))
    return pd.concat([ids, ratings], axis=1)


def to_long(data: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Convert wide ratings to long: one row per assessment x rated key.

    Parameters
    ----------
    data
        Wide ratings with one column per indicator (and, optionally, centre item).
    framework
        Gives the rated keys and their order.

    Returns
    -------
    pandas.DataFrame
        Every non-rating column, then ``indicator`` and ``rating``; for each assessment in
        input order, its rated keys in framework order. Unanswered items are kept as rows with
        a missing ``rating``, so no assessment is lost. Long input is returned as a copy.

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> wide = pd.DataFrame({"person_id": ["a"], "rb1": [4], "rb2": [3]})
    >>> wf.to_long(wide, fw)
      person_id indicator  rating
    0         a       rb1       4
    1         a       rb2       3
    """
    if detect_shape(data) == "long":
        return data.copy()
    keys = [k for k in rating_keys(framework) if k in data.columns]
    id_cols = [c for c in data.columns if c not in keys]
    n, k = len(data), len(keys)
    ids = data[id_cols].iloc[np.repeat(np.arange(n), k)].reset_index(drop=True)
    ids[INDICATOR_COL] = np.tile(np.asarray(keys, dtype=object), n)
    if k:
        stacked = pd.concat([data[key] for key in keys], axis=1).to_numpy().reshape(-1)
    else:
        stacked = np.empty(0)
    ids[RATING_COL] = pd.Series(stacked).infer_objects()
    return ids
