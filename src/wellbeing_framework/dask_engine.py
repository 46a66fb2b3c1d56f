"""The same validation, scoring and cohort summaries on Dask, for data beyond one machine.

Install with ``pip install "wellbeing-framework[dask]"``. :func:`~wellbeing_framework.validate`,
:func:`~wellbeing_framework.score`, :func:`~wellbeing_framework.place_on_continuum`,
:func:`~wellbeing_framework.cohort.snapshot` and
:func:`~wellbeing_framework.cohort.compare_groups` accept a ``dask.dataframe.DataFrame`` and
come here. Wide data only (one row per assessment); convert long data with
:func:`~wellbeing_framework.to_wide` per partition first.

How it stays correct and bounded in memory:

- validation runs partition by partition; only the problems come back, with row numbers
  offset by the lengths of the partitions before, so they still identify the row;
- the same assessment entered twice in different partitions is found from a 64-bit hash of
  each row's identifying columns (8 bytes a row), gathered once;
- scoring and placement are row by row, so they stay lazy (``map_partitions``);
- cohort summaries are reductions (counts, sums) computed by Dask; only the final small
  tables reach the disclosure policy.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from wellbeing_framework.check_duplicates import duplicate_texts
from wellbeing_framework.continuum import place_on_continuum
from wellbeing_framework.continuum_rules import ContinuumRules
from wellbeing_framework.dates import DateRule, as_dates, parse_dates
from wellbeing_framework.engines import is_dask
from wellbeing_framework.exceptions import ValidationError
from wellbeing_framework.framework import Framework
from wellbeing_framework.problems import Problems, problems_by_row, with_sheet_rows
from wellbeing_framework.rules import ScoringRules
from wellbeing_framework.scoring import score_checked
from wellbeing_framework.validation import ValidationReport, check, id_options

if TYPE_CHECKING:
    from wellbeing_framework.cohort.select import Which

__all__ = [
    "DaskEngine",
    "is_dask",
    "one_per_person",
    "place_dask",
    "score_dask",
    "score_valid_dask",
    "validate_dask",
]


def _key_hashes(
    part: pd.DataFrame,
    person: str | None,
    date: str | None,
    rater: str | None,
    dates: DateRule,
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: a hash of (person, date, wave, rater), and whether the row can be compared."""
    if person is None or person not in part.columns:
        return np.zeros(len(part), dtype=np.uint64), np.zeros(len(part), dtype=bool)
    columns: dict[str, Any] = {"person": part[person].astype(str).to_numpy(dtype=object)}
    usable = part[person].notna().to_numpy()
    if date is not None and date in part.columns:
        parsed = parse_dates(
            part[date], dayfirst=dates.dayfirst, date_format=dates.date_format
        ).values
        columns["date"] = parsed.to_numpy(dtype="datetime64[us]").view(np.int64)
        usable = usable & parsed.notna().to_numpy()
    for extra in ("wave", rater):
        if extra is not None and extra in part.columns:
            columns[extra] = part[extra].astype(str).to_numpy(dtype=object)
    frame = pd.DataFrame(columns)
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)
    return hashes, usable


def _key_parts(data: Any, person: str | None, date: str | None, rater: str | None) -> list[str]:
    names = {"person": person, "date": date, "wave": "wave", "rater": rater}
    return [p for p, column in names.items() if column is not None and column in data.columns]


