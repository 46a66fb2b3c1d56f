"""Choosing one assessment per person: the first, the last, a wave, or as at a date."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from wellbeing_framework.dates import as_dates

__all__ = ["Which", "choose_rows", "occasion", "one_per_person"]

Which = str | int | pd.Timestamp


def choose_rows(
    scores: pd.DataFrame,
    which: Which,
    *,
    person: str = "person_id",
    date: str = "assessment_date",
    wave: str = "wave",
    rater_col: str = "rater",
    rater: str | None = "self",
    codes: np.ndarray | None = None,
    dayfirst: bool = True,
    date_format: str | None = None,
) -> np.ndarray:
    """Positions of one row per person (see :func:`one_per_person`), in order of person.

    Works on integer codes and one stable sort, so a million people take well under a
    second. ``codes`` (``pandas.factorize`` of the person column) may be passed to save
    computing them again.
    """
    if person not in scores.columns:
        msg = f"the table has no {person!r} column"
        raise KeyError(msg)
    keep = np.ones(len(scores), dtype=bool)
    if rater is not None and rater_col in scores.columns:
        keep = (scores[rater_col] == rater).to_numpy(dtype=bool, na_value=False)
        if not keep.any():
            found = scores[rater_col].nunique()  # the values may be names: not shown
            msg = (
                f"no assessments with {rater_col} == {rater!r} ({found} other value(s) in the "
                f"{rater_col!r} column; pass rater= to choose one, or None for all)"
            )
            raise ValueError(msg)
    elif rater is None and rater_col in scores.columns and len(scores[rater_col].unique()) > 1:
        msg = (
            f"the {rater_col!r} column holds several raters; pass rater= to choose one "
            "assessment per person"
        )
        raise ValueError(msg)
    if codes is None:
        codes = pd.factorize(scores[person])[0]
    when = occasion(scores, date=date, wave=wave, dayfirst=dayfirst, date_format=date_format)
    keep, which = _restrict(
        scores, which, keep, when, date=date, wave=wave, dayfirst=dayfirst, date_format=date_format
    )
    rows = np.flatnonzero(keep & (codes >= 0))
    if when is None and len(np.unique(codes[rows])) < len(rows):
        msg = (
            f"some people have more than one assessment, but there is no {date!r} or "
            f"{wave!r} column to tell which came first"
        )
        raise ValueError(msg)
    sort_keys = (rows,) if when is None else (when[rows],)
    order = rows[np.lexsort((*sort_keys, codes[rows]))]
    if len(order) == 0:
        return order
    sorted_codes = codes[order]
    if which == "first":
        edge = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]
    else:
        edge = np.r_[sorted_codes[1:] != sorted_codes[:-1], True]
    return order[edge]


def _restrict(
    scores: pd.DataFrame,
    which: Which,
    keep: np.ndarray,
    when: np.ndarray | None,
    *,
    date: str,
    wave: str,
    dayfirst: bool,
    date_format: str | None,
) -> tuple[np.ndarray, str]:
    """Keep the rows a wave number or an "as at" date allows; "first" or "last" to pick."""
    if isinstance(which, str) and which.strip().lower() in ("first", "last"):
        which = which.strip().lower()
    elif _is_wave_number(which):
        if wave not in scores.columns:
            msg = f"a wave number needs a {wave!r} column"
            raise KeyError(msg)
        waves = pd.to_numeric(scores[wave], errors="coerce").to_numpy(dtype=float)
        at = waves == float(which)
        if not (keep & at).any():
            present = ", ".join(f"{w:g}" for w in np.unique(waves[~np.isnan(waves)]))
            msg = f"no assessment at wave {which} (waves present: {present})"
            raise ValueError(msg)
        keep = keep & at
        which = "first"
    else:
        if date not in scores.columns or when is None:
            msg = (
                f"choose 'first', 'last', a wave number or a date; a date needs an {date!r} column"
            )
            raise KeyError(msg)
        cut = as_dates(
            pd.Series([which], dtype=object),
            name="the date asked for",
            dayfirst=dayfirst,
            date_format=date_format,
        )
        keep = keep & (when <= cut.to_numpy(dtype="datetime64[us]").view(np.int64)[0])
        if not keep.any():
            msg = f"no assessment on or before {cut.iloc[0]:%d %B %Y}"
            raise ValueError(msg)
        which = "last"
    return keep, str(which)


def _is_wave_number(which: object) -> bool:
    """An int (numpy's too) or a whole float: a wave number, not a date."""
    if isinstance(which, bool | np.bool_):
        return False
    if isinstance(which, numbers.Integral):
        return True
    return isinstance(which, float | np.floating) and float(which).is_integer()


def occasion(
    scores: pd.DataFrame,
    *,
    date: str = "assessment_date",
    wave: str = "wave",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> np.ndarray | None:
    """When each assessment happened, as comparable integers: the date, else the wave.

    ``None`` when the table has neither column. Dates are the values :func:`score` wrote
    (text from elsewhere is read by the library's one date rule, never guessed).
    """
    if date in scores.columns:
        values = as_dates(scores[date], name=date, dayfirst=dayfirst, date_format=date_format)
        if values.isna().any():
            msg = f"{int(values.isna().sum())} assessment(s) have no {date!r}"
            raise ValueError(msg)
        return np.asarray(values.to_numpy(dtype="datetime64[us]").view(np.int64))
    if wave in scores.columns:
        waves = pd.to_numeric(scores[wave], errors="coerce")
        if waves.isna().any():
            msg = f"{int(waves.isna().sum())} assessment(s) have no {wave!r} number"
            raise ValueError(msg)
        return np.asarray(waves.to_numpy(dtype=float))
    return None


def one_per_person(
    scores: pd.DataFrame,
    which: Which,
    *,
    person: str = "person_id",
    date: str = "assessment_date",
    wave: str = "wave",
    rater_col: str = "rater",
    rater: str | None = "self",
) -> pd.DataFrame:
    """One row per person: their first or last assessment, a given wave, or as at a date.

    Parameters
    ----------
    scores
        A scores (or ratings) table with a ``person`` column.
    which
        ``"first"`` or ``"last"`` (by date, else by wave, else by row order); an ``int`` wave
        number; or a date (``"2026-03-31"``): each person's latest assessment on or before it.
    rater
        When the table has a ``rater`` column, keep only this rater's assessments
        (``None`` keeps all).

    Returns
    -------
    pandas.DataFrame
        The chosen rows, indexed by person.
    """
    rows = choose_rows(
        scores, which, person=person, date=date, wave=wave, rater_col=rater_col, rater=rater
    )
    return scores.iloc[rows].set_index(person)
