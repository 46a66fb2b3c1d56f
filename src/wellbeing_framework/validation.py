"""Validation of ratings tables: every problem found, nothing dropped silently.

:func:`validate` never raises on bad rows. It returns a :class:`ValidationReport` holding the
rows without problems (``.valid``), the rows with problems (``.rejected``, with a ``problems``
column) and one row per problem (``.errors``: ``row``, ``column``, ``value``, ``problem``).
Always ``report.n_rows == len(report.valid) + len(report.rejected)``.

Privacy: an error never shows a person identifier, a date or any free text from the data. The
``value`` column holds a rating only when it is a number (or a boolean); text is never copied.
"""

from __future__ import annotations

import html
from typing import Any, Literal

import numpy as np
import pandas as pd
from attrs import frozen

from wellbeing_framework.check_duplicates import check_duplicates, long_duplicates
from wellbeing_framework.check_ids import check_ids
from wellbeing_framework.check_ratings import add_rating_problems, rating_block, rating_values
from wellbeing_framework.check_structure import (
    ColumnsOption,
    check_cells,
    check_columns,
    long_indicator_codes,
    prepare_columns,
)
from wellbeing_framework.dates import DateRule
from wellbeing_framework.engines import engine_for
from wellbeing_framework.framework import Framework
from wellbeing_framework.problems import (
    SHEET_ROW,
    Problems,
    problems_by_row,
    rows_with_problems,
    sheet_numbers,
    with_sheet_rows,
)
from wellbeing_framework.shapes import (
    INDICATOR_COL,
    RATING_COL,
    assessment_groups,
    detect_shape,
    rating_keys,
)

__all__ = ["Checked", "ValidationReport", "check", "validate"]


