"""Assessment dates: one rule, applied once.

Dates are read in exactly one place, by one documented rule, so that every later step works on
real dates and no step guesses a format:

- date cells (``datetime64`` columns, Excel date cells, ``datetime``/``date`` objects) are
  taken as they are; a time zone is converted to UTC and dropped;
- text in ISO 8601 (``2025-03-10``, optionally with a time) is always read as year, month, day;
- text written with the year last (``10/03/2025``, ``10.03.2025``, ``10-03-2025``) is read
  **day first** by default, as in the UK; ``dayfirst=False`` reads it month first;
- ``date_format="%d %b %Y"`` (a ``strptime`` format) reads every text
  value by that format instead;
- anything else (a two-digit year, ``31/02/2025``, a number, free text) is not a date;
- a column that mixes ISO dates with year-last dates is suspect (a person may have typed
  some dates from another system): the rows written the less common way are a problem;
- a date with a time zone among dates without one is a problem (its day is uncertain).

:func:`~wellbeing_framework.validate` reports each of these as a problem of that row;
:func:`~wellbeing_framework.score` writes the parsed dates into the scores table, and the
cohort functions use those values.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd
from attrs import frozen

__all__ = ["DATE_EXPECTED", "DateRule", "ParsedDates", "as_dates", "parse_dates"]

#: What a readable date looks like, for messages.
DATE_EXPECTED = "expected YYYY-MM-DD or DD/MM/YYYY, with a four-digit year"

_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_ISO_ZONED = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$"
)
_YEAR_LAST = re.compile(
    r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


@frozen(kw_only=True)
class DateRule:
    """How text dates are read: day first or not, or by an explicit format."""

    dayfirst: bool = True
    date_format: str | None = None


@frozen(kw_only=True, eq=False)
class ParsedDates:
    """The result of reading a date column: values and the rows that could not be read.

    Attributes
    ----------
    values : pandas.Series
        ``datetime64`` values (no time zone), ``NaT`` where missing or not readable; the
        input's index.
    missing : numpy.ndarray
        Rows with no date (empty cell, or text of only spaces).
    unreadable : numpy.ndarray
        Rows whose value is not a date by the rule.
    other_format : numpy.ndarray
        Rows written the less common way in a column that mixes ISO and year-last dates.
    zoned : numpy.ndarray
        Rows carrying a time zone among dates without one.
    majority : str or None
        The format most of the column is written in (``"YYYY-MM-DD"`` or ``"DD/MM/YYYY"``).
    impossible : numpy.ndarray or None
        Among ``unreadable``: rows written like a date that does not exist (31/02/2025).
    month_first : numpy.ndarray or None
        Among ``unreadable``: rows that read as a date only month first (03/25/2025).
    """

    values: pd.Series
    missing: np.ndarray
    unreadable: np.ndarray
    other_format: np.ndarray
    zoned: np.ndarray
    majority: str | None = None
    impossible: np.ndarray | None = None
    month_first: np.ndarray | None = None

    @property
    def problems(self) -> np.ndarray:
        """Rows with any problem other than a missing date."""
        return np.asarray(self.unreadable | self.other_format | self.zoned, dtype=bool)


def _blank(values: pd.Series) -> np.ndarray:
    missing = values.isna().to_numpy(dtype=bool)
    text = np.fromiter(
        (isinstance(v, str) and not v.strip() for v in values.to_numpy(dtype=object)),
        dtype=bool,
        count=len(values),
    )
    return np.asarray(missing | text, dtype=bool)


def _naive(values: pd.Series) -> pd.Series:
    """Datetime values without a time zone (zoned ones converted to UTC first)."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        converted: pd.Series = values.dt.tz_convert("UTC").dt.tz_localize(None)
        return converted
    return values


def _year_last(text: str, dayfirst: bool) -> tuple[pd.Timestamp | None, str]:
    """A year-last date: (timestamp, "dmy"), or (None, why it is not one)."""
    match = _YEAR_LAST.match(text)
    if match is None:
        return None, "bad"
    a, _, b, year, hour, minute, second = match.groups()
    day, month = (int(a), int(b)) if dayfirst else (int(b), int(a))
    try:
        stamp = pd.Timestamp(
            _dt.datetime(
                int(year),
                month,
                day,
                int(hour or 0),
                int(minute or 0),
                int(second or 0),
            )
        )
    except ValueError:
        swapped = dayfirst and month > 12 and 1 <= day <= 12 and month <= 31
        return None, "month_first" if swapped else "impossible"
    return stamp, "dmy"


