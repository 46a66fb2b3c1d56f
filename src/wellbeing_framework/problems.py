"""The problems collector: every check reports here, and the errors table is built once.

Problems are kept as arrays, one block per check, so a clean million-row table costs a few
vectorised passes and a problem costs one row of the errors table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "ERROR_COLUMNS",
    "SHEET_ROW",
    "Problems",
    "problems_by_row",
    "rows_with_problems",
    "sheet_numbers",
    "with_sheet_rows",
]

ERROR_COLUMNS = ("row", "column", "value", "problem")

#: The name :func:`~wellbeing_framework.read_ratings` gives the index it numbers rows by:
#: each row's number as the person sees it in the file (header row 1, first data row 2).
SHEET_ROW = "sheet_row"


def sheet_numbers(index: pd.Index) -> np.ndarray:
    """Each row's number as the person sees it in their file: the index when it is the one
    :func:`read_ratings` numbers rows by, else the position + 2 (header on row 1)."""
    if index.name == SHEET_ROW and pd.api.types.is_integer_dtype(index):
        return index.to_numpy(dtype=np.int64)
    return np.arange(len(index), dtype=np.int64) + 2


def with_sheet_rows(errors: pd.DataFrame, index: pd.Index | None = None) -> pd.DataFrame:
    """The errors table with ``sheet_row`` beside ``row``: the row as the person sees it in
    their file. From the index when it is the one :func:`read_ratings` numbers rows by,
    else the position + 2 (a header on row 1, the first data row on row 2)."""
    positions = errors["row"]
    if index is not None and index.name == SHEET_ROW and pd.api.types.is_integer_dtype(index):
        numbers = index.to_numpy(dtype=np.int64)
        known = positions.notna().to_numpy()
        sheet = pd.array([pd.NA] * len(errors), dtype="Int64")
        sheet[known] = numbers[positions[known].to_numpy(dtype=np.intp)]
    else:
        sheet = (positions + 2).array
    out = errors.copy()
    out.insert(1, SHEET_ROW, pd.Series(sheet, index=out.index, dtype="Int64"))
    return out


class Problems:
    """Collects problems as arrays, one block per check, and builds the errors table once."""

    def __init__(self) -> None:
        self.blocks: list[pd.DataFrame] = []
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        """Something the person should know that is not a problem (a column renamed)."""
        self.notes.append(text)

    def table(self, problem: str, column: str | None = None) -> None:
        self.blocks.append(
            pd.DataFrame(
                {"row": [pd.NA], "column": [column], "value": [pd.NA], "problem": [problem]}
            )
        )

    def rows(
        self,
        rows: np.ndarray,
        column: str | None,
        problem: str | Sequence[str],
        values: np.ndarray | None = None,
    ) -> None:
        if len(rows) == 0:
            return
        self.blocks.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "column": column,
                    "value": pd.NA if values is None else values,
                    "problem": problem,
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.blocks:
            empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ERROR_COLUMNS})
            empty["row"] = pd.Series(dtype="Int64")
            return empty
        errors = pd.concat(self.blocks, ignore_index=True)
        errors["row"] = errors["row"].astype("Int64")
        errors["value"] = errors["value"].astype(object)
        errors["column"] = errors["column"].astype(object)
        errors["problem"] = errors["problem"].astype(object)
        order = np.lexsort((errors.index.to_numpy(), errors["row"].fillna(-1).to_numpy()))
        return errors.iloc[order].reset_index(drop=True)


def rows_with_problems(errors: pd.DataFrame, n: int) -> np.ndarray:
    bad = np.zeros(n, dtype=bool)
    if errors.empty:
        return bad
    if errors["row"].isna().any():
        bad[:] = True
        return bad
    bad[errors["row"].to_numpy(dtype=np.intp)] = True
    return bad


def problems_by_row(errors: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    """The text of the ``problems`` column of rejected rows: every problem of each row after
    the column it is in (``"rb1: out of range (...)"``), problems with the whole table
    first, joined by ``"; "``."""
    rows = errors.dropna(subset=["row"])
    named = [
        f"{c}: {p}" if isinstance(c, str) else p
        for c, p in zip(rows["column"], rows["problem"], strict=True)
    ]
    joined = pd.Series(named, index=rows["row"].to_numpy(), dtype=object)
    per_row = joined.groupby(level=0).agg("; ".join).reindex(positions).to_numpy(dtype=object)
    table = errors.loc[errors["row"].isna()]
    if len(table):
        prefix = "; ".join(
            f"{c}: {p}" if isinstance(c, str) else p
            for c, p in zip(table["column"], table["problem"], strict=True)
        )
        per_row = np.array(
            [prefix if pd.isna(p) else f"{prefix}; {p}" for p in per_row], dtype=object
        )
    return per_row