@frozen(kw_only=True, eq=False)
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    shape : {"wide", "long"}
        The shape the input was read as.
    n_rows : int
        Rows in the input.
    valid : pandas.DataFrame
        The input rows without problems, with their original index (for Dask input: a lazy
        Dask DataFrame).
    rejected : pandas.DataFrame
        The input rows with problems, with their original index, plus a ``problems`` column
        (every problem of the row, each after the column it is in, joined by ``"; "``).
    errors : pandas.DataFrame
        One row per problem: ``row`` (0-based position in the input; missing for a problem
        with the whole table), ``sheet_row`` (the row as the person sees it in their file:
        header row 1, first data row 2; from the index :func:`read_ratings` gives, else the
        position + 2), ``column``, ``value`` (a numeric rating or missing; never text or an
        identifier) and ``problem``.
    framework_key, framework_version : str
        The framework the data were checked against.
    notes : tuple of str
        What the person should know that is not a problem: each header read as one of the
        framework's names, and columns that look like ratings but were not used.
    """

    shape: Literal["wide", "long"]
    n_rows: int
    valid: Any
    rejected: pd.DataFrame
    errors: pd.DataFrame
    framework_key: str
    framework_version: str
    n_valid_rows: int | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return self.errors.empty

    @property
    def n_valid(self) -> int:
        """Rows without problems."""
        return len(self.valid) if self.n_valid_rows is None else self.n_valid_rows

    @property
    def n_rejected(self) -> int:
        """Rows with at least one problem."""
        return len(self.rejected)

    @property
    def n_errors(self) -> int:
        """Problems found (a row may have several)."""
        return len(self.errors)

    def counts(self) -> pd.Series:
        """Return how many times each kind of problem occurred, most frequent first."""
        kinds = self.errors["problem"].str.replace(r"\(.*\)$", "", regex=True).str.strip()
        return kinds.value_counts().rename("count")

    def summary(self, limit: int = 20, *, sheet_rows: bool = False, notes: bool = True) -> str:
        """Return a readable account: counts, notes, then up to ``limit`` problems.

        Each problem names its row (0-based position, and the row as seen in the file) and
        column; ``sheet_rows=True`` names only the row as seen in the file (for a person
        looking at their spreadsheet). ``notes=False`` leaves out the notes.

        Examples
        --------
        >>> import pandas as pd
        >>> import wellbeing_framework as wf
        >>> report = wf.validate(pd.DataFrame({"person_id": ["p1", "p2"], "rb1": [3, 9]}),
        ...                      wf.load_framework())
        >>> print(report.summary())
        2 rows: 1 valid, 1 rejected (1 problem)
          note: no column for rb2, rb3, rb4, pm1 and 13 more: scored without them
          row 1 (sheet row 3), column rb1: out of range (expected a whole number from 1 to 5)
        """
        noun = "problem" if self.n_errors == 1 else "problems"
        head = (
            f"{self.n_rows} rows: {self.n_valid} valid, {self.n_rejected} rejected "
            f"({self.n_errors} {noun})"
        )
        lines = [head, *(f"  note: {n}" for n in self.notes if notes)]
        shown = self.errors.head(limit)[["row", SHEET_ROW, "column", "problem"]]
        for row, sheet_row, column, problem in shown.itertuples(index=False):
            if pd.isna(row):
                where = "table"
            elif sheet_rows:
                where = f"sheet row {int(sheet_row)}"
            else:
                where = f"row {int(row)} (sheet row {int(sheet_row)})"
            if isinstance(column, str):
                where += f", column {column}"
            lines.append(f"  {where}: {problem}")
        if self.n_errors > limit:
            more = "the --rejected file" if sheet_rows else "report.errors"
            lines.append(f"  ... and {self.n_errors - limit} more (see {more})")
        return "\n".join(lines)

    def __repr__(self) -> str:
        status = "ok" if self.ok else f"{self.n_errors} problems"
        return (
            f"ValidationReport({self.shape}, {self.n_rows} rows: {self.n_valid} valid, "
            f"{self.n_rejected} rejected; {status})"
        )

    def _repr_html_(self) -> str:
        colour = "#00703c" if self.ok else "#d4351c"
        status = "no problems" if self.ok else f"{self.n_errors} problems"
        head = (
            f'<p><strong style="color:{colour}">{status}</strong>: {self.n_rows} rows '
            f"({self.shape}) checked against <code>{html.escape(self.framework_key)}</code> "
            f"v{html.escape(self.framework_version)}; {self.n_valid} valid, "
            f"{self.n_rejected} rejected.</p>"
        )
        if self.ok:
            return f"<div>{head}</div>"
        table = self.errors.head(50).to_html(index=False, na_rep="", escape=True)
        more = f"<p>... {self.n_errors - 50} more</p>" if self.n_errors > 50 else ""
        return f"<div>{head}{table}{more}</div>"


def id_options(
    person: str | None,
    date: str | None,
    rater: str | None,
    dayfirst: bool,
    date_format: str | None,
) -> dict[str, Any]:
    """The identifying columns and the date rule, as keywords to pass on (internal)."""
    return {
        "person": person,
        "date": date,
        "rater": rater,
        "dayfirst": dayfirst,
        "date_format": date_format,
    }


@frozen(kw_only=True, eq=False)
class Checked:
    """Everything :func:`validate` learns, reused by scoring (internal).

    ``ratings`` is one row per assessment (wide order) and one column per rated key, as
    floats with NaN for a missing or invalid rating; ``ids`` holds the identifying and
    pass-through columns per assessment; ``bad`` marks input rows with a problem.
    """

    framework: Framework
    shape: Literal["wide", "long"]
    data: pd.DataFrame
    keys: tuple[str, ...]
    ratings: np.ndarray
    ids: pd.DataFrame
    errors: pd.DataFrame
    bad: np.ndarray
    dates: pd.Series | None = None
    date_column: str | None = None
    notes: tuple[str, ...] = ()

    def report(self) -> ValidationReport:
        """Build the public report (copies the valid and rejected rows).

        The valid rows carry their dates as read (``datetime64``), so no later step reads
        the text again; the rejected rows keep the text as it was, to be corrected.
        """
        bad = self.bad
        valid = self.data.loc[~bad] if bad.any() else self.data.copy()
        if self.dates is not None and self.date_column is not None:
            read = self.dates.to_numpy()
            valid = valid.assign(**{self.date_column: read[~bad] if bad.any() else read})
        rejected = self.data.loc[bad].copy()
        if len(rejected):
            per_row = problems_by_row(self.errors, np.flatnonzero(bad))
            rejected["problems"] = per_row
        else:
            rejected["problems"] = pd.Series(dtype=object)
        return ValidationReport(
            shape=self.shape,
            n_rows=len(self.data),
            valid=valid,
            rejected=rejected,
            errors=with_sheet_rows(self.errors, self.data.index),
            framework_key=self.framework.key,
            framework_version=self.framework.version,
            notes=self.notes,
        )


def validate(
    data: pd.DataFrame,
    framework: Framework,
    *,
    columns: ColumnsOption = None,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    rater: str | None = "rater",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> ValidationReport:
    """Check a ratings table against a framework and report every problem.

    Never raises on bad rows: each problem becomes a row of ``report.errors`` and each row
    with a problem goes to ``report.rejected``; nothing is dropped silently.

    Parameters
    ----------
    data
        Wide (one column per indicator key) or long (``indicator`` and ``rating`` columns)
        ratings; other columns pass through.
    framework
        The framework the ratings answer.
    columns
        How the table's own headers map to the framework's names: a mapping such as
        ``{"Client ID": "person_id", "RB1 score": "rb1"}``, or a JSON mapping file (see
        :func:`~wellbeing_framework.suggest_columns`). Other headers that match a name
        exactly once case, spaces and punctuation are ignored (``RB1``, ``Quality of
        Life``, ``Client ID``) are read as that name; every rename is listed in
        ``report.notes``.
    person
        Column identifying the person (every row needs one). ``None`` if the data carry no
        person identifier.
    date
        Column holding the assessment date, checked when present and read by the library's
        one date rule (see ``wellbeing_framework.dates``): ISO ``YYYY-MM-DD`` always, dates
        written with the year last (``10/03/2025``) day first.
    rater
        Column naming who rated (``"self"``, ``"practitioner"`` ...), used with ``person``
        and ``date`` to find the same assessment entered twice.
    dayfirst
        Read year-last dates day first (the default, as in the UK); ``False`` reads them
        month first.
    date_format
        A ``strptime`` format for every text date instead of the rule.

    Returns
    -------
    ValidationReport
        ``.ok``, ``.valid``, ``.rejected`` (with ``problems``), ``.errors`` (``row``,
        ``column``, ``value``, ``problem``), counts and a notebook display.

    Notes
    -----
    Problems found: a rating that is not a number, not a whole number on the scale (2.5), out
    of range, or a boolean; an unknown or repeated indicator (long data); the same assessment
    (person, date, wave and rater, those present) twice; a missing or unreadable date, a date
    written differently from the rest of its column, or one with a time zone among dates
    without; a
    missing person identifier; no rows; no indicator columns; a column that looks like a
    misspelt indicator (``sw_1`` for ``sw1``). A problem with the whole table rejects every
    row. In long data a problem on one row rejects every row of that assessment, so no
    assessment is scored on part of its answers. A missing rating is not a problem: it is an
    unanswered item.

    Examples
    --------
    >>> import pandas as pd
    >>> import wellbeing_framework as wf
    >>> fw = wf.load_framework()
    >>> data = pd.DataFrame({"person_id": ["p1", "p2", "p3"],
    ...                      "rb1": [4, 2.5, "lots"], "sw5": [1, 5, True]})
    >>> report = wf.validate(data, fw)
    >>> report.ok, report.n_valid, report.n_rejected
    (False, 1, 2)
    >>> report.errors[["row", "column", "value"]]
       row column value
    0    1    rb1   2.5
    1    2    rb1  <NA>
    2    2    sw5  True
    >>> for problem in report.errors["problem"]:
    ...     print(problem)
    not on the scale (expected a whole number from 1 to 5)
    not a number (expected a whole number from 1 to 5)
    a boolean, not a rating (expected a whole number from 1 to 5)
    """
    options = id_options(person, date, rater, dayfirst, date_format)
    engine = engine_for(data)
    if engine is not None:
        return engine.validate(data, framework, **options)
    return check(data, framework, columns=columns, **options).report()


def check(
    data: pd.DataFrame,
    framework: Framework,
    *,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    rater: str | None = "rater",
    partition: bool = False,
    dayfirst: bool = True,
    date_format: str | None = None,
    columns: ColumnsOption = None,
) -> Checked:
    """Run every check and keep what scoring needs (internal; see :func:`validate`).

    ``partition=True`` checks one partition of a larger dataset (the Dask engine): the
    search for the same assessment entered twice is left to the caller, which searches the
    whole dataset, and an empty partition is no problem.
    """
    if not isinstance(data, pd.DataFrame):
        msg = f"ratings must be a pandas DataFrame, got {type(data).__name__}"
        raise TypeError(msg)
    problems = Problems()
    data = prepare_columns(data, framework, columns, problems)
    shape = detect_shape(data)
    if len(data) == 0 and not partition:
        problems.table("the table has no rows")
    dates = DateRule(dayfirst=dayfirst, date_format=date_format)
    if shape == "long":
        return _check_long(
            data, framework, problems, person=person, date=date, rater=rater, dates=dates
        )
    return _check_wide(
        data,
        framework,
        problems,
        person=person,
        date=date,
        rater=rater,
        duplicates=not partition,
        dates=dates,
    )


def _nothing_rated(
    ratings: np.ndarray, present: list[str], sheet: np.ndarray, problems: Problems
) -> None:
    """Rows in which every rating is empty (a total or a note typed below the table, or an
    assessment not done) are scored as missing, by the rules; a note names them."""
    if not present or ratings.size == 0:
        return
    blank = np.isnan(ratings[:, 0])
    for j in range(1, ratings.shape[1]):  # column by column, stopping when none is left
        if not blank.any():
            return
        blank &= np.isnan(ratings[:, j])
    flagged = [b["row"].to_numpy() for b in problems.blocks if b["row"].notna().all()]
    if flagged and blank.any():  # a row with a problem says so already
        blank[np.concatenate(flagged).astype(np.intp)] = False
    empty = np.flatnonzero(blank)
    if len(empty):
        shown = ", ".join(map(str, sheet[empty[:10]])) + (" ..." if len(empty) > 10 else "")
        problems.note(
            f"{len(empty)} rows have nothing rated (sheet rows {shown}): a total or a note "
            "below the table? They are scored as missing"
        )


def _ids(person: str | None, date: str | None, rater: str | None) -> list[str]:
    """The identifying columns of an assessment."""
    return [c for c in (person, date, rater, "wave") if c is not None]


def _check_wide(
    data: pd.DataFrame,
    framework: Framework,
    problems: Problems,
    *,
    person: str | None,
    date: str | None,
    rater: str | None,
    duplicates: bool = True,
    dates: DateRule,
) -> Checked:
    keys = rating_keys(framework)
    n = len(data)
    check_columns(data, framework, keys, problems)
    data = check_cells(data, [*keys, *_ids(person, date, rater)], problems)
    ratings = rating_block(data, keys, framework, problems)
    present = [k for k in keys if k in data.columns]
    _nothing_rated(ratings, present, sheet_numbers(data.index), problems)
    parsed_date = check_ids(data, problems, person=person, date=date, rule=dates)
    if duplicates:
        check_duplicates(
            data,
            parsed_date,
            problems,
            person=person,
            date=date,
            rater=rater,
            row_labels=sheet_numbers(data.index),
        )

    errors = problems.frame()
    bad_rows = rows_with_problems(errors, n)
    ids = data[[c for c in data.columns if c not in keys]]
    if parsed_date is not None and date is not None:  # scores carry the dates as read
        ids = ids.assign(**{date: parsed_date.to_numpy()})
    return Checked(
        framework=framework,
        shape="wide",
        data=data,
        keys=keys,
        ratings=ratings,
        ids=ids,
        errors=errors,
        bad=bad_rows,
        dates=parsed_date,
        date_column=date,
        notes=tuple(problems.notes),
    )


def _spread_to_assessments(
    problems: Problems, group: np.ndarray, n: int, sheet: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray]:
    """A problem anywhere in an assessment rejects all of its rows, saying where (the sheet
    row of its first problem)."""
    errors = problems.frame()
    bad_rows = rows_with_problems(errors, n)
    if not bad_rows.any():
        return errors, bad_rows
    spread = np.isin(group, np.unique(group[bad_rows])) & ~bad_rows
    if spread.any():
        rows = np.flatnonzero(spread)
        first_bad = pd.Series(np.flatnonzero(bad_rows), index=group[bad_rows])
        first_bad = first_bad[~first_bad.index.duplicated()]
        texts = [
            f"rejected with its assessment (problem in sheet row {sheet[first_bad[g]]})"
            for g in group[rows]
        ]
        problems.rows(rows, None, texts)
        errors = problems.frame()
        bad_rows = rows_with_problems(errors, n)
    return errors, bad_rows


def _check_long(
    data: pd.DataFrame,
    framework: Framework,
    problems: Problems,
    *,
    person: str | None,
    date: str | None,
    rater: str | None,
    dates: DateRule,
) -> Checked:
    keys = rating_keys(framework)
    n = len(data)
    used = [INDICATOR_COL, RATING_COL, *_ids(person, date, rater)]
    data = check_cells(data, used, problems)
    codes = long_indicator_codes(data[INDICATOR_COL], keys, problems)
    values, found = rating_values(data[RATING_COL], framework)
    add_rating_problems(problems, found, RATING_COL)
    parsed_date = check_ids(data, problems, person=person, date=date, rule=dates)
    # an assessment is identified by its dates as read, not as typed (" 10/03/2025 ")
    grouping = data if parsed_date is None or date is None else data.assign(**{date: parsed_date})
    group, id_cols = assessment_groups(grouping)
    known = codes >= 0
    repeated = pd.DataFrame({"g": group[known], "k": codes[known]}).duplicated(keep=False)
    problems.rows(
        np.flatnonzero(known)[repeated.to_numpy()],
        INDICATOR_COL,
        "indicator rated more than once in the same assessment",
    )
    _, first = np.unique(group, return_index=True)
    ids = grouping[id_cols].iloc[first].reset_index(drop=True)
    first_dates = None if parsed_date is None else parsed_date.iloc[first].reset_index(drop=True)
    sheet = sheet_numbers(data.index)
    long_duplicates(ids, first_dates, group, first, problems, person, date, rater, sheet)
    ratings = np.full((len(first), len(keys)), np.nan)
    ok_cells = known & ~np.isnan(values)
    ratings[group[ok_cells], codes[ok_cells]] = values[ok_cells]
    errors, bad_rows = _spread_to_assessments(problems, group, n, sheet)
    return Checked(
        framework=framework,
        shape="long",
        data=data,
        keys=keys,
        ratings=ratings,
        ids=ids,
        errors=errors,
        bad=bad_rows,
        dates=parsed_date,
        date_column=date,
        notes=tuple(problems.notes),
    )