def _one(value: Any, dayfirst: bool) -> tuple[Any, str]:
    """Read one non-blank value: (timestamp or None, kind)."""
    if isinstance(value, bool | np.bool_):
        return None, "bad"
    if isinstance(value, pd.Timestamp | _dt.datetime | np.datetime64):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            return stamp.tz_convert("UTC").tz_localize(None), "zoned"
        return stamp, "cell"
    if isinstance(value, _dt.date):
        return pd.Timestamp(value), "cell"
    if not isinstance(value, str):
        return None, "bad"
    text = value.strip()
    if _ISO.match(text):
        try:
            return pd.Timestamp(text), "iso"
        except ValueError:
            return None, "impossible"
    if _ISO_ZONED.match(text):
        try:
            stamp = pd.Timestamp(text)
        except ValueError:
            return None, "bad"
        return stamp.tz_convert("UTC").tz_localize(None), "zoned"
    return _year_last(text, dayfirst)


_FAST_SHAPES = (
    (r"\d{4}-\d{2}-\d{2}", "%Y-%m-%d", "YYYY-MM-DD"),
    (r"\d{2}/\d{2}/\d{4}", "%d/%m/%Y", "DD/MM/YYYY"),
)


def _fast(values: pd.Series, dayfirst: bool) -> tuple[pd.Series, str] | None:
    """Every value text of one fixed shape: parsed in one vectorised call."""
    if not (pd.api.types.is_string_dtype(values.dtype) or values.dtype == object):
        return None
    mask = values.notna().to_numpy(dtype=bool)
    present = values[mask]
    if len(present) == 0 or pd.api.types.infer_dtype(present, skipna=True) != "string":
        return None
    text = present.str.strip()
    for pattern, fmt, name in _FAST_SHAPES:
        if not bool(text.str.fullmatch(pattern).all()):
            continue
        if fmt.startswith("%d") and not dayfirst:
            fmt, name = "%m/%d/%Y", "MM/DD/YYYY"
        parsed = pd.to_datetime(text, format=fmt, errors="coerce").to_numpy()
        if np.isnat(parsed).any():
            return None  # some cannot be read: the slow path says why, row by row
        out = np.full(len(values), np.datetime64("NaT"), dtype=parsed.dtype)
        out[mask] = parsed
        return pd.Series(out, index=values.index), name
    return None


def _read_each(
    raw: np.ndarray, missing: np.ndarray, dayfirst: bool, date_format: str | None
) -> tuple[list[Any], np.ndarray]:
    """Read value by value: each one's timestamp (or NaT) and what kind of value it was."""
    stamps: list[Any] = [pd.NaT] * len(raw)
    kinds = np.full(len(raw), "", dtype=object)
    for i in np.flatnonzero(~missing):
        value = raw[i]
        if date_format is not None and isinstance(value, str):
            try:
                stamp = pd.Timestamp(_dt.datetime.strptime(value.strip(), date_format))
            except ValueError:
                stamps[i], kinds[i] = pd.NaT, "bad"
                continue
            if stamp.tzinfo is not None:  # a %z format: to UTC, like other zoned dates
                stamps[i], kinds[i] = stamp.tz_convert("UTC").tz_localize(None), "zoned"
            else:
                stamps[i], kinds[i] = stamp, "text"
            continue
        read, kind = _one(value, dayfirst)
        stamps[i], kinds[i] = (pd.NaT if read is None else read), kind
    return stamps, kinds


def _minority_format(kinds: np.ndarray, dayfirst: bool) -> tuple[np.ndarray, str | None]:
    """Rows written the less common way when ISO and year-last dates mix; the majority."""
    iso, dmy = kinds == "iso", kinds == "dmy"
    year_last = "DD/MM/YYYY" if dayfirst else "MM/DD/YYYY"
    if iso.any() and dmy.any():
        iso_first = bool(iso.sum() >= dmy.sum())
        return (dmy if iso_first else iso), ("YYYY-MM-DD" if iso_first else year_last)
    majority = "YYYY-MM-DD" if iso.any() else year_last if dmy.any() else None
    return np.zeros(len(kinds), dtype=bool), majority


