"""Choosing one assessment per person: the first, the last, a wave, or as at a date."""

from __future__ import annotations

import pandas as pd

__all__ = ["Which", "one_per_person"]

Which = str | int | pd.Timestamp


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
        (``None`` keeps all, which is only sensible when there is one per occasion).

    Returns
    -------
    pandas.DataFrame
        The chosen rows, indexed by person.
    """
    if person not in scores.columns:
        msg = f"the table has no {person!r} column"
        raise KeyError(msg)
    table = scores
    if rater is not None and rater_col in table.columns:
        if not (table[rater_col] == rater).any():
            found = ", ".join(sorted(map(str, table[rater_col].dropna().unique())))
            msg = f"no assessments with {rater_col} == {rater!r} (found: {found})"
            raise ValueError(msg)
        table = table[table[rater_col] == rater]
    order = [c for c in (date, wave) if c in table.columns]
    if order:
        table = table.sort_values([person, *order], kind="stable")
    if isinstance(which, str) and which in ("first", "last"):
        chosen = (
            table.groupby(person, sort=False).head(1)
            if which == "first"
            else (table.groupby(person, sort=False).tail(1))
        )
    elif isinstance(which, int) and not isinstance(which, bool):
        if wave not in table.columns:
            msg = f"a wave number needs a {wave!r} column"
            raise KeyError(msg)
        chosen = table[table[wave] == which]
    else:
        if date not in table.columns:
            msg = f"a date needs an {date!r} column"
            raise KeyError(msg)
        cutoff = pd.Timestamp(which)
        dates = pd.to_datetime(table[date])
        chosen = table[dates <= cutoff].groupby(person, sort=False).tail(1)
    if chosen[person].duplicated().any():
        msg = (
            "more than one assessment per person was chosen; pass rater= to pick one rater "
            "or remove duplicate assessments"
        )
        raise ValueError(msg)
    return chosen.set_index(person)
