"""The problems collector: every check reports here, and the errors table is built once.

Problems are kept as arrays, one block per check, so a clean million-row table costs a few
vectorised passes and a problem costs one row of the errors table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = ["ERROR_COLUMNS", "Problems", "rows_with_problems"]

ERROR_COLUMNS = ("row", "column", "value", "problem")


class Problems:
    """Collects problems as arrays, one block per check, and builds the errors table once."""

    def __init__(self) -> None:
        self.blocks: list[pd.DataFrame] = []

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