def parse_dates(
    values: pd.Series, *, dayfirst: bool = True, date_format: str | None = None
) -> ParsedDates:
    """Read a column of assessment dates by the library's one date rule.

    Parameters
    ----------
    values
        The column as read from the data: date cells, text, or a mixture.
    dayfirst
        Read year-last dates (``10/03/2025``) day first (the default, as in the UK);
        ``False`` reads them month first.
    date_format
        A ``strptime`` format used for every text value instead of
        the rule.

    Returns
    -------
    ParsedDates
        The dates and, separately, the rows with no date, with an unreadable date, written
        in a minority format, or with a time zone.

    Examples
    --------
    >>> import pandas as pd
    >>> parsed = parse_dates(pd.Series(["10/03/2025", "2025-03-11", "31/02/2025", ""]))
    >>> parsed.values.dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-10', '2025-03-11', nan, nan]
    >>> parsed.unreadable.tolist(), parsed.missing.tolist()
    ([False, False, True, False], [False, False, False, True])
    """
    series = pd.Series(values)
    n = len(series)
    none = np.zeros(n, dtype=bool)
    if isinstance(series.dtype, pd.ArrowDtype) and not pd.api.types.is_string_dtype(
        series.dtype
    ):  # Arrow dates and timestamps: read as Python objects, like Excel cells
        series = pd.Series(series.astype(object).to_numpy(), index=series.index, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        out = _naive(series)
        return ParsedDates(
            values=out,
            missing=out.isna().to_numpy(dtype=bool),
            unreadable=none,
            other_format=none.copy(),
            zoned=none.copy(),
            majority=None,
        )
    missing = _blank(series)
    if date_format is None:
        fast = _fast(series, dayfirst)
        if fast is not None:
            return ParsedDates(
                values=fast[0],
                missing=missing,
                unreadable=fast[0].isna().to_numpy(dtype=bool) & ~missing,
                other_format=none.copy(),
                zoned=none.copy(),
                majority=fast[1],
            )
    stamps, kinds = _read_each(series.to_numpy(dtype=object), missing, dayfirst, date_format)
    other, majority = _minority_format(kinds, dayfirst)
    zoned = kinds == "zoned"
    if not (kinds[~missing] != "zoned").any():
        zoned = np.zeros(n, dtype=bool)  # every date zoned: converted to UTC, no doubt
    # microseconds: every year from 1 to 9999 fits (nanoseconds stop in 2262)
    micro = np.array(
        [np.datetime64("NaT") if s is pd.NaT else s.to_datetime64() for s in stamps],
        dtype="datetime64[us]",
    )
    parsed = pd.Series(micro, index=series.index)
    impossible = np.asarray(kinds == "impossible", dtype=bool)
    month_first = np.asarray(kinds == "month_first", dtype=bool)
    return ParsedDates(
        values=parsed,
        missing=missing,
        unreadable=np.asarray(kinds == "bad", dtype=bool) | impossible | month_first,
        other_format=np.asarray(other, dtype=bool),
        zoned=np.asarray(zoned, dtype=bool),
        majority=majority,
        impossible=impossible,
        month_first=month_first,
    )


def as_dates(
    values: pd.Series,
    *,
    name: str = "assessment_date",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> pd.Series:
    """Dates for analysis: date values as they are; text read by the one rule, or an error.

    Cohort functions call this on a scores table: :func:`~wellbeing_framework.score` has
    already written real dates there, so this only reads text when a table came from
    elsewhere, and then by the same rule as :func:`~wellbeing_framework.validate`.

    Raises
    ------
    ValueError
        If any value cannot be read as a date (the message gives the rows, never a value).

    Examples
    --------
    >>> import pandas as pd
    >>> as_dates(pd.Series(["02/03/2025", "04/03/2025"])).dt.day.tolist()
    [2, 4]
    """
    parsed = parse_dates(values, dayfirst=dayfirst, date_format=date_format)
    bad = np.flatnonzero(parsed.problems)
    if len(bad):
        rows = ", ".join(str(r) for r in bad[:5]) + (", ..." if len(bad) > 5 else "")
        msg = (
            f"{len(bad)} value(s) of {name!r} are not dates by the library's rule "
            f"({DATE_EXPECTED}; no mixing of formats): rows {rows}; validate the data first"
        )
        raise ValueError(msg)
    return parsed.values