def _partition_pass(
    part: pd.DataFrame,
    offset: int,
    framework: Framework,
    person: str | None,
    date: str | None,
    rater: str | None,
    dates: DateRule,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    checked = check(
        part,
        framework,
        person=person,
        date=date,
        rater=rater,
        partition=True,
        dayfirst=dates.dayfirst,
        date_format=dates.date_format,
    )
    errors: pd.DataFrame = checked.errors.copy()
    errors["row"] = errors["row"] + offset
    hashes, usable = _key_hashes(part, person, date, rater, dates)
    return errors, hashes, usable


def validate_dask(
    data: Any,
    framework: Framework,
    *,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    rater: str | None = "rater",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> ValidationReport:
    """Validate a Dask DataFrame: problems gathered across partitions, rows kept lazy.

    Returns a :class:`~wellbeing_framework.ValidationReport` whose ``valid`` is a lazy Dask
    DataFrame, and whose ``rejected`` and ``errors`` are small pandas tables; row numbers are
    positions in the whole dataset.
    """
    import dask

    lengths = data.map_partitions(len).compute()
    offsets = np.r_[0, np.cumsum(np.asarray(lengths))[:-1]].astype(np.int64)
    dates = DateRule(dayfirst=dayfirst, date_format=date_format)
    passes = [
        dask.delayed(_partition_pass)(p, int(o), framework, person, date, rater, dates)
        for p, o in zip(data.to_delayed(), offsets, strict=True)
    ]
    results = dask.compute(*passes)
    errors = _gathered_errors(results, _key_parts(data, person, date, rater))
    n_rows = int(np.sum(lengths))
    if n_rows == 0:
        empty = Problems()
        empty.table("the table has no rows")
        errors = pd.concat([empty.frame(), errors], ignore_index=True)
    if errors["row"].isna().any():
        bad = np.arange(n_rows)
    else:
        bad = np.unique(errors["row"].to_numpy(dtype=np.int64))
    valid, rejected = _split_rows(data, errors, bad, offsets)
    return ValidationReport(
        shape="wide",
        n_rows=n_rows,
        valid=valid,
        rejected=rejected,
        errors=with_sheet_rows(errors),
        framework_key=framework.key,
        framework_version=framework.version,
        n_valid_rows=n_rows - len(bad),
    )


def _gathered_errors(results: Any, parts: list[str]) -> pd.DataFrame:
    """Every partition's problems in one table, plus assessments repeated across them."""
    errors = pd.concat([r[0] for r in results], ignore_index=True)
    table_level = errors["row"].isna()
    if table_level.any():  # every partition reports the same table problem: keep one
        errors = pd.concat(
            [errors[table_level].drop_duplicates(subset=["problem"]), errors[~table_level]],
            ignore_index=True,
        )
    hashes = np.concatenate([r[1] for r in results]) if results else np.empty(0, np.uint64)
    usable = np.concatenate([r[2] for r in results]) if results else np.empty(0, bool)
    duplicated = pd.Series(hashes).duplicated(keep=False).to_numpy() & usable
    if duplicated.any():
        rows = np.flatnonzero(duplicated)
        group = pd.factorize(hashes[rows])[0]
        first = pd.Series(rows).groupby(group).transform("min").to_numpy()
        second = pd.Series(rows).groupby(group).transform(lambda r: r.iloc[1]).to_numpy()
        other = np.where(rows == first, second, first)
        duplicates = pd.DataFrame(
            {
                "row": rows,
                "column": None,
                "value": pd.NA,
                "problem": duplicate_texts(parts, other + 2),
            }
        )
        errors = pd.concat([errors, duplicates], ignore_index=True)
    errors["row"] = errors["row"].astype("Int64")
    for column in ("value", "column", "problem"):
        errors[column] = errors[column].astype(object)
    ordered: pd.DataFrame = errors.sort_values("row", kind="stable", na_position="first")
    return ordered.reset_index(drop=True)


def _split_rows(
    data: Any, errors: pd.DataFrame, bad: np.ndarray, offsets: np.ndarray
) -> tuple[Any, pd.DataFrame]:
    """The valid rows (lazy) and the rejected rows with their problems (computed)."""

    def local(part: pd.DataFrame, partition_info: dict[str, Any] | None) -> np.ndarray:
        start = int(offsets[0 if partition_info is None else partition_info["number"]])
        rows: np.ndarray = bad[(bad >= start) & (bad < start + len(part))] - start
        return rows

    def keep(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
        mask = np.ones(len(part), dtype=bool)
        mask[local(part, partition_info)] = False
        return part[mask]

    def reject(part: pd.DataFrame, partition_info: dict[str, Any] | None = None) -> pd.DataFrame:
        chosen: pd.DataFrame = part.iloc[local(part, partition_info)]
        return chosen

    valid = data.map_partitions(keep, meta=data._meta)
    rejected = data.map_partitions(reject, meta=data._meta).compute()
    if not len(rejected):
        return valid, rejected.assign(problems=pd.Series(dtype=object))
    return valid, rejected.assign(problems=problems_by_row(errors, bad))


def _meta_from(data: Any, fn: Any) -> pd.DataFrame:
    """The empty result of ``fn`` on the first rows, as Dask's ``meta``.

    Reads only the first partition (``npartitions=-1`` would read every partition: the
    whole dataset in memory at once), and further ones only if it is empty.
    """
    with warnings.catch_warnings():  # a first partition shorter than 5 rows is no matter
        warnings.simplefilter("ignore", UserWarning)
        head = data.head(5, npartitions=1, compute=True)
    if head.empty:
        head = data.head(5, npartitions=-1)
    empty: pd.DataFrame = fn(head).iloc[:0]
    return empty


def score_dask(
    data: Any,
    framework: Framework,
    rules: ScoringRules | None,
    *,
    person: str | None,
    date: str | None,
    rater: str | None,
    dayfirst: bool = True,
    date_format: str | None = None,
) -> Any:
    """Validate across partitions (raising on any invalid row), then score lazily."""
    report = validate_dask(
        data, framework, **id_options(person, date, rater, dayfirst, date_format)
    )
    if not report.ok:
        raise ValidationError(report)
    resolved = (rules or ScoringRules()).resolve(framework)
    return score_valid_dask(
        data,
        framework,
        resolved,
        person=person,
        date=date,
        dayfirst=dayfirst,
        date_format=date_format,
    )


def score_valid_dask(
    data: Any,
    framework: Framework,
    rules: ScoringRules,
    *,
    person: str | None = "person_id",
    date: str | None = "assessment_date",
    dayfirst: bool = True,
    date_format: str | None = None,
) -> Any:
    """Score rows already validated across the whole dataset, lazily, partition by partition."""

    def one(part: pd.DataFrame) -> pd.DataFrame:
        # duplicates were checked across the whole dataset already
        checked = check(
            part,
            framework,
            person=person,
            date=date,
            partition=True,
            dayfirst=dayfirst,
            date_format=date_format,
        )
        return score_checked(checked, framework, rules)

    return data.map_partitions(one, meta=_meta_from(data, one))


def place_dask(scores: Any, framework: Framework, rules: ContinuumRules | None) -> Any:
    """Place every row lazily (placement is row by row)."""

    def one(part: pd.DataFrame) -> pd.DataFrame:
        return place_on_continuum(part, framework, rules)

    return scores.map_partitions(one, meta=_meta_from(scores, one))


def one_per_person(
    scores: Any,
    which: Which,
    *,
    person: str = "person_id",
    date: str = "assessment_date",
    wave: str = "wave",
    rater_col: str = "rater",
    rater: str | None = "self",
) -> Any:
    """:func:`one_per_person` for a Dask DataFrame, lazily (a reduction and a merge)."""
    table = scores
    if rater is not None and rater_col in table.columns:
        table = table[table[rater_col] == rater]
    if isinstance(which, int) and not isinstance(which, bool):
        return table[table[wave] == which]
    order = date if date in table.columns else wave
    if not (isinstance(which, str) and which in ("first", "last")):
        cut = as_dates(pd.Series([which], dtype=object), name="the date asked for").iloc[0]
        table = table[table[date] <= cut]
        which = "last"
    grouped = table.groupby(person)[order]
    pick = (grouped.min() if which == "first" else grouped.max()).rename("_pick").to_frame()
    merged = table.merge(pick, left_on=person, right_index=True)
    chosen = merged[merged[order] == merged["_pick"]].drop(columns="_pick")
    # two assessments on the same day (different waves): one per person, as in pandas
    return chosen.drop_duplicates(subset=[person])


class DaskEngine:
    """The Dask engine, as :mod:`wellbeing_framework.engines` calls it."""

    name = "dask"

    def handles(self, data: object) -> bool:
        return is_dask(data)

    def validate(self, data: Any, framework: Framework, **options: Any) -> ValidationReport:
        return validate_dask(data, framework, **options)

    def score(
        self, data: Any, framework: Framework, rules: ScoringRules | None, **options: Any
    ) -> Any:
        return score_dask(data, framework, rules, **options)

    def place(self, scores: Any, framework: Framework, rules: ContinuumRules | None) -> Any:
        return place_dask(scores, framework, rules)

    def one_per_person(self, scores: Any, which: Any, **options: Any) -> Any:
        return one_per_person(scores, which, **options)

    def compute(self, *lazy: Any) -> tuple[Any, ...]:
        import dask

        return tuple(dask.compute(*lazy))
